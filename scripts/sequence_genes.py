"""Rule sequence_genes: one canonical transcript and TSS per gene (TSSs from a BED if given)."""

import logging

from cistrans.io.gtf import read_gtf
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.sequence.tss import GTF_FEATURES, gene_table

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    records = read_gtf(snakemake.input.gtf, features=GTF_FEATURES)
    genes = gene_table(
        records, snakemake.params.gene_types, snakemake.input.get("tss_bed"), snakemake.input.gtf
    )
    write_tsv(genes, snakemake.output.genes)
    logging.info(
        "%d genes; transcripts chosen by: %s", len(genes), genes.choice.value_counts().to_dict()
    )
