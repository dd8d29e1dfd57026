"""Figures of what the one-hot sequence models learned, drawn from the tables rule
cis_attributions writes."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.cismodels.attribution import DIFFUSE_INFORMATION
from cistrans.plots.figure import save


def pattern_logos(motifs: pd.DataFrame, cwms: pd.DataFrame, path: str | Path, n: int = 18) -> None:
    """Logos of the contribution weight matrices of the `n` patterns of largest |weight|
    (letters above the axis raise the prediction, below lower it), each titled with its
    sign, seqlets, weight and best JASPAR match with its TOMTOM q-value; a diffuse pattern
    (under `DIFFUSE_INFORMATION` bits per position) is marked so.

    motifs: `cistrans.cismodels.attribution.pattern_table`'s table (with run, method and
    sequences); cwms: `cwm_table`'s. With no pattern, a figure that says so."""
    import logomaker

    shown = motifs.head(n)
    columns = 3
    rows = max(1, int(np.ceil(len(shown) / columns)))
    figure, axes = plt.subplots(rows, columns, figsize=(4.4 * columns, 2.1 * rows), squeeze=False)
    for ax, pattern in zip(axes.ravel(), shown.itertuples(), strict=False):
        cwm = cwms[cwms.pattern == pattern.pattern].sort_values("position")
        logomaker.Logo(cwm[list("ACGT")].reset_index(drop=True), ax=ax, color_scheme="classic")
        ax.axhline(0, color="grey", lw=0.5)
        sign = "raises" if pattern.sign > 0 else "lowers"
        q = f"q = {pattern.q_value:.1e}" if pattern.q_value > 0 else "q ≈ 0"
        match = (
            f"≈ {pattern.match_name} ({pattern.match_id}), {q}"
            if isinstance(pattern.match_id, str) and pattern.match_id
            else "no JASPAR match"
        )
        diffuse = ", diffuse" if pattern.information < DIFFUSE_INFORMATION else ""
        ax.set_title(
            f"{pattern.pattern}: {sign}, {pattern.seqlets} seqlets, "
            f"weight {pattern.weight:+.3f}{diffuse}\n{match}",
            fontsize=8,
        )
        ax.set(xticks=[], ylabel="contribution")
    for ax in axes.ravel()[len(shown) :]:
        ax.axis("off")
    if len(motifs):
        first = motifs.iloc[0]
        figure.suptitle(
            f"motifs of {first.run} ({first.method}, {first.sequences} test sequences)",
            fontsize=10,
        )
    else:
        axes[0, 0].text(
            0.5, 0.5, "TF-MoDISco found no pattern\n(the log of cis_attributions says why)",
            ha="center", va="center", transform=axes[0, 0].transAxes,
        )  # fmt: skip
    save(figure, path)
