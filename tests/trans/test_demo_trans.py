"""The trans approach on the default demo world, scored against its planted truth.

Measured on seed 2022 (quoted in each test); thresholds sit below with margin.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

TRANS = Path("results") / "trans"


def read(workdir: Path, relative: str) -> pd.DataFrame:
    return pd.read_csv(workdir / relative, sep="\t", keep_default_na=False)


@pytest.fixture(scope="module")
def metrics(demo_workdir: Path) -> dict[str, dict]:
    return {
        model: json.loads(
            (demo_workdir / TRANS / model / "evaluation" / "metrics.json").read_text()
        )
        for model in ("network", "linear")
    }


def test_the_network_explains_more_test_variance_than_the_linear_baseline(
    metrics: dict[str, dict],
) -> None:
    """Measured: explained variance 0.734 (network) vs 0.692 (ridge baseline, penalty 100
    chosen on validation; the trained linear layer gave 0.680 on the world before the cis
    grammar of 12 motifs), per-gene median R² 0.745 vs 0.707: the network learns the
    targets' switches, which a linear model can only average over (it leaves 14 % less
    variance unexplained), and tuning the penalty does not close the gap."""
    network, linear = metrics["network"], metrics["linear"]
    assert network["explained_variance"] > 0.65 and linear["explained_variance"] > 0.6
    assert network["explained_variance"] > linear["explained_variance"] + 0.025
    assert network["per_gene_r2_median"] > linear["per_gene_r2_median"] + 0.025
    assert (
        metrics["network"]["global_mean_r2_paper_style"] > metrics["network"]["explained_variance"]
    )


def test_the_ridge_baseline_is_tuned_and_compared_on_every_result(demo_workdir: Path) -> None:
    """Measured: penalty 100 of the 14-value grid; models.tsv: network EV 0.734, AUROC
    (TRRUST) 0.897, disease ρ pooled 0.48; ridge 0.692, 0.902, 0.49. The ridge's light-up
    reads the planted edges at least as well as the network's (AUROC 0.988 vs 0.981): on the
    demo the non-linearity helps prediction, not edge recovery."""
    ridge = json.loads((demo_workdir / TRANS / "linear" / "model.json").read_text())["ridge"]
    assert ridge["alphas"][0] < ridge["alpha"] < ridge["alphas"][-1]
    models = read(demo_workdir, "results/trans/models.tsv").set_index("model")
    assert list(models.index) == ["network", "linear"]
    assert models.loc["linear", "auroc_trrust"] > 0.85
    assert models.loc["linear", "disease_rho_pooled"] > 0.4
    assert models.loc["network", "disease_rho_pooled"] > 0.4


def test_lightup_recovers_known_edges_and_their_signs(demo_workdir: Path) -> None:
    """Measured against TRRUST: AUROC 0.90 (|Spearman| control 0.61), median fold 9.9
    (control 1.5), 93 % of signed edges agree (its 10 % Unknown and 20 % false edges blur it)."""
    summary = read(demo_workdir, "results/trans/network/validation/summary.tsv").iloc[0]
    assert summary.auroc > 0.8 and summary.auroc > summary.control_auroc + 0.05
    assert summary.median_fold > 5 and summary.median_fold > 2 * summary.control_median_fold
    assert summary.sign_fraction_agreeing > 0.85 and summary.sign_p_value < 1e-10


def test_lightup_recovers_the_planted_network(demo_workdir: Path) -> None:
    """Measured: AUROC 0.98 of |light-up| for the true edges; 99.5 % of true signs."""
    from cistrans.evaluate import auroc

    scores = pd.read_parquet(demo_workdir / TRANS / "network" / "lightup.parquet")
    genes = read(demo_workdir, "resources/demo/truth/genes.tsv").set_index("symbol").gene_id
    edges = read(demo_workdir, "resources/demo/truth/tf_edges.tsv")
    edges = edges.assign(tf_id=edges.tf.map(genes), target_id=edges.target.map(genes))
    edges = edges[edges.target_id.isin(scores.columns) & edges.tf_id.isin(scores.index)]
    truth = pd.DataFrame(False, index=scores.index, columns=scores.columns)
    for tf, target in zip(edges.tf_id, edges.target_id, strict=True):
        truth.at[tf, target] = True
    assert auroc(truth.to_numpy().ravel(), scores.abs().to_numpy().ravel()) > 0.9
    signs = np.sign([scores.at[t, g] for t, g in zip(edges.tf_id, edges.target_id, strict=True)])
    assert (signs == edges.sign.to_numpy()).mean() > 0.95


def test_pruning_keeps_the_master_regulators_longest(demo_workdir: Path) -> None:
    """Measured (steps 70, 25, 5, patience 10): the 15 masters sit at core ranks 1-37 of 150
    (median 9; 1-32 with the full network's patience of 20);
    25 TFs keep 80 % of the explained variance; retained TFs have more TRRUST targets (mean
    37.2 vs 15.1; Mann-Whitney p 3e-6, permutation p 1e-4). (With 4 instead of 5 extra cis
    sites per promoter one master fell to rank 78: the TFs' own levels follow their
    promoters, and the pruning order follows them.)"""
    core = read(demo_workdir, "results/trans/pruning/core_tfs.tsv")
    masters = set(read(demo_workdir, "resources/demo/truth/master_regulators.tsv").symbol)
    ranks = core.index[core.symbol.isin(masters)] + 1
    assert len(ranks) == 15 and np.median(ranks) <= 15 and ranks.max() <= 50
    hierarchy = json.loads((demo_workdir / TRANS / "pruning" / "hierarchy_test.json").read_text())
    assert hierarchy["tfs_for_80_percent"] < 75 and hierarchy["mann_whitney_p"] < 0.05
    assert hierarchy["permutation_p"] < 0.05
    curve = read(demo_workdir, "results/trans/pruning/curve.tsv")
    assert curve.explained_variance.is_monotonic_decreasing


def test_diseases_are_predicted_and_their_causal_tfs_rank_high(demo_workdir: Path) -> None:
    """Measured: ρ 0.19-0.70 per disease, pooled 0.48; causal TFs at median rank 2 of 150,
    13 of 14 in the top 10; GWAS Fisher FDR < 0.1 in 6 of 6 diseases."""
    summary = read(demo_workdir, "results/trans/network/diseases/summary.tsv").set_index("disease")
    single = summary.drop(index="pooled")
    assert summary.at["pooled", "rho"] > 0.4
    assert (single.rho.astype(float) > 0.2).mean() >= 0.8
    rankings = read(demo_workdir, "results/trans/network/diseases/tf_rankings.tsv")
    causal = read(demo_workdir, "resources/demo/truth/disease_causal_tfs.tsv")
    ranks = causal.merge(rankings, left_on=["disease", "tf"], right_on=["disease", "symbol"])[
        "rank"
    ]
    assert len(ranks) == len(causal)
    assert ranks.median() <= 5 and (ranks <= 10).mean() >= 0.75
    assert (single.fisher_fdr.astype(float) < 0.1).mean() >= 0.5
