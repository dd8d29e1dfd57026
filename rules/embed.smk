"""Language-model embeddings of the windows' segments, one scattered job per chunk of genes."""

EMBED = "results/embed"


scattergather:
    embed=config["embed"]["chunks"],


rule embed_chunk:
    input:
        unpack(embedding_model_input),
        windows=f"{SEQUENCE}/windows.fa.gz",
    output:
        embeddings=f"{EMBED}/{{model}}/chunk_{{scatteritem}}.npy",
        genes=f"{EMBED}/{{model}}/chunk_{{scatteritem}}.genes.tsv",
    log:
        "logs/embed/{model}/chunk_{scatteritem}.log",
    benchmark:
        "benchmarks/results/embed/{model}/chunk_{scatteritem}.tsv"
    wildcard_constraints:
        scatteritem=r"\d+-of-\d+",
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["embed"]["threads"])
    resources:
        mem_mb=8000,
        gpu=1 if config["embed"]["device"] == "cuda" else 0,
    params:
        model=embedding_model_settings,
        embed=settings("embed", exclude=("models", "chunks", "threads")),
    script:
        "../scripts/embed_chunk.py"


rule embed_gather:
    input:
        embeddings=gather.embed(f"{EMBED}/{{{{model}}}}/chunk_{{scatteritem}}.npy"),
        genes=gather.embed(f"{EMBED}/{{{{model}}}}/chunk_{{scatteritem}}.genes.tsv"),
    output:
        index=f"{EMBED}/{{model}}/chunks.tsv",
    log:
        "logs/embed/{model}/gather.log",
    benchmark:
        "benchmarks/results/embed/{model}/gather.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/embed_gather.py"
