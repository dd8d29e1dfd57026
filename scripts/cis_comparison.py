"""Rule cis_comparison: every cis run (the baselines, each sequence-model job and, with the
ctxreg approach, each contextual-regression job) gathered into min / mean / max per model ×
feature set × labels over the runs that did not collapse, with the window each model read
and the runs pooled and collapsed counted; and what learning adds, per feature set the best
learned model against the strongest simple baseline."""

import logging

from cistrans.cismodels.comparison import (
    learning_adds,
    read_runs,
    summarise_runs,
    warn_left_out,
)
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs = snakemake.input
    runs = read_runs(
        {
            "cis_baselines": [inputs.baselines],
            "cis_train": inputs.runs,
            "ctxreg_train": inputs.ctxreg,
            "ctxreg_jaspar_mode": inputs.jaspar_mode,
            "ctxreg_jaspar_ridge": inputs.jaspar_ridge,
        }
    )
    warn_left_out(runs)
    comparison = summarise_runs(runs, **snakemake.params.windows)
    write_tsv(comparison, snakemake.output.comparison)
    logging.info("cis comparison:\n%s", comparison.to_string())
    adds = learning_adds(comparison, runs)
    write_tsv(adds, snakemake.output.learning_adds)
    logging.info("what learning adds:\n%s", adds.to_string())
