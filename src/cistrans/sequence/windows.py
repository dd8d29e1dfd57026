"""Strand-aware promoter windows around TSSs, cut from a genome FASTA through pyfaidx.

A window of `upstream` + `downstream` bases covers [tss - upstream, tss + downstream) in gene
orientation: its base `upstream` is the TSS, base 0 the farthest upstream. On the - strand the
genomic slice is reverse-complemented. Bases past a chromosome end are `N` (counted as
`padded`); letters other than A, C, G, T become `N` (counted as `non_acgt`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyfaidx
from tqdm import tqdm

from cistrans.dna import reverse_complement
from cistrans.errors import InputError, few
from cistrans.io.fasta import open_genome, read_fasta_records
from cistrans.io.files import open_text_write
from cistrans.io.tables import require_columns

UPSTREAM = 7_000
DOWNSTREAM = 3_500
GENE_COLUMNS = ("gene_id", "symbol", "chrom", "tss", "strand")
WINDOW_COLUMNS = (*GENE_COLUMNS, "padded", "non_acgt")
_NON_ACGT = re.compile(r"[^ACGT]")
_WINDOWS_FIX = "rerun the rule that writes the windows (the file is damaged)"

WINDOWS_COMPRESSLEVEL = 1  # gzip level of the windows FASTA (see write_windows)


def check_chromosomes(
    genes: pd.DataFrame, lengths: Mapping[str, int], genome_path: str | Path
) -> None:
    """InputError unless every chromosome of `genes` is a sequence of the genome FASTA.

    genes: a table with a `chrom` column. lengths: sequence name → length in the FASTA at
    `genome_path` (named in the message). The message lists a few missing and a few available
    names, and says so when adding or removing a `chr` prefix would match (GENCODE's `chr1`
    against Ensembl's `1`).
    """
    wanted = list(dict.fromkeys(genes["chrom"]))
    missing = [chrom for chrom in wanted if chrom not in lengths]
    if not missing:
        return
    available = list(lengths)
    renamed = [_toggle_chr(chrom) for chrom in missing]
    if all(name in lengths for name in renamed):
        fix = (
            "the annotation and the FASTA name chromosomes differently "
            f"({missing[0]!r} here is {renamed[0]!r} in the FASTA): use a GTF and a FASTA "
            "of the same provider (GENCODE GTF with GENCODE FASTA, Ensembl with Ensembl)"
        )
    else:
        fix = (
            "use the FASTA of the assembly the annotation belongs to, "
            "or drop genes on other sequences from the annotation"
        )
    raise InputError(
        genome_path,
        f"{len(missing)} chromosome(s) of the annotation's genes are not in the FASTA: "
        f"{few(missing)}; the FASTA has {len(available)}: {few(available)}",
        fix,
    )


def _toggle_chr(name: str) -> str:
    """`chr1` → `1` and `1` → `chr1` (`chrM` ↔ `MT` as well)."""
    if name in ("chrM", "MT"):
        return "MT" if name == "chrM" else "chrM"
    return name[3:] if name.startswith("chr") else f"chr{name}"


def check_window_fits(
    genes: pd.DataFrame,
    lengths: Mapping[str, int],
    upstream: int,
    downstream: int,
    genome_path: str | Path,
) -> None:
    """InputError when a TSS lies outside its chromosome or the window is longer than it.

    Padding makes windows past chromosome ends possible, but a window larger than the whole
    chromosome points at a wrong setting (or a scaffold-only FASTA); the message names the
    first such gene, its chromosome and both lengths.
    """
    size = upstream + downstream
    outside = genes[~genes["tss"].between(1, genes["chrom"].map(lengths))]
    if len(outside):
        first = outside.iloc[0]
        raise InputError(
            genome_path,
            f"gene {first.gene_id} ({first.symbol}) has its TSS at {first.tss:,}, outside "
            f"chromosome {first.chrom} (1-{lengths[first.chrom]:,}); {len(outside)} gene(s) "
            "are affected",
            "use the FASTA of the assembly the annotation (or TSS BED) belongs to",
        )
    short = genes[genes["chrom"].map(lengths) < size]
    if len(short):
        first = short.iloc[0]
        raise InputError(
            genome_path,
            f"the {size:,} bp window (upstream {upstream:,} + downstream {downstream:,}) is "
            f"longer than chromosome {first.chrom} ({lengths[first.chrom]:,} bp) of gene "
            f"{first.gene_id} ({first.symbol}); {len(short)} gene(s) are affected",
            "make the window smaller in the config, or drop genes on short sequences",
        )


def check_genes(genes: pd.DataFrame, upstream: int, downstream: int) -> None:
    """ValueError unless `genes` has GENE_COLUMNS, strands + or -, and the window is valid."""
    require_columns("genes", genes, GENE_COLUMNS)
    if upstream < 0 or downstream < 0 or upstream + downstream == 0:
        raise ValueError(f"upstream {upstream} and downstream {downstream} must be >= 0, sum > 0")
    bad = genes.loc[~genes["strand"].isin(["+", "-"]), "gene_id"].tolist()
    if bad:
        raise ValueError(f"genes without a + or - strand: {few(bad)}")


def extract_windows(
    genome_path: str | Path,
    genes: pd.DataFrame,
    upstream: int = UPSTREAM,
    downstream: int = DOWNSTREAM,
    progress: bool = True,
) -> tuple[list[str], pd.DataFrame]:
    """The promoter window of every gene, in gene order.

    genome_path: plain or bgzipped FASTA (indexed on first use).
    genes: one row per gene with gene_id, symbol, chrom, tss (1-based), strand (+/-), e.g.
        from `canonical_transcripts`.
    Returns (sequences, table): sequences are upper-case A/C/G/T/N strings of length
    upstream + downstream in gene orientation, TSS at index `upstream`; table has
    WINDOW_COLUMNS (gene_id, symbol, chrom, tss, strand, padded = bases past a chromosome
    end, non_acgt = other non-ACGT letters made N), one row per sequence.
    `progress` shows a tqdm bar on stderr.
    """
    check_genes(genes, upstream, downstream)
    sequences, padded, non_acgt = [], [], []
    with open_genome(genome_path) as genome:
        lengths = {name: len(record) for name, record in genome.records.items()}
        check_chromosomes(genes, lengths, genome_path)
        check_window_fits(genes, lengths, upstream, downstream, genome_path)
        rows = zip(genes["chrom"], genes["tss"], genes["strand"], strict=True)
        for chrom, tss, strand in tqdm(
            rows, total=len(genes), desc="windows", disable=not progress, mininterval=5
        ):
            sequence, n_padded, n_other = _window(
                genome, lengths[chrom], chrom, int(tss), strand, upstream, downstream
            )
            sequences.append(sequence)
            padded.append(n_padded)
            non_acgt.append(n_other)
    table = genes.loc[:, list(GENE_COLUMNS)].reset_index(drop=True)
    return sequences, table.assign(padded=padded, non_acgt=non_acgt)


def _window(
    genome: pyfaidx.Fasta,
    length: int,
    chrom: str,
    tss: int,
    strand: str,
    upstream: int,
    downstream: int,
) -> tuple[str, int, int]:
    """(window, padded, non_acgt) of one gene; see `extract_windows`."""
    if strand == "+":
        start, end = tss - 1 - upstream, tss - 1 + downstream  # 0-based, half-open
    else:
        start, end = tss - downstream, tss + upstream
    low, high = max(0, start), min(end, length)
    inside = genome[chrom][low:high].seq if low < high else ""
    inside, non_acgt = _NON_ACGT.subn("N", inside.upper())
    size = end - start
    left = min(max(0, -start), size)
    sequence = "N" * left + inside + "N" * (size - left - len(inside))
    if strand == "-":
        sequence = reverse_complement(sequence)
    return sequence, size - len(inside), non_acgt


def write_windows(path: str | Path, ids: Iterable[str], sequences: Iterable[str]) -> None:
    """Write windows as FASTA (gzip-compressed for a `.gz` name), one line per sequence,
    byte-reproducible (`open_text_write`).

    ids: one name per sequence (unique, no spaces). Level 1: DNA hardly compresses better at
    higher levels, and level 9 takes ~50x longer (18 s for the demo's 16.5 Mb of windows).
    """
    seen: set[str] = set()
    with open_text_write(path, compresslevel=WINDOWS_COMPRESSLEVEL) as handle:
        for name, sequence in zip(ids, sequences, strict=True):
            if not name or any(c.isspace() for c in name) or name in seen:
                raise ValueError(f"window name {name!r} is empty, has spaces or repeats")
            seen.add(name)
            handle.write(f">{name}\n{sequence}\n")


def read_windows(path: str | Path) -> dict[str, str]:
    """The windows of a (gzipped or plain) FASTA: name → sequence, in file order.

    The name is the header up to the first space; sequence lines may be wrapped.
    InputError, naming the line, for sequence before any header or a repeated name.
    """
    windows: dict[str, str] = {}
    for line, name, sequence in read_fasta_records(path, _WINDOWS_FIX):
        if name in windows:
            raise InputError(path, f"repeated window name {name!r}", _WINDOWS_FIX, f"line {line}")
        windows[name] = sequence
    return windows
