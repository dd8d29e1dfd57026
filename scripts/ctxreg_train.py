"""Rule ctxreg_train: one contextual-regression run (a seed, or the permuted-label control)
on the cis inputs' genes, labels and splits: its test figures, predictions, history and
weights (with their sidecar, model.json), every gene's contributions, the filters read as
PWMs and how far each moved from its initial weights."""

import logging

from cistrans.cismodels.data import align_genes, label_column, read_cis_tables
from cistrans.cismodels.fit import TrainingFailed
from cistrans.cismodels.runs import warn_settings_section
from cistrans.cismodels.saved import save_model
from cistrans.cismodels.sources import gene_array_source
from cistrans.ctxreg.fit import fit_ctxreg
from cistrans.io.motifs import write_meme
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)
    inputs, params = snakemake.input, snakemake.params
    labels, _ = read_cis_tables(inputs.labels, None)
    source = gene_array_source(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun ctxreg_onehot`", True
    )
    genes = align_genes(
        labels, source.gene_ids, None, params.min_shared_fraction, (inputs.labels, inputs.codes)
    )
    try:
        run = fit_ctxreg(
            source,
            genes,
            settings=params.settings,
            seed=params.seed,
            control=params.control,
            length_key=params.length_key,
            device=params.device,
            label_names=[label_column(labels)],
            window=params.window,
        )
    except TrainingFailed as error:
        raise error.input_error("ctxreg.training") from None
    warn_settings_section(run.metrics, "ctxreg")
    write_tsv(run.metrics, snakemake.output.metrics)
    write_tsv(run.predictions, snakemake.output.predictions)
    write_tsv(run.history, snakemake.output.history)
    save_model(run.network, run.record, snakemake.output.weights, snakemake.output.sidecar)
    write_tsv(run.contributions, snakemake.output.contributions, index=True, float_format="%.5g")
    write_meme(snakemake.output.filters, run.filters, nsites=run.sites.tolist())
    write_tsv(run.movement, snakemake.output.movement)
    logging.info("ctxreg on %d genes:\n%s", len(genes.gene_ids), run.metrics.T)
