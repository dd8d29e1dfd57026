"""Genes clustered on their contributions at any number of genes: at 8,192 and above
scanpy's own neighbour search would switch to pynndescent, which crashed this scanpy."""

from __future__ import annotations

from functools import partial

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from cistrans.ctxreg.clusters import cluster_genes


def blobs(n: int, groups: int = 4) -> tuple[ad.AnnData, np.ndarray]:
    """`n` genes × 12 contributions in `groups` well-apart blobs; returns the blob of each."""
    rng = np.random.default_rng(0)
    group = np.arange(n) % groups
    centres = rng.normal(0, 5, (groups, 12))
    x = centres[group] + rng.normal(0, 0.3, (n, 12))
    obs = pd.DataFrame({"split": "train", "label": x[:, 0]}, index=[f"g{i}" for i in range(n)])
    return ad.AnnData(X=x.astype(np.float32), obs=obs), group


@pytest.mark.parametrize("n", [8192, 9000])
def test_genes_cluster_at_8192_and_more(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cluster holds genes of one blob. UMAP runs 5 epochs, not its 500, to keep the
    test short (the embedding is not what is tested)."""
    import scanpy as sc

    monkeypatch.setattr(sc.tl, "umap", partial(sc.tl.umap, maxiter=5))
    adata, group = blobs(n)
    clusters = cluster_genes(adata, {"neighbours": 15, "resolution": 0.5}, seed=0)
    assert len(clusters) == n and list(clusters.gene_id) == list(adata.obs_names)
    assert np.isfinite(clusters[["umap_1", "umap_2"]].to_numpy()).all()
    blobs_per_cluster = pd.Series(group).groupby(clusters.cluster.to_numpy()).nunique()
    assert (blobs_per_cluster == 1).all() and clusters.cluster.nunique() >= 4
