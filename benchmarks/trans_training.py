"""Trans training throughput and light-up time at the paper's shape, against plain loops.

Shape: 1,625 TFs → 250 → 250 → 25,861 targets, synthetic data of 20,000 samples (by
default). Baselines measured in the same run: a plain PyTorch training loop (batch 50,
fp32, one thread) and a light-up that perturbs one TF at a time (one thread).

    python benchmarks/trans_training.py [--samples 20000] [--baseline-samples 2000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from cistrans.training import use_threads
from cistrans.trans.data import TransData
from cistrans.trans.lightup import lightup
from cistrans.trans.model import Architecture, build_network
from cistrans.trans.train import train_model

N_TFS, N_TARGETS, HIDDEN = 1625, 25861, [250, 250]


def synthetic(samples: int, seed: int = 0) -> TransData:
    """Inputs with a low-rank structure and outputs that depend on them, float32."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((samples, 32), dtype=np.float32)
    inputs = latent @ rng.standard_normal((32, N_TFS), dtype=np.float32) + rng.standard_normal(
        (samples, N_TFS), dtype=np.float32
    )
    outputs = np.tanh(inputs[:, :64]) @ rng.standard_normal((64, N_TARGETS), dtype=np.float32) * 0.1
    split = np.where(np.arange(samples) < int(0.9 * samples), "train", "validation").astype(object)
    split[-max(1, samples // 20) :] = "test"
    ids = [f"T{i}" for i in range(N_TFS)]
    targets = [f"G{i}" for i in range(N_TARGETS)]
    return TransData(
        inputs, outputs.astype(np.float32), ids, ids, targets, targets, split, np.full(samples, "x")
    )


def cistrans_throughput(data: TransData) -> tuple[float, object]:
    """Samples per second of one epoch of `train_model` (all cores, batch 256)."""
    use_threads(None)
    start = time.perf_counter()
    model = train_model(
        data, hidden_layers=HIDDEN, activation="elu", dropout=0.0, batch_size=256,
        learning_rate=1e-3, weight_decay=0.0, max_epochs=1, patience=1, seed=0, device="cpu",
    )  # fmt: skip
    return len(data.rows("train")) / (time.perf_counter() - start), model


def baseline_throughput(data: TransData, samples: int) -> float:
    """Samples per second of a plain loop: batch 50, fp32, one thread, Adam on MSE."""
    torch.set_num_threads(1)
    network = build_network(Architecture(N_TFS, N_TARGETS, HIDDEN))
    optimiser = torch.optim.Adam(network.parameters(), lr=1e-3)
    x_all, y_all = torch.as_tensor(data.inputs[:samples]), torch.as_tensor(data.outputs[:samples])
    start = time.perf_counter()
    for begin in range(0, samples, 50):
        optimiser.zero_grad()
        loss = torch.nn.functional.mse_loss(
            network(x_all[begin : begin + 50]), y_all[begin : begin + 50]
        )
        loss.backward()
        optimiser.step()
    return samples / (time.perf_counter() - start)


def naive_lightup_seconds(model: object, n_tfs: int) -> float:
    """Seconds per TF of perturbing one TF at a time (up and down), one thread."""
    torch.set_num_threads(1)
    mean = model.input_mean
    start = time.perf_counter()
    for j in range(n_tfs):
        for sign in (1.0, -1.0):
            x = mean.copy()
            x[j] += sign
            model.predict(x[None, :])
    return (time.perf_counter() - start) / n_tfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--baseline-samples", type=int, default=2_000)
    parser.add_argument("--naive-lightup-tfs", type=int, default=100)
    args = parser.parse_args()
    data = synthetic(args.samples)
    ours, model = cistrans_throughput(data)
    base = baseline_throughput(data, args.baseline_samples)
    torch.set_num_threads(torch.get_num_threads() if torch.get_num_threads() > 1 else 2)
    start = time.perf_counter()
    lightup(model)
    ours_lightup = time.perf_counter() - start
    naive = naive_lightup_seconds(model, args.naive_lightup_tfs) * N_TFS
    print(f"shape: {N_TFS} -> {HIDDEN} -> {N_TARGETS}, {args.samples} synthetic samples")
    print(
        f"training throughput: cistrans {ours:,.0f} samples/s; plain loop "
        f"(batch 50, fp32, 1 thread) {base:,.0f} samples/s; ratio {ours / base:.2f}x"
    )
    print(
        f"light-up of all {N_TFS} TFs: cistrans {ours_lightup:.2f} s; one TF at a time "
        f"{naive:.1f} s (extrapolated from {args.naive_lightup_tfs} TFs); "
        f"ratio {naive / ours_lightup:.1f}x"
    )


if __name__ == "__main__":
    main()
