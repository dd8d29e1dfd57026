"""Rule cis_tf_features: each gene's light-up scores from the core TFs the pruning sweep
keeps (zeros and an indicator for genes the trans model does not predict)."""

import logging

from cistrans.cismodels.tf_features import MISSING, tf_features
from cistrans.io.results import read_result_matrix, read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    scores = read_result_matrix(snakemake.input.scores, made_by="trans_lightup")
    core = read_result_table(snakemake.input.core, ["tf"], made_by="trans_pruning")
    labels = read_result_table(snakemake.input.labels, ["gene_id"], made_by="sequence_labels")
    features = tf_features(scores, core.tf.tolist(), labels.gene_id.tolist())
    write_tsv(features.reset_index(), snakemake.output.features)
    logging.info(
        "TF features of %d core TFs for %d genes (%d not predicted by the trans model)",
        len(core),
        len(features),
        int(features[MISSING].sum()),
    )
