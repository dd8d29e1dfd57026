"""Rule ctxreg_clusters: genes clustered on their contributions (neighbours, Leiden, UMAP),
expression across the clusters, and each cluster's activating and repressive motifs."""

import logging

from cistrans.ctxreg.clusters import cluster_expression, cluster_genes, motif_classes
from cistrans.io.files import rerun_rule
from cistrans.io.h5ad import read_h5ad
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    adata = read_h5ad(snakemake.input.contributions, rerun_rule("ctxreg_contributions"))
    settings = snakemake.params.clusters
    clusters = cluster_genes(adata, settings, snakemake.params.seed)
    expression = cluster_expression(clusters)
    classes = motif_classes(adata, clusters, settings["fdr"])
    write_tsv(clusters, snakemake.output.clusters)
    write_tsv(expression, snakemake.output.expression)
    write_tsv(classes, snakemake.output.motif_classes)
    logging.info("clusters and expression:\n%s", expression.to_string())
    logging.info("motif classes:\n%s", classes["class"].value_counts().to_string())
