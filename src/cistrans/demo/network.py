"""The trans network of the demo world: TFs, master regulators, edges, tissue programmes.

Every gene g has a latent activity; TFs pass theirs to targets through saturating Hill-like
responses. Master regulators follow tissue programmes; the other TFs follow the masters
through smooth responses centred in their range; targets follow 1–5 TFs through switches:
each TF binds its targets' promoters only above its own activity threshold (a TF-specific
quantile of its activity across samples, 65–90 %, steep), so a target sits at its floor in
most samples and rises where a regulator passes its threshold. A linear model can only
average over such switches; the network can learn them. `dynamics.py` says how activity
flows along the edges; `expression.py` turns these parameters into samples.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.demo.dynamics import CENTRED, SWITCH, Dynamics, tf_activity
from cistrans.demo.motifs import human_core_motifs, information_content
from cistrans.demo.tissues import TISSUES
from cistrans.demo.truth import write_truth_table
from cistrans.io.motifs import Motif, read_meme, write_meme
from cistrans.io.results import read_result_table

log = logging.getLogger(__name__)

GENE_COLUMNS = (
    "gene_id", "version", "symbol", "gene_type", "is_tf", "is_master", "tf_sign", "cis_role",
    "cis_effect", "motif_id", "dbd", "amplitude",
)  # fmt: skip
EDGE_COLUMNS = ("tf", "target", "sign", "strength", "threshold", "steepness", "response")
CENTRED_THRESHOLD = (-0.8, 0.8)  # master -> TF responses, activity units
CENTRED_STEEPNESS = (1.5, 3.5)
SWITCH_QUANTILE = (0.65, 0.9)  # TF -> target switches: one threshold per TF, this quantile
SWITCH_STEEPNESS = (4.0, 8.0)  # of its activity in a pilot sample
PILOT_SAMPLES = 2000
MADE_BY = "demo_network"  # the rule that writes the network's files


@dataclass
class Network:
    """The true network.

    genes: one row per gene (TFs first): gene_id, version, symbol, gene_type, is_tf,
        is_master, tf_sign (+1 activator, -1 repressor, 0 non-TF), cis_role
        (activating | repressive | cooperative | neutral | "" for non-TFs), cis_effect
        (log2 change per motif instance in a promoter; 0 for neutral TFs), motif_id, dbd
        (TF family), amplitude (log2 units per unit activity).
    edges: tf, target, sign, strength, threshold, steepness, response. With
        s = 1 / (1 + exp(-steepness * (activity[tf] - threshold))), `target` gains
        sign * strength * (2 s - 1) from a centred response (masters to TFs) and
        sign * strength * 2 s from a switch (TFs to non-TF genes: 0 while the TF is off).
    programmes: tissue × master regulator activity levels.
    motifs: the TFs' motifs, in the order of the TF rows of `genes`.
    """

    genes: pd.DataFrame
    edges: pd.DataFrame
    programmes: pd.DataFrame
    motifs: list[Motif]

    def write(
        self,
        genes: str | Path,
        edges: str | Path,
        masters: str | Path,
        programmes: str | Path,
        motifs: str | Path,
    ) -> None:
        """Write each truth table to its path, and the motifs in MEME format."""
        write_truth_table(self.genes, genes)
        write_truth_table(self.edges, edges)
        write_truth_table(self.masters, masters)
        write_truth_table(self.programmes.rename_axis("tissue"), programmes, index=True)
        write_meme(motifs, self.motifs)

    @classmethod
    def read(
        cls,
        genes: str | Path,
        edges: str | Path,
        programmes: str | Path,
        motifs: str | Path,
    ) -> Network:
        """Read the tables and motifs written by `write` (rule demo_network makes them)."""
        return cls(
            read_result_table(genes, GENE_COLUMNS, made_by=MADE_BY),
            read_result_table(edges, EDGE_COLUMNS, made_by=MADE_BY),
            read_result_table(programmes, ["tissue"], made_by=MADE_BY).set_index("tissue"),
            read_meme(motifs),
        )

    @property
    def tfs(self) -> pd.DataFrame:
        return self.genes[self.genes.is_tf]

    @property
    def masters(self) -> pd.DataFrame:
        """The master regulators: symbol, gene_id, motif_id."""
        return self.genes.loc[self.genes.is_master, ["symbol", "gene_id", "motif_id"]]


def simulate_network(
    rng: np.random.Generator,
    jaspar_release: str,
    n_tfs: int,
    n_master_regulators: int,
    n_targets: int,
    min_regulators: int,
    max_regulators: int,
    master_edge_fraction: float,
    n_tissues: int,
    fraction_lncrna: float,
    n_cis_motifs: int,
) -> Network:
    """Draw a network; TFs are drawn from the human JASPAR CORE motifs of the release.

    Of the TFs' motifs, `n_cis_motifs` distinct, informative ones set a promoter's level;
    the others are neutral (their sites are planted, effect 0).
    """
    motifs = human_core_motifs(jaspar_release)
    if n_tfs > len(motifs):
        raise ValueError(
            f"{jaspar_release} has {len(motifs)} usable human motifs, fewer than n_tfs"
        )
    chosen = sorted(rng.choice(len(motifs), size=n_tfs, replace=False))
    motifs = [motifs[i] for i in chosen]
    genes = _draw_genes(rng, motifs, n_master_regulators, n_targets, fraction_lncrna)
    _choose_cis_motifs(genes, motifs, n_cis_motifs)
    edges = _draw_edges(rng, genes, min_regulators, max_regulators, master_edge_fraction)
    masters = genes.symbol[genes.is_master].tolist()
    programmes = pd.DataFrame(
        rng.normal(0.0, 1.2, size=(n_tissues, len(masters))),
        index=[tissue.smts for tissue in TISSUES[:n_tissues]],
        columns=masters,
    )
    network = Network(genes, edges, programmes, motifs)
    _place_switches(rng, network)
    log.info(
        "network: %d TFs (%d masters), %d genes, %d edges",
        network.tfs.shape[0],
        len(network.masters),
        len(network.genes),
        len(network.edges),
    )
    return network


def _place_switches(rng: np.random.Generator, network: Network) -> None:
    """Set each TF's switch threshold to a quantile (SWITCH_QUANTILE) of its activity in
    PILOT_SAMPLES samples of random tissues, so every TF switches in a share of samples."""
    dynamics = Dynamics.of(network)
    pilot = tf_activity(dynamics, rng.integers(0, len(dynamics.tissues), PILOT_SAMPLES), rng)
    quantile = rng.uniform(*SWITCH_QUANTILE, size=dynamics.n_tfs)
    threshold = np.array([np.quantile(row, q) for row, q in zip(pilot, quantile, strict=True)])
    edges = network.edges
    switch = (edges.response == SWITCH).to_numpy()
    tf_index = pd.Index(network.genes.symbol).get_indexer(edges.tf[switch])
    edges.loc[switch, "threshold"] = threshold[tf_index]


def _choose_cis_motifs(genes: pd.DataFrame, motifs: list[Motif], n_cis_motifs: int) -> None:
    """Keep the cis effect of `n_cis_motifs` TFs only; the others become "neutral" (0).

    The kept TFs have the most informative motifs (PWM information content), at most one per
    DNA-binding-domain family, so no two of them share a site (homeodomain TAATTA sites with
    opposite effects would cancel). Few distinct motifs, each in hundreds of promoters, make
    a cis grammar that sequence models can learn from the demo's ~1,300 training genes (150
    motifs of ~60 sampled sites each were not). Draws nothing, so the trans side of the world
    is the same whatever the number.
    """
    tfs = genes.index[genes.is_tf & (genes.cis_role != "cooperative")]
    bits = {i: information_content(motifs[i]) for i in tfs}
    kept: list[int] = []
    families: set[str] = set()
    for i in sorted(tfs, key=lambda i: -bits[i]):
        family = genes.at[i, "dbd"]
        if len(kept) < n_cis_motifs and (not family or family not in families):
            kept.append(i)
            families.add(family)
    neutral = tfs.difference(kept)
    genes.loc[neutral, "cis_effect"] = 0.0
    genes.loc[neutral, "cis_role"] = "neutral"


def _draw_genes(
    rng: np.random.Generator,
    motifs: list[Motif],
    n_masters: int,
    n_targets: int,
    fraction_lncrna: float,
) -> pd.DataFrame:
    n_tfs = len(motifs)
    n_genes = n_tfs + n_targets
    numbers = np.sort(rng.choice(np.arange(100_000, 999_999), size=n_genes, replace=False))
    is_master = np.zeros(n_genes, dtype=bool)
    is_master[rng.choice(n_tfs, size=n_masters, replace=False)] = True
    tf_sign = np.zeros(n_genes, dtype=int)
    tf_sign[:n_tfs] = np.where(rng.random(n_tfs) < 0.7, 1, -1)
    cis_role = np.array([""] * n_genes, dtype=object)
    cis_role[:n_tfs] = np.where(tf_sign[:n_tfs] > 0, "activating", "repressive")
    cooperative = rng.choice(np.flatnonzero(~is_master[:n_tfs]), size=2, replace=False)
    cis_role[cooperative] = "cooperative"
    cis_effect = np.zeros(n_genes)
    cis_effect[:n_tfs] = tf_sign[:n_tfs] * rng.uniform(0.35, 0.7, size=n_tfs)
    cis_effect[cooperative] = 0.0
    gene_type = np.full(n_genes, "protein_coding", dtype=object)
    gene_type[n_tfs:][rng.random(n_targets) < fraction_lncrna] = "lncRNA"
    symbols = [m.name for m in motifs] + [f"TG{i + 1:04d}" for i in range(n_targets)]
    return pd.DataFrame(
        {
            "gene_id": [f"ENSG90000{n:06d}" for n in numbers],
            "version": rng.integers(1, 20, size=n_genes),
            "symbol": symbols,
            "gene_type": gene_type,
            "is_tf": np.arange(n_genes) < n_tfs,
            "is_master": is_master,
            "tf_sign": tf_sign,
            "cis_role": cis_role,
            "cis_effect": cis_effect,
            "motif_id": [m.motif_id for m in motifs] + [""] * n_targets,
            "dbd": [m.family for m in motifs] + [""] * n_targets,
            "amplitude": rng.uniform(0.8, 1.6, size=n_genes),
        }
    )


def _draw_edges(
    rng: np.random.Generator,
    genes: pd.DataFrame,
    min_regulators: int,
    max_regulators: int,
    master_edge_fraction: float,
) -> pd.DataFrame:
    """Masters regulate the other TFs (1–3 each, centred responses); every non-TF gene has
    1–5 TF regulators, each acting through that TF's own switch (one steepness per TF)."""
    tf_index = np.flatnonzero(genes.is_tf)
    masters = np.flatnonzero(genes.is_master)
    others = np.setdiff1d(tf_index, masters)
    rows: list[tuple[int, int]] = []
    for target in others:
        k = int(rng.integers(1, min(3, len(masters)) + 1))
        rows += [(int(tf), int(target)) for tf in rng.choice(masters, size=k, replace=False)]
    for target in np.flatnonzero(~genes.is_tf):
        k = int(rng.integers(min_regulators, max_regulators + 1))
        from_masters = min(int(rng.binomial(k, master_edge_fraction)), len(masters))
        from_others = min(k - from_masters, len(others))
        regulators = np.concatenate(
            [
                rng.choice(masters, size=from_masters, replace=False),
                rng.choice(others, size=from_others, replace=False),
            ]
        )
        rows += [(int(tf), int(target)) for tf in regulators]
    tf, target = np.array(rows).T
    n = len(rows)
    strength = rng.uniform(0.6, 1.4, size=n)
    threshold = rng.uniform(*CENTRED_THRESHOLD, size=n)  # switches': set by _place_switches
    steepness = rng.uniform(*CENTRED_STEEPNESS, size=n)
    switch_steepness = rng.uniform(*SWITCH_STEEPNESS, size=len(genes))
    to_target = ~genes.is_tf.to_numpy()[target]
    steepness[to_target] = switch_steepness[tf[to_target]]
    return pd.DataFrame(
        {
            "tf": genes.symbol.to_numpy()[tf],
            "target": genes.symbol.to_numpy()[target],
            "sign": genes.tf_sign.to_numpy()[tf],
            "strength": strength,
            "threshold": threshold,
            "steepness": steepness,
            "response": np.where(to_target, SWITCH, CENTRED),
        }
    )
