"""Rule trans_evaluation_figure: the distribution of per-gene test R² of a trans model."""

from cistrans.io.results import read_result_json, read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.trans import r2_distribution

with rule_logging(snakemake.log[0]):
    genes = read_result_table(
        snakemake.input.genes, ["r2"], made_by="trans_evaluate", keep_default_na=True
    )
    metrics = read_result_json(snakemake.input.metrics, [], made_by="trans_evaluate")
    r2_distribution(genes, metrics, snakemake.output.figure)
