"""Rule cis_attributions: the best one-hot model (lowest best validation loss among the
observed-label `dna` runs of the one-hot models; the test genes are not looked at) explained
on the test sequences: per-base attributions (tangermeme), TF-MoDISco patterns in them
(modisco-lite), each matched to JASPAR with TOMTOM (memelite), with its sign and weight."""

import logging

import numpy as np

from cistrans.cismodels.attribution import (
    DIFFUSE_INFORMATION,
    attributions,
    choose_best_run,
    cwm_table,
    explained_rows,
    modisco_patterns,
    pattern_table,
    trained_network,
)
from cistrans.cismodels.models import model_kind
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
    settings = params.attributions
    histories = {
        run: read_result_table(path, ["epoch", "validation_loss"], made_by="cis_train")
        for run, path in zip(params.runs, inputs.histories, strict=True)
    }
    candidates = choose_best_run(histories)
    best = candidates.iloc[0]
    logging.info(
        "the one-hot runs by their best validation loss (the first is explained):\n%s",
        candidates.to_string(index=False),
    )
    codes, genes = read_gene_array(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun cis_onehot`", mmap=True
    )
    labels = read_result_table(inputs.labels, ["gene_id", "split"], made_by="sequence_labels")
    rows = explained_rows(genes, labels, settings["sequences"], params.seed)
    kind = model_kind(best.run.split("/")[0])
    weights = dict(zip(params.runs, inputs.weights, strict=True))[best.run]
    network = trained_network(kind, codes.shape[1], params.settings[kind], weights)
    explained = np.asarray(codes[rows])
    hypothetical, gap = attributions(
        network, explained, method=settings["method"], shuffles=settings["shuffles"],
        seed=params.seed, device=choose_device(params.device),
    )  # fmt: skip
    write_gene_array(output.attributions, output.genes, hypothetical.astype(np.float16),
                     [genes[row] for row in rows])  # fmt: skip
    logging.info(
        "%s explained by %s on %d test sequences of %d bases (DeepLIFT/SHAP's gap to the "
        "change in prediction: %.2g of it)",
        best.run, settings["method"], len(rows), codes.shape[1], gap,
    )  # fmt: skip
    patterns = modisco_patterns(explained, hypothetical, settings)
    motifs = [pattern.motif() for pattern in patterns]
    matches = match_motifs(motifs, read_meme(inputs.jaspar)) if patterns else None
    table = pattern_table(patterns, matches, len(rows)).assign(
        run=best.run, best_validation_loss=best.best_validation_loss,
        method=settings["method"], sequences=len(rows),
    )  # fmt: skip
    write_tsv(table, output.motifs)
    write_tsv(cwm_table(patterns), output.cwms)
    write_meme(output.patterns, motifs, [pattern.seqlets for pattern in patterns])
    logging.info(
        "%d patterns (%d positive, %d negative); %d match a JASPAR motif at q < 0.05; %d are "
        "diffuse (under %g bits per position: a composition more than a site, whose match "
        "means little):\n%s",
        len(table), (table.sign > 0).sum(), (table.sign < 0).sum(),
        (table.q_value < 0.05).sum(), (table.information < DIFFUSE_INFORMATION).sum(),
        DIFFUSE_INFORMATION, table.to_string(index=False),
    )  # fmt: skip
