"""Rule embed_gather: check every chunk of a model's embeddings and index them."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_embedding_index

with rule_logging(snakemake.log[0]):
    build_embedding_index(
        list(snakemake.input.embeddings), list(snakemake.input.genes), snakemake.output.index
    )
