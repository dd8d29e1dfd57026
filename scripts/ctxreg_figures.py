"""Rule ctxreg_figures: the gene clusters (UMAP by cluster and by expression, expression per
cluster), the logos of the filters with the best JASPAR matches, and the grammar (the
co-occurrence network, the preferred spacings and the in-silico spacing scan); with
ctxreg.jaspar_mode, the known motifs' importance pooled over the seeds."""

from cistrans.ctxreg.jaspar_mode import read_pooled_importance
from cistrans.io.motifs import read_meme
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.ctxreg import (
    cluster_maps,
    filter_logos,
    grammar_panels,
    insilico_curves,
    jaspar_mode_importance,
)

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs = snakemake.input
    clusters = read_result_table(inputs.clusters, ["gene_id", "cluster"], made_by="ctxreg_clusters")
    expression = read_result_table(inputs.expression, ["cluster"], made_by="ctxreg_clusters")
    cluster_maps(clusters, expression, snakemake.output.clusters)
    matches = read_result_table(inputs.matches, ["motif", "p_value"], made_by="ctxreg_motifs")
    filter_logos(read_meme(inputs.motifs), matches, snakemake.output.motifs)
    grammar_panels(
        read_result_table(inputs.cooccurrence, ["motif_a", "motif_b"], made_by="ctxreg_grammar"),
        read_result_table(inputs.communities, ["motif_id", "community"], made_by="ctxreg_grammar"),
        read_result_table(inputs.spacing, ["motif_a", "motif_b"], made_by="ctxreg_grammar"),
        snakemake.output.grammar,
    )
    insilico_curves(
        read_result_table(inputs.insilico, ["spacing", "change"], made_by="ctxreg_insilico"),
        snakemake.output.insilico,
    )
    if inputs.importance:
        jaspar_mode_importance(
            read_pooled_importance(inputs.importance), snakemake.output.importance
        )
