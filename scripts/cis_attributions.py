"""Rule cis_attributions: the best one-hot model (lowest best validation loss among the
observed-label `dna` runs of the one-hot models; the test genes are not looked at) explained
on the test sequences: per-base attributions (tangermeme), TF-MoDISco patterns in them
(modisco-lite), each matched to JASPAR with TOMTOM (memelite), with its sign and weight."""

import logging
from functools import partial

import numpy as np

from cistrans.cismodels.attribution import DIFFUSE_INFORMATION, explain_best_run
from cistrans.cismodels.models import LENGTH_KEYS
from cistrans.cismodels.networks import InputTooShort
from cistrans.ctxreg.motifs import match_motifs
from cistrans.io.chunks import read_gene_array, write_gene_array
from cistrans.io.motifs import read_meme, write_meme
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import choose_device, use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)
    inputs, params, output = snakemake.input, snakemake.params, snakemake.output
    histories = {
        run: read_result_table(path, ["epoch", "validation_loss"], made_by="cis_train")
        for run, path in zip(params.runs, inputs.histories, strict=True)
    }
    codes, genes = read_gene_array(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun cis_onehot`", mmap=True
    )
    labels = read_result_table(inputs.labels, ["gene_id", "split"], made_by="sequence_labels")
    try:
        explained = explain_best_run(
            histories, dict(zip(params.runs, inputs.weights, strict=True)), codes, genes,
            labels, partial(match_motifs, targets=read_meme(inputs.jaspar)),
            model_settings=params.settings, settings=params.attributions,
            seed=params.seed, device=choose_device(params.device),
        )  # fmt: skip
    except InputTooShort as error:
        key = LENGTH_KEYS[error.model]
        fix = f"raise {key} to {error.minimum} or more, or leave {error.model} out of cis.models"
        raise error.input_error(f"config key {key!r}", fix) from None
    logging.info(
        "the one-hot runs by their best validation loss (the first is explained):\n%s",
        explained.candidates.to_string(index=False),
    )
    write_gene_array(output.attributions, output.genes,
                     explained.hypothetical.astype(np.float16),
                     [genes[row] for row in explained.rows])  # fmt: skip
    logging.info(
        "%s explained by %s on %d test sequences of %d bases (DeepLIFT/SHAP's gap to the "
        "change in prediction: %.2g of it)",
        explained.run, params.attributions["method"], len(explained.rows), codes.shape[1],
        explained.gap,
    )  # fmt: skip
    table, patterns = explained.table, explained.patterns
    write_tsv(table, output.motifs)
    write_tsv(explained.cwms, output.cwms)
    write_meme(output.patterns, [p.motif() for p in patterns], [p.seqlets for p in patterns])
    logging.info(
        "%d patterns (%d positive, %d negative); %d match a JASPAR motif at q < 0.05; %d are "
        "diffuse (under %g bits per position: a composition more than a site, whose match "
        "means little):\n%s",
        len(table), (table.sign > 0).sum(), (table.sign < 0).sum(),
        (table.q_value < 0.05).sum(), (table.information < DIFFUSE_INFORMATION).sum(),
        DIFFUSE_INFORMATION, table.to_string(index=False),
    )  # fmt: skip
