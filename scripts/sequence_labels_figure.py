"""Rule sequence_labels_figure: the distribution of the gene labels, by split."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.sequence import labels

with rule_logging(snakemake.log[0]):
    table = read_result_table(
        snakemake.input.labels,
        ["split", "label_raw"],
        made_by="sequence_labels",
        keep_default_na=True,
    )
    labels(table, snakemake.output.figure)
