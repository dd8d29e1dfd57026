"""Rule cis_figures: the cis models side by side (test pearson_r2, Spearman ρ and r2, min-max
over the seeds pooled, beside their permuted-label controls, collapsed runs marked, the
strongest simple baseline's level over each best learned model), and the best run's
predicted vs observed test genes."""

import pandas as pd

from cistrans.cismodels.comparison import GROUP, LEARNING_ADDS_COLUMNS
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.cis import comparison_bars, predicted_vs_observed

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    comparison = read_result_table(
        snakemake.input.comparison,
        [*GROUP, "pearson_r2_mean", "spearman_rho_mean", "n_collapsed"],
        made_by="cis_comparison",
        keep_default_na=True,  # a group whose every run collapsed has blank figures
    )
    learning_adds = read_result_table(
        snakemake.input.learning_adds, LEARNING_ADDS_COLUMNS, made_by="cis_comparison"
    )
    comparison_bars(comparison, snakemake.output.comparison, learning_adds)
    columns = [*GROUP, "seed", "split", "observed", "predicted"]
    predictions = pd.concat(
        [read_result_table(path, columns, made_by="cis_baselines or cis_train")
         for path in snakemake.input.predictions],
        ignore_index=True,
    )  # fmt: skip
    predicted_vs_observed(predictions, comparison, snakemake.output.best)
