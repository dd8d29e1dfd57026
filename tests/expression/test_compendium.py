"""Joining sources into the compendium: shared genes, annotation, filters, TFs, splits."""

from __future__ import annotations

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.expression.compendium import build_compendium

ANNOTATION = pd.DataFrame(
    {"symbol": ["TF1", "TF2", "G1", "G2", "L1"], "gene_type": ["protein_coding"] * 4 + ["lncRNA"]},
    index=pd.Index(["E1", "E2", "E3", "E4", "E5"], name="gene_id"),
)
TF_LIST = pd.DataFrame({"gene_id": ["E1", ""], "symbol": ["TF1", "TF2"]})


def source(name: str, gene_ids: list[str], n: int, level: float, seed: int) -> ad.AnnData:
    rng = np.random.default_rng(seed)
    values = rng.normal(level, 0.5, size=(n, len(gene_ids))).astype(np.float32)
    obs = pd.DataFrame(
        {
            "sample_id": [f"{name}{i}" for i in range(n)],
            "source": name,
            "tissue": "liver",
            "series": [f"{name}-s{i % 10}" for i in range(n)],
        }
    )
    obs.index = obs.sample_id.to_numpy()
    var = pd.DataFrame(
        {"source_gene_id": gene_ids, "symbol": ["?"] * len(gene_ids)}, index=gene_ids
    )
    return ad.AnnData(values, obs=obs, var=var)


def build(**changes: object) -> object:
    settings = {
        "gene_types": ["protein_coding"], "min_expression": 1.0, "min_sample_fraction": 0.5,
        "split": {"mode": "series", "validation_fraction": 0.1, "test_fraction": 0.2, "seed": 0},
    } | changes  # fmt: skip
    gtex = source("gtex", ["E1.3", "E2.1", "E3.7", "E4.1", "E5.2", "E6.1", "E3.8"], 60, 3.0, 1)
    archs4 = source("archs4", ["E2", "E1", "E3", "E4", "E5", "E7"], 40, 3.0, 2)
    gtex.X[:, 3] = 0.0  # E4 is never expressed in GTEx
    return build_compendium([gtex, archs4], ANNOTATION, TF_LIST, **settings)


def test_the_compendium_joins_annotates_filters_and_splits() -> None:
    result = build()
    adata = result.adata
    assert adata.n_obs == 100
    assert list(adata.var_names) == ["E1", "E2", "E3"]  # shared, coding, expressed
    assert adata.var.symbol.tolist() == ["TF1", "TF2", "G1"]
    assert adata.var.is_tf.tolist() == [True, True, False]
    assert result.tf_counts == {
        "listed": 2, "found_by_id": 1, "found_by_symbol": 1, "not_found": 0, "not_found_tfs": [],
    }  # fmt: skip
    assert set(adata.obs.columns) >= {"sample_id", "source", "tissue", "series", "split"}
    assert adata.obs.groupby("series").split.nunique().max() == 1
    assert adata.X.dtype == np.float32
    assert result.duplicates.dropped_id.tolist() in (["E3.7"], ["E3.8"])
    assert result.summary.genes.tolist() == [6, 6, 5, 4, 3, 2]


def test_all_gene_types_kept_when_none_are_named() -> None:
    adata = build(gene_types=[], min_expression=0.0, min_sample_fraction=0.0).adata
    assert set(adata.var_names) == {"E1", "E2", "E3", "E4", "E5"}


def test_filters_that_leave_no_gene_are_an_error() -> None:
    with pytest.raises(InputError, match=r"no gene is expressed at >= 100.0 .*lower expression"):
        build(min_expression=100.0)
    with pytest.raises(InputError, match=r"none of the 5 genes found in the annotation is of type "
                       r"snRNA\. Fix: widen expression.gene_types"):  # fmt: skip
        build(gene_types=["snRNA"])


ENSEMBL = pd.DataFrame(
    {
        "symbol": ["GATA1", "SPI1", "ALB", "APOA1", "TWIN", "TWIN"],
        "gene_type": ["protein_coding"] * 4 + ["lncRNA", "lncRNA"],
    },
    index=pd.Index([f"ENSG0000000000{i}" for i in range(1, 7)], name="gene_id"),
)


def custom(gene_ids: list[str], n: int = 40) -> ad.AnnData:
    adata = source("custom", gene_ids, n, 3.0, 3)
    adata.var["symbol"] = gene_ids
    return adata


SETTINGS = {
    "tf_list": pd.DataFrame({"gene_id": ["", ""], "symbol": ["GATA1", "SPI1"]}),
    "min_expression": 1.0,
    "min_sample_fraction": 0.5,
    "split": {"mode": "random", "validation_fraction": 0.2, "test_fraction": 0.2, "seed": 0},
}


@pytest.mark.parametrize("declared", ["auto", "symbol"])
def test_a_symbol_keyed_matrix_is_matched_to_the_gtf_by_gene_name(declared: str) -> None:
    matrix = custom(["GATA1", "SPI1", "ALB", "APOA1", "NOVEL1"])
    result = build_compendium(
        [matrix], ENSEMBL, gene_types=["protein_coding"], custom_gene_ids=declared, **SETTINGS
    )
    adata = result.adata
    assert list(adata.var_names) == [f"ENSG0000000000{i}" for i in range(1, 5)]
    assert adata.var.symbol.tolist() == ["GATA1", "SPI1", "ALB", "APOA1"]
    assert adata.var.is_tf.tolist() == [True, True, False, False]


def test_without_a_gtf_symbols_stay_and_the_type_filter_is_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    matrix = custom(["GATA1", "SPI1", "ALB", "NOVEL1"])
    result = build_compendium([matrix], None, gene_types=["protein_coding"], **SETTINGS)
    assert list(result.adata.var_names) == ["GATA1", "SPI1", "ALB", "NOVEL1"]
    assert result.adata.var.is_tf.tolist() == [True, True, False, False]
    assert "gene type filter (protein_coding) is skipped" in caplog.text


def test_versioned_ensembl_ids_are_detected_and_stripped() -> None:
    matrix = custom(["ENSG00000000001.4", "ENSG00000000002.1", "ENSG00000000003.9"])
    result = build_compendium([matrix], ENSEMBL, gene_types=[], **SETTINGS)
    assert list(result.adata.var.symbol) == ["GATA1", "SPI1", "ALB"]


def test_ids_read_as_the_wrong_kind_name_both_counts_and_the_key() -> None:
    matrix = custom(["GATA1", "SPI1", "ALB", "APOA1"])
    with pytest.raises(
        InputError,
        match=r"expression source 'custom': 0 of 4 genes match the annotation by ID; 4 match "
        r"by symbol \(read as ensembl\)\. Fix: set expression.custom_gene_ids: symbol",
    ):
        build_compendium([matrix], ENSEMBL, gene_types=[], custom_gene_ids="ensembl", **SETTINGS)


def test_ids_missing_from_the_gtf_say_so_rather_than_blame_the_types() -> None:
    matrix = custom(["ENSG00000099991", "ENSG00000099992"])
    with pytest.raises(InputError, match=r"none of the 2 genes is in the annotation GTF"):
        build_compendium([matrix], ENSEMBL, gene_types=["protein_coding"], **SETTINGS)
