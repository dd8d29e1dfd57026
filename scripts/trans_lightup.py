"""Rule trans_lightup: the TF × target light-up matrix of the trained network."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_lightup

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_lightup(**snakemake.input, **snakemake.output, **snakemake.params.settings)
