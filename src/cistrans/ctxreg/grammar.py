"""The promoter grammar from known motifs: JASPAR sites found by FIMO (memelite), motifs
that co-occur across promoters (one-sided Fisher's exact test per pair, Benjamini–Hochberg),
the communities of the network of co-occurring pairs (Leiden, igraph), and pairs whose
sites keep a preferred spacing.

Positions are in gene orientation (the windows are written so): a site's `start` and `end`
are its first and last base from the window's 5' end. The spacing of an ordered pair A → B
is the number of bases between the end of a site of A and the start of a later site of B
(B.start − A.end − 1), as the demo's cooperative pair defines it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import hypergeom, poisson
from statsmodels.stats.multitest import multipletests

from cistrans.dna import BASES, onehot_codes
from cistrans.io.motifs import Motif
from cistrans.io.results import read_result_parquet

log = logging.getLogger(__name__)

# report_unknown warns when some window is at least this share N (else it only informs).
N_SHARE_WARNED = 0.1
SITE_COLUMNS = ["gene_id", "motif_id", "start", "end", "strand", "score", "p_value"]


def read_sites(path: str | Path) -> pd.DataFrame:
    """The sites table rule ctxreg_sites wrote (`scan_sites`), its SITE_COLUMNS checked.

    Parameters
    ----------
    path
        The sites table (parquet).

    Returns
    -------
    pd.DataFrame
        One row per site, columns SITE_COLUMNS.
    """
    return read_result_parquet(path, SITE_COLUMNS, made_by="ctxreg_sites")


def unknown_shares(codes: np.ndarray, block: int = 2000) -> np.ndarray:
    """shape=(genes,) float: the share of each window that is N (its padding to the longest
    sequence, and unknown bases).

    Parameters
    ----------
    codes
        (genes, length) uint8 base codes (A, C, G, T = 0…3, N = 4); may be memory-mapped.
    block
        Windows read at a time.

    Returns
    -------
    np.ndarray
        (genes,) float64, each window's share of N (0 for no window).
    """
    shares = [
        (np.asarray(codes[first : first + block]) >= BASES).mean(axis=1)
        for first in range(0, len(codes), block)
    ]
    return np.concatenate(shares) if shares else np.zeros(0)


def report_unknown(shares: np.ndarray) -> None:
    """Log how much of the windows is N, from `unknown_shares`: a warning when some window
    is at least N_SHARE_WARNED N, since its site counts then cover fewer bases and tell a
    model its length.

    Parameters
    ----------
    shares
        (genes,) each window's share of N (`unknown_shares`).

    Returns
    -------
    None
    """
    padded = shares > 0
    if not padded.any():
        log.info("no window holds N")
        return
    message = (
        f"{int(padded.sum()):,} of {len(shares):,} windows hold N (padding to the longest "
        f"sequence, or unknown bases): {np.median(shares[padded]):.0%} of such a window at "
        f"the median, {shares.max():.0%} at most; no site is called on N"
    )
    if shares.max() < N_SHARE_WARNED:
        log.info(message)
        return
    log.warning(
        "%s, so such a window has fewer places for a site, and its site counts (JASPAR's "
        "and the learned filters') tell a model how much of it is real sequence. "
        "windows.tsv lists each window's padding, and rule sequence_table warns when a "
        "table's lengths track its label. Fix: give sequences of one length (trim them, or "
        "extend the short ones with their real flanks)",
        message,
    )


def scan_sites(
    codes: np.ndarray,
    gene_ids: Sequence[str],
    motifs: Sequence[Motif],
    *,
    p_value: float,
    block: int = 2000,
) -> pd.DataFrame:
    """FIMO sites (p < `p_value`, both strands) of every motif in every window, none on N.

    A site that covers any N (the padding of sequences shorter than the longest, or an
    unknown base) is dropped: N is an all-zero one-hot column that FIMO scores 0, which
    is enough for many motifs to pass on a run of N (FIMO called 45% of an E. coli
    library's sites in its padding).

    Parameters
    ----------
    codes
        (genes, length) uint8 base codes (A, C, G, T = 0…3, N = 4); may be memory-mapped.
    gene_ids
        (genes,) the genes of the rows of `codes`.
    motifs
        The motifs scanned for.
    p_value
        FIMO's p threshold: a site has p below it.
    block
        Windows scanned at a time.

    Returns
    -------
    pd.DataFrame
        One row per site, columns SITE_COLUMNS (gene_id, motif_id, start, end, strand,
        score, p_value), `start`/`end` 0-based inclusive positions in the window.
    """
    from memelite import fimo

    pwms = {motif.motif_id: motif.pwm.T for motif in motifs}
    parts = []
    dropped = 0
    for first in range(0, len(codes), block):
        chunk = np.asarray(codes[first : first + block])
        x = onehot_codes(chunk).astype(np.float32)
        unknown = np.zeros((len(chunk), chunk.shape[1] + 1), dtype=np.int64)
        np.cumsum(chunk >= BASES, axis=1, out=unknown[:, 1:])
        for hits in fimo(pwms, x, threshold=p_value):
            rows = hits.sequence_name.to_numpy(dtype=int)
            covered = unknown[rows, hits.end.to_numpy(dtype=int)]
            on_bases = covered == unknown[rows, hits.start.to_numpy(dtype=int)]
            dropped += int((~on_bases).sum())
            if on_bases.any():
                kept = hits[on_bases]
                parts.append(kept.assign(sequence_name=kept.sequence_name + first))
    if dropped:
        log.info("%d FIMO sites dropped: they cover N (padding or unknown bases)", dropped)
    if not parts:
        return pd.DataFrame(columns=SITE_COLUMNS)
    sites = pd.concat(parts, ignore_index=True)
    ids = np.asarray(gene_ids)
    return pd.DataFrame(
        {
            "gene_id": ids[sites.sequence_name.to_numpy(dtype=int)],
            "motif_id": sites.motif_name.to_numpy(),
            "start": sites.start.to_numpy(dtype=int),
            "end": sites.end.to_numpy(dtype=int) - 1,
            "strand": sites.strand.to_numpy(),
            "score": sites.score.to_numpy(dtype=float),
            "p_value": sites["p-value"].to_numpy(dtype=float),
        }
    )


def cooccurrence(
    sites: pd.DataFrame,
    gene_ids: Sequence[str],
    similar: pd.DataFrame,
    *,
    fdr: float,
) -> pd.DataFrame:
    """Which pairs of motifs share genes more than chance: per unordered pair of motifs found
    in at least one gene each, less the pairs in `similar`, a one-sided Fisher test (the
    hypergeometric tail: more genes with both than chance), BH q over the pairs tested.

    Parameters
    ----------
    sites
        One row per site (SITE_COLUMNS; gene_id and motif_id read).
    gene_ids
        (genes,) the genes scanned, sites or not.
    similar
        motif_a, motif_b: motifs alike enough to call the same sites (`similar_motifs`),
        which would co-occur trivially; left out.
    fdr
        The q below which a pair is `significant`.

    Returns
    -------
    pd.DataFrame
        One row per pair, sorted by p: motif_a, motif_b, genes_a, genes_b, genes_both,
        expected (by chance), odds_ratio, p_value, q_value, significant.
    """
    genes = pd.Index(gene_ids)
    motif_ids = np.array(sorted(sites.motif_id.unique()))
    rows = genes.get_indexer(sites.gene_id)
    columns = np.searchsorted(motif_ids, sites.motif_id)
    present = np.zeros((len(genes), len(motif_ids)), dtype=np.float32)
    present[rows, columns] = 1
    both = present.T @ present
    counts = np.diag(both).copy()
    a, b = np.triu_indices(len(motif_ids), k=1)
    n, n_a, n_b, n_ab = len(genes), counts[a], counts[b], both[a, b]
    p = hypergeom.sf(n_ab - 1, n, n_a, n_b)
    odds = (n_ab * (n - n_a - n_b + n_ab) + 0.5) / ((n_a - n_ab) * (n_b - n_ab) + 0.5)
    table = pd.DataFrame(
        {
            "motif_a": motif_ids[a],
            "motif_b": motif_ids[b],
            "genes_a": n_a.astype(int),
            "genes_b": n_b.astype(int),
            "genes_both": n_ab.astype(int),
            "expected": n_a * n_b / n,
            "odds_ratio": odds,
            "p_value": p,
        }
    )
    alike = set(zip(similar.motif_a, similar.motif_b, strict=True))
    alike |= {(b, a) for a, b in alike}
    keep = [pair not in alike for pair in zip(table.motif_a, table.motif_b, strict=True)]
    table = table[np.asarray(keep, dtype=bool)].reset_index(drop=True)
    table["q_value"] = multipletests(table.p_value, method="fdr_bh")[1] if len(table) else []
    table["significant"] = table.q_value < fdr
    return table.sort_values("p_value", kind="stable").reset_index(drop=True)


def communities(pairs: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Leiden communities (modularity, igraph) of the network whose edges are the significant
    pairs, weighted by log odds ratio.

    Parameters
    ----------
    pairs
        `cooccurrence`'s table (motif_a, motif_b, odds_ratio, significant).
    seed
        Seeds Leiden (through Python's random module).

    Returns
    -------
    pd.DataFrame
        One row per motif with a significant pair: motif_id, community (0 the largest),
        degree; motifs without one are left out.
    """
    import igraph

    edges = pairs[pairs.significant]
    if edges.empty:
        return pd.DataFrame(columns=["motif_id", "community", "degree"])
    names = sorted(set(edges.motif_a) | set(edges.motif_b))
    index = {name: i for i, name in enumerate(names)}
    pairs_ab = zip(edges.motif_a, edges.motif_b, strict=True)
    graph = igraph.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in pairs_ab])
    weights = np.log(np.maximum(edges.odds_ratio.to_numpy(), 1.0 + 1e-9))
    random.seed(seed)  # igraph's Leiden draws from Python's random module
    partition = graph.community_leiden(objective_function="modularity", weights=weights)
    membership = np.asarray(partition.membership)
    order = {c: rank for rank, c in enumerate(pd.Series(membership).value_counts().index)}
    return pd.DataFrame(
        {
            "motif_id": names,
            "community": [order[c] for c in membership],
            "degree": graph.degree(),
        }
    ).sort_values(["community", "degree"], ascending=[True, False], ignore_index=True)


def similar_motifs(motifs: Sequence[Motif], p_value: float) -> pd.DataFrame:
    """Pairs of motifs that TOMTOM (memelite) matches at p < `p_value`: motifs that call the
    same sites.

    Parameters
    ----------
    motifs
        The motifs.
    p_value
        The TOMTOM p below which two motifs are alike.

    Returns
    -------
    pd.DataFrame
        One row per pair (motif_a < motif_b): motif_a, motif_b and p_value (the
        smaller TOMTOM p of the two directions).
    """
    from memelite import tomtom

    columns = [np.ascontiguousarray(m.pwm.T, dtype=np.float64) for m in motifs]
    p = tomtom(columns, columns)[0]
    a, b = np.nonzero(np.triu(np.minimum(p, p.T) < p_value, k=1))
    ids = [m.motif_id for m in motifs]
    ordered = [sorted((ids[i], ids[j])) for i, j in zip(a, b, strict=True)]
    return pd.DataFrame(ordered or None, columns=["motif_a", "motif_b"]).assign(
        p_value=np.minimum(p, p.T)[a, b]
    )


def preferred_spacings(
    sites: pd.DataFrame,
    gene_ids: Sequence[str],
    pairs: pd.DataFrame,
    *,
    length: int,
    settings: dict[str, Any],
) -> pd.DataFrame:
    """For the `max_pairs` most significant co-occurring pairs, in both orders A → B: the
    range of `range_width` bases (starting every 5 bases up to `max_spacing`) that holds
    the most site pairs beyond chance. Chance: A's sites of one gene against B's sites of
    another (the positions of each motif's sites across all `length`-base windows kept,
    the pairing broken), (A ⋆ B)(d) / genes.

    Parameters
    ----------
    sites
        One row per site (SITE_COLUMNS; gene_id, motif_id, start and end read).
    gene_ids
        (genes,) the genes scanned, sites or not.
    pairs
        `cooccurrence`'s table, sorted by p (motif_a, motif_b, significant).
    length
        The windows' length in bases.
    settings
        The config section ctxreg.grammar: range_width, max_spacing, max_pairs.

    Returns
    -------
    pd.DataFrame
        One row per ordered pair, sorted by p: motif_a, motif_b, genes_both (genes with
        both), range_start, range_end (the best range), pairs_in_range (the site pairs in
        it), expected_in_range, p_value (Poisson, of at least that many, times the number
        of ranges tried) and q_value (BH over the ordered pairs); empty, without columns,
        when no pair is significant.
    """
    width, limit = settings["range_width"], settings["max_spacing"]
    starts = np.arange(0, max(limit - width, 0) + 1, 5)
    genes = pd.Index(gene_ids)
    coded = sites.assign(gene=genes.get_indexer(sites.gene_id))
    by_motif = {m: rows[["gene", "start", "end"]] for m, rows in coded.groupby("motif_id")}
    rows = []
    top = pairs[pairs.significant].head(settings["max_pairs"])
    for a_id, b_id in zip(top.motif_a, top.motif_b, strict=True):
        merged = by_motif[a_id].merge(by_motif[b_id], on="gene", suffixes=("_a", "_b"))
        for first, second, spacing in (
            (a_id, b_id, merged.start_b.to_numpy() - merged.end_a.to_numpy() - 1),
            (b_id, a_id, merged.start_a.to_numpy() - merged.end_b.to_numpy() - 1),
        ):
            inside = (spacing >= 0) & (spacing < limit)
            observed = np.bincount(spacing[inside], minlength=limit)[:limit]
            ends = np.bincount(by_motif[first].end, minlength=length)[:length]
            begins = np.bincount(by_motif[second].start, minlength=length)[:length]
            null = np.array([(ends[: max(length - d - 1, 0)] * begins[d + 1 :]).sum()
                             for d in range(limit)]) / len(genes)  # fmt: skip
            counts = np.array([observed[lo : lo + width].sum() for lo in starts])
            expected = np.array([null[lo : lo + width].sum() for lo in starts]) + 1e-9
            p = poisson.sf(counts - 1, expected)
            best = int(np.argmin(p))
            rows.append(
                {
                    "motif_a": first,
                    "motif_b": second,
                    "genes_both": int(merged.gene.nunique()),
                    "range_start": int(starts[best]),
                    "range_end": int(starts[best] + width),
                    "pairs_in_range": int(counts[best]),
                    "expected_in_range": float(expected[best]),
                    "p_value": float(min(1.0, p[best] * len(starts))),
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["q_value"] = multipletests(table.p_value, method="fdr_bh")[1]
    return table.sort_values("p_value", kind="stable").reset_index(drop=True)
