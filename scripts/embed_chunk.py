"""Rule embed_chunk: language-model embeddings of one chunk of windows."""

from cistrans.logs import rule_logging
from cistrans.sequence.build import build_embedding_chunk
from cistrans.training import use_threads

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_embedding_chunk(
        windows=snakemake.input.windows,
        **snakemake.output,
        scatteritem=snakemake.wildcards.scatteritem,
        model=snakemake.params.model,
        settings=snakemake.params.settings,
    )
