"""Genes clustered on their contributions wₖ(x)·mₖ(x): scanpy neighbours, Leiden and UMAP;
expression compared across clusters (Kruskal–Wallis); per cluster, each motif classed as
activating or repressive from its contributions against the other clusters' genes
(two-sided Mann–Whitney U, Benjamini–Hochberg over every cluster × motif)."""

from __future__ import annotations

from typing import Any

import anndata as ad
import numpy as np
import pandas as pd
from scipy.stats import kruskal, mannwhitneyu
from statsmodels.stats.multitest import multipletests


def gathered_contributions(
    runs: dict[str, pd.DataFrame], labels: pd.DataFrame, matches: pd.DataFrame
) -> ad.AnnData:
    """One AnnData of the seeds' contributions.

    Parameters
    ----------
    runs
        run → contributions (genes, K) (index gene_id, columns the filters); the genes
        that every run has are kept.
    labels
        gene_id, split and label of the genes.
    matches
        Each filter's TOMTOM match (consensus, match_id, match_name, q_value), index
        `<run>.<filter>`.

    Returns
    -------
    ad.AnnData
        X (genes, runs × K) float32; obs (index gene_id): split, label; var (index
        `<run>.<filter>`): run, filter, consensus, match_id, match_name, q_value.
    """
    parts = [table.add_prefix(f"{run}.") for run, table in runs.items()]
    joined = pd.concat(parts, axis=1, join="inner")
    obs = labels.set_index("gene_id").reindex(joined.index)[["split", "label"]]
    var = pd.DataFrame(
        {
            "run": [name.split(".", 1)[0] for name in joined.columns],
            "filter": [name.split(".", 1)[1] for name in joined.columns],
        },
        index=joined.columns,
    ).join(matches[["consensus", "match_id", "match_name", "q_value"]])
    return ad.AnnData(X=joined.to_numpy(dtype=np.float32), obs=obs, var=var)


def cluster_genes(adata: ad.AnnData, settings: dict[str, Any], seed: int) -> pd.DataFrame:
    """Per gene: gene_id, split, label, cluster (Leiden on the scanpy neighbour graph of the
    contributions' principal components), umap_1, umap_2. The contributions are not
    rescaled: they share the label's units, and a filter that moves expression more
    should weigh more.

    The neighbours are exact (scikit-learn, brute force) at any number of genes. Below
    8,192 genes that is scanpy's own choice, so the clusters are the same as before;
    above, scanpy would switch to pynndescent, whose graph scanpy 1.11 cannot read
    with scipy ≥ 1.17's sparse arrays (`'csr_array' object has no attribute
    'getnnz'`).

    Parameters
    ----------
    adata
        The contributions (`gathered_contributions`; obs split and label); not modified.
    settings
        neighbours (the graph's number of neighbours) and resolution (Leiden's).
    seed
        Seeds the PCA, the neighbours, Leiden and UMAP.

    Returns
    -------
    pd.DataFrame
        One row per gene: gene_id, split, label, cluster (int), umap_1, umap_2.
    """
    import scanpy as sc

    work = adata.copy()
    components = min(30, work.n_vars - 1, work.n_obs - 1)
    sc.pp.pca(work, n_comps=components, random_state=seed)
    sc.pp.neighbors(
        work, n_neighbors=settings["neighbours"], random_state=seed, transformer="sklearn"
    )
    sc.tl.leiden(
        work,
        resolution=settings["resolution"],
        random_state=seed,
        flavor="igraph",
        n_iterations=2,
        directed=False,
    )
    sc.tl.umap(work, random_state=seed)
    return pd.DataFrame(
        {
            "gene_id": work.obs_names,
            "split": work.obs.split.to_numpy(),
            "label": work.obs.label.to_numpy(),
            "cluster": work.obs.leiden.astype(int).to_numpy(),
            "umap_1": work.obsm["X_umap"][:, 0],
            "umap_2": work.obsm["X_umap"][:, 1],
        }
    )


def cluster_expression(clusters: pd.DataFrame) -> pd.DataFrame:
    """Per cluster: genes, median / mean label; the Kruskal–Wallis H and p across clusters
    (the same on every row).

    Parameters
    ----------
    clusters
        One row per gene (`cluster_genes`; cluster and label read).

    Returns
    -------
    pd.DataFrame
        One row per cluster: cluster, genes, median_label, mean_label, kruskal_h,
        kruskal_p (NaN with a single cluster).
    """
    groups = [rows.label.to_numpy() for _, rows in clusters.groupby("cluster")]
    statistic, p = kruskal(*groups) if len(groups) > 1 else (np.nan, np.nan)
    table = clusters.groupby("cluster").label.agg(genes="size", median_label="median",
                                                 mean_label="mean")  # fmt: skip
    return table.reset_index().assign(kruskal_h=statistic, kruskal_p=p)


def motif_classes(adata: ad.AnnData, clusters: pd.DataFrame, fdr: float) -> pd.DataFrame:
    """Per cluster × motif: the median contribution in the cluster and in the other
    clusters, Mann–Whitney U p, BH q over all rows, and class: `activating` (higher and
    positive in the cluster), `repressive` (lower and negative), else `none`.

    Parameters
    ----------
    adata
        The contributions (`gathered_contributions`; var match_id, match_name, q_value).
    clusters
        One row per gene (`cluster_genes`; gene_id and cluster read).
    fdr
        The q below which a motif is classed.

    Returns
    -------
    pd.DataFrame
        One row per cluster × motif (each `<run>.<filter>` of adata's var): cluster,
        motif, median_in, median_out, p_value, q_value, class, match_id, match_name,
        match_q_value.
    """
    values = pd.DataFrame(adata.X, index=adata.obs_names, columns=adata.var_names)
    cluster_of = clusters.set_index("gene_id").cluster.reindex(values.index).to_numpy()
    rows = []
    for cluster in np.unique(cluster_of):
        inside = cluster_of == cluster
        for motif in values.columns:
            x, y = values[motif].to_numpy()[inside], values[motif].to_numpy()[~inside]
            p = mannwhitneyu(x, y).pvalue if len(y) and np.ptp(np.r_[x, y]) > 0 else 1.0
            rows.append(
                {
                    "cluster": int(cluster),
                    "motif": motif,
                    "median_in": float(np.median(x)),
                    "median_out": float(np.median(y)) if len(y) else np.nan,
                    "p_value": p,
                }
            )
    table = pd.DataFrame(rows)
    table["q_value"] = multipletests(table.p_value, method="fdr_bh")[1]
    higher = table.median_in > table.median_out
    significant = table.q_value < fdr
    table["class"] = np.select(
        [
            significant & higher & (table.median_in > 0),
            significant & ~higher & (table.median_in < 0),
        ],
        ["activating", "repressive"],
        "none",
    )
    var = adata.var[["match_id", "match_name", "q_value"]].rename(
        columns={"q_value": "match_q_value"}
    )
    return table.join(var, on="motif")
