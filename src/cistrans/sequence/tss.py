"""Genes and their transcription start sites (TSSs) from a GTF table, optionally from a BED.

One transcript per gene is chosen (`canonical_transcripts`); its first transcribed base is the
gene's TSS. A TSS BED (e.g. CAGE-corrected TSSs, as Xpresso used from FANTOM5) can override
the TSS of the genes it names (`apply_tss_bed`).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import SHOWN, InputError, few
from cistrans.io.files import open_text_read
from cistrans.io.gtf import strip_version
from cistrans.io.tables import require_columns

# GTF records the gene table and the mRNA features read (`read_gtf(..., features=...)`).
GTF_FEATURES = ("transcript", "exon", "CDS", "stop_codon")
# Which rule picked a gene's transcript, in order of priority.
CHOICES = ("Ensembl_canonical", "MANE_Select", "longest_cds", "longest_transcript")
_GTF_COLUMNS = (
    "seqname", "feature", "start", "end", "strand", "gene_id", "gene_type", "gene_name",
    "transcript_id", "tags",
)  # fmt: skip
_GTF_FIX = "give a GENCODE GTF (gene_type, gene_name and transcript_id attributes on each line)"
_BED_FIX = (
    "give a 6-column BED: chrom, start (0-based), end, name (gene ID or symbol), score, "
    "strand (+ or -)"
)


def canonical_transcripts(
    gtf: pd.DataFrame, gene_types: Collection[str] | None, source: str | Path = "GTF"
) -> pd.DataFrame:
    """One transcript per gene, and the gene's TSS from it.

    gtf: a `cistrans.io.gtf.read_gtf` table (at least its transcript, exon and CDS records;
        without transcript records, transcripts are taken as the span of their exons).
    gene_types: keep genes of these `gene_type`s (all when None).
    source: the GTF's path, named in error messages.
    The transcript tagged `Ensembl_canonical` wins, else `MANE_Select`, else the longest CDS
    (summed CDS record lengths), else the longest spliced transcript (summed exons); ties go
    to the smallest transcript_id.
    Returns one row per gene, in order of first appearance in `gtf`: gene_id and
    transcript_id (versions stripped), symbol (gene_name), gene_type, chrom, strand, tss
    (1-based position of the first transcribed base: transcript start on +, end on -),
    choice (the entry of `CHOICES` that picked the transcript).
    """
    require_columns(source, gtf, _GTF_COLUMNS, _GTF_FIX)
    transcripts = _transcript_table(gtf, source)
    if gene_types is not None:
        transcripts = _of_gene_types(transcripts, gene_types, source)
    transcripts = transcripts.assign(
        _canonical=transcripts["tags"].map(lambda tags: "Ensembl_canonical" in tags),
        _mane=transcripts["tags"].map(lambda tags: "MANE_Select" in tags),
    )
    ranked = transcripts.sort_values(
        ["_canonical", "_mane", "cds_length", "exon_length", "transcript_id"],
        ascending=[False, False, False, False, True],
        kind="stable",
    )
    chosen = ranked.drop_duplicates("gene_id").sort_values("_order", kind="stable")
    chosen = chosen.reset_index(drop=True)
    _check_strands(chosen, source)
    tss = np.where(chosen["strand"] == "+", chosen["start"], chosen["end"])
    return pd.DataFrame(
        {
            "gene_id": chosen["gene_id"],
            "symbol": chosen["gene_name"],
            "gene_type": chosen["gene_type"],
            "chrom": chosen["seqname"],
            "strand": chosen["strand"],
            "tss": tss.astype(np.int64),
            "transcript_id": chosen["transcript_id"],
            "choice": _choice(chosen),
        }
    )


def _transcript_table(gtf: pd.DataFrame, source: str | Path) -> pd.DataFrame:
    """One row per transcript: the GTF columns (IDs without versions), cds_length and
    exon_length (summed record lengths), _order (row of its gene's first record)."""
    records = gtf.reset_index(drop=True)
    records = records[records["transcript_id"] != ""].assign(
        gene_id=lambda table: table["gene_id"].map(strip_version),
        transcript_id=lambda table: table["transcript_id"].map(strip_version),
        length=lambda table: table["end"] - table["start"] + 1,
    )
    exons = records[records["feature"] == "exon"]
    if (records["feature"] == "transcript").any():
        transcripts = records[records["feature"] == "transcript"]
    elif len(exons):
        spans = exons.groupby("transcript_id").agg(start=("start", "min"), end=("end", "max"))
        transcripts = exons.drop(columns=["start", "end"]).join(spans, on="transcript_id")
    else:
        raise InputError(source, "no transcript or exon records", _GTF_FIX)
    transcripts = transcripts.drop_duplicates("transcript_id")
    lengths = {
        feature: records[records["feature"] == feature].groupby("transcript_id")["length"].sum()
        for feature in ("CDS", "exon")
    }
    return transcripts.assign(
        cds_length=transcripts["transcript_id"].map(lengths["CDS"]).fillna(0).astype(int),
        exon_length=transcripts["transcript_id"].map(lengths["exon"]).fillna(0).astype(int),
        _order=transcripts.index.to_series().groupby(transcripts["gene_id"]).transform("min"),
    )


def _of_gene_types(
    transcripts: pd.DataFrame, gene_types: Collection[str], source: str | Path
) -> pd.DataFrame:
    """The transcripts of genes of `gene_types`; InputError when none is left."""
    kept = transcripts[transcripts["gene_type"].isin(set(gene_types))]
    if len(kept) == 0:
        present = sorted(set(transcripts["gene_type"]) - {""})
        problem = (
            "no record has a gene_type attribute (Ensembl GTFs call it gene_biotype)"
            if not present
            else f"no gene has gene_type {', '.join(sorted(gene_types))}; "
            f"present: {', '.join(present[:10])}"
        )
        raise InputError(
            source, problem, "give a GENCODE GTF, or list present gene types in the config"
        )
    return kept


def _check_strands(chosen: pd.DataFrame, source: str | Path) -> None:
    """InputError when a chosen transcript has no strand (its TSS would be undefined)."""
    unstranded = chosen.loc[~chosen["strand"].isin(["+", "-"]), "transcript_id"]
    if len(unstranded):
        raise InputError(
            source,
            f"transcript(s) without a + or - strand: {', '.join(unstranded[:SHOWN])}",
            "give each transcript a strand (column 7)",
        )


def _choice(chosen: pd.DataFrame) -> list[str]:
    """Which of `CHOICES` picked each chosen transcript."""
    return [
        CHOICES[0] if canonical else CHOICES[1] if mane else CHOICES[2] if cds else CHOICES[3]
        for canonical, mane, cds in zip(
            chosen["_canonical"], chosen["_mane"], chosen["cds_length"] > 0, strict=True
        )
    ]


def read_tss_bed(path: str | Path) -> pd.DataFrame:
    """A TSS BED as a table: line, chrom, tss, strand, name (in file order).

    path: plain or gzipped BED with 6+ tab-separated columns (chrom, start, end, name, score,
    strand); `track`, `browser`, `#` and blank lines are skipped. tss is the 1-based first
    base of the interval in its orientation: start + 1 on +, end on -.
    """
    rows = []
    with open_text_read(path) as handle:
        for number, line in enumerate(handle, start=1):
            text = line.rstrip("\r\n")
            if not text.strip() or text.startswith(("#", "track", "browser")):
                continue
            rows.append((number, *_parse_bed_line(path, number, text.split("\t"))))
    if not rows:
        raise InputError(path, "no BED lines", _BED_FIX)
    return pd.DataFrame(rows, columns=["line", "chrom", "tss", "strand", "name"])


def _parse_bed_line(path: str | Path, number: int, fields: list[str]) -> tuple[str, int, str, str]:
    """(chrom, tss, strand, name) of one BED line; InputError naming the line when bad."""
    where = f"line {number}"
    if len(fields) < 6:
        raise InputError(
            path, f"{len(fields)} tab-separated fields, not 6 or more", _BED_FIX, where
        )
    chrom, start, end, name, _score, strand = (field.strip() for field in fields[:6])
    if not (start.isdigit() and end.isdigit()) or int(start) >= int(end):
        raise InputError(
            path,
            f"start {start!r} and end {end!r} are not integers with start < end",
            _BED_FIX,
            where,
        )
    if strand not in ("+", "-"):
        raise InputError(path, f"strand {strand!r} is not + or -", _BED_FIX, where)
    if not chrom or not name:
        raise InputError(path, "empty chrom or name", _BED_FIX, where)
    return chrom, int(start) + 1 if strand == "+" else int(end), strand, name


def apply_tss_bed(path: str | Path, genes: pd.DataFrame) -> pd.DataFrame:
    """`genes` with chrom, tss and strand replaced from the TSS BED at `path`.

    genes: a `canonical_transcripts` table (gene_id, symbol, chrom, strand, tss, ...).
    A BED name is a gene ID (version optional) or, failing that, a symbol; genes the BED does
    not name keep their GTF TSS. A name matching no gene or several genes, or two lines naming
    one gene, is an InputError listing names and line numbers.
    Returns a new table (same rows and order) with a `tss_source` column: "bed" or "gtf".
    """
    require_columns("genes", genes, ("gene_id", "symbol", "chrom", "strand", "tss"))
    bed = read_tss_bed(path)
    rows = _bed_rows_of_genes(path, bed, genes)
    updated = genes.reset_index(drop=True).copy()
    updated["tss_source"] = "gtf"
    for column in ("chrom", "tss", "strand"):
        updated.loc[rows.index, column] = bed.loc[rows.to_numpy(), column].to_numpy()
    updated.loc[rows.index, "tss_source"] = "bed"
    return updated.astype({"tss": np.int64})


def _bed_rows_of_genes(path: str | Path, bed: pd.DataFrame, genes: pd.DataFrame) -> pd.Series:
    """For each gene the BED names: its row position in `genes` → its row in `bed`."""
    by_id = {strip_version(gene_id): i for i, gene_id in enumerate(genes["gene_id"])}
    by_symbol: dict[str, list[int]] = {}
    for i, symbol in enumerate(genes["symbol"]):
        by_symbol.setdefault(symbol, []).append(i)
    positions = [
        [by_id[strip_version(name)]] if strip_version(name) in by_id else by_symbol.get(name, [])
        for name in bed["name"]
    ]
    counts = pd.Series([len(matches) for matches in positions], index=bed.index)
    _raise_for_lines(
        path, bed[counts > 1], "name(s) shared by several genes' symbols",
        "name these genes by gene ID",
    )  # fmt: skip
    _raise_for_lines(
        path, bed[counts == 0], "name(s) matching no gene ID or symbol of the annotation",
        "remove these lines, or name genes (of the selected gene types) by gene ID or symbol",
    )  # fmt: skip
    position = pd.Series([matches[0] for matches in positions], index=bed.index)
    _raise_for_lines(
        path, bed[position.duplicated(keep=False)], "lines naming the same gene",
        "keep one TSS per gene",
    )  # fmt: skip
    return pd.Series(bed.index, index=position.to_numpy())


def _raise_for_lines(path: str | Path, lines: pd.DataFrame, problem: str, fix: str) -> None:
    """InputError listing a few names of `lines` and their line numbers, when there are any."""
    if len(lines) == 0:
        return
    named = [f"{row.name} (line {row.line})" for row in lines.itertuples()]
    raise InputError(path, f"{len(lines)} {problem}: {few(named)}", fix)


def gene_table(
    gtf: pd.DataFrame,
    gene_types: Collection[str],
    tss_bed: str | Path | None = None,
    source: str | Path = "GTF",
) -> pd.DataFrame:
    """One canonical transcript and TSS per gene of `gene_types` (all when empty), the TSSs
    of the genes a BED names taken from `tss_bed` when given.

    The BED is matched against every gene, so a genome-wide BED (e.g. CAGE TSSs of all genes)
    works with the protein-coding default. Returns the `canonical_transcripts` table.
    """
    table = canonical_transcripts(gtf, gene_types or None, source=source)
    if tss_bed is None:
        return table
    every = apply_tss_bed(tss_bed, canonical_transcripts(gtf, None, source=source))
    return every[every.gene_id.isin(table.gene_id)].reset_index(drop=True)
