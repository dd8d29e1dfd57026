"""How activity flows through the demo network: latent TF activities and gene responses.

Master regulators follow their tissue programme plus per-sample variation; the other TFs
respond to the masters through centred responses; genes respond to TFs through switches.
`network.py` uses this to place each TF's switch threshold, `expression.py` and
`diseases.py` to simulate samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

CENTRED, SWITCH = "centred", "switch"  # the two shapes of an edge's response
MASTER_WITHIN_TISSUE_SD = 0.6
TF_OWN_SD = 0.7


class NetworkTables(Protocol):
    """What `Dynamics.of` reads from a network (a `cistrans.demo.network.Network`)."""

    genes: pd.DataFrame
    edges: pd.DataFrame
    programmes: pd.DataFrame


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
    def of(cls, network: NetworkTables) -> Dynamics:
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
