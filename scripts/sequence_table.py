"""Rule sequence_table: the user's own sequences and labels as windows and labels."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_sequence_table

with rule_logging(snakemake.log[0]):
    build_sequence_table(
        windows=snakemake.output.windows,
        table=snakemake.output.table,
        labels=snakemake.output.labels,
        columns=snakemake.params.columns,
        split=snakemake.params.split,
        sequence_table=snakemake.input.get("sequence_table"),
        fasta=snakemake.input.get("fasta"),
        label_file=snakemake.input.get("labels"),
    )
