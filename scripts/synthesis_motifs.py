"""Rule synthesis_motifs: do the targets a TF lights up carry its JASPAR motif (beside the
|Spearman| baseline and the shuffled-targets null), and does a motif's weight in contextual
regression (learned filters matched to it; its JASPAR-mode feature) follow its TF's rank in
the pruning sweep?"""

import logging

import numpy as np

from cistrans.ctxreg.grammar import read_sites
from cistrans.ctxreg.jaspar_mode import read_pooled_importance
from cistrans.io.chunks import read_gene_array
from cistrans.io.motifs import read_meme
from cistrans.io.results import (
    read_result_h5ad,
    read_result_matrix,
    read_result_table,
)
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.synthesis.motif_links import (
    SCORES,
    learned_motif_importance,
    link_scores,
    link_summary,
    motif_importance_ranks,
    motif_target_links,
    site_presence,
    tf_motifs,
)
from cistrans.trans.data import load_trans_data

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, params = snakemake.input, snakemake.params
    lightup = read_result_matrix(inputs.scores, made_by="trans_lightup")
    data = load_trans_data(inputs.compendium, list(lightup.index))
    _, windowed = read_gene_array(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun ctxreg_onehot`", mmap=True
    )
    links = tf_motifs(
        read_meme(inputs.jaspar), data.tf_ids, data.tf_symbols, source=inputs.compendium
    )
    has_window = set(windowed)
    targets_windowed = [gene for gene in data.target_ids if gene in has_window]
    sites = read_sites(inputs.sites)
    presence = site_presence(sites, targets_windowed)
    scores = link_scores(lightup, data, params.seed)
    targets = motif_target_links(
        scores,
        links,
        presence,
        top_targets=params.top_targets,
        fdr=params.fdr,
        source=inputs.sites,
    )
    targets_summary = link_summary(targets, SCORES, params.fdr)

    core = read_result_table(inputs.core_tfs, ["rank", "tf"], made_by="trans_pruning")
    contributions = read_result_h5ad(
        inputs.contributions, ["match_id", "q_value"], made_by="ctxreg_contributions"
    )
    importance = {
        "learned_filters": learned_motif_importance(
            np.asarray(contributions.X), contributions.var, params.match_q_value
        )
    }
    if inputs.jaspar_mode:
        pooled = read_pooled_importance(inputs.jaspar_mode).set_index("motif_id")
        importance["jaspar_mode"] = pooled["mean_abs_contribution"]
    per_tf, importance_summary = motif_importance_ranks(
        links, core.set_index("tf")["rank"], importance
    )
    write_tsv(targets, snakemake.output.targets, float_format="%.5g")
    write_tsv(targets_summary, snakemake.output.targets_summary)
    write_tsv(per_tf, snakemake.output.importance, float_format="%.5g")
    write_tsv(importance_summary, snakemake.output.importance_summary)
    logging.info(
        "%d TF-motif pairs of %d TFs, %d of %d targets with a window; linked:\n%s\nmotif "
        "importance against the pruning rank:\n%s",
        len(targets), targets.tf.nunique(), len(presence), len(data.target_ids),
        targets_summary.to_string(),
        importance_summary.to_string(),
    )  # fmt: skip
