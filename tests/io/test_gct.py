"""Tests of cistrans.io.gct: GTEx GCT 1.2 matrices."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from cistrans.errors import InputError
from cistrans.io.gct import read_gct, write_gct

REAL_READS = "GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_reads.acmg_59.gct.gz"
NAMES = ["ENSG00000117118.9", "ENSG00000002586.20_PAR_Y", "ENSG00000132781.17"]
SYMBOLS = ["SDHB", "CD99", "SDHB"]
SAMPLES = ["GTEX-1117F-0226-SM-5GZZ7", "GTEX-1117F-0426-SM-5EGHI"]
HEADER = "#1.2\n3\t2\nName\tDescription\tGTEX-1117F-0226-SM-5GZZ7\tGTEX-1117F-0426-SM-5EGHI\n"


@pytest.mark.parametrize("name", ["tpm.gct", "tpm.gct.gz"])
def test_round_trip_keeps_values_within_the_decimals(tmp_path: Path, name: str) -> None:
    values = np.random.default_rng(0).gamma(0.5, 20, size=(3, 2)).astype(np.float32)
    write_gct(tmp_path / name, values, NAMES, SYMBOLS, SAMPLES)
    table = read_gct(tmp_path / name)
    assert table.values.dtype == np.float32
    np.testing.assert_allclose(table.values, values, atol=5e-5)
    assert (table.names, table.descriptions, table.sample_ids) == (NAMES, SYMBOLS, SAMPLES)


def test_values_are_written_compactly(tmp_path: Path) -> None:
    values = np.array([[0.0, 12.5], [0.03125, -0.00001], [100.0, 7.00001]])
    write_gct(tmp_path / "x.gct", values, NAMES, SYMBOLS, SAMPLES)
    body = (tmp_path / "x.gct").read_text().splitlines()[3:]
    assert [line.split("\t", 2)[2] for line in body] == ["0\t12.5", "0.0312\t0", "100\t7"]


def test_counts_are_written_as_integers(tmp_path: Path) -> None:
    counts = np.array([[1993, 0], [4989, 12], [2153, 100]])
    write_gct(tmp_path / "reads.gct", counts, NAMES, SYMBOLS, SAMPLES, decimals=None)
    assert (tmp_path / "reads.gct").read_text() == HEADER + (
        "ENSG00000117118.9\tSDHB\t1993\t0\n"
        "ENSG00000002586.20_PAR_Y\tCD99\t4989\t12\n"
        "ENSG00000132781.17\tSDHB\t2153\t100\n"
    )
    np.testing.assert_array_equal(read_gct(tmp_path / "reads.gct").values, counts)


def test_integer_output_refuses_fractions(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not integral"):
        write_gct(tmp_path / "x.gct", np.full((3, 2), 0.5), NAMES, SYMBOLS, SAMPLES, decimals=None)
    assert not (tmp_path / "x.gct").exists()


def test_gzipped_rewrite_is_byte_identical(tmp_path: Path) -> None:
    values = np.arange(6, dtype=np.float32).reshape(3, 2) / 7
    write_gct(tmp_path / "a.gct.gz", values, NAMES, SYMBOLS, SAMPLES)
    write_gct(tmp_path / "b.gct.gz", values, NAMES, SYMBOLS, SAMPLES)
    first = (tmp_path / "a.gct.gz").read_bytes()
    assert first == (tmp_path / "b.gct.gz").read_bytes()
    assert first[4:8] == b"\0\0\0\0"  # no time stamp in the gzip header
    assert gzip.decompress(first).decode().startswith(HEADER)


def test_dimension_line_disagreeing_with_body_warns(write_text: Callable[[str, str], Path]) -> None:
    text = "#1.2\n56200\t17382\n" + HEADER.split("\n")[2] + "\nENSG00000117118.9\tSDHB\t1\t2\n"
    path = write_text("subset.gct", text)
    with pytest.warns(UserWarning, match=r"56200 genes x 17382 samples.*1 x 2"):
        table = read_gct(path)
    assert table.values.tolist() == [[1.0, 2.0]]


def test_real_gtex_subset_reads_59_genes_with_a_warning(real: Path) -> None:
    with pytest.warns(UserWarning, match="56200 genes"):
        table = read_gct(real / REAL_READS)
    assert table.values.shape == (59, 17382)
    assert len(table.names) == len(table.descriptions) == 59
    assert len(table.sample_ids) == 17382
    assert table.names[0] == "ENSG00000117118.9"
    assert table.descriptions[0] == "SDHB"
    assert table.sample_ids[:2] == SAMPLES
    assert table.values[0, :3].tolist() == [1993, 4989, 2153]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("#1.3\n" + HEADER[5:], "line 1", "not '#1.2'"),
        ("#1.2\n3 genes\n" + HEADER.split("\n", 2)[2], "line 2", "dimensions line"),
        ("#1.2\n3\t2\nID\tDescription\tS1\tS2\n", "line 3", "Name"),
        (HEADER + "ENSG1\tA\t1\t2\nENSG2\tB\t1\n", "line 5", "3 tab-separated fields"),
        (HEADER + "ENSG1\tA\t1\tNA\n", "line 4, sample GTEX-1117F-0426-SM-5EGHI", "'NA'"),
        ("#1.2\n1\t3\nName\tDescription\tS1\tS2\tS1\n", "line 3", "appear more than once: S1"),
    ],
)
def test_malformed_files_name_file_and_line(
    write_text: Callable[[str, str], Path], text: str, where: str, problem: str
) -> None:
    path = write_text("bad.gct", text)
    pattern = rf"{re.escape(str(path))} \({re.escape(where)}\): .*{re.escape(problem)}"
    with pytest.raises(InputError, match=pattern):
        read_gct(path)


def test_truncated_gzip_is_an_input_error(tmp_path: Path) -> None:
    values = np.random.default_rng(1).random((3, 2000))
    path = tmp_path / "tpm.gct.gz"
    write_gct(path, values, NAMES, SYMBOLS, [f"S{i}" for i in range(2000)])
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: .*truncated"):
        read_gct(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.gct: file not found"):
        read_gct(tmp_path / "missing.gct")
