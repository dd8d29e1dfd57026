"""Tests of cistrans.io.gct: GTEx GCT 1.2 matrices."""

from __future__ import annotations

import gzip
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from cistrans.errors import InputError
from cistrans.io.gct import read_gct, read_gct_header, write_gct

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


# --- streaming, sample selection and the header alone ---------------------------------------

WIDE_SAMPLES = [f"GTEX-{i:04d}" for i in range(24)]
"""Enough samples that asking for a few parses only their columns (see read_gct)."""


def _wide(tmp_path: Path, name: str = "wide.gct.gz", genes: int = 40) -> tuple[Path, np.ndarray]:
    """A GCT of `genes` x 24 samples and its values (rounded as written)."""
    values = np.random.default_rng(2).gamma(0.5, 20, size=(genes, len(WIDE_SAMPLES)))
    values[values < 1] = 0
    names = [f"ENSG{i:011d}.{i % 7 + 1}" for i in range(genes)]
    write_gct(tmp_path / name, values, names, [f"G{i % 5}" for i in range(genes)], WIDE_SAMPLES)
    return tmp_path / name, np.round(values, 4).astype(np.float32)


@pytest.mark.parametrize(
    "wanted",
    [
        [WIDE_SAMPLES[9], WIDE_SAMPLES[2]],  # few: only these columns are converted
        [WIDE_SAMPLES[5], WIDE_SAMPLES[5], WIDE_SAMPLES[0]],  # repeats allowed
        WIDE_SAMPLES[::-1],  # most: every value is parsed, then reordered
        [],
    ],
    ids=["few", "repeated", "all-reversed", "none"],
)
def test_requested_samples_come_in_the_order_asked(tmp_path: Path, wanted: list[str]) -> None:
    path, values = _wide(tmp_path)
    table = read_gct(path, wanted)
    columns = [WIDE_SAMPLES.index(sample) for sample in wanted]
    assert table.values.dtype == np.float32
    assert table.values.shape == (40, len(wanted))
    np.testing.assert_allclose(table.values, values[:, columns], rtol=1e-6)
    assert table.sample_ids == wanted
    assert table.names[:2] == ["ENSG00000000000.1", "ENSG00000000001.2"]
    assert table.descriptions[:2] == ["G0", "G1"]


@pytest.mark.parametrize("block_bytes", [300, 1 << 20])
def test_only_the_genes_asked_for_are_kept_in_file_order(tmp_path: Path, block_bytes: int) -> None:
    path, values = _wide(tmp_path)
    genes = {f"ENSG{i:011d}" for i in (31, 2, 17)} | {"ENSG99999999999"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the body still agrees with the dimensions line
        table = read_gct(path, WIDE_SAMPLES[:3], genes=genes, block_bytes=block_bytes)
    assert table.names == ["ENSG00000000002.3", "ENSG00000000017.4", "ENSG00000000031.4"]
    assert table.descriptions == ["G2", "G2", "G1"]
    np.testing.assert_allclose(table.values, values[[2, 17, 31], :3], rtol=1e-6)


def test_unknown_samples_are_an_input_error(tmp_path: Path) -> None:
    path, _ = _wide(tmp_path)
    wanted = [WIDE_SAMPLES[0], *[f"GTEX-X{i}" for i in range(7)], "GTEX-X0"]
    pattern = r"\(line 3\): 7 of the 8 requested sample IDs are not in the header: GTEX-X0, "
    with pytest.raises(InputError, match=pattern + r".*GTEX-X4, \.\.\..*read_gct_header"):
        read_gct(path, wanted)


def test_samples_must_not_be_one_string(tmp_path: Path) -> None:
    path, _ = _wide(tmp_path)
    with pytest.raises(ValueError, match="not the string"):
        read_gct(path, WIDE_SAMPLES[0])


@pytest.mark.parametrize("block_bytes", [1, 50, 700, 4096])
@pytest.mark.parametrize("few", [False, True], ids=["all", "few"])
def test_small_blocks_give_the_same_table(tmp_path: Path, block_bytes: int, few: bool) -> None:
    path, values = _wide(tmp_path, genes=60)
    wanted = WIDE_SAMPLES[3:5] if few else None
    table = read_gct(path, wanted, block_bytes=block_bytes, threads=3)
    expected = read_gct(path, wanted)
    np.testing.assert_array_equal(table.values, expected.values)
    np.testing.assert_allclose(table.values, values[:, 3:5] if few else values, rtol=1e-6)
    assert (table.names, table.descriptions) == (expected.names, expected.descriptions)
    assert len(table.names) == 60


def test_blank_lines_crlf_and_no_final_newline(write_text: Callable[[str, str], Path]) -> None:
    text = HEADER.replace("\n", "\r\n") + "A\tx\t1\t2\r\n\r\n\nB\ty\t3\t4\n\nC\tz\t5\t6"
    for block_bytes in (1, 16, 1 << 20):
        table = read_gct(write_text("crlf.gct", text), block_bytes=block_bytes)
        assert table.values.tolist() == [[1, 2], [3, 4], [5, 6]]
        assert (table.names, table.descriptions) == (["A", "B", "C"], ["x", "y", "z"])
        assert table.sample_ids == SAMPLES


@pytest.mark.parametrize("declared", [0, 1, 3])
def test_body_longer_than_declared_grows(
    write_text: Callable[[str, str], Path], declared: int
) -> None:
    rows = "".join(f"E{i}\tS\t{i}\t{-i}\n" for i in range(3000))
    path = write_text("long.gct", HEADER.replace("3\t2", f"{declared}\t2") + rows)
    with pytest.warns(UserWarning, match=rf"says {declared} genes x 2 samples.*3000 x 2"):
        table = read_gct(path, block_bytes=512)
    assert table.values.shape == (3000, 2)
    assert table.values[:, 0].tolist() == list(range(3000))
    assert table.names[-1] == "E2999"


@pytest.mark.parametrize(
    ("wanted", "line", "problem"),
    [
        (None, 1003, "value 'n/a' is not a number"),
        (["GTEX-0007"], 1003, "value 'n/a' is not a number"),
        (["GTEX-0001"], 1005, "23 tab-separated fields where the header has 26"),
    ],
)
def test_errors_in_later_blocks_name_their_line(
    tmp_path: Path, wanted: list[str] | None, line: int, problem: str
) -> None:
    path, _ = _wide(tmp_path, "bad.gct", genes=1200)
    lines = path.read_text().split("\n")
    cells = lines[1002].split("\t")
    cells[7 + 2] = "n/a"
    lines[1002] = "\t".join(cells)
    lines[1004] = "\t".join(lines[1004].split("\t")[:23])
    path.write_text("\n".join(lines))
    where = f"line {line}, sample GTEX-0007" if "value" in problem else f"line {line}"
    pattern = rf"{re.escape(str(path))} \({where}\): {problem}"
    for block_bytes in (300, 1 << 20):
        with pytest.raises(InputError, match=pattern):
            read_gct(path, wanted, block_bytes=block_bytes)


def test_columns_not_asked_for_are_not_checked(write_text: Callable[[str, str], Path]) -> None:
    header = "#1.2\n1\t12\nName\tDescription\t" + "\t".join(f"S{i}" for i in range(12)) + "\n"
    path = write_text("x.gct", header + "E1\tA\t1\t" + "\t".join(["NA"] * 11) + "\n")
    assert read_gct(path, ["S0"]).values.tolist() == [[1.0]]
    with pytest.raises(InputError, match=r"\(line 4, sample S1\): value 'NA'"):
        read_gct(path)


def test_truncated_gzip_is_an_input_error_with_small_blocks(tmp_path: Path) -> None:
    path, _ = _wide(tmp_path, genes=400)
    path.write_bytes(path.read_bytes()[:-300])
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: .*truncated"):
        read_gct(path, block_bytes=256)


def test_header_alone_reads_the_first_three_lines(tmp_path: Path) -> None:
    path, _ = _wide(tmp_path, genes=400)
    path.write_bytes(path.read_bytes()[:-300])  # a broken body is not read
    assert read_gct_header(path) == (400, 24, WIDE_SAMPLES)
    bad = tmp_path / "bad.gct"
    bad.write_text("#1.2\n1\t3\nName\tDescription\tS1\tS2\tS1\n")
    with pytest.raises(InputError, match=r"\(line 3\): .*appear more than once: S1"):
        read_gct_header(bad)


def test_real_gtex_subset_reads_requested_samples(real: Path) -> None:
    _, _, sample_ids = read_gct_header(real / REAL_READS)
    wanted = [sample_ids[17000], sample_ids[1], sample_ids[0]]
    with pytest.warns(UserWarning, match="56200 genes"):
        table = read_gct(real / REAL_READS, wanted)
    assert table.values.shape == (59, 3)
    assert table.values[0, 1:].tolist() == [4989, 1993]
