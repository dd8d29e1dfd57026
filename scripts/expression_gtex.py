"""Rule expression_gtex: the chosen GTEx samples as log2(TPM + 1), and their sample QC.

Only the GTF's genes of `gene_types` are read (all genes when it is empty), so memory
follows the genes the compendium keeps: ~20,000 protein-coding of GTEx's 56,200.
"""

import logging

from cistrans.expression.genes import gene_annotation
from cistrans.expression.sources import gtex_source, selection_summary
from cistrans.io.gtf import read_gtf
from cistrans.io.h5ad import write_h5ad
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    gene_types = snakemake.params.gene_types
    genes = None
    if gene_types:
        annotation = gene_annotation(read_gtf(snakemake.input.gtf, features=["gene"]))
        genes = set(annotation.index[annotation.gene_type.isin(gene_types)])
        logging.info("reading the %d GTF genes of types %s", len(genes), ", ".join(gene_types))
    adata, qc = gtex_source(
        snakemake.input.gct, snakemake.input.attributes, snakemake.params.tissues, genes
    )
    write_h5ad(adata, snakemake.output.h5ad)
    write_tsv(qc, snakemake.output.qc, float_format=None)
    logging.info("%s", selection_summary(adata, qc))
