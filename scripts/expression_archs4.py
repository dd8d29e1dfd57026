"""Rule expression_archs4: the chosen ARCHS4 samples, QC-filtered and normalised."""

from cistrans.expression.build import build_archs4_source
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_archs4_source(**snakemake.input, **snakemake.output, **snakemake.params.settings)
