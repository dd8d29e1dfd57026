"""Tests of cistrans.io.gwas: GWAS Catalog association files."""

from __future__ import annotations

import gzip
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.gwas import (
    FULL_RELEASE_MIN_ROWS,
    GWAS_COLUMNS,
    GWAS_FULL_MEMBER,
    GWAS_HEADER,
    gwas_genes,
    read_gwas_associations,
    trait_associations,
    unzip_gwas_associations,
    write_gwas_associations,
)


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "trait": ["Type 2 diabetes", "Alzheimer's disease", "Height", "Type 2 diabetes"],
            "mapped_trait": [
                "type 2 diabetes mellitus",
                "Alzheimer disease",
                "body height",
                "type 2 diabetes mellitus, obesity",
            ],
            "mapped_gene": ["TCF7L2", "APOE, APOC1", "LINC01173 - ARL4C", "FTO"],
            "reported_genes": ["TCF7L2", "NR", "intergenic", "FTO; IRX3"],
            "p_value": [9e-48, 1.5e-300, 2e-7, 3e-9],
            "pubmed_id": [17463246, 20453838, 18391952, 17434869],
            "snp": ["rs7903146", "rs429358", "rs145586115", "rs9939609"],
            "chr_id": ["10", "19", "2", "16"],
            "chr_pos": [112998590, 44908684, 234696002, 53786615],
        }
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "gwas.tsv"
    write_gwas_associations(path, _rows())
    table = read_gwas_associations(path)
    assert table.columns.tolist() == ["trait", "mapped_trait", "p_value", "genes"]
    assert table["trait"].tolist() == _rows()["trait"].tolist()
    assert table["mapped_trait"].tolist() == _rows()["mapped_trait"].tolist()
    assert table["p_value"].tolist() == [9e-48, 1.5e-300, 2e-7, 3e-9]
    assert table["genes"].tolist() == [
        ["TCF7L2"],
        ["APOE", "APOC1"],
        ["LINC01173", "ARL4C"],
        ["FTO", "IRX3"],
    ]


def test_written_layout_is_catalog_like_and_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write_gwas_associations(first, _rows())
    write_gwas_associations(second, _rows())
    assert first.read_bytes() == second.read_bytes()
    lines = gzip.decompress(first.read_bytes()).decode().split("\n")
    assert len(GWAS_COLUMNS) == 34 and len(GWAS_HEADER) == 38
    assert lines[0].split("\t") == list(GWAS_HEADER)
    assert lines[-1] == ""
    row = dict(zip(GWAS_HEADER, lines[3].split("\t"), strict=True))
    assert row["P-VALUE"] == "2E-7"
    assert row["CHR_POS"] == "234696002"
    assert row["INTERGENIC"] == "1"
    assert row["SNP_ID_CURRENT"] == "145586115"
    assert row["LINK"] == "www.ncbi.nlm.nih.gov/pubmed/18391952"
    first_row = dict(zip(GWAS_HEADER, lines[1].split("\t"), strict=True))
    assert (first_row["P-VALUE"], first_row["PVALUE_MLOG"]) == ("9E-48", "47.04575749")
    assert dict(zip(GWAS_HEADER, lines[2].split("\t"), strict=True))["P-VALUE"] == "1.5E-300"


def test_v1_file_without_ontology_columns(
    tmp_path: Path, write_text: Callable[[str, str], Path]
) -> None:
    path = tmp_path / "gwas.tsv"
    header = "\t".join(GWAS_COLUMNS)
    cells = dict.fromkeys(GWAS_COLUMNS, "")
    cells |= {
        "DISEASE/TRAIT": "Height",
        "P-VALUE": "1E-9",
        "MAPPED_GENE": "HMGA2 x LINC01173",
        "REPORTED GENE(S)": "HMGA2,GDF5;NR",
        "STUDY": 'A "quoted" study',
    }
    path.write_text(header + "\n" + "\t".join(cells.values()) + "\n")
    table = read_gwas_associations(path)
    assert table.iloc[0].tolist() == ["Height", "", 1e-9, ["HMGA2", "LINC01173", "GDF5"]]


def test_genes_by_trait(tmp_path: Path) -> None:
    path = tmp_path / "gwas.tsv"
    write_gwas_associations(path, _rows())
    table = read_gwas_associations(path)

    def genes(traits: list[str], max_p: float = 5e-8) -> set[str]:
        return gwas_genes(trait_associations(table, traits), max_p)

    assert genes(["TYPE 2 DIABETES"]) == {"TCF7L2", "FTO", "IRX3"}
    assert genes(["obesity"]) == {"FTO", "IRX3"}
    assert genes(["alzheimer disease", "body height"]) == {"APOE", "APOC1"}
    assert genes(["body height"], max_p=1e-6) == {"LINC01173", "ARL4C"}
    assert genes(["diabetes"]) == set()
    assert trait_associations(table, ["diabetes"]).empty


def test_a_trait_gene_table_needs_no_p_values(write_text: Callable[[str, str], Path]) -> None:
    path = write_text("traits.tsv", "trait\tgene\nType 2 diabetes\tTCF7L2\nHeight\tHMGA2, GDF5\n")
    table = read_gwas_associations(path)
    assert table.p_value.isna().all()
    assert gwas_genes(trait_associations(table, ["height"]), max_p=5e-8) == {"HMGA2", "GDF5"}


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        pytest.param(
            "other.tsv",
            "DISEASE/TRAIT\tPVAL\tSYMBOL\nHeight\t1E-9\tHMGA2\n",
            r"other\.tsv \(line 1\): no gene column \(one of MAPPED_GENE, REPORTED GENE\(S\), "
            r"gene, genes\); found DISEASE/TRAIT, PVAL, SYMBOL\. Fix: use a GWAS Catalog",
            id="no gene column names the choices and shows found",
        ),
        pytest.param(
            "notrait.tsv",
            "phenotype\tgene\nHeight\tHMGA2\n",
            r"notrait\.tsv \(line 1\): no trait column \(one of DISEASE/TRAIT, trait\); found "
            r"phenotype, gene\. Fix: .*or a tab-separated table with columns trait and gene",
            id="no trait column",
        ),
        pytest.param(
            "cut.tsv",
            "DISEASE/TRAIT\tP-VALUE\tMAPPED_GENE\tREPORTED GENE(S)\nHeight\t1E-9\tHMGA2\n",
            r"cut\.tsv \(line 2\): 3 tab-separated fields.*Fix: download",
            id="wrong field count",
        ),
        pytest.param(
            "empty.tsv",
            "",
            r"empty\.tsv: the file is empty \(0 bytes.*\)\. Fix: download the file again",
            id="empty file",
        ),
    ],
)
def test_malformed_files_name_file_and_line(
    write_text: Callable[[str, str], Path], name: str, text: str, pattern: str
) -> None:
    path = write_text(name, text)
    with pytest.raises(InputError, match=pattern):
        read_gwas_associations(path)


def test_unparsable_p_value_names_line(tmp_path: Path) -> None:
    path = tmp_path / "gwas.tsv.gz"
    write_gwas_associations(path, _rows())
    lines = gzip.decompress(path.read_bytes()).decode().split("\n")
    lines[3] = lines[3].replace("\t2E-7\t", "\t2x10-7\t")
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    with pytest.raises(
        InputError,
        match=r"gwas\.tsv\.gz \(line 4\): P-VALUE '2x10-7' is not a number\. "
        r"Fix: give p-values like 9E-48",
    ):
        read_gwas_associations(path)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        pytest.param(
            lambda rows: rows.drop(columns="snp"),
            r"rows: missing column\(s\) snp.*Fix: give columns trait",
            id="missing column",
        ),
        pytest.param(
            lambda rows: rows.assign(p_value=[0.1, 2.0, None, 0.3]),
            r"rows: column `p_value`.*Fix: give numbers in \[0, 1\]",
            id="p-values outside [0, 1]",
        ),
    ],
)
def test_writer_rejects_bad_rows(
    tmp_path: Path, change: Callable[[pd.DataFrame], pd.DataFrame], pattern: str
) -> None:
    with pytest.raises(InputError, match=pattern):
        write_gwas_associations(tmp_path / "x.tsv", change(_rows()))


def _release_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip holding `members` (name -> bytes), deflated as the Catalog ships its release."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def test_the_full_release_is_unzipped_and_its_rows_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    table = tmp_path / "table.tsv"
    write_gwas_associations(table, _rows())
    archive = _release_zip(tmp_path / "full.zip", {GWAS_FULL_MEMBER: table.read_bytes()})
    destination = tmp_path / "gwas" / GWAS_FULL_MEMBER
    with caplog.at_level(logging.INFO, logger="cistrans"):
        assert unzip_gwas_associations(archive, destination) == 4
        associations = read_gwas_associations(destination)
    assert destination.read_bytes() == table.read_bytes()
    assert sorted(path.name for path in destination.parent.iterdir()) == [GWAS_FULL_MEMBER]
    assert f"unzipped {GWAS_FULL_MEMBER} from {archive} -> {destination}: 4 association rows" in (
        caplog.text
    )
    assert "holds only 4 association rows" in caplog.text
    assert f"fewer than {FULL_RELEASE_MIN_ROWS} is suspicious" in caplog.text
    assert f"read 4 association rows from {destination}" in caplog.text
    assert associations["trait"].tolist() == _rows()["trait"].tolist()


def test_a_release_of_full_size_earns_no_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = "\t".join(GWAS_HEADER) + "\n" + "row\n" * (FULL_RELEASE_MIN_ROWS - 1) + "last row"
    archive = _release_zip(tmp_path / "full.zip", {GWAS_FULL_MEMBER: rows.encode()})
    with caplog.at_level(logging.INFO, logger="cistrans"):
        count = unzip_gwas_associations(archive, tmp_path / "gwas.tsv")
    assert count == FULL_RELEASE_MIN_ROWS  # the last line counts without its line end
    assert f": {FULL_RELEASE_MIN_ROWS} association rows" in caplog.text
    assert "WARNING" not in [record.levelname for record in caplog.records]


def test_a_mirror_zip_with_one_other_table_is_unzipped(tmp_path: Path) -> None:
    archive = _release_zip(
        tmp_path / "mirror.zip",
        {"README.txt": b"a subset\n", "subset/associations.tsv": b"trait\tgene\nHeight\tHMGA2\n"},
    )
    assert unzip_gwas_associations(archive, tmp_path / "gwas.tsv") == 1
    assert read_gwas_associations(tmp_path / "gwas.tsv")["genes"].tolist() == [["HMGA2"]]


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        pytest.param(
            {"a.tsv": b"x\n", "b.tsv": b"y\n"},
            rf"release\.zip: holds no {GWAS_FULL_MEMBER} and 2 other \.tsv tables \(it holds "
            r"a\.tsv, b\.tsv\)\. Fix: point download\.urls\.gwas at",
            id="two tables",
        ),
        pytest.param(
            b"PK\x03\x04 cut short",
            r"release\.zip: the zip archive is truncated or corrupt \(.*\)\. Fix: download the "
            r"file again: delete it \(chmod u\+w .*release\.zip, then rm\) and rerun",
            id="damaged zip",
        ),
    ],
)
def test_an_unusable_zip_is_an_input_error_and_leaves_no_table(
    tmp_path: Path, content: dict[str, bytes] | bytes, pattern: str
) -> None:
    archive = tmp_path / "release.zip"
    if isinstance(content, bytes):
        archive.write_bytes(content)
    else:
        _release_zip(archive, content)
    destination = tmp_path / "out" / "gwas.tsv"
    with pytest.raises(InputError, match=pattern):
        unzip_gwas_associations(archive, destination)
    assert not destination.parent.exists() or list(destination.parent.iterdir()) == []
