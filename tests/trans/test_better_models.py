"""Which trans model is better on each figure of the models table, and the summary's line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.plots.trans import model_comparison
from cistrans.summary import better_models_row, trans_summary
from cistrans.trans.comparison import BETTER_COLUMNS, TIE, better_models


def models_table(network: list[float], linear: list[float]) -> pd.DataFrame:
    """A models table (`compare_models`' layout) with the figures better_models weighs, in
    the order explained_variance, auroc_trrust, median_fold_trrust, disease_rho_pooled,
    gwas_significant, and the columns it leaves out."""
    figures = ["explained_variance", "auroc_trrust", "median_fold_trrust",
               "disease_rho_pooled", "gwas_significant"]  # fmt: skip
    table = pd.DataFrame([network, linear], columns=figures).assign(model=["network", "linear"])
    return table.assign(control_auroc_trrust=0.6, diseases_tested=6, per_gene_r2_median=0.7)


def test_the_network_wins_where_it_is_higher() -> None:
    better = better_models(models_table([0.73, 0.90, 9.9, 0.48, 5], [0.69, 0.89, 9.0, 0.40, 3]))
    assert list(better.columns) == list(BETTER_COLUMNS)
    assert list(better.figure) == ["explained_variance", "auroc_trrust", "median_fold_trrust",
                                   "disease_rho_pooled", "gwas_significant"]  # fmt: skip
    assert (better.better == "network").all() and (better.runner_up == "linear").all()
    assert np.allclose(better.margin, [0.04, 0.01, 0.9, 0.08, 2])


def test_the_ridge_wins_and_the_summary_says_so_first() -> None:
    better = better_models(models_table([0.73, 0.89, 9.0, 0.47, 5], [0.69, 0.90, 12.7, 0.49, 3]))
    assert list(better.better) == ["network", "linear", "linear", "linear", "network"]
    row = better_models_row(better)
    assert row["figure"] == "better trans model, on the most figures: the ridge"
    assert (row["value"], row["out_of"]) == (3, 5)
    assert row["note"].startswith("explained variance: network +0.04; AUROC trrust: ridge +0.01")
    metrics = {"explained_variance": 0.73, "per_gene_r2_median": 0.75,
               "global_mean_r2_paper_style": 0.86, "n_targets": 10}  # fmt: skip
    hierarchy = {"tfs_for_80_percent": 2, "n_retained": 2, "n_removed": 8}
    diseases = pd.DataFrame({"disease": ["A", "pooled"], "rho": [0.5, 0.47],
                             "fisher_fdr": [0.01, np.nan]})  # fmt: skip
    table = trans_summary(metrics, hierarchy, diseases, [0.8], 0.05, better=better)
    assert table.figure.iloc[0] == row["figure"]
    assert "better trans model" not in " ".join(
        trans_summary(metrics, hierarchy, diseases, [0.8], 0.05).figure
    )


def test_a_tie_names_neither_model() -> None:
    better = better_models(models_table([0.7, 0.9, 9.0, 0.5, 4], [0.7, 0.8, 9.0, 0.6, 4]))
    assert list(better.better) == [TIE, "network", TIE, "linear", TIE]
    assert better.margin.iloc[0] == 0 and better.runner_up.iloc[0] == ""
    row = better_models_row(better)
    assert row["figure"] == "better trans model: none (the network and the ridge each better on 1)"
    assert (row["value"], row["out_of"]) == (1, 5)
    assert "explained variance: tie" in row["note"]
    everything_tied = better_models(models_table([0.7] * 5, [0.7] * 5))
    assert better_models_row(everything_tied)["figure"].endswith("(tied on every figure)")


def test_a_figure_where_lower_is_better_goes_to_the_lower_model() -> None:
    table = models_table([0.73, 0.90, 9.9, 0.48, 5], [0.69, 0.89, 9.0, 0.40, 3])
    better = better_models(table, lower_is_better=frozenset({"median_fold_trrust"})).set_index(
        "figure"
    )
    fold = better.loc["median_fold_trrust"]
    assert (fold.better, fold.runner_up, fold.lower_is_better) == ("linear", "network", True)
    assert np.isclose(fold.margin, 0.9) and fold.better_value == 9.0
    assert better.loc["explained_variance", "better"] == "network"
    assert "median fold trrust: ridge −0.9" in better_models_row(better.reset_index())["note"]


def test_a_missing_figure_or_a_lone_model_names_no_winner() -> None:
    table = models_table([0.73, np.nan, 9.9, 0.48, 5], [0.69, 0.89, 9.0, 0.40, 3])
    better = better_models(table).set_index("figure")
    assert better.loc["auroc_trrust", "better"] == ""
    assert np.isnan(better.loc["auroc_trrust", "margin"])
    assert (better_models(table.iloc[:1]).better == "").all()
    assert better_models_row(better.reset_index())["out_of"] == 4


def test_the_figure_marks_the_better_model(tmp_path: Path) -> None:
    table = models_table([0.73, 0.89, 9.0, 0.47, 5], [0.69, 0.90, 12.7, 0.49, 3])
    path = tmp_path / "models.png"
    model_comparison(table, path, better=better_models(table))
    assert path.stat().st_size > 0
