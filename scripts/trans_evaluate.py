"""Rule trans_evaluate: test-split accuracy of a trained trans model (tables; the figure is
drawn by rule trans_evaluation_figure)."""

import logging

from cistrans.io.results import write_json
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.data import load_trans_data
from cistrans.trans.evaluate import evaluate_on_test
from cistrans.trans.model import check_gene_order, load_models

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    model = load_models(snakemake.input.weights, snakemake.input.sidecars)
    data = load_trans_data(snakemake.input.compendium, model.tf_ids)
    check_gene_order(model, data.tf_ids, data.target_ids, source=snakemake.input.compendium)
    per_gene, metrics, extremes = evaluate_on_test(model, data)
    write_tsv(per_gene, snakemake.output.genes)
    write_json(metrics, snakemake.output.metrics)
    write_tsv(extremes, snakemake.output.extremes)
    logging.info("test split: %s", metrics)
