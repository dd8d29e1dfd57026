"""Rule trans_lightup: the TF × target light-up matrix of the trained network."""

from cistrans.logs import rule_logging
from cistrans.trans.build import build_lightup

with rule_logging(snakemake.log[0]):
    build_lightup(**snakemake.input, **snakemake.output, **snakemake.params.settings)
