"""Load any trained model of the workflow from its weights and the sidecar beside them.

Every training rule saves a state dict (`model.pt`) with a JSON sidecar (`model.json`):
the trans networks (`cistrans.trans.model`: architecture, gene ids, scalers), each cis
model (xpresso, legnet, texcnn, deeplncloc) and contextual regression (learned filters and
the JASPAR mode; `cistrans.cismodels.saved`: settings, input shape and window, label
scaling). `load_model` reads the sidecar, rebuilds the network and returns a model with
`predict`. It sits above the cis, trans and ctxreg layers, which it dispatches to.
"""

from __future__ import annotations

from pathlib import Path

import torch

from cistrans.cismodels.comparison import CTXREG, CTXREG_JASPAR_MODE
from cistrans.cismodels.models import MODELS
from cistrans.cismodels.runs import build_network
from cistrans.cismodels.saved import ModelRecord, SequenceModel, read_sidecar, sidecar_path
from cistrans.ctxreg.fit import build_network as build_ctxreg_network
from cistrans.ctxreg.fit import network_options
from cistrans.ctxreg.network import ContextSettings, KnownMotifRegression
from cistrans.errors import InputError
from cistrans.trans.model import TransModel
from cistrans.trans.model import load_model as load_trans_model

LOADABLE = (*MODELS, CTXREG, CTXREG_JASPAR_MODE, "trans")
"""The kinds of model `load_model` rebuilds."""


def rebuild_network(record: ModelRecord) -> torch.nn.Module:
    """The untrained network a sidecar `record` describes (its weights are loaded after)."""
    settings = record.settings
    if record.kind in MODELS:
        return build_network(record.kind, record.shape, settings)
    if record.kind == CTXREG:
        return build_ctxreg_network(record.shape, **network_options(settings))
    if record.kind == CTXREG_JASPAR_MODE:
        context = ContextSettings(**settings["context"])
        return KnownMotifRegression(record.shape, context, settings["l1"])
    raise ValueError(f"unknown model kind {record.kind!r}; known: {', '.join(LOADABLE)}")


def load_model(path: str | Path, *, device: str = "cpu") -> SequenceModel | TransModel:
    """A trained model, rebuilt from its weights and the sidecar beside them.

    Parameters
    ----------
    path
        The weights (`model.pt`), the sidecar (`model.json`) or the folder of a run: a
        cis run's (`<model>/<features>/<run>` under the cis results), a
        contextual-regression run's or a trans network's.
    device
        Where the network is put (`cpu`, `cuda`).

    Returns
    -------
    SequenceModel | TransModel
        A cis or contextual-regression model (`cistrans.cismodels.saved.SequenceModel`):
        `predict(sequences)` → (n, outputs) in label units, from DNA strings (one-hot
        models) or inputs (n, channels, length); or a trans network
        (`cistrans.trans.model.TransModel`): `predict(tf_expression)` (n, TFs) → (n,
        targets) raw log expression.

    Raises
    ------
    InputError
        No sidecar beside the weights (a model saved before sidecars were written), or a
        sidecar or state dict that does not fit the other.
    """
    weights = Path(path) / "model.pt" if Path(path).is_dir() else Path(path).with_suffix(".pt")
    meta, sidecar = read_sidecar(weights)
    if not weights.is_file():
        raise InputError(weights, "file not found", f"the weights of {sidecar} must lie beside it")
    if "architecture" in meta:  # a trans network's sidecar
        model = load_trans_model(weights, sidecar)
        model.network.to(device)
        return model
    record = ModelRecord.from_json(meta, sidecar)
    network = rebuild_network(record)
    try:
        network.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    except RuntimeError as error:
        raise InputError(
            weights,
            f"its weights do not fit the network its sidecar describes ({str(error)[:200]})",
            f"keep {weights.name} and {sidecar_path(weights).name} of the same run together, "
            "or retrain the run",
        ) from error
    return SequenceModel(network.to(device).eval(), record)
