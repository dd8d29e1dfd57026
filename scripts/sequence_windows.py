"""Rule sequence_windows: strand-aware promoter windows around each TSS."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_windows

with rule_logging(snakemake.log[0]):
    build_windows(**snakemake.input, **snakemake.output, **snakemake.params)
