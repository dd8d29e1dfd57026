"""The sequence models' networks: TExCNN over segment embeddings, Xpresso's one-hot CNN and
DeepLncLoc's TextCNN over Word2Vec sub-sequence vectors.

Every network maps (batch, channels, length) plus optional per-gene features (batch,
extra) to outputs (batch, n_outputs): one per gene label, or one per tissue. Pooling sizes
shrink when an input is too short for them (Xpresso's 30 and 10 assume 10.5 kb; an MPRA
library holds 80–300 bp), never below 1; an input shorter than the convolutions need is an
InputError naming the config key that sets its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from cistrans.errors import InputError

XPRESSO_REFERENCE_LENGTH = 10_500
"""The window Xpresso's pooling sizes were chosen for (−7,000…+3,500)."""


@dataclass(frozen=True)
class InputShape:
    """What a network reads: channels × length per gene, `extra` per-gene features, the
    config key that sets `length` (for errors) and the number of outputs."""

    channels: int
    length: int
    extra: int
    length_key: str
    outputs: int = 1


def adapted_pools(
    length: int, kernel_sizes: Sequence[int], pools: Sequence[int], reference: int
) -> list[int]:
    """`pools` as configured when an input of `length` fits them; otherwise scaled down by
    length / reference (never below 1), halving the largest until the input fits."""
    pools = list(pools)
    if receptive_length(kernel_sizes, pools) <= length:
        return pools
    scale = min(1.0, length / reference)
    pools = [max(1, int(round(pool * scale))) for pool in pools]
    while receptive_length(kernel_sizes, pools) > length and max(pools) > 1:
        largest = pools.index(max(pools))
        pools[largest] = max(1, pools[largest] // 2)
    return pools


def check_length(shape: InputShape, minimum: int, model: str) -> None:
    """InputError when the input is shorter than the network's receptive field."""
    if shape.length < minimum:
        raise InputError(
            f"config key {shape.length_key!r}",
            f"{model} needs inputs of at least {minimum} positions, this one has {shape.length}",
            f"raise {shape.length_key} to {minimum} or more, or leave {model} out of cis.models",
        )


class _Head(nn.Module):
    """Flattened convolution output, concatenated with the per-gene features, then dense
    layers with ReLU and dropout, then a linear layer to the outputs."""

    def __init__(self, flat: int, extra: int, dense: Sequence[int], dropout: float, outputs: int):
        super().__init__()
        layers: list[nn.Module] = []
        width = flat + extra
        for units in dense:
            layers += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(dropout)]
            width = units
        layers.append(nn.Linear(width, outputs))
        self.layers = nn.Sequential(*layers)

    def forward(self, flat: torch.Tensor, extra: torch.Tensor | None) -> torch.Tensor:
        if extra is not None and extra.shape[1]:
            flat = torch.cat([flat, extra], dim=1)
        return self.layers(flat)


class TExCNN(nn.Module):
    """Convolution blocks over the segment axis of a gene's (hidden, segments) embedding
    matrix: Conv1d (same padding) → ReLU → MaxPool → Dropout per block, flattened so that
    each segment's place relative to the TSS stays visible, then the dense head."""

    def __init__(
        self,
        shape: InputShape,
        channels: Sequence[int],
        kernel_size: int,
        pool: int,
        dense: Sequence[int],
        dropout: float,
    ):
        super().__init__()
        check_length(shape, 1, "texcnn")
        blocks: list[nn.Module] = []
        width, length = shape.channels, shape.length
        for out in channels:
            size = min(pool, length)
            blocks += [
                nn.Conv1d(width, out, kernel_size, padding="same"),
                nn.ReLU(),
                nn.MaxPool1d(size),
                nn.Dropout(dropout),
            ]
            width, length = out, length // size
        self.convolutions = nn.Sequential(*blocks, nn.Flatten())
        self.head = _Head(width * length, shape.extra, dense, dropout, shape.outputs)

    def forward(self, x: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        return self.head(self.convolutions(x), extra)


class Xpresso(nn.Module):
    """Xpresso's one-hot CNN: per layer Conv1d (valid) → ReLU → MaxPool; flatten, the mRNA
    features concatenated, dense layers, one output per label. Published best human model:
    filters (128, 32), kernels (6, 9), pools (30, 10), dense (64, 2).

    A last pool of 0 takes the maximum over the whole remaining length (global max pooling:
    one value per filter, wherever along the sequence it fired)."""

    def __init__(
        self,
        shape: InputShape,
        filters: Sequence[int],
        kernel_sizes: Sequence[int],
        pools: Sequence[int],
        dense: Sequence[int],
        dropout: float,
    ):
        super().__init__()
        if not len(filters) == len(kernel_sizes) == len(pools):
            raise InputError(
                "config key 'cis.xpresso'",
                "filters, kernel_sizes and pools differ in length",
                "give one kernel size and one pool per convolution layer",
            )
        if 0 in pools[:-1]:
            raise InputError(
                "config key 'cis.xpresso.pools'",
                "only the last pool may be 0 (global max pooling)",
                "give the earlier layers pools of 1 or more",
            )
        global_pool = pools[-1] == 0
        sized = [*pools[:-1], 1] if global_pool else list(pools)
        sized = adapted_pools(shape.length, kernel_sizes, sized, XPRESSO_REFERENCE_LENGTH)
        check_length(shape, receptive_length(kernel_sizes, sized), "xpresso")
        layers: list[nn.Module] = []
        width, length = shape.channels, shape.length
        for out, kernel, pool in zip(filters, kernel_sizes, sized, strict=True):
            layers += [nn.Conv1d(width, out, kernel), nn.ReLU(), nn.MaxPool1d(pool)]
            width, length = out, (length - kernel + 1) // pool
        if global_pool:
            layers[-1], length = nn.AdaptiveMaxPool1d(1), 1
        self.pools = [*sized[:-1], 0] if global_pool else sized
        self.convolutions = nn.Sequential(*layers, nn.Flatten())
        self.head = _Head(width * length, shape.extra, dense, dropout, shape.outputs)

    def forward(self, x: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        return self.head(self.convolutions(x), extra)


def receptive_length(kernel_sizes: Sequence[int], pools: Sequence[int]) -> int:
    """The shortest input that leaves at least one position after every valid convolution
    and pooling layer."""
    length = 1
    for kernel, pool in reversed(list(zip(kernel_sizes, pools, strict=True))):
        length = length * pool + kernel - 1
    return length


class TextCNN(nn.Module):
    """DeepLncLoc's TextCNN: parallel Conv1d branches (kernels 1/3/5 × 128 filters) over the
    sub-sequence vectors, ReLU, global max-pool, concatenated, dropout, a regression head."""

    def __init__(
        self,
        shape: InputShape,
        kernel_sizes: Sequence[int],
        filters: int,
        dense: Sequence[int],
        dropout: float,
    ):
        super().__init__()
        check_length(shape, max(kernel_sizes), "deeplncloc")
        self.branches = nn.ModuleList(
            nn.Sequential(nn.Conv1d(shape.channels, filters, kernel), nn.ReLU())
            for kernel in kernel_sizes
        )
        self.dropout = nn.Dropout(dropout)
        self.head = _Head(filters * len(kernel_sizes), shape.extra, dense, dropout, shape.outputs)

    def forward(self, x: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        pooled = torch.cat([branch(x).amax(dim=2) for branch in self.branches], dim=1)
        return self.head(self.dropout(pooled), extra)
