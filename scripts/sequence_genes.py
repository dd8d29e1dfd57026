"""Rule sequence_genes: one canonical transcript and TSS per gene (or TSSs from a BED)."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_genes

with rule_logging(snakemake.log[0]):
    build_genes(**snakemake.input, **snakemake.output, gene_types=snakemake.params.gene_types)
