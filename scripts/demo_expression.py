"""Rule demo_expression: simulate GTEx-like and ARCHS4-like samples of the demo world."""

from pathlib import Path

from cistrans.demo.build import build_expression
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_expression(
        Path(snakemake.input.network[0]).parent,
        gtex_tpm=snakemake.output.gtex_tpm,
        gtex_samples=snakemake.output.gtex_samples,
        archs4=snakemake.output.archs4,
        seed=snakemake.params.seed,
        **snakemake.params.settings,
    )
