"""The batched disease leave-one-TF-out, validation and light-up (issue 28 item 3) against
the per-TF computation they replace, the reference (the code of commit 9a6232d, in
benchmarks/per_tf_evaluation.py: one scipy call per TF, full TF × target copies): on a
reduced world with ties, unmeasured (NaN) genes, TFs of no effect and several blocks, the
outputs agree to float tolerance and the orderings exactly. An affine model (the ridge) is
evaluated in closed form in float64; its reference is the per-TF computation with float64
predictions."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import stats

from benchmarks.per_tf_evaluation import (
    old_edge_recovery,
    old_evaluate_disease,
    old_fold_statistics,
    old_sign_test,
    old_spearman_matrix,
    old_validate_tables,
)
from cistrans.trans import validation
from cistrans.trans.data import TransData
from cistrans.trans.disease import (
    Comparison,
    evaluate_disease,
    evaluate_diseases,
    row_spearman,
)
from cistrans.trans.lightup import lightup, perturbed_inputs
from cistrans.trans.model import Architecture, TransEnsemble, TransModel, build_network
from cistrans.trans.validation import (
    edge_recovery,
    fold_statistics,
    sign_test,
    spearman_matrix,
    validate_tables,
)

N_TFS, N_TARGETS = 40, 300


# The reference: the per-TF computation as it was before the batched rewrite (disease and
# validation: benchmarks/per_tf_evaluation.py, the benchmark's baseline; light-up below).


def old_lightup(model, factor=2.0, perturbation="fold", score="log_difference", log_base=2.0,
                batch_size=512):  # fmt: skip
    mean = model.input_mean.astype(np.float32)
    up, down = perturbed_inputs(mean, factor=factor, perturbation=perturbation, log_base=log_base)
    baseline = model.predict(mean[None, :])[0]
    raised = model.predict(up, batch_size)
    if score == "log_difference":
        values = (raised - model.predict(down, batch_size)) / 2.0
    else:
        values = np.log(np.expm1(raised).clip(1e-6) / np.expm1(baseline).clip(1e-6))
    return pd.DataFrame(values, index=pd.Index(model.tf_ids, name="tf"), columns=model.target_ids)


# ---- the reduced world ----


def model_of(hidden: list[int], seed: int) -> TransModel:
    """Random weights with non-trivial scalers; a few TFs reach no target (no effect) and a
    few targets hear no TF (every TF's effect on them ties at zero)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    arch = Architecture(N_TFS, N_TARGETS, hidden, "elu", 0.0)
    network = build_network(arch)
    with torch.no_grad():
        network[0].weight[:, :3] = 0.0  # TFs 0-2 change nothing
        network[-1].weight[:5] = 0.0  # targets 0-4 never change
        network[-1].bias[:5] = 0.0
    return TransModel(
        network, arch, [f"T{i}" for i in range(N_TFS)], [f"TF{i}" for i in range(N_TFS)],
        [f"G{j}" for j in range(N_TARGETS)], [f"GENE{j}" for j in range(N_TARGETS)],
        rng.normal(5, 1, N_TFS).astype(np.float32), rng.uniform(0.5, 2, N_TFS).astype(np.float32),
        rng.normal(3, 1, N_TARGETS).astype(np.float32),
        rng.uniform(0.5, 2, N_TARGETS).astype(np.float32),
    )  # fmt: skip


def disease_changes(model: TransModel, seed: int) -> tuple[pd.Series, pd.Series]:
    """TF log2 fold changes (a third unmeasured, some zero) and target changes rounded to
    0.1 (ties), a tenth unmeasured."""
    rng = np.random.default_rng(seed)
    tfs = pd.Series(rng.normal(0, 1, N_TFS), index=model.tf_ids)
    tfs[rng.random(N_TFS) < 0.3] = np.nan
    tfs.iloc[[3, 4]] = 0.0
    targets = pd.Series(np.round(rng.normal(0, 1, N_TARGETS), 1), index=model.target_ids)
    targets[rng.random(N_TARGETS) < 0.1] = np.nan
    return tfs, targets


MODELS = {
    "linear": lambda: model_of([], 0),
    "network": lambda: model_of([16], 1),
    "ensemble": lambda: TransEnsemble([model_of([16], 2), model_of([], 3)]),
    "linear ensemble": lambda: TransEnsemble([model_of([], 4), model_of([], 5)]),
}
AFFINE = ("linear", "linear ensemble")


class Float64Predictions:
    """An affine model whose predictions are computed in float64 (numpy), not float32: the
    per-TF computation with it is the exact reference of the closed-form affine path."""

    def __init__(self, model: TransModel | TransEnsemble) -> None:
        self.model = model
        self.members = model.members if isinstance(model, TransEnsemble) else [model]

    def __getattr__(self, name: str) -> object:
        return getattr(self.model, name)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        total = 0.0
        for m in self.members:
            layer = m.network[0]
            weight = layer.weight.detach().numpy().astype(np.float64)
            bias = layer.bias.detach().numpy().astype(np.float64)
            scaled = (inputs.astype(np.float64) - m.input_mean) / m.input_sd
            total = total + (scaled @ weight.T + bias) * m.output_sd + m.output_mean
        return total / len(self.members)


def assert_disease_equal(new: tuple, old: tuple, rtol: float = 1e-6) -> None:
    rho, p, predictions, rankings = new
    rho_old, p_old, predictions_old, rankings_old = old
    np.testing.assert_allclose([rho, p], [rho_old, p_old], rtol=rtol)
    pd.testing.assert_frame_equal(predictions, predictions_old, rtol=rtol)
    assert list(rankings.tf) == list(rankings_old.tf)  # the order exactly
    assert list(rankings["rank"]) == list(rankings_old["rank"])
    pd.testing.assert_frame_equal(
        rankings.reset_index(drop=True), rankings_old.reset_index(drop=True), rtol=rtol, atol=1e-12
    )


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_leave_one_tf_out_in_blocks_is_the_per_tf_computation(kind: str) -> None:
    """Through the model: the per-TF computation to float tolerance. An affine model (the
    ridge) in closed form: the per-TF computation with float64 predictions to 1e-9; against
    float32 predictions, as close as their rounding allows (it makes ties of targets whose
    predicted changes are within a float32 step, and so moves ρ by up to ~1e-4 here)."""
    model = MODELS[kind]()
    threads = torch.get_num_threads()
    for seed, log_base in ((0, 2.0), (1, np.e), (2, 10.0)):  # three diseases
        changes = disease_changes(model, seed)
        baseline = model.input_mean + np.float32(0.1 * seed)
        old = old_evaluate_disease(model, changes, baseline, log_base)
        assert np.isnan(old[3]["drop"]).sum() == 0 and (old[3]["drop"] != 0).sum() > 20
        for block_size in (7, 256):
            new = evaluate_disease(model, changes, baseline, log_base, block_size=block_size)
            alone = evaluate_disease(
                model, changes, baseline, log_base, block_size=block_size, threads=1
            )
            pd.testing.assert_frame_equal(new[3], alone[3], check_exact=True)  # threads or not
            assert torch.get_num_threads() == threads  # one per worker, then as it was
            if kind not in AFFINE:
                assert_disease_equal(new, old)
                continue
            exact = old_evaluate_disease(Float64Predictions(model), changes, baseline, log_base)
            assert_disease_equal(new, exact, rtol=1e-9)
            np.testing.assert_allclose(new[:2], old[:2], rtol=1e-3)
            np.testing.assert_allclose(new[2].predicted, old[2].predicted, atol=1e-5)
            drops = new[3].set_index("tf")["drop"]
            np.testing.assert_allclose(drops[old[3].tf], old[3]["drop"], atol=1e-4)


@pytest.mark.parametrize("kind", ["linear", "network"])
def test_leave_one_tf_out_edge_cases_match_the_per_tf_computation(kind: str) -> None:
    model = MODELS[kind]()
    reference = Float64Predictions(model) if kind in AFFINE else model
    tfs, targets = disease_changes(model, 5)
    single = tfs * np.nan
    single.iloc[10] = 1.5
    cases = [
        (single, targets),  # one changed TF: without it nothing changes (NaN, like spearmanr)
        (tfs * np.nan, targets),  # no changed TF
        (tfs, targets.where(targets.isna(), 0.3)),  # a constant truth
        (tfs.where(np.arange(N_TFS) >= 3, 2.0), targets),  # changed TFs of no effect
    ]
    for changes in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy's constant-input warnings
            old = old_evaluate_disease(reference, changes, model.input_mean, 2.0)
            new = evaluate_disease(model, changes, model.input_mean, 2.0, block_size=4)
        rho, p, predictions, rankings = new
        np.testing.assert_allclose([rho, p], old[:2], rtol=1e-9)
        pd.testing.assert_frame_equal(predictions, old[2], rtol=1e-9)
        assert list(rankings.tf) == list(old[3].tf)
        np.testing.assert_allclose(rankings["drop"], old[3]["drop"], rtol=1e-9, atol=1e-12)


def validation_world(seed: int = 0) -> tuple[pd.DataFrame, TransData, dict]:
    """Light-up scores (float32) with planted edges, exact zeros and repeated values; a
    compendium with a constant TF and a constant target (their |Spearman| control ties at
    0); two knowledge tables with hubs (more than 8 regulators: asymptotic Mann–Whitney),
    small regulons (exact), duplicated and unknown rows and every mode."""
    rng = np.random.default_rng(seed)
    tfs = [f"T{i}" for i in range(N_TFS)]
    targets = [f"G{j}" for j in range(N_TARGETS)]
    values = rng.normal(0, 0.1, size=(N_TFS, N_TARGETS)).astype(np.float32)
    values[:, :20] = np.round(values[:, :20], 2)  # ties within targets
    values[5] = 0.0  # a TF that lights up nothing
    values[:, 7] = 0.0
    rows = []
    for j in range(N_TARGETS):
        n_regulators = 12 if j % 50 == 0 else 1 + j % 4
        for i in rng.choice(N_TFS, n_regulators, replace=False):
            mode = rng.choice(["Activation", "Repression", "Unknown"])
            if j % 3 and i != 5 and j != 7:
                sign = 1.0 if mode != "Repression" else -1.0
                values[i, j] = sign * rng.uniform(0.05, 0.3)
            rows.append((f"TF{i}", f"GENE{j}", mode))
    table = pd.DataFrame(rows, columns=["tf", "target", "mode"])
    table = pd.concat([table, table.iloc[:30], pd.DataFrame({
        "tf": ["TF1", "NOPE", "TF2"], "target": ["GENE1", "GENE2", "NOWHERE"],
        "mode": ["Activation"] * 3,
    })], ignore_index=True)  # fmt: skip
    scores = pd.DataFrame(values, index=pd.Index(tfs, name="tf"), columns=targets)
    n = 60
    inputs = rng.normal(5, 1, size=(n, N_TFS)).astype(np.float32)
    inputs[:, 9] = 4.0
    outputs = (inputs @ rng.normal(0, 0.2, size=(N_TFS, N_TARGETS))).astype(np.float32)
    outputs[:, 11] = 2.0
    outputs[:, 20:30] = np.round(outputs[:, 20:30])
    split = np.array(["train"] * 45 + ["validation"] * 10 + ["test"] * 5)
    data = TransData(
        inputs, outputs, tfs, [f"TF{i}" for i in range(N_TFS)], targets,
        [f"GENE{j}" for j in range(N_TARGETS)], split, np.full(n, "liver"),
    )  # fmt: skip
    tables = {"first": ("first.tsv", table), "second": ("second.tsv", table.iloc[::3])}
    return scores, data, tables


@pytest.mark.parametrize("block_size", [1, 13, 4096])
def test_validation_in_blocks_is_the_per_table_computation(block_size: int) -> None:
    scores, data, tables = validation_world()
    old_summary, old_per_target = old_validate_tables(scores, data, tables)
    summary, per_target = validate_tables(scores, data, tables, block_size=block_size)
    assert (old_per_target.p_value > 0.05).any() and (old_per_target.p_value < 1e-4).any()
    pd.testing.assert_frame_equal(summary, old_summary, rtol=1e-6)
    pd.testing.assert_frame_equal(per_target, old_per_target, rtol=1e-6)


def test_validation_statistics_of_odd_matrices_match_the_per_table_computation() -> None:
    scores, data, tables = validation_world(1)
    edges = validation.known_edges(
        tables["first"][1],
        dict(zip(data.tf_symbols, data.tf_ids, strict=True)),
        dict(zip(data.target_symbols, data.target_ids, strict=True)),
    )
    reordered = scores[scores.columns[::-1]]  # columns not in the data's order
    # quantised float64 scores (many ties across TFs and targets), NaN scores, all-positive
    quantised = (scores.astype(np.float64) * 20).round() / 20
    with_nan = scores.copy()
    with_nan.iloc[3, 4] = np.nan
    with_nan.iloc[8, 9] = np.nan
    for matrix in (scores, reordered, quantised, with_nan):
        for block_size in (1, 17, 5000):
            new = edge_recovery(matrix, edges, block_size=block_size)
            old = old_edge_recovery(matrix, edges)
            assert new.keys() == old.keys()
            np.testing.assert_allclose(list(new.values()), list(old.values()), rtol=1e-12)
    assert np.isnan(old["auroc"]) and not np.isnan(old["auprc"])
    for matrix in (scores, reordered, quantised):
        pd.testing.assert_frame_equal(
            fold_statistics(matrix, edges, block_size=11), old_fold_statistics(matrix, edges),
            rtol=1e-6,
        )  # fmt: skip
        assert sign_test(matrix, edges) == pytest.approx(old_sign_test(matrix, edges))
    train = data.rows("train")
    np.testing.assert_allclose(
        spearman_matrix(data.inputs[train], data.outputs[train], block_size=7),
        old_spearman_matrix(data.inputs[train], data.outputs[train]),
        rtol=1e-12,
        atol=1e-15,
    )
    none = edges.iloc[:0]
    assert fold_statistics(scores, none).empty and old_fold_statistics(scores, none).empty


def test_exact_mann_whitney_without_scipy_internals_is_the_same(monkeypatch) -> None:
    scores, data, tables = validation_world(2)
    edges = validation.known_edges(
        tables["first"][1],
        dict(zip(data.tf_symbols, data.tf_ids, strict=True)),
        dict(zip(data.target_symbols, data.target_ids, strict=True)),
    )
    expected = old_fold_statistics(scores, edges)
    monkeypatch.setattr(validation, "_scipy_exact_distribution", lambda n1, n2: None)
    pd.testing.assert_frame_equal(fold_statistics(scores, edges, block_size=50), expected)


@pytest.mark.parametrize("kind", ["linear", "network"])
def test_lightup_in_blocks_is_bitwise_the_full_computation(kind: str) -> None:
    model = MODELS[kind]()
    for options in (
        {"batch_size": 7},
        {"batch_size": 512, "perturbation": "value", "log_base": np.e},
        {"batch_size": 16, "score": "paper_ratio"},
    ):
        pd.testing.assert_frame_equal(
            lightup(model, **options), old_lightup(model, **options), check_exact=True
        )


def test_evaluate_diseases_passes_its_block_size_on(caplog) -> None:
    model = MODELS["network"]()
    rng = np.random.default_rng(3)
    n = 30
    data = TransData(
        rng.normal(5, 1, (n, N_TFS)).astype(np.float32),
        rng.normal(3, 1, (n, N_TARGETS)).astype(np.float32), model.tf_ids, model.tf_symbols,
        model.target_ids, model.target_symbols, np.array(["train"] * n), np.full(n, "liver"),
    )  # fmt: skip
    comparisons = []
    for seed in range(3):
        tfs, targets = disease_changes(model, seed)
        table = pd.DataFrame(
            {"gene_id": [*tfs.index, *targets.index], "log2fc": [*tfs, *targets]}
        ).dropna()
        comparisons.append(Comparison(f"d{seed}", f"E-{seed}", "liver", "trait", table, "x"))
    associations = pd.DataFrame(
        {"trait": ["trait"], "mapped_trait": [""], "p_value": [1e-9], "genes": [["TF8", "TF9"]]}
    )
    options = dict(log_base=2.0, baseline="tissue", top_k=5, min_coverage=0.1,
                   warn_coverage=0.1, gwas_max_p=5e-8)  # fmt: skip
    with caplog.at_level(logging.ERROR):
        small = evaluate_diseases(model, data, comparisons, associations, "g", **options,
                                  block_size=3)  # fmt: skip
        large = evaluate_diseases(model, data, comparisons, associations, "g", **options)
    pd.testing.assert_frame_equal(small.summary, large.summary, rtol=1e-9)
    pd.testing.assert_frame_equal(small.rankings, large.rankings, rtol=1e-9, atol=1e-12)
    assert len(small.summary) == 4 and small.summary.disease.iloc[-1] == "pooled"


def test_row_spearman_is_scipys_spearmanr_row_by_row() -> None:
    rng = np.random.default_rng(0)
    for trial in range(200):
        m, n = int(rng.integers(0, 40)), int(rng.integers(1, 6))
        decimals = int(rng.integers(0, 3))  # 0 decimals: many ties
        rows = np.round(rng.normal(size=(n, m)), decimals).astype(
            [np.float32, np.float64][trial % 2]
        )
        if trial % 7 == 0 and m:
            rows[0] = 1.0  # constant
        if trial % 11 == 0 and m:
            rows[-1, 0] = np.nan
        truth = np.round(rng.normal(size=m), int(rng.integers(0, 3)))
        if trial % 13 == 0:
            truth[:] = 0.5
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = [stats.spearmanr(row, truth)[0] for row in rows]
        np.testing.assert_allclose(row_spearman(rows, truth), expected, rtol=1e-12, atol=1e-14)


def test_row_spearman_orders_values_closer_than_its_packed_keys() -> None:
    """Values a float64 step apart share a packed sort key: their rows are sorted exactly."""
    rng = np.random.default_rng(1)
    truth = rng.normal(size=300)
    rows = rng.normal(size=(4, 300))
    for row in (0, 2):
        below = np.nextafter(rows[row, 10], -np.inf)
        rows[row, 11:40] = np.nextafter(below, -np.inf) - np.arange(29) * 0.0  # ties as well
        rows[row, 40] = below
        rows[row, 41] = np.nextafter(rows[row, 10], np.inf)
    rows[3, :5] = [-0.0, 0.0, -0.0, 0.0, 0.0]  # equal values with different bits
    expected = [stats.spearmanr(row, truth)[0] for row in rows]
    np.testing.assert_allclose(row_spearman(rows, truth), expected, rtol=1e-12, atol=1e-14)
