"""Rule trans_pruning: the pruning curve with the TF counts for each share of the full
explained variance and the knee, the ordered core TFs, and the hierarchy test (retained vs
removed TFs by known targets in the `trans.pruning.knowledge` table). The figure is drawn
by rule trans_pruning_figure."""

import logging

from cistrans.io.results import read_result_json, read_result_table, write_json
from cistrans.io.tables import write_tsv
from cistrans.io.trrust import read_tf_target_table
from cistrans.logs import rule_logging
from cistrans.trans.data import load_trans_data
from cistrans.trans.pruning import (
    grid_edge_warnings,
    hierarchy_test,
    known_target_counts,
    share_key,
    summarise_pruning,
    tf_count_warning,
)

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    full = read_result_json(
        snakemake.input.full_metrics, ["explained_variance"], made_by="trans_evaluate"
    )
    full_tfs = read_result_table(snakemake.input.full_importance, ["tf"], made_by="trans_lightup")
    steps = [(full["explained_variance"], list(full_tfs.tf))]
    for metrics, ranking in zip(
        snakemake.input.step_metrics, snakemake.input.step_importance, strict=True
    ):
        value = read_result_json(metrics, ["explained_variance"], made_by="trans_prune_step")
        tfs = read_result_table(ranking, ["tf"], made_by="trans_prune_step").tf
        steps.append((value["explained_variance"], list(tfs)))
    shares = snakemake.params.shares
    pruning = summarise_pruning(steps, shares)
    unpruned = tf_count_warning(snakemake.params.tf_counts, int(pruning.curve.n_tfs.iloc[0]))
    for warning in [unpruned, *grid_edge_warnings(pruning.curve, pruning.marks, shares)]:
        if warning:
            logging.warning("%s", warning)
    data = load_trans_data(snakemake.input.compendium)
    symbols = dict(zip(data.tf_ids, data.tf_symbols, strict=True))
    knowledge = snakemake.params.knowledge
    known = known_target_counts(
        read_tf_target_table(
            snakemake.input.knowledge, knowledge["format"], knowledge.get("min_confidence")
        ),
        {symbol: tf for tf, symbol in symbols.items()},
    )
    order = list(pruning.core.tf)
    cut = pruning.marks[share_key(shares[0])]
    test = hierarchy_test(order[:cut], order[cut:], known)
    write_tsv(pruning.curve, snakemake.output.curve)
    write_tsv(
        pruning.core.assign(symbol=pruning.core.tf.map(symbols).fillna("")), snakemake.output.core
    )
    write_json(
        {**pruning.marks, "knowledge": knowledge["name"], **test}, snakemake.output.hierarchy
    )
    logging.info("pruning marks: %s; hierarchy test: %s", pruning.marks, test)
