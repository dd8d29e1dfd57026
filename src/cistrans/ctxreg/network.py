"""The contextual-regression network: ŷ = Σₖ wₖ(x)·mₖ(x) + b.

A motif layer of K non-negative filters without bias scans both strands of the one-hot
window; a position's activation is the filter's relative score above a threshold (JASPAR's
relative score, (s − min) / (max − min), with min and max the filter's lowest and highest
possible scores), so a filter counts its sites the way a PWM scan does, and the motif count
mₖ(x) is that activation averaged over positions (both strands summed), divided by its
average over the training genes (a batch norm without centring: mₖ = 1 is an average
promoter's count, so the weights live on the scale of the standardised labels). A context network
reads the window (one-hot) and the motif activations pooled over regions (so that a weight
can depend on which motifs lie near each other) and gives one weight wₖ(x) per motif; an
L1 penalty on the weights keeps most of them near zero.

Shapes: x (batch, 4, length) one-hot, ACGT channels; counts, weights and contributions
(batch, K); the prediction (batch, 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from cistrans.cismodels.networks import InputShape, InputTooShort, reverse_complement
from cistrans.errors import InputError

WINDOW_KEY = "config key 'ctxreg.window'"
"""Where the length of a window from a genome is set (for errors)."""

MOMENTUM = 0.1
"""Of the running average motif count (as torch's batch norm)."""


@dataclass(frozen=True)
class ContextSettings:
    """The context network (cistrans config ctxreg.context): max-pool `pool` over the
    window, then per entry of `channels` a same-padded convolution of `kernel_size` with
    ReLU and max-pool 2, then dense layers with ReLU and `dropout`."""

    pool: int
    channels: Sequence[int]
    kernel_size: int
    dense: Sequence[int]
    dropout: float


class MotifLayer(nn.Module):
    """K non-negative filters of `width` (softplus of free parameters), no bias, both
    strands; `threshold`: the relative score from which a position counts as a site.

    The free parameters start from a normal of sd `filter_init_sd`. The relative score does
    not see a filter's scale, so the sd hardly changes which positions are sites at the
    start (about 2 % of them from 0.5 and from 0.02 alike), only how far an optimiser step
    of a given size moves the filter's shape: from 0.5, the published scale, a third of the
    filters kept their initial shape on the DREAM lentiMPRA sample (see
    `cistrans.ctxreg.motifs.filter_movement`)."""

    def __init__(self, filters: int, width: int, threshold: float, *, filter_init_sd: float):
        super().__init__()
        self.raw = nn.Parameter(torch.randn(filters, 4, width) * filter_init_sd)
        self.threshold = threshold

    @property
    def weight(self) -> torch.Tensor:
        """(K, 4, width) non-negative filter weights."""
        return nn.functional.softplus(self.raw)

    def strand_sites(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The window and its reverse complement stacked, (2·batch, 4, length), and their
        site activations, (2·batch, K, positions): the relative score above the threshold,
        rescaled to 0…1, and 0 where the filter covers an N (an all-zero column: the padding
        of a shorter sequence, or an unknown base). Row b + batch is row b's reverse
        complement."""
        weight = self.weight
        low = weight.min(dim=1).values.sum(dim=1)
        span = weight.max(dim=1).values.sum(dim=1) - low + 1e-6
        # relu((relative score − threshold) / (1 − threshold)) as one convolution: the
        # rescaling folded into the weights, the offset into a bias derived from them
        scale = 1 / (span * (1 - self.threshold))
        offset = -(low / span + self.threshold) / (1 - self.threshold)
        both = torch.cat([x, reverse_complement(x)], dim=0)
        sites = nn.functional.conv1d(both, weight * scale[:, None, None], offset)
        # a position whose filter covers an N (no base: an all-zero column) counts no site
        unknown = (both.detach().sum(dim=1, keepdim=True) < 0.5).to(both.dtype)
        covers = torch.ones(1, 1, weight.shape[2], dtype=both.dtype, device=both.device)
        on_n = nn.functional.conv1d(unknown, covers) > 0
        return both, nn.functional.relu(sites).masked_fill(on_n, 0.0)

    def activations(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, K, positions): site activations of the two strands summed, in the
        window's coordinates."""
        forward, reverse = self.strand_sites(x)[1].chunk(2, dim=0)
        return forward + reverse.flip(2)


def context_layers(
    channels: int, length: int, *, outputs: int, context: ContextSettings
) -> list[nn.Module]:
    """The context network after its pooling: (batch, channels, length) → (batch,
    outputs), per entry of context.channels a same-padded convolution, ReLU and max-pool 2,
    then the dense layers with dropout and a linear layer to one weight per motif.

    Parameters
    ----------
    channels
        The input's channels.
    length
        The input's length (after the pooling); a length of 1 is not pooled further.
    outputs
        The weights it gives, one per motif (K).
    context
        The context network's convolutions, dense layers and dropout.

    Returns
    -------
    list of nn.Module
        The layers in order, to put in an `nn.Sequential`.
    """
    layers: list[nn.Module] = []
    for out in context.channels:
        layers += [
            nn.Conv1d(channels, out, context.kernel_size, padding="same"),
            nn.ReLU(),
            nn.MaxPool1d(2 if length >= 2 else 1),
        ]
        channels, length = out, length // 2 if length >= 2 else length
    layers.append(nn.Flatten())
    width_in = channels * length
    for units in context.dense:
        layers += [nn.Linear(width_in, units), nn.ReLU(), nn.Dropout(context.dropout)]
        width_in = units
    layers.append(nn.Linear(width_in, outputs))
    return layers


def context_pool(context: ContextSettings, positions: int) -> int:
    """The context network's first max-pool over `positions`: context.pool, at most half
    of them (a short MPRA sequence keeps two regions), at least 1.

    Parameters
    ----------
    context
        The context network (its pool read).
    positions
        The positions pooled over.

    Returns
    -------
    int
        The pool size.
    """
    return max(1, min(context.pool, positions // 2))


class MotifRegression(nn.Module):
    """ŷ = Σₖ wₖ(x)·mₖ(x) + b over motifs, with the counts and weights of `parts`; `l1`
    weighs the penalty on the weights that `penalty()` returns for the last batch."""

    def __init__(self, l1: float):
        super().__init__()
        self.l1 = l1
        self.bias = nn.Parameter(torch.zeros(1))
        self.last_weights: torch.Tensor | None = None

    def parts(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Motif counts mₖ(x) and context weights wₖ(x), each (batch, K)."""
        raise NotImplementedError

    def contributions(self, x: torch.Tensor) -> torch.Tensor:
        """cₖ(x) = wₖ(x)·mₖ(x), (batch, K): the prediction less the bias."""
        counts, weights = self.parts(x)
        return counts * weights

    def forward(self, x: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        counts, weights = self.parts(x)
        self.last_weights = weights
        return (counts * weights).sum(dim=1, keepdim=True) + self.bias

    def penalty(self) -> torch.Tensor:
        """l1 × the mean absolute context weight of the last batch."""
        assert self.last_weights is not None
        return self.l1 * self.last_weights.abs().mean()


class ContextualRegression(MotifRegression):
    """Learned motifs (see the module docstring): x (batch, 4, length) one-hot;
    `filter_init_sd`: see MotifLayer."""

    def __init__(
        self,
        shape: InputShape,
        filters: int,
        width: int,
        threshold: float,
        context: ContextSettings,
        l1: float,
        *,
        filter_init_sd: float,
    ):
        if filters < 1:
            raise InputError(
                "config key 'ctxreg.filters'",
                f"contextual regression needs at least one motif filter, not {filters}",
                "set ctxreg.filters to 1 or more (the published model: 64)",
            )
        if shape.length < width:  # the rule names what sets the length (`InputTooShort`)
            raise InputTooShort("contextual regression", width, shape.length)
        super().__init__(l1)
        self.register_buffer("count_scale", torch.ones(filters))
        self.motifs = MotifLayer(filters, width, threshold, filter_init_sd=filter_init_sd)
        positions = shape.length - width + 1
        pool = context_pool(context, positions)
        self.context = nn.Sequential(
            nn.MaxPool1d(pool),
            *context_layers(4 + filters, positions // pool, outputs=filters, context=context),
        )

    def scaled_counts(self, counts: torch.Tensor) -> torch.Tensor:
        """(batch, K) counts over the training genes' average (running, as a batch
        norm's)."""
        if self.training and len(counts) > 1:
            scale = counts.mean(dim=0) + 1e-6
            with torch.no_grad():
                self.count_scale.mul_(1 - MOMENTUM).add_(MOMENTUM * scale)
        else:
            scale = self.count_scale
        return counts / scale

    def parts(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        sites = self.motifs.activations(x)
        counts = self.scaled_counts(sites.mean(dim=2))
        window = x[:, :, : sites.shape[2]]
        weights = self.context(torch.cat([window, sites], dim=1))
        return counts, weights


class KnownMotifRegression(MotifRegression):
    """Known motifs (JASPAR mode): x (batch, K, regions) the sites a PWM scan found of each
    of K motifs in each region of the window; mₖ(x) is motif k's number of sites (not
    rescaled: a rare motif's average is near zero, so one site would weigh thousands), and
    the context network reads where they lie (the regions are its pooling)."""

    def __init__(self, shape: InputShape, context: ContextSettings, l1: float):
        super().__init__(l1)
        self.context = nn.Sequential(
            *context_layers(shape.channels, shape.length, outputs=shape.channels, context=context)
        )

    def parts(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x.sum(dim=2), self.context(x)
