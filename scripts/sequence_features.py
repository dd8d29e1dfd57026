"""Rule sequence_features: the 8 Xpresso mRNA features, z-scored on the training genes."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_features

with rule_logging(snakemake.log[0]):
    build_features(**snakemake.input, **snakemake.output)
