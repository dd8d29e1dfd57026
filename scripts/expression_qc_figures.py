"""Rule expression_qc_figures: embeddings by tissue and source, and sample QC distributions."""

from cistrans.logs import rule_logging
from cistrans.plots.expression_qc import draw_expression_qc

with rule_logging(snakemake.log[0]):
    draw_expression_qc(**snakemake.input, **snakemake.output, seed=snakemake.params.seed)
