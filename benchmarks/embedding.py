"""Throughput of segment embedding (`embed_windows`) against a naive loop, and the real job.

Two randomly initialised models with the DNABERT-6 vocabulary and tokenizer, written to a
temporary folder with `save_pretrained` and loaded with `load_language_model` (the workflow's
path): the demo's tiny DNABERT (2 layers, hidden 32, 512 positions) and a BERT-base-sized one
(DNABERT-6's shape: 12 layers, hidden 768, 12 heads, intermediate 3,072, 512 positions).
Input: random 10,500 bp windows (1 % N), cut into 515 bp segments (510 6-mers, 512 tokens,
21 segments per window) as in the real job.

Measured in the same run, in tokens/s ([CLS] and [SEP] included):
- cistrans: `embed_windows(..., pooling="mean")`: k-mer ids from a lookup table, batches
  sorted by length, `torch.inference_mode()`, float32 (and bfloat16 weights and autocast,
  `dtype="bfloat16"`, printed with its largest deviation from float32);
- naive baseline: one segment at a time, the Hugging Face tokenizer on the space-joined
  6-mers, `torch.no_grad()`, float32, mean of the last hidden states without [CLS]/[SEP].
The base-sized model is slow on CPU, so it embeds `--base-genes` windows and the naive loop
only `--naive-base-segments` segments (per-segment time does not depend on how many).

Then the real job (18,377 genes x 10,500 bp, DNABERT-6: 21 segments of 512 tokens per gene)
in FLOPs: 2 x (weights of the encoder's linear layers) per token plus attention (4 x tokens^2
x hidden per layer and segment), in hours on one H100 at an assumed sustained rate
(`--utilisation` x `--peak-tflops`, default 40 % of 989 bf16 dense TFLOP/s) and on this
machine's CPU cores at the measured base-model throughput. Last, the ceiling: this device's
matrix-multiply rate (float32 and bfloat16) at the base model's largest layer shape, against
the FLOP rate the naive loop already reaches with the base model, which bounds the speed-up
any embedding loop can reach here.

    python benchmarks/embedding.py [--device cpu|cuda] [--threads N] [--tiny-genes 100]
        [--naive-tiny-segments 300] [--base-genes 1] [--naive-base-segments 6]
        [--batch-size 64] [--peak-tflops 989] [--utilisation 0.4]

`--device cuda` measures on a GPU instead (bfloat16 for cistrans, "auto"; more base-model
windows are sensible there, e.g. `--base-genes 50 --batch-size 128`) and prints the achieved
TFLOP/s against `--peak-tflops`. The default CPU run takes one to two minutes on 2 cores; other
work on the machine slows it (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np
import torch

from cistrans.demo.language_model import save_tiny_dnabert
from cistrans.sequence.embed import embed_windows
from cistrans.sequence.language_model import LanguageModel, load_language_model
from cistrans.sequence.tokenize import kmer_text, n_segments, split_segments
from cistrans.training import use_threads

REAL_GENES, WINDOW = 18_377, 10_500
SEGMENT = 515  # 510 6-mers + [CLS] + [SEP] = 512 tokens
TINY = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
BASE = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072)


def random_windows(count: int, seed: int = 0) -> list[str]:
    """`count` random windows of WINDOW bases with about 1 % N."""
    rng = np.random.default_rng(seed)
    letters = np.frombuffer(b"ACGTN", dtype=np.uint8)
    codes = rng.choice(5, size=(count, WINDOW), p=[0.2475] * 4 + [0.01])
    return [letters[row].tobytes().decode("ascii") for row in codes]


def synchronise(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(function: Callable[[], object], device: torch.device) -> tuple[float, object]:
    """Seconds `function` takes (GPU work included), and its result."""
    synchronise(device)
    start = time.perf_counter()
    result = function()
    synchronise(device)
    return time.perf_counter() - start, result


def naive_embed(lm: LanguageModel, segments: Sequence[str]) -> np.ndarray:
    """The baseline: tokenizer per segment, one forward each, fp32, no_grad, mean pooling."""
    vectors = []
    for segment in segments:
        encoded = lm.tokenizer(kmer_text(segment, 6), return_tensors="pt").to(lm.device)
        with torch.no_grad():
            hidden = lm.model(**encoded).last_hidden_state[0]
        vectors.append(hidden[1:-1].mean(dim=0).float().cpu().numpy())
    return np.stack(vectors)


def ours(lm: LanguageModel, windows: Sequence[str], batch_size: int) -> np.ndarray:
    """cistrans: embed_windows, flattened to (segments, hidden)."""
    embedded = embed_windows(lm, windows, SEGMENT, SEGMENT, "mean", batch_size, False)
    return embedded.reshape(-1, lm.hidden_size)


def measure(
    name: str,
    folder: Path,
    windows: Sequence[str],
    naive_segments: int,
    args: argparse.Namespace,
) -> tuple[float, float]:
    """Print cistrans (float32, and reduced precision) vs naive tokens/s; return the naive
    and cistrans's best tokens/s."""
    device = args.device
    exact = load_language_model(str(folder), False, device, "float32")
    segments = [s for window in windows for s in split_segments(window, SEGMENT, SEGMENT)]
    tokens = exact.max_tokens  # every segment fills all positions
    naive_segments = min(naive_segments, len(segments))
    ours(exact, windows[:1], args.batch_size)  # warm-up (kernels, allocator)
    naive_embed(exact, segments[:1])
    naive_s, naive_vectors = timed(
        partial(naive_embed, exact, segments[:naive_segments]), exact.device
    )
    ours_s, ours_vectors = timed(partial(ours, exact, windows, args.batch_size), exact.device)
    naive_rate = naive_segments * tokens / naive_s
    ours_rate = len(segments) * tokens / ours_s
    agree = np.abs(ours_vectors[:naive_segments].astype(np.float32) - naive_vectors).max()
    print(f"{name}: {len(windows)} windows = {len(segments)} segments x {tokens} tokens")
    print(
        f"  naive loop (1 segment at a time, fp32, {naive_segments} segments): "
        f"{naive_rate:,.0f} tokens/s"
    )
    print(
        f"  cistrans float32 (batch {args.batch_size}): {ours_rate:,.0f} tokens/s; "
        f"ratio {ours_rate / naive_rate:.2f}x (max |difference| to naive {agree:.1e})"
    )
    best = ours_rate
    reduced_name = "bfloat16" if exact.device.type == "cpu" else "auto"
    del exact
    reduced = load_language_model(str(folder), False, device, reduced_name)
    ours(reduced, windows[:1], args.batch_size)
    reduced_s, reduced_vectors = timed(
        partial(ours, reduced, windows, args.batch_size), reduced.device
    )
    reduced_rate = len(segments) * tokens / reduced_s
    error = np.abs(reduced_vectors.astype(np.float32) - ours_vectors.astype(np.float32))
    scale = np.abs(ours_vectors.astype(np.float32)).mean()
    print(
        f"  cistrans {str(reduced.dtype).removeprefix('torch.')} (dtype={reduced_name!r}): "
        f"{reduced_rate:,.0f} tokens/s; ratio {reduced_rate / naive_rate:.2f}x "
        f"(max |difference| to float32 {error.max():.1e}, mean |value| {scale:.2f})"
    )
    return naive_rate, max(best, reduced_rate)


def gemm_rate(dtype: torch.dtype, device: torch.device, tokens: int = 8192) -> float:
    """FLOP/s of this machine's matrix multiply at the base model's largest layer shape
    ((tokens x 768) @ (768 x 3,072)), best of 10: the ceiling any embedding loop can reach."""
    a = torch.randn(tokens, BASE["hidden_size"], device=device, dtype=dtype)
    b = torch.randn(BASE["hidden_size"], BASE["intermediate_size"], device=device, dtype=dtype)
    torch.matmul(a, b)
    best = min(timed(partial(torch.matmul, a, b), device)[0] for _ in range(10))
    return 2 * a.shape[0] * a.shape[1] * b.shape[1] / best


def ceiling(naive_rate: float, flop_per_token: float, device: torch.device) -> None:
    """Print how far the naive base-model loop is from this device's matrix-multiply rate,
    and so the largest speed-up any loop could reach here."""
    fp32, bf16 = (gemm_rate(dtype, device) for dtype in (torch.float32, torch.bfloat16))
    naive = naive_rate * flop_per_token
    print(
        f"  ceiling: matrix multiply at the base model's layer shape runs at "
        f"{fp32 / 1e9:,.0f} GFLOP/s in float32 and {bf16 / 1e9:,.0f} in bfloat16; the naive "
        f"loop already runs the base model at {naive / 1e9:,.0f} GFLOP/s "
        f"({naive / fp32:.0%} of float32), so no loop can beat it by more than "
        f"{fp32 / naive:.1f}x in float32 or {bf16 / naive:.1f}x in bfloat16 on this device"
    )


def job_flops(folder: Path) -> tuple[float, int, int]:
    """FLOPs of the real job with the model in `folder`, segments per gene, total tokens."""
    from transformers import BertConfig, BertModel

    config = BertConfig.from_pretrained(folder)
    with torch.device("meta"):
        model = BertModel(config, add_pooling_layer=False)
    linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))
    tokens = config.max_position_embeddings
    per_segment = (
        2 * linear * tokens + 4 * tokens**2 * config.hidden_size * config.num_hidden_layers
    )
    segments = n_segments(WINDOW, SEGMENT, SEGMENT)
    return per_segment * segments * REAL_GENES, segments, segments * REAL_GENES * tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (all cores)")
    parser.add_argument("--tiny-genes", type=int, default=100)
    parser.add_argument("--naive-tiny-segments", type=int, default=300)
    parser.add_argument("--base-genes", type=int, default=1)
    parser.add_argument("--naive-base-segments", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="H100 SXM bf16 dense")
    parser.add_argument("--utilisation", type=float, default=0.4)
    args = parser.parse_args()
    threads = use_threads(args.threads)
    print(
        f"device {args.device}, {threads} torch threads, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    with tempfile.TemporaryDirectory() as temporary:
        tiny, base = Path(temporary) / "tiny", Path(temporary) / "base"
        save_tiny_dnabert(tiny, seed=0, kmer=6, max_position_embeddings=512, **TINY)
        save_tiny_dnabert(base, seed=0, kmer=6, max_position_embeddings=512, **BASE)
        tiny_windows = random_windows(args.tiny_genes)
        measure(
            "tiny DNABERT-6 (2 layers, hidden 32)",
            tiny,
            tiny_windows,
            args.naive_tiny_segments,
            args,
        )
        base_naive_rate, base_rate = measure(
            "BERT-base-sized DNABERT-6 (12 layers, hidden 768), fewer segments",
            base,
            random_windows(args.base_genes, seed=1),
            args.naive_base_segments,
            args,
        )
        flops, per_gene, tokens = job_flops(base)
    sustained = args.utilisation * args.peak_tflops * 1e12
    print(
        f"real job: {REAL_GENES:,} genes x {WINDOW:,} bp = {per_gene} segments of 510 6-mers per "
        f"gene, {tokens / 1e6:,.0f} M tokens, {flops:.2e} FLOP"
    )
    print(
        f"  one H100 at {args.utilisation:.0%} of {args.peak_tflops:.0f} TFLOP/s "
        f"({sustained / 1e12:.0f} TFLOP/s sustained, assumed): {flops / sustained / 3600:.2f} h "
        f"({flops / sustained / 60:.1f} min) of model compute"
    )
    achieved = base_rate * flops / tokens
    where = f"{threads} CPU cores" if args.device == "cpu" else "this GPU"
    print(
        f"  {where} at the measured base-model rate ({base_rate:,.0f} tokens/s = "
        f"{achieved / 1e12:.3f} TFLOP/s): {tokens / base_rate / 3600:,.1f} h"
    )
    ceiling(base_naive_rate, flops / tokens, torch.device(args.device))
    if args.device == "cuda":
        print(
            f"  achieved {achieved / 1e12:.1f} of {args.peak_tflops:.0f} peak TFLOP/s "
            f"({achieved / (args.peak_tflops * 1e12):.0%})"
        )


if __name__ == "__main__":
    main()
