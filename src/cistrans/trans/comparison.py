"""The trans models side by side: test accuracy, light-up against known regulation, and the
disease predictions, one row per model, so a reader sees whether the network's
non-linearity (or the ensemble) helps each result."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

ACCURACY = ("explained_variance", "per_gene_r2_median", "global_mean_r2_paper_style")
VALIDATION = ("auroc", "control_auroc", "median_fold", "control_median_fold")

MODEL_NAMES = {"network": "the network", "linear": "the ridge", "ensemble": "the ensemble"}
"""Each trans model as the summary and the figure say it."""

LOWER_IS_BETTER: frozenset[str] = frozenset()
"""The figures of the models table where lower is better: none today (accuracy, AUROC, median
fold, disease ρ and GWAS hits all grow with a better model); `better_models` honours any
added here."""

BETTER_COLUMNS = ("figure", "label", "lower_is_better", "better", "runner_up", "margin",
                  "better_value", "runner_up_value")  # fmt: skip
"""The columns of `better_models`' table."""

TIE = "tie"
"""`better` of a figure on which the two best models are equal."""


def compare_models(
    metrics: Mapping[str, Mapping[str, float]],
    validation: Mapping[str, pd.DataFrame],
    diseases: Mapping[str, pd.DataFrame],
    *,
    fdr: float = 0.05,
) -> pd.DataFrame:
    """One row per model (in the order of `metrics`).

    Parameters
    ----------
    metrics
        Model name → its `evaluate_on_test` metrics (at least the `ACCURACY` keys).
    validation
        Model name → its `validate_tables` summary: one row per knowledge table, columns
        table and `VALIDATION`.
    diseases
        Model name → its `evaluate_diseases` summary: columns disease (one row "pooled"),
        rho, fisher_p, fisher_fdr.
    fdr
        The Fisher FDR below which a disease counts as a GWAS hit.

    Returns
    -------
    pd.DataFrame
        One row per model, columns: model, the `ACCURACY` figures, `<figure>_<table>` for
        each validation figure and table, disease_rho_pooled (NaN without a pooled row),
        disease_rho_median, diseases_tested (with a Fisher p, i.e. a trait TF),
        gwas_significant (Fisher FDR below `fdr`).
    """
    rows = []
    for model, accuracy in metrics.items():
        row: dict[str, object] = {"model": model, **{key: accuracy[key] for key in ACCURACY}}
        for table in validation[model].itertuples(index=False):
            row |= {f"{figure}_{table.table}": getattr(table, figure) for figure in VALIDATION}
        summary = diseases[model]
        per_disease = summary[summary.disease != "pooled"]
        pooled = summary[summary.disease == "pooled"]
        row |= {
            "disease_rho_pooled": float(pooled.rho.iloc[0]) if len(pooled) else np.nan,
            "disease_rho_median": float(per_disease.rho.median()),
            "diseases_tested": int(per_disease.fisher_p.notna().sum()),
            "gwas_significant": int((per_disease.fisher_fdr < fdr).sum()),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def compared_figures(comparison: pd.DataFrame) -> dict[str, str]:
    """The figures of `compare_models`' table that `better_models` weighs, each with its label:
    test explained variance, the light-up's AUROC and median fold for each knowledge table
    (their |Spearman| controls are the same for every model, so the model above the other is
    also the one further above the control), the pooled disease ρ and the GWAS hits.

    Parameters
    ----------
    comparison
        `compare_models`' table.

    Returns
    -------
    dict
        Column → label (e.g. ``auroc_trrust`` → "AUROC trrust"), in the order above, of the
        columns `comparison` has.
    """
    figures = {"explained_variance": "explained variance"}
    for prefix, label in (("auroc_", "AUROC"), ("median_fold_", "median fold")):
        figures |= {
            column: f"{label} {column.removeprefix(prefix)}"
            for column in comparison.columns
            if column.startswith(prefix)
        }
    figures |= {"disease_rho_pooled": "disease ρ", "gwas_significant": "GWAS diseases"}
    return {column: label for column, label in figures.items() if column in comparison}


def better_models(
    comparison: pd.DataFrame, lower_is_better: frozenset[str] = LOWER_IS_BETTER
) -> pd.DataFrame:
    """Which trans model is better on each figure of `compared_figures`, and by how much.

    Parameters
    ----------
    comparison
        `compare_models`' table (one row per model); not modified.
    lower_is_better
        The figures on which the lower value is the better.

    Returns
    -------
    pd.DataFrame
        One row per figure, in `compared_figures`' order, columns `BETTER_COLUMNS`: the
        better model (`TIE` when the two best are equal, empty when fewer than two models
        have the figure), the runner-up, the margin between them (0 on a tie, else
        positive, in the figure's units; higher is better unless the figure is in
        `lower_is_better`) and both values.
    """
    rows = []
    for figure, label in compared_figures(comparison).items():
        lower = figure in lower_is_better
        values = pd.Series(
            pd.to_numeric(comparison[figure], errors="coerce").to_numpy(), index=comparison.model
        ).dropna()
        ranked = values.sort_values(ascending=lower, kind="stable")
        row = {"figure": figure, "label": label, "lower_is_better": lower, "better": "",
               "runner_up": "", "margin": np.nan, "better_value": np.nan,
               "runner_up_value": np.nan}  # fmt: skip
        if len(ranked) >= 2:
            (best, top), (second, next_) = list(ranked.items())[:2]
            tied = bool(np.isclose(top, next_, rtol=1e-9, atol=1e-12))
            row |= {
                "better": TIE if tied else best,
                "runner_up": "" if tied else second,
                "margin": 0.0 if tied else float(abs(top - next_)),
                "better_value": float(top),
                "runner_up_value": float(next_),
            }
        rows.append(row)
    return pd.DataFrame(rows, columns=list(BETTER_COLUMNS))
