"""Sample selection and QC: tissues, series, keywords, single-cell and shallow samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.expression.samples import select_archs4_samples, select_gtex_samples

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


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (MATRIX[:2], r"1 RNA-seq sample\(s\) in the attributes but not in the expression matrix"),
        (
            [*MATRIX, "GTEX-C3-0001-SM-9"],
            r"1 RNA-seq sample\(s\) in the expression matrix but not in",
        ),
    ],
)
def test_gtex_attributes_and_matrix_must_list_the_same_samples(
    matrix: list[str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        select_gtex_samples(ATTRIBUTES, matrix, [], "attrs.txt")


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
