"""The sequence models' networks: TExCNN over segment embeddings, Xpresso's one-hot CNN and
DeepLncLoc's TextCNN over Word2Vec sub-sequence vectors.

Every network maps (batch, channels, length) plus optional per-gene features (batch,
extra) to outputs (batch, n_outputs): one per gene label, or one per tissue. Pooling sizes
shrink when an input is too short for them (Xpresso's 30 and 10 assume 10.5 kb; an MPRA
library holds 80–300 bp), never below 1; an input shorter than the convolutions need is an
`InputTooShort`, which the rule that knows the config key setting the length words as an
InputError.
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
    """What a network reads: channels × length per gene, `extra` per-gene features and the
    number of outputs."""

    channels: int
    length: int
    extra: int
    outputs: int = 1


class InputTooShort(ValueError):
    """An input shorter than a network needs: `model` needs at least `minimum` positions and
    the input has `length`. The message says so in plain words; the rule that knows which
    config key sets the length words it as an InputError (`input_error`)."""

    def __init__(self, model: str, minimum: int, length: int) -> None:
        self.model, self.minimum, self.length = model, minimum, length
        super().__init__(
            f"{model} needs inputs of at least {minimum} positions, this one has {length}"
        )

    def input_error(self, source: str, fix: str) -> InputError:
        """The InputError naming `source` (the config key, or the input, that sets the
        length), this error's problem and `fix`."""
        return InputError(source, str(self), fix)


def adapted_pools(
    length: int, kernel_sizes: Sequence[int], pools: Sequence[int], *, reference: int
) -> list[int]:
    """`pools` as configured when an input of `length` fits them; otherwise scaled down by
    length / reference (never below 1), halving the largest until the input fits.

    Parameters
    ----------
    length
        The input's length (positions).
    kernel_sizes
        (layers,) the kernel size of each valid convolution.
    pools
        (layers,) the configured pool of each layer.
    reference
        The length the pools were chosen for (e.g. `XPRESSO_REFERENCE_LENGTH`).

    Returns
    -------
    list of int
        (layers,) the pools, each 1 or more; still too long for `length` only when every
        pool is 1 (`check_length` then refuses the input).
    """
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
    """InputTooShort when the input is shorter than the network's receptive field.

    Parameters
    ----------
    shape
        What the network reads; its `length` is checked.
    minimum
        The shortest input the network can read (`receptive_length`).
    model
        The model, named in the error (xpresso, legnet, texcnn, deeplncloc).

    Returns
    -------
    None

    Raises
    ------
    InputTooShort
        When shape.length is below `minimum`.
    """
    if shape.length < minimum:
        raise InputTooShort(model, minimum, shape.length)


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
        sized = adapted_pools(shape.length, kernel_sizes, sized, reference=XPRESSO_REFERENCE_LENGTH)
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
    and pooling layer.

    Parameters
    ----------
    kernel_sizes
        (layers,) the kernel size of each valid convolution.
    pools
        (layers,) the max-pool size after each.

    Returns
    -------
    int
        The shortest input length (positions).
    """
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


class _LocalBlock(nn.Sequential):
    """Conv1d (same padding, no bias) → batch norm → SiLU."""

    def __init__(self, channels_in: int, channels_out: int, kernel_size: int):
        super().__init__(
            nn.Conv1d(channels_in, channels_out, kernel_size, padding="same", bias=False),
            nn.BatchNorm1d(channels_out),
            nn.SiLU(),
        )


class _SqueezeExcitation(nn.Module):
    """Channel weights from the channels' means over the length: Linear → SiLU → Linear →
    sigmoid, `reduction`-fold narrower in the middle (of the block's input width)."""

    def __init__(self, narrow: int, channels: int, reduction: int = 4):
        super().__init__()
        hidden = max(1, narrow // reduction)
        self.weights = nn.Sequential(
            nn.Linear(channels, hidden), nn.SiLU(), nn.Linear(hidden, channels), nn.Sigmoid()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.weights(x.mean(dim=2)).unsqueeze(2)


class _EfficientBlock(nn.Module):
    """EfficientNetV2's inverted bottleneck in 1-D: 1×1 expansion by `resize_factor`,
    depthwise convolution of `kernel_size`, squeeze-and-excitation, 1×1 back to the input
    width (each convolution with batch norm and SiLU); its output is concatenated with its
    input (LegNet's residual concatenation), doubling the channels."""

    def __init__(self, channels: int, kernel_size: int, resize_factor: int):
        super().__init__()
        wide = channels * resize_factor
        self.block = nn.Sequential(
            nn.Conv1d(channels, wide, 1, bias=False),
            nn.BatchNorm1d(wide),
            nn.SiLU(),
            nn.Conv1d(wide, wide, kernel_size, padding="same", groups=wide, bias=False),
            nn.BatchNorm1d(wide),
            nn.SiLU(),
            _SqueezeExcitation(channels, wide),
            nn.Conv1d(wide, channels, 1, bias=False),
            nn.BatchNorm1d(channels),
            nn.SiLU(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.block(x), x], dim=1)


def reverse_complement(x: torch.Tensor) -> torch.Tensor:
    """The reverse complement of one-hot windows in ACGT order: the channels and the
    positions reversed (an N, an all-zero column, stays one).

    Parameters
    ----------
    x
        (batch, 4, length) one-hot windows, channels A C G T.

    Returns
    -------
    torch.Tensor
        (batch, 4, length), of the dtype of `x`.
    """
    return x.flip(1, 2)


class LegNet(nn.Module):
    """LegNet (Penzar et al. 2023, Bioinformatics; the human lentiMPRA model of Agarwal et
    al. 2025): a stem convolution, then per block an EfficientNetV2-style inverted
    bottleneck with squeeze-and-excitation concatenated with its input, a convolution to the
    block's width and a max-pool; a 1×1 mapping to twice the last width, the mean over the
    positions, and a dense head (Linear → batch norm → SiLU → Linear).

    The input is the one-hot window plus a fifth channel that says whether it was reverse
    complemented: in training each window is reverse complemented at random (the channel
    set to 1), and a prediction is the mean of the window's and its reverse complement's.
    Pools shrink (never below 1) when a window is too short for them.

    Shapes: x (batch, 4, length) one-hot; `extra` (batch, features), joined before the
    head; output (batch, outputs).
    """

    def __init__(
        self,
        shape: InputShape,
        *,
        stem_channels: int,
        stem_kernel_size: int,
        block_sizes: Sequence[int],
        kernel_size: int,
        pools: Sequence[int],
        resize_factor: int,
        dropout: float,
    ):
        super().__init__()
        if len(block_sizes) != len(pools):
            raise InputError(
                "config key 'cis.legnet'",
                "block_sizes and pools differ in length",
                "give one pool per block",
            )
        check_length(shape, 1, "legnet")
        length, blocks, self.pools = shape.length, [], []
        width = stem_channels
        for out, pool in zip(block_sizes, pools, strict=True):
            size = max(1, min(pool, length))
            self.pools.append(size)
            blocks.append(
                nn.Sequential(
                    _EfficientBlock(width, kernel_size, resize_factor),
                    _LocalBlock(2 * width, out, kernel_size),
                    nn.MaxPool1d(size) if size > 1 else nn.Identity(),
                )
            )
            width, length = out, length // size
        self.stem = _LocalBlock(shape.channels + 1, stem_channels, stem_kernel_size)
        self.blocks = nn.Sequential(*blocks)
        self.mapper = nn.Sequential(nn.BatchNorm1d(width), nn.Conv1d(width, 2 * width, 1))
        joined = 2 * width + shape.extra
        self.head = nn.Sequential(
            nn.Linear(joined, joined),
            nn.BatchNorm1d(joined),
            nn.SiLU(),
            nn.Dropout(dropout),
            nn.Linear(joined, shape.outputs),
        )
        self.apply(_legnet_init)

    def strand(self, x: torch.Tensor, reverse: bool | torch.Tensor) -> torch.Tensor:
        """One strand's pooled features (batch, 2·last width), for the head: `reverse` (a
        bool, or (batch,) bools) reverse complements those windows and sets their flag
        channel."""
        flags = torch.as_tensor(reverse, dtype=x.dtype, device=x.device)
        flags = flags.expand(len(x)).reshape(-1, 1, 1)
        x = torch.where(flags.bool(), reverse_complement(x), x)
        flag = flags.expand(-1, 1, x.shape[2])
        return self.features(torch.cat([x, flag], dim=1))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, 2·last width): the pooled mapping of the windows with their flag."""
        return self.mapper(self.blocks(self.stem(x))).mean(dim=2)

    def forward(self, x: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        if self.training:
            flip = torch.rand(len(x), device=x.device) < 0.5
            pooled = self.strand(x, flip)
            return self.head(_joined(pooled, extra))
        # the head once per strand: DeepLIFT (tangermeme) pairs each batch's rows with its
        # references' by position, which one pass over both strands would mix up
        forward = self.head(_joined(self.strand(x, False), extra))
        return (forward + self.head(_joined(self.strand(x, True), extra))) / 2


def _joined(pooled: torch.Tensor, extra: torch.Tensor | None) -> torch.Tensor:
    return pooled if extra is None or not extra.shape[1] else torch.cat([pooled, extra], 1)


def _legnet_init(module: nn.Module) -> None:
    """LegNet's initialisation: convolutions N(0, 2 / (kernel × out channels)), batch
    norms 1 and 0, dense layers N(0, 0.001²), biases 0."""
    if isinstance(module, nn.Conv1d):
        n = module.kernel_size[0] * module.out_channels
        nn.init.normal_(module.weight, 0.0, (2 / n) ** 0.5)
    elif isinstance(module, nn.BatchNorm1d):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, 0.0, 0.001)
    if getattr(module, "bias", None) is not None and not isinstance(module, nn.BatchNorm1d):
        nn.init.zeros_(module.bias)
