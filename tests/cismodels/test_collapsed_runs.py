"""A run that collapsed (constant test predictions, or a validation loss that never fell) or
did not converge: its status in the metrics, the warning that names the run and the setting
to change, and the comparison, its figures and the summary, which leave a collapsed run out
of their figures, count it and still complete."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cistrans.cismodels.comparison import left_out, read_runs, summarise_runs
from cistrans.cismodels.metrics import regression_metrics, run_status, training_loss_fell
from cistrans.cismodels.runs import fit_run, warn_settings_section
from cistrans.cismodels.sources import ArraySource
from cistrans.ctxreg.jaspar_mode import fit_jaspar_mode
from cistrans.dna import encode_bases
from cistrans.io.motifs import Motif
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.plots.cis import comparison_bars, predicted_vs_observed
from cistrans.summary import cis_summary
from tests.cismodels.test_sequence_models import FAST, genes_of, planted_onehot

XPRESSO = {"filters": [8], "kernel_sizes": [8], "pools": [4], "dense": [8], "dropout": 0.0,
           "training": FAST}  # fmt: skip


def test_the_status_names_constant_predictions_a_loss_that_never_fell_and_no_convergence() -> None:
    observed = np.linspace(0, 1, 50)
    constant = np.full(50, 0.4) + np.linspace(0, 1e-7, 50)  # float noise around a constant
    assert run_status(observed, constant, epochs=12, best_epoch=7, max_epochs=30) == (
        "collapsed", "its test predictions are constant (sd 2.95e-08 against the test labels' "
        "0.295)",
    )  # fmt: skip
    # a flat training loss is a collapse; a best epoch of 1 alone is not (quick learners)
    stuck = run_status(observed, observed, epochs=7, best_epoch=1, max_epochs=30, loss_fell=False)
    assert stuck[0] == "collapsed" and "training loss never fell below its first" in stuck[1]
    assert run_status(observed, observed, epochs=7, best_epoch=1, max_epochs=30) == ("ok", "")
    assert run_status(
        observed, observed, epochs=7, best_epoch=1, max_epochs=30, control=True, loss_fell=False
    ) == ("ok", "")
    assert run_status(observed, constant, epochs=12, best_epoch=7, max_epochs=30, control=True) == (
        "ok",
        "",
    )  # expected
    assert training_loss_fell(np.array([1.0, 1.0, 1.0])) is False
    assert training_loss_fell(np.array([1.0, 0.9, 0.95])) is True
    assert run_status(observed, observed, epochs=30, best_epoch=30, max_epochs=30) == (
        "not_converged", "best epoch 30 of max_epochs 30",
    )  # fmt: skip
    assert (
        run_status(observed, observed, epochs=1, best_epoch=1, max_epochs=1)[0] == "not_converged"
    )  # one epoch: no verdict
    assert run_status(observed, observed, epochs=30, best_epoch=29, max_epochs=30) == ("ok", "")
    weak = observed * 3e-4 + 5  # the demo's random-DNABERT TExCNN still ranks genes: not collapsed
    assert run_status(observed, weak, epochs=12, best_epoch=7, max_epochs=30)[0] == "ok"


def test_a_network_that_predicts_a_constant_is_collapsed_and_named_with_its_setting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every gene the same one-hot window: the network cannot tell them apart."""
    _, labels = planted_onehot(120)
    ids = [f"g{i}" for i in range(120)]
    same = ArraySource([encode_bases(["ACGTTGCA" * 5] * 120)], [ids], ["x.npy"], onehot=True)
    with caplog.at_level(logging.WARNING):
        metrics = fit_run(
            "xpresso",
            "xpresso",
            same,
            genes_of(labels),
            feature_set="dna",
            tf=None,
            settings=XPRESSO,
            seed=3,
            control=False,
        )[0]
        warn_settings_section(metrics, "cis.xpresso")  # the rule names its config section
    metrics = metrics.iloc[0]
    assert metrics.status == "collapsed"
    assert np.isnan(metrics.pearson_r2) and np.isnan(metrics.spearman_rho)
    assert (
        "xpresso dna seed 3: collapsed: its test predictions are constant (sd 0 against the test "
        "labels'" in caplog.text
    )
    assert (
        "leaves it out of its min/mean/max. Fix: change training.learning_rate (now "
        "0.003; try 0.0003 or 0.03) or training.optimiser (now adam)" in caplog.text
    )
    assert (
        "xpresso dna seed 3: the training settings to change are in the config section "
        "cis.xpresso.training (e.g. cis.xpresso.training.learning_rate)" in caplog.text
    )


def test_a_loss_that_never_falls_collapses_a_run_but_not_its_control(
    caplog: pytest.LogCaptureFixture,
) -> None:
    source, labels = planted_onehot(200)
    frozen = {**XPRESSO, "training": {**FAST, "learning_rate": 0.0, "patience": 3}}
    with caplog.at_level(logging.WARNING):
        run = fit_run(
            "xpresso",
            "xpresso",
            source,
            genes_of(labels),
            feature_set="dna",
            tf=None,
            settings=frozen,
            seed=0,
            control=False,
        )[0].iloc[0]
        control = fit_run(
            "xpresso",
            "xpresso",
            source,
            genes_of(labels),
            feature_set="dna",
            tf=None,
            settings=frozen,
            seed=0,
            control=True,
        )[0].iloc[0]
    assert (run.status, run.best_epoch, run.epochs) == ("collapsed", 1, 4)
    assert control.status == "ok"  # on permuted labels nothing is there to learn
    assert "xpresso dna seed 0: collapsed: its training loss never fell" in caplog.text
    assert "(permuted labels)" not in caplog.text


def test_a_run_still_improving_at_max_epochs_is_not_converged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    source, labels = planted_onehot(200)
    short = {**XPRESSO, "training": {**FAST, "max_epochs": 2}}
    with caplog.at_level(logging.WARNING):
        run = fit_run(
            "xpresso",
            "xpresso",
            source,
            genes_of(labels),
            feature_set="dna",
            tf=None,
            settings=short,
            seed=0,
            control=False,
        )[0].iloc[0]
    assert (run.status, run.best_epoch) == ("not_converged", 2)
    assert (
        "xpresso dna seed 0: not converged: best epoch 2 of max_epochs 2; raise "
        "training.max_epochs or the learning rate "
        "(training.learning_rate, now 0.003)" in caplog.text
    )


def test_a_jaspar_mode_run_without_sites_is_collapsed_and_names_its_training_section(
    caplog: pytest.LogCaptureFixture,
) -> None:
    labels = np.random.default_rng(0).normal(size=200)
    motifs = [Motif(f"M{k}", f"TF{k}", np.full((6, 4), 0.25)) for k in range(2)]
    settings = {"l1": 1e-4, "training": FAST,
                "context": {"pool": 10, "channels": [4], "kernel_size": 3, "dense": [8],
                            "dropout": 0.0}}  # fmt: skip
    with caplog.at_level(logging.WARNING):
        run = fit_jaspar_mode(np.zeros((200, 6, 2), np.float32), genes_of(labels), motifs,
                              settings=settings, seed=1, control=False)  # fmt: skip
        warn_settings_section(run.metrics, "ctxreg.jaspar_mode")
    assert run.metrics.status.iloc[0] == "collapsed"
    assert "status" in run.metrics and "spearman_rho" in run.metrics
    assert "ctxreg_jaspar_mode dna seed 1: collapsed" in caplog.text
    assert "Fix: change training.learning_rate" in caplog.text
    assert "config section ctxreg.jaspar_mode.training (e.g. " in caplog.text


def metrics_row(model: str, labels: str, seed: int, predicted: np.ndarray, status: str | None,
                observed: np.ndarray) -> dict[str, object]:  # fmt: skip
    row = {"model": model, "features": "dna", "labels": labels, "seed": seed,
           **regression_metrics(observed, predicted)}  # fmt: skip
    return row if status is None else {**row, "epochs": 9, "best_epoch": 4, "status": status}


def test_a_collapsed_run_is_counted_and_left_out_of_the_comparison_its_figure_and_summary(
    tmp_path: Path,
) -> None:
    """As in the E. coli library: Xpresso settled on a constant in one of three seeds (its
    metrics.tsv with a blank pearson_r2, which made the comparison fail with `TypeError: agg
    function failed`), DeepLncLoc in all of its seeds."""
    rng = np.random.default_rng(0)
    observed = rng.normal(size=80)
    good = [observed + rng.normal(0, s, 80) for s in (1.0, 1.5)]
    flat = np.full(80, 0.3)
    tables = {
        "baselines": [metrics_row("kmer_ridge", labels, 0, observed + rng.normal(0, 2, 80), None,
                                  observed) for labels in ("observed", "permuted")],
        "x0": [metrics_row("xpresso", "observed", 0, good[0], "ok", observed)],
        "x1": [metrics_row("xpresso", "observed", 1, flat, "collapsed", observed)],
        "x2": [metrics_row("xpresso", "observed", 2, good[1], "not_converged", observed)],
        "xc": [metrics_row("xpresso", "permuted", 0, rng.normal(size=80), "ok", observed)],
        "d0": [metrics_row("deeplncloc", "observed", 0, flat, "collapsed", observed)],
        "d1": [metrics_row("deeplncloc", "observed", 1, flat + 1, "collapsed", observed)],
    }  # fmt: skip
    paths = {}
    for name, rows in tables.items():
        paths[name] = str(tmp_path / f"{name}.tsv")
        write_tsv(pd.DataFrame(rows), paths[name])
    assert "\t\t" in Path(paths["x1"]).read_text()  # the blank pearson_r2 of the collapsed run
    trained = [paths[name] for name in tables if name != "baselines"]
    runs = read_runs({"cis_baselines": [paths["baselines"]], "cis_train": trained})
    comparison = summarise_runs(runs, whole="-7000..+3500", cropped="-650..+100")
    rows = comparison.set_index(["model", "labels"])
    xpresso = rows.loc[("xpresso", "observed")]
    assert (xpresso.n_runs, xpresso.n_pooled, xpresso.n_collapsed, xpresso.n_not_converged) == (
        3, 2, 1, 1,
    )  # fmt: skip
    pooled = [regression_metrics(observed, p) for p in good]
    for metric in ("pearson_r2", "r2", "spearman_rho"):
        values = [m[metric] for m in pooled]  # the collapsed seed's r2 left out too
        assert xpresso[f"{metric}_mean"] == pytest.approx(np.mean(values), rel=1e-5)
        assert xpresso[f"{metric}_min"] == pytest.approx(min(values), rel=1e-5)
    dead = rows.loc[("deeplncloc", "observed")]
    assert (dead.n_runs, dead.n_pooled, dead.n_collapsed) == (2, 0, 2)
    assert np.isnan(dead.pearson_r2_mean) and np.isnan(dead.spearman_rho_mean)
    assert rows.loc[("kmer_ridge", "permuted"), "n_pooled"] == 1  # a baseline has no status
    assert left_out(runs)[["model", "seed"]].values.tolist() == [
        ["xpresso", 1], ["deeplncloc", 0], ["deeplncloc", 1],
    ]  # fmt: skip

    # as the figure and summary rules read it back: blank figures where every run collapsed
    write_tsv(comparison, tmp_path / "comparison.tsv")
    comparison = read_result_table(tmp_path / "comparison.tsv", ["n_collapsed"], "cis_comparison",
                                   keep_default_na=True)  # fmt: skip
    comparison_bars(comparison, tmp_path / "comparison.png")
    test = pd.DataFrame({"split": "test", "observed": observed})
    predictions = pd.concat(
        [test.assign(model="xpresso", features="dna", labels="observed", seed=seed, predicted=p)
         for seed, p in ((0, flat), (1, good[0]))], ignore_index=True,
    )  # fmt: skip
    predicted_vs_observed(predictions, comparison, tmp_path / "best.png")
    assert (tmp_path / "comparison.png").stat().st_size > 10_000
    assert (tmp_path / "best.png").stat().st_size > 10_000
    summary = cis_summary(comparison).set_index("figure")
    assert "over 2 of 3 run(s), 1 collapsed (left out), 1 not converged" in summary.loc[
        "xpresso (dna): test pearson_r2", "note"
    ]  # fmt: skip
    assert "all 2 run(s) collapsed" in summary.loc["deeplncloc (dna): test r2", "note"]
