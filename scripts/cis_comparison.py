"""Rule cis_comparison: every cis run (the baselines, each sequence-model job and, with the
ctxreg approach, each contextual-regression job) gathered into min / mean / max per model ×
feature set × labels, with the window each model read."""

import logging

import pandas as pd

from cistrans.cismodels.comparison import GROUP, METRICS, summarise_runs
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    columns = [*GROUP, "seed", *METRICS]
    runs = pd.concat(
        [read_result_table(snakemake.input.baselines, columns, made_by="cis_baselines")]
        + [read_result_table(path, columns, made_by="cis_train") for path in snakemake.input.runs]
        + [read_result_table(p, columns, made_by="ctxreg_train") for p in snakemake.input.ctxreg],
        ignore_index=True,
    )
    comparison = summarise_runs(runs, **snakemake.params.windows)
    write_tsv(comparison, snakemake.output.comparison)
    logging.info("cis comparison:\n%s", comparison.to_string())
