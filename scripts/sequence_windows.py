"""Rule sequence_windows: strand-aware promoter windows around each TSS (gzipped FASTA) and
their gene table."""

import logging

from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.sequence.windows import extract_windows, write_windows

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    genes = read_result_table(
        snakemake.input.genes,
        ["gene_id", "chrom", "tss", "strand"],
        made_by="sequence_genes",
        dtype={"chrom": str},
    )
    upstream, downstream = snakemake.params.upstream, snakemake.params.downstream
    sequences, table = extract_windows(snakemake.input.genome, genes, upstream, downstream)
    write_windows(snakemake.output.windows, table.gene_id, sequences)
    write_tsv(table, snakemake.output.table)
    logging.info(
        "%d windows of %d bp; %d padded with N past a chromosome end, %d bases non-ACGT",
        len(sequences),
        upstream + downstream,
        int((table.padded > 0).sum()),
        int(table.non_acgt.sum()),
    )
