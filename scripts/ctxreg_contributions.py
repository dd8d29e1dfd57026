"""Rule ctxreg_contributions: every seed's contributions wₖ(x)·mₖ(x) gathered into one
AnnData (obs: genes with label and split; var: the seeds' filters with their JASPAR match)."""

import logging

from cistrans.cismodels.data import label_column
from cistrans.ctxreg.clusters import gathered_contributions
from cistrans.io.h5ad import write_h5ad
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    runs = {
        run: read_result_table(path, ["gene_id"], made_by="ctxreg_train").set_index("gene_id")
        for run, path in zip(snakemake.params.runs, snakemake.input.contributions, strict=True)
    }
    labels = read_result_table(
        snakemake.input.labels, ["gene_id", "split"], made_by="sequence_labels"
    )
    labels = labels.rename(columns={label_column(labels): "label"})  # yours: its own name
    matches = read_result_table(snakemake.input.matches, ["motif"], made_by="ctxreg_motifs")
    adata = gathered_contributions(runs, labels, matches.set_index("motif"))
    write_h5ad(adata, snakemake.output.contributions)
    logging.info("contributions: %d genes × %d filters", *adata.shape)
