"""Rule download_genome_decompress: the downloaded genome as plain FASTA plus its .fai index."""

from cistrans.io.fasta import decompress_fasta
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    decompress_fasta(snakemake.input[0], snakemake.output.fasta)
