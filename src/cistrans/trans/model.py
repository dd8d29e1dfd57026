"""The TF → target network (dense, ELU by default) with its input/output standardisation,
saved as a state dict plus a JSON sidecar that is enough to reload and reuse it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from cistrans.errors import InputError
from cistrans.training import model_versions, predict_in_batches

ACTIVATIONS = {"elu": nn.ELU, "relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh}


@dataclass
class Architecture:
    """hidden_layers: widths; [] gives the linear baseline."""

    n_inputs: int
    n_outputs: int
    hidden_layers: list[int] = field(default_factory=lambda: [250, 250])
    activation: str = "elu"
    dropout: float = 0.0


def build_network(arch: Architecture) -> nn.Sequential:
    """Dense layers with activation and dropout between them; linear output.

    Parameters
    ----------
    arch
        The inputs, outputs, hidden layers' widths ([]: one linear layer), activation (a
        key of `ACTIVATIONS`) and dropout (none at 0) of the network.

    Returns
    -------
    torch.nn.Sequential
        Freshly initialised (in training mode, on the CPU): Linear, activation, then
        Dropout when ``arch.dropout > 0``, for each hidden layer; a last Linear to
        ``arch.n_outputs``.
    """
    layers: list[nn.Module] = []
    width = arch.n_inputs
    for hidden in arch.hidden_layers:
        layers += [nn.Linear(width, hidden), ACTIVATIONS[arch.activation]()]
        if arch.dropout > 0:
            layers.append(nn.Dropout(arch.dropout))
        width = hidden
    layers.append(nn.Linear(width, arch.n_outputs))
    return nn.Sequential(*layers)


@dataclass
class TransModel:
    """A trained network with the statistics that map raw log expression in and out.

    input_mean/input_sd: (TFs,); output_mean/output_sd: (targets,), from the training split.
    """

    network: nn.Sequential
    arch: Architecture
    tf_ids: list[str]
    tf_symbols: list[str]
    target_ids: list[str]
    target_symbols: list[str]
    input_mean: np.ndarray
    input_sd: np.ndarray
    output_mean: np.ndarray
    output_sd: np.ndarray
    info: dict = field(default_factory=dict)

    def predict(self, inputs: np.ndarray, batch_size: int = 4096) -> np.ndarray:
        """Raw log expression of the targets, (n, targets), from raw TF inputs (n, TFs).

        The inputs are standardised with the training statistics and run through the
        network `batch_size` rows at a time (`cistrans.training.predict_in_batches`: eval
        mode, no autograd), on the device the network is on.

        Parameters
        ----------
        inputs
            (n, TFs) raw log expression of the TFs, columns in the order of `tf_ids`; any
            float type (each batch goes to the network as float32).
        batch_size
            Rows per forward pass.

        Returns
        -------
        np.ndarray
            (n, targets) the predicted raw log expression, columns in the order of
            `target_ids`: the network's float32 outputs times `output_sd` plus
            `output_mean` (float32 for the float32 statistics of a trained or loaded model).
        """
        device = next(self.network.parameters()).device
        scaled = (inputs - self.input_mean) / self.input_sd

        def forward(rows: slice) -> torch.Tensor:
            return self.network(torch.as_tensor(scaled[rows], dtype=torch.float32, device=device))

        if not len(inputs):
            out = np.empty((0, len(self.target_ids)), dtype=np.float32)
        else:
            joined = predict_in_batches(self.network, forward, len(inputs), batch_size=batch_size)
            out = joined.numpy().astype(np.float32, copy=False)
        return out * self.output_sd + self.output_mean

    def save(self, weights: str | Path, sidecar: str | Path) -> None:
        """Write the network's state dict and the JSON sidecar that `load_model` reads.

        Parameters
        ----------
        weights
            The state dict's path (``torch.save``).
        sidecar
            The sidecar's path: the architecture, the TF and target IDs and symbols, the
            four scalers, `cistrans.training.model_versions` and the items of `info`.

        Returns
        -------
        None
        """
        torch.save(self.network.state_dict(), weights)
        meta = {
            "architecture": asdict(self.arch),
            "tf_ids": self.tf_ids,
            "tf_symbols": self.tf_symbols,
            "target_ids": self.target_ids,
            "target_symbols": self.target_symbols,
            "input_mean": self.input_mean.tolist(),
            "input_sd": self.input_sd.tolist(),
            "output_mean": self.output_mean.tolist(),
            "output_sd": self.output_sd.tolist(),
            "versions": model_versions(),
            **self.info,
        }
        Path(sidecar).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def load_model(weights: str | Path, sidecar: str | Path) -> TransModel:
    """Reload a saved model on the CPU.

    Parameters
    ----------
    weights
        The state dict written by `TransModel.save`.
    sidecar
        Its JSON sidecar.

    Returns
    -------
    TransModel
        The network (on the CPU, in training mode until `TransModel.predict` runs it) with
        the scalers as (TFs,) and (targets,) float32 arrays; the sidecar's other keys
        (training or ridge record, versions) in `info`.
    """
    meta = json.loads(Path(sidecar).read_text(encoding="utf-8"))
    arch = Architecture(**meta["architecture"])
    network = build_network(arch)
    network.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    keys = (
        "architecture",
        "tf_ids",
        "tf_symbols",
        "target_ids",
        "target_symbols",
        "input_mean",
        "input_sd",
        "output_mean",
        "output_sd",
    )
    return TransModel(
        network,
        arch,
        meta["tf_ids"],
        meta["tf_symbols"],
        meta["target_ids"],
        meta["target_symbols"],
        *(
            np.asarray(meta[k], dtype=np.float32)
            for k in ("input_mean", "input_sd", "output_mean", "output_sd")
        ),
        info={k: v for k, v in meta.items() if k not in keys},
    )


@dataclass
class TransEnsemble:
    """Networks of the same TFs and targets trained with different seeds, read as one: its
    predictions (and so its light-up, a difference of predictions) are the members' mean."""

    members: list[TransModel]

    def __post_init__(self) -> None:
        first = self.members[0]
        for member in self.members[1:]:
            if member.tf_ids != first.tf_ids or member.target_ids != first.target_ids:
                raise ValueError("ensemble members must share their TFs and targets, in order")

    @property
    def tf_ids(self) -> list[str]:
        return self.members[0].tf_ids

    @property
    def tf_symbols(self) -> list[str]:
        return self.members[0].tf_symbols

    @property
    def target_ids(self) -> list[str]:
        return self.members[0].target_ids

    @property
    def target_symbols(self) -> list[str]:
        return self.members[0].target_symbols

    @property
    def input_mean(self) -> np.ndarray:
        """The training mean (the same for every member: one training split)."""
        return self.members[0].input_mean

    def predict(self, inputs: np.ndarray, batch_size: int = 4096) -> np.ndarray:
        """The members' mean prediction, (n, targets).

        Parameters
        ----------
        inputs
            (n, TFs) raw log expression of the TFs, columns in the order of `tf_ids`.
        batch_size
            Rows per forward pass of each member (`TransModel.predict`).

        Returns
        -------
        np.ndarray
            (n, targets) the mean of the members' predictions, summed in member order and
            divided by their number.
        """
        total = self.members[0].predict(inputs, batch_size)
        for member in self.members[1:]:
            total += member.predict(inputs, batch_size)
        return total / len(self.members)


Predictor = TransModel | TransEnsemble
"""What evaluation, light-up and the disease steps read: one model or an ensemble."""


def load_models(weights: Sequence[str | Path], sidecars: Sequence[str | Path]) -> Predictor:
    """One saved model, or the ensemble of several (same order in both lists).

    Parameters
    ----------
    weights
        The members' state dicts.
    sidecars
        Their sidecars, in the same order (as many).

    Returns
    -------
    TransModel or TransEnsemble
        The model when one is given, else the ensemble of all (`load_model` each).
    """
    models = [load_model(w, s) for w, s in zip(weights, sidecars, strict=True)]
    return models[0] if len(models) == 1 else TransEnsemble(models)


def check_gene_order(
    model: Predictor, tf_ids: list[str], target_ids: list[str], *, source: str | Path
) -> None:
    """The data's TFs and targets must be the model's, in the model's order.

    Parameters
    ----------
    model
        The predictor (one model or an ensemble).
    tf_ids
        The data's TF IDs, in its order.
    target_ids
        The data's target IDs, in its order.
    source
        What the InputError names: the data's file (or the model's sidecar).

    Returns
    -------
    None
        InputError, with the first position where they differ, when the TFs or the
        targets are not the model's in the model's order.
    """
    for what, ours, theirs in (
        ("TF", model.tf_ids, tf_ids),
        ("target", model.target_ids, target_ids),
    ):
        if ours != theirs:
            differ = next(
                (i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
                min(len(ours), len(theirs)),
            )
            raise InputError(
                source,
                f"the model's {what} genes disagree with the data's ({len(ours)} vs "
                f"{len(theirs)}; first difference at position {differ})",
                "retrain the model on this compendium, or use the compendium it was trained on",
            )
