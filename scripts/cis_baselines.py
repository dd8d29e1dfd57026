"""Rule cis_baselines: k-mer ridge (with and without mRNA features; on the part of the window
in cis.window, as the one-hot CNN reads) and mRNA-feature ridge on the cis inputs, each also
on permuted training labels (the controls)."""

import logging

from cistrans.cismodels.baselines import ridge_baselines
from cistrans.cismodels.data import align_genes, read_cis_tables, read_windows
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.ridge import warn_at_grid_ends

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, params = snakemake.input, snakemake.params
    labels, mrna = read_cis_tables(inputs.labels, inputs.get("mrna"))
    windows = read_windows(inputs.windows, params.crop)
    genes = align_genes(
        labels,
        windows,
        mrna,
        min_shared_fraction=params.min_shared_fraction,
        sources=(inputs.labels, inputs.windows),
    )
    metrics, predictions = ridge_baselines(genes, seeds=params.seeds, **params.baselines)
    observed = metrics[metrics.labels == "observed"]  # not the permuted-label controls
    warn_at_grid_ends(observed.alpha, params.baselines["alphas"], key="cis.baselines.alphas")
    write_tsv(metrics, snakemake.output.metrics)
    write_tsv(predictions, snakemake.output.predictions)
    logging.info("cis baselines on %d genes:\n%s", len(genes.gene_ids), metrics.to_string())
