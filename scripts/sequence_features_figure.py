"""Rule sequence_features_figure: each transformed mRNA feature against the gene labels."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.sequence import mrna_features

with rule_logging(snakemake.log[0]):
    features = read_result_table(
        snakemake.input.features, ["gene_id"], made_by="sequence_features", keep_default_na=True
    ).set_index("gene_id")
    table = read_result_table(
        snakemake.input.labels,
        ["gene_id", "label"],
        made_by="sequence_labels",
        keep_default_na=True,
    )
    mrna_features(features, table, snakemake.output.figure)
