"""Rule sequence_figures: the label distribution by split, and each mRNA feature against the
label, drawn from the tables rules sequence_labels and sequence_features wrote."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.sequence import labels, mrna_features

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    table = read_result_table(
        snakemake.input.labels,
        ["gene_id", "split", "label_raw", "label"],
        made_by="sequence_labels",
        keep_default_na=True,
    )
    labels(table, snakemake.output.labels)
    features = read_result_table(
        snakemake.input.features, ["gene_id"], made_by="sequence_features", keep_default_na=True
    ).set_index("gene_id")
    mrna_features(features, table, snakemake.output.features)
