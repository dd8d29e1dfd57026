"""Rule trans_diseases_figure: predicted vs observed target changes, per disease."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.trans import disease_scatter

with rule_logging(snakemake.log[0]):
    predictions = read_result_table(
        snakemake.input.predictions,
        ["disease", "predicted", "observed"],
        made_by="trans_diseases",
        keep_default_na=True,
    )
    summary = read_result_table(
        snakemake.input.summary, ["disease", "rho"], made_by="trans_diseases", keep_default_na=True
    )
    disease_scatter(predictions, summary, snakemake.output.figure)
