"""Rules cis_train and cis_train_by_tissue: one sequence model × feature set × seed, or the
model's permuted-label control, on the cis inputs' genes, labels and gene splits; by tissue,
one output per tissue of labels_by_tissue.tsv. The weights are saved with their sidecar
(model.json), from which `cistrans.models.load_model` rebuilds the model."""

import logging

from cistrans.cismodels.data import align_genes, label_column, read_cis_tables, tissue_labels
from cistrans.cismodels.fit import TrainingFailed
from cistrans.cismodels.models import LENGTH_KEYS, ONEHOT_MODELS
from cistrans.cismodels.networks import InputTooShort
from cistrans.cismodels.runs import fit_run, warn_settings_section
from cistrans.cismodels.saved import save_model
from cistrans.cismodels.sources import embedding_source, gene_array_source
from cistrans.io.motifs import jaspar_motifs
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)
    inputs, params, wildcards = snakemake.input, snakemake.params, snakemake.wildcards
    labels, mrna = read_cis_tables(inputs.labels, inputs.get("mrna"))
    label_names = [label_column(labels)]
    tissues = None
    if inputs.get("by_tissue"):  # the cell-type mode: one output per tissue
        by_tissue = read_result_table(inputs.by_tissue, ["gene_id"], made_by="sequence_labels")
        labels, tissues = tissue_labels(labels, by_tissue, inputs.by_tissue)
    if params.kind == "texcnn":
        source = embedding_source(list(inputs.embeddings), list(inputs.embedding_genes))
    elif params.kind in ONEHOT_MODELS:
        source = gene_array_source(
            inputs.codes,
            inputs.code_genes,
            rerun="rerun `snakemake --forcerun cis_onehot`",
            onehot=True,
        )
    else:
        source = gene_array_source(
            inputs.vectors, inputs.vector_genes, rerun="rerun `snakemake --forcerun cis_word2vec`"
        )
    source.check_finite()
    genes = align_genes(
        labels,
        source.gene_ids,
        mrna if "mrna" in wildcards.features else None,
        min_shared_fraction=params.min_shared_fraction,
        sources=(inputs.labels, source.names[0]),
        outputs=tissues,
    )
    tf = None
    if "tf" in wildcards.features:
        tf = read_result_table(inputs.tf_features, ["gene_id"], made_by="cis_tf_features")
        tf = tf.set_index("gene_id")
    motifs = None
    if params.jaspar_release:  # LegNet's stem seeded with JASPAR motifs
        motifs = jaspar_motifs(params.jaspar_release, "ctxreg.jaspar_release")
    try:
        run = fit_run(
            params.kind,
            wildcards.model,
            source,
            genes,
            feature_set=wildcards.features,
            tf=tf,
            settings=params.settings,
            seed=params.seed,
            control=params.control,
            device=params.device,
            tissues=tissues,
            motifs=motifs,
            label_names=label_names,
            window=params.window,
        )
    except TrainingFailed as error:
        raise error.input_error(f"cis.{params.kind}.training") from None
    except InputTooShort as error:
        key = LENGTH_KEYS[error.model]
        fix = f"raise {key} to {error.minimum} or more, or leave {error.model} out of cis.models"
        raise error.input_error(f"config key {key!r}", fix) from None
    warn_settings_section(run.metrics, f"cis.{params.kind}")
    write_tsv(run.metrics, snakemake.output.metrics)
    write_tsv(run.predictions, snakemake.output.predictions)
    write_tsv(run.history, snakemake.output.history)
    save_model(run.network, run.record, snakemake.output.weights, snakemake.output.sidecar)
    logging.info("%s on %d genes:\n%s", wildcards.model, len(genes.gene_ids), run.metrics.T)
