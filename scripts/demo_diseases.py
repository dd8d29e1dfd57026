"""Rule demo_diseases: simulate disease comparisons (Expression Atlas) and GWAS hits."""

from pathlib import Path

from cistrans.demo.build import build_diseases
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_diseases(
        Path(snakemake.input.network[0]).parent,
        sheet=snakemake.output.sheet,
        atlas_dir=Path(snakemake.output.analytics[0]).parent,
        gwas=snakemake.output.gwas,
        accessions=snakemake.params.accessions,
        seed=snakemake.params.seed,
        noise_sd=snakemake.params.noise_sd,
        **snakemake.params.settings,
    )
