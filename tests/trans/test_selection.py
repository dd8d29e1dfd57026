"""The network's regularisation chosen on the validation split (trans.selection)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from cistrans.trans.data import TransData
from cistrans.trans.selection import Regularisation, choose_regularisation, selection_grid
from tests.trans.test_trans_units import linear_model


def world(seed: int = 0) -> tuple[TransData, np.ndarray]:
    """Targets = inputs @ weights + noise; the first 40 samples train, 30 validate, 30 test."""
    rng = np.random.default_rng(seed)
    weights = rng.normal(0, 1, (5, 4))
    inputs = rng.normal(0, 1, (100, 5)).astype(np.float32)
    outputs = (inputs @ weights + rng.normal(0, 0.5, (100, 4))).astype(np.float32)
    split = np.array(["train"] * 40 + ["validation"] * 30 + ["test"] * 30)
    data = TransData(
        inputs, outputs, [f"T{i}" for i in range(5)], [f"TF{i}" for i in range(5)],
        [f"G{j}" for j in range(4)], [f"GENE{j}" for j in range(4)], split, np.full(100, "x"),
    )  # fmt: skip
    return data, weights


def test_the_grid_is_every_pair_with_readable_names() -> None:
    grid = selection_grid(weight_decay=[0.0, 0.0001], dropout=[0.1, 0.3])
    assert [(p.weight_decay, p.dropout) for p in grid] == [
        (0.0, 0.1), (0.0, 0.3), (0.0001, 0.1), (0.0001, 0.3),
    ]  # fmt: skip
    assert grid[2].name == "weight_decay_0.0001-dropout_0.1"
    assert len({p.name for p in grid}) == 4


def test_the_network_with_the_best_validation_explained_variance_is_chosen(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data, weights = world()
    rng = np.random.default_rng(1)
    # the true map is best; the others are worse by known amounts
    models = [
        linear_model(weights + rng.normal(0, 1.0, weights.shape)),
        linear_model(weights),
        linear_model(weights * 0.5),
    ]
    grid = selection_grid(weight_decay=[0.0, 0.001, 0.01], dropout=[0.1])
    with caplog.at_level(logging.WARNING):
        table, best, at_edge = choose_regularisation(models, data, grid=grid)
    validation = data.rows("validation")
    observed = data.outputs[validation]
    expected = [
        1
        - ((observed - data.inputs[validation] @ w) ** 2).sum()
        / ((observed - observed.mean(axis=0)) ** 2).sum()
        for w in (m.network[0].weight.detach().numpy().T for m in models)
    ]
    np.testing.assert_allclose(table.validation_explained_variance, expected, rtol=1e-5)
    assert best == 1 == int(np.argmax(expected))
    assert table.chosen.tolist() == [False, True, False]
    assert table.name.tolist() == [p.name for p in grid]
    assert at_edge == [] and not caplog.records  # the middle of the grid; one dropout


def test_a_choice_at_the_end_of_the_grid_is_warned_but_not_a_low_end_of_zero(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data, weights = world()
    good, poor = linear_model(weights), linear_model(weights * 0.2)
    grid = [Regularisation(0.0, 0.1), Regularisation(0.0, 0.3), Regularisation(0.001, 0.1)]
    with caplog.at_level(logging.WARNING):
        _, best, at_edge = choose_regularisation([poor, poor, good], data, grid=grid)
    assert best == 2 and at_edge == ["weight_decay", "dropout"]
    assert "chosen weight_decay 0.001 is at the high end of trans.selection.weight_decay" in (
        caplog.text
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        _, best, at_edge = choose_regularisation([good, poor, poor], data, grid=grid)
    # weight decay 0 cannot go lower; dropout 0.1 can
    assert best == 0 and at_edge == ["dropout"]
    assert "chosen dropout 0.1 is at the low end" in caplog.text
    assert "weight_decay" not in caplog.text


def test_the_summary_names_the_chosen_regularisation_and_a_choice_at_the_edge() -> None:
    from cistrans.summary import selection_row

    record = {
        "chosen": {"weight_decay": 0.001, "dropout": 0.1},
        "validation_explained_variance": 0.71,
        "at_edge": ["weight_decay"],
        "grid": [{}] * 6,
    }
    row = selection_row(record)
    assert row["value"] == 0.71
    assert row["note"] == (
        "weight decay 0.001, dropout 0.1, of 6 setting(s) of trans.selection; at the grid's "
        "edge for weight_decay: widen it there"
    )
    assert "edge" not in selection_row({**record, "at_edge": []})["note"]
