"""Rule sequence_table: your own sequences (a sequence table, or a FASTA with a label table)
as windows, a window table and labels z-scored on the training sequences."""

import logging

from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.sequence.custom import (
    TableColumns,
    custom_windows,
    read_fasta_with_labels,
    read_sequence_table,
)
from cistrans.sequence.windows import write_windows

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    table = {k: v for k, v in snakemake.params.table.items() if k != "transform"}
    columns = TableColumns(
        **{**table, "label_columns": tuple(table["label_columns"])}
        if "label_columns" in table
        else table
    )
    if snakemake.input.get("sequence_table") is not None:
        sequences = read_sequence_table(snakemake.input.sequence_table, columns)
    else:
        sequences = read_fasta_with_labels(snakemake.input.fasta, snakemake.input.labels, columns)
    ids, windows, labels = custom_windows(
        sequences, snakemake.params.split, transform=snakemake.params.table["transform"]
    )
    write_windows(snakemake.output.windows, ids, sequences.sequences)
    write_tsv(windows, snakemake.output.table)
    write_tsv(labels, snakemake.output.labels)
    column = columns.split_column
    logging.info(
        "%d sequences of up to %d bp: %s, split by %s",
        len(ids),
        sequences.length,
        labels.split.value_counts().to_dict(),
        f"the table's column {column!r}" if column else "sequence.split",
    )
