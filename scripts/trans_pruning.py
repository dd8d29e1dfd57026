"""Rule trans_pruning: the pruning curve, the core TFs and the hierarchy test."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_pruning_curve

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_pruning_curve(**snakemake.input, knowledge_format="trrust", **snakemake.output)
