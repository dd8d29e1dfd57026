"""Gene identities: versions stripped, symbols and types from the annotation, duplicates
resolved, TFs marked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cistrans.io.gtf import strip_version


def gene_annotation(gtf_genes: pd.DataFrame) -> pd.DataFrame:
    """Per gene (index gene_id without version): symbol and gene_type, from GTF gene rows."""
    genes = gtf_genes[gtf_genes.feature == "gene"]
    return pd.DataFrame(
        {"symbol": genes.gene_name.to_numpy(), "gene_type": genes.gene_type.to_numpy()},
        index=pd.Index(genes.gene_id.map(strip_version).to_numpy(), name="gene_id"),
    )


def resolve_duplicates(means: np.ndarray, gene_ids: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Strip versions; where IDs then repeat, keep the gene with the highest mean.

    means: (genes,) mean expression. Returns the kept row positions (in order) and a report
    with one row per dropped gene (gene_id, dropped_id, kept_id). Ties keep the first row,
    so the choice is deterministic.
    """
    stripped = np.array([strip_version(gene_id) for gene_id in gene_ids], dtype=object)
    order = np.argsort(-np.asarray(means), kind="stable")
    first_seen = ~pd.Series(stripped[order]).duplicated().to_numpy()
    kept = np.sort(order[first_seen])
    dropped = np.setdiff1d(np.arange(len(gene_ids)), kept)
    winner = dict(zip(stripped[kept], np.asarray(gene_ids, dtype=object)[kept], strict=True))
    report = pd.DataFrame(
        {
            "gene_id": stripped[dropped],
            "dropped_id": np.asarray(gene_ids, dtype=object)[dropped],
            "kept_id": [winner[g] for g in stripped[dropped]],
        }
    )
    return kept, report


def mark_tfs(var: pd.DataFrame, tf_list: pd.DataFrame) -> tuple[np.ndarray, dict[str, int]]:
    """Which genes of `var` (index gene_id, column symbol) are TFs of `tf_list`
    (columns gene_id, symbol): by Ensembl ID, else by symbol for list rows without a match.

    Returns the mask and counts: listed, found_by_id, found_by_symbol, not_found.
    """
    listed_ids = {g for g in tf_list.gene_id if g}
    by_id = var.index.isin(listed_ids)
    unmatched = tf_list[~tf_list.gene_id.isin(var.index)]
    by_symbol = var.symbol.isin(set(unmatched.symbol)).to_numpy() & ~by_id
    found = by_id | by_symbol
    counts = {
        "listed": len(tf_list),
        "found_by_id": int(by_id.sum()),
        "found_by_symbol": int(by_symbol.sum()),
        "not_found": len(tf_list) - int(found.sum()),
    }
    return found, counts


def expressed(values: np.ndarray, min_expression: float, min_sample_fraction: float) -> np.ndarray:
    """Genes at or above `min_expression` in at least `min_sample_fraction` of samples."""
    return (values >= min_expression).mean(axis=1) >= min_sample_fraction
