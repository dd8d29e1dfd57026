"""Genome FASTA: writing, decompressing, indexing (`.fai`) and random access through pyfaidx."""

from __future__ import annotations

import gzip
import logging
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyfaidx

from cistrans.errors import InputError
from cistrans.io.files import is_gzip, open_text_read, open_text_write, reading
from cistrans.io.transfer import BLOCK_BYTES, PART_SUFFIX, byte_progress

log = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s")


def write_fasta(path: str | Path, sequences: Mapping[str, str], line_width: int = 60) -> None:
    """Write `sequences` (name → sequence) as plain FASTA, `line_width` bases per line.

    The output is deterministic; a `.fai` index left beside `path` is removed, as it would
    describe the old file.
    """
    path = Path(path)
    if path.suffix == ".gz":
        raise ValueError(f"{path}: write plain FASTA; pyfaidx cannot index gzip files")
    for name, sequence in sequences.items():
        if not name or _WHITESPACE.search(name) or _WHITESPACE.search(sequence):
            raise ValueError(f"sequence name {name!r} is empty or it or its sequence has spaces")
    with open_text_write(path) as handle:
        for name, sequence in sequences.items():
            handle.write(f">{name}\n")
            for start in range(0, len(sequence), line_width):
                handle.write(f"{sequence[start : start + line_width]}\n")
    Path(f"{path}.fai").unlink(missing_ok=True)


def read_fasta_records(path: str | Path, fix: str) -> Iterator[tuple[int, str, str]]:
    """(line of the header, name, sequence) of each record of a plain or gzipped FASTA.

    The name is the header up to the first space; sequence lines may be wrapped. InputError
    naming the line, with `fix`, for sequence before any header or an empty header.
    """
    name, line, parts = None, 0, []
    with open_text_read(path) as handle:
        for number, text in enumerate(handle, start=1):
            text = text.strip()
            if text.startswith(">"):
                if name is not None:
                    yield line, name, "".join(parts)
                fields = text[1:].split()
                if not fields:
                    raise InputError(path, "empty header", fix, f"line {number}")
                name, line, parts = fields[0], number, []
            elif text:
                if name is None:
                    raise InputError(
                        path, "sequence before the first > header", fix, f"line {number}"
                    )
                parts.append(text)
    if name is not None:
        yield line, name, "".join(parts)


def index_fasta(path: str | Path) -> Path:
    """Build (or refresh) the samtools-style `.fai` index beside `path`; returns its path."""
    with open_genome(path):
        pass
    return Path(f"{path}.fai")


def decompress_fasta(source: str | Path, fasta: str | Path) -> Path:
    """Decompress a gzipped genome FASTA (GENCODE's `.fa.gz`) to `fasta` and index it.

    pyfaidx reads plain or bgzip FASTA by position but not plain gzip, which is how GENCODE
    ships the genome. Written to `<fasta>.part` and moved into place when complete; the
    samtools-style `.fai` index is built beside it. Returns `fasta`.
    """
    source, fasta = Path(source), Path(fasta)
    partial = fasta.with_name(fasta.name + PART_SUFFIX)
    fasta.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            reading(source, "gzip stream"),
            gzip.open(source, "rb") as compressed,
            open(partial, "wb") as out,
            byte_progress(source.stat().st_size, 0, f"decompress {source.name}") as bar,
        ):
            raw = compressed.fileobj
            while block := compressed.read(BLOCK_BYTES):
                out.write(block)
                bar.update(raw.tell() - bar.n)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, fasta)
    index = index_fasta(fasta)
    log.info("decompressed %s -> %s and indexed it (%s)", source, fasta, index.name)
    return fasta


def open_genome(path: str | Path) -> pyfaidx.Fasta:
    """Open a plain or bgzip-compressed FASTA for random access (close it, or use `with`).

    Sequences come back upper-case (soft-masking dropped). The `.fai` index is built when
    missing and rebuilt when older than the FASTA. Slices past a sequence's end are cut
    short, not padded (pyfaidx's default). A missing, empty, truncated or corrupt file raises
    `InputError` naming it.
    """
    missing_fix = "check the path in the config or download it"
    with reading(path, "FASTA file", missing_fix=missing_fix) as path:  # e.g. a cut bgzip file
        if is_gzip(path) and not _is_bgzf(path):
            raise InputError(
                path,
                "the FASTA is gzip-compressed, which cannot be read by position",
                f"decompress it (`gunzip {path.name}`) or recompress it with `bgzip` (htslib)",
            )
        try:
            return pyfaidx.Fasta(path, sequence_always_upper=True, rebuild=True)
        except (
            pyfaidx.FastaIndexingError,
            pyfaidx.UnsupportedCompressionFormat,
            ImportError,
            ValueError,
        ) as error:
            raise InputError(
                path, f"cannot be indexed as FASTA ({error})", "repair or download the file again"
            ) from None
        except PermissionError as error:
            raise InputError(
                path,
                f"its .fai index cannot be written ({error})",
                "index it once where the folder is writable (cistrans.io.fasta.index_fasta)",
            ) from None


def _is_bgzf(path: Path) -> bool:
    """Whether `path` is blocked gzip (bgzip): a gzip header with a `BC` extra field."""
    with open(path, "rb") as handle:
        header = handle.read(14)
    return len(header) == 14 and bool(header[3] & 4) and header[12:14] == b"BC"
