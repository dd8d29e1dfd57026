"""Tests of cistrans.io.files: opening plain or gzipped text files."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, open_text_write

TEXT = "".join(f"line {number}\tcafé\n" for number in range(5000))


def _read(path: Path) -> str:
    with open_text_read(path) as handle:
        return handle.read()


@pytest.mark.parametrize("name", ["latin1.txt", "latin1.txt.gz"])
def test_non_utf8_text_names_the_file(tmp_path: Path, name: str) -> None:
    data = "gene\tnote\nSOX2\tcafé\n".encode("latin-1")
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: not UTF-8 text .*Fix: give"):
        _read(path)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut in the middle"),
        pytest.param(lambda data: data[:-8], id="trailer missing"),
        pytest.param(lambda data: data[:-8] + b"\0\0\0\0" + data[-4:], id="wrong CRC"),
    ],
)
def test_broken_gzip_names_the_file(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    path = tmp_path / "broken.txt.gz"
    path.write_bytes(damage(gzip.compress(TEXT.encode())))
    pattern = rf"{re.escape(str(path))}: the gzip stream is truncated or corrupt .*Fix: download"
    with pytest.raises(InputError, match=pattern):
        _read(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: file not found\. Fix"):
        _read(path)


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    gzipped, plain = tmp_path / "gzipped.txt", tmp_path / "plain.txt.gz"
    gzipped.write_bytes(gzip.compress(TEXT.encode()))
    plain.write_text(TEXT)
    assert _read(gzipped) == _read(plain) == TEXT


def test_gzipped_writes_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt.gz", tmp_path / "sub" / "b.txt.gz"
    for path in (first, second):
        with open_text_write(path) as handle:
            handle.write(TEXT)
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert data[3] == 0  # no file name (or other optional field) in the header
    assert data[4:8] == b"\0\0\0\0"  # no time stamp
    assert gzip.decompress(data).decode() == TEXT
    assert _read(first) == TEXT


def test_plain_writes_end_lines_in_newline(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    with open_text_write(path) as handle:
        handle.write("a\nb\n")
    assert path.read_bytes() == b"a\nb\n"
