"""Rule trans_evaluate: test-split accuracy of a trained trans model."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_evaluation

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_evaluation(**snakemake.input, **snakemake.output)
