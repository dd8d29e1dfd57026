"""Rule scripts report bad input as one line, in the log and on stderr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cistrans.errors import InputError
from cistrans.logs import rule_logging


def test_input_error_becomes_one_line_and_exit_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "logs" / "rule.log"
    with pytest.raises(SystemExit) as caught, rule_logging(log):
        logging.getLogger("cistrans.test").info("starting")
        raise InputError(
            "data/x.tsv", "missing column(s) gene_id", "give columns gene_id", "line 1"
        )
    assert caught.value.code == 1
    message = "data/x.tsv (line 1): missing column(s) gene_id. Fix: give columns gene_id"
    assert capsys.readouterr().err.strip() == f"cistrans: {message}"
    text = log.read_text()
    assert "starting" in text and message in text and "Traceback" not in text


def test_other_errors_keep_their_traceback(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), rule_logging(tmp_path / "rule.log"):
        _ = 1 / 0
