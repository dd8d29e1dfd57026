"""Tests of cistrans.io.fasta: writing, indexing and opening genome FASTA."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from cistrans.errors import InputError
from cistrans.io.fasta import index_fasta, open_genome, write_fasta

SEQUENCES = {"chr1": "ACGTacgtNN" * 13, "chr2": "GATTACA"}


def test_write_is_wrapped_and_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "genome.fa"
    write_fasta(path, SEQUENCES, line_width=60)
    lines = path.read_text().splitlines()
    assert lines == [
        ">chr1",
        SEQUENCES["chr1"][:60],
        SEQUENCES["chr1"][60:120],
        SEQUENCES["chr1"][120:],
        ">chr2",
        "GATTACA",
    ]
    write_fasta(tmp_path / "again.fa", SEQUENCES, line_width=60)
    assert (tmp_path / "again.fa").read_bytes() == path.read_bytes()


def test_index_and_open_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "genome.fa"
    write_fasta(path, SEQUENCES)
    fai = index_fasta(path)
    assert fai == tmp_path / "genome.fa.fai"
    assert fai.read_text().splitlines() == ["chr1\t130\t6\t60\t61", "chr2\t7\t145\t7\t8"]
    with open_genome(path) as genome:
        assert list(genome.keys()) == ["chr1", "chr2"]
        assert str(genome["chr1"][:]) == SEQUENCES["chr1"].upper()
        assert str(genome["chr1"][58:64]) == "NNACGT"
        assert str(genome["chr2"][2:5]) == "TTA"


def test_rewrite_drops_the_stale_index(tmp_path: Path) -> None:
    path = tmp_path / "genome.fa"
    write_fasta(path, SEQUENCES)
    index_fasta(path)
    write_fasta(path, {"chrM": "CCCC"})
    with open_genome(path) as genome:
        assert list(genome.keys()) == ["chrM"]


def test_writer_refuses_names_with_spaces(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'chr1 x'"):
        write_fasta(tmp_path / "genome.fa", {"chr1 x": "ACGT"})


def test_missing_genome_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.fa: file not found"):
        open_genome(tmp_path / "missing.fa")


def test_plain_gzip_asks_for_gunzip_or_bgzip(tmp_path: Path) -> None:
    path = tmp_path / "genome.fa.gz"
    path.write_bytes(gzip.compress(b">chr1\nACGT\n"))
    pattern = rf"{re.escape(str(path))}: the FASTA is gzip-compressed.*gunzip genome.fa.gz.*bgzip"
    with pytest.raises(InputError, match=pattern):
        open_genome(path)


def test_ragged_lines_are_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "ragged.fa"
    path.write_text(">chr1\nACGTACGT\nACG\nACGTACGT\n")
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: cannot be indexed as FASTA"):
        open_genome(path)
