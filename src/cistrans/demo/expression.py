"""Samples of the demo world: latent TF activities, log expression, sequencing counts.

Master regulators follow their tissue programme plus per-sample variation; the other TFs
respond to the masters; every gene's log2 level is its baseline (from cis) plus its response
to its regulators, a batch offset (GTEx donor or GEO series) and noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cistrans.demo.network import CENTRED, Network

MASTER_WITHIN_TISSUE_SD = 0.6
TF_OWN_SD = 0.7


@dataclass
class Dynamics:
    """The network as arrays: genes in `network.genes` order, TFs first."""

    n_genes: int
    n_tfs: int
    masters: np.ndarray  # indices of master regulators among the TFs
    programmes: np.ndarray  # (n_tissues, n_masters)
    tissues: list[str]
    edge_tf: np.ndarray  # TF index of each edge
    edge_target: np.ndarray  # gene index of each edge
    edge_weight: np.ndarray  # sign * strength
    edge_threshold: np.ndarray
    edge_steepness: np.ndarray
    edge_floor: np.ndarray  # 1 for centred responses (-1...1), 0 for switches (0...2)
    amplitude: np.ndarray  # (n_genes,)

    @classmethod
    def of(cls, network: Network) -> Dynamics:
        genes = network.genes
        index = {symbol: i for i, symbol in enumerate(genes.symbol)}
        edges = network.edges
        masters = np.flatnonzero(genes.is_master.to_numpy())
        programmes = network.programmes[genes.symbol.to_numpy()[masters]].to_numpy()
        return cls(
            n_genes=len(genes),
            n_tfs=int(genes.is_tf.sum()),
            masters=masters,
            programmes=programmes,
            tissues=list(network.programmes.index),
            edge_tf=edges.tf.map(index).to_numpy(),
            edge_target=edges.target.map(index).to_numpy(),
            edge_weight=(edges.sign * edges.strength).to_numpy(),
            edge_threshold=edges.threshold.to_numpy(),
            edge_steepness=edges.steepness.to_numpy(),
            edge_floor=(edges.response == CENTRED).to_numpy(dtype=float),
            amplitude=genes.amplitude.to_numpy(),
        )

    def switch_thresholds(self) -> np.ndarray:
        """Each TF's switch threshold, shape (n_tfs,); inf for a TF without targets."""
        thresholds = np.full(self.n_tfs, np.inf)
        switch = self.edge_floor == 0
        thresholds[self.edge_tf[switch]] = self.edge_threshold[switch]
        return thresholds

    def responses(self, activity: np.ndarray, edges: np.ndarray) -> np.ndarray:
        """Summed regulatory input per gene from the given edges; shape (n_genes, samples)."""
        steep = self.edge_steepness[edges, None]
        shifted = activity[self.edge_tf[edges]] - self.edge_threshold[edges, None]
        response = 2.0 / (1.0 + np.exp(-steep * shifted)) - self.edge_floor[edges, None]
        total = np.zeros((self.n_genes, activity.shape[1]))
        np.add.at(total, self.edge_target[edges], self.edge_weight[edges, None] * response)
        return total


def tf_activity(
    dynamics: Dynamics,
    tissue: np.ndarray,
    rng: np.random.Generator,
    shift: np.ndarray | None = None,
) -> np.ndarray:
    """Latent TF activities, shape (n_tfs, samples).

    tissue: tissue index of each sample. shift: optional (n_tfs,) change of activity applied
    to TFs (a disease): a master's shift propagates to the TFs it regulates.
    """
    n = len(tissue)
    shift = np.zeros(dynamics.n_tfs) if shift is None else shift
    activity = np.zeros((dynamics.n_tfs, n))
    masters = dynamics.masters
    activity[masters] = dynamics.programmes[tissue].T + rng.normal(
        0.0, MASTER_WITHIN_TISSUE_SD, size=(len(masters), n)
    )
    activity[masters] += shift[masters, None]
    to_tfs = np.flatnonzero(dynamics.edge_target < dynamics.n_tfs)
    others = np.setdiff1d(np.arange(dynamics.n_tfs), masters)
    from_masters = dynamics.responses(activity, to_tfs)[: dynamics.n_tfs]
    activity[others] = from_masters[others] + rng.normal(0.0, TF_OWN_SD, size=(len(others), n))
    activity[others] += shift[others, None]
    return activity


def log_expression(
    dynamics: Dynamics,
    baselines: np.ndarray,
    activity: np.ndarray,
    offsets: np.ndarray | float,
    noise_sd: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """log2 expression of every gene, shape (n_genes, samples).

    baselines: (n_genes,) cis-set levels. offsets: batch effects, (n_genes, samples) or 0.
    """
    to_targets = np.flatnonzero(dynamics.edge_target >= dynamics.n_tfs)
    signal = dynamics.responses(activity, to_targets)
    signal[: dynamics.n_tfs] = activity
    noise = rng.normal(0.0, noise_sd, size=signal.shape)
    return baselines[:, None] + dynamics.amplitude[:, None] * signal + offsets + noise


def sample_levels(
    dynamics: Dynamics,
    baselines: np.ndarray,
    tissue: np.ndarray,
    batch: np.ndarray,
    batch_sd: float,
    source_offset: np.ndarray,
    noise_sd: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """log2 expression (n_genes, samples) of samples from `tissue` in `batch` (index arrays).

    source_offset: (n_genes, 1) offsets shared by every sample of one source (GTEx, ARCHS4).
    """
    activity = tf_activity(dynamics, tissue, rng)
    offsets = batch_offsets(rng, dynamics.n_genes, batch, batch_sd) + source_offset
    return log_expression(dynamics, baselines, activity, offsets, noise_sd, rng)


def batch_offsets(
    rng: np.random.Generator, n_genes: int, batch: np.ndarray, batch_sd: float
) -> np.ndarray:
    """Per-batch gene offsets expanded to samples; batch: (samples,) integer codes."""
    per_batch = rng.normal(0.0, batch_sd, size=(n_genes, int(batch.max()) + 1))
    return per_batch[:, batch]


def sequencing_counts(
    rng: np.random.Generator,
    log2_level: np.ndarray,
    lengths: np.ndarray,
    library_sizes: np.ndarray,
    dispersion: float = 0.05,
) -> np.ndarray:
    """Negative-binomial read counts, shape (n_genes, samples), uint32.

    Reads fall on genes in proportion to level × transcript length.
    """
    weight = np.exp2(log2_level) * lengths[:, None]
    mean = weight / weight.sum(axis=0, keepdims=True) * library_sizes[None, :]
    shape = 1.0 / dispersion
    return rng.poisson(rng.gamma(shape, mean / shape)).astype(np.uint32)


def tpm(counts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Transcripts per million from counts (genes × samples) and transcript lengths."""
    rate = counts / lengths[:, None]
    return rate / rate.sum(axis=0, keepdims=True) * 1e6


def gtex_design(
    rng: np.random.Generator, n_donors: int, n_samples: int, n_tissues: int
) -> pd.DataFrame:
    """GTEx-like samples: donors give several tissues. Columns donor, tissue (indices)."""
    return pd.DataFrame(
        {
            "donor": rng.integers(0, n_donors, size=n_samples),
            "tissue": rng.integers(0, n_tissues, size=n_samples),
        }
    )


def archs4_design(
    rng: np.random.Generator,
    n_series: int,
    n_samples: int,
    n_tissues: int,
    fraction_single_cell: float,
    fraction_low_depth: float,
) -> pd.DataFrame:
    """ARCHS4-like samples: series of uneven size (at least 2 each), studying 1-2 tissues.

    Columns series, tissue (indices), kind (bulk | single_cell | low_depth).
    """
    sizes = rng.dirichlet(np.full(n_series, 2.0))
    extra = rng.choice(n_series, size=n_samples - 2 * n_series, p=sizes)
    series = np.sort(np.concatenate([np.repeat(np.arange(n_series), 2), extra]))
    series_tissues = rng.integers(0, n_tissues, size=(n_series, 2))
    tissue = series_tissues[series, rng.integers(0, 2, size=n_samples)]
    draw = rng.random(n_samples)
    kind = np.where(
        draw < fraction_single_cell,
        "single_cell",
        np.where(draw < fraction_single_cell + fraction_low_depth, "low_depth", "bulk"),
    )
    return pd.DataFrame({"series": series, "tissue": tissue, "kind": kind})
