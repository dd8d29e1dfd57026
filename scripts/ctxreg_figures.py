"""Rule ctxreg_figures: the gene clusters (UMAP by cluster and by expression, expression per
cluster) and the logos of the filters with the best JASPAR matches."""

from cistrans.io.motifs import read_meme
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.ctxreg import cluster_maps, filter_logos

with rule_logging(snakemake.log[0]):
    inputs = snakemake.input
    clusters = read_result_table(inputs.clusters, ["gene_id", "cluster"], made_by="ctxreg_clusters")
    expression = read_result_table(inputs.expression, ["cluster"], made_by="ctxreg_clusters")
    cluster_maps(clusters, expression, snakemake.output.clusters)
    matches = read_result_table(inputs.matches, ["motif", "p_value"], made_by="ctxreg_motifs")
    filter_logos(read_meme(inputs.motifs), matches, snakemake.output.motifs)
