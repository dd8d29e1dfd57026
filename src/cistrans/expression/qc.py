"""QC coordinates of the compendium: PCA and UMAP of the samples (scanpy's `tl` half; the
figure is drawn from the saved table by `cistrans.plots.expression_qc`)."""

from __future__ import annotations

import anndata as ad
import pandas as pd
import scanpy as sc

MAX_COMPONENTS = 30  # principal components kept for the neighbour graph


def embedding_coordinates(adata: ad.AnnData, seed: int) -> pd.DataFrame:
    """Per sample: sample_id, tissue, source, pca_1, pca_2, umap_1, umap_2.

    PCA on the compendium's log values (up to 30 components), the k-nearest-neighbour
    graph on them and UMAP, each seeded with `seed`.
    """
    adata = adata.copy()
    n_comps = min(MAX_COMPONENTS, adata.n_vars - 1, adata.n_obs - 1)
    sc.pp.pca(adata, n_comps=n_comps, random_state=seed)
    sc.pp.neighbors(adata, random_state=seed)
    sc.tl.umap(adata, random_state=seed)
    pca, umap = adata.obsm["X_pca"], adata.obsm["X_umap"]
    return pd.DataFrame(
        {
            "sample_id": adata.obs_names,
            "tissue": adata.obs.tissue.to_numpy(),
            "source": adata.obs.source.to_numpy(),
            "pca_1": pca[:, 0],
            "pca_2": pca[:, 1],
            "umap_1": umap[:, 0],
            "umap_2": umap[:, 1],
        }
    )
