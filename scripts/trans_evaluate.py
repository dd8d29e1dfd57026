"""Rule trans_evaluate: test-split accuracy of a trained trans model."""

from cistrans.logs import rule_logging
from cistrans.trans.build import build_evaluation

with rule_logging(snakemake.log[0]):
    build_evaluation(**snakemake.input, **snakemake.output)
