"""Opening plain or gzipped text files, reproducibly and with clear errors."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from cistrans.errors import InputError


def is_gzip(path: str | Path) -> bool:
    """Whether `path` is gzip-compressed (by its magic bytes, not its name)."""
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


@contextmanager
def open_text_read(path: str | Path) -> Iterator[TextIO]:
    """Open a plain or gzipped text file for reading; missing files raise `InputError`.

    A truncated or corrupt gzip stream, and text that is not UTF-8, surface as `InputError`
    naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            path, "file not found", "check the path in the config or rerun the rule that makes it"
        )
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
    except (EOFError, gzip.BadGzipFile, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise InputError(
            path, f"the gzip stream is truncated or corrupt ({error})", "download the file again"
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
