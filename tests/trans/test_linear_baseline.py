"""The linear baseline (closed-form ridge, penalty chosen on validation), the ensemble, and
the disease steps' gene matching and untestable GWAS traits."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cistrans.ridge import warn_at_grid_ends
from cistrans.trans.data import TransData
from cistrans.trans.disease import adjust, gwas_check, observed_changes
from cistrans.trans.lightup import lightup
from cistrans.trans.model import TransEnsemble, load_models
from cistrans.trans.ridge import fit_ridge
from cistrans.trans.train import standardise

ALPHAS = [0.01, 1.0, 10.0, 100.0, 1000.0, 1e5]


def linear_world(n: int, n_tfs: int, n_targets: int, noise: float, seed: int = 0) -> TransData:
    """Targets = a sparse linear map of the TFs plus noise; 60/20/20 split."""
    rng = np.random.default_rng(seed)
    inputs = rng.normal(5.0, 1.0, size=(n, n_tfs)).astype(np.float32)
    weights = rng.normal(0, 1, size=(n_tfs, n_targets)) * (rng.random((n_tfs, n_targets)) < 0.2)
    outputs = (inputs @ weights + rng.normal(0, noise, size=(n, n_targets))).astype(np.float32)
    split = np.array(["train"] * (n * 3 // 5) + ["validation"] * (n // 5) + ["test"] * (n // 5))
    return TransData(
        inputs, outputs, [f"T{i}" for i in range(n_tfs)], [f"TF{i}" for i in range(n_tfs)],
        [f"G{j}" for j in range(n_targets)], [f"GENE{j}" for j in range(n_targets)],
        split, np.full(n, "liver"),
    )  # fmt: skip


def brute_force_ridge(data: TransData, alpha: float) -> tuple[np.ndarray, float]:
    """(XᵀX + αI)⁻¹XᵀY on the standardised train split, and its validation MSE."""
    train, validation = data.rows("train"), data.rows("validation")
    in_mean, in_sd = standardise(data.inputs[train])
    out_mean, out_sd = standardise(data.outputs[train])
    x = ((data.inputs[train] - in_mean) / in_sd).astype(np.float64)
    y = ((data.outputs[train] - out_mean) / out_sd).astype(np.float64)
    beta = np.linalg.solve(x.T @ x + alpha * np.eye(x.shape[1]), x.T @ y)
    xv = (data.inputs[validation] - in_mean) / in_sd
    yv = (data.outputs[validation] - out_mean) / out_sd
    return beta, float(np.mean((xv @ beta - yv) ** 2))


def test_ridge_takes_the_penalty_with_the_lowest_validation_error_and_records_the_grid(
    tmp_path: Path,
) -> None:
    data = linear_world(n=200, n_tfs=40, n_targets=30, noise=6.0)
    model = fit_ridge(data, ALPHAS)
    errors = [brute_force_ridge(data, alpha)[1] for alpha in ALPHAS]
    info = model.info["ridge"]
    np.testing.assert_allclose(info["validation_mse_standardised"], errors, rtol=1e-4)
    assert info["alpha"] == ALPHAS[int(np.argmin(errors))]
    assert info["alpha"] not in (ALPHAS[0], ALPHAS[-1])  # noise this large needs shrinkage
    beta, _ = brute_force_ridge(data, info["alpha"])
    np.testing.assert_allclose(
        model.network[0].weight.detach().numpy().T, beta, rtol=1e-3, atol=1e-4
    )
    model.save(tmp_path / "m.pt", tmp_path / "m.json")
    back = load_models([tmp_path / "m.pt"], [tmp_path / "m.json"])
    assert back.info["ridge"]["alphas"] == ALPHAS
    test = data.rows("test")
    np.testing.assert_allclose(
        back.predict(data.inputs[test]), model.predict(data.inputs[test]), rtol=1e-5, atol=1e-4
    )


def test_fewer_training_samples_than_tfs_is_warned_about_and_still_fits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = linear_world(n=50, n_tfs=80, n_targets=5, noise=0.5)
    with caplog.at_level(logging.WARNING):
        model = fit_ridge(data, ALPHAS)
    assert "30 training samples for 80 TFs" in caplog.text
    assert np.isfinite(model.predict(data.inputs)).all()


def test_a_penalty_at_the_end_of_the_grid_asks_to_widen_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = linear_world(n=400, n_tfs=10, n_targets=5, noise=0.01)
    grid = [10.0, 100.0, 1000.0]
    with caplog.at_level(logging.WARNING):
        model = fit_ridge(data, grid)
        warn_at_grid_ends([model.info["ridge"]["alpha"]], grid, key="trans.linear.alphas")
        warn_at_grid_ends([100.0, 100.0], grid, key="other")  # inside: no warning
    assert model.info["ridge"]["alpha"] == 10.0
    assert caplog.messages == [
        "ridge: the chosen penalty 10 is at the low end of trans.linear.alphas; widen the grid"
    ]


def test_an_ensemble_predicts_and_lights_up_as_the_mean_of_its_members() -> None:
    data = linear_world(n=200, n_tfs=6, n_targets=4, noise=1.0)
    members = [fit_ridge(data, [alpha]) for alpha in (0.1, 1000.0)]
    ensemble = TransEnsemble(members)
    x = data.inputs[:5]
    np.testing.assert_allclose(
        ensemble.predict(x), (members[0].predict(x) + members[1].predict(x)) / 2, rtol=1e-5
    )
    np.testing.assert_allclose(
        lightup(ensemble).to_numpy(),
        (lightup(members[0]).to_numpy() + lightup(members[1]).to_numpy()) / 2,
        rtol=1e-4,
        atol=1e-6,
    )
    other = linear_world(n=200, n_tfs=5, n_targets=4, noise=1.0)
    with pytest.raises(ValueError, match="share their TFs and targets"):
        TransEnsemble([members[0], fit_ridge(other, [1.0])])


def test_disease_changes_are_found_by_ensembl_id_else_by_symbol() -> None:
    table = pd.DataFrame(
        {
            "gene_id": ["ENSG1", "ENSG2", "ENSG3", "ENSG4"],
            "gene_name": ["GATA1", "SPI1", "ALB", ""],
            "log2fc": [1.0, -2.0, np.nan, 0.5],
        }
    )
    changes = observed_changes(table, ["ENSG1", "SPI1", "ALB", "ENSG4", "X"],
                               ["GATA1", "SPI1", "ALB", "NEW", "X"])  # fmt: skip
    assert changes.index.tolist() == ["ENSG1", "SPI1", "ALB", "ENSG4", "X"]
    np.testing.assert_array_equal(changes.to_numpy(), [1.0, -2.0, np.nan, 0.5, np.nan])


def test_a_trait_without_tfs_is_not_tested_and_stays_out_of_the_fdr() -> None:
    rankings = pd.DataFrame(
        {"symbol": ["A", "B", "C", "D"], "rank": [1, 2, 3, 4], "drop": [0.4, 0.3, 0.2, 0.1]}
    )
    untested = gwas_check(rankings, {"NOT_A_TF"}, top_k=2)
    assert untested["gwas_test"] == "no trait TF" and untested["trait_genes"] == 1
    assert np.isnan(untested["fisher_p"]) and np.isnan(untested["auroc"])
    tested = gwas_check(rankings, {"A", "B"}, top_k=2)
    assert tested["gwas_test"] == "tested" and tested["fisher_p"] < 0.2
    summary = adjust(pd.DataFrame([tested, untested, tested]))
    assert np.isnan(summary.fisher_fdr.iloc[1])
    np.testing.assert_allclose(summary.fisher_fdr.iloc[[0, 2]], [tested["fisher_p"]] * 2)
