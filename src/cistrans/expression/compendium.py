"""The compendium: sources joined on genes, genes harmonised and filtered, TFs marked, splits.

Result (DESIGN §3): AnnData with X float32 log expression (samples × genes), obs sample_id,
source, tissue, series, split; var gene_id (Ensembl, no version), symbol, gene_type, is_tf.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import anndata as ad
import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.expression.genes import expressed, mark_tfs, resolve_duplicates
from cistrans.expression.splits import assign_splits
from cistrans.io.gtf import strip_version


@dataclass
class Compendium:
    """The compendium and its reports: filter steps, duplicate genes, TF matching."""

    adata: ad.AnnData
    summary: pd.DataFrame
    duplicates: pd.DataFrame
    tf_counts: dict[str, int]


def build_compendium(
    sources: Sequence[ad.AnnData],
    annotation: pd.DataFrame,
    tf_list: pd.DataFrame,
    gene_types: Sequence[str],
    min_expression: float,
    min_sample_fraction: float,
    split: Mapping[str, object],
) -> Compendium:
    """Join `sources` (from `cistrans.expression.sources`) into one compendium.

    annotation: per versionless gene_id, symbol and gene_type (`gene_annotation`).
    tf_list: gene_id, symbol (`read_tf_list`). gene_types: kept types (empty = all).
    split: the `expression.split` settings (mode, validation_fraction, test_fraction, seed),
    passed to `assign_splits`.
    """
    steps: list[dict[str, object]] = []
    harmonised, duplicate_reports = [], []
    for source in sources:
        name = str(source.obs.source.iloc[0])
        kept, report = resolve_duplicates(
            np.asarray(source.X.mean(axis=0)).ravel(), list(source.var.source_gene_id)
        )
        duplicate_reports.append(report.assign(source=name))
        frame = source[:, kept].copy()
        frame.var_names = [strip_version(g) for g in frame.var.source_gene_id]
        harmonised.append(frame)
        steps.append({"step": f"read {name}", "samples": frame.n_obs, "genes": frame.n_vars})
    adata = (
        ad.concat(harmonised, join="inner", merge="first") if len(harmonised) > 1 else harmonised[0]
    )
    steps.append(
        {"step": "genes shared by all sources", "samples": adata.n_obs, "genes": adata.n_vars}
    )

    known = adata.var_names.isin(annotation.index)
    adata.var["gene_id"] = adata.var_names.to_numpy()
    adata.var["symbol"] = np.where(
        known,
        annotation.symbol.reindex(adata.var_names).fillna("").to_numpy(),
        adata.var.symbol.to_numpy(),
    )
    adata.var["gene_type"] = annotation.gene_type.reindex(adata.var_names).fillna("").to_numpy()
    if gene_types:
        adata = adata[:, adata.var.gene_type.isin(gene_types).to_numpy()].copy()
        steps.append(
            {
                "step": f"gene types {', '.join(gene_types)}",
                "samples": adata.n_obs,
                "genes": adata.n_vars,
            }
        )
    keep = expressed(adata.X.T, min_expression, min_sample_fraction)
    adata = adata[:, keep].copy()
    steps.append(
        {
            "step": f">= {min_expression} in >= {min_sample_fraction:.0%} of samples",
            "samples": adata.n_obs,
            "genes": adata.n_vars,
        }
    )
    if adata.n_vars == 0:
        raise InputError(
            "config key 'expression'",
            "no gene is left after the filters",
            "lower expression.min_expression or min_sample_fraction, or widen gene_types",
        )

    is_tf, tf_counts = mark_tfs(adata.var, tf_list)
    adata.var["is_tf"] = is_tf
    adata.obs["split"] = assign_splits(adata.obs.series, **split)
    adata.X = np.asarray(adata.X, dtype=np.float32)
    summary = pd.DataFrame(steps)
    summary.loc[len(summary)] = {
        "step": "TFs marked",
        "samples": adata.n_obs,
        "genes": int(is_tf.sum()),
    }
    return Compendium(adata, summary, pd.concat(duplicate_reports, ignore_index=True), tf_counts)
