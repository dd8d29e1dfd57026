"""The compendium the workflow builds from the demo world (GTEx + ARCHS4)."""

from __future__ import annotations

import json
from pathlib import Path

import anndata as ad
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def compendium(demo_workdir: Path) -> ad.AnnData:
    return ad.read_h5ad(demo_workdir / "results" / "expression" / "compendium.h5ad")


def test_layout_follows_the_design(compendium: ad.AnnData) -> None:
    assert set(compendium.obs.columns) >= {"sample_id", "source", "tissue", "series", "split"}
    assert set(compendium.var.columns) >= {"gene_id", "symbol", "gene_type", "is_tf"}
    assert compendium.X.dtype == "float32"
    assert not compendium.var.gene_id.str.contains(r"\.").any()
    assert set(compendium.obs.source) == {"gtex", "archs4"}


def test_archs4_qc_drops_exactly_the_single_cell_and_shallow_samples(demo_workdir: Path) -> None:
    qc = pd.read_csv(
        demo_workdir / "results/expression/qc/archs4_samples.tsv", sep="\t", keep_default_na=False
    )
    kinds = (
        pd.read_csv(demo_workdir / "resources/demo/truth/samples.tsv", sep="\t")
        .set_index("sample_id")
        .kind
    )
    reason = qc.set_index("sample_id").reason
    expected = kinds[reason.index].map(
        {"bulk": "", "single_cell": "single-cell-like", "low_depth": "too few reads"}
    )
    assert (reason == expected).all()
    assert (reason != "").sum() > 20


def test_genes_are_coding_and_the_world_tfs_are_marked(
    demo_workdir: Path, compendium: ad.AnnData
) -> None:
    truth = pd.read_csv(demo_workdir / "resources/demo/truth/genes.tsv", sep="\t")
    lncrna = set(truth.gene_id[truth.gene_type == "lncRNA"])
    assert len(lncrna) > 30 and not lncrna & set(compendium.var_names)
    world_tfs = set(truth.gene_id[truth.is_tf])
    marked = set(compendium.var_names[compendium.var.is_tf])
    assert marked <= world_tfs and len(marked) >= 0.95 * len(world_tfs)
    counts = json.loads((demo_workdir / "results/expression/qc/tfs_found.json").read_text())
    assert counts["not_found"] >= 15  # the listed TFs the world lacks
    assert counts["found_by_id"] == len(marked)


def test_splits_keep_each_series_on_one_side(compendium: ad.AnnData) -> None:
    obs = compendium.obs
    assert obs.groupby("series", observed=True).split.nunique().max() == 1
    shares = obs.split.value_counts(normalize=True)
    assert 0.05 < shares["test"] < 0.2 and 0.05 < shares["validation"] < 0.2


def test_qc_outputs_exist(demo_workdir: Path) -> None:
    qc = demo_workdir / "results" / "expression" / "qc"
    summary = pd.read_csv(qc / "summary.tsv", sep="\t")
    assert summary.step.iloc[0] == "read gtex" and summary.samples.iloc[0] == 1200
    for figure in ("embedding.png", "sample_qc.png"):
        assert (qc / figure).stat().st_size > 20_000
