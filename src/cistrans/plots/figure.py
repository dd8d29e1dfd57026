"""How every figure is saved (the backend is set by the package, `cistrans.plots`)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

DPI = 110


def save(figure: plt.Figure, path: str | Path) -> None:
    """Lay out, write (PNG at `DPI`) and close `figure`."""
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
