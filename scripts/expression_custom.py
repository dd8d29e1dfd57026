"""Rule expression_custom: your own compendium as a source."""

from cistrans.expression.build import build_custom_source
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_custom_source(
        snakemake.input.matrix,
        snakemake.input.get("samples"),
        **snakemake.output,
        values=snakemake.params.values,
    )
