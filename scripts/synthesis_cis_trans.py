"""Rule synthesis_cis_trans: each gene's level in each tissue from its promoter (JASPAR site
counts), from the tissue's TF expression profile, and from both with their site × TF
interactions, by ridge on the training genes (penalty chosen on the validation genes), and a
permuted-label control; scored on the test genes × all tissues."""

import logging

from cistrans.cismodels.data import read_cis_tables, tissue_labels
from cistrans.ctxreg.grammar import read_sites
from cistrans.io.motifs import read_meme
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.ridge import warn_at_grid_ends
from cistrans.synthesis.cis_trans import CONTROL, cis_trans, sample_genes
from cistrans.trans.data import load_trans_data

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, params = snakemake.input, snakemake.params
    labels, _ = read_cis_tables(inputs.labels, None)
    by_tissue = read_result_table(inputs.by_tissue, ["gene_id"], made_by="sequence_labels")
    table, tissues = tissue_labels(labels, by_tissue, inputs.by_tissue)
    genes = sample_genes(table, params.max_genes, params.seed)
    if len(genes) < len(table):
        logging.info("%d of %d genes drawn (synthesis.max_genes)", len(genes), len(table))
    fit = cis_trans(
        genes,
        tissues,
        read_sites(inputs.sites),
        read_meme(inputs.jaspar),
        load_trans_data(inputs.compendium),
        alphas=params.alphas,
        seed=params.seed,
        sources=(inputs.sites, inputs.compendium),
    )
    fitted = fit.metrics[fit.metrics.model != CONTROL]  # not the permuted-label control
    warn_at_grid_ends(fitted.alpha, params.alphas, key="cis.baselines.alphas")
    write_tsv(fit.metrics, snakemake.output.metrics)
    write_tsv(fit.predictions, snakemake.output.predictions)
    logging.info(
        "%d JASPAR motifs read with their TF's expression:\n%s",
        len(fit.motifs),
        fit.motifs.to_string(index=False),
    )
    logging.info("test genes x all tissues:\n%s", fit.metrics.to_string(index=False))
