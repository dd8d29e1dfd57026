"""DeepLncLoc's sequence representation: overlapping k-mers embedded by a skip-gram Word2Vec
(gensim) trained on the training genes only, then each window's k-mer vectors averaged in
equal sub-sequences, giving a (sub-sequences × vector size) matrix per gene."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from itertools import product

import numpy as np

from cistrans.dna import BASES, encode_bases
from cistrans.errors import InputError

log = logging.getLogger(__name__)

MAX_SENTENCE = 10_000
"""gensim truncates longer sentences; a window's k-mers are cut into pieces of this many."""


def _stable_hash(word: str) -> int:
    """A process-independent hash for gensim's per-word seeds (Python's `hash` changes with
    PYTHONHASHSEED, which would make the vectors differ from run to run)."""
    return zlib.crc32(word.encode())


def kmer_words(sequence: str, k: int) -> list[str]:
    """The overlapping k-mers of `sequence` (upper case), N-containing ones included.

    Parameters
    ----------
    sequence
        The sequence, any case.
    k
        The k-mer length.

    Returns
    -------
    list of str
        (len − k + 1,) the k-mers in order; empty for a sequence shorter than k.
    """
    sequence = sequence.upper()
    return [sequence[i : i + k] for i in range(len(sequence) - k + 1)]


def train_word2vec(
    sequences: Sequence[str],
    *,
    k: int,
    vector_size: int,
    window: int,
    epochs: int,
    seed: int,
    threads: int = 1,
) -> dict[str, np.ndarray]:
    """Skip-gram Word2Vec over the k-mers of `sequences` (the training genes' windows).

    Parameters
    ----------
    sequences
        The training genes' windows.
    k
        The k-mer length.
    vector_size
        The vectors' length.
    window
        Word2Vec's context window (k-mers each side).
    epochs
        Passes over the k-mers.
    seed
        Seeds gensim.
    threads
        gensim's worker threads.

    Returns
    -------
    dict of str to np.ndarray
        k-mer → (vector_size,) float32, for every k-mer over A, C, G, T that occurs.
    """
    from gensim.models import Word2Vec

    sentences = []
    for sequence in sequences:
        words = kmer_words(sequence, k)
        sentences += [words[i : i + MAX_SENTENCE] for i in range(0, len(words), MAX_SENTENCE)]
    log.info(
        "Word2Vec (skip-gram, %d-mers, vector %d, window %d, %d epochs) on %d sequences, %d words",
        k,
        vector_size,
        window,
        epochs,
        len(sequences),
        sum(map(len, sentences)),
    )
    model = Word2Vec(
        sentences,
        vector_size=vector_size,
        window=window,
        min_count=1,
        sg=1,
        epochs=epochs,
        seed=seed,
        workers=threads,
        hashfxn=_stable_hash,
    )
    return {
        "".join(kmer): model.wv["".join(kmer)].astype(np.float32)
        for kmer in product("ACGT", repeat=k)
        if "".join(kmer) in model.wv
    }


def kmer_rows(sequence: str, k: int) -> np.ndarray:
    """The index of each overlapping k-mer in product("ACGT", repeat=k) order, 4**k for
    k-mers holding any other letter.

    Parameters
    ----------
    sequence
        The sequence, any case.
    k
        The k-mer length.

    Returns
    -------
    np.ndarray
        (len − k + 1,) int64; empty for a sequence shorter than k.
    """
    codes = encode_bases([sequence])[0].astype(np.int64)
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    rows, bad = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    for offset in range(k):
        part = codes[offset : offset + n]
        rows = rows * BASES + np.minimum(part, BASES - 1)
        bad |= part == BASES
    return np.where(bad, BASES**k, rows)


def subsequence_vectors(
    sequences: Sequence[str],
    vectors: dict[str, np.ndarray],
    *,
    k: int,
    n_subsequences: int,
) -> np.ndarray:
    """Each window's k-mer vectors (zeros for k-mers with other letters or unseen in
    training) averaged over `n_subsequences` equal, consecutive stretches of its k-mers.

    Parameters
    ----------
    sequences
        The windows, one per gene.
    vectors
        k-mer → (vector size,) vector (`train_word2vec`).
    k
        The k-mer length.
    n_subsequences
        The stretches per window.

    Returns
    -------
    np.ndarray
        (genes, n_subsequences, vector size) float16.

    Raises
    ------
    ValueError
        When `vectors` is empty.
    InputError
        When a window has fewer k-mers than `n_subsequences`.
    """
    if not vectors:
        raise ValueError("no k-mer vectors: Word2Vec saw no A/C/G/T k-mer")
    size = len(next(iter(vectors.values())))
    table = np.zeros((BASES**k + 1, size))  # the last row: unknown k-mers
    for row, kmer in enumerate(product("ACGT", repeat=k)):
        table[row] = vectors.get("".join(kmer), 0.0)
    out = np.empty((len(sequences), n_subsequences, size), dtype=np.float16)
    for gene, sequence in enumerate(sequences):
        rows = kmer_rows(sequence, k)
        if len(rows) < n_subsequences:
            raise InputError(
                "config key 'cis.deeplncloc.subsequences'",
                f"a sequence of {len(sequence)} bases has {len(rows)} {k}-mers, fewer than "
                f"the {n_subsequences} sub-sequences",
                f"lower cis.deeplncloc.subsequences to {max(len(rows), 1)} or less",
            )
        edges = np.linspace(0, len(rows), n_subsequences + 1).round().astype(int)
        sums = np.vstack([np.zeros(size), np.cumsum(table[rows], axis=0)])
        out[gene] = (sums[edges[1:]] - sums[edges[:-1]]) / np.diff(edges)[:, None]
    return out
