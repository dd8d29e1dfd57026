"""A trained sequence model saved so that it can be used again: its state dict (`model.pt`)
and, beside it, a JSON sidecar (`model.json`) holding what rebuilds the network and reads
its inputs the way training did: the model and its settings, the input shape and encoding,
the window the sequences were cut to, the per-gene features and labels with the means and
sds they were standardised with, the seed, whether the labels were permuted, and the
versions of Python, torch, NumPy and cistrans.

`SequenceModel` is such a model reloaded (`cistrans.models.load_model` rebuilds it from the
sidecar): `predict` scores new sequences, or inputs already encoded, in label units.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cistrans.cismodels.data import crop_bounds
from cistrans.cismodels.networks import InputShape
from cistrans.dna import encode_bases, onehot_codes
from cistrans.errors import InputError
from cistrans.training import model_versions, predict_in_batches

SIDECAR_FORMAT = 1
"""The layout of the sidecar; a later layout gets a higher number."""

ONEHOT = "onehot"
"""The encoding of models that read one-hot windows, and so can score raw sequences."""

ACGT = ("A", "C", "G", "T")
"""The channels of a one-hot window, in order."""
_DNA = re.compile(r"^[ACGTN]+$")


def sidecar_path(weights: str | Path) -> Path:
    """The sidecar beside a state dict: `model.pt` → `model.json`.

    Parameters
    ----------
    weights
        The state dict's path (or the sidecar's: its path comes back).

    Returns
    -------
    Path
        The path with the suffix .json.
    """
    return Path(weights).with_suffix(".json")


@dataclass
class ModelRecord:
    """What a sidecar holds (see the module docstring).

    kind: xpresso, legnet, texcnn, deeplncloc, ctxreg or ctxreg_jaspar_mode; name: the run's
    model name (texcnn_<embedding>, or the kind); settings: the config section the network
    was built and trained from (its `training` included); shape: what the network reads;
    encoding: onehot (windows, channels A C G T), embedding, word2vec or jaspar_sites;
    channel_names: the input channels, when they have names (ACGT; the JASPAR motif ids);
    window: how the sequences were cut, as `cistrans.cismodels.saved.window_problem` reads
    it ({"source": "genome", "upstream", "downstream", "crop": the `crop_bounds` keyword
    arguments or None}, or {"source": "table"}), None when unknown; features: the feature
    set; extra_names, extra_mean, extra_sd: (extra,) the per-gene features beside the
    sequence and their training mean and sd; labels, label_mean, label_sd: (outputs,) the
    label columns (tissues in the cell-type mode) and their training mean and sd; seed;
    control: trained on permuted labels; versions: `cistrans.training.model_versions`.
    """

    kind: str
    name: str
    settings: dict[str, Any]
    shape: InputShape
    encoding: str
    labels: list[str]
    label_mean: list[float]
    label_sd: list[float]
    seed: int
    control: bool
    features: str = "dna"
    extra_names: list[str] = field(default_factory=list)
    extra_mean: list[float] = field(default_factory=list)
    extra_sd: list[float] = field(default_factory=list)
    window: dict[str, Any] | None = None
    channel_names: list[str] | None = None
    versions: dict[str, str] = field(default_factory=model_versions)

    def to_json(self) -> dict[str, Any]:
        """The sidecar's content."""
        return {
            "format": SIDECAR_FORMAT,
            "kind": self.kind,
            "name": self.name,
            "settings": self.settings,
            "input": {
                "encoding": self.encoding,
                "channels": self.shape.channels,
                "length": self.shape.length,
                "extra": self.shape.extra,
                "outputs": self.shape.outputs,
                "channel_names": self.channel_names,
                "window": self.window,
            },
            "features": {
                "set": self.features,
                "names": self.extra_names,
                "mean": self.extra_mean,
                "sd": self.extra_sd,
            },
            "labels": {"names": self.labels, "mean": self.label_mean, "sd": self.label_sd},
            "seed": self.seed,
            "control": self.control,
            "versions": self.versions,
        }

    @classmethod
    def from_json(cls, meta: Mapping[str, Any], source: str | Path) -> ModelRecord:
        """The record of a sidecar's content; InputError naming `source` (the sidecar) when
        a key is missing or the layout is newer than this cistrans reads. An older
        sidecar's input.length_key (the config key that set the length, no longer
        written) is ignored."""
        if meta.get("format", 0) > SIDECAR_FORMAT:
            raise InputError(
                source,
                f"sidecar format {meta.get('format')}, newer than this cistrans reads "
                f"({SIDECAR_FORMAT})",
                "load it with the cistrans version in its `versions`, or newer",
            )
        try:
            given, features, labels = meta["input"], meta["features"], meta["labels"]
            shape = InputShape(given["channels"], given["length"], given["extra"], given["outputs"])
            return cls(
                kind=meta["kind"],
                name=meta["name"],
                settings=dict(meta["settings"]),
                shape=shape,
                encoding=given["encoding"],
                labels=list(labels["names"]),
                label_mean=list(labels["mean"]),
                label_sd=list(labels["sd"]),
                seed=meta["seed"],
                control=meta["control"],
                features=features["set"],
                extra_names=list(features["names"]),
                extra_mean=list(features["mean"]),
                extra_sd=list(features["sd"]),
                window=given.get("window"),
                channel_names=given.get("channel_names"),
                versions=dict(meta.get("versions", {})),
            )
        except (KeyError, TypeError) as error:
            raise InputError(
                source,
                f"not a model sidecar of cistrans (missing or malformed {error})",
                "rebuild the model with the rule that trained it (e.g. `snakemake "
                "--forcerun cis_train`)",
            ) from error


def save_model(
    network: torch.nn.Module, record: ModelRecord, weights: str | Path, sidecar: str | Path
) -> None:
    """Write a trained network's weights and its sidecar, which `cistrans.models.load_model`
    finds beside the weights (`sidecar_path`: model.pt → model.json).

    Parameters
    ----------
    network
        The trained network; its state dict is saved.
    record
        What the sidecar saves (`ModelRecord`).
    weights
        The weights' path (model.pt).
    sidecar
        The sidecar's path (model.json).

    Returns
    -------
    None
    """
    torch.save(network.state_dict(), weights)
    Path(sidecar).write_text(json.dumps(record.to_json(), indent=1) + "\n", encoding="utf-8")


def read_sidecar(path: str | Path) -> tuple[dict[str, Any], Path]:
    """The content of the sidecar of the model at `path` (its `model.pt`, or the sidecar
    itself) and the sidecar's path.

    Parameters
    ----------
    path
        The model's weights (model.pt) or its sidecar (model.json).

    Returns
    -------
    tuple
        The sidecar's content (a dict, as `ModelRecord.from_json` reads it) and its path.

    Raises
    ------
    InputError
        When there is no sidecar beside the weights, or it is not a JSON object.
    """
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        raise InputError(
            path,
            f"no sidecar {sidecar.name} beside it: a model saved as a bare state dict "
            "(before sidecars were written) cannot be rebuilt",
            "retrain it with this version of the workflow (e.g. `snakemake --forcerun "
            "cis_train`), which writes the sidecar beside the weights",
        )
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(
            sidecar, f"not readable JSON ({error})", "retrain the model to write it again"
        ) from error
    if not isinstance(meta, dict):
        raise InputError(sidecar, "not a JSON object", "retrain the model to write it again")
    return meta, sidecar


def window_span(window: Mapping[str, Any]) -> tuple[int, int]:
    """(upstream, downstream) bases around the TSS that a genome-window model reads.

    Parameters
    ----------
    window
        A genome window as ModelRecord.window holds it: upstream, downstream and crop
        (the `crop_bounds` keyword arguments, or None for the whole window).

    Returns
    -------
    tuple of int
        Bases before the TSS and bases from the TSS on.
    """
    crop = window.get("crop")
    if not crop:
        return window["upstream"], window["downstream"]
    upstream = crop["window_upstream"] if crop["upstream"] is None else crop["upstream"]
    downstream = (
        crop["length"] - crop["window_upstream"] if crop["downstream"] is None
        else crop["downstream"]
    )  # fmt: skip
    return upstream, downstream


def window_problem(
    sequence: str, length: int, window: Mapping[str, Any] | None
) -> tuple[str | None, str, str]:
    """How a new sequence becomes the `length`-base input of a model whose training
    sequences were cut as `window` says (ModelRecord.window): (problem, what the model
    reads, the fix) when it cannot, else (None, the input, "").

    A sequence of `length` bases is read as it is. From a genome window with a crop (e.g.
    cis.window), the whole window (sequence.upstream + sequence.downstream bases) is
    cropped as the training windows were. From your own sequence table, a shorter sequence
    is padded with N at its 3' end as the training sequences were. Any other length is
    refused: a window shifted against the TSS would be scored as if it were not.

    Parameters
    ----------
    sequence
        The new sequence, upper case.
    length
        The length the model reads.
    window
        How the training sequences were cut (ModelRecord.window), or None when unknown.

    Returns
    -------
    tuple
        (problem, input, fix): (None, the `length`-base input, "") when the sequence can be
        read; else (what is wrong with it, "", how to fix it), for an InputError.
    """
    if len(sequence) == length:
        return None, sequence, ""
    source = (window or {}).get("source")
    if source == "table":
        if len(sequence) < length:
            return None, sequence.ljust(length, "N"), ""
        return (
            f"{len(sequence):,} bases, longer than the {length:,} the model reads (its "
            "training sequences, padded with N at the 3' end to the longest)",
            "",
            f"trim it to {length:,} bases or fewer (a shorter one is padded with N at its "
            "3' end, as in training)",
        )
    if source == "genome" and window is not None:
        upstream, downstream = window_span(window)
        crop = window.get("crop")
        if crop and len(sequence) == crop["length"]:
            start, stop = crop_bounds(**crop)
            return None, sequence[start:stop], ""
        whole = (
            f", or the whole -{crop['window_upstream']:,}…+"
            f"{crop['length'] - crop['window_upstream']:,} window ({crop['length']:,} bases; "
            "cropped as in training)"
            if crop
            else ""
        )
        return (
            f"{len(sequence):,} bases, where the model reads the {length:,}-base window "
            f"-{upstream:,}…+{downstream:,} around a TSS (5' to 3' on the gene's strand, "
            f"base {upstream + 1:,} the TSS)",
            "",
            f"give each sequence as exactly that window{whole}; an indel's alternative "
            "sequence must be trimmed or extended to the same length",
        )
    return (
        f"{len(sequence):,} bases, where the model reads {length:,}",
        "",
        f"give sequences of {length:,} bases",
    )


@dataclass
class SequenceModel:
    """A trained sequence model, reloaded: its network (in eval mode) and its sidecar
    `record`. `predict` gives label units; `encode` turns sequences into the model's input
    window."""

    network: torch.nn.Module
    record: ModelRecord

    @property
    def labels(self) -> list[str]:
        """The label (or tissue) of each output column of `predict`."""
        return self.record.labels

    @property
    def reads_sequences(self) -> bool:
        """Whether raw sequences can be scored (one-hot models); other models read
        embeddings, Word2Vec vectors or JASPAR sites made by their own workflow steps."""
        return self.record.encoding == ONEHOT

    def encode(
        self,
        sequences: Sequence[str],
        *,
        source: str | Path = "sequences",
        where: Sequence[str] | None = None,
    ) -> np.ndarray:
        """The base codes the network reads, (n, length) uint8 (A C G T → 0–3, N → 4).

        Parameters
        ----------
        sequences
            DNA, any case; letters other than A, C, G, T, N are refused. Each is read as
            `window_problem` says: the model's length as it is, the whole genome window
            cropped, a shorter table sequence padded with N.
        source, where
            What the InputError of a sequence that cannot be read names: the file (or
            argument) and the place of each sequence in it (default: "sequence <i>").

        Returns
        -------
        np.ndarray
            (len(sequences), length) uint8.
        """
        if not self.reads_sequences:
            raise InputError(
                source,
                f"model {self.record.name} reads {self.record.encoding} inputs, made from "
                "sequences by its own workflow steps, not raw sequences",
                "pass its encoded inputs (n, channels, length) to predict, or use a one-hot "
                "model (xpresso, legnet, ctxreg)",
            )
        length, window = self.record.shape.length, self.record.window
        windows = []
        for i, raw in enumerate(sequences):
            place = where[i] if where is not None else f"sequence {i + 1}"
            sequence = str(raw).strip().upper()
            if not sequence:
                raise InputError(
                    source, "the sequence is empty", "give every row a sequence", place
                )
            if not _DNA.match(sequence):
                bad = "".join(sorted(set(sequence) - set("ACGTN")))[:10]
                raise InputError(
                    source,
                    f"the sequence has letters other than A, C, G, T, N: {bad}",
                    "give DNA sequences (IUPAC ambiguity codes as N)",
                    place,
                )
            problem, read, fix = window_problem(sequence, length, window)
            if problem is not None:
                raise InputError(source, f"the sequence is {problem}", fix, place)
            windows.append(read)
        if not windows:
            return np.zeros((0, length), dtype=np.uint8)
        return encode_bases(windows)

    @torch.inference_mode()
    def predict(
        self,
        sequences: Sequence[str] | np.ndarray,
        *,
        extra: np.ndarray | None = None,
        batch_size: int = 256,
    ) -> np.ndarray:
        """The model's predictions, in the units of its labels (the training label's
        mean and sd restored).

        Parameters
        ----------
        sequences
            DNA strings (one-hot models; see `encode`), base codes (n, length) uint8 from
            `encode`, or inputs already in the network's layout, (n, channels, length)
            float (one-hot (n, 4, length), channels A C G T; embeddings, Word2Vec vectors
            or JASPAR site regions for the other models).
        extra
            (n, extra) the per-gene features of a model trained with them (record.
            extra_names, raw values: they are standardised as in training); None for a
            model of the `dna` feature set.
        batch_size
            Rows per forward pass.

        Returns
        -------
        np.ndarray
            (n, outputs) float64, one column per label of `labels`.
        """
        record, shape = self.record, self.record.shape
        if isinstance(sequences, np.ndarray) and sequences.ndim == 2 and self.reads_sequences:
            codes = sequences.astype(np.uint8, copy=False)
            inputs = None
        elif isinstance(sequences, np.ndarray) and sequences.ndim == 3:
            codes, inputs = None, sequences
            if inputs.shape[1:] != (shape.channels, shape.length):
                raise ValueError(
                    f"inputs of shape {inputs.shape}; model {record.name} reads "
                    f"(n, {shape.channels}, {shape.length})"
                )
        else:
            codes, inputs = self.encode(list(sequences)), None
        n = len(codes) if codes is not None else len(inputs)  # type: ignore[arg-type]
        if codes is not None and codes.shape[1] != shape.length:
            raise ValueError(
                f"base codes of {codes.shape[1]} positions; the model reads {shape.length}"
            )
        features = self._features(extra, n)
        device = next(self.network.parameters()).device

        def forward(rows: slice) -> torch.Tensor:
            if codes is not None:
                batch = onehot_codes(codes[rows]).astype(np.float32)
            else:
                batch = np.asarray(inputs[rows], dtype=np.float32)  # type: ignore[index]
            return self.network(torch.from_numpy(batch).to(device), features[rows].to(device))

        out = np.empty((n, shape.outputs), dtype=np.float64)
        if n:
            out[:] = predict_in_batches(self.network, forward, n, batch_size=batch_size).numpy()
        return out * np.asarray(record.label_sd) + np.asarray(record.label_mean)

    def _features(self, extra: np.ndarray | None, n: int) -> torch.Tensor:
        """The standardised per-gene features, (n, extra) float32 ((n, 0) without)."""
        record = self.record
        if record.shape.extra == 0:
            if extra is not None and np.asarray(extra).size:
                raise ValueError(f"model {record.name} ({record.features}) reads no features")
            return torch.zeros((n, 0), dtype=torch.float32)
        if extra is None or np.shape(extra) != (n, record.shape.extra):
            raise ValueError(
                f"model {record.name} ({record.features}) reads {record.shape.extra} features "
                f"per sequence: pass extra of shape ({n}, {record.shape.extra}), columns "
                f"{', '.join(record.extra_names)}"
            )
        scaled = (np.asarray(extra) - np.asarray(record.extra_mean)) / np.asarray(record.extra_sd)
        return torch.as_tensor(scaled, dtype=torch.float32)
