"""Rule cis_comparison: every cis run gathered into min / mean / max per model × feature set ×
labels × window."""

import logging

from cistrans.cismodels.comparison import GROUP, METRICS, summarise_runs
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    runs = read_result_table(
        snakemake.input.baselines, [*GROUP, "seed", *METRICS], made_by="cis_baselines"
    )
    comparison = summarise_runs(runs, snakemake.params.window)
    write_tsv(comparison, snakemake.output.comparison)
    logging.info("cis comparison:\n%s", comparison.to_string())
