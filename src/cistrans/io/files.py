"""Opening plain or gzipped text files, reproducibly, and reading any file with clear errors.

`reading` is what every reader wraps its opening and reading in: a missing or empty (0-byte)
file, and a truncated or corrupt one (a cut gzip stream, HDF5 file, NumPy array, Parquet
file or zip archive), raise one `InputError` naming the file, what is wrong and the fix,
instead of the decompressor's or library's own exception.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from cistrans.errors import InputError

DAMAGED = (EOFError, OSError, zlib.error, zipfile.BadZipFile)
"""What gzip, zlib, zip and HDF5 readers raise on cut or corrupt bytes (an `OSError` with an
errno, such as a full disk or a permission, is not damage and is never taken for it)."""
DAMAGED_OR_INVALID = (*DAMAGED, ValueError)
"""The same plus `ValueError`: what NumPy (`.npy`), pyarrow (Parquet) and JSON readers raise."""
CHECK_PATH = "check the path in the config or rerun the rule that makes it"
OWN_FILE_AGAIN = "copy or export your file again, in full"
"""The fix for a damaged file of the user's own (a custom matrix, a label table)."""
_REASON_CHARACTERS = 200
_CHECK_BLOCK_BYTES = 1 << 24


def download_again(path: str | Path) -> str:
    """The fix for a damaged downloaded file (downloads are write-protected)."""
    return f"download the file again: delete it (chmod u+w {path}, then rm) and rerun"


def rerun_rule(rule: str | None = None) -> str:
    """The fix for a damaged file that rule `rule` (when known) of the workflow wrote."""
    if rule is None:
        return "delete it and rerun the rule that makes it"
    return f"rebuild it with `snakemake --forcerun {rule}` (rule {rule} makes it)"


class DamagedFileError(InputError):
    """An `InputError` for a truncated, corrupt or empty file (`readable_file`, `damaged_error`)."""


def readable_file(path: str | Path, fix: str | None = None, missing_fix: str = CHECK_PATH) -> Path:
    """`path` as a Path, checked to be a file holding at least one byte.

    A missing file raises `InputError` with `missing_fix`; an empty one (what an interrupted
    download or write leaves) with `fix` (`download_again` when None).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", missing_fix)
    if path.stat().st_size == 0:
        raise DamagedFileError(
            path,
            "the file is empty (0 bytes, as an interrupted download or write leaves it)",
            fix or download_again(path),
        )
    return path


def damaged_error(path: str | Path, kind: str, error: BaseException, fix: str) -> InputError:
    """The `InputError` for a truncated or corrupt `kind` of file (e.g. "HDF5 file"), with the
    first line of the reader's own `error` as the detail."""
    lines = str(error).strip().splitlines()
    reason = lines[0][:_REASON_CHARACTERS] if lines else type(error).__name__
    return DamagedFileError(path, f"the {kind} is truncated or corrupt ({reason})", fix)


@contextmanager
def reading(
    path: str | Path,
    kind: str | None = None,
    fix: str | None = None,
    errors: tuple[type[BaseException], ...] = DAMAGED,
    missing_fix: str = CHECK_PATH,
) -> Iterator[Path]:
    """Check `path` (see `readable_file`), then turn `errors` raised while it is read inside
    the `with` block into one `InputError` naming the file, what is wrong and `fix`.

    kind: what the file is, for the message ("HDF5 file", "Parquet table"); None says
    "gzip stream" for gzip content, else "file" (looked at only when reading fails).
    fix: `download_again` when None; use `rerun_rule` for a file the workflow wrote and
    `OWN_FILE_AGAIN` for a user's own file. `OSError`s with an errno (missing files,
    permissions, a full disk) pass unchanged. Any other error of a gzip file (a parser's,
    an `InputError` naming a line) is first checked against the whole stream: corrupt deflate
    data decompresses to garbage that a parser trips on before gzip's checksum fails, and
    the fix is then to replace the file, not to edit that line. Yields the path; costs
    nothing when the file reads well.
    """
    path = readable_file(path, fix, missing_fix)
    try:
        yield path
    except Exception as error:
        if isinstance(error, DamagedFileError) or (
            isinstance(error, OSError) and error.errno is not None
        ):
            raise
        ours = isinstance(error, InputError)
        damage = error if isinstance(error, errors) and not ours else _gzip_damage(path)
        if damage is None:
            raise
        if kind is None:
            kind = "gzip stream" if is_gzip(path) else "file"
        raise damaged_error(path, kind, damage, fix or download_again(path)) from error


def _gzip_damage(path: Path) -> BaseException | None:
    """What decompressing all of `path` raises when it is a truncated or corrupt gzip file;
    None when it is whole or not gzip (read only after another error, never on success)."""
    if not is_gzip(path):
        return None
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(_CHECK_BLOCK_BYTES):
                pass
    except (EOFError, OSError, zlib.error) as error:
        return error
    return None


def is_gzip(path: str | Path) -> bool:
    """Whether `path` is gzip-compressed (by its magic bytes, not its name)."""
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


@contextmanager
def open_text_read(path: str | Path, fix: str | None = None) -> Iterator[TextIO]:
    """Open a plain or gzipped text file for reading.

    A missing or empty file, a truncated or corrupt gzip stream, and text that is not UTF-8
    raise `InputError` naming the file (see `reading`; `fix`: the fix for a damaged file,
    `download_again` when None).
    """
    with reading(path, fix=fix) as path:
        if is_gzip(path):
            raw = gzip.open(path, "rb")  # noqa: SIM115 (closed through the wrapper below)
            handle: TextIO = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        else:
            handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115
        try:
            with handle:
                yield handle
        except UnicodeDecodeError as error:
            raise InputError(
                path,
                f"not UTF-8 text (byte {error.start} of a block: {error.reason})",
                "give the text file itself, saved as UTF-8",
            ) from error


@contextmanager
def open_text_write(path: str | Path, compresslevel: int = 6) -> Iterator[TextIO]:
    """Open a text file for writing, gzipped (at `compresslevel`) when the name ends in `.gz`.

    Gzip headers carry no file name and no time stamp, so the same content always gives
    byte-identical files. Lines end in `\\n` on every platform.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=compresslevel
            ) as gz,
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as handle,
        ):
            yield handle
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
