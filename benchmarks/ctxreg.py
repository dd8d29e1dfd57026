"""Contextual regression at the real shape: scanning promoters with JASPAR, and training.

1. Scanning 1.5 kb promoters (random DNA) with every JASPAR CORE vertebrates non-redundant
   motif of `--jaspar-release` (879 in JASPAR2024), both strands: memelite's FIMO (hit
   counts at p < 1e-4, its numba kernels compiled before timing) against a plain NumPy
   sliding-window log-odds scan (`sliding_window_view` and one matrix product per motif
   width, best score per gene and motif), on the same `--scan-genes` promoters. Printed:
   genes/s of each, the ratio, the time for 18,377 promoters, and each one's peak memory
   (each runs in its own process, so the peaks do not mix).
2. Training samples/s of contextual regression (64 filters × 8, the published context
   network) on 18,377 × 1,500 base codes (uint8 on disk, memory-mapped, one-hot batch by
   batch, as `ctxreg_train` reads them) against a plain PyTorch loop over the same genes held
   in memory as float32 one-hot tensors (batch 128, Adam, MSE, one thread).

    python benchmarks/ctxreg.py [--scan-genes 300] [--train-genes 1024] [--threads 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))

from cis_training import warm_up  # noqa: E402

from cistrans.cismodels.fit import Training, train_network  # noqa: E402
from cistrans.cismodels.networks import InputShape  # noqa: E402
from cistrans.cismodels.sources import gene_array_source  # noqa: E402
from cistrans.ctxreg.network import ContextSettings, ContextualRegression  # noqa: E402
from cistrans.io.motifs import jaspar_motifs  # noqa: E402

GENES, LENGTH, BATCH = 18_377, 1_500, 128
CONTEXT = ContextSettings(pool=50, channels=[16, 8], kernel_size=7, dense=[64, 64], dropout=0.2)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def onehot(genes: int, seed: int = 0) -> np.ndarray:
    """(genes, 4, LENGTH) float32 one-hot random DNA."""
    codes = np.random.default_rng(seed).integers(0, 4, (genes, LENGTH))
    return np.eye(4, dtype=np.float32)[codes].transpose(0, 2, 1).copy()


def memelite_scan(release: str, genes: int, queue: multiprocessing.Queue) -> None:
    from memelite import fimo

    motifs = {m.motif_id: m.pwm.T for m in jaspar_motifs(release, "--jaspar-release")}
    x = onehot(genes)
    fimo(dict(list(motifs.items())[:2]), x[:2], return_counts=True)  # compile the kernels
    start = time.perf_counter()
    counts = fimo(motifs, x, return_counts=True)
    queue.put((time.perf_counter() - start, peak_mb(), float(np.asarray(counts).sum())))


def numpy_scan(release: str, genes: int, queue: multiprocessing.Queue) -> None:
    motifs = jaspar_motifs(release, "--jaspar-release")
    x = onehot(genes)
    both = np.concatenate([x, x[:, ::-1, ::-1]])  # the reverse complements after the genes
    start = time.perf_counter()
    best = np.empty((genes, len(motifs)), dtype=np.float32)
    for width in sorted({m.length for m in motifs}):
        columns = [i for i, m in enumerate(motifs) if m.length == width]
        log_odds = np.stack([np.log2(motifs[i].pwm / 0.25).T for i in columns])  # (n, 4, w)
        windows = np.lib.stride_tricks.sliding_window_view(both, width, axis=2)
        for j, i in enumerate(columns):
            scores = np.einsum("gcpw,cw->gp", windows, log_odds[j])  # (2·genes, positions)
            best[:, i] = np.maximum(scores[:genes].max(1), scores[genes:].max(1))
    queue.put((time.perf_counter() - start, peak_mb(), float(best.mean())))


def in_process(target, *args) -> tuple[float, float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def network() -> ContextualRegression:
    torch.manual_seed(0)
    return ContextualRegression(
        InputShape(4, LENGTH, 0), 64, 8, 0.8, CONTEXT, 1e-4, filter_init_sd=0.02
    )


def training_rates(genes: int, device: str) -> tuple[float, float]:
    """Training samples/s of `train_network` on memory-mapped codes, and of a plain loop over
    in-memory float32 one-hot tensors."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        codes = np.lib.format.open_memmap(folder / "c.npy", "w+", np.uint8, (GENES, LENGTH))
        rng = np.random.default_rng(0)
        for start in range(0, GENES, 4096):
            stop = min(start + 4096, GENES)
            codes[start:stop] = rng.integers(0, 4, (stop - start, LENGTH))
        codes.flush()
        ids = [f"G{i}" for i in range(GENES)]
        (folder / "c.genes.tsv").write_text("gene_id\n" + "\n".join(ids) + "\n")
        source = gene_array_source(
            str(folder / "c.npy"), str(folder / "c.genes.tsv"), rerun="-", onehot=True
        )
        rows = np.random.default_rng(1).choice(GENES, genes + BATCH, replace=False)
        chosen = [ids[i] for i in rows]
        split = np.array(["train"] * genes + ["validation"] * BATCH)
        fitted = train_network(network(), source, chosen, np.zeros((len(chosen), 0), np.float32),
                               np.random.default_rng(2).normal(size=len(chosen)), split,
                               training=Training("adam", 1e-3, BATCH, 1, 1), seed=0,
                               name="ctxreg", device=device)  # fmt: skip
        ours = genes / float(fitted.history["seconds"].iloc[0])
        x = torch.as_tensor(onehot(genes, seed=3)).to(device)
    y = torch.randn(genes, 1, device=device)
    plain = network().to(device)
    optimiser = torch.optim.Adam(plain.parameters(), 1e-3)
    start = time.perf_counter()
    for begin in range(0, genes, BATCH):
        optimiser.zero_grad()
        batch = slice(begin, begin + BATCH)
        loss = torch.nn.functional.mse_loss(plain(x[batch]), y[batch]) + plain.penalty()
        loss.backward()
        optimiser.step()
    if device == "cuda":
        torch.cuda.synchronize()
    return ours, genes / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scan-genes", type=int, default=300)
    parser.add_argument("--train-genes", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--jaspar-release", default="JASPAR2024")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    n = args.scan_genes
    motifs = len(jaspar_motifs(args.jaspar_release, "--jaspar-release"))
    fimo_s, fimo_mb, hits = in_process(memelite_scan, args.jaspar_release, n)
    plain_s, plain_mb, _ = in_process(numpy_scan, args.jaspar_release, n)
    print(f"scanning {n} promoters x {LENGTH} bp with {motifs} JASPAR motifs, both strands:")
    print(
        f"  memelite FIMO (p < 1e-4): {n / fimo_s:,.1f} genes/s, {hits / n:.1f} hits per gene,"
        f" peak RSS {fimo_mb:,.0f} MB; 18,377 promoters in {GENES * fimo_s / n / 60:.1f} min"
    )
    print(
        f"  plain NumPy log-odds scan (best score): {n / plain_s:,.1f} genes/s, peak RSS "
        f"{plain_mb:,.0f} MB; 18,377 promoters in {GENES * plain_s / n / 60:.1f} min"
    )
    print(f"  ratio memelite / NumPy: {plain_s / fimo_s:.1f}x")  # fmt: skip
    warm_up(args.device)
    ours, plain = training_rates(args.train_genes, args.device)
    print(f"contextual regression (64 x 8 filters, {LENGTH} bp, batch {BATCH}, "
          f"{torch.get_num_threads()} thread(s)): cistrans (memory-mapped codes) {ours:,.0f} "
          f"samples/s, plain in-memory float32 loop {plain:,.0f} samples/s: ratio "
          f"{ours / plain:.2f}; 18,377 genes x 100 epochs in "
          f"{GENES * 100 / ours / 3600:.1f} h; peak RSS {peak_mb():,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
