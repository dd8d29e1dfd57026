"""Rule synthesis_motif_figures: the motif links between the light-up targets and their
promoters, and motif importance against the pruning rank, from synthesis_motifs' tables."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.motif_links import importance_against_pruning, motif_targets

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, made_by = snakemake.input, "synthesis_motifs"
    motif_targets(
        read_result_table(inputs.targets, ["lightup_auc", "spearman_auc"], made_by=made_by),
        read_result_table(inputs.targets_summary, ["score", "linked_share"], made_by=made_by),
        snakemake.output.targets,
    )
    importance_against_pruning(
        read_result_table(
            inputs.importance, ["tf", "pruning_rank"], made_by=made_by, keep_default_na=True
        ),
        read_result_table(
            inputs.importance_summary, ["importance", "spearman_rho"], made_by=made_by
        ),
        snakemake.output.importance,
    )
