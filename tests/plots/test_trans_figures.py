"""The trans figures stay readable however many diseases and models there are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from cistrans.plots.trans import disease_scatter, model_comparison


def test_the_disease_figure_grows_with_50_long_disease_names(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    names = [f"disease number {i} with a long descriptive Expression Atlas name" for i in range(50)]
    predictions = pd.DataFrame(
        {
            "disease": np.repeat(names, 40),
            "predicted": rng.normal(size=2000),
            "observed": rng.normal(size=2000),
        }
    )
    summary = pd.DataFrame(
        {
            "disease": [*names, "pooled"],
            "rho": [*rng.uniform(-0.2, 0.8, 50), 0.3],
            "fisher_p": [*([0.01] * 45), *([np.nan] * 5), np.nan],
        }
    )
    few, many = tmp_path / "few.png", tmp_path / "many.png"
    disease_scatter(predictions[predictions.disease.isin(names[:5])],
                    summary[summary.disease.isin([*names[:5], "pooled"])], few)  # fmt: skip
    disease_scatter(predictions, summary, many)
    with Image.open(few) as small, Image.open(many) as large:
        assert large.height > 2 * small.height  # one readable row per disease
        assert large.width == small.width


def test_the_model_comparison_draws_every_knowledge_table(tmp_path: Path) -> None:
    comparison = pd.DataFrame(
        {
            "model": ["network", "linear", "ensemble"],
            "explained_variance": [0.72, 0.68, 0.73],
            "auroc_trrust": [0.9, 0.9, 0.9],
            "control_auroc_trrust": [0.6] * 3,
            "auroc_dorothea": [0.8, 0.7, 0.8],
            "control_auroc_dorothea": [0.55] * 3,
            "disease_rho_pooled": [0.5, 0.49, 0.5],
        }
    )
    path = tmp_path / "models.png"
    model_comparison(comparison, path)
    with Image.open(path) as image:
        assert image.width > 4 * 3.2 * 100  # four panels
