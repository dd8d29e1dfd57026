"""Rule demo_network: draw the demo world's regulatory network."""

from pathlib import Path

from cistrans.demo.build import build_network
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_network(
        Path(snakemake.output.genes).parent,
        seed=snakemake.params.seed,
        jaspar_release=snakemake.params.jaspar_release,
        **snakemake.params.settings,
    )
