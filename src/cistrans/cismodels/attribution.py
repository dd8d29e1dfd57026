"""What a one-hot sequence model learned: per-base attributions on sequences, and the motifs
in them.

- **Attributions** (tangermeme): DeepLIFT/SHAP against dinucleotide-shuffled copies of each
  sequence (`deep_lift_shap`), or in-silico saturation mutagenesis (`ism`: every base
  changed to every other, the change in prediction centred per position). Both give
  hypothetical contributions: what each of the four bases would add at each position, in the
  label's units; times the one-hot sequence, the contribution of the base that is there.
- **Motifs** (TF-MoDISco, modisco-lite): stretches of high contribution (seqlets) clustered
  into patterns, positive (raising the prediction) and negative (lowering it) apart. Each
  pattern's contribution weight matrix (CWM, the mean contribution of each base at each
  position over its seqlets) is trimmed to the positions holding at least `TRIM` of its
  largest column, as modisco-lite's report does; its base frequencies there (PPM) are what
  TOMTOM matches to known motifs.

Shapes: codes (sequences, length) uint8 (A, C, G, T = 0…3, N = 4, an all-zero one-hot
column); one-hot and hypothetical contributions (sequences, 4, length) float32.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from cistrans.cismodels.models import model_kind
from cistrans.cismodels.networks import InputShape
from cistrans.cismodels.runs import build_network
from cistrans.dna import BASES, onehot_codes
from cistrans.errors import InputError
from cistrans.io.motifs import Motif
from cistrans.training import predict_in_batches

log = logging.getLogger(__name__)

METHODS = ("deep_lift_shap", "ism")
"""How attributions are computed: DeepLIFT/SHAP against dinucleotide shuffles, or in-silico
saturation mutagenesis."""
TRIM = 0.3
"""A pattern keeps the positions whose summed |CWM| is at least this share of its largest
(modisco-lite's report)."""
PSEUDOCOUNT = 0.01
"""Added to each base's frequency of a pattern's PPM before TOMTOM (no zero probabilities)."""
CONVERGENCE_LIMIT = 0.05
"""DeepLIFT/SHAP's contributions must sum to the change in prediction against the
references; a mean gap above this share of the change means an operation of the network had
no DeepLIFT rule (treated as linear), and the attributions are only approximate."""
DIFFUSE_INFORMATION = 0.8
"""Below this mean information content (bits per position) a pattern is diffuse, a
composition (e.g. GC-rich stretches) rather than a site, and its TOMTOM match means little:
memelite's TOMTOM matches long weak patterns to long motifs such as CTCF. Measured: the
demo's patterns (each a planted motif) 1.06-1.55; the DREAM lentiMPRA sample's (Xpresso
0.47-0.78, LegNet 0.24-0.74, nearly all matched to CTCF) below."""
PATTERN_COLUMNS = [
    "pattern", "sign", "seqlets", "contribution", "weight", "width", "information",
    "consensus", "match_id", "match_name", "p_value", "q_value",
]  # fmt: skip
"""The columns of `pattern_table`."""


@dataclass(frozen=True)
class Pattern:
    """One TF-MoDISco pattern: `name` (modisco-lite's, e.g. pos_patterns.pattern_0), `sign`
    +1 (its seqlets raise the prediction) or −1, its number of `seqlets`, and its trimmed
    CWM and PPM, each (width, 4) columns A C G T."""

    name: str
    sign: int
    seqlets: int
    cwm: np.ndarray
    ppm: np.ndarray

    @property
    def contribution(self) -> float:
        """The mean summed contribution of a seqlet over the trimmed positions (label
        units): the sum of the trimmed CWM."""
        return float(self.cwm.sum())

    @property
    def information(self) -> float:
        """The mean information content of the trimmed PPM (`motif`), bits per position."""
        pwm = self.motif().pwm
        return float((2 + (pwm * np.log2(pwm)).sum(axis=1)).mean())

    def motif(self) -> Motif:
        """The trimmed PPM as a Motif (with `PSEUDOCOUNT`), for TOMTOM."""
        ppm = self.ppm + PSEUDOCOUNT
        return Motif(self.name, self.name, ppm / ppm.sum(axis=1, keepdims=True))


class SequenceOnly(nn.Module):
    """A cis network that reads the sequence alone, as tangermeme calls models:
    forward(x (batch, 4, length)) → (batch, outputs)."""

    def __init__(self, network: nn.Module) -> None:
        super().__init__()
        self.network = network

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.network(x, None)


def choose_best_run(histories: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The candidate runs by their best validation loss, without looking at the test genes.

    Parameters
    ----------
    histories
        Run name → its training history (epoch, validation_loss, ...; one row per epoch).

    Returns
    -------
    pd.DataFrame
        One row per run with a finite validation loss: run, best_validation_loss,
        best_epoch, chosen; lowest loss first, the first row chosen.

    Raises
    ------
    InputError
        When no run has a finite validation loss.
    """
    rows = []
    for run, history in histories.items():
        losses = pd.to_numeric(history["validation_loss"], errors="coerce")
        finite = losses[np.isfinite(losses)]
        if len(finite):
            rows.append({"run": run, "best_validation_loss": float(finite.min()),
                         "best_epoch": int(history["epoch"].loc[finite.idxmin()])})  # fmt: skip
    if not rows:
        raise InputError(
            ", ".join(histories) or "the one-hot models' runs",
            "no run has a finite validation loss to choose the best model by",
            "retrain the one-hot models (rule cis_train) or check their logs",
        )
    table = pd.DataFrame(rows).sort_values(["best_validation_loss", "run"], kind="stable")
    return table.assign(chosen=np.arange(len(table)) == 0).reset_index(drop=True)


def trained_network(
    weights: str, *, kind: str, length: int, settings: Mapping[str, Any]
) -> nn.Module:
    """The network of one-hot model `kind` for sequences of `length` bases, the sequence
    alone and one output, as rule cis_train built it, with the weights it saved.

    Parameters
    ----------
    weights
        The saved state dict's path.
    kind
        The one-hot model: xpresso or legnet.
    length
        The sequences' length (bases).
    settings
        The model's config section (cis.<kind>).

    Returns
    -------
    nn.Module
        The network, in eval mode on the CPU: forward(x (batch, 4, length), extra) →
        (batch, 1).

    Raises
    ------
    cistrans.cismodels.networks.InputTooShort
        When `length` is shorter than the network's receptive field.
    """
    shape = InputShape(BASES, length, 0, 1)
    network = build_network(kind, shape, dict(settings))
    network.load_state_dict(torch.load(weights, map_location="cpu"))
    return network.eval()


def explained_rows(
    gene_ids: Sequence[str], labels: pd.DataFrame, *, sequences: int, seed: int
) -> np.ndarray:
    """The rows of `gene_ids` to explain: the test genes of `labels`, at most `sequences`
    of them drawn at random, in row order.

    Parameters
    ----------
    gene_ids
        (genes,) the genes of the one-hot codes, in row order.
    labels
        gene_id and split, one row per gene.
    sequences
        The most rows to explain.
    seed
        Seeds the draw.

    Returns
    -------
    np.ndarray
        (rows,) int indices into `gene_ids`, ascending.

    Raises
    ------
    InputError
        When no gene of the codes is a test gene.
    """
    test = np.flatnonzero(pd.Index(gene_ids).isin(labels.gene_id[labels.split == "test"]))
    if not len(test):
        raise InputError(
            "the one-hot codes", "hold no test gene of the labels",
            "rerun cis_onehot and sequence_labels from the same windows",
        )  # fmt: skip
    if len(test) > sequences:
        test = np.sort(np.random.default_rng(seed).choice(test, sequences, replace=False))
    return test


def dinucleotide_shuffles(codes: np.ndarray, n: int, seed: int) -> np.ndarray:
    """`n` shuffles of each sequence of `codes` that keep its count of every dinucleotide
    and its first and last base (tangermeme's Euler-path shuffle, Altschul & Erickson), an
    N shuffled as a base of its own. The same `seed` gives the same shuffles; `codes` is
    not modified. A sequence with a single such path (e.g. all one base) comes back
    unchanged.

    Parameters
    ----------
    codes
        (sequences, length) uint8 base codes (A, C, G, T = 0…3, N = 4).
    n
        Shuffles per sequence.
    seed
        Seeds the shuffles.

    Returns
    -------
    np.ndarray
        (sequences, n, length) uint8 base codes.
    """
    from tangermeme.ersatz import dinucleotide_shuffle

    onehot = torch.from_numpy(onehot_codes(np.asarray(codes)).astype(np.int8))
    rows = np.arange(len(onehot))
    shuffles = []
    for k in range(n):  # one shuffle a call: tangermeme refuses n identical shuffles
        seeds = (seed + (k * len(rows) + rows)).tolist()
        shuffled = dinucleotide_shuffle(onehot, n=1, random_state=seeds, allow_N=True)[:, 0]
        values, index = shuffled.max(dim=1)
        index[values == 0] = BASES
        shuffles.append(index.numpy().astype(np.uint8))
    return np.stack(shuffles, axis=1)


def adaptive_max_pool_rule(
    module: nn.AdaptiveMaxPool1d,
    grad_input: tuple[torch.Tensor, ...],
    grad_output: tuple[torch.Tensor, ...],
) -> tuple[torch.Tensor]:
    """DeepLIFT's rescale rule for `nn.AdaptiveMaxPool1d` (a global max pool: Xpresso's
    last pool of 0), which tangermeme lacks: the change in each pooled value goes back to
    the positions that were the maximum in the sequence and in its reference, as
    tangermeme's rule for `nn.MaxPool1d` routes it. The signature is tangermeme's.

    Parameters
    ----------
    module
        The pool, its `input` (2·batch, channels, length) and `output` (2·batch,
        channels, 1) holding the sequences and their references stacked (set by
        tangermeme's hooks).
    grad_input
        The gradients into the pool's input, the first (2·batch, channels, length).
    grad_output
        The gradients of its output, the first (2·batch, channels, 1).

    Returns
    -------
    tuple of torch.Tensor
        One tensor (2·batch, channels, length): the multipliers of the pool's input, the
        same for a sequence and its reference.
    """
    with torch.no_grad():
        delta_in = torch.sub(*module.input.chunk(2))
        output, reference = module.output.chunk(2)
        larger = torch.max(output, reference)
        delta_out = torch.cat([larger - reference, output - larger])
        _, indices = F.adaptive_max_pool1d(module.input, module.output_size, True)
        routed = torch.zeros_like(module.input).scatter_add_(
            -1, indices, grad_output[0] * delta_out
        )
        routed = torch.add(*routed.chunk(2))
    unchanged = delta_in == 0
    half = torch.where(unchanged, grad_input[0].chunk(2)[0],
                       routed / delta_in.masked_fill(unchanged, 1))  # fmt: skip
    return (torch.cat([half, half]),)


def _predict(
    model: nn.Module, x: torch.Tensor, batch_size: int, device: torch.device
) -> np.ndarray:
    """(sequences,) the first output of `model` on one-hot `x`."""
    return predict_in_batches(
        None, lambda batch: model(x[batch].to(device))[:, 0].float(), len(x),
        batch_size=batch_size,
    ).numpy()  # fmt: skip


def attributions(
    network: nn.Module,
    codes: np.ndarray,
    *,
    method: str = "deep_lift_shap",
    shuffles: int = 20,
    seed: int = 0,
    batch_size: int = 64,
    device: str | torch.device = "cpu",
) -> tuple[np.ndarray, float]:
    """Hypothetical contributions of the first output of `network` on the sequences
    `codes`, in label units, by `method` (`METHODS`).

    deep_lift_shap: against `shuffles` dinucleotide shuffles of each sequence (seeded by
    `seed`), averaged. ism: each base changed to each other one, the change in prediction
    centred over the four bases of its position. The network is left in eval mode.

    Parameters
    ----------
    network
        A cis network, forward(x (batch, 4, length), extra) → (batch, outputs).
    codes
        (sequences, length) uint8 base codes.
    method
        deep_lift_shap or ism.
    shuffles
        DeepLIFT/SHAP's references per sequence.
    seed
        Seeds the shuffles.
    batch_size
        Sequences per forward pass.
    device
        Where the network runs.

    Returns
    -------
    tuple
        The contributions (sequences, 4, length) float32, and, for DeepLIFT/SHAP, the mean
        gap between each sequence's summed contributions and its change in prediction
        against its references, as a share of that change (NaN for ism; above
        `CONVERGENCE_LIMIT` a warning: an operation without a DeepLIFT rule).

    Raises
    ------
    ValueError
        When `method` is unknown.
    """
    if method not in METHODS:
        raise ValueError(f"unknown attribution method {method!r}; known: {', '.join(METHODS)}")
    device = torch.device(device)
    model = SequenceOnly(network).to(device).eval()
    x = torch.from_numpy(onehot_codes(np.asarray(codes)).astype(np.float32))
    if method == "ism":
        from tangermeme.saturation_mutagenesis import saturation_mutagenesis

        with warnings.catch_warnings():  # N columns, the fast path's choice
            warnings.simplefilter("ignore")
            hypothetical = saturation_mutagenesis(
                model, x, batch_size=batch_size, target=0, hypothetical=True, device=device
            )
        return hypothetical.float().cpu().numpy(), float("nan")
    from tangermeme.deep_lift_shap import deep_lift_shap

    references = torch.from_numpy(
        onehot_codes(dinucleotide_shuffles(codes, shuffles, seed).reshape(-1, codes.shape[1]))
        .astype(np.float32)
        .reshape(len(x), shuffles, BASES, codes.shape[1])
    )
    with warnings.catch_warnings():  # N columns; the convergence is checked below, once
        warnings.simplefilter("ignore")
        hypothetical = deep_lift_shap(
            model, x, references=references, hypothetical=True, batch_size=batch_size,
            additional_nonlinear_ops={nn.AdaptiveMaxPool1d: adaptive_max_pool_rule},
            only_warn=True, device=device,
        ).float().cpu()  # fmt: skip
    change = _predict(model, x, batch_size, device) - _predict(
        model, references.reshape(-1, BASES, codes.shape[1]), batch_size, device
    ).reshape(len(x), shuffles).mean(axis=1)
    summed = (hypothetical * x).sum(dim=(1, 2)).numpy()
    gap = float(np.abs(summed - change).mean() / max(np.abs(change).mean(), 1e-12))
    if gap > CONVERGENCE_LIMIT:
        log.warning(
            "DeepLIFT/SHAP does not add up: the contributions miss the change in prediction "
            "by %.0f%% on average (an operation of %s has no DeepLIFT rule in tangermeme and "
            "is treated as linear); the attributions are approximate. Fix: set "
            "cis.attributions.method: ism",
            100 * gap, type(network).__name__,
        )  # fmt: skip
    return hypothetical.numpy(), gap


def modisco_patterns(
    codes: np.ndarray, hypothetical: np.ndarray, settings: Mapping[str, Any]
) -> list[Pattern]:
    """TF-MoDISco's patterns (modisco-lite) in the contributions of `codes`, positive
    patterns first.

    No pattern (an empty list, with a log line saying why) when the contributions are all
    zero (a model that predicts a constant) or too few seqlets pass.

    Parameters
    ----------
    codes
        (sequences, length) uint8 base codes.
    hypothetical
        (sequences, 4, length) their hypothetical contributions (`attributions`).
    settings
        leiden_runs (n_leiden_runs), min_seqlets (min_metacluster_size: fewer seqlets of a
        sign than this find no pattern of it), max_seqlets (max_seqlets_per_metacluster).

    Returns
    -------
    list of Pattern
        The patterns, each trimmed (`TRIM`); CWM and PPM (width, 4).
    """
    from modiscolite.tfmodisco import TFMoDISco

    onehot = onehot_codes(np.asarray(codes)).astype(np.float32).transpose(0, 2, 1)
    contribs = np.ascontiguousarray(hypothetical.transpose(0, 2, 1), dtype=np.float32)
    if not np.abs(contribs * onehot).sum(axis=2).any():
        log.info("no motif: every contribution is zero (the model predicts a constant)")
        return []
    positive, negative = TFMoDISco(
        one_hot=onehot,
        hypothetical_contribs=contribs,
        n_leiden_runs=settings["leiden_runs"],
        min_metacluster_size=settings["min_seqlets"],
        max_seqlets_per_metacluster=settings["max_seqlets"],
    )
    patterns = [
        _trimmed(f"{group}.pattern_{i}", sign, found)
        for group, sign, found in (("pos_patterns", 1, positive), ("neg_patterns", -1, negative))
        for i, found in enumerate(found or [])
    ]
    if not patterns:
        log.info(
            "no motif: TF-MoDISco found no pattern in %d sequences (each sign needs more than "
            "cis.attributions.min_seqlets = %d seqlets); explain more sequences "
            "(cis.attributions.sequences) or lower min_seqlets",
            len(codes), settings["min_seqlets"],
        )  # fmt: skip
    return patterns


def _trimmed(name: str, sign: int, pattern: Any) -> Pattern:
    """A modisco-lite pattern (SeqletSet) as a `Pattern`, trimmed to the positions whose
    summed |CWM| is at least `TRIM` of its largest."""
    cwm = np.asarray(pattern.contrib_scores, dtype=float)
    score = np.abs(cwm).sum(axis=1)
    kept = np.flatnonzero(score >= TRIM * score.max())
    window = slice(kept.min(), kept.max() + 1)
    ppm = np.asarray(pattern.sequence, dtype=float)[window]
    return Pattern(name, sign, len(pattern.seqlets), cwm[window], ppm)


def pattern_table(
    patterns: Sequence[Pattern], matches: pd.DataFrame | None, sequences: int
) -> pd.DataFrame:
    """One row per pattern (`PATTERN_COLUMNS`), by |weight|, largest first: its sign (+1
    raises the prediction, −1 lowers it), seqlets, contribution (a seqlet's mean summed
    contribution, label units), weight (seqlets × contribution / `sequences`: its mean
    effect per explained sequence), width, information (bits per position; below
    `DIFFUSE_INFORMATION` a composition more than a site), consensus, and its best known
    motif by TOMTOM
    (`matches`). Header-only when there is no pattern.

    Parameters
    ----------
    patterns
        The patterns (`modisco_patterns`).
    matches
        From `cistrans.ctxreg.motifs.match_motifs` of the patterns' `Pattern.motif`: motif,
        match_id, match_name, p_value, q_value, one row per pattern; None when there is no
        pattern.
    sequences
        The number of sequences explained.

    Returns
    -------
    pd.DataFrame
        One row per pattern, columns `PATTERN_COLUMNS`.
    """
    if not patterns or matches is None:
        return pd.DataFrame(columns=PATTERN_COLUMNS)
    table = pd.DataFrame(
        {
            "pattern": [p.name for p in patterns],
            "sign": [p.sign for p in patterns],
            "seqlets": [p.seqlets for p in patterns],
            "contribution": [p.contribution for p in patterns],
            "weight": [p.seqlets * p.contribution / sequences for p in patterns],
            "width": [len(p.cwm) for p in patterns],
            "information": [p.information for p in patterns],
            "consensus": [p.motif().consensus for p in patterns],
        }
    )
    found = matches.set_index("motif")[["match_id", "match_name", "p_value", "q_value"]]
    table = table.join(found, on="pattern")
    order = table.weight.abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order, PATTERN_COLUMNS].reset_index(drop=True)


def cwm_table(patterns: Sequence[Pattern]) -> pd.DataFrame:
    """The trimmed CWMs, long, what the logos are drawn from.

    Parameters
    ----------
    patterns
        The patterns (`modisco_patterns`).

    Returns
    -------
    pd.DataFrame
        One row per pattern and position: pattern, position (0-based), A, C, G, T (label
        units); header-only without patterns.
    """
    columns = ["pattern", "position", *"ACGT"]
    frames = [
        pd.DataFrame(p.cwm, columns=list("ACGT")).assign(pattern=p.name, position=range(len(p.cwm)))
        for p in patterns
    ]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )


@dataclass(frozen=True)
class Explanation:
    """What `explain_best_run` found: the `candidates` (`choose_best_run`), the `rows` of
    the codes explained (test genes), their hypothetical contributions (sequences, 4,
    length), DeepLIFT/SHAP's `gap` (NaN for ism), the `patterns` and their `table`
    (`pattern_table`, with the run, its validation loss, the method and the count of
    sequences) and `cwms` (`cwm_table`)."""

    candidates: pd.DataFrame
    rows: np.ndarray
    hypothetical: np.ndarray
    gap: float
    patterns: list[Pattern]
    table: pd.DataFrame
    cwms: pd.DataFrame

    @property
    def run(self) -> str:
        """The run explained: model/features/run."""
        return str(self.candidates.run.iloc[0])


def explain_best_run(
    histories: Mapping[str, pd.DataFrame],
    weights: Mapping[str, str],
    codes: np.ndarray,
    gene_ids: Sequence[str],
    labels: pd.DataFrame,
    match: Callable[[list[Motif]], pd.DataFrame],
    *,
    model_settings: Mapping[str, Mapping[str, Any]],
    settings: Mapping[str, Any],
    seed: int,
    device: str | torch.device = "cpu",
) -> Explanation:
    """The best one-hot run (`choose_best_run` on its validation loss) explained on test
    sequences: attributions (`attributions`), TF-MoDISco patterns in them
    (`modisco_patterns`) and each pattern's best JASPAR match (TOMTOM).

    Parameters
    ----------
    histories
        Run name (model/features/run) → its training history (epoch, validation_loss).
    weights
        Run name → its saved state dict's path.
    codes
        (genes, length) uint8 base codes.
    gene_ids
        (genes,) the genes of `codes`, in row order.
    labels
        gene_id and split, one row per gene.
    match
        The known motifs' matcher (e.g. TOMTOM against JASPAR): one row per motif given,
        with `pattern_table`'s match columns (motif, match_id, match_name, p_value,
        q_value).
    model_settings
        Model kind → its config section (cis.<kind>).
    settings
        cis.attributions (sequences, method, shuffles, leiden_runs, min_seqlets,
        max_seqlets).
    seed
        Seeds the sequences drawn and the shuffles.
    device
        Where the network runs.

    Returns
    -------
    Explanation
        The candidates, the rows explained, their contributions (sequences, 4, length)
        float32, DeepLIFT/SHAP's gap, the patterns, their table and their CWMs.

    Raises
    ------
    InputError
        When no run has a finite validation loss, or no gene of the codes is a test gene.
    cistrans.cismodels.networks.InputTooShort
        When the codes are shorter than the best run's network reads; the rule words it
        with the config key that sets their length.
    """
    candidates = choose_best_run(histories)
    best = candidates.iloc[0]
    rows = explained_rows(gene_ids, labels, sequences=settings["sequences"], seed=seed)
    kind = model_kind(best.run.split("/")[0])
    network = trained_network(
        weights[best.run], kind=kind, length=codes.shape[1], settings=model_settings[kind]
    )
    explained = np.asarray(codes[rows])
    hypothetical, gap = attributions(
        network, explained, method=settings["method"], shuffles=settings["shuffles"],
        seed=seed, device=device,
    )  # fmt: skip
    patterns = modisco_patterns(explained, hypothetical, settings)
    matches = match([p.motif() for p in patterns]) if patterns else None
    table = pattern_table(patterns, matches, len(rows)).assign(
        run=best.run, best_validation_loss=best.best_validation_loss,
        method=settings["method"], sequences=len(rows),
    )  # fmt: skip
    return Explanation(candidates, rows, hypothetical, gap, patterns, table, cwm_table(patterns))
