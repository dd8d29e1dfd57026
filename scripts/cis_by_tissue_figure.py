"""Rule cis_by_tissue_figure: the cell-type mode's test figures per tissue and its per-gene
profile correlations across tissues, beside the permuted-label controls."""

from cistrans.cismodels.comparison import GROUP
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.cis import by_tissue_panels

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    made_by = "cis_by_tissue_comparison"
    comparison = read_result_table(
        snakemake.input.comparison,
        [*GROUP, "tissue", "pearson_r2_mean"],
        made_by=made_by,
        keep_default_na=True,  # blank figures where every run collapsed
    )
    profiles = read_result_table(
        snakemake.input.profiles, [*GROUP, "median_profile_r_mean"], made_by=made_by
    )
    by_tissue_panels(comparison, profiles, snakemake.output.figure)
