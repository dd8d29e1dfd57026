"""What a sequence model reads per gene, memory-mapped and gathered one batch at a time:
segment embeddings (float16 chunks), one-hot windows (uint8 base codes, one-hot on the fly)
and Word2Vec sub-sequence vectors (float16). No source copies its array per epoch: a batch
reads its genes' rows and converts only those to float32."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from cistrans.dna import BASES, onehot_codes
from cistrans.errors import InputError
from cistrans.io.chunks import read_chunk, read_gene_array


class ArraySource:
    """Per-gene arrays spread over one or more memory-mapped arrays (the embedding chunks,
    or one file), each (genes, positions, channels) or, for one-hot codes, (genes,
    positions) uint8.

    arrays: the memory-mapped arrays; gene_ids: the genes of each array, in row order;
    names: a file name per array (for errors); onehot: codes to expand to 4 channels.
    """

    def __init__(
        self,
        arrays: Sequence[np.ndarray],
        gene_ids: Sequence[Sequence[str]],
        names: Sequence[str],
        onehot: bool = False,
    ) -> None:
        self.arrays, self.names, self.onehot = list(arrays), list(names), onehot
        self.where = {
            gene: (part, row)
            for part, genes in enumerate(gene_ids)
            for row, gene in enumerate(genes)
        }
        first = self.arrays[0]
        self.length = first.shape[1]
        self.channels = BASES if onehot else first.shape[2]

    @property
    def gene_ids(self) -> list[str]:
        return list(self.where)

    def batch(self, genes: Sequence[str]) -> torch.Tensor:
        """float32 (len(genes), channels, length): the network's layout."""
        rows = [self.where[gene] for gene in genes]
        out = np.empty((len(rows), self.channels, self.length), dtype=np.float32)
        for part in {part for part, _ in rows}:
            picks = [i for i, (p, _) in enumerate(rows) if p == part]
            block = self.arrays[part][[rows[i][1] for i in picks]]
            out[picks] = onehot_codes(block) if self.onehot else block.transpose(0, 2, 1)
        return torch.from_numpy(out)

    def check_finite(self, batch_size: int = 256) -> None:
        """InputError naming the file and the first gene whose values hold NaN or Inf."""
        if self.onehot:
            return
        for part, array in enumerate(self.arrays):
            for start in range(0, len(array), batch_size):
                block = np.asarray(array[start : start + batch_size], dtype=np.float32)
                bad = ~np.isfinite(block).reshape(len(block), -1).all(axis=1)
                if bad.any():
                    row = start + int(np.flatnonzero(bad)[0])
                    gene = next(g for g, (p, r) in self.where.items() if (p, r) == (part, row))
                    raise InputError(
                        self.names[part],
                        f"gene {gene} (row {row + 1}) holds NaN or Inf "
                        f"({int(bad.sum())} such genes in this block of {len(block)})",
                        "rerun the rule that wrote this file (for embeddings: embed_chunk, "
                        "with embed.dtype float32 if half precision overflows)",
                    )


def embedding_source(npy_paths: Sequence[str], genes_paths: Sequence[str]) -> ArraySource:
    """The segment embeddings of all chunks of one embedding model, memory-mapped.

    Parameters
    ----------
    npy_paths
        Each chunk's embeddings, (genes, segments, hidden) float16 (or float32).
    genes_paths
        Each chunk's genes, in row order.

    Returns
    -------
    ArraySource
        Batches of (batch, hidden, segments) float32.
    """
    arrays, genes = zip(
        *(read_chunk(n, g, mmap=True) for n, g in zip(npy_paths, genes_paths, strict=True)),
        strict=True,
    )
    return ArraySource(arrays, genes, [str(p) for p in npy_paths])


def gene_array_source(
    npy_path: str, genes_path: str, *, rerun: str, onehot: bool = False
) -> ArraySource:
    """One memory-mapped per-gene array (one-hot codes when `onehot`).

    Parameters
    ----------
    npy_path
        The array: (genes, positions, channels), or (genes, positions) uint8 base codes.
    genes_path
        Its genes, in row order.
    rerun
        The fix named when the pair is damaged.
    onehot
        Whether the array holds base codes, expanded to 4 channels a batch at a time.

    Returns
    -------
    ArraySource
        Batches of (batch, channels, positions) float32.
    """
    array, genes = read_gene_array(npy_path, genes_path, rerun, mmap=True)
    return ArraySource([array], [genes], [str(npy_path)], onehot)
