"""Real data (source: download): the public sources fetched into resources/."""

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
