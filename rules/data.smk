"""Inputs: the simulated demo world (real-data downloads plug in beside it)."""


rule demo_network:
    output:
        genes=f"{TRUTH}/genes.tsv",
        edges=f"{TRUTH}/tf_edges.tsv",
        masters=f"{TRUTH}/master_regulators.tsv",
        programmes=f"{TRUTH}/tissue_programmes.tsv",
        motifs=f"{TRUTH}/motifs.meme",
    log:
        "logs/demo/network.log",
    benchmark:
        "benchmarks/results/demo/network.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        jaspar_release=config["demo"]["jaspar_release"],
        settings=settings("demo", "network"),
    script:
        "../scripts/demo_network.py"


rule demo_genome:
    input:
        network=rules.demo_network.output,
    output:
        fasta=f"{DEMO}/genome/genome.fa",
        fai=f"{DEMO}/genome/genome.fa.fai",
        gtf=f"{DEMO}/genome/annotation.gtf.gz",
        instances=f"{TRUTH}/motif_instances.tsv",
        structures=f"{TRUTH}/gene_structures.tsv",
        baselines=f"{TRUTH}/baselines.tsv",
        mrna_effects=f"{TRUTH}/mrna_effects.tsv",
        pair=f"{TRUTH}/cooperative_pair.json",
    log:
        "logs/demo/genome.log",
    benchmark:
        "benchmarks/results/demo/genome.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        settings=settings("demo", "genome"),
    script:
        "../scripts/demo_genome.py"


rule demo_expression:
    input:
        network=rules.demo_network.output,
        structures=rules.demo_genome.output.structures,
        baselines=rules.demo_genome.output.baselines,
    output:
        gtex_tpm=DEMO_INPUTS["gtex_tpm"],
        gtex_samples=DEMO_INPUTS["gtex_samples"],
        archs4=DEMO_INPUTS["archs4"],
        samples=f"{TRUTH}/samples.tsv",
    log:
        "logs/demo/expression.log",
    benchmark:
        "benchmarks/results/demo/expression.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        settings=settings("demo", "expression"),
    script:
        "../scripts/demo_expression.py"


rule demo_knowledge:
    input:
        network=rules.demo_network.output,
    output:
        tf_list=DEMO_INPUTS["tf_list"],
        trrust=DEMO_INPUTS["trrust"],
    log:
        "logs/demo/knowledge.log",
    benchmark:
        "benchmarks/results/demo/knowledge.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        settings=settings("demo", "knowledge"),
    script:
        "../scripts/demo_knowledge.py"


rule demo_diseases:
    input:
        network=rules.demo_network.output,
        structures=rules.demo_genome.output.structures,
        baselines=rules.demo_genome.output.baselines,
    output:
        sheet=DEMO_INPUTS["disease_sheet"],
        analytics=expand(
            f"{DEMO}/diseases/atlas/{{accession}}-analytics.tsv",
            accession=demo_accessions(),
        ),
        configurations=expand(
            f"{DEMO}/diseases/atlas/{{accession}}-configuration.xml",
            accession=demo_accessions(),
        ),
        gwas=DEMO_INPUTS["gwas"],
        causal=f"{TRUTH}/disease_causal_tfs.tsv",
    log:
        "logs/demo/diseases.log",
    benchmark:
        "benchmarks/results/demo/diseases.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        accessions=demo_accessions(),
        seed=config["demo"]["seed"],
        noise_sd=config["demo"]["expression"]["noise_sd"],
        settings=settings("demo", "diseases", exclude=["n_diseases"]),
    script:
        "../scripts/demo_diseases.py"


rule demo_language_model:
    output:
        directory(DEMO_INPUTS["dnabert_model"]),
    log:
        "logs/demo/language_model.log",
    benchmark:
        "benchmarks/results/demo/language_model.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        settings=settings("demo", "language_model"),
    script:
        "../scripts/demo_language_model.py"


rule demo_overview:
    input:
        gtex_tpm=rules.demo_expression.output.gtex_tpm,
        gtex_samples=rules.demo_expression.output.gtex_samples,
        baselines=rules.demo_genome.output.baselines,
        instances=rules.demo_genome.output.instances,
        pair=rules.demo_genome.output.pair,
        edges=rules.demo_network.output.edges,
        masters=rules.demo_network.output.masters,
    output:
        figure=report(
            "results/demo/world_overview.png",
            caption="../report/demo_world.rst",
            category="Demo world",
        ),
    log:
        "logs/demo/overview.log",
    benchmark:
        "benchmarks/results/demo/overview.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/demo_overview.py"


# Real data (source: download). Each rule fetches one file of a public source into
# resources/<source>/ with cistrans.io.download: resumable (HTTP Range), retried with
# back-off, written to <name>.part and moved into place only when whole, checked against
# its size and checksum when known, then write-protected. Only the file's path is a param:
# the URL (a mirror), the expected checksum and the transport settings are read from
# config `download` by the script, because they do not change what the file is and a
# changed param would make Snakemake want to overwrite write-protected raw data.
# Downloads run where Snakemake runs (localrules: the login node of a cluster), so compute
# nodes need no internet; `snakemake download_all` fetches everything in advance.


localrules:
    download_gtex_tpm,
    download_gtex_reads,
    download_gtex_median_tpm,
    download_gtex_samples,
    download_archs4,
    download_gencode_gtf,
    download_genome,
    download_tf_list,
    download_trrust,
    download_collectri,
    download_dorothea,
    download_gwas,
    download_atlas,
    download_model,
    download_all,


rule download_gtex_tpm:
    output:
        downloaded("gtex_tpm"),
    log:
        "logs/download/gtex_tpm.log",
    benchmark:
        "benchmarks/results/download/gtex_tpm.tsv"
    retries: config["download"]["job_retries"]
    conda:
        "../envs/cistrans.yaml"
    params:
        path=REMOTE["gtex_tpm"].path,
    script:
        "../scripts/download_file.py"


use rule download_gtex_tpm as download_gtex_reads with:
    output:
        downloaded("gtex_reads"),
    log:
        "logs/download/gtex_reads.log",
    benchmark:
        "benchmarks/results/download/gtex_reads.tsv"
    params:
        path=REMOTE["gtex_reads"].path,


use rule download_gtex_tpm as download_gtex_median_tpm with:
    output:
        downloaded("gtex_median_tpm"),
    log:
        "logs/download/gtex_median_tpm.log",
    benchmark:
        "benchmarks/results/download/gtex_median_tpm.tsv"
    params:
        path=REMOTE["gtex_median_tpm"].path,


use rule download_gtex_tpm as download_gtex_samples with:
    output:
        downloaded("gtex_samples"),
    log:
        "logs/download/gtex_samples.log",
    benchmark:
        "benchmarks/results/download/gtex_samples.tsv"
    params:
        path=REMOTE["gtex_samples"].path,


use rule download_gtex_tpm as download_archs4 with:
    output:
        downloaded("archs4"),
    log:
        "logs/download/archs4.log",
    benchmark:
        "benchmarks/results/download/archs4.tsv"
    params:
        path=REMOTE["archs4"].path,


use rule download_gtex_tpm as download_gencode_gtf with:
    output:
        downloaded("annotation_gtf"),
    log:
        "logs/download/gencode_gtf.log",
    benchmark:
        "benchmarks/results/download/gencode_gtf.tsv"
    params:
        path=REMOTE["annotation_gtf"].path,


use rule download_gtex_tpm as download_genome with:
    output:
        downloaded("genome_fasta_gz"),
    log:
        "logs/download/genome.log",
    benchmark:
        "benchmarks/results/download/genome.tsv"
    params:
        path=REMOTE["genome_fasta_gz"].path,


use rule download_gtex_tpm as download_tf_list with:
    output:
        downloaded("tf_list"),
    log:
        "logs/download/tf_list.log",
    benchmark:
        "benchmarks/results/download/tf_list.tsv"
    params:
        path=REMOTE["tf_list"].path,


use rule download_gtex_tpm as download_trrust with:
    output:
        downloaded("trrust"),
    log:
        "logs/download/trrust.log",
    benchmark:
        "benchmarks/results/download/trrust.tsv"
    params:
        path=REMOTE["trrust"].path,


use rule download_gtex_tpm as download_collectri with:
    output:
        downloaded("collectri"),
    log:
        "logs/download/collectri.log",
    benchmark:
        "benchmarks/results/download/collectri.tsv"
    params:
        path=REMOTE["collectri"].path,


use rule download_gtex_tpm as download_dorothea with:
    output:
        downloaded("dorothea"),
    log:
        "logs/download/dorothea.log",
    benchmark:
        "benchmarks/results/download/dorothea.tsv"
    params:
        path=REMOTE["dorothea"].path,


use rule download_gtex_tpm as download_gwas with:
    output:
        downloaded("gwas"),
    log:
        "logs/download/gwas.log",
    benchmark:
        "benchmarks/results/download/gwas.tsv"
    params:
        path=REMOTE["gwas"].path,


# Expression Atlas analytics (`<ACC>[_<ARRAY>]-analytics.tsv`) and configuration files of the
# experiments in the disease sheet (config/diseases.tsv).
use rule download_gtex_tpm as download_atlas with:
    output:
        ensure(protected(f"{DOWNLOAD}/diseases/atlas/{{file}}"), non_empty=True),
    log:
        "logs/download/atlas/{file}.log",
    benchmark:
        "benchmarks/results/download/atlas/{file}.tsv"
    wildcard_constraints:
        file=r"E-[A-Z]+-\d+(_A-[A-Z]+-\d+)?-(analytics\.tsv|configuration\.xml)",
    params:
        path=lambda wildcards: f"diseases/atlas/{wildcards.file}",


# A Hugging Face model folder (DNABERT-6, DNABERT-2), loadable offline by path.
rule download_model:
    output:
        protected(directory(f"{DOWNLOAD}/models/{{model}}")),
    log:
        "logs/download/model_{model}.log",
    benchmark:
        "benchmarks/results/download/model_{model}.tsv"
    wildcard_constraints:
        model="dnabert6|dnabert2",
    retries: config["download"]["job_retries"]
    conda:
        "../envs/cistrans.yaml"
    params:
        model="{model}",
    script:
        "../scripts/download_model.py"


# pyfaidx reads plain or bgzip FASTA by position, GENCODE ships plain gzip: decompress.
rule download_genome_decompress:
    input:
        rules.download_genome.output,
    output:
        fasta=DOWNLOAD_INPUTS["genome_fasta"],
        fai=f"{DOWNLOAD_INPUTS['genome_fasta']}.fai",
    log:
        "logs/download/genome_decompress.log",
    benchmark:
        "benchmarks/results/download/genome_decompress.tsv"
    conda:
        "../envs/cistrans.yaml"
    resources:
        runtime=60,
    script:
        "../scripts/download_genome_decompress.py"


# Every real input of the config, fetched in advance (login node: `snakemake download_all`).
rule download_all:
    input:
        download_targets,
