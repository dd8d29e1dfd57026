"""Sample selection and QC: tissues, series, keywords, single-cell and shallow samples."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.expression.samples import (
    NO_ATTRIBUTES,
    select_archs4_samples,
    select_gtex_samples,
)
from cistrans.expression.sources import gtex_source
from cistrans.io.gtex import SAMPLE_ATTRIBUTE_COLUMNS

ATTRIBUTES = pd.DataFrame(
    {
        "SAMPID": [
            "GTEX-A1-0001-SM-1",
            "GTEX-A1-0002-SM-2",
            "GTEX-B2-0001-SM-3",
            "GTEX-A1-0004-SM-W",
        ],
        "SMTS": ["Liver", "Brain", "Liver", "Blood"],
        "SMTSD": ["Liver", "Brain - Cortex", "Liver", "Whole Blood"],
        "SMAFRZE": ["RNASEQ", "RNASEQ", "RNASEQ", "WGS"],
    }
)
MATRIX = ["GTEX-B2-0001-SM-3", "GTEX-A1-0001-SM-1", "GTEX-A1-0002-SM-2"]


def test_gtex_selection_by_either_tissue_name_in_matrix_order() -> None:
    obs, qc = select_gtex_samples(ATTRIBUTES, MATRIX, ["brain - cortex", "Liver"], "attrs.txt")
    assert obs.sample_id.tolist() == MATRIX
    assert obs.series.tolist() == ["GTEX-B2", "GTEX-A1", "GTEX-A1"]
    only_liver, qc = select_gtex_samples(ATTRIBUTES, MATRIX, ["Liver"], "attrs.txt")
    assert only_liver.sample_id.tolist() == MATRIX[:2]
    assert qc.reason.tolist() == ["", "", "tissue not selected"]


def test_gtex_unknown_tissue_lists_the_available_ones() -> None:
    with pytest.raises(InputError, match=r"'Lvier' matches no GTEx sample.*Brain - Cortex, Liver"):
        select_gtex_samples(ATTRIBUTES, MATRIX, ["Lvier"], "attrs.txt")


def test_gtex_attributes_and_matrix_are_matched_by_intersection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    matrix = ["GTEX-C3-0001-SM-9", *MATRIX[:2]]  # one column without attributes, one missing
    with caplog.at_level(logging.INFO, logger="cistrans"):
        obs, qc = select_gtex_samples(ATTRIBUTES, matrix, [], "attrs.txt", "tpm.gct")
    assert obs.sample_id.tolist() == MATRIX[:2]
    assert qc.sample_id.tolist() == matrix
    assert qc.kept.tolist() == [False, True, True]
    assert qc.reason.tolist() == [NO_ATTRIBUTES, "", ""]
    assert qc.loc[0, ["tissue", "series"]].tolist() == ["", ""]
    assert (
        "3 RNA-seq samples in the attributes (attrs.txt), 3 columns in the matrix (tpm.gct); "
        "2 matched, 1 only in the attributes"
    ) in caplog.text
    assert "1 only in the matrix" in caplog.text
    assert "1 matrix column(s) of tpm.gct have no RNA-seq sample attributes" in caplog.text


def test_gtex_attributes_and_matrix_without_a_common_sample_name_both_files() -> None:
    with pytest.raises(
        InputError,
        match=r"attrs\.txt: none of its 3 RNA-seq samples is one of the 1 sample columns of "
        r"tpm\.gct \(attributes e\.g\. GTEX-A1-0001-SM-1, .*; matrix e\.g\. GTEX-C3-0001-SM-9\)\. "
        r"Fix: use the sample attributes of the same GTEx release as tpm\.gct",
    ):
        select_gtex_samples(ATTRIBUTES, ["GTEX-C3-0001-SM-9"], [], "attrs.txt", "tpm.gct")


def archs4_samples() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "geo_accession": [f"GSM{i}" for i in range(6)],
            "series_id": ["GSE1", "GSE1", "GSE2", "GSE2", "GSE3", "GSE3"],
            "source_name_ch1": [
                "Liver tissue",
                "liver",
                "lung",
                "Liver biopsy",
                "liver",
                "normal lung",
            ],
            "characteristics_ch1": ["tissue: liver", "", "", "", "", ""],
            "title": ["s"] * 6,
            "singlecellprobability": [0.01, 0.02, 0.9, 0.03, 0.01, 0.02],
            "reads_aligned": [2e7, 3e7, 1e7, 4e4, 2e7, 2e7],
        }
    )


def test_archs4_keywords_label_tissues_and_qc_drops_with_reasons() -> None:
    obs, qc = select_archs4_samples(archs4_samples(), ["liver", "lung"], [], 0.5, 1e6)
    assert obs.sample_id.tolist() == ["GSM0", "GSM1", "GSM4", "GSM5"]
    assert obs.tissue.tolist() == ["liver", "liver", "liver", "lung"]
    assert qc.reason.tolist() == ["", "", "single-cell-like", "too few reads", "", ""]
    by_series, _ = select_archs4_samples(archs4_samples(), [], ["GSE3"], 0.5, 1e6)
    assert by_series.sample_id.tolist() == ["GSM4", "GSM5"]
    assert by_series.tissue.tolist() == ["liver", "normal lung"]


@pytest.mark.parametrize(
    ("tissues", "series", "message"),
    [
        (["kidney"], [], r"'kidney' matches no ARCHS4 sample.*Liver tissue"),
        ([], ["GSE9"], r"series GSE9 not in the ARCHS4 file"),
        (["lung"], ["GSE2"], r"no ARCHS4 sample passes"),
    ],
)
def test_archs4_selections_that_match_nothing_are_errors(
    tissues: list[str], series: list[str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        select_archs4_samples(archs4_samples(), tissues, series, 0.5, 1e6)


def test_archs4_qc_table_keeps_matrix_columns() -> None:
    _, qc = select_archs4_samples(archs4_samples(), [], [], 0.5, 1e6)
    assert qc["index"].tolist() == list(range(6))
    assert np.array_equal(qc.kept.to_numpy(), [True, True, False, False, True, True])


def _attribute_row(sample: str, fields: dict[int, str]) -> str:
    """One SampleAttributesDS line: 63 tab-separated cells, those of `fields` filled."""
    cells = [""] * len(SAMPLE_ATTRIBUTE_COLUMNS)
    cells[0] = sample
    for position, value in fields.items():
        cells[position] = value
    return "\t".join(cells) + "\n"


def test_gtex_source_reads_a_gct_that_leaves_out_attribute_samples(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """v10's shape: the attributes list DNA, laser-capture and RNA-seq samples; the gene TPM
    GCT has the RNA-seq ones but not the laser-capture one, plus a column of no attributes."""
    smafrze = SAMPLE_ATTRIBUTE_COLUMNS.index("SMAFRZE")
    note = '"2 pieces, ~15% vessel stroma, rep delineated"'
    adipose = {2: "B1", 3: note, 4: "6.8", 5: "Adipose Tissue", 6: "Adipose - Subcutaneous",
               7: "0002190", smafrze: "RNASEQ"}  # fmt: skip
    muscle = {2: "B1", 4: "7.9", 5: "Muscle", 6: "Muscle - Skeletal", 7: "0011907",
              smafrze: "RNASEQ"}  # fmt: skip
    attributes = tmp_path / "GTEx_Analysis_v10_Annotations_SampleAttributesDS.txt"
    attributes.write_text(
        "\t".join(SAMPLE_ATTRIBUTE_COLUMNS) + "\n"
        + _attribute_row("GTEX-1117F-0003-SM-58Q7G", {2: "B1", 5: "Blood", 6: "Whole Blood",
                                                      smafrze: "WES"})
        + _attribute_row("GTEX-1117F-0226-SM-5GZZ7", adipose)
        + _attribute_row("GTEX-1117F-0426-SM-5EGHI", muscle)
        + _attribute_row("GTEX-111CU-0226-SM-5GZXC", adipose)
        + _attribute_row("GTEX-1117F-0526-SM-CYKQ8", adipose)  # laser capture: not in the GCT
    )  # fmt: skip
    gct = tmp_path / "GTEx_Analysis_v10_RNASeQCv2.4.2_gene_tpm.gct.gz"
    gct.write_bytes(
        gzip.compress(
            b"#1.2\n3\t4\n"
            b"Name\tDescription\tGTEX-1117F-0226-SM-5GZZ7\tGTEX-1117F-0426-SM-5EGHI\t"
            b"GTEX-ZZZZZ-0001-SM-00000\tGTEX-111CU-0226-SM-5GZXC\n"
            b"ENSG00000223972.5\tDDX11L1\t0\t0.04\t0\t0.1\n"
            b"ENSG00000227232.5\tWASH7P\t18.4\t3.1\t9\t12\n"
            b"ENSG00000243485.5\tMIR1302-2HG\t0\t0\t0\t0.03\n"
        )
    )
    with caplog.at_level(logging.INFO, logger="cistrans"):
        adata, qc = gtex_source(gct, attributes, [])
    assert adata.obs_names.tolist() == [
        "GTEX-1117F-0226-SM-5GZZ7", "GTEX-1117F-0426-SM-5EGHI", "GTEX-111CU-0226-SM-5GZXC",
    ]  # fmt: skip
    assert adata.obs.tissue.tolist() == ["Adipose Tissue", "Muscle", "Adipose Tissue"]
    assert adata.obs.series.tolist() == ["GTEX-1117F", "GTEX-1117F", "GTEX-111CU"]
    np.testing.assert_allclose(adata.X[:, 1], np.log2([19.4, 4.1, 13.0]), rtol=1e-6)
    assert qc.sample_id.tolist()[2] == "GTEX-ZZZZZ-0001-SM-00000"
    assert qc.reason.tolist() == ["", "", NO_ATTRIBUTES, ""]
    assert np.isnan(qc.genes_detected[2]) and qc.genes_detected.tolist()[:2] == [1, 2]
    assert (
        f"4 RNA-seq samples in the attributes ({attributes}), 4 columns in the matrix ({gct}); "
        "3 matched, 1 only in the attributes (e.g. laser-capture samples the gene TPM leaves "
        "out), 1 only in the matrix"
    ) in caplog.text
