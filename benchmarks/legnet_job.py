"""One LegNet training job on a 5,000-sequence library, as rule cis_train runs it for your
own sequence table: the table defaults (config/table_defaults.yaml over the schema's
defaults: JASPAR-seeded stem, its whole one-cycle recipe, validation every epoch, both
strands at prediction), against the published network and recipe (the schema's defaults,
`sequence.table_defaults: papers`) on the same library, measured in the same run for
`--baseline-epochs` epochs and scaled to its full cycle (each epoch costs the same).

The library: 5,000 random 230-bp sequences, 80/10/10 % train/validation/test, a label from
two planted motifs plus noise (the job time does not depend on what it learns).

    python benchmarks/legnet_job.py [--sequences 5000] [--threads 1] [--baseline-epochs 2]
"""

from __future__ import annotations

import argparse
import copy
import resource
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from cistrans.cismodels.data import CisGenes
from cistrans.cismodels.runs import fit_run
from cistrans.cismodels.sources import ArraySource
from cistrans.config import fill_table_defaults, load_schema, validate_config
from cistrans.io.motifs import jaspar_motifs

ROOT = Path(__file__).resolve().parents[1]
LENGTH = 230


def legnet_settings(table_defaults: bool) -> dict:
    """cis.legnet as a sequence-table config gets it: the table defaults, or the papers'."""
    config = {"sequence": {"source": "table"}, "inputs": {"sequence_table": "library.tsv"}}
    if table_defaults:
        fill_table_defaults(
            config, yaml.safe_load((ROOT / "config/table_defaults.yaml").read_text())
        )
    else:
        config["sequence"]["table_defaults"] = "papers"
    return validate_config(config, load_schema(ROOT / "config/schema.yaml"))["cis"]["legnet"]


def library(sequences: int) -> tuple[ArraySource, CisGenes]:
    """Random sequences with a label from two planted motifs' counts plus noise."""
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, (sequences, LENGTH)).astype(np.uint8)
    motifs = {"TGACTCA": 1.0, "GGAAGT": -0.5}  # AP-1 up, an ETS-like site down
    lookup = {base: i for i, base in enumerate("ACGT")}
    label = rng.normal(0, 0.5, sequences)
    for motif, effect in motifs.items():
        site = np.array([lookup[b] for b in motif], np.uint8)
        planted = rng.random(sequences) < 0.4
        starts = rng.integers(0, LENGTH - len(site), sequences)
        for row in np.flatnonzero(planted):
            codes[row, starts[row] : starts[row] + len(site)] = site
        label += effect * planted
    ids = [f"S{i}" for i in range(sequences)]
    split = np.array(["train", "validation", "test"])[
        np.searchsorted([0.8, 0.9], rng.random(sequences), side="right")
    ]
    source = ArraySource([codes], [ids], ["library"], onehot=True)
    return source, CisGenes(ids, label.astype(np.float32), split, [], None, [])


def job_seconds(settings: dict, source: ArraySource, genes: CisGenes, motifs: list) -> float:
    """Wall time of fit_run (stem seeding, training, predictions) with `settings`."""
    started = time.perf_counter()
    fit_run("legnet", "legnet", source, genes, feature_set="dna", tf=None, settings=settings,
            seed=0, control=False, device="cpu",
            motifs=motifs if settings["stem_motifs"] else None)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sequences", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--baseline-epochs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    source, genes = library(args.sequences)
    release = load_schema(ROOT / "config/schema.yaml")["properties"]["ctxreg"]["properties"][
        "jaspar_release"
    ]["default"]
    motifs = jaspar_motifs(release, "ctxreg.jaspar_release")
    ours = legnet_settings(table_defaults=True)
    seconds = job_seconds(ours, source, genes, motifs)
    epochs = ours["training"]["max_epochs"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"table defaults ({args.sequences:,} sequences, {args.threads} thread(s)): "
          f"{seconds:.0f} s for {epochs} epochs ({seconds / epochs:.1f} s each); peak RSS "
          f"{peak:,.0f} MB", flush=True)  # fmt: skip
    papers = legnet_settings(table_defaults=False)
    full = papers["training"]["max_epochs"]
    short = copy.deepcopy(papers)
    short["training"].update(max_epochs=args.baseline_epochs, patience=args.baseline_epochs)
    per_epoch = job_seconds(short, source, genes, motifs) / args.baseline_epochs
    print(f"published network and recipe: {per_epoch:.1f} s per epoch over "
          f"{args.baseline_epochs}, x {full} epochs = {per_epoch * full:.0f} s (scaled); "
          f"ratio {per_epoch * full / seconds:.1f}x faster", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
