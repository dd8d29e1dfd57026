"""Rule trans_validation_figure: per-target folds and AUROC, light-up vs |Spearman|."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.trans import validation

with rule_logging(snakemake.log[0]):
    summary = read_result_table(
        snakemake.input.summary,
        ["table", "auroc", "control_auroc"],
        made_by="trans_validation",
        keep_default_na=True,
    )
    per_target = read_result_table(
        snakemake.input.per_target,
        ["table", "fold", "control_fold"],
        made_by="trans_validation",
        keep_default_na=True,
    )
    validation(summary, per_target, snakemake.output.figure)
