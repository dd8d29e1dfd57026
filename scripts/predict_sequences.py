"""Rule predict_sequences: the sequences of predict.sequence_table scored by a trained one-hot
cis model (rebuilt from its weights and sidecar), in the units of its label; a table of
variants scored as the predicted difference, alternative - reference."""

import logging

from cistrans.cismodels.predict import read_new_sequences, score_sequences
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.models import load_model
from cistrans.training import choose_device, use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)
    table = read_new_sequences(snakemake.input.table)
    model = load_model(snakemake.input.weights, device=str(choose_device(snakemake.params.device)))
    scores = score_sequences(model, table)
    write_tsv(scores, snakemake.output.predictions)
    logging.info(
        "%d %s of %s scored by %s (seed %d, %s-base window):\n%s",
        len(scores), "variants" if table.alternatives is not None else "sequences",
        snakemake.input.table, model.record.name, model.record.seed,
        model.record.shape.length, scores.describe().T.to_string(),
    )  # fmt: skip
