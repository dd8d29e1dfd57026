"""Rule embed_gather: read back every chunk of a model's embeddings and index them."""

from cistrans.io.chunks import chunk_index
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    table = chunk_index(
        list(snakemake.input.embeddings), list(snakemake.input.genes), snakemake.output.index
    )
    write_tsv(table, snakemake.output.index)
