"""Rule expression_gtex: the chosen GTEx samples as log2(TPM + 1)."""

from cistrans.expression.build import build_gtex_source
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_gtex_source(**snakemake.input, **snakemake.output, **snakemake.params)
