"""Logging for rule scripts: everything, progress bars included, goes to the rule's log."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from cistrans.errors import InputError, few

_SHOWN_INPUTS = 20  # how many input files the line after an unexpected error names


@contextlib.contextmanager
def rule_logging(
    log_path: str | Path, inputs: Iterable[object] | None = None
) -> Iterator[logging.Logger]:
    """Send logging, Python warnings, stdout and stderr (tqdm) to `log_path`.

    inputs: the files the rule read (`snakemake.input`; a list of paths, nested lists
    flattened), named in the log when the script fails unexpectedly.

    On bad input (`InputError`) the message is written to the log and to the real stderr as
    one line, and the script exits with status 1, so Snakemake reports the rule as failed
    without a traceback. Any other exception is written to the log with its traceback,
    followed by a line naming the inputs, and raised again, so Snakemake's stderr shows it
    too (on a cluster the log is what remains). A KeyboardInterrupt or a SystemExit with a
    non-zero status is noted in one line; SystemExit(0) passes silently.
    """
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    real_stdout, real_stderr = sys.stdout, sys.stderr
    log = logging.getLogger("cistrans")
    with open(log_path, "w", encoding="utf-8", buffering=1) as handle:
        handler = logging.StreamHandler(handle)
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            handlers=[handler],
            force=True,
        )
        logging.captureWarnings(True)
        sys.stdout = sys.stderr = handle
        try:
            yield log
        except InputError as error:
            log.error("%s", error)
            print(f"cistrans: {error}", file=real_stderr)
            raise SystemExit(1) from None
        except SystemExit as stop:
            if stop.code not in (None, 0):
                log.error("the script stopped with exit status %s", stop.code)
            raise
        except KeyboardInterrupt:
            log.error("interrupted (KeyboardInterrupt) before the rule finished")
            raise
        except Exception as error:
            log.exception("unexpected error: %s: %s", type(error).__name__, error)
            log.error("%s", _input_line(inputs))
            raise
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
            logging.captureWarnings(False)
            logging.getLogger().removeHandler(handler)


def _input_line(inputs: Iterable[object] | None) -> str:
    """The closing line of an unexpected error: the inputs may be the cause, and which."""
    paths = list(_flatten(inputs)) if inputs is not None else []
    if not paths:
        return "the input may be the cause; this rule read no input file"
    return "the input may be the cause; this rule read: " + few(
        [_described(path) for path in paths], shown=_SHOWN_INPUTS
    )


def _flatten(inputs: Iterable[object]) -> Iterator[str]:
    for item in [inputs] if isinstance(inputs, str | Path) else inputs:
        if isinstance(item, str | Path):
            yield str(item)
        elif isinstance(item, Iterable):
            yield from _flatten(item)
        else:
            yield str(item)


def _described(path: str) -> str:
    """`path (12,345 bytes)`, `path (a folder)` or `path (missing)`."""
    try:
        stat = os.stat(path)
    except OSError:
        return f"{path} (missing)"
    if Path(path).is_dir():
        return f"{path} (a folder)"
    return f"{path} ({stat.st_size:,} bytes)"
