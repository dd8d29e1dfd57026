"""Shared fixtures for the format readers' tests: the real reference files, when present."""

from __future__ import annotations

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
