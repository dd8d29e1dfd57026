"""Shared fixtures for the format readers' tests: the real reference files, when present."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
"""`../shared/real` beside the project: real files, absent from CI and fresh clones."""


@pytest.fixture
def real() -> Path:
    """The folder of real reference files; skips the test when it is absent."""
    if not REAL.exists():
        pytest.skip("../shared/real not available")
    return REAL


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[[str, str], Path]:
    """A function writing `text` to the file `name` in the tmp folder; it returns the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
