"""Rule cis_by_tissue_comparison: the cell-type mode's runs gathered: per model × feature set
× labels × tissue the test figures (min / mean / max over the seeds that did not collapse),
and per model × feature set × labels how well each test gene's profile across tissues is
predicted."""

import logging

import pandas as pd

from cistrans.cismodels.comparison import (
    GROUP,
    read_runs,
    summarise_profiles,
    summarise_runs,
    warn_left_out,
)
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

MADE_BY = "cis_train_by_tissue"

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs = snakemake.input
    runs = read_runs({MADE_BY: inputs.runs}, group=[*GROUP, "tissue"])
    warn_left_out(runs)
    comparison = summarise_runs(runs, **snakemake.params.windows, group=[*GROUP, "tissue"])
    write_tsv(comparison, snakemake.output.comparison)
    columns = [*GROUP, "seed", "gene_id", "split", "profile_r"]
    predictions = pd.concat(
        [read_result_table(path, columns, made_by=MADE_BY) for path in inputs.predictions],
        ignore_index=True,
    )
    profiles = summarise_profiles(predictions)
    write_tsv(profiles, snakemake.output.profiles)
    logging.info("per-gene profiles across tissues:\n%s", profiles.to_string())
