"""Rule scripts report bad input as one line, and any other error with its traceback and
the inputs, in the log and on stderr."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from cistrans.errors import InputError
from cistrans.logs import rule_logging
from tests.conftest import run_snakemake


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


def test_an_unexpected_error_leaves_its_traceback_and_the_inputs_in_the_log(
    tmp_path: Path,
) -> None:
    table = tmp_path / "counts.tsv"
    table.write_text("gene\tcount\ng1\tmany\n")
    log = tmp_path / "logs" / "rule.log"
    inputs = [str(table), [str(tmp_path / "chunk_0.npy")]]  # as snakemake.input, nested
    with pytest.raises(ValueError, match="could not convert"), rule_logging(log, inputs):
        logging.getLogger("cistrans.test").info("reading %s", table)
        float(table.read_text().split()[-1])
    text = log.read_text()
    assert "reading" in text and "Traceback (most recent call last)" in text
    assert "ValueError: could not convert string to float: 'many'" in text
    last = text.strip().splitlines()[-1]
    assert "the input may be the cause; this rule read: " in last
    assert f"{table} (19 bytes)" in last and f"{tmp_path / 'chunk_0.npy'} (missing)" in last


def test_warnings_land_in_the_log_and_a_clean_exit_logs_no_error(tmp_path: Path) -> None:
    log = tmp_path / "rule.log"
    with pytest.raises(SystemExit) as caught, rule_logging(log, inputs=[]):
        warnings.warn("labels are nearly constant", UserWarning, stacklevel=1)
        raise SystemExit(0)
    assert caught.value.code == 0
    text = log.read_text()
    assert "UserWarning: labels are nearly constant" in text
    assert "ERROR" not in text and "Traceback" not in text


@pytest.mark.parametrize(
    ("stop", "line"),
    [
        (SystemExit(3), "the script stopped with exit status 3"),
        (KeyboardInterrupt(), "interrupted (KeyboardInterrupt) before the rule finished"),
    ],
)
def test_an_exit_or_an_interrupt_is_one_line_without_a_traceback(
    tmp_path: Path, stop: BaseException, line: str
) -> None:
    log = tmp_path / "rule.log"
    with pytest.raises(type(stop)), rule_logging(log, inputs=["a.tsv"]):
        raise stop
    text = log.read_text()
    assert line in text and "Traceback" not in text and "input may be the cause" not in text


def test_the_traceback_still_reaches_the_real_stderr(tmp_path: Path) -> None:
    """A script whose error escapes: Python prints it on the stderr Snakemake reads."""
    log = tmp_path / "rule.log"
    script = (
        "from cistrans.logs import rule_logging\n"
        f"with rule_logging({str(log)!r}, inputs=['in.tsv']):\n"
        "    print('working')\n"
        "    {}['missing_key']\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "Traceback" in run.stderr and "KeyError: 'missing_key'" in run.stderr
    assert "working" not in run.stdout + run.stderr  # stdout went to the log
    text = log.read_text()
    assert "working" in text and "KeyError: 'missing_key'" in text
    assert "this rule read: in.tsv (missing)" in text


@pytest.mark.workflow
def test_a_failing_rule_keeps_its_traceback_in_its_log(tmp_path: Path) -> None:
    """A rule of its own, fed a file its script cannot parse: Snakemake reports the failure
    and the rule's log holds the traceback and the input."""
    (tmp_path / "value.txt").write_text("not a number\n")
    (tmp_path / "parse.py").write_text(
        "from cistrans.logs import rule_logging\n"
        "with rule_logging(snakemake.log[0], inputs=snakemake.input):\n"
        "    value = float(open(snakemake.input.value).read())\n"
        "    open(snakemake.output[0], 'w').write(str(value))\n"
    )
    (tmp_path / "Snakefile").write_text(
        "rule parse:\n"
        "    input:\n        value='value.txt',\n"
        "    output:\n        'parsed.txt',\n"
        "    log:\n        'logs/parse.log',\n"
        "    script:\n        'parse.py'\n"
    )
    run = run_snakemake(tmp_path, "--cores", "1", check=False)
    assert run.returncode != 0
    assert "could not convert string to float" in run.stdout + run.stderr
    text = (tmp_path / "logs" / "parse.log").read_text()
    assert "Traceback (most recent call last)" in text
    assert "ValueError: could not convert string to float: 'not a number\\n'" in text
    assert "the input may be the cause; this rule read: value.txt (13 bytes)" in text
