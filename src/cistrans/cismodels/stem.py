"""LegNet's stem seeded with JASPAR motifs: the motifs whose best site in a training
sequence tracks its label most closely, one per TF family, written into the first stem
filters as log-odds before training (the rest keep LegNet's random start; every filter
trains). On a library of ~1,000 training sequences the random stem has too few examples
to find its motifs; seeded, it starts from what JASPAR knows.

Shapes: kernels (motifs, 4, width) log2 odds against a uniform background, ACGT rows.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import torch
from scipy.stats import ConstantInputWarning, spearmanr

from cistrans.cismodels.networks import LegNet, reverse_complement
from cistrans.cismodels.sources import ArraySource
from cistrans.io.motifs import Motif

log = logging.getLogger(__name__)

BATCH = 256
"""Sequences scanned at a time when scoring the motifs."""


def motif_kernels(motifs: Sequence[Motif], width: int) -> torch.Tensor:
    """log2(p / 0.25) of each motif: a longer motif cut to its `width` most informative
    consecutive positions, a shorter one centred between zero columns.

    Parameters
    ----------
    motifs
        The motifs, each PWM (positions, 4) probabilities, columns A C G T.
    width
        The kernels' width (the stem's kernel size).

    Returns
    -------
    torch.Tensor
        (motifs, 4, width) float32.
    """
    kernels = np.zeros((len(motifs), width, 4))
    for i, motif in enumerate(motifs):
        odds = np.log2(motif.pwm / 0.25)
        if len(odds) > width:
            information = (motif.pwm * odds).sum(axis=1)
            sums = np.convolve(information, np.ones(width), mode="valid")
            start = int(np.argmax(sums))
            odds = odds[start : start + width]
        offset = (width - len(odds)) // 2
        kernels[i, offset : offset + len(odds)] = odds
    return torch.as_tensor(kernels, dtype=torch.float32).transpose(1, 2).contiguous()


def best_site_scores(
    kernels: torch.Tensor, source: ArraySource, gene_ids: Sequence[str]
) -> np.ndarray:
    """Each motif's best log-odds score over both strands of each sequence.

    Parameters
    ----------
    kernels
        (motifs, 4, width) the motifs' log-odds (`motif_kernels`).
    source
        The one-hot windows of `gene_ids`.
    gene_ids
        (genes,) the sequences scored.

    Returns
    -------
    np.ndarray
        (genes, motifs) float32.
    """
    scores = []
    with torch.inference_mode():
        for start in range(0, len(gene_ids), BATCH):
            x = source.batch(gene_ids[start : start + BATCH])
            both = torch.nn.functional.conv1d(torch.cat([x, reverse_complement(x)]), kernels)
            scores.append(torch.maximum(*both.amax(dim=2).chunk(2)).numpy())
    return np.concatenate(scores)


def choose_stem_motifs(
    motifs: Sequence[Motif], scores: np.ndarray, labels: np.ndarray, *, count: int
) -> list[int]:
    """The indices of up to `count` motifs, strongest first by |Spearman ρ| between their
    best site scores and the labels, one per TF family (a motif without a family is its
    own).

    Parameters
    ----------
    motifs
        The motifs (their family).
    scores
        (genes, motifs) each motif's best site score (`best_site_scores`).
    labels
        (genes,) the labels.
    count
        The most motifs chosen.

    Returns
    -------
    list of int
        Indices into `motifs`, strongest first.
    """
    with warnings.catch_warnings():  # a motif with no site anywhere: constant scores, ρ NaN
        warnings.simplefilter("ignore", ConstantInputWarning)
        rho = np.array([spearmanr(scores[:, j], labels)[0] for j in range(scores.shape[1])])
    families, chosen = set(), []
    for j in np.argsort(-np.abs(np.nan_to_num(rho)), kind="stable"):
        family = motifs[j].family or motifs[j].motif_id
        if family not in families:
            families.add(family)
            chosen.append(int(j))
        if len(chosen) == count:
            break
    return chosen


def seed_stem(
    network: LegNet,
    motifs: Sequence[Motif],
    source: ArraySource,
    gene_ids: Sequence[str],
    labels: np.ndarray,
    *,
    count: int,
) -> list[str]:
    """Write the `count` motifs that `choose_stem_motifs` picks on the training `gene_ids`
    and their `labels` into the first stem filters (scaled to the random filters' spread,
    the reverse-complement flag's column zero).

    Parameters
    ----------
    network
        The LegNet, changed in place.
    motifs
        The JASPAR motifs to choose from.
    source
        The one-hot windows of `gene_ids`.
    gene_ids
        (genes,) the training genes.
    labels
        (genes,) their labels.
    count
        The most motifs written (at most the stem's filters and the motifs).

    Returns
    -------
    list of str
        The motifs written, "<matrix id> <name>", in filter order.
    """
    convolution = network.stem[0]
    count = min(count, convolution.out_channels, len(motifs))
    kernels = motif_kernels(motifs, convolution.kernel_size[0])
    scores = best_site_scores(kernels, source, list(gene_ids))
    chosen = choose_stem_motifs(motifs, scores, labels, count=count)
    with torch.no_grad():
        weight, seeded = convolution.weight, kernels[chosen]
        spread = weight[len(chosen) :].std() if len(chosen) < len(weight) else weight.std()
        weight[: len(chosen), :4] = seeded * spread / seeded.std()
        weight[: len(chosen), 4:] = 0.0
    names = [f"{motifs[j].motif_id} {motifs[j].name}" for j in chosen]
    log.info("LegNet stem seeded with %d JASPAR motifs: %s", len(names), ", ".join(names))
    return names
