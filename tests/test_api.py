"""The library's API for callers (issue 29): the batched inference every model shares, and
numpydoc Parameters/Returns on every public function of trans, cismodels, ctxreg and
synthesis."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
import torch

from cistrans.training import predict_in_batches

PACKAGES = ("cistrans.trans", "cistrans.cismodels", "cistrans.ctxreg", "cistrans.synthesis")


def public_functions() -> list[tuple[str, object]]:
    """(module.function, function) of every public function defined in the checked
    modules."""
    names = []
    for package in PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{module.name}" for module in pkgutil.iter_modules(path)]
    functions = []
    for name in names:
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if (
                not attribute.startswith("_")
                and inspect.isfunction(value)
                and value.__module__ == name
            ):
                functions.append((f"{name}.{attribute}", value))
    return functions


def has_sections(function: object) -> bool:
    doc = inspect.getdoc(function) or ""
    return all(re.search(rf"^{part}\n-+$", doc, re.M) for part in ("Parameters", "Returns"))


def test_public_functions_document_their_parameters_and_returns() -> None:
    functions = public_functions()
    assert len(functions) > 100
    missing = [name for name, function in functions if not has_sections(function)]
    assert missing == [], f"{len(missing)} public functions lack numpydoc Parameters/Returns"


def test_predict_in_batches_runs_in_eval_mode_and_joins_the_batches() -> None:
    torch.manual_seed(0)
    network = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Dropout(0.5)).train()
    x = torch.randn(10, 3)
    seen: list[slice] = []

    def forward(batch: slice) -> torch.Tensor:
        seen.append(batch)
        assert not torch.is_grad_enabled()
        return network(x[batch])

    out = predict_in_batches(network, forward, len(x), batch_size=4)
    assert not network.training  # dropout off: the same outputs as one pass
    assert [(s.start, s.stop) for s in seen] == [(0, 4), (4, 8), (8, 12)]
    with torch.inference_mode():
        assert torch.equal(out, network(x))
    parts = predict_in_batches(
        network, lambda batch: (x[batch], x[batch] * 2), len(x), batch_size=4
    )
    assert torch.equal(parts[0], x) and torch.equal(parts[1], x * 2)
    batches = predict_in_batches(network, lambda b: x[b].sum(0), len(x), batch_size=4, join=False)
    assert len(batches) == 3 and torch.allclose(sum(batches), x.sum(0))


@pytest.mark.parametrize("function", ["train_network", "fit_run", "train_model", "fit_ctxreg"])
def test_options_are_keyword_only(function: str) -> None:
    module = {
        "train_network": "cistrans.cismodels.fit",
        "fit_run": "cistrans.cismodels.runs",
        "train_model": "cistrans.trans.train",
        "fit_ctxreg": "cistrans.ctxreg.fit",
    }[function]
    parameters = inspect.signature(getattr(importlib.import_module(module), function)).parameters
    positional = [
        name for name, p in parameters.items() if p.kind is not inspect.Parameter.KEYWORD_ONLY
    ]
    assert "seed" not in positional and "device" not in positional
    assert "learning_rate_key" not in parameters
