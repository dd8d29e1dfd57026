"""Rule expression_qc_figures: PCA/UMAP by tissue and source, and the sample QC figure."""

import pandas as pd

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.expression_qc import plot_embeddings, plot_sample_qc

SAMPLE_QC = ["source", "library_size", "genes_detected", "reason"]

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    coordinates = read_result_table(
        snakemake.input.coordinates,
        ["tissue", "source", "pca_1", "pca_2", "umap_1", "umap_2"],
        made_by="expression_qc",
    )
    plot_embeddings(coordinates, snakemake.output.embedding)
    sample_qc = [
        read_result_table(path, SAMPLE_QC, made_by=f"expression_{source}", keep_default_na=True)
        for source, path in zip(snakemake.params.sources, snakemake.input.sample_qc, strict=True)
    ]
    plot_sample_qc(pd.concat(sample_qc, ignore_index=True), snakemake.output.samples)
