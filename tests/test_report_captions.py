"""The report's captions are reStructuredText: a |word| there is read as an undefined
substitution and shows as an error box in the HTML report (escape it: \\|word\\|)."""

from __future__ import annotations

import io
from pathlib import Path

import docutils.core
import pytest

REPORT = Path(__file__).resolve().parents[1] / "report"
CAPTIONS = sorted(path for path in REPORT.glob("*.rst") if "{{" not in path.read_text())


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda path: path.name)
def test_a_caption_renders_without_docutils_errors(caption: Path) -> None:
    messages = io.StringIO()
    docutils.core.publish_doctree(
        caption.read_text(encoding="utf-8"),
        settings_overrides={"warning_stream": messages, "report_level": 2},
    )
    assert messages.getvalue() == ""
