"""Contextual regression on the demo world, against its truth (resources/demo/truth): the
planted cis motifs (genes.tsv: cis_role, motif_id; motifs.meme: their PWMs)."""

from __future__ import annotations

from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd

from cistrans.ctxreg.motifs import match_motifs
from cistrans.io.motifs import read_meme

CTXREG = Path("results") / "ctxreg"


def planted_cis_motifs(demo_workdir: Path) -> pd.DataFrame:
    """The motifs with a planted cis effect: motif_id, symbol, cis_role, cis_effect."""
    genes = pd.read_csv(demo_workdir / "resources/demo/truth/genes.tsv", sep="\t")
    planted = genes[genes.cis_role.isin(["activating", "repressive"])]
    return planted[["motif_id", "symbol", "cis_role", "cis_effect"]].reset_index(drop=True)


def test_contextual_regression_beats_its_control_beside_the_one_hot_cnn(
    demo_workdir: Path,
) -> None:
    """Measured (150 test genes, seeds 0 and 1, -650..+100): pearson_r2 MEASURED."""
    comparison = pd.read_csv(demo_workdir / "results/cis/comparison.tsv", sep="\t")
    comparison = comparison.set_index(["model", "features", "labels"])
    observed = comparison.loc[("ctxreg", "dna", "observed")]
    control = comparison.loc[("ctxreg", "dna", "permuted")]
    onehot = comparison.loc[("xpresso", "dna", "observed")]
    assert observed.n_runs == 2 and control.n_runs == 1
    assert observed.window == "-650..+100" and onehot.window == "-1000..+500"
    assert observed.pearson_r2_min > 0.2
    assert observed.pearson_r2_min > 5 * max(control.pearson_r2_max, 0.01)
    assert observed.r2_min > control.r2_max + 0.15


def test_the_learned_filters_find_the_planted_motifs_with_their_signs(
    demo_workdir: Path,
) -> None:
    """Measured: MEASURED."""
    planted = planted_cis_motifs(demo_workdir)
    matches = pd.read_csv(demo_workdir / CTXREG / "motifs/tomtom.tsv", sep="\t")
    own = set(matches.match_id[matches.q_value < 0.05]) & set(planted.motif_id)
    assert len(own) >= 1, own
    # each filter against the planted PWMs themselves: its nearest planted motif
    truth = {m.motif_id: m for m in read_meme(demo_workdir / "resources/demo/truth/motifs.meme")}
    filters = read_meme(demo_workdir / CTXREG / "motifs/filters.meme")
    nearest = match_motifs(filters, [truth[m] for m in planted.motif_id])
    found = nearest[nearest.p_value < 1e-4].set_index("motif")
    contributions = ad.read_h5ad(demo_workdir / CTXREG / "contributions.h5ad")
    mean = pd.Series(np.asarray(contributions.X).mean(axis=0), index=contributions.var_names)
    role = planted.set_index("motif_id").cis_role
    signs = pd.DataFrame({"role": role[found.match_id].to_numpy(),
                          "mean": mean[found.index].to_numpy()}, index=found.index)  # fmt: skip
    agree = (signs.role == "activating") == (signs["mean"] > 0)
    assert found.match_id.nunique() >= 4, found
    assert agree.mean() >= 0.8, signs
    repressive = signs[signs.role == "repressive"]
    assert len(repressive) >= 1 and (repressive["mean"] < 0).all(), signs


def test_genes_cluster_by_contributions_and_the_clusters_differ_in_expression(
    demo_workdir: Path,
) -> None:
    """Measured: MEASURED."""
    clusters = pd.read_csv(demo_workdir / CTXREG / "clusters/clusters.tsv", sep="\t")
    expression = pd.read_csv(demo_workdir / CTXREG / "clusters/expression.tsv", sep="\t")
    classes = pd.read_csv(demo_workdir / CTXREG / "clusters/motif_classes.tsv", sep="\t")
    contributions = ad.read_h5ad(demo_workdir / CTXREG / "contributions.h5ad")
    assert list(contributions.obs.columns[:2]) == ["split", "label"]
    assert {"match_id", "match_name", "q_value"} <= set(contributions.var.columns)
    assert len(clusters) == contributions.n_obs and clusters.cluster.nunique() >= 2
    assert expression.kruskal_p.iloc[0] < 1e-6
    assert (expression.median_label.max() - expression.median_label.min()) > 0.3
    assert {"activating", "repressive"} <= set(classes["class"])
    for figure in ("clusters/umap.png", "motifs/logos.png"):
        assert (demo_workdir / CTXREG / figure).stat().st_size > 20_000
