"""The compendium: sources joined on genes, genes harmonised and filtered, TFs marked, splits.

Result (DESIGN §3): AnnData with X float32 log expression (samples × genes), obs sample_id,
source, tissue, series, split; var gene_id (Ensembl, no version), symbol, gene_type, is_tf.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anndata as ad
import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.expression.genes import expressed, gene_keys, mark_tfs, resolve_duplicates
from cistrans.expression.splits import assign_splits

log = logging.getLogger(__name__)


@dataclass
class Compendium:
    """The compendium and its reports: filter steps, duplicate genes, TF matching."""

    adata: ad.AnnData
    summary: pd.DataFrame
    duplicates: pd.DataFrame
    tf_counts: dict[str, Any]


def build_compendium(
    sources: Sequence[ad.AnnData],
    annotation: pd.DataFrame | None,
    tf_list: pd.DataFrame,
    gene_types: Sequence[str],
    min_expression: float,
    min_sample_fraction: float,
    split: Mapping[str, object],
    custom_gene_ids: str = "auto",
) -> Compendium:
    """Join `sources` (from `cistrans.expression.sources`) into one compendium.

    annotation: per versionless gene_id, symbol and gene_type (`gene_annotation`); None when
    there is no GTF (a custom matrix): symbols stay the source's and the type filter is
    skipped with a warning. tf_list: gene_id, symbol (`read_tf_list`). gene_types: kept types
    (empty = all). split: the `expression.split` settings (mode, validation_fraction,
    test_fraction, seed), passed to `assign_splits`. custom_gene_ids: what the custom
    source's gene IDs are (auto, ensembl, symbol; GTEx and ARCHS4 use Ensembl IDs); genes
    are keyed by Ensembl ID where the annotation gives one (`gene_keys`).
    """
    steps: list[dict[str, object]] = []
    harmonised, duplicate_reports = [], []
    for source in sources:
        name = str(source.obs.source.iloc[0])
        source_ids = list(source.var.source_gene_id)
        kind = custom_gene_ids if name == "custom" else "ensembl"
        keys = gene_keys(source_ids, kind, annotation, f"expression source {name!r}")
        kept, report = resolve_duplicates(
            np.asarray(source.X.mean(axis=0)).ravel(), source_ids, keys
        )
        duplicate_reports.append(report.assign(source=name))
        frame = source[:, kept].copy()
        frame.var_names = list(keys[kept])
        harmonised.append(frame)
        steps.append({"step": f"read {name}", "samples": frame.n_obs, "genes": frame.n_vars})
    adata = (
        ad.concat(harmonised, join="inner", merge="first") if len(harmonised) > 1 else harmonised[0]
    )
    steps.append(
        {"step": "genes shared by all sources", "samples": adata.n_obs, "genes": adata.n_vars}
    )
    adata.var["gene_id"] = adata.var_names.to_numpy()
    if annotation is None:
        adata.var["gene_type"] = ""
        if gene_types:
            log.warning(
                "no annotation GTF: the gene type filter (%s) is skipped and every gene is "
                "kept; give inputs.annotation_gtf to filter by type",
                ", ".join(gene_types),
            )
    else:
        adata = _annotated(adata, annotation, gene_types, steps)
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
            f"no gene is expressed at >= {min_expression} in >= {min_sample_fraction:.0%} of "
            f"the samples ({steps[-2]['genes']:,} genes before this filter)",
            "lower expression.min_expression or min_sample_fraction, or check "
            "expression.custom_values (log, tpm or counts)",
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


def _annotated(
    adata: ad.AnnData,
    annotation: pd.DataFrame,
    gene_types: Sequence[str],
    steps: list[dict[str, object]],
) -> ad.AnnData:
    """Symbols and gene types from the annotation, then the type filter (a step of `steps`).
    A filter that leaves no gene is an InputError that says whether the IDs or the types
    are at fault."""
    known = adata.var_names.isin(annotation.index)
    adata.var["symbol"] = np.where(
        known,
        annotation.symbol.reindex(adata.var_names).fillna("").to_numpy(),
        adata.var.symbol.to_numpy(),
    )
    adata.var["gene_type"] = annotation.gene_type.reindex(adata.var_names).fillna("").to_numpy()
    if not gene_types:
        return adata
    typed = adata.var.gene_type.isin(gene_types).to_numpy()
    if not typed.any() and adata.n_vars:
        if not known.any():
            problem = f"none of the {adata.n_vars:,} genes is in the annotation GTF"
            fix = (
                "use a GTF of the expression data's genome build, or set "
                "expression.custom_gene_ids to what the matrix's first column holds"
            )
        else:
            problem = (
                f"none of the {int(known.sum()):,} genes found in the annotation is of type "
                f"{', '.join(gene_types)}"
            )
            fix = "widen expression.gene_types (empty = all types)"
        raise InputError("config key 'expression.gene_types'", problem, fix)
    adata = adata[:, typed].copy()
    steps.append(
        {
            "step": f"gene types {', '.join(gene_types)}",
            "samples": adata.n_obs,
            "genes": adata.n_vars,
        }
    )
    return adata
