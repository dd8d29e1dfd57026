"""Rule ctxreg_jaspar_mode: contextual regression on the JASPAR motifs' FIMO sites instead of
learned filters (a seed, or the permuted-label control), on the same genes, labels and
splits: its test figures, predictions, history, weights (with their sidecar, model.json) and
each motif's importance."""

import logging

from cistrans.cismodels.data import label_column, read_cis_tables
from cistrans.cismodels.fit import TrainingFailed
from cistrans.cismodels.runs import warn_settings_section
from cistrans.cismodels.saved import save_model
from cistrans.ctxreg.jaspar_mode import fit_jaspar_mode, read_jaspar_mode_inputs
from cistrans.ctxreg.network import ContextSettings
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)
    inputs, params = snakemake.input, snakemake.params
    genes, motifs, regions = read_jaspar_mode_inputs(
        **dict(inputs.items()),
        min_shared_fraction=params.min_shared_fraction,
        context=ContextSettings(**params.settings["context"]),
    )
    logging.info(
        "%d JASPAR motifs, %.1f sites per window in %d regions",
        len(motifs), regions.sum() / max(len(regions), 1), regions.shape[1],
    )  # fmt: skip
    try:
        run = fit_jaspar_mode(
            regions,
            genes,
            motifs,
            settings=params.settings,
            seed=params.seed,
            control=params.control,
            device=params.device,
            label_names=[label_column(read_cis_tables(inputs.labels, None)[0])],
            window=params.window,
        )
    except TrainingFailed as error:
        raise error.input_error("ctxreg.jaspar_mode.training") from None
    warn_settings_section(run.metrics, "ctxreg.jaspar_mode")
    write_tsv(run.metrics, snakemake.output.metrics)
    write_tsv(run.predictions, snakemake.output.predictions)
    write_tsv(run.history, snakemake.output.history)
    save_model(run.network, run.record, snakemake.output.weights, snakemake.output.sidecar)
    write_tsv(run.importance, snakemake.output.importance, float_format="%.5g")
    logging.info(
        "ctxreg on JASPAR sites, %d genes:\n%s\nthe most important motifs:\n%s",
        len(genes.gene_ids), run.metrics.T, run.importance.head(15).to_string(),
    )  # fmt: skip
