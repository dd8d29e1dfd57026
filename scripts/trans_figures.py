"""Rule trans_figures: the trans approach's figures, drawn from the tables its rules wrote."""

from cistrans.io.results import read_result_json, read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.trans import (
    disease_scatter,
    model_comparison,
    pruning_curve,
    r2_distribution,
    validation,
)

inputs, outputs = snakemake.input, snakemake.output


def table(path: str, columns: list[str], made_by: str):
    """A result table with empty cells as missing values."""
    return read_result_table(path, columns, made_by=made_by, keep_default_na=True)


with rule_logging(snakemake.log[0], inputs=snakemake.input):
    for model in snakemake.params.models:
        r2_distribution(
            table(inputs[f"{model}_genes"], ["r2"], "trans_evaluate"),
            read_result_json(inputs[f"{model}_metrics"], [], made_by="trans_evaluate"),
            outputs[f"{model}_r2"],
        )
        validation(
            table(inputs[f"{model}_validation"], ["table", "auroc", "control_auroc"],
                  "trans_validation"),
            table(inputs[f"{model}_validation_per_target"], ["table", "fold", "control_fold"],
                  "trans_validation"),
            outputs[f"{model}_validation"],
        )  # fmt: skip
        disease_scatter(
            table(inputs[f"{model}_disease_predictions"], ["disease", "predicted", "observed"],
                  "trans_diseases"),
            table(inputs[f"{model}_diseases"], ["disease", "rho", "fisher_p"], "trans_diseases"),
            outputs[f"{model}_diseases"],
        )  # fmt: skip
    model_comparison(
        table(inputs.comparison, ["model", "explained_variance"], "trans_comparison"),
        outputs.models,
        better=table(inputs.better, ["figure", "better", "margin"], "trans_comparison"),
    )
    hierarchy = read_result_json(inputs.hierarchy, ["knee"], made_by="trans_pruning")
    marks = {key: value for key, value in hierarchy.items() if key.startswith("tfs_for_")}
    pruning_curve(
        table(inputs.curve, ["n_tfs", "explained_variance"], "trans_pruning"),
        {**marks, "knee": hierarchy["knee"]},
        outputs.pruning,
    )
