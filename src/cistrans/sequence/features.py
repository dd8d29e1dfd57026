"""The 8 Xpresso mRNA features of each gene's chosen transcript, from its GTF records and the
genome FASTA: 5'UTR, CDS, intron and 3'UTR lengths, 5'UTR/CDS/3'UTR GC and exon junction
density; and their transformation (log10 lengths, z-scores from training genes).

The CDS includes the stop codon (GENCODE's `CDS` records exclude it; its `stop_codon` records
add it back); the UTRs are the exon parts before and after it in transcript orientation, so
GENCODE's generic `UTR` records are not needed. A non-coding transcript is all 5'UTR.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyfaidx
from tqdm import tqdm

from cistrans.dna import gc_fraction, reverse_complement
from cistrans.errors import InputError, few
from cistrans.io.fasta import open_genome
from cistrans.io.gtf import strip_version
from cistrans.io.tables import require_columns
from cistrans.sequence.labels import zscore
from cistrans.sequence.windows import check_chromosomes

MRNA_FEATURES = (
    "utr5_length", "cds_length", "intron_length", "utr3_length",
    "utr5_gc", "cds_gc", "utr3_gc", "exon_junction_density",
)  # fmt: skip
LENGTH_FEATURES = ("utr5_length", "cds_length", "intron_length", "utr3_length")
LENGTH_PSEUDOCOUNT = 0.1  # lengths become log10(length + 0.1)
_CODING = ("CDS", "stop_codon")
_GTF_COLUMNS = ("seqname", "feature", "start", "end", "strand", "transcript_id")


def mrna_features(
    gtf: pd.DataFrame,
    genome_path: str | Path,
    transcripts: pd.DataFrame,
    progress: bool = True,
    source: str | Path = "GTF",
) -> pd.DataFrame:
    """Raw mRNA features of each gene's transcript.

    gtf: a `read_gtf` table holding at least the exon, CDS and stop_codon records of the
        transcripts. genome_path: the genome FASTA. transcripts: gene_id and transcript_id
        (versions optional), e.g. `canonical_transcripts`. progress: a tqdm bar on stderr.
        source: the GTF path for messages.
    Returns a table indexed by gene_id (transcripts' order) with MRNA_FEATURES: lengths in
    bases, GC fractions of A/C/G/T bases (0 when empty), exon_junction_density = exon
    junctions strictly inside the CDS per kb of CDS (0 without a CDS).
    """
    require_columns(source, gtf, _GTF_COLUMNS)
    require_columns("transcripts", transcripts, ("gene_id", "transcript_id"))
    wanted = transcripts["transcript_id"].map(strip_version)
    records = _transcript_records(gtf, wanted, source)
    rows = []
    with open_genome(genome_path) as genome:
        lengths = {name: len(record) for name, record in genome.records.items()}
        check_chromosomes(records.rename(columns={"seqname": "chrom"}), lengths, genome_path)
        groups = records.groupby("transcript_id", sort=False)
        for transcript_id in tqdm(
            wanted, desc="mRNA features", disable=not progress, mininterval=5
        ):
            group = groups.get_group(transcript_id)
            rows.append(_features(genome, group, lengths, genome_path, source))
    index = pd.Index(transcripts["gene_id"].map(strip_version), name="gene_id")
    return pd.DataFrame(rows, index=index, columns=list(MRNA_FEATURES))


def _transcript_records(gtf: pd.DataFrame, wanted: pd.Series, source: str | Path) -> pd.DataFrame:
    """The exon and coding records of the `wanted` transcripts (IDs without versions)."""
    records = gtf[gtf["feature"].isin(("exon", *_CODING))]
    records = records.assign(transcript_id=records["transcript_id"].map(strip_version))
    records = records[records["transcript_id"].isin(set(wanted))]
    without = sorted(set(wanted) - set(records.loc[records["feature"] == "exon", "transcript_id"]))
    if without:
        raise InputError(
            source,
            f"{len(without)} chosen transcript(s) have no exon records: {few(without)}",
            "give the full GTF (with exon records), the one the genes were chosen from",
        )
    return records


def _features(
    genome: pyfaidx.Fasta,
    records: pd.DataFrame,
    lengths: dict[str, int],
    genome_path: str | Path,
    source: str | Path,
) -> dict[str, float]:
    """MRNA_FEATURES of one transcript from its exon and coding records."""
    strand = records["strand"].iloc[0]
    chrom = records["seqname"].iloc[0]
    exons = records[records["feature"] == "exon"].sort_values("start")
    starts, ends = exons["start"].to_numpy(), exons["end"].to_numpy()
    if ends.max() > lengths[chrom]:
        raise InputError(
            genome_path,
            f"an exon of {records['transcript_id'].iloc[0]} ends at {ends.max():,}, past the end "
            f"of {chrom} ({lengths[chrom]:,} bp)",
            "use the FASTA of the assembly the annotation belongs to",
        )
    parts = [genome[chrom][start - 1 : end].seq for start, end in zip(starts, ends, strict=True)]
    mrna = "".join(parts).upper()
    exon_lengths = ends - starts + 1
    if strand == "-":
        mrna, exon_lengths = reverse_complement(mrna), exon_lengths[::-1]
    coding = records[records["feature"].isin(_CODING)]
    cds = None
    if not coding.empty:
        low, high = coding["start"].min(), coding["end"].max()
        if not (_in_exon(starts, ends, low) and _in_exon(starts, ends, high)):
            raise InputError(
                source,
                f"the CDS of {records['transcript_id'].iloc[0]} ({low:,}-{high:,}) starts or "
                "ends outside its exons",
                "repair the GTF: CDS and stop_codon records lie inside their transcript's exons",
            )
        cds = _coding_span(starts, ends, strand, low, high)
    return region_features(
        mrna, exon_lengths.tolist(), cds, int(np.sum(starts[1:] - ends[:-1] - 1))
    )


def _coding_span(
    starts: np.ndarray, ends: np.ndarray, strand: str, low: int, high: int
) -> tuple[int, int]:
    """The mRNA interval [start, end) of the genomic coding span [low, high] (1-based)."""
    first, last = (low, high) if strand == "+" else (high, low)
    begin = _mrna_position(starts, ends, strand, first)
    return begin, _mrna_position(starts, ends, strand, last) + 1


def _in_exon(starts: np.ndarray, ends: np.ndarray, position: int) -> bool:
    """Whether a genomic position lies inside one of the exons."""
    return bool(np.any((starts <= position) & (position <= ends)))


def _mrna_position(starts: np.ndarray, ends: np.ndarray, strand: str, position: int) -> int:
    """0-based mRNA offset of a genomic position (1-based) inside the exons (sorted by start)."""
    lengths = ends - starts + 1
    k = int(np.flatnonzero((starts <= position) & (position <= ends))[0])
    if strand == "+":
        return int(lengths[:k].sum() + position - starts[k])
    return int(lengths[k + 1 :].sum() + ends[k] - position)


def region_features(
    mrna: str, exon_lengths: Sequence[int], cds: tuple[int, int] | None, intron_length: int
) -> dict[str, float]:
    """MRNA_FEATURES from a spliced mRNA (5'→3'), its exon lengths in that order, the CDS as
    an mRNA interval [start, end) (None when non-coding) and the summed intron length."""
    start, end = cds if cds is not None else (len(mrna), len(mrna))
    utr5, coding, utr3 = mrna[:start], mrna[start:end], mrna[end:]
    boundaries = np.cumsum(exon_lengths)[:-1]
    junctions = int(np.sum((boundaries > start) & (boundaries < end)))
    return {
        "utr5_length": len(utr5),
        "cds_length": len(coding),
        "intron_length": intron_length,
        "utr3_length": len(utr3),
        "utr5_gc": gc_fraction(utr5),
        "cds_gc": gc_fraction(coding),
        "utr3_gc": gc_fraction(utr3),
        "exon_junction_density": junctions / (len(coding) / 1000.0) if coding else 0.0,
    }


def log_lengths(raw: pd.DataFrame) -> pd.DataFrame:
    """`raw` with LENGTH_FEATURES as log10(length + 0.1); other columns unchanged (a copy)."""
    logged = raw.copy()
    for feature in LENGTH_FEATURES:
        if feature in logged:
            logged[feature] = np.log10(logged[feature].astype(float) + LENGTH_PSEUDOCOUNT)
    return logged


def feature_scaling(raw: pd.DataFrame, train: np.ndarray) -> pd.DataFrame:
    """The mean and SD of each feature (lengths log10-transformed) over the `train` rows.

    raw: genes × MRNA_FEATURES, as from `mrna_features`. train: boolean mask of len(raw), or
    integer row positions. Returns a table indexed by feature with columns log10 (whether the
    feature is log10(x + 0.1)-transformed first), mean, sd (population SD; 1 where it is 0).
    """
    require_columns("raw", raw, MRNA_FEATURES)
    logged = log_lengths(raw[list(MRNA_FEATURES)]).astype(float)
    _, statistics = zscore(logged, _train_mask(raw, train))
    return pd.DataFrame(
        {
            "log10": [feature in LENGTH_FEATURES for feature in MRNA_FEATURES],
            "mean": statistics.loc["mean"],
            "sd": statistics.loc["sd"],
        },
        index=pd.Index(MRNA_FEATURES, name="feature"),
    )


def _train_mask(raw: pd.DataFrame, train: np.ndarray) -> np.ndarray:
    """A boolean mask of `raw`'s rows from a mask or integer positions; ValueError when empty."""
    train = np.asarray(train)
    if train.dtype == bool:
        if train.shape != (len(raw),):
            raise ValueError(f"train mask has shape {train.shape}, not ({len(raw)},)")
        mask = train
    else:
        mask = np.zeros(len(raw), dtype=bool)
        mask[train.astype(int)] = True
    if not mask.any():
        raise ValueError("no training rows to scale the mRNA features with")
    return mask


def apply_scaling(raw: pd.DataFrame, scaling: pd.DataFrame) -> pd.DataFrame:
    """Transformed features: log10 lengths, then (value - mean) / sd from `scaling`.

    raw: genes × MRNA_FEATURES; scaling: from `feature_scaling` (or read back from its TSV).
    Returns a new table with the same index and columns (MRNA_FEATURES), float.
    """
    logged = log_lengths(raw[list(MRNA_FEATURES)]).astype(float)
    features = list(MRNA_FEATURES)
    return (logged - scaling.loc[features, "mean"]) / scaling.loc[features, "sd"]


def transform_features(raw: pd.DataFrame, train: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(transformed features, scaling): `apply_scaling` with `feature_scaling` of `train`.

    Write the scaling table beside the features so new genes can be transformed alike.
    """
    scaling = feature_scaling(raw, train)
    return apply_scaling(raw, scaling), scaling
