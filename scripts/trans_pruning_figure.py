"""Rule trans_pruning_figure: test explained variance against the TFs kept, with the marks."""

from cistrans.io.results import read_result_json, read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.trans import pruning_curve

with rule_logging(snakemake.log[0]):
    curve = read_result_table(
        snakemake.input.curve,
        ["n_tfs", "explained_variance"],
        made_by="trans_pruning",
        keep_default_na=True,
    )
    hierarchy = read_result_json(snakemake.input.hierarchy, ["knee"], made_by="trans_pruning")
    marks = {key: value for key, value in hierarchy.items() if key.startswith("tfs_for_")}
    pruning_curve(curve, {**marks, "knee": hierarchy["knee"]}, snakemake.output.figure)
