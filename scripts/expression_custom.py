"""Rule expression_custom: your own compendium (an .h5ad, or a matrix + sample sheet)."""

import logging

from cistrans.expression.sources import custom_source, selection_summary
from cistrans.io.h5ad import write_h5ad
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    adata, qc = custom_source(
        snakemake.input.matrix, snakemake.input.get("samples"), snakemake.params.custom_values
    )
    write_h5ad(adata, snakemake.output.h5ad)
    write_tsv(qc, snakemake.output.qc, float_format=None)
    logging.info("%s", selection_summary(adata, qc))
