"""Rule ctxreg_train: one contextual-regression run (a seed, or the permuted-label control)
on the cis inputs' genes, labels and splits: its test figures, predictions, history and
weights (with their sidecar, model.json), every gene's contributions, the filters read as
PWMs and how far each moved from its initial weights."""

import logging

from cistrans.cismodels.data import align_genes, label_column, read_cis_tables
from cistrans.cismodels.fit import TrainingFailed
from cistrans.cismodels.networks import InputTooShort
from cistrans.cismodels.runs import warn_settings_section
from cistrans.cismodels.saved import save_model
from cistrans.cismodels.sources import gene_array_source
from cistrans.ctxreg.fit import fit_ctxreg
from cistrans.ctxreg.motifs import log_filter_movement
from cistrans.ctxreg.network import WINDOW_KEY
from cistrans.io.motifs import write_meme
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)
    inputs, params = snakemake.input, snakemake.params
    labels, _ = read_cis_tables(inputs.labels, None)
    source = gene_array_source(
        inputs.codes,
        inputs.code_genes,
        rerun="rerun `snakemake --forcerun ctxreg_onehot`",
        onehot=True,
    )
    genes = align_genes(
        labels,
        source.gene_ids,
        None,
        min_shared_fraction=params.min_shared_fraction,
        sources=(inputs.labels, inputs.codes),
    )
    try:
        run = fit_ctxreg(
            source,
            genes,
            settings=params.settings,
            seed=params.seed,
            control=params.control,
            device=params.device,
            label_names=[label_column(labels)],
            window=params.window,
        )
    except TrainingFailed as error:
        raise error.input_error("ctxreg.training") from None
    except InputTooShort as error:  # params.length_key: ctxreg.window or your own table
        widen = ", or widen ctxreg.window" if params.length_key == WINDOW_KEY else ""
        fix = f"lower ctxreg.width to {error.length} or less{widen}"
        raise error.input_error(params.length_key, fix) from None
    settings = params.settings
    log_filter_movement(
        run.movement,
        None  # the control's filters have no motif to learn
        if params.control
        else f"lower ctxreg.filter_init_sd (now {settings['filter_init_sd']:g}) or raise "
        f"ctxreg.training.learning_rate (now {settings['training']['learning_rate']:g})",
    )
    warn_settings_section(run.metrics, "ctxreg")
    write_tsv(run.metrics, snakemake.output.metrics)
    write_tsv(run.predictions, snakemake.output.predictions)
    write_tsv(run.history, snakemake.output.history)
    save_model(run.network, run.record, snakemake.output.weights, snakemake.output.sidecar)
    write_tsv(run.contributions, snakemake.output.contributions, index=True, float_format="%.5g")
    write_meme(snakemake.output.filters, run.filters, nsites=run.sites.tolist())
    write_tsv(run.movement, snakemake.output.movement)
    logging.info("ctxreg on %d genes:\n%s", len(genes.gene_ids), run.metrics.T)
