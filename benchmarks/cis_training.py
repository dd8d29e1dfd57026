"""Sequence-model training throughput at the real shapes, against plain in-memory loops.

TExCNN on 18,377 genes × 21 segments × 768 (synthetic float16 embeddings in a .npy on disk,
memory-mapped as the workflow reads its chunks), the Xpresso CNN on 18,377 × 10,500 base
codes (uint8 on disk, one-hot batch by batch) and LegNet (the published human lentiMPRA
network) on a library of 5,000 × 230-bp sequences, trained with its AdamW one-cycle
recipe. Baseline measured in the same run: a plain PyTorch loop (batch 128, the same
optimiser, MSE) over the same genes held in memory as float32 tensors, one thread on the
CPU. Both train `--train-genes` genes for one epoch; printed: samples/s,
the ratio against the baseline, peak resident memory, and on a GPU achieved TFLOP/s.

    python benchmarks/cis_training.py [--device cpu|cuda] [--train-genes 1280] [--threads 1]
        [--models texcnn xpresso legnet]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from cistrans.cismodels.fit import Training, train_network
from cistrans.cismodels.networks import InputShape, LegNet, TExCNN, Xpresso
from cistrans.cismodels.sources import gene_array_source

GENES, SEGMENTS, HIDDEN, WINDOW = 18_377, 21, 768, 10_500
LIBRARY, LIBRARY_LENGTH = 5_000, 230
BATCH = 128
FILES = {"texcnn": "e", "xpresso": "c", "legnet": "l"}
ROWS = {"texcnn": GENES, "xpresso": GENES, "legnet": LIBRARY}


def input_shape(model: str) -> tuple[int, int]:
    """(channels, length) of one sample of `model`."""
    if model == "texcnn":
        return HIDDEN, SEGMENTS
    return 4, WINDOW if model == "xpresso" else LIBRARY_LENGTH


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_inputs(folder: Path, models: list[str]) -> None:
    """The synthetic arrays of `models` on disk, written block by block (no full copy in
    memory)."""
    rng = np.random.default_rng(0)
    ids = [f"G{i}" for i in range(GENES)]
    shapes = {"texcnn": (np.float16, (GENES, SEGMENTS, HIDDEN)),
              "xpresso": (np.uint8, (GENES, WINDOW)),
              "legnet": (np.uint8, (LIBRARY, LIBRARY_LENGTH))}  # fmt: skip
    for model in models:
        dtype, shape = shapes[model]
        array = np.lib.format.open_memmap(folder / f"{FILES[model]}.npy", "w+", dtype, shape)
        for start in range(0, shape[0], 2048):
            stop = min(start + 2048, shape[0])
            if model == "texcnn":
                array[start:stop] = rng.standard_normal((stop - start, *shape[1:]))
            else:
                array[start:stop] = rng.integers(0, 4, (stop - start, *shape[1:]))
        array.flush()
        rows = ids[: shape[0]]
        (folder / f"{FILES[model]}.genes.tsv").write_text("gene_id\n" + "\n".join(rows) + "\n")


def network_of(model: str) -> torch.nn.Module:
    if model == "texcnn":
        return TExCNN(InputShape(HIDDEN, SEGMENTS, 0), [128, 64], 3, 2, [64], 0.3)
    if model == "legnet":
        return LegNet(InputShape(4, LIBRARY_LENGTH, 0), stem_channels=64,
                      stem_kernel_size=11, block_sizes=[80, 96, 112, 128], kernel_size=9,
                      pools=[2, 2, 2, 2], resize_factor=4, dropout=0.0)  # fmt: skip
    return Xpresso(InputShape(4, WINDOW, 0), [128, 32], [6, 9], [30, 10], [64, 2], 0.0)


def training_of(model: str) -> Training:
    """One epoch: LegNet with its AdamW one-cycle recipe, the others with Adam."""
    if model == "legnet":
        return Training("adamw", 1e-2, BATCH, 1, 1, weight_decay=0.1, schedule="one_cycle")
    return Training("adam", 1e-3, BATCH, 1, 1)


def optimiser_of(model: str, network: torch.nn.Module) -> tuple:
    """The plain loop's optimiser and scheduler (None) matching `training_of`."""
    if model != "legnet":
        return torch.optim.Adam(network.parameters(), 1e-3), None
    optimiser = torch.optim.AdamW(network.parameters(), 1e-2, weight_decay=0.1)
    steps = -(-ROWS[model] // BATCH)
    return optimiser, torch.optim.lr_scheduler.OneCycleLR(optimiser, 1e-2, total_steps=steps)


def flops_per_sample(model: str, x: torch.Tensor) -> float:
    """Forward + backward FLOPs of one sample (torch's FLOP counter on one batch)."""
    network = network_of(model).to(x.device)
    with FlopCounterMode(display=False) as counter:
        network(x).sum().backward()
    return counter.get_total_flops() / len(x)


def cistrans_rate(model: str, folder: Path, genes: int, device: str) -> float:
    """Training samples/s of one epoch of `train_network` on the memory-mapped array (its
    epoch time, the validation pass included; not the final predictions)."""
    name = FILES[model]
    source = gene_array_source(str(folder / f"{name}.npy"), str(folder / f"{name}.genes.tsv"),
                               rerun="-", onehot=model != "texcnn")  # fmt: skip
    rows = np.random.default_rng(1).choice(ROWS[model], genes + BATCH, replace=False)
    ids = [f"G{i}" for i in rows]
    split = np.array(["train"] * genes + ["validation"] * BATCH)
    training = training_of(model)
    fitted = train_network(network_of(model), source, ids, np.zeros((len(ids), 0), np.float32),
                           np.random.default_rng(2).normal(size=len(ids)), split,
                           training=training, seed=0, name=model, device=device)  # fmt: skip
    return genes / float(fitted.history["seconds"].iloc[0])


def baseline_rate(model: str, folder: Path, genes: int, device: str) -> float:
    """Samples/s of a plain loop over in-memory float32 tensors (batch 128, MSE, the same
    optimiser; no validation pass)."""
    array = np.load(folder / f"{FILES[model]}.npy", mmap_mode="r")
    rows = np.sort(np.random.default_rng(1).choice(ROWS[model], genes, replace=False))
    if model == "texcnn":
        x = torch.as_tensor(np.asarray(array[rows], dtype=np.float32)).transpose(1, 2)
    else:
        x = torch.nn.functional.one_hot(torch.as_tensor(array[rows]).long(), 4)
        x = x.float().transpose(1, 2)
    x, y = x.contiguous().to(device), torch.randn(genes, 1, device=device)
    network = network_of(model).to(device)
    optimiser, scheduler = optimiser_of(model, network)
    start = time.perf_counter()
    for begin in range(0, genes, BATCH):
        optimiser.zero_grad()
        batch = slice(begin, begin + BATCH)
        loss = torch.nn.functional.mse_loss(network(x[batch]), y[batch])
        loss.backward()
        optimiser.step()
        if scheduler is not None:
            scheduler.step()
    if device == "cuda":
        torch.cuda.synchronize()
    return genes / (time.perf_counter() - start)


def warm_up(device: str) -> None:
    """Pay the one-off costs before any timing: torch's first optimiser imports
    torch._dynamo (about 1.4 s); on a GPU, one batch of each network loads its kernels and
    lets cuDNN choose its algorithms."""
    torch.optim.Adam(torch.nn.Linear(4, 1).parameters())
    if device == "cuda":
        for model in FILES:
            shape = (BATCH, *input_shape(model))
            network_of(model).to(device)(torch.zeros(shape, device=device)).sum().backward()
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--train-genes", type=int, default=1280)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=list(FILES), choices=list(FILES))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warm_up(args.device)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_inputs(folder, args.models)
        print(f"synthetic inputs on disk in {time.perf_counter() - started:.0f} s; "
              f"peak RSS {peak_mb():.0f} MB")  # fmt: skip
        for model in args.models:
            ours = cistrans_rate(model, folder, args.train_genes, args.device)
            ours_peak = peak_mb()
            plain = baseline_rate(model, folder, args.train_genes, args.device)
            line = (f"{model}: cistrans (memory-mapped) {ours:,.0f} samples/s, plain in-memory "
                    f"float32 loop {plain:,.0f} samples/s: ratio {ours / plain:.2f}; peak RSS "
                    f"{ours_peak:,.0f} MB before the baseline, {peak_mb():,.0f} MB "
                    "after")  # fmt: skip
            if args.device == "cuda":
                sample = torch.zeros((BATCH, *input_shape(model)), device="cuda")
                flops = flops_per_sample(model, sample)
                line += (f"; {ours * flops / 1e12:.2f} TFLOP/s achieved "
                         f"(plain loop {plain * flops / 1e12:.2f})")  # fmt: skip
            print(line, flush=True)


if __name__ == "__main__":
    main()
