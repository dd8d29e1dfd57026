"""Rule expression_qc: PCA and UMAP coordinates of the compendium's samples."""

from cistrans.expression.qc import embedding_coordinates
from cistrans.io.files import rerun_rule
from cistrans.io.h5ad import read_h5ad
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    adata = read_h5ad(snakemake.input.compendium, rerun_rule("expression_compendium"))
    write_tsv(embedding_coordinates(adata, snakemake.params.seed), snakemake.output.coordinates)
