"""Rule ctxreg_jaspar_ridge: the JASPAR mode's baseline, ridge on the JASPAR motifs' FIMO site
counts in each window (penalty chosen on the validation genes), on the observed labels and
on permuted training labels (the control), on the same genes, labels and splits."""

import logging

from cistrans.ctxreg.jaspar_mode import jaspar_ridge, read_jaspar_mode_inputs
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.ridge import warn_at_grid_ends

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, params = snakemake.input, snakemake.params
    genes, motifs, counts = read_jaspar_mode_inputs(
        **dict(inputs.items()),
        min_shared_fraction=params.min_shared_fraction,
        context=None,
    )
    metrics, predictions = jaspar_ridge(
        counts[:, 0], genes, alphas=params.alphas, seeds=params.seeds
    )
    observed = metrics[metrics.labels == "observed"]  # not the permuted-label controls
    warn_at_grid_ends(observed.alpha, params.alphas, key="cis.baselines.alphas")
    write_tsv(metrics, snakemake.output.metrics)
    write_tsv(predictions, snakemake.output.predictions)
    logging.info("ridge on %d JASPAR motifs' site counts:\n%s", len(motifs), metrics.to_string())
