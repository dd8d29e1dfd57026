"""Rule sequence_labels: each window's expression label (raw, and z-scored on the training
genes), its gene split, and the per-tissue labels. The figure is drawn by rule
sequence_labels_figure."""

import logging

import pandas as pd

from cistrans.io.labels import read_label_table
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.sequence.labels import gene_labels, label_genes, match_user_labels

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    genes = read_result_table(
        snakemake.input.table,
        ["gene_id", "symbol", "chrom"],
        made_by="sequence_windows",
        dtype={"chrom": str},
    )
    labels = snakemake.params.labels
    if snakemake.input.get("compendium") is not None:
        raw, by_tissue = gene_labels(
            snakemake.input.compendium,
            genes,
            labels["median_over"],
            labels["pseudocount"],
            labels["log_base"],
        )
    else:
        path = snakemake.input.label_table
        raw = match_user_labels(read_label_table(path), genes, path)
        by_tissue = pd.DataFrame({"gene_id": []})
    labelled = label_genes(genes, raw, snakemake.params.split)
    write_tsv(labelled, snakemake.output.labels)
    write_tsv(by_tissue, snakemake.output.by_tissue)
    logging.info("labels of %d genes: %s", len(labelled), labelled.split.value_counts().to_dict())
