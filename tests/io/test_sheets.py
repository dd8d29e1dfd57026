"""Sheets the user writes, checked against the table schemas shipped with cistrans: the
readers (`read_sheet`, `read_disease_sheet`), `validate_table`, `require_unique`."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.atlas import ACCESSION, ARRAY_DESIGN, read_disease_sheet
from cistrans.io.tables import read_sheet, require_unique, table_schema, validate_table

HEADER = "accession\tcontrast_id\tdisease\ttissue\tgwas_trait\tarray_design\n"
ROWS = (
    "E-GEOD-12685\tg2_g1\tAlzheimer's disease\tBrain\tAlzheimer's disease\tA-AFFY-33\n"
    "E-GEOD-103501\tg3_g6\tsystemic-onset JIA #2\tBlood\tJuvenile idiopathic arthritis\t\n"
    "E-MTAB-2\tg1_g2\tCrohn's disease\tColon\tCrohn's disease\tA-AFFY-44\n"
)
COMMENTS = "# my diseases\n# accession, contrast, ...\n\n"
SHEET = COMMENTS + HEADER + ROWS  # the header on line 4, rows on lines 5-7


def test_the_disease_sheet_is_read_with_its_comments_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "diseases.tsv"
    path.write_text(SHEET)
    sheet = read_disease_sheet(path)
    assert sheet.columns.tolist() == HEADER.split()
    assert sheet.disease.tolist()[1] == "systemic-onset JIA #2"  # a '#' inside a cell stays
    assert sheet.array_design.tolist() == ["A-AFFY-33", "", "A-AFFY-44"]
    assert sheet.attrs["lines"] == [5, 6, 7]
    path.write_text(SHEET.replace("\tarray_design", "").replace("\tA-AFFY-33", "").replace(
        "\tA-AFFY-44", "").replace("\t\n", "\n"))  # fmt: skip
    assert read_disease_sheet(path).array_design.tolist() == ["", "", ""]


@pytest.mark.parametrize(
    ("old", "new", "where", "problem", "fix"),
    [
        pytest.param(
            "E-MTAB-2", "GSE2", "line 7, column accession",
            "'GSE2' is not an Expression Atlas accession",
            "give the Expression Atlas experiment accession, e.g. E-GEOD-12685",
            id="accession",
        ),
        pytest.param(
            "g3_g6", "3_6", "line 6, column contrast_id",
            "'3_6' is not an Expression Atlas contrast ID",
            "give the contrast's ID in the experiment's <accession>-configuration.xml, "
            "<reference group>_<test group>, e.g. g2_g1",
            id="contrast_id",
        ),
        pytest.param(
            "A-AFFY-44", "HG-U133A", "line 7, column array_design",
            "'HG-U133A' is not an ArrayExpress array design",
            "give the array design accession of a microarray experiment, e.g. A-AFFY-33 "
            "(empty for RNA-seq)",
            id="array_design",
        ),
        pytest.param(
            "\tBlood\t", "\t\t", "line 6, column tissue", "empty cell",
            "give the compendium's tissue name the contrast's TF changes are applied to, "
            "e.g. Brain",
            id="empty tissue",
        ),
        pytest.param(
            "Crohn's disease\tColon\tCrohn's disease", "Crohn's disease\tColon\t",
            "line 7, column gwas_trait", "empty cell",
            "give the GWAS Catalog DISEASE/TRAIT of the disease, e.g. Alzheimer's disease",
            id="empty gwas_trait",
        ),
        pytest.param(
            "\tgwas_trait\t", "\ttrait\t", "line 4",
            "missing column(s) gwas_trait; found accession, contrast_id, disease, tissue, "
            "trait, array_design",
            "give a tab-separated disease sheet with the header accession, contrast_id, "
            "disease, tissue, gwas_trait and (for microarray experiments) array_design",
            id="missing column",
        ),
        pytest.param(
            "E-MTAB-2\tg1_g2", "E-GEOD-12685\tg2_g1", "line 7",
            "repeated contrasts (accession, contrast_id) (1): E-GEOD-12685, g2_g1 (lines 5, 7)",
            "list each contrast once (one disease per contrast)",
            id="repeated contrast",
        ),
        pytest.param(
            "\tA-AFFY-44\n", "\tA-AFFY-44\textra\n", "line 7",
            "7 fields where the header has 6", "give one value per column of the header",
            id="extra field",
        ),
    ],
)  # fmt: skip
def test_a_broken_disease_sheet_names_file_line_column_and_fix(
    tmp_path: Path, old: str, new: str, where: str, problem: str, fix: str
) -> None:
    path = tmp_path / "diseases.tsv"
    assert old in SHEET
    path.write_text(SHEET.replace(old, new))
    with pytest.raises(InputError) as caught:
        read_disease_sheet(path)
    assert str(caught.value).startswith(f"{path} ({where}): {problem}. Fix: {fix}")


def test_a_comma_separated_disease_sheet_says_it_must_be_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "diseases.csv"
    path.write_text(HEADER.replace("\t", ","))
    with pytest.raises(InputError, match=r"\(line 1\): missing column.*Fix: give a tab-separated"):
        read_disease_sheet(path)


def test_the_schema_patterns_are_the_readers_patterns() -> None:
    properties = table_schema("diseases")["properties"]
    assert properties["accession"]["pattern"] == f"^{ACCESSION}$"
    assert properties["array_design"]["pattern"] == f"^({ARRAY_DESIGN})?$"
    assert table_schema("samples")["required"] == ["sample", "tissue", "series"]


SCHEMA = {
    "description": "give a sheet with columns name and count",
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "description": "the item's name"},
        "count": {"type": "integer", "minimum": 0, "description": "how many, 0 or more"},
        "kind": {"type": "string", "enum": ["a", "b"], "description": "a or b"},
        "ratio": {"type": "number", "description": "a number"},
    },
    "required": ["name", "count"],
}


@pytest.mark.parametrize(
    ("row", "where", "problem", "fix"),
    [
        (
            {"count": "x"},
            "line 4, column count",
            "'x' is not a whole number",
            "how many, 0 or more",
        ),
        ({"count": "-1"}, "line 4, column count", "-1 is less than the minimum of 0", "how many"),
        ({"kind": "c"}, "line 4, column kind", "'c' is not one of 'a', 'b'", "a or b"),
        ({"ratio": "1e"}, "line 4, column ratio", "'1e' is not a number", "a number"),
        ({"name": None}, "line 4, column name", "empty cell", "the item's name"),
        ({"name": ""}, "line 4, column name", "empty cell", "the item's name"),
    ],
)
def test_validate_table_names_line_column_value_and_fix(
    row: dict[str, str | None], where: str, problem: str, fix: str
) -> None:
    good = {"name": "x", "count": "3", "kind": "a", "ratio": "0.5"}
    table = pd.DataFrame([good, good, {**good, **row}])
    with pytest.raises(InputError) as caught:
        validate_table(table, SCHEMA, path="t.tsv")
    assert str(caught.value).startswith(f"t.tsv ({where}): {problem}. Fix: give {fix}")
    validate_table(pd.DataFrame([good]), SCHEMA, path="t.tsv")
    with pytest.raises(InputError, match=rf"^t\.tsv \(line 12, {where.split(', ')[1]}\)"):
        validate_table(table, SCHEMA, path="t.tsv", lines=[3, 7, 12])


def test_validate_table_names_missing_columns_at_the_header() -> None:
    with pytest.raises(
        InputError,
        match=r"^t\.tsv \(line 9\): missing column\(s\) count; found name, extra\. "
        r"Fix: give a sheet with columns name and count$",
    ):
        validate_table(pd.DataFrame(columns=["name", "extra"]), SCHEMA, path="t.tsv", first_line=10)


def test_read_sheet_sniffs_the_separator_pads_short_rows_and_drops_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("\ufeffsample,tissue,series\n\nS1,Liver\nS2,Lung,d2,\n", encoding="utf-8")
    sheet = read_sheet(path, delimiter=None)
    assert sheet.table.to_dict("list") == {
        "sample": ["S1", "S2"], "tissue": ["Liver", "Lung"], "series": ["", "d2"]
    }  # fmt: skip
    assert (sheet.header_line, sheet.lines) == (1, [3, 4])
    path.write_text("a\ta\tb\n")
    with pytest.raises(
        InputError, match=r"s\.csv \(line 1\): repeated column names \(1\): a \(columns 1, 2\)"
    ):
        read_sheet(path)


def test_require_unique_shows_the_first_repeats_and_counts_them() -> None:
    ids = [f"G{n % 7}" for n in range(20)]
    with pytest.raises(InputError) as caught:
        require_unique("m.tsv", ids, range(2, 22), what="gene IDs", fix="give each gene once")
    assert str(caught.value) == (
        "m.tsv (line 9): repeated gene IDs (7): G0 (lines 2, 9, 16); G1 (lines 3, 10, 17); "
        "G2 (lines 4, 11, 18); G3 (lines 5, 12, 19); G4 (lines 6, 13, 20) and 2 more. "
        "Fix: give each gene once"
    )
    require_unique("m.tsv", ["a", "b"], [1, 2], what="IDs", fix="-")
    assert re.search("lines 2, 3, 4, 5, 6, ...", _message(["x"] * 8))


def _message(ids: list[str]) -> str:
    with pytest.raises(InputError) as caught:
        require_unique("m.tsv", ids, range(2, len(ids) + 2), what="IDs", fix="-")
    return str(caught.value)
