"""Rule summary: each enabled approach's headline figures beside the published ones and, on
the demo world, the scores against its truth, as a table and as Markdown."""

import logging

import pandas as pd

from cistrans.cismodels.comparison import LEARNING_ADDS_COLUMNS
from cistrans.ctxreg.jaspar_mode import read_pooled_importance
from cistrans.io.motifs import read_meme
from cistrans.io.results import read_result_json, read_result_matrix, read_result_table, write_text
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.summary import (
    cis_summary,
    cis_trans_summary,
    ctxreg_summary,
    ctxreg_truth,
    jaspar_mode_truth,
    summary_markdown,
    summary_table,
    synthesis_summary,
    synthesis_truth,
    trans_summary,
    trans_truth,
)
from cistrans.synthesis.motif_links import SCORES
from cistrans.trans.comparison import BETTER_COLUMNS

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, params = snakemake.input, snakemake.params
    fdr, parts = params.summary["fdr"], []
    if inputs.get("truth_genes") is not None:
        truth_genes = read_result_table(
            inputs.truth_genes,
            ["gene_id", "symbol", "motif_id", "cis_role", "is_tf"],
            made_by="demo_network",
        )
    if inputs.get("trans_metrics") is not None:
        parts.append(
            trans_summary(
                read_result_json(
                    inputs.trans_metrics,
                    [
                        "explained_variance",
                        "per_gene_r2_median",
                        "global_mean_r2_paper_style",
                        "n_targets",
                    ],
                    made_by="trans_evaluate",
                ),  # fmt: skip
                read_result_json(
                    inputs.trans_hierarchy, ["n_retained", "n_removed"], made_by="trans_pruning"
                ),  # fmt: skip
                read_result_table(
                    inputs.trans_diseases,
                    ["disease", "rho", "fisher_fdr"],
                    made_by="trans_diseases",
                    keep_default_na=True,
                ),  # fmt: skip
                shares=params.shares,
                fdr=fdr,
                better=read_result_table(
                    inputs.trans_better,
                    list(BETTER_COLUMNS),
                    made_by="trans_comparison",
                    keep_default_na=True,
                ),
                selection=read_result_json(
                    inputs.trans_selection,
                    ["chosen", "validation_explained_variance", "at_edge", "grid"],
                    made_by="trans_select",
                ),
            )
        )
    if inputs.get("cis_comparison") is not None:
        parts.append(
            cis_summary(
                read_result_table(
                    inputs.cis_comparison,
                    [
                        "model",
                        "features",
                        "labels",
                        "window",
                        "n_runs",
                        "n_pooled",
                        "n_collapsed",
                        "n_not_converged",
                        "spearman_rho_mean",
                    ],
                    made_by="cis_comparison",
                    keep_default_na=True,  # blank figures where every run collapsed
                ),  # fmt: skip
                read_result_table(
                    inputs.cis_learning_adds, LEARNING_ADDS_COLUMNS, made_by="cis_comparison"
                ),
            )
        )
    if inputs.get("ctxreg_runs") is not None:
        runs = pd.concat(
            [
                read_result_table(
                    path,
                    ["labels", "pearson_r2", "r2", "spearman_rho", "context_share"],
                    made_by="ctxreg_train",
                    keep_default_na=True,  # blank figures where a run collapsed
                )
                for path in inputs.ctxreg_runs
            ],
            ignore_index=True,
        )
        grammar = ["motif_a", "motif_b", "q_value"]
        cooccurrence = read_result_table(
            inputs.ctxreg_cooccurrence, grammar, made_by="ctxreg_grammar"
        )
        spacing = read_result_table(
            inputs.ctxreg_spacing,
            [*grammar, "name_a", "name_b", "range_start", "range_end"],
            made_by="ctxreg_grammar",
        )
        parts.append(
            ctxreg_summary(
                runs,
                read_result_table(
                    inputs.ctxreg_matches,
                    ["motif", "match_id", "match_name", "q_value"],
                    made_by="ctxreg_motifs",
                ),  # fmt: skip
                cooccurrence,
                spacing,
                read_result_table(
                    inputs.ctxreg_insilico,
                    ["motif_a", "motif_b", "spacing", "interaction"],
                    made_by="ctxreg_insilico",
                ),
                fdr=fdr,
                match_q_value=params.match_q_value,
            )
        )
    if inputs.get("trans_lightup") is not None:
        parts.append(
            trans_truth(
                read_result_matrix(inputs.trans_lightup, made_by="trans_lightup"),
                truth_genes,
                read_result_table(inputs.truth_edges, ["tf", "target"], made_by="demo_network"),
                read_result_table(
                    inputs.trans_rankings, ["disease", "symbol", "rank"], made_by="trans_diseases"
                ),  # fmt: skip
                read_result_table(
                    inputs.truth_causal, ["disease", "tf"], made_by="demo_diseases"
                ),  # fmt: skip
            )
        )
    if inputs.get("ctxreg_filters") is not None:
        parts.append(
            ctxreg_truth(
                read_meme(inputs.ctxreg_filters),
                read_meme(inputs.truth_motifs),
                truth_genes,
                cooccurrence,
                spacing,
                read_result_json(
                    inputs.truth_pair,
                    ["motif_a", "motif_b", "tf_a", "tf_b", "min_spacing", "max_spacing"],
                    made_by="demo_genome",
                ),  # fmt: skip
                motif_p_value=params.summary["motif_p_value"],
                fdr=fdr,
            )
        )
    if inputs.get("synthesis_targets") is not None:
        targets = read_result_table(
            inputs.synthesis_targets,
            ["tf", "symbol", "motif_id"]
            + [f"{score}_{test}_q" for score in SCORES for test in ("mw", "fisher")],
            made_by="synthesis_motifs",
        )
        parts.append(
            synthesis_summary(
                targets,
                read_result_table(
                    inputs.synthesis_importance_summary,
                    ["importance", "tfs", "spearman_rho", "p_value"],
                    made_by="synthesis_motifs",
                ),  # fmt: skip
                fdr=fdr,
            )
        )
        if inputs.get("truth_genes") is not None:
            parts.append(synthesis_truth(targets, truth_genes, fdr))
    if inputs.get("jaspar_mode"):
        parts.append(jaspar_mode_truth(read_pooled_importance(inputs.jaspar_mode), truth_genes))
    if inputs.get("synthesis_cis_trans") is not None:
        metrics = read_result_table(
            inputs.synthesis_cis_trans,
            ["model", "r2", "profile_r_median"],
            made_by="synthesis_cis_trans",
            keep_default_na=True,
        )
        parts.append(cis_trans_summary(metrics))
    table = summary_table(parts)
    write_tsv(table, snakemake.output.table)
    write_text(summary_markdown(table, params.source, params.approaches), snakemake.output.markdown)
    logging.info("summary:\n%s", table.to_string())
