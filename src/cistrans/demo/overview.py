"""Read the demo world back from its files and draw the overview figure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.demo.promoters import pair_states, read_cooperative_pair
from cistrans.demo.truth import read_truth
from cistrans.io.gct import read_gct
from cistrans.io.gtex import read_sample_attributes
from cistrans.plots.demo_world import plot_demo_world


def draw_demo_overview(
    gtex_tpm: str | Path,
    gtex_samples: str | Path,
    baselines: str | Path,
    instances: str | Path,
    pair: str | Path,
    edges: str | Path,
    masters: str | Path,
    figure: str | Path,
) -> None:
    """The overview figure of the demo world, from the GTEx files and the truth tables."""
    table = read_gct(gtex_tpm)
    values = pd.DataFrame(
        np.log2(table.values.astype(float) + 1.0),
        index=table.descriptions,
        columns=table.sample_ids,
    )
    attributes = read_sample_attributes(gtex_samples).set_index("SAMPID")
    truth = read_truth(
        baselines, ["symbol", "n_activating", "motif_part", "tata_part", "mrna_part"]
    )
    sites = read_truth(instances, ["symbol", "tf", "motif_id", "role", "offset", "strand", "site"])
    plot_demo_world(
        values,
        attributes.SMTS[table.sample_ids],
        truth.set_index("symbol"),
        pair_states(sites, read_cooperative_pair(pair)),
        read_truth(edges, ["tf", "target"]),
        read_truth(masters, ["symbol"]).symbol.tolist(),
        figure,
    )
