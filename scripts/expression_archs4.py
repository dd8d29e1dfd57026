"""Rule expression_archs4: the chosen ARCHS4 samples, QC-filtered and normalised."""

import logging

from cistrans.expression.sources import archs4_source, selection_summary
from cistrans.io.h5ad import write_h5ad
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    adata, qc = archs4_source(snakemake.input.h5, **snakemake.params.archs4)
    write_h5ad(adata, snakemake.output.h5ad)
    write_tsv(qc, snakemake.output.qc, float_format=None)
    logging.info("%s", selection_summary(adata, qc))
