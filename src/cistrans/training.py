"""What every trained model shares: seeding, device choice, threads, early stopping."""

from __future__ import annotations

import os
import platform
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, TypeVar, overload

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import cistrans

DEVICES = ("auto", "cpu", "cuda")

Output = TypeVar("Output", torch.Tensor, tuple[torch.Tensor, ...])


def seed_everything(seed: int) -> None:
    """Seed Python and torch (CPU and CUDA) for repeatable runs on one machine; NumPy draws
    come from generators seeded explicitly."""
    random.seed(seed)
    torch.manual_seed(seed)


def model_versions() -> dict[str, str]:
    """The versions a saved model records beside its weights: Python, torch, NumPy and
    cistrans."""
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cistrans": cistrans.__version__,
    }


def choose_device(device: str) -> torch.device:
    """`auto` takes the GPU when there is one; `cuda` without one is an error."""
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}; known: {', '.join(DEVICES)}")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' asked for, but torch sees no GPU; use 'auto' or 'cpu'")
    return torch.device("cuda" if device != "cpu" and torch.cuda.is_available() else "cpu")


def use_threads(threads: int | None) -> int:
    """Let torch use `threads` CPU threads (all cores when None); return the number."""
    count = threads or os.cpu_count() or 1
    torch.set_num_threads(count)
    return count


@contextmanager
def one_thread_per_worker() -> Iterator[None]:
    """Torch's and BLAS's own threads set to one while the caller runs workers side by side
    (each worker then holds one core; two levels of threads oversubscribe the cores, and
    torch's threads spin while another job holds a core: a forward pass 5× slower)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            yield
    finally:
        torch.set_num_threads(previous)


@dataclass
class EarlyStopping:
    """Stop when the validation loss has not improved for `patience` epochs; keep the best
    weights (a CPU copy of the state dict)."""

    patience: int
    best_loss: float = float("inf")
    best_epoch: int = -1
    best_state: dict[str, torch.Tensor] = field(default_factory=dict)
    waited: int = 0

    def step(self, epoch: int, loss: float, model: torch.nn.Module) -> bool:
        """Record this epoch; True when training should stop."""
        if loss < self.best_loss:
            self.best_loss, self.best_epoch, self.waited = loss, epoch, 0
            self.best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            return False
        self.waited += 1
        return self.waited >= self.patience


def _cpu(output: Output) -> Output:
    if isinstance(output, tuple):
        return tuple(part.cpu() for part in output)  # type: ignore[return-value]
    return output.cpu()


@overload
def predict_in_batches(
    network: torch.nn.Module | None,
    forward: Callable[[slice], Output],
    rows: int,
    *,
    batch_size: int,
    join: Literal[True] = True,
) -> Output: ...


@overload
def predict_in_batches(
    network: torch.nn.Module | None,
    forward: Callable[[slice], Output],
    rows: int,
    *,
    batch_size: int,
    join: Literal[False],
) -> list[Output]: ...


def predict_in_batches(
    network: torch.nn.Module | None,
    forward: Callable[[slice], Output],
    rows: int,
    *,
    batch_size: int,
    join: bool = True,
) -> Output | list[Output]:
    """A trained network's outputs on `rows` inputs, `batch_size` at a time, in eval mode
    (dropout off, batch norm on its running statistics) and without autograd: the one
    batched inference loop every model shares.

    Parameters
    ----------
    network
        The network put in eval mode first (None: the caller's `forward` needs none, or
        it is in eval mode already).
    forward
        The outputs of one batch, given its rows as a slice of ``range(rows)``: a tensor
        (batch, ...) or a tuple of them, on any device.
    rows
        How many inputs there are (at least one).
    batch_size
        Rows per forward pass.
    join
        Concatenate the batches' outputs (True) or return them in a list, one item a
        batch (for a caller that reduces them).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor, or a list of them
        On the CPU: the batches' outputs concatenated along the first dimension, (rows, ...)
        (each part of a tuple alone), or, with ``join=False``, one item per batch.
    """
    if network is not None:
        network.eval()
    with torch.inference_mode():
        parts = [
            _cpu(forward(slice(start, start + batch_size))) for start in range(0, rows, batch_size)
        ]
    if not join:
        return parts
    if isinstance(parts[0], tuple):
        return tuple(torch.cat(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]
    return torch.cat(parts)  # type: ignore[arg-type]
