"""Each cis-input step from files to files: one function per Snakemake rule."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.gtf import read_gtf, strip_version
from cistrans.io.tables import read_delimited, write_tsv
from cistrans.plots import sequence as plots
from cistrans.sequence.custom import TableColumns, read_fasta_with_labels, read_sequence_table
from cistrans.sequence.embed import chunk_bounds, embed_windows, read_chunk, write_chunk
from cistrans.sequence.features import mrna_features, transform_features
from cistrans.sequence.labels import gene_labels, split_genes, zscore
from cistrans.sequence.language_model import load_language_model
from cistrans.sequence.tss import apply_tss_bed, canonical_transcripts
from cistrans.sequence.windows import extract_windows, read_windows, write_windows

log = logging.getLogger(__name__)

# GTF records that the gene table and the mRNA features read.
_GTF_FEATURES = ("transcript", "exon", "CDS", "stop_codon")


def _read_tsv(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", keep_default_na=False, dtype={"chrom": str})


def build_genes(gtf: str, genes: str, gene_types: list[str], tss_bed: str | None = None) -> None:
    """One canonical transcript and TSS per gene of `gene_types`, TSSs from a BED if given."""
    records = read_gtf(gtf, features=_GTF_FEATURES)
    table = canonical_transcripts(records, gene_types or None, source=gtf)
    if tss_bed is not None:  # matched against every gene: a genome-wide BED names them all
        every = apply_tss_bed(tss_bed, canonical_transcripts(records, None, source=gtf))
        table = every[every.gene_id.isin(table.gene_id)].reset_index(drop=True)
    log.info(
        "%d genes; transcripts chosen by: %s",
        len(table),
        table.choice.value_counts().to_dict(),
    )
    write_tsv(table, genes)


def build_windows(
    genome: str, genes: str, windows: str, table: str, upstream: int, downstream: int
) -> None:
    """The promoter windows (gzipped FASTA) and their gene table."""
    sequences, window_table = extract_windows(genome, _read_tsv(genes), upstream, downstream)
    write_windows(windows, window_table.gene_id, sequences)
    write_tsv(window_table, table)
    log.info(
        "%d windows of %d bp; %d padded with N past a chromosome end, %d bases non-ACGT",
        len(sequences),
        upstream + downstream,
        int((window_table.padded > 0).sum()),
        int(window_table.non_acgt.sum()),
    )


def build_labels(
    table: str,
    labels: str,
    by_tissue: str,
    figure: str,
    labels_settings: dict,
    split: dict,
    compendium: str | None = None,
    label_table: str | None = None,
) -> None:
    """Labels (raw and z-scored with training statistics) and the gene split of each window."""
    genes = _read_tsv(table)
    if compendium is not None:
        raw, tissues = gene_labels(
            compendium,
            genes,
            labels_settings["median_over"],
            labels_settings["pseudocount"],
            labels_settings["log_base"],
        )
    else:
        raw, tissues = _user_labels(label_table, genes), pd.DataFrame({"gene_id": []})
    labelled = genes.merge(raw, on="gene_id")
    labelled["split"] = split_genes(labelled, **split)
    train = (labelled.split == "train").to_numpy()
    scaled, _ = zscore(labelled[["label_raw"]], train)
    labelled["label"] = scaled["label_raw"]
    write_tsv(labelled[["gene_id", "symbol", "chrom", "split", *raw.columns[1:], "label"]], labels)
    write_tsv(tissues, by_tissue)
    plots.labels(labelled, figure)
    log.info("labels of %d genes: %s", len(labelled), labelled.split.value_counts().to_dict())


def _user_labels(path: str | Path, genes: pd.DataFrame) -> pd.DataFrame:
    """gene_id (version stripped) and label_raw from the user's table (gene_id, label)."""
    rows: dict[str, float] = {}
    with read_delimited(path, delimiter=None, required=("gene_id", "label")) as table:
        at = {name: table.header.index(name) for name in ("gene_id", "label")}
        for line, fields in table:
            gene = strip_version(fields[at["gene_id"]].strip())
            value = pd.to_numeric(fields[at["label"]], errors="coerce")
            if not np.isfinite(value):
                raise InputError(
                    path, f"label {fields[at['label']]!r} is not a number", "give numeric labels",
                    f"line {line}",
                )  # fmt: skip
            if gene in rows:
                raise InputError(
                    path, f"gene {gene} repeats", "give each gene once", f"line {line}"
                )
            rows[gene] = float(value)
    labels = pd.DataFrame({"gene_id": list(rows), "label_raw": list(rows.values())})
    if not labels.gene_id.isin(genes.gene_id).any():
        raise InputError(
            path,
            f"no gene_id matches a gene of the annotation (e.g. {labels.gene_id.iloc[0]!r})"
            if len(labels)
            else "holds no label",
            "use the Ensembl gene IDs of results/sequence/genes.tsv",
        )
    return labels


def build_features(
    gtf: str,
    genome: str,
    genes: str,
    labels: str,
    raw: str,
    features: str,
    statistics: str,
    figure: str,
) -> None:
    """The 8 mRNA features, raw and transformed (log10 lengths, z-scored on training genes)."""
    transcripts = _read_tsv(genes)
    values = mrna_features(read_gtf(gtf, features=_GTF_FEATURES), genome, transcripts, source=gtf)
    label_table = _read_tsv(labels)
    split = label_table.set_index("gene_id").split.reindex(values.index)
    transformed, scaling = transform_features(values, (split == "train").to_numpy())
    write_tsv(values, raw, index=True)
    write_tsv(transformed, features, index=True)
    write_tsv(scaling, statistics, index=True)
    plots.mrna_features(transformed, label_table, figure)


def build_sequence_table(
    windows: str,
    table: str,
    labels: str,
    columns: dict,
    split: dict,
    sequence_table: str | None = None,
    fasta: str | None = None,
    label_file: str | None = None,
) -> None:
    """The user's own sequences as windows, a window table and labels (z-scored on train)."""
    names = TableColumns(
        id=columns.get("id_column"),
        sequence=columns.get("sequence_column"),
        labels=tuple(columns["label_columns"]) if "label_columns" in columns else None,
        split=columns.get("split_column"),
    )
    if sequence_table is not None:
        sequences = read_sequence_table(sequence_table, names)
    else:
        sequences = read_fasta_with_labels(fasta, label_file, names)
    ids = [_fasta_name(name) for name in sequences.ids]
    write_windows(windows, ids, sequences.sequences)
    window_table = pd.DataFrame(
        {
            "gene_id": ids,
            "name": sequences.ids,
            "length": sequences.lengths,
            "padded": sequences.length - sequences.lengths,
        }
    )
    write_tsv(window_table, table)
    if sequences.split is None:
        given = split_genes(window_table.assign(chrom=""), **{**split, "mode": "random"})
    else:
        given = sequences.split
    train = given == "train"
    raw = sequences.labels
    scaled, _ = zscore(raw, train)
    out = pd.DataFrame({"gene_id": ids, "split": given})
    for column in raw.columns:
        out[f"{column}_raw"] = raw[column].to_numpy()
        out[column] = scaled[column].to_numpy()
    write_tsv(out, labels)
    log.info(
        "%d sequences of up to %d bp: %s",
        len(ids),
        sequences.length,
        out.split.value_counts().to_dict(),
    )


def _fasta_name(name: str) -> str:
    """A sequence id usable as a FASTA name (spaces become underscores)."""
    return "_".join(name.split())


def chunk_of(scatteritem: str) -> tuple[int, int]:
    """(0-based chunk index, number of chunks) of a Snakemake scatter item `i-of-n`."""
    index, total = scatteritem.split("-of-")
    return int(index) - 1, int(total)


def build_embedding_chunk(
    windows: str,
    embeddings: str,
    genes: str,
    scatteritem: str,
    model: dict,
    settings: dict,
) -> None:
    """Embed the windows of one chunk of genes: float16 (genes, segments, hidden) + gene ids.

    model: path (folder or hub id) and trust_remote_code. settings: segment_length, stride,
    pooling, batch_size, device, dtype.
    """
    index, total = chunk_of(scatteritem)
    sequences = read_windows(windows)
    ids = list(sequences)
    start, stop = chunk_bounds(len(ids), total)[index]
    lm = load_language_model(
        model["path"], model.get("trust_remote_code", False), settings["device"], settings["dtype"]
    )
    log.info(
        "chunk %d of %d: genes %d-%d of %d, model %s on %s (%s)",
        index + 1, total, start + 1, stop, len(ids), model["path"], lm.device, lm.dtype,
    )  # fmt: skip
    array = embed_windows(
        lm,
        [sequences[gene] for gene in ids[start:stop]],
        settings["segment_length"],
        settings["stride"],
        settings["pooling"],
        settings["batch_size"],
        progress=True,
    )
    write_chunk(embeddings, genes, array, ids[start:stop])
    log.info("wrote %s: shape %s", embeddings, array.shape)


def build_embedding_index(embeddings: list[str], genes: list[str], index: str) -> None:
    """A table of the chunks (path, genes, segments, hidden size), after checking each."""
    rows = []
    for npy, names in zip(embeddings, genes, strict=True):
        array, ids = read_chunk(npy, names, mmap=True)
        rows.append(
            {
                "chunk": Path(npy).name,
                "genes_file": Path(names).name,
                "n_genes": len(ids),
                "segments": array.shape[1],
                "hidden_size": array.shape[2],
                "first_gene": ids[0] if ids else "",
                "last_gene": ids[-1] if ids else "",
            }
        )
    table = pd.DataFrame(rows)
    if table.segments.nunique() > 1 or table.hidden_size.nunique() > 1:
        raise InputError(
            index, "chunks differ in segments or hidden size", "rerun embed_chunk for all chunks"
        )
    write_tsv(table, index)
