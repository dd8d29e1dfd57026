"""Bring your own compendium: a genes × samples table with a sample sheet, or an .h5ad."""

from __future__ import annotations

import gzip
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.expression.sources import custom_source

SHEET = "sample\ttissue\tseries\nS2\tliver\tcohortA\nS1\tlung\tcohortB\n"


def test_a_gzipped_csv_with_a_sheet_becomes_a_source(tmp_path: Path) -> None:
    matrix = tmp_path / "tpm.csv.gz"
    with gzip.open(matrix, "wt") as handle:
        handle.write("gene,S1,S2,S3\nENSG1.2,0,3,1\nENSG2.1,1,1,1\n")
    (tmp_path / "sheet.tsv").write_text(SHEET)
    adata, qc = custom_source(matrix, tmp_path / "sheet.tsv", "tpm")
    assert adata.obs_names.tolist() == ["S2", "S1"]
    assert adata.obs.tissue.tolist() == ["liver", "lung"]
    np.testing.assert_allclose(adata.X, [[2.0, 1.0], [0.0, 1.0]])
    assert adata.var.source_gene_id.tolist() == ["ENSG1.2", "ENSG2.1"]
    assert qc.kept.all() and qc.genes_detected.tolist() == [2, 1]


def test_an_h5ad_needs_tissue_and_series(tmp_path: Path) -> None:
    obs = pd.DataFrame({"tissue": ["a", "b"], "series": ["x", "y"]}, index=["S1", "S2"])
    data = ad.AnnData(
        np.ones((2, 3), dtype=np.float32), obs=obs, var=pd.DataFrame(index=["E1", "E2", "E3"])
    )
    data.write_h5ad(tmp_path / "mine.h5ad")
    adata, _ = custom_source(tmp_path / "mine.h5ad", None, "log")
    assert adata.shape == (2, 3) and adata.obs.series.tolist() == ["x", "y"]
    data.obs = data.obs.drop(columns="series")
    data.write_h5ad(tmp_path / "bad.h5ad")
    with pytest.raises(InputError, match=r"bad\.h5ad.*missing column\(s\) series"):
        custom_source(tmp_path / "bad.h5ad", None, "log")


@pytest.mark.parametrize(
    ("matrix_text", "sheet_text", "message"),
    [
        ("gene\tS1\tS2\nE1\t1\tx\n", SHEET, r"line 2.*non-numeric value 'x' in sample column 'S2'"),
        (
            "gene\tS1\tS3\nE1\t1\t2\n",
            SHEET,
            r"sheet\.tsv.*1 sample\(s\) not in .*m\.tsv \(e\.g\. S2\)",
        ),
        ("gene\tS1\tS2\nE1\t1\t2\n", "sample\ttissue\nS1\tx\n", r"missing column\(s\) series"),
    ],
)
def test_bad_tables_are_named(
    tmp_path: Path, matrix_text: str, sheet_text: str, message: str
) -> None:
    (tmp_path / "m.tsv").write_text(matrix_text)
    (tmp_path / "sheet.tsv").write_text(sheet_text)
    with pytest.raises(InputError, match=message):
        custom_source(tmp_path / "m.tsv", tmp_path / "sheet.tsv", "log")
