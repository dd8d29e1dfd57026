"""TF features for the cis models, from the trans side: each gene's light-up scores from the
core TFs that the pruning sweep keeps. A light-up score is a difference of two predictions
(TF raised minus TF lowered), so the gene's own mean level cancels and the feature says how
the gene listens to the TF, not how high it is. Genes the trans model does not predict (the
TFs themselves, genes outside the compendium) get zeros and an indicator."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

MISSING = "not_predicted"
"""The indicator column: 1 where the trans model gives the gene no light-up scores."""


def tf_features(
    scores: pd.DataFrame, core_tfs: Sequence[str], gene_ids: Sequence[str]
) -> pd.DataFrame:
    """Each gene's light-up scores from the core TFs, zeros and the MISSING indicator where
    the trans model gives none.

    Parameters
    ----------
    scores
        The light-up matrix: index TF ids, columns target ids.
    core_tfs
        TF ids in core rank order.
    gene_ids
        The genes of the rows.

    Returns
    -------
    pd.DataFrame
        (genes, len(core_tfs) + 1): index gene_id, one column per core TF (named by its id)
        and the MISSING indicator (1.0 where the gene has no scores).

    Raises
    ------
    ValueError
        When a core TF has no light-up scores.
    """
    missing = [tf for tf in core_tfs if tf not in scores.index]
    if missing:
        raise ValueError(f"core TFs without light-up scores: {', '.join(missing[:5])}")
    features = scores.loc[list(core_tfs)].T.reindex(pd.Index(list(gene_ids), name="gene_id"))
    indicator = features.isna().all(axis=1).astype(float)
    features = features.fillna(0.0)
    features[MISSING] = indicator
    return features
