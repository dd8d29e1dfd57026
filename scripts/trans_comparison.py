"""Rule trans_comparison: the trans models (network, linear baseline, ensemble) side by side
on test accuracy, validation against known regulation and disease predictions, and which
is better on each figure."""

import logging

from cistrans.io.results import read_result_json, read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.trans.comparison import ACCURACY, VALIDATION, better_models, compare_models

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    models = snakemake.params.models
    inputs = snakemake.input
    comparison = compare_models(
        {
            model: read_result_json(path, list(ACCURACY), made_by="trans_evaluate")
            for model, path in zip(models, inputs.metrics, strict=True)
        },
        {
            model: read_result_table(
                path, ["table", *VALIDATION], made_by="trans_validation", keep_default_na=True
            )
            for model, path in zip(models, inputs.validation, strict=True)
        },
        {
            model: read_result_table(
                path,
                ["disease", "rho", "fisher_p", "fisher_fdr"],
                made_by="trans_diseases",
                keep_default_na=True,
            )
            for model, path in zip(models, inputs.diseases, strict=True)
        },
    )
    write_tsv(comparison, snakemake.output.comparison)
    logging.info("trans models:\n%s", comparison.to_string())
    better = better_models(comparison)
    write_tsv(better, snakemake.output.better)
    logging.info("the better trans model per figure:\n%s", better.to_string())
