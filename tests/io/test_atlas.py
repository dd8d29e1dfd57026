"""Tests of cistrans.io.atlas: Expression Atlas analytics tables and configuration XML."""

from __future__ import annotations

import gzip
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.atlas import (
    check_atlas_files,
    list_atlas_contrasts,
    read_atlas_analytics,
    read_atlas_configuration,
    write_atlas_analytics,
    write_atlas_configuration,
)

MICROARRAY = (
    "Gene ID\tGene Name\tDesign Element\tg2_g1.p-value\tg2_g1.t-statistic\tg2_g1.log2foldchange"
    "\tg3_g1.p-value\tg3_g1.t-statistic\tg3_g1.log2foldchange\n"
    "GENE1\tA\tp1\tNA\t0.5\t0.1\t0.2\t1\t0.3\n"
    "GENE1\tA\tp2\t0.04\t2.1\t1.2\t0.9\t1\t0.3\n"
    "GENE1\tA\tp3\t0.04\t2.2\t1.5\t0.9\t1\t0.3\n"
    "GENE2\t\tp4\tNA\t-0.5\t-0.1\t0.5\t1\t0.3\n"
    "GENE2\t\tp5\tNA\t-0.7\t-0.4\t0.5\t1\t0.3\n"
    "\tX\tp6\t0.001\t3\t2\t0.5\t1\t0.3\n"
)
RNASEQ_HEADER = "Gene ID\tGene Name\tg2_g1.p-value\tg2_g1.log2foldchange\n"


def _analytics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gene_id": ["ENSG00000000003", "ENSG00000000005", "ENSG00000000419"],
            "gene_name": ["TSPAN6", "", None],
            "p_value": [0.703587985794031, math.nan, 1.2345678901234567e-12],
            "log2fc": [-0.04, 1.0, -2.26],
        }
    )


def _contrasts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contrast_id": ["g2_g1", "g10_g1"],
            "name": ["'Alzheimer's & co' vs 'normal'", "'treated' vs 'normal'"],
            "reference_group": ["g2", "g10"],
            "test_group": ["g1", "g1"],
            "test_label": ["Alzheimer's & co", "Alzheimer's & co"],
        }
    )


def test_analytics_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "E-TEST-1-analytics.tsv"
    write_atlas_analytics(path, _analytics(), "g2_g1")
    assert path.read_text().splitlines() == [
        "Gene ID\tGene Name\tg2_g1.p-value\tg2_g1.log2foldchange",
        "ENSG00000000003\tTSPAN6\t0.703587985794031\t0",
        "ENSG00000000005\t\tNA\t1",
        "ENSG00000000419\t\t1.23456789012346e-12\t-2.3",
    ]
    table = read_atlas_analytics(path, "g2_g1")
    assert table.columns.tolist() == ["gene_id", "gene_name", "log2fc", "p_value"]
    assert table["gene_name"].tolist() == ["TSPAN6", "", ""]
    assert table["log2fc"].tolist() == [0.0, 1.0, -2.3]
    assert table["p_value"].iloc[0] == 0.703587985794031
    assert math.isnan(table["p_value"].iloc[1])
    assert list_atlas_contrasts(path) == ["g2_g1"]


def test_microarray_keeps_best_probe_per_gene(tmp_path: Path) -> None:
    path = tmp_path / "E-TEST-2_A-AFFY-1-analytics.tsv.gz"
    path.write_bytes(gzip.compress(MICROARRAY.encode()))
    assert list_atlas_contrasts(path) == ["g2_g1", "g3_g1"]
    table = read_atlas_analytics(path, "g2_g1")
    assert table["gene_id"].tolist() == ["GENE1", "GENE2"]
    assert table["log2fc"].tolist() == [1.2, -0.1]  # smallest p (tie: first); all NA: first
    assert table["gene_name"].tolist() == ["A", ""]
    assert read_atlas_analytics(path, "g3_g1")["p_value"].tolist() == [0.2, 0.5]


@pytest.mark.parametrize(
    ("name", "text", "contrast", "pattern"),
    [
        pytest.param(
            "chip-analytics.tsv",
            MICROARRAY,
            "g1_g2",
            r"chip-analytics\.tsv \(line 1\): contrast 'g1_g2' is not in the file; it has "
            r"g2_g1, g3_g1\. Fix: choose one of g2_g1, g3_g1",
            id="unknown contrast lists available",
        ),
        pytest.param(
            "noid-analytics.tsv",
            "Gene\tg2_g1.p-value\tg2_g1.log2foldchange\nA\t0.1\t1\n",
            "g2_g1",
            r"noid-analytics\.tsv \(line 1\): no `Gene ID` column.*Fix: use an Expression Atlas",
            id="missing Gene ID column",
        ),
        pytest.param(
            "text-analytics.tsv",
            RNASEQ_HEADER + "A\t\t0.1\t1\nB\t\t0.2\thigh\n",
            "g2_g1",
            r"text-analytics\.tsv \(line 3, column g2_g1\.log2foldchange\): "
            r"'high' is not a number\. Fix: give numbers or NA",
            id="non-numeric value names line and column",
        ),
        pytest.param(
            "ragged-analytics.tsv",
            RNASEQ_HEADER + "A\t\t0.1\n",
            "g2_g1",
            r"ragged-analytics\.tsv \(line 2\): 3 tab-separated fields where the header has 4\. "
            r"Fix: download the file again",
            id="row with too few fields",
        ),
        pytest.param(
            "counts.tsv",
            "Gene ID\tGene Name\tSRR1\nA\t\t5\n",
            None,
            r"counts\.tsv \(line 1\): the header names no .*Fix: use an Expression Atlas",
            id="no contrast columns",
        ),
    ],
)
def test_malformed_analytics_name_file_and_line(
    write_text: Callable[[str, str], Path], name: str, text: str, contrast: str | None, pattern: str
) -> None:
    """`contrast` None lists the contrasts; otherwise that contrast is read."""
    path = write_text(name, text)
    with pytest.raises(InputError, match=pattern):
        if contrast is None:
            list_atlas_contrasts(path)
        else:
            read_atlas_analytics(path, contrast)


def test_configuration_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "E-TEST-1-configuration.xml"
    write_atlas_configuration(path, _contrasts())
    table = read_atlas_configuration(path)
    pd.testing.assert_frame_equal(table, _contrasts().drop(columns="test_label"))
    root = ET.parse(path).getroot()
    assert root.get("experimentType") == "rnaseq_mrna_differential"
    groups = [(group.get("id"), group.get("label")) for group in root.iter("assay_group")]
    assert groups == [("g1", "Alzheimer's & co"), ("g2", "g2"), ("g10", "g10")]
    text = path.read_text()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n\n<configuration ')
    assert '\n            <contrast id="g2_g1">\n                <name>' in text
    write_atlas_configuration(tmp_path / "again.xml", _contrasts())
    assert (tmp_path / "again.xml").read_bytes() == path.read_bytes()


def test_configuration_conflicting_labels(tmp_path: Path) -> None:
    contrasts = _contrasts().assign(test_label=["treated", "other"])
    with pytest.raises(
        InputError, match=r"contrasts: assay group 'g1' has two labels.*Fix: give each"
    ):
        write_atlas_configuration(tmp_path / "c.xml", contrasts)


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        (
            "broken-configuration.xml",
            "<configuration>\n<analytics>\n</configuration>\n",
            r"broken-configuration\.xml \(line 3, column 2\): not well-formed XML.*"
            r"Fix: use the experiment",
        ),
        (
            "baseline-configuration.xml",
            '<configuration experimentType="rnaseq_mrna_baseline"><analytics/></configuration>',
            r"baseline-configuration\.xml: no <contrast> element found\. Fix",
        ),
        (
            "partial-configuration.xml",
            '<configuration><contrasts><contrast id="g2_g1"><name>x</name></contrast></contrasts>'
            "</configuration>",
            r"partial-configuration\.xml: contrast 'g2_g1' lacks",
        ),
    ],
)
def test_configuration_errors(
    write_text: Callable[[str, str], Path], name: str, text: str, pattern: str
) -> None:
    path = write_text(name, text)
    with pytest.raises(InputError, match=pattern):
        read_atlas_configuration(path)


def test_real_rnaseq_analytics(real: Path) -> None:
    path = real / "atlas" / "E-GEOD-54153-analytics.head200.tsv"
    assert list_atlas_contrasts(path) == ["g2_g1"]
    table = read_atlas_analytics(path, "g2_g1")
    assert len(table) == 200
    assert table.iloc[1].tolist() == ["POPTR_0001s00210", "", -0.2, 0.703587985794031]
    assert table["p_value"].isna().sum() == 84
    assert (table["gene_name"] == "").any()
    assert table["log2fc"].notna().all()


def test_real_rnaseq_rewrites_byte_identical(real: Path, tmp_path: Path) -> None:
    source = real / "atlas" / "E-GEOD-54153-analytics.head200.tsv"
    copy = tmp_path / "copy.tsv"
    write_atlas_analytics(copy, read_atlas_analytics(source, "g2_g1"), "g2_g1")
    assert copy.read_bytes() == source.read_bytes()


def test_real_microarray_collapses_probes(real: Path) -> None:
    table = read_atlas_analytics(
        real / "atlas" / "E-GEOD-12685_A-AFFY-33-analytics.head200.tsv", "g2_g1"
    )
    assert len(table) == 111
    assert not table["gene_id"].duplicated().any()
    assert table.iloc[0].tolist()[:3] == ["ENSG00000000003", "TSPAN6", -0.1]
    mycbp2 = table.set_index("gene_id").loc["ENSG00000005810"]
    assert (mycbp2["log2fc"], mycbp2["p_value"]) == (1.3, 0.28004707931586)


def test_real_microarray_seven_contrasts(real: Path) -> None:
    path = real / "atlas" / "E-GEOD-34130_A-AFFY-2-analytics.head40.tsv"
    contrasts = list_atlas_contrasts(path)
    assert len(contrasts) == 7
    assert contrasts[0] == "g10_g4" and contrasts[-1] == "g9_g3"
    table = read_atlas_analytics(path, "g10_g4")
    assert len(table) == 39
    at1g01320 = table.set_index("gene_id").loc["AT1G01320"]
    assert at1g01320["p_value"] == 0.950154419271939  # the second of its two probe sets


def test_real_configurations(real: Path) -> None:
    rnaseq = read_atlas_configuration(real / "atlas" / "E-GEOD-54153-configuration.xml")
    assert rnaseq.to_dict("records") == [
        {
            "contrast_id": "g2_g1",
            "name": "'Ptr-MIR397a overexpression' vs 'wild type'",
            "reference_group": "g2",
            "test_group": "g1",
        }
    ]
    microarray = read_atlas_configuration(real / "atlas" / "E-GEOD-12685-configuration.xml")
    assert microarray[["contrast_id", "reference_group", "test_group"]].values.tolist() == [
        ["g2_g1", "g2", "g1"]
    ]
    assert microarray["name"].iloc[0] == "'Alzheimers disease' vs 'normal'"


def _without_column(text: str, column: str) -> str:
    """`text` (a tab-separated table) without the column named `column`."""
    rows = [line.split("\t") for line in text.splitlines()]
    drop = rows[0].index(column)
    return "".join("\t".join(row[:drop] + row[drop + 1 :]) + "\n" for row in rows)


@pytest.mark.parametrize(
    ("dropped", "kept"),
    [("g2_g1.log2foldchange", "g2_g1.p-value"), ("g2_g1.p-value", "g2_g1.log2foldchange")],
)
def test_a_contrast_missing_one_of_its_columns_names_it_and_says_the_file_is_incomplete(
    write_text: Callable[[str, str], Path], dropped: str, kept: str
) -> None:
    """Not "contrast 'g2_g1' is not in the file; it has g2_g1": the contrast is there, one of
    its two columns is not, so the file is cut short and is downloaded again."""
    path = write_text("E-GEOD-12685_A-AFFY-33-analytics.tsv", _without_column(MICROARRAY, dropped))
    with pytest.raises(InputError) as caught:
        read_atlas_analytics(path, "g2_g1")
    assert str(caught.value) == (
        f"{path} (line 1): contrast 'g2_g1' has a `{kept}` column but no `{dropped}` column: the "
        "file is incomplete. Fix: download the experiment's analytics from Expression Atlas "
        "again (each contrast has a .p-value and a .log2foldchange column)"
    )
    assert read_atlas_analytics(path, "g3_g1").shape == (2, 4)  # the complete contrast reads


def test_a_real_file_cut_short_names_the_missing_column(
    real: Path, write_text: Callable[[str, str], Path]
) -> None:
    text = (real / "atlas" / "E-GEOD-54153-analytics.head200.tsv").read_text()
    path = write_text("E-GEOD-54153-analytics.tsv", _without_column(text, "g2_g1.log2foldchange"))
    with pytest.raises(InputError, match=r"E-GEOD-54153-analytics\.tsv \(line 1\): contrast "
                       r"'g2_g1' has a `g2_g1\.p-value` column but no `g2_g1\.log2foldchange` "
                       r"column: the file is incomplete\. Fix: download"):  # fmt: skip
        read_atlas_analytics(path, "g2_g1")
    with pytest.raises(InputError, match=r"contrast 'g1_g2' is not in the file; it has g2_g1\. "
                       r"Fix: choose one of g2_g1 as the disease sheet's contrast_id"):  # fmt: skip
        read_atlas_analytics(real / "atlas" / "E-GEOD-54153-analytics.head200.tsv", "g1_g2")


SHEET = (
    "# my comparisons\n"
    "# (two comment lines)\n"
    "accession\tcontrast_id\tdisease\ttissue\tgwas_trait\tarray_design\n"
    "E-GEOD-12685\tg2_g1\tAlzheimer's disease\tBrain\tAlzheimer's disease\tA-AFFY-33\n"
    "E-GEOD-54153\tg2_g1\tpoplar\tLeaf\tpoplar\t\n"
    "E-GEOD-7621\tg1_g2\tParkinson's disease\tBrain\tParkinson's disease\tA-AFFY-44\n"
)


@pytest.fixture
def atlas_folder(tmp_path: Path) -> Path:
    """A disease sheet (sheet.tsv, comment lines first) and an Atlas folder holding the
    analytics of its first row only (with the real file's header)."""
    (tmp_path / "sheet.tsv").write_text(SHEET)
    folder = tmp_path / "atlas"
    folder.mkdir()
    (folder / "E-GEOD-12685_A-AFFY-33-analytics.tsv").write_text(MICROARRAY)
    (folder / "E-GEOD-12685-configuration.xml").write_text("<configuration/>\n")
    return folder


def test_a_sheet_row_whose_analytics_the_folder_lacks_is_named_with_its_line(
    atlas_folder: Path,
) -> None:
    sheet = atlas_folder.parent / "sheet.tsv"
    with pytest.raises(InputError) as caught:
        check_atlas_files(sheet, atlas_folder)
    assert str(caught.value) == (
        f"{sheet} (line 5): the analytics of E-GEOD-54153 (contrast g2_g1), "
        f"E-GEOD-54153-analytics.tsv, is not in the Expression Atlas folder {atlas_folder}; "
        "the analytics of line(s) 6 are missing too. Fix: put the experiment's analytics file "
        "from Expression Atlas in that folder (or set inputs.atlas_folder to the folder that "
        "holds it), or correct the sheet's line"
    )


def test_atlas_files_present_or_made_by_the_workflow_pass(atlas_folder: Path) -> None:
    sheet = atlas_folder.parent / "sheet.tsv"
    (atlas_folder / "E-GEOD-54153-analytics.tsv").write_text(RNASEQ_HEADER)
    check_atlas_files(sheet, atlas_folder, made=["E-GEOD-7621_A-AFFY-44-analytics.tsv"])
    missing = r"\(contrast g1_g2\), E-GEOD-7621_A-AFFY-44-analytics\.tsv, is not in"
    with pytest.raises(
        InputError, match=r"sheet\.tsv \(line 6\): the analytics of E-GEOD-7621 " + missing
    ):
        check_atlas_files(sheet, atlas_folder)
