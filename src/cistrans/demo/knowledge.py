"""Knowledge tables of the demo world: a Lambert-style TF list and a TRRUST-style table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cistrans.demo.network import Network

MODES = {1: "Activation", -1: "Repression"}


@dataclass
class Knowledge:
    """What the literature knows of the world.

    tf_list: gene_id, symbol, dbd, is_tf (for `write_lambert_tf_list`).
    trrust: tf, target, mode, pmids (for `write_trrust`).
    """

    tf_list: pd.DataFrame
    trrust: pd.DataFrame


def simulate_knowledge(
    rng: np.random.Generator,
    network: Network,
    trrust_recall: float,
    trrust_false_fraction: float,
    extra_listed_tfs: int,
) -> Knowledge:
    """The Lambert-style TF list, then the TRRUST-style table, of `network`."""
    listed = tf_list(rng, network, extra_listed_tfs)
    return Knowledge(listed, trrust_table(rng, network, trrust_recall, trrust_false_fraction))


def tf_list(rng: np.random.Generator, network: Network, extra_listed_tfs: int) -> pd.DataFrame:
    """The world's TFs, TFs it does not express, and a few non-TF rows (Is TF? = No).

    Columns gene_id, symbol, dbd, is_tf.
    """
    tfs = network.tfs
    listed = pd.DataFrame(
        {
            "gene_id": tfs.gene_id,
            "symbol": tfs.symbol,
            "dbd": tfs.dbd.replace("", "Unknown"),
            "is_tf": True,
        }
    )
    numbers = np.sort(rng.choice(np.arange(100_000, 999_999), size=extra_listed_tfs, replace=False))
    unexpressed = pd.DataFrame(
        {
            "gene_id": [f"ENSG80000{n:06d}" for n in numbers],
            "symbol": [f"ZNF9{i:03d}" for i in range(extra_listed_tfs)],
            "dbd": "C2H2 ZF",
            "is_tf": True,
        }
    )
    targets = network.genes[~network.genes.is_tf]
    decoys = targets.iloc[
        np.sort(rng.choice(len(targets), size=min(20, len(targets)), replace=False))
    ]
    not_tfs = pd.DataFrame(
        {"gene_id": decoys.gene_id, "symbol": decoys.symbol, "dbd": "Unknown", "is_tf": False}
    )
    table = pd.concat([listed, unexpressed, not_tfs], ignore_index=True)
    return table.sort_values("symbol", kind="stable").reset_index(drop=True)


def trrust_table(
    rng: np.random.Generator, network: Network, trrust_recall: float, trrust_false_fraction: float
) -> pd.DataFrame:
    """Part of the true edges (some with mode Unknown) plus false ones, TRRUST-style.

    Columns tf, target, mode, pmids; like the real table, a few pairs repeat with another mode.
    """
    edges = network.edges
    kept = edges[rng.random(len(edges)) < trrust_recall]
    modes = kept.sign.map(MODES).to_numpy(dtype=object)
    modes[rng.random(len(kept)) < 0.1] = "Unknown"
    true_rows = pd.DataFrame(
        {"tf": kept.tf.to_numpy(), "target": kept.target.to_numpy(), "mode": modes}
    )
    false_rows = _false_edges(rng, network, int(round(trrust_false_fraction * len(kept))))
    repeated = true_rows[rng.random(len(true_rows)) < 0.01].assign(mode="Unknown")
    table = pd.concat([true_rows, false_rows, repeated], ignore_index=True)
    table["pmids"] = [
        ";".join(str(p) for p in rng.integers(10_000_000, 35_000_000, size=rng.integers(1, 4)))
        for _ in range(len(table))
    ]
    return table.sort_values(["tf", "target", "mode"], kind="stable").reset_index(drop=True)


def _false_edges(rng: np.random.Generator, network: Network, n: int) -> pd.DataFrame:
    """`n` TF–gene pairs that are not edges of the network, with random modes."""
    true_pairs = set(zip(network.edges.tf, network.edges.target, strict=True))
    tfs = network.tfs.symbol.to_numpy()
    genes = network.genes.symbol.to_numpy()
    rows: list[tuple[str, str, str]] = []
    while len(rows) < n:
        tf, target = str(rng.choice(tfs)), str(rng.choice(genes))
        if tf != target and (tf, target) not in true_pairs:
            true_pairs.add((tf, target))
            rows.append((tf, target, str(rng.choice(["Activation", "Repression", "Unknown"]))))
    return pd.DataFrame(rows, columns=["tf", "target", "mode"])
