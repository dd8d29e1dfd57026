"""Rule trans_validation: light-up against known TF-target regulation, beside the
|Spearman| control (tables; the figure is drawn by rule trans_validation_figure)."""

import logging

from cistrans.io.results import read_result_matrix
from cistrans.io.tables import write_tsv
from cistrans.io.trrust import read_tf_target_table
from cistrans.logs import rule_logging
from cistrans.trans.data import load_trans_data
from cistrans.trans.validation import validate_tables

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    scores = read_result_matrix(snakemake.input.scores, made_by="trans_lightup")
    data = load_trans_data(snakemake.input.compendium, list(scores.index))
    tables = {}
    for table in snakemake.params.knowledge:
        path = snakemake.input[f"table_{table['name']}"]
        edges = read_tf_target_table(path, table["format"], table.get("min_confidence"))
        tables[table["name"]] = (path, edges)
    summary, per_target = validate_tables(scores, data, tables)
    write_tsv(summary, snakemake.output.summary)
    write_tsv(per_target, snakemake.output.per_target)
    logging.info("validation:\n%s", summary.to_string())
