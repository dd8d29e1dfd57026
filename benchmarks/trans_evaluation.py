"""Trans evaluation at the paper's shape: the diseases' leave-one-TF-out and the validation
against knowledge tables, batched, against today's per-TF loop measured in the same run.

Shape: 1,625 TFs, 25,861 targets, 22 diseases (by default); a ridge-like linear model and a
1,625 → 250 → 250 → 25,861 network with random weights; each disease has random TF and
target log2 fold changes (a tenth unmeasured). The validation reads a random float32
light-up against a 40,000-edge knowledge table (hub TFs, every mode), beside the |Spearman|
control of a 300-sample compendium. Every step runs in a process of its own, so that its
peak memory (the process's high-water resident set, reset just before the step) is its own;
"over its inputs" is that peak less the resident set when the step starts (the model, the
light-up, the compendium). The baseline is the code these steps replaced (commit 9a6232d: one
scipy `spearmanr` per left-out TF after one forward pass of all of them; per-target
Mann–Whitney on full copies, AUROC/AUPRC by ranking every TF × target pair), kept in
per_tf_evaluation.py.

    python benchmarks/trans_evaluation.py [--tfs 1625] [--targets 25861] [--diseases 22]
        [--baseline-diseases 22] [--chunk 4] [--models ridge,network] [--tables 1]
        [--edges 40000]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from per_tf_evaluation import old_evaluate_disease, old_validate_tables

from cistrans.trans.data import TransData
from cistrans.trans.disease import affine_members, evaluate_disease
from cistrans.trans.model import Architecture, TransModel, build_network
from cistrans.trans.validation import validate_tables

HIDDEN = {"ridge": [], "network": [250, 250]}


# ---- the synthetic cohort ----


def synthetic_model(kind: str, n_tfs: int, n_targets: int, seed: int = 0) -> TransModel:
    """Random weights (the ridge's: N(0, 0.02), no bias) and random scalers, float32."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    arch = Architecture(n_tfs, n_targets, HIDDEN[kind], "elu", 0.0)
    network = build_network(arch)
    if kind == "ridge":
        with torch.no_grad():
            network[0].weight.normal_(0.0, 0.02)
            network[0].bias.zero_()
    tfs, targets = [f"T{i}" for i in range(n_tfs)], [f"G{j}" for j in range(n_targets)]
    return TransModel(
        network, arch, tfs, [f"TF{i}" for i in range(n_tfs)], targets,
        [f"GENE{j}" for j in range(n_targets)],
        rng.normal(5, 1, n_tfs).astype(np.float32), rng.uniform(0.5, 2, n_tfs).astype(np.float32),
        rng.normal(3, 1, n_targets).astype(np.float32),
        rng.uniform(0.5, 2, n_targets).astype(np.float32),
    )  # fmt: skip


def synthetic_diseases(
    model: TransModel, n: int, seed: int = 1
) -> list[tuple[pd.Series, pd.Series]]:
    """Measured changes of `n` diseases: TF and target log2 fold changes to two decimals
    (ties, like an Expression Atlas table), a tenth of each unmeasured (NaN)."""
    rng = np.random.default_rng(seed)
    diseases = []
    for _ in range(n):
        tfs = np.round(rng.normal(0, 1, len(model.tf_ids)), 2)
        targets = np.round(rng.normal(0, 1, len(model.target_ids)), 2)
        tfs[rng.random(len(tfs)) < 0.1] = np.nan
        targets[rng.random(len(targets)) < 0.1] = np.nan
        diseases.append(
            (pd.Series(tfs, index=model.tf_ids), pd.Series(targets, index=model.target_ids))
        )
    return diseases


def synthetic_validation(
    n_tfs: int, n_targets: int, samples: int, n_tables: int, n_edges: int, seed: int = 2
) -> tuple[pd.DataFrame, TransData, dict]:
    """A float32 light-up, a compendium (low-rank inputs and outputs, 80% training samples)
    and knowledge tables of `n_edges` rows by symbol (TFs drawn with a long tail: hubs)."""
    rng = np.random.default_rng(seed)
    tfs, targets = [f"T{i}" for i in range(n_tfs)], [f"G{j}" for j in range(n_targets)]
    scores = pd.DataFrame(
        rng.normal(0, 0.1, size=(n_tfs, n_targets)).astype(np.float32),
        index=pd.Index(tfs, name="tf"),
        columns=targets,
    )
    latent = rng.standard_normal((samples, 16), dtype=np.float32)
    inputs = latent @ rng.standard_normal((16, n_tfs), dtype=np.float32) + 5
    outputs = latent @ rng.standard_normal((16, n_targets), dtype=np.float32)
    inputs += rng.standard_normal(inputs.shape, dtype=np.float32)
    outputs += rng.standard_normal(outputs.shape, dtype=np.float32)
    split = np.where(np.arange(samples) < 0.8 * samples, "train", "test")
    data = TransData(
        inputs, outputs, tfs, [f"TF{i}" for i in range(n_tfs)], targets,
        [f"GENE{j}" for j in range(n_targets)], split, np.full(samples, "x"),
    )  # fmt: skip
    weights = 1.0 / np.arange(1, n_tfs + 1) ** 0.8
    tables = {}
    for t in range(n_tables):
        table = pd.DataFrame(
            {
                "tf": [f"TF{i}" for i in rng.choice(n_tfs, n_edges, p=weights / weights.sum())],
                "target": [f"GENE{j}" for j in rng.integers(0, n_targets, n_edges)],
                "mode": rng.choice(["Activation", "Repression", "Unknown"], n_edges),
            }
        )
        tables[f"table{t + 1}"] = (f"table{t + 1}.tsv", table)
    return scores, data, tables


# ---- one step in this process ----


def _reset_peak() -> float:
    """Reset the high-water resident set (Linux), return the resident set now in bytes."""
    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return float(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0


def run_step(args: argparse.Namespace) -> dict:
    """Build the step's inputs, then time it; its seconds, peak and starting RSS."""
    what, _, how = args.step.partition(":")
    if what == "validation":
        scores, data, tables = synthetic_validation(
            args.tfs, args.targets, args.samples, args.tables, args.edges
        )
        function = validate_tables if how == "batched" else old_validate_tables
        start_rss = _reset_peak()
        started = time.perf_counter()
        function(scores, data, tables)
    else:
        model = synthetic_model(what, args.tfs, args.targets)
        diseases = synthetic_diseases(model, args.diseases)[args.first : args.first + args.count]
        start_rss = _reset_peak()
        started = time.perf_counter()
        if how == "batched":  # as evaluate_diseases runs it: the linear form prepared once
            affine = affine_members(model)
            for changes in diseases:
                evaluate_disease(model, changes, model.input_mean, 2.0, affine=affine)
        else:
            for changes in diseases:
                old_evaluate_disease(model, changes, model.input_mean, 2.0)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak": _status("VmHWM"), "start": start_rss}


def measure(args: argparse.Namespace, step: str, first: int = 0, count: int = 0) -> dict:
    """Run `step` (`count` diseases from `first`) in a fresh process with the same shape."""
    command = [sys.executable, __file__, "--step", step, "--first", str(first)]
    command += ["--count", str(count)]
    for name in ("tfs", "targets", "diseases", "samples", "tables", "edges"):
        command += [f"--{name}", str(getattr(args, name))]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def combine(runs: list[dict], mean: bool = False) -> dict:
    """Seconds summed (or averaged) over runs; the highest peak, with its starting RSS."""
    highest = max(runs, key=lambda run: run["peak"] - run["start"])
    seconds = sum(run["seconds"] for run in runs) / (len(runs) if mean else 1)
    return {"seconds": seconds, "peak": highest["peak"], "start": highest["start"]}


def diseases(args: argparse.Namespace, kind: str) -> tuple[dict, dict, int]:
    """The batched and the per-TF step over the diseases, in chunks that alternate (so that
    both see the same machine load); the per-TF loop over the first baseline-diseases."""
    new, old, measured = [], [], 0
    for first in range(0, args.diseases, args.chunk):
        new.append(measure(args, f"{kind}:batched", first, args.chunk))
        count = min(args.chunk, args.baseline_diseases - first, args.diseases - first)
        if count > 0:
            old.append(measure(args, f"{kind}:per-tf", first, count))
            measured += count
    return combine(new), combine(old), measured


def gb(value: float) -> str:
    return f"{value / 1e9:.2f} GB"


def report(title: str, new: dict, old: dict, total: int, measured: int, unit: str) -> None:
    old_seconds = old["seconds"] * total / measured
    how = (
        f"all {total} {unit}"
        if measured == total
        else f"extrapolated linearly from {measured} of {total} {unit}: {old['seconds']:.1f} s"
    )
    new_own, old_own = new["peak"] - new["start"], old["peak"] - old["start"]
    print(
        f"{title}: batched {new['seconds']:.1f} s, peak {gb(new['peak'])} ({gb(new_own)} over "
        f"its inputs); per-TF loop {old_seconds:.1f} s ({how}), peak {gb(old['peak'])} "
        f"({gb(old_own)} over its inputs); ratio {old_seconds / new['seconds']:.1f}x time, "
        f"{old_own / max(new_own, 1.0):.1f}x memory over the inputs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tfs", type=int, default=1625)
    parser.add_argument("--targets", type=int, default=25861)
    parser.add_argument("--diseases", type=int, default=22)
    parser.add_argument(
        "--baseline-diseases", type=int, default=22, help="diseases the per-TF loop runs"
    )
    parser.add_argument("--chunk", type=int, default=4, help="diseases per process")
    parser.add_argument("--models", default="ridge,network")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--tables", type=int, default=1)
    parser.add_argument("--edges", type=int, default=40_000)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args)))
        return
    print(
        f"shape: {args.tfs:,} TFs, {args.targets:,} targets, {args.diseases} diseases; "
        f"validation: {args.samples} samples, {args.tables} table(s) of {args.edges:,} edges; "
        f"torch threads {torch.get_num_threads()}; batched and per-TF steps alternate (diseases "
        f"in chunks of {args.chunk}; the batched validation before and after the per-TF one, "
        "its time the mean) so that both see the same machine load"
    )
    for kind in args.models.split(","):
        new, old, measured = diseases(args, kind)
        report(
            f"diseases, {kind} (leave-one-TF-out)", new, old, args.diseases, measured, "diseases"
        )
    before = measure(args, "validation:batched")
    old = measure(args, "validation:per-tf")
    new = combine([before, measure(args, "validation:batched")], mean=True)
    report(
        f"validation against {args.tables} knowledge table(s)",
        new, old, args.tables, args.tables, "tables",
    )  # fmt: skip


if __name__ == "__main__":
    main()
