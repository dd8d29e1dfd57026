"""Issue 30 item 3: the figures read at real sizes (50 long disease names, 1,600 TFs, three
knowledge tables, TPM input, every cis model with a published figure). Each test catches the
figure before it is saved and reads what was drawn."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from cistrans.plots import cis, expression_qc, trans
from cistrans.plots.trans import disease_labels


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[plt.Figure]:
    """The figures the trans and cis plots would save (closed after the test)."""
    figures: list[plt.Figure] = []
    for module in (trans, cis):
        monkeypatch.setattr(module, "save", lambda figure, path: figures.append(figure))
    yield figures
    for figure in figures:
        plt.close(figure)


def long_diseases(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """50 diseases whose names share their first 50 characters in groups of three, some of a
    group under one accession, two alike in name and accession; their predictions."""
    stems = ["Crohn's disease; ileal mucosa biopsy vs healthy control donors",
             "bipolar disorder; dorsolateral prefrontal cortex post mortem"]  # fmt: skip
    names = [f"{stems[i % 2]} {i // 2}, {['ileum', 'colon', 'rectum'][i % 3]}" for i in range(50)]
    accessions = [f"E-GEOD-{5000 + i // 3}" for i in range(50)]
    names[49], accessions[49] = names[48], accessions[48]
    predictions = pd.DataFrame({"disease": np.repeat(names, 20),
                                "predicted": rng.normal(size=1000)})  # fmt: skip
    predictions["observed"] = predictions.predicted + rng.normal(size=1000)
    summary = pd.DataFrame({"disease": [*names, "pooled"], "accession": [*accessions, ""],
                            "rho": rng.uniform(-0.2, 0.8, 51), "fisher_p": 0.01})  # fmt: skip
    return predictions, summary


def test_disease_labels_are_unique_and_short_for_50_long_names_sharing_a_prefix() -> None:
    _, summary = long_diseases(np.random.default_rng(0))
    rows = summary.iloc[:50]
    labels = disease_labels(rows.disease, rows.accession)
    assert len(set(labels)) == 50
    assert all(accession in label for label, accession in
               zip(labels, rows.accession, strict=True))  # fmt: skip
    assert max(map(len, labels[:48])) <= 44 + len(" (E-GEOD-5015)")
    assert labels[48].endswith("#1") and labels[49].endswith("#2")  # alike in full: numbered
    assert len(set(disease_labels(rows.disease))) == 50  # no accession: unique all the same
    assert disease_labels(["short name"], [""]) == ["short name"]


def test_the_disease_figure_has_a_colour_bar_a_diagonal_and_unique_named_bars(
    drawn: list[plt.Figure],
) -> None:
    predictions, summary = long_diseases(np.random.default_rng(1))
    trans.disease_scatter(predictions, summary, "unused.png")
    density, bars = drawn[0].axes[:2]
    (cells,) = [c for c in density.collections if isinstance(c, PolyCollection)]
    assert cells.colorbar is not None
    assert any(np.allclose(line.get_xdata(), line.get_ydata()) and len(line.get_xdata()) == 2
               for line in density.get_lines())  # fmt: skip
    ticks = [tick.get_text() for tick in bars.get_yticklabels()]
    assert len(ticks) == 50 and len(set(ticks)) == 50
    assert all("(E-GEOD-" in tick for tick in ticks)


def test_the_pruning_curve_starts_at_zero_and_marks_a_share_reached_at_the_smallest_count(
    drawn: list[plt.Figure],
) -> None:
    counts = [1600, 1200, 800, 400, 200, 100]
    values = [0.63, 0.625, 0.62, 0.60, 0.57, 0.51]
    curve = pd.DataFrame({"n_tfs": counts, "explained_variance": values})
    trans.pruning_curve(
        curve, {"tfs_for_80_percent": 100, "tfs_for_90_percent": 200, "knee": 100}, "unused.png"
    )
    ax = drawn[0].axes[0]
    assert ax.get_ylim()[0] == 0
    labels = ax.get_legend_handles_labels()[1]
    assert len(labels) == 2  # the knee shares the 80 % line: one line, one entry
    (eighty,) = [label for label in labels if label.startswith("80 %")]
    assert "knee" in eighty and "≤ 100" in eighty and "smallest count tested" in eighty
    assert not any("smallest" in label for label in labels if label.startswith("90 %"))


def test_validation_draws_one_panel_per_table_and_its_legend_outside_the_data(
    drawn: list[plt.Figure],
) -> None:
    rng = np.random.default_rng(2)
    tables = ["trrust", "dorothea", "collectri"]
    per_target = pd.concat([pd.DataFrame({"table": t, "fold": 2 ** rng.normal(2, 1, 500),
                                          "control_fold": 2 ** rng.normal(0, 1, 500)})
                            for t in tables])  # fmt: skip
    summary = pd.DataFrame({"table": tables, "auroc": [0.7, 0.65, 0.48],
                            "control_auroc": [0.55, 0.52, 0.5]})  # fmt: skip
    trans.validation(summary, per_target, "unused.png")
    figure = drawn[0]
    panels = [ax for ax in figure.axes if ax.get_title()]
    assert [ax.get_title().split(":")[0] for ax in panels[:3]] == tables
    assert all(ax.get_ylabel() == "targets" for ax in panels[:3])
    auroc = panels[3]
    assert any(np.allclose(line.get_ydata(), 0.5) for line in auroc.get_lines())
    figure.canvas.draw()
    legend = auroc.get_legend().get_window_extent()
    assert not any(legend.overlaps(ax.get_window_extent()) for ax in panels)


def test_every_auroc_panel_has_a_chance_line_and_figures_clear_of_the_control(
    drawn: list[plt.Figure],
) -> None:
    comparison = pd.DataFrame({
        "model": ["network", "linear", "ensemble"], "explained_variance": [0.61, 0.58, 0.63],
        "auroc_trrust": [0.71, 0.70, 0.72], "control_auroc_trrust": [0.72, 0.69, 0.5],
        "auroc_dorothea": [0.6, 0.62, 0.61], "control_auroc_dorothea": [0.55] * 3,
        "disease_rho_pooled": [0.45, 0.40, 0.47],
    })  # fmt: skip
    trans.model_comparison(comparison, "unused.png")
    axes = [ax for ax in drawn[0].axes if ax.get_title().startswith("AUROC")]
    assert len(axes) == 2
    for ax, column in zip(axes, ["trrust", "dorothea"], strict=True):
        assert any(np.allclose(line.get_ydata(), 0.5) for line in ax.get_lines())
        assert 0.4 <= ax.get_ylim()[0] <= 0.5
        controls = comparison[f"control_auroc_{column}"]
        for text, control in zip(ax.texts, controls, strict=True):
            assert text.xy[1] >= control  # written above the control's tick, not through it
        legend = ax.get_legend()
        assert legend is not None and legend.get_bbox_to_anchor().y1 < ax.bbox.y0


def test_a_tpm_input_draws_no_library_size_panel_and_no_empty_legend(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    figures: list[plt.Figure] = []
    close = plt.close
    monkeypatch.setattr(expression_qc.plt, "close", figures.append)
    rng = np.random.default_rng(3)
    tpm = pd.DataFrame({"source": "gtex", "library_size": np.nan,
                        "genes_detected": rng.normal(18000, 900, 300).round(),
                        "reason": [""] * 290 + ["too few genes"] * 10})  # fmt: skip
    counts = tpm.assign(source="archs4", library_size=rng.lognormal(16, 0.3, 300))
    expression_qc.plot_sample_qc(tpm, tmp_path / "tpm.png")
    expression_qc.plot_sample_qc(pd.concat([tpm, counts]), tmp_path / "both.png")
    tpm_only, both = figures
    assert not any("Library size" in ax.get_title() for ax in tpm_only.axes)
    assert len(tpm_only.axes) == 2 and len(both.axes) == 3
    assert "Library size" in both.axes[0].get_title()
    for figure in figures:
        for ax in figure.axes:
            legend = ax.get_legend()
            assert legend is None or legend.get_texts()
        close(figure)


def test_every_cis_model_with_a_published_figure_gets_its_marker(
    drawn: list[plt.Figure],
) -> None:
    runs = [("kmer_ridge", "dna"), ("kmer_ridge", "dna_mrna"), ("mrna_ridge", "mrna"),
            ("xpresso", "dna"), ("xpresso", "dna_mrna"), ("deeplncloc", "dna"),
            ("texcnn_dnabert6", "dna"), ("texcnn_dnabert2", "dna"), ("legnet", "dna")]  # fmt: skip
    rows = []
    for labels, level in (("observed", 0.3), ("permuted", 0.01)):
        for model, features in runs:
            row = {"model": model, "features": features, "labels": labels, "n_collapsed": 0}
            for metric in cis.COMPARISON_FIGURES:
                row |= {f"{metric}_min": level - 0.01, f"{metric}_mean": level,
                        f"{metric}_max": level + 0.01}  # fmt: skip
            rows.append(row)
    cis.comparison_bars(pd.DataFrame(rows), "unused.png")
    ax = drawn[0].axes[0]
    (marks,) = [c for c in ax.collections if c.get_label() == "published figure of the model"]
    published = dict(zip(runs, np.ma.filled(marks.get_offsets()[:, 1], np.nan), strict=True))
    assert published[("xpresso", "dna")] == pytest.approx(0.504)
    assert published[("xpresso", "dna_mrna")] == pytest.approx(0.590)
    assert published[("deeplncloc", "dna")] == pytest.approx(0.596)
    assert published[("texcnn_dnabert6", "dna")] == pytest.approx(0.622)
    assert published[("texcnn_dnabert2", "dna")] == pytest.approx(0.622)
    assert published[("kmer_ridge", "dna")] == pytest.approx(0.447)
    assert np.isnan(published[("legnet", "dna")])  # no paper figure, no marker
    assert {text.get_text() for text in ax.texts} >= {"0.504", "0.590", "0.596", "0.622"}
