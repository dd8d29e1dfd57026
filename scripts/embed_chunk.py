"""Rule embed_chunk: language-model embeddings of one chunk of windows, float16
(genes, segments, hidden) and the chunk's gene ids."""

import logging

from cistrans.io.chunks import chunk_bounds, chunk_of, write_chunk
from cistrans.logs import rule_logging
from cistrans.sequence.embed import embed_windows
from cistrans.sequence.language_model import load_language_model
from cistrans.sequence.windows import read_windows
from cistrans.training import use_threads

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    model, embed = snakemake.params.model, snakemake.params.embed
    index, total = chunk_of(snakemake.wildcards.scatteritem)
    sequences = read_windows(snakemake.input.windows)
    ids = list(sequences)
    start, stop = chunk_bounds(len(ids), total)[index]
    lm = load_language_model(
        model["path"], model.get("trust_remote_code", False), embed["device"], embed["dtype"]
    )
    logging.info(
        "chunk %d of %d: genes %d-%d of %d, model %s on %s (%s)",
        index + 1, total, start + 1, stop, len(ids), model["path"], lm.device, lm.dtype,
    )  # fmt: skip
    embeddings = embed_windows(
        lm,
        [sequences[gene] for gene in ids[start:stop]],
        embed["segment_length"],
        embed["stride"],
        embed["pooling"],
        embed["batch_size"],
        progress=True,
    )
    write_chunk(snakemake.output.embeddings, snakemake.output.genes, embeddings, ids[start:stop])
    logging.info("wrote %s: shape %s", snakemake.output.embeddings, embeddings.shape)
