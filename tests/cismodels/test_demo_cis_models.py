"""The sequence models on the demo world, beside their permuted-label controls."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def best_validation(run: Path) -> float:
    return float(pd.read_csv(run / "history.tsv", sep="\t").validation_loss.min())


def test_the_sequence_models_run_per_seed_and_the_trans_features_carry_signal(
    demo_workdir: Path,
) -> None:
    """Measured (150 test genes, 2 seeds; epochs 40/20): TExCNN with the TF features
    pearson_r2 0.61-0.63 (r2 0.59) against its control 0.002; with the mRNA features best
    validation MSE 0.93 (Xpresso 0.92) against 0.99 on the sequence alone. On the sequence
    alone every model stays at its control's level (pearson_r2 0.001-0.013): the demo's
    planted sites (150 motifs, ~60 sites each, among 1,278 training genes) are too few per
    motif for a CNN to learn, and the tiny DNABERT is random."""
    cis = demo_workdir / "results" / "cis"
    comparison = pd.read_csv(cis / "comparison.tsv", sep="\t").set_index(
        ["model", "features", "labels"]
    )
    runs = {("texcnn_dnabert6", f) for f in ("dna", "dna_mrna", "dna_mrna_tf")}
    runs |= {("xpresso", "dna"), ("xpresso", "dna_mrna"), ("deeplncloc", "dna")}
    for model, features in runs:
        assert comparison.loc[(model, features, "observed"), "n_runs"] == 2
    for model, features in (("texcnn_dnabert6", "dna_mrna_tf"), ("xpresso", "dna_mrna"),
                            ("deeplncloc", "dna")):  # fmt: skip
        assert comparison.loc[(model, features, "permuted"), "n_runs"] == 1
    tf = comparison.loc[("texcnn_dnabert6", "dna_mrna_tf", "observed")]
    control = comparison.loc[("texcnn_dnabert6", "dna_mrna_tf", "permuted")]
    assert tf.pearson_r2_min > 0.3 and tf.pearson_r2_min > 10 * max(control.pearson_r2_max, 0.01)
    for model in ("texcnn_dnabert6", "xpresso"):
        dna, mrna = (
            sum(best_validation(cis / model / features / f"seed_{s}") for s in (0, 1)) / 2
            for features in ("dna", "dna_mrna")
        )
        assert mrna < dna - 0.02, (model, dna, mrna)
    assert (comparison.pearson_r2_mean >= comparison.r2_mean).all()
