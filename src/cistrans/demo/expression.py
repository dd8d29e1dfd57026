"""Samples of the demo world: log expression, sequencing counts, the GTEx and ARCHS4 sets.

Every gene's log2 level is its baseline (from cis) plus its response to its regulators'
activities (`dynamics.py`), a batch offset (GTEx donor or GEO series) and noise; reads fall
on genes by level and length. `simulate_expression` draws both compendia (`cohorts.py`
designs the samples and their metadata).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cistrans.demo import cohorts
from cistrans.demo.dynamics import Dynamics, tf_activity
from cistrans.demo.network import Network

log = logging.getLogger(__name__)
GTEX_LIBRARY_SIZE = 3e7  # reads per GTEx sample (median; log-normal spread)


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


@dataclass
class Expression:
    """The simulated compendia, genes in `network.genes` order unless said otherwise.

    gene_ids: versioned Ensembl IDs (GCT Name). symbols: gene symbols (GCT Description).
    gtex_tpm: float, shape=(genes, GTEx samples). gtex_sample_ids: the GCT's columns.
    gtex_attributes: the GTEx sample attributes rows (RNA-seq samples plus WGS ones).
    archs4_counts: uint32, shape=(genes, ARCHS4 samples), genes in `archs4_genes` order
    (ARCHS4 lists genes in its own order). archs4_genes: symbol, ensembl_gene, biotype.
    archs4_samples: ARCHS4 sample metadata. samples: the truth of every sample (sample_id,
    source, tissue, batch, kind).
    """

    gene_ids: list[str]
    symbols: list[str]
    gtex_tpm: np.ndarray
    gtex_sample_ids: list[str]
    gtex_attributes: pd.DataFrame
    archs4_counts: np.ndarray
    archs4_genes: pd.DataFrame
    archs4_samples: pd.DataFrame
    samples: pd.DataFrame


def simulate_expression(
    rng: np.random.Generator,
    network: Network,
    baselines: np.ndarray,
    lengths: np.ndarray,
    n_gtex_donors: int,
    n_gtex_samples: int,
    n_archs4_series: int,
    n_archs4_samples: int,
    noise_sd: float,
    batch_sd: float,
    fraction_single_cell: float,
    fraction_low_depth: float,
) -> Expression:
    """GTEx-like and ARCHS4-like samples of the world.

    baselines: (n_genes,) cis-set log2 levels; lengths: (n_genes,) transcript lengths, both
    in `network.genes` order.
    """
    dynamics = Dynamics.of(network)
    n_tissues = len(dynamics.tissues)
    source_offsets = rng.normal(0.0, batch_sd, size=(2, dynamics.n_genes, 1))

    gtex = cohorts.gtex_design(rng, n_gtex_donors, n_gtex_samples, n_tissues)
    gtex_level = sample_levels(
        dynamics, baselines, gtex.tissue.to_numpy(), gtex.donor.to_numpy(), batch_sd,
        source_offsets[0], noise_sd, rng,
    )  # fmt: skip
    library = GTEX_LIBRARY_SIZE * np.exp(rng.normal(0.0, 0.3, size=len(gtex)))
    gtex_counts = sequencing_counts(rng, gtex_level, lengths, library)
    gtex_ids = cohorts.gtex_sample_ids(rng, gtex)
    gtex_attributes = cohorts.gtex_attributes(rng, gtex, gtex_ids, n_gtex_donors)

    archs = cohorts.archs4_design(
        rng, n_archs4_series, n_archs4_samples, n_tissues, fraction_single_cell, fraction_low_depth
    )
    archs_level = sample_levels(
        dynamics, baselines, archs.tissue.to_numpy(), archs.series.to_numpy(), batch_sd,
        source_offsets[1], noise_sd, rng,
    )  # fmt: skip
    archs_counts = _archs4_counts(rng, archs, archs_level, lengths)
    genes = network.genes
    gene_order = rng.permutation(len(genes))  # ARCHS4 lists genes in its own order
    archs_samples = cohorts.archs4_samples(rng, archs, archs_counts, n_archs4_series)
    archs_genes = pd.DataFrame(
        {"symbol": genes.symbol, "ensembl_gene": genes.gene_id, "biotype": genes.gene_type}
    )
    samples = pd.concat(
        [
            pd.DataFrame(
                {
                    "sample_id": gtex_ids,
                    "source": "gtex",
                    "tissue": [dynamics.tissues[t] for t in gtex.tissue],
                    "batch": [f"donor{d}" for d in gtex.donor],
                    "kind": "bulk",
                }
            ),
            pd.DataFrame(
                {
                    "sample_id": archs_samples.geo_accession,
                    "source": "archs4",
                    "tissue": [dynamics.tissues[t] for t in archs.tissue],
                    "batch": archs_samples.series_id,
                    "kind": archs.kind,
                }
            ),
        ],
        ignore_index=True,
    )
    log.info("expression: %d GTEx samples, %d ARCHS4 samples", len(gtex), len(archs))
    return Expression(
        gene_ids=[f"{g}.{v}" for g, v in zip(genes.gene_id, genes.version, strict=True)],
        symbols=genes.symbol.tolist(),
        gtex_tpm=tpm(gtex_counts, lengths),
        gtex_sample_ids=gtex_ids,
        gtex_attributes=gtex_attributes,
        archs4_counts=archs_counts[gene_order],
        archs4_genes=archs_genes.iloc[gene_order],
        archs4_samples=archs_samples,
        samples=samples,
    )


def _archs4_counts(
    rng: np.random.Generator, design: pd.DataFrame, level: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Counts by sample kind: bulk ~ 2e7 reads, low depth ~ 5e4, single-cell sparse."""
    kind = design.kind.to_numpy()
    library = np.where(kind == "bulk", 2e7, np.where(kind == "low_depth", 5e4, 3e5))
    library = library * np.exp(rng.normal(0.0, 0.4, size=len(design)))
    counts = sequencing_counts(rng, level, lengths, library)
    dropout = (rng.random(counts.shape) < 0.8) & (kind == "single_cell")[None, :]
    counts[dropout] = 0
    return counts
