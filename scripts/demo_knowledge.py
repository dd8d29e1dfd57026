"""Rule demo_knowledge: write the demo world's TF list and TRRUST-style table."""

from pathlib import Path

from cistrans.demo.build import build_knowledge
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_knowledge(
        Path(snakemake.input.network[0]).parent,
        tf_list=snakemake.output.tf_list,
        trrust=snakemake.output.trrust,
        seed=snakemake.params.seed,
        **snakemake.params.settings,
    )
