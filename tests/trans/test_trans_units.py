"""Trans building blocks on small hand-made inputs: model I/O, light-up, validation
statistics, pruning helpers, disease evaluation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from cistrans.errors import InputError
from cistrans.evaluate import auprc, auroc
from cistrans.trans import pruning
from cistrans.trans.disease import evaluate_disease, gwas_check, measured_changes
from cistrans.trans.evaluate import (
    evaluation_tables,
    explained_variance,
    global_mean_r2,
    per_gene_r2,
)
from cistrans.trans.lightup import lightup, perturbed_inputs
from cistrans.trans.model import (
    Architecture,
    TransModel,
    build_network,
    check_gene_order,
    load_model,
)
from cistrans.trans.validation import fold_statistics, sign_test


def linear_model(weights: np.ndarray) -> TransModel:
    """A linear model whose output = inputs @ weights (identity scalers)."""
    n_in, n_out = weights.shape
    arch = Architecture(n_in, n_out, [], "elu", 0.0)
    network = build_network(arch)
    with torch.no_grad():
        network[0].weight.copy_(torch.as_tensor(weights.T, dtype=torch.float32))
        network[0].bias.zero_()
    zeros_in, zeros_out = np.zeros(n_in, np.float32), np.zeros(n_out, np.float32)
    return TransModel(
        network, arch, [f"T{i}" for i in range(n_in)], [f"TF{i}" for i in range(n_in)],
        [f"G{j}" for j in range(n_out)], [f"GENE{j}" for j in range(n_out)],
        zeros_in, zeros_in + 1, zeros_out, zeros_out + 1,
    )  # fmt: skip


WEIGHTS = np.array([[1.0, 0.0, -2.0], [0.0, 0.5, 0.0]])


def test_save_load_round_trip_and_gene_order_check(tmp_path: Path) -> None:
    model = linear_model(WEIGHTS)
    model.save(tmp_path / "m.pt", tmp_path / "m.json")
    back = load_model(tmp_path / "m.pt", tmp_path / "m.json")
    x = np.array([[1.0, 2.0]], dtype=np.float32)
    np.testing.assert_allclose(back.predict(x), [[1.0, 1.0, -2.0]], atol=1e-6)
    check_gene_order(back, ["T0", "T1"], ["G0", "G1", "G2"], source="data.h5ad")
    with pytest.raises(InputError, match=r"data\.h5ad.*target genes disagree.*position 1"):
        check_gene_order(back, ["T0", "T1"], ["G0", "G2", "G1"], source="data.h5ad")


def test_lightup_of_a_linear_model_is_its_weights_times_the_log_step() -> None:
    scores = lightup(linear_model(WEIGHTS), factor=2.0, perturbation="fold", log_base=2.0)
    np.testing.assert_allclose(scores.to_numpy(), WEIGHTS, atol=1e-6)
    ln_scores = lightup(linear_model(WEIGHTS), factor=2.0, log_base=np.e)
    np.testing.assert_allclose(ln_scores.to_numpy(), WEIGHTS * np.log(2.0), atol=1e-6)
    up, down = perturbed_inputs(
        np.array([2.0, 4.0]), factor=2.0, perturbation="value", log_base=2.0
    )
    np.testing.assert_allclose(up, [[4.0, 4.0], [2.0, 8.0]])
    np.testing.assert_allclose(down, [[1.0, 4.0], [2.0, 2.0]])


def test_metrics_distinguish_per_gene_and_global_means() -> None:
    observed = np.array([[0.0, 10.0], [2.0, 12.0], [4.0, 14.0]])
    predicted = observed.mean(axis=0) + np.zeros_like(observed)
    np.testing.assert_allclose(per_gene_r2(observed, predicted), [0.0, 0.0])
    assert explained_variance(observed, predicted) == pytest.approx(0.0)
    assert global_mean_r2(observed, predicted) > 0.9  # the inflated paper-style figure
    _, metrics, extremes = evaluation_tables(
        observed, observed, ["a", "b"], ["A", "B"], n_extremes=1
    )
    assert metrics["explained_variance"] == 1.0 and len(extremes) == 2


def test_ranking_metrics() -> None:
    labels = np.array([1, 0, 1, 0, 0], dtype=bool)
    assert auroc(labels, np.array([0.9, 0.1, 0.8, 0.2, 0.3])) == 1.0
    assert auroc(labels, np.array([0.1, 0.9, 0.2, 0.8, 0.7])) == 0.0
    assert auprc(labels, np.array([0.9, 0.1, 0.8, 0.2, 0.3])) == 1.0
    assert np.isnan(auroc(np.zeros(3, dtype=bool), np.arange(3)))


def test_fold_statistics_and_sign_test_on_planted_scores() -> None:
    rng = np.random.default_rng(0)
    scores = pd.DataFrame(
        rng.normal(0, 0.1, size=(20, 30)),
        index=[f"T{i}" for i in range(20)],
        columns=[f"G{j}" for j in range(30)],
    )
    rows = []
    for j in range(30):
        for i in (j % 20, (j + 1) % 20):
            sign = 1.0 if i % 2 == 0 else -1.0
            scores.iat[i, j] = sign * rng.uniform(1.0, 2.0)
            rows.append((f"T{i}", f"G{j}", "Activation" if sign > 0 else "Repression"))
    edges = pd.DataFrame(rows, columns=["tf", "target", "mode"])
    folds = fold_statistics(scores, edges)
    assert len(folds) == 30 and folds.fold.min() > 5 and (folds.p_value < 0.05).all()
    result = sign_test(scores, edges)
    assert result["fraction_agreeing"] == 1.0 and result["p_value"] < 1e-10
    flipped = edges.assign(
        mode=edges["mode"].map({"Activation": "Repression", "Repression": "Activation"})
    )
    assert sign_test(scores, flipped)["fraction_agreeing"] == 0.0


def test_pruning_helpers() -> None:
    importance = pd.Series({"a": 0.1, "b": 0.5, "c": 0.3, "d": 0.2})
    assert pruning.keep_most_important(importance, 2) == ["b", "c"]
    steps = [(4, ["b", "c", "d", "a"]), (2, ["c", "b"]), (1, ["c"])]
    assert pruning.core_order(steps) == ["c", "b", "d", "a"]
    curve = pd.DataFrame(
        {"n_tfs": [100, 50, 20, 10, 5], "fraction_of_full": [1.0, 0.97, 0.9, 0.8, 0.5]}
    )
    assert pruning.tfs_for_fraction(curve, 0.8) == 10 and pruning.tfs_for_fraction(curve, 0.9) == 20
    assert pruning.knee(np.array([100, 50, 20, 10, 5]), np.array([1.0, 0.97, 0.9, 0.8, 0.5])) in (
        10,
        20,
    )
    known = pd.Series({"c": 30, "b": 25, "d": 2, "a": 1})
    assert (
        pruning.hierarchy_test(["c", "b"], ["d", "a"], known)["median_known_targets_retained"]
        == 27.5
    )


def test_the_hierarchy_test_speaks_when_most_tfs_have_no_known_target() -> None:
    retained = [f"r{i}" for i in range(20)]
    removed = [f"x{i}" for i in range(80)]
    # medians 0 against 0, but 8 of 20 retained TFs have targets against 4 of 80 removed
    known = pd.Series({**{f"r{i}": 5 + i for i in range(8)}, **{f"x{i}": 1 for i in range(4)}})
    test = pruning.hierarchy_test(retained, removed, known, permutations=2_000)
    assert test["median_known_targets_retained"] == test["median_known_targets_removed"] == 0
    assert test["share_with_known_targets_retained"] == 0.4
    assert test["share_with_known_targets_removed"] == 0.05
    assert test["mann_whitney_p"] < 1e-3 and test["permutation_p"] < 1e-2
    same = pd.Series({f"r{i}": 1 for i in range(2)} | {f"x{i}": 1 for i in range(8)})
    no_difference = pruning.hierarchy_test(retained, removed, same, permutations=2_000)
    assert no_difference["permutation_p"] > 0.2
    empty = pruning.hierarchy_test(retained, removed, pd.Series(dtype=float))
    assert np.isnan(empty["mann_whitney_p"]) and np.isnan(empty["permutation_p"])


def test_disease_evaluation_recovers_the_causal_tf_of_a_linear_world() -> None:
    rng = np.random.default_rng(1)
    weights = rng.normal(0, 1, size=(6, 200))
    model = linear_model(weights)
    tf_change = np.array([0.0, 2.0, 0.0, 0.0, 0.3, 0.0])
    observed = tf_change @ weights + rng.normal(0, 0.5, 200)
    table = pd.DataFrame({
        "gene_id": [*model.tf_ids, *model.target_ids],
        "log2fc": [*tf_change, *observed],
    })  # fmt: skip
    changes = measured_changes(table, model)
    rho, p, predictions, rankings = evaluate_disease(model, changes, model.input_mean, 2.0)
    assert rho > 0.8 and p < 1e-10 and len(predictions) == 200
    assert rankings.symbol.iloc[0] == "TF1"
    check = gwas_check(rankings, {"TF1", "TF3"}, top_k=1)
    assert check["top_k_trait_tfs"] == 1 and check["trait_tfs"] == 2


def test_the_pruning_summary_orders_steps_marks_shares_and_ranks_the_survivors_first() -> None:
    full = ["T1", "T2", "T3", "T4", "T5", "T6"]
    steps = [(0.50, ["T2", "T1"]), (1.00, full), (0.85, ["T1", "T2", "T4"])]  # any order
    summary = pruning.summarise_pruning(steps, [0.8, 0.9])
    assert summary.curve.n_tfs.tolist() == [6, 3, 2]
    assert summary.curve.fraction_of_full.tolist() == pytest.approx([1.0, 0.85, 0.5])
    assert summary.marks["tfs_for_80_percent"] == 3
    assert summary.marks["tfs_for_90_percent"] == 6
    assert list(summary.core.tf) == ["T2", "T1", "T4", "T3", "T5", "T6"]
    assert summary.core["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    known = pruning.known_target_counts(
        pd.DataFrame({"tf": ["A", "A", "A", "B", "Z"], "target": ["x", "x", "y", "x", "x"]}),
        {"A": "T1", "B": "T2"},
    )
    assert known.to_dict() == {"T1": 2, "T2": 1}


def test_pruning_steps_that_keep_every_tf_are_left_off_the_curve() -> None:
    """tf_counts of 1,000 and 500 on a compendium of 6 TFs retrain all 6: no pruning."""
    full = ["T1", "T2", "T3", "T4", "T5", "T6"]
    steps = [(1.00, full), (0.99, full), (0.98, full), (0.85, ["T1", "T2", "T4"])]
    summary = pruning.summarise_pruning(steps, [0.8])
    assert summary.curve.n_tfs.tolist() == [6, 3]
    assert summary.curve.explained_variance.tolist() == [1.00, 0.85]


def test_a_share_at_the_edge_of_the_tf_counts_is_warned_about() -> None:
    full = [f"T{i}" for i in range(10)]
    steps = [(1.0, full), (0.95, full[:6]), (0.9, full[:3])]
    # 80 % kept at 3, the smallest count tried; 99 % only by the full model
    summary = pruning.summarise_pruning(steps, [0.8, 0.99, 0.92])
    warnings = pruning.grid_edge_warnings(summary.curve, summary.marks, [0.8, 0.99, 0.92])
    assert len(warnings) == 2
    assert "80 % of the full explained variance is kept at 3 TFs, the smallest" in warnings[0]
    assert "add smaller counts to trans.pruning.tf_counts" in warnings[0]
    assert "kept only by the full model (10 TFs); not by 6 TFs" in warnings[1]
    inside = [(1.0, full), (0.95, full[:6]), (0.7, full[:3])]
    summary = pruning.summarise_pruning(inside, [0.8])
    assert pruning.grid_edge_warnings(summary.curve, summary.marks, [0.8]) == []


def test_pruning_counts_not_below_the_tfs_present_are_named() -> None:
    warning = pruning.tf_count_warning([1000, 500, 250, 125, 60, 30], 150)
    assert warning == (
        "trans.pruning.tf_counts 1000, 500, 250 are not below the compendium's 150 TFs: those "
        "pruning steps keep every TF and are left off the pruning curve (3 of the 6 counts "
        "prune). Fix: drop them from trans.pruning.tf_counts, listing counts below 150 "
        "(e.g. 75, 37)"
    )
    assert "tf_counts 150 is not below" in pruning.tf_count_warning([150, 10], 150)
    assert pruning.tf_count_warning([70, 25, 5], 150) is None
