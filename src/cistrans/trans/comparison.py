"""The trans models side by side: test accuracy, light-up against known regulation, and the
disease predictions, one row per model, so a reader sees whether the network's
non-linearity (or the ensemble) helps each result."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

ACCURACY = ("explained_variance", "per_gene_r2_median", "global_mean_r2_paper_style")
VALIDATION = ("auroc", "control_auroc", "median_fold", "control_median_fold")


def compare_models(
    metrics: Mapping[str, Mapping[str, float]],
    validation: Mapping[str, pd.DataFrame],
    diseases: Mapping[str, pd.DataFrame],
    fdr: float = 0.05,
) -> pd.DataFrame:
    """One row per model (in the order of `metrics`).

    metrics: `evaluate_on_test` metrics per model; validation: `validate_tables` summaries
    (one row per knowledge table, columns `VALIDATION`); diseases: `evaluate_diseases`
    summaries (the last row pooled). Columns: model, the `ACCURACY` figures,
    `<figure>_<table>` for each validation figure and table, disease_rho_pooled,
    disease_rho_median, diseases_tested (with a trait TF), gwas_significant (Fisher FDR
    below `fdr`).
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
