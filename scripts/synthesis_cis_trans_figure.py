"""Rule synthesis_cis_trans_figure: cis alone, trans alone and together on the held-out genes
in every tissue (levels and per-gene profiles across tissues), beside the permuted-label
control."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.synthesis import cis_trans_panels
from cistrans.synthesis.cis_trans import METRIC_COLUMNS, PREDICTION_COLUMNS

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    read = {"made_by": "synthesis_cis_trans", "keep_default_na": True}  # NaN: undefined r
    cis_trans_panels(
        read_result_table(snakemake.input.metrics, METRIC_COLUMNS, **read),
        read_result_table(snakemake.input.predictions, PREDICTION_COLUMNS, **read),
        snakemake.output.figure,
    )
