"""Rule demo_genome: lay the demo genes out on chromosomes; write FASTA, GTF and cis truth."""

from pathlib import Path

from cistrans.demo.build import build_genome
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_genome(
        Path(snakemake.input.network[0]).parent,
        fasta=snakemake.output.fasta,
        gtf=snakemake.output.gtf,
        seed=snakemake.params.seed,
        **snakemake.params.settings,
    )
