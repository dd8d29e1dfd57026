"""Logging for rule scripts: everything, progress bars included, goes to the rule's log."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from cistrans.errors import InputError


@contextlib.contextmanager
def rule_logging(log_path: str | Path) -> Iterator[logging.Logger]:
    """Send logging, stdout and stderr (tqdm) to `log_path`; turn `InputError` into one line.

    On bad input the message is written to the log and to the real stderr, and the script
    exits with status 1, so Snakemake reports the rule as failed without a traceback.
    """
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    real_stdout, real_stderr = sys.stdout, sys.stderr
    with open(log_path, "w", encoding="utf-8", buffering=1) as handle:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            handlers=[logging.StreamHandler(handle)],
            force=True,
        )
        logging.captureWarnings(True)
        sys.stdout = sys.stderr = handle
        try:
            yield logging.getLogger("cistrans")
        except InputError as error:
            logging.getLogger("cistrans").error("%s", error)
            print(f"cistrans: {error}", file=real_stderr)
            raise SystemExit(1) from None
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
