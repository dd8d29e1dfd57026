"""GTEx expression matrices in GCT 1.2: `#1.2`, a dimensions line, a header, one row per gene."""

from __future__ import annotations

import gzip
import os
import queue
import re
import threading
import warnings
import zlib
from collections import Counter, deque
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from cistrans.errors import InputError
from cistrans.io.files import (
    damaged_error,
    download_again,
    is_gzip,
    open_text_read,
    open_text_write,
    reading,
)
from cistrans.io.gtf import strip_version

try:  # ISA-L decompresses gzip about 3x faster than zlib; optional
    from isal import igzip as _gzip
    from isal.isal_zlib import error as _IsalError
except ImportError:  # pragma: no cover - depends on the environment
    _gzip = gzip
    _IsalError = zlib.error

GCT_VERSION = "#1.2"
BLOCK_BYTES = 1 << 20
"""Decompressed bytes of rows that one worker of `read_gct` parses at a time (times
`_TABLE_BLOCKS` when few samples are read: see `_Body`)."""
_MAX_DECLARED_GENES = 10_000_000
_FLAT_FRACTION = 6  # parse every value once more than 1 in 6 samples are wanted
_TABLE_BLOCKS = 4  # else bigger blocks, as each parse has a cost per column converted
_TABS_TO_LINES = bytes.maketrans(b"\t", b"\n")
_GZIP_ERRORS = (EOFError, OSError, zlib.error, _IsalError)
_TRAILING_ZEROS = re.compile(r"\.?0+(?=\t|$)")
# What pyarrow accepts as a float: decimal or scientific notation, inf, infinity, nan.
_NUMBER = re.compile(
    rb" *[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan) *", re.IGNORECASE
)


@dataclass(frozen=True)
class GctTable:
    """A GCT file in memory.

    values: float32, shape=(genes, samples). names: gene IDs as in the file (versions kept).
    descriptions: the `Description` column (gene symbols, not unique). sample_ids: the IDs of
    the columns of `values` (all of the file's, or those asked for).
    """

    values: np.ndarray
    names: list[str]
    descriptions: list[str]
    sample_ids: list[str]


def write_gct(
    path: str | Path,
    values: np.ndarray,
    names: Sequence[str],
    descriptions: Sequence[str],
    sample_ids: Sequence[str],
    decimals: int | None = 4,
) -> None:
    """Write `values` (shape=(genes, samples)) as GCT 1.2, gzipped when `path` ends in `.gz`.

    With `decimals=None` the values must be integral (counts) and are written as integers;
    otherwise each value is rounded to `decimals` places and trailing zeros are trimmed
    (`0`, `12.5`, `0.0312`). The same inputs always give byte-identical files.
    """
    values = np.asarray(values)
    _check_inputs(values, names, descriptions, sample_ids, decimals)
    with open_text_write(path) as handle:
        handle.write(f"{GCT_VERSION}\n{values.shape[0]}\t{values.shape[1]}\n")
        handle.write("\t".join(["Name", "Description", *sample_ids]) + "\n")
        for name, description, row in zip(
            names, descriptions, _format_rows(values, decimals), strict=True
        ):
            handle.write(f"{name}\t{description}\t{row}\n")


def _check_inputs(
    values: np.ndarray,
    names: Sequence[str],
    descriptions: Sequence[str],
    sample_ids: Sequence[str],
    decimals: int | None,
) -> None:
    """Raise ValueError unless the labels fit `values` and hold no tabs or line breaks, and
    the values are integral when `decimals` is None."""
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (genes, samples), got shape {values.shape}")
    if not len(names) == len(descriptions) == values.shape[0]:
        raise ValueError(
            f"{len(names)} names and {len(descriptions)} descriptions "
            f"for {values.shape[0]} gene rows"
        )
    if len(sample_ids) != values.shape[1]:
        raise ValueError(f"{len(sample_ids)} sample IDs for {values.shape[1]} sample columns")
    for label in (*names, *descriptions, *sample_ids):
        if re.search(r"[\t\r\n]", label):
            raise ValueError(f"label {label!r} contains a tab or line break")
    if decimals is None and not (
        np.all(np.isfinite(values)) and np.array_equal(values, np.round(values))
    ):
        raise ValueError("decimals=None writes integer counts, but values are not integral")


def _format_rows(values: np.ndarray, decimals: int | None) -> Iterator[str]:
    """Tab-joined text of each row of `values` (shape=(genes, samples)), one row at a time."""
    if decimals is None:
        for row in values:
            yield "\t".join(map(str, row.astype(np.int64).tolist()))
        return
    template = "\t".join([f"%.{decimals}f"] * values.shape[1])
    for row in values:
        rounded = np.round(row.astype(np.float64), decimals) + 0.0  # + 0.0 makes -0.0 0.0
        text = template % tuple(rounded.tolist())
        yield _TRAILING_ZEROS.sub("", text) if decimals > 0 else text


def read_gct_header(path: str | Path) -> tuple[int, int, list[str]]:
    """The declared size and the sample IDs of a GCT 1.2 file, from its first three lines only.

    Returns (genes, samples) as the dimensions line declares them (GTEx subsets keep the
    original line, so they may disagree with the body) and the sample IDs of the header, in
    file order. Malformed lines, duplicated sample IDs and missing files raise `InputError`.
    """
    with open_text_read(path) as handle:
        _check_version(path, handle.readline())
        n_genes, n_samples = _parse_dims(path, handle.readline())
        sample_ids = _parse_header(path, handle.readline())
    return n_genes, n_samples, sample_ids


def read_gct(
    path: str | Path,
    samples: Sequence[str] | None = None,
    *,
    genes: Collection[str] | None = None,
    block_bytes: int = BLOCK_BYTES,
    threads: int | None = None,
) -> GctTable:
    """Read a GCT 1.2 file (plain or gzipped) into a `GctTable`, streaming it block by block.

    samples: the sample IDs to read, in the order wanted (repeats allowed); None reads every
    sample in file order. An ID the header lacks raises `InputError`. When few samples are
    asked for (a sixth or fewer), the other columns are split off but not converted, nor
    checked. The returned `values` are float32, shape=(genes, len(samples)), and
    `sample_ids` are the IDs asked for. genes: keep only the rows whose Name, without its
    version, is one of these Ensembl IDs (all rows when None): memory then grows with the
    genes kept, not with the file.

    The text is decompressed in a background thread (with ISA-L when the `isal` package is
    installed) and parsed about `block_bytes` of rows at a time by `threads` workers (all
    cores when None); memory beyond the result stays near a few dozen blocks, whatever the
    file's size. The dimensions line may disagree with the body (subsets of GTEx files keep
    the original line): the body counts, and a warning names both. Malformed content raises
    `InputError` naming the line (and the sample, for a value that is not a number); a
    missing, empty, truncated or corrupt file one naming the file (see
    `cistrans.io.files.reading`).
    """
    if block_bytes < 1:
        raise ValueError(f"block_bytes must be positive, got {block_bytes}")
    with reading(path), _decompressed_blocks(path, block_bytes) as blocks:
        lines, rest = _first_lines(blocks, 3)
        lines += [b""] * (3 - len(lines))
        _check_version(path, _decode(path, lines[0], 1))
        dims = _parse_dims(path, _decode(path, lines[1], 2))
        sample_ids = _parse_header(path, _decode(path, lines[2], 3))
        wanted = list(sample_ids) if samples is None else _requested(path, samples, sample_ids)
        body = _Body(path, sample_ids, wanted, dims[0], genes)
        row_blocks = _row_blocks(rest, blocks, block_bytes * (1 if body.flat else _TABLE_BLOCKS))
        _parse_rows(body, row_blocks, threads)
    values = body.result()
    if dims != (body.rows_read, len(sample_ids)):
        warnings.warn(
            f"{path}: the dimensions line says {dims[0]} genes x {dims[1]} samples, "
            f"the body holds {body.rows_read} x {len(sample_ids)}; using the body",
            stacklevel=2,
        )
    return GctTable(values, body.names, body.descriptions, wanted)


def _requested(path: str | Path, samples: Sequence[str], sample_ids: list[str]) -> list[str]:
    """`samples` as a list, checked to be sample IDs of the header."""
    if isinstance(samples, str):
        raise ValueError(f"samples must be a sequence of sample IDs, not the string {samples!r}")
    wanted = list(samples)
    known = set(sample_ids)
    missing = list(dict.fromkeys(sample for sample in wanted if sample not in known))
    if missing:
        raise InputError(
            path,
            f"{len(missing)} of the {len(set(wanted))} requested sample IDs are not in the "
            f"header: {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}",
            "request sample IDs from the file's header line (see read_gct_header), or give "
            "the GCT file that holds these samples",
            where="line 3",
        )
    return wanted


@contextmanager
def _decompressed_blocks(path: str | Path, block_bytes: int) -> Iterator[Iterator[bytes]]:
    """An iterator over the file's bytes (decompressed when gzipped), `block_bytes` at a time.

    A background thread reads ahead by two blocks, so decompression overlaps parsing.
    A truncated or corrupt gzip stream raises `InputError`.
    """
    gzipped = is_gzip(path)
    handle = _gzip.open(path, "rb") if gzipped else open(path, "rb")  # noqa: SIM115
    ahead: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: bytes | BaseException) -> None:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read_ahead() -> None:
        try:
            while not stop.is_set():
                block = handle.read(block_bytes)
                put(block)
                if not block:
                    return
        except BaseException as error:  # handed to the reading thread, raised there
            put(error)

    def blocks() -> Iterator[bytes]:
        while True:
            item = ahead.get()
            if gzipped and isinstance(item, _GZIP_ERRORS):
                raise damaged_error(path, "gzip stream", item, download_again(path)) from item
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield item

    reader = threading.Thread(target=read_ahead, name="gct-read-ahead", daemon=True)
    reader.start()
    try:
        yield blocks()
    finally:
        stop.set()
        reader.join()
        handle.close()


def _first_lines(blocks: Iterator[bytes], count: int) -> tuple[list[bytes], bytes]:
    """The first `count` lines (without line ends) and the bytes after them."""
    lines: list[bytes] = []
    parts: list[bytes] = []
    for block in blocks:
        start = 0
        while len(lines) < count:
            end = block.find(b"\n", start)
            if end < 0:
                break
            lines.append(b"".join([*parts, block[start:end]]).rstrip(b"\r"))
            parts, start = [], end + 1
        parts.append(block[start:])
        if len(lines) == count:
            break
    rest = b"".join(parts)
    if len(lines) < count and rest:
        lines.append(rest.rstrip(b"\r"))
        rest = b""
    return lines, rest


def _decode(path: str | Path, line: bytes, number: int) -> str:
    """One header line as text; `InputError` unless it is UTF-8."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            path,
            f"not UTF-8 text (byte {error.start}: {error.reason})",
            "give the text file itself, saved as UTF-8",
            where=f"line {number}",
        ) from None


def _row_blocks(
    rest: bytes, blocks: Iterator[bytes], min_bytes: int
) -> Iterator[tuple[bytes, int]]:
    """Whole rows of the body, at least `min_bytes` at a time (except the last), each with
    the line number it starts at. `rest`: the bytes after the header line."""
    parts: list[bytes | memoryview] = [rest] if rest else []
    size = len(rest)
    number = 4
    for block in blocks:
        parts.append(block)
        size += len(block)
        end = block.rfind(b"\n") if size >= min_bytes else -1
        if end < 0:
            continue
        parts[-1] = memoryview(block)[: end + 1]
        text = b"".join(parts)
        parts = [memoryview(block)[end + 1 :]] if end + 1 < len(block) else []
        size = len(block) - end - 1
        yield text, number
        number += text.count(b"\n")
    if parts:
        yield b"".join(parts), number


class _Body:
    """The parsed body as it grows: names, descriptions and a float32 matrix filled in place.

    Blocks of rows are parsed by pyarrow in one of two ways. When most samples are wanted,
    the value fields of all rows are laid end to end, one per line, and parsed as a single
    column (no per-column cost, and every value is checked). When few are wanted, the rows
    are parsed as a table that converts only the wanted columns (the others are split off
    but neither converted nor checked).

    `values` starts at the declared number of genes (untouched rows take no memory) and
    grows or shrinks in place, so the matrix is never copied whole.
    """

    def __init__(
        self,
        path: str | Path,
        sample_ids: list[str],
        wanted: list[str],
        declared_genes: int,
        genes: Collection[str] | None = None,
    ) -> None:
        self.path = path
        self.genes = None if genes is None else frozenset(genes)
        self.sample_ids = sample_ids
        self.n_fields = len(sample_ids) + 2
        position = {sample: column for column, sample in enumerate(sample_ids)}
        # Each wanted column is read once; `spread` repeats the columns asked for twice.
        unique = list(dict.fromkeys(wanted))
        slot = {sample: index for index, sample in enumerate(unique)}
        self.spread = None if len(unique) == len(wanted) else [slot[s] for s in wanted]
        self.columns = np.array([position[sample] for sample in unique], dtype=np.intp)
        self.flat = len(unique) * _FLAT_FRACTION > len(sample_ids)
        if self.flat and np.array_equal(self.columns, np.arange(len(sample_ids))):
            self.columns = None  # all samples in file order: no column selection
        self.names: list[str] = []
        self.descriptions: list[str] = []
        capacity = declared_genes if 0 < declared_genes <= _MAX_DECLARED_GENES else 1024
        if self.genes is not None:
            capacity = min(capacity, max(len(self.genes), 1))
        self.values = np.empty((capacity, len(wanted)), dtype=np.float32)
        self.rows = 0
        self.rows_read = 0  # rows of the body, kept or not
        self.parse_options = pcsv.ParseOptions(
            delimiter="\t", quote_char=False, double_quote=False, escape_char=False
        )
        fields = [f"f{column}" for column in range(self.n_fields)]
        if self.flat:
            self.field_names = ["value"]
            kept = {"value": pa.float32()}
        else:
            self.field_names = fields
            kept = {fields[0]: pa.string(), fields[1]: pa.string()}
            kept |= {fields[column + 2]: pa.float32() for column in self.columns}
        self.convert_options = pcsv.ConvertOptions(
            column_types=kept,
            include_columns=list(kept),
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )

    def parse(self, text: bytes, number: int) -> tuple[list[str], list[str], np.ndarray]:
        """Names, descriptions and values (float32, shape=(rows, wanted)) of the whole rows
        in `text`, whose first line is line `number` of the file."""
        if self.flat:
            names, descriptions, values = self._parse_flat(text, number)
        else:
            names, descriptions, values = self._parse_table(text, number)
        if self.spread is not None:
            values = values[:, self.spread]
        return names, descriptions, values

    def _parse_flat(self, text: bytes, number: int) -> tuple[list[str], list[str], np.ndarray]:
        """Every value of every row, parsed as one column, then the wanted columns."""
        names, descriptions, pieces = [], [], []
        first_number = number
        view = memoryview(text)
        start, size = 0, len(text)
        while start < size:
            end = text.find(b"\n", start)
            end = size if end < 0 else end
            stop = end - 1 if end > start and text[end - 1] == 13 else end  # drop a \r
            if stop > start:
                tabs = text.count(b"\t", start, stop)
                if tabs != self.n_fields - 1:  # the first problem of the block, in file order
                    raise self._value_error(text, first_number, "a row of the wrong length")
                first = text.find(b"\t", start, stop)
                second = text.find(b"\t", first + 1, stop)
                names.append(self._label(text[start:first], number))
                descriptions.append(self._label(text[first + 1 : second], number))
                pieces.append(view[second + 1 : stop])
            start = end + 1
            number += 1
        n_values = len(pieces) * (self.n_fields - 2)
        values = np.empty((len(pieces), self.n_fields - 2), dtype=np.float32)
        if n_values:
            column = b"\n".join(pieces).translate(_TABS_TO_LINES)
            del pieces
            try:
                parsed = self._read(column)
            except pa.ArrowInvalid as error:
                raise self._value_error(text, first_number, str(error)) from None
            del column
            if parsed.num_rows != n_values:  # an empty value leaves an empty line
                raise self._value_error(text, first_number, "a value is missing")
            values = _float32_view(parsed.column(0).chunk(0)).reshape(values.shape)
        if self.columns is not None:
            values = values[:, self.columns]
        return names, descriptions, values

    def _parse_table(self, text: bytes, number: int) -> tuple[list[str], list[str], np.ndarray]:
        """The rows parsed as a table of which only the wanted columns are converted."""
        try:
            table = self._read(text)
        except pa.ArrowInvalid as error:
            raise self._value_error(text, number, str(error)) from None
        names = table.column(0).to_pylist()
        descriptions = table.column(1).to_pylist()
        values = table.drop_columns(table.column_names[:2])
        if values.num_columns == 0:
            return names, descriptions, np.empty((table.num_rows, 0), dtype=np.float32)
        batch = values.combine_chunks().to_batches()[0]
        if hasattr(batch, "to_tensor"):  # pyarrow >= 16
            return names, descriptions, np.asarray(batch.to_tensor())
        return names, descriptions, np.stack([c.to_numpy() for c in batch.columns], axis=1)

    def _read(self, text: bytes) -> pa.Table:
        """`text` parsed by pyarrow with this body's options, in one block (single-threaded:
        the blocks themselves are parsed in parallel). Bad values raise `pa.ArrowInvalid`."""
        return pcsv.read_csv(
            pa.py_buffer(text),
            read_options=pcsv.ReadOptions(
                column_names=self.field_names, use_threads=False, block_size=len(text) + 1
            ),
            parse_options=self.parse_options,
            convert_options=self.convert_options,
        )

    def store(self, names: list[str], descriptions: list[str], values: np.ndarray) -> None:
        """Append parsed rows (those of `genes`, when given) to the result, growing it when
        the body outruns its size."""
        self.rows_read += len(names)
        if self.genes is not None:
            keep = [strip_version(name) in self.genes for name in names]
            names = [name for name, kept in zip(names, keep, strict=True) if kept]
            descriptions = [text for text, kept in zip(descriptions, keep, strict=True) if kept]
            values = values[np.asarray(keep, dtype=bool)]
        end = self.rows + len(names)
        if end > self.values.shape[0]:
            rows = max(end, 2 * self.values.shape[0])
            self.values.resize((rows, self.values.shape[1]), refcheck=False)  # no views exist
        self.values[self.rows : end] = values
        self.names += names
        self.descriptions += descriptions
        self.rows = end

    def result(self) -> np.ndarray:
        """The values of the rows read, shape=(genes, wanted)."""
        if self.rows != self.values.shape[0]:
            self.values.resize((self.rows, self.values.shape[1]), refcheck=False)
        return self.values

    def _label(self, field: bytes, number: int) -> str:
        """A Name or Description field as text."""
        try:
            return field.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                self.path,
                f"not UTF-8 text (byte {error.start} of {field[:40]!r}: {error.reason})",
                "give the text file itself, saved as UTF-8",
                where=f"line {number}",
            ) from None

    def _fields_error(self, count: int, number: int) -> InputError:
        """The error for a row of `count` fields at line `number`."""
        return InputError(
            self.path,
            f"{count} tab-separated fields where the header has {self.n_fields}",
            "repair or download the file again; every row needs Name, Description and "
            "one value per sample",
            where=f"line {number}",
        )

    def _value_error(self, text: bytes, number: int, message: str) -> InputError:
        """The `InputError` for the first bad row of `text`, whose first line is line
        `number`; `message` (pyarrow's) is shown when no bad field can be pointed at."""
        columns = range(self.n_fields - 2) if self.flat else sorted(self.columns)
        line_number = number
        for line in text.split(b"\n"):
            line = line.rstrip(b"\r")
            if line:
                fields = line.split(b"\t")
                if len(fields) != self.n_fields:
                    return self._fields_error(len(fields), line_number)
                self._label(fields[0], line_number)
                self._label(fields[1], line_number)
                for column in columns:
                    if not _NUMBER.fullmatch(fields[column + 2]):
                        cell = fields[column + 2].decode("utf-8", errors="replace")
                        return InputError(
                            self.path,
                            f"value {cell!r} is not a number",
                            "repair or download the file again",
                            where=f"line {line_number}, sample {self.sample_ids[column]}",
                        )
            line_number += 1
        return InputError(
            self.path,
            f"unreadable rows from line {number} on ({message})",
            "repair or download the file again",
        )


def _float32_view(array: pa.Array) -> np.ndarray:
    """A float32 array without nulls as numpy, without a copy (and without importing pandas,
    as `to_numpy` does)."""
    return np.frombuffer(
        array.buffers()[1], dtype=np.float32, count=len(array), offset=4 * array.offset
    )


def _cpu_count() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _parse_rows(body: _Body, row_blocks: Iterator[tuple[bytes, int]], threads: int | None) -> None:
    """Parse blocks of rows on `threads` workers and store them in file order."""
    workers = threads or _cpu_count()
    pending: deque[Future[tuple[list[str], list[str], np.ndarray]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gct-parse") as pool:
        try:
            for text, number in row_blocks:
                pending.append(pool.submit(body.parse, text, number))
                if len(pending) > workers:
                    body.store(*pending.popleft().result())
            while pending:
                body.store(*pending.popleft().result())
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _check_version(path: str | Path, line: str) -> None:
    """Raise InputError unless the first line is `#1.2`."""
    if line.rstrip("\r\n") != GCT_VERSION:
        raise InputError(
            path,
            f"the first line is {line.rstrip()[:40]!r}, not {GCT_VERSION!r}",
            "give a GCT 1.2 file (GTEx gene_tpm / gene_reads .gct.gz)",
            where="line 1",
        )


def _parse_dims(path: str | Path, line: str) -> tuple[int, int]:
    """(genes, samples) from the dimensions line, e.g. `56200\\t17382`."""
    fields = line.split()
    if len(fields) != 2 or not all(field.isdigit() for field in fields):
        raise InputError(
            path,
            f"the dimensions line is {line.rstrip()[:40]!r}, not '<genes><TAB><samples>'",
            "give a GCT 1.2 file; its second line holds the number of genes and samples",
            where="line 2",
        )
    return int(fields[0]), int(fields[1])


def _parse_header(path: str | Path, line: str) -> list[str]:
    """Sample IDs from the `Name Description <samples>` header; they must be unique."""
    fields = line.rstrip("\r\n").split("\t")
    if [field.lower() for field in fields[:2]] != ["name", "description"]:
        raise InputError(
            path,
            f"the header starts {fields[:2]}, not ['Name', 'Description']",
            "give a GCT 1.2 file; its third line is 'Name<TAB>Description<TAB><sample IDs>'",
            where="line 3",
        )
    sample_ids = fields[2:]
    repeated = sorted(sample for sample, count in Counter(sample_ids).items() if count > 1)
    if repeated:
        raise InputError(
            path,
            f"{len(repeated)} sample IDs appear more than once: {', '.join(repeated[:10])}",
            "give each sample column a unique ID",
            where="line 3",
        )
    return sample_ids
