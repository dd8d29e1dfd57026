"""Sequence-model training throughput at the real shapes, against plain in-memory loops.

TExCNN on 18,377 genes × 21 segments × 768 (synthetic float16 embeddings in a .npy on disk,
memory-mapped as the workflow reads its chunks) and the Xpresso CNN on 18,377 × 10,500 base
codes (uint8 on disk, one-hot batch by batch). Baseline measured in the same run: a plain
PyTorch loop (batch 128, Adam, MSE) over the same genes held in memory as float32 tensors,
one thread on the CPU. Both train `--train-genes` genes for one epoch; printed: samples/s,
the ratio against the baseline, peak resident memory, and on a GPU achieved TFLOP/s.

    python benchmarks/cis_training.py [--device cpu|cuda] [--train-genes 1280] [--threads 1]
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
from cistrans.cismodels.networks import InputShape, TExCNN, Xpresso
from cistrans.cismodels.sources import gene_array_source

GENES, SEGMENTS, HIDDEN, WINDOW = 18_377, 21, 768, 10_500
BATCH = 128


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_inputs(folder: Path) -> None:
    """The two synthetic arrays on disk, written block by block (no full copy in memory)."""
    rng = np.random.default_rng(0)
    ids = [f"G{i}" for i in range(GENES)]
    embeddings = np.lib.format.open_memmap(
        folder / "e.npy", "w+", np.float16, (GENES, SEGMENTS, HIDDEN)
    )
    codes = np.lib.format.open_memmap(folder / "c.npy", "w+", np.uint8, (GENES, WINDOW))
    for start in range(0, GENES, 2048):
        stop = min(start + 2048, GENES)
        embeddings[start:stop] = rng.standard_normal((stop - start, SEGMENTS, HIDDEN))
        codes[start:stop] = rng.integers(0, 4, (stop - start, WINDOW))
    embeddings.flush(), codes.flush()
    for name in ("e", "c"):
        (folder / f"{name}.genes.tsv").write_text("gene_id\n" + "\n".join(ids) + "\n")


def network_of(model: str) -> torch.nn.Module:
    if model == "texcnn":
        return TExCNN(InputShape(HIDDEN, SEGMENTS, 0, "-"), [128, 64], 3, 2, [64], 0.3)
    return Xpresso(InputShape(4, WINDOW, 0, "-"), [128, 32], [6, 9], [30, 10], [64, 2], 0.0)


def flops_per_sample(model: str, x: torch.Tensor) -> float:
    """Forward + backward FLOPs of one sample (torch's FLOP counter on one batch)."""
    network = network_of(model).to(x.device)
    with FlopCounterMode(display=False) as counter:
        network(x).sum().backward()
    return counter.get_total_flops() / len(x)


def cistrans_rate(model: str, folder: Path, genes: int, device: str) -> float:
    """Training samples/s of one epoch of `train_network` on the memory-mapped array (its
    epoch time, the validation pass included; not the final predictions)."""
    name = "e" if model == "texcnn" else "c"
    source = gene_array_source(str(folder / f"{name}.npy"), str(folder / f"{name}.genes.tsv"),
                               "-", onehot=model == "xpresso")  # fmt: skip
    rows = np.random.default_rng(1).choice(GENES, genes + BATCH, replace=False)
    ids = [f"G{i}" for i in rows]
    split = np.array(["train"] * genes + ["validation"] * BATCH)
    training = Training("adam", 1e-3, BATCH, 1, 1)
    fitted = train_network(network_of(model), source, ids, np.zeros((len(ids), 0), np.float32),
                           np.random.default_rng(2).normal(size=len(ids)), split, training, 0,
                           model, "-", device)  # fmt: skip
    return genes / float(fitted.history["seconds"].iloc[0])


def baseline_rate(model: str, folder: Path, genes: int, device: str) -> float:
    """Samples/s of a plain loop over in-memory float32 tensors (batch 128, Adam, MSE)."""
    name = "e" if model == "texcnn" else "c"
    array = np.load(folder / f"{name}.npy", mmap_mode="r")
    rows = np.sort(np.random.default_rng(1).choice(GENES, genes, replace=False))
    if model == "texcnn":
        x = torch.as_tensor(np.asarray(array[rows], dtype=np.float32)).transpose(1, 2)
    else:
        x = torch.nn.functional.one_hot(torch.as_tensor(array[rows]).long(), 4)
        x = x.float().transpose(1, 2)
    x, y = x.contiguous().to(device), torch.randn(genes, 1, device=device)
    network = network_of(model).to(device)
    optimiser = torch.optim.Adam(network.parameters(), 1e-3)
    start = time.perf_counter()
    for begin in range(0, genes, BATCH):
        optimiser.zero_grad()
        batch = slice(begin, begin + BATCH)
        loss = torch.nn.functional.mse_loss(network(x[batch]), y[batch])
        loss.backward()
        optimiser.step()
    if device == "cuda":
        torch.cuda.synchronize()
    return genes / (time.perf_counter() - start)


def warm_up(device: str) -> None:
    """Pay the one-off costs before any timing: torch's first optimiser imports
    torch._dynamo (about 1.4 s); on a GPU, one batch of each network loads its kernels and
    lets cuDNN choose its algorithms."""
    torch.optim.Adam(torch.nn.Linear(4, 1).parameters())
    if device == "cuda":
        for model in ("texcnn", "xpresso"):
            shape = (BATCH, HIDDEN, SEGMENTS) if model == "texcnn" else (BATCH, 4, WINDOW)
            network_of(model).to(device)(torch.zeros(shape, device=device)).sum().backward()
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--train-genes", type=int, default=1280)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warm_up(args.device)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_inputs(folder)
        print(f"synthetic inputs on disk in {time.perf_counter() - started:.0f} s; "
              f"peak RSS {peak_mb():.0f} MB")  # fmt: skip
        for model in ("texcnn", "xpresso"):
            ours = cistrans_rate(model, folder, args.train_genes, args.device)
            ours_peak = peak_mb()
            plain = baseline_rate(model, folder, args.train_genes, args.device)
            line = (f"{model}: cistrans (memory-mapped) {ours:,.0f} samples/s, plain in-memory "
                    f"float32 loop {plain:,.0f} samples/s: ratio {ours / plain:.2f}; peak RSS "
                    f"{ours_peak:,.0f} MB before the baseline, {peak_mb():,.0f} MB "
                    "after")  # fmt: skip
            if args.device == "cuda":
                sample = torch.zeros((BATCH, HIDDEN, SEGMENTS) if model == "texcnn"
                                     else (BATCH, 4, WINDOW), device="cuda")  # fmt: skip
                flops = flops_per_sample(model, sample)
                line += (f"; {ours * flops / 1e12:.2f} TFLOP/s achieved "
                         f"(plain loop {plain * flops / 1e12:.2f})")  # fmt: skip
            print(line, flush=True)


if __name__ == "__main__":
    main()
