"""Rule sequence_labels: each window's expression label and its gene split."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_labels

with rule_logging(snakemake.log[0]):
    build_labels(
        **snakemake.input,
        **snakemake.output,
        labels_settings=snakemake.params.labels,
        split=snakemake.params.split,
    )
