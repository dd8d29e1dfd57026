"""The report's captions are reStructuredText: a |word| there is read as an undefined
substitution and shows as an error box in the HTML report (escape it: \\|word\\|). Each
output a reader opens has its own caption, and every caption is used.

The whole report, built from the demo run, is checked in tests/test_workflow.py
(test_the_report_holds_the_figures): no docutils system message, every landing-page link
resolving."""

from __future__ import annotations

import io
import re
from collections import Counter
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import docutils.core
import jinja2
import pytest
import yaml

from cistrans.config import load_schema, validate_config

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "report"
CAPTIONS = sorted(REPORT.glob("*.rst"))
# Outputs that share a caption because they are one table in two formats.
SHARED = {"summary": 2}


@cache
def demo_config() -> dict:
    return validate_config(
        yaml.safe_load((REPO / "config" / "config.yaml").read_text()),
        load_schema(REPO / "config" / "schema.yaml"),
    )


def rendered(caption: Path) -> str:
    """The caption as Snakemake renders it: a Jinja template over the run (here the demo's
    config, no results yet), then reStructuredText."""
    environment = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    return environment.from_string(caption.read_text(encoding="utf-8")).render(
        snakemake=SimpleNamespace(config=demo_config()), categories={}, files=[]
    )


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda path: path.name)
def test_a_caption_renders_without_docutils_errors(caption: Path) -> None:
    messages = io.StringIO()
    docutils.core.publish_doctree(
        rendered(caption), settings_overrides={"warning_stream": messages, "report_level": 2}
    )
    assert messages.getvalue() == ""


def caption_uses() -> Counter[str]:
    """How many report() outputs of the rules name each caption (`report/<name>.rst`; the
    per-model trans figures, whose caption is chosen in a loop, by the names listed there)."""
    uses: Counter[str] = Counter()
    for path in (REPO / "rules").glob("*.smk"):
        text = path.read_text(encoding="utf-8")
        uses.update(re.findall(r'caption="\.\./report/(\w+)\.rst"', text))
        if 'caption=f"../report/{caption}.rst"' in text:
            uses.update(re.findall(r'\("\w+", "[\w/.]+", "(\w+)"\)', text))
    return uses


def test_every_output_has_its_own_caption_and_every_caption_is_used() -> None:
    uses = caption_uses()
    files = {path.stem for path in CAPTIONS} - {"workflow"}
    assert set(uses) - files == set(), "captions named in rules/ but missing from report/"
    assert files - set(uses) == set(), "captions in report/ that no output uses"
    shared = {name: n for name, n in uses.items() if n > SHARED.get(name, 1)}
    assert shared == {}, "captions shared by several outputs: give each output its own"
