"""Real data (source: download): the public sources fetched into resources/."""

# Real data (source: download). Rule `download` fetches one file of a public source into
# resources/<source>/ with cistrans.io.catalogue.download_file: resumable (HTTP Range),
# retried with back-off, written to <name>.part and moved into place only when whole,
# checked against its size and checksum when known (a mismatch removes the file and fails
# the job; Snakemake's ensure() cannot carry the checksum here, as one rule serves files
# with md5, sha256 or no known checksum and ensure() takes one fixed algorithm), then
# write-protected. Only the file's path is a param: the URL (a mirror), the expected
# checksum and the transport settings are read from config `download` by the script,
# because they do not change what the file is and a changed param would make Snakemake
# want to overwrite write-protected raw data.
# Downloads run where Snakemake runs (localrules: the login node of a cluster), so compute
# nodes need no internet; `snakemake download_all` fetches everything in advance.


localrules:
    download,
    download_model,
    download_all,


# One file: a catalogue file (GTEx, ARCHS4, GENCODE, TF list, TRRUST, CollecTRI, DoRothEA,
# GWAS Catalog) or an Expression Atlas analytics (`<ACC>[_<ARRAY>]-analytics.tsv`) or
# configuration file of an experiment of the disease sheet (config/diseases.tsv), by its
# path under resources/ (DOWNLOAD_PATHS in rules/common.smk lists them).
rule download:
    output:
        ensure(protected(f"{DOWNLOAD}/{{path}}"), non_empty=True),
    log:
        "logs/download/{path}.log",
    benchmark:
        "benchmarks/results/download/{path}.tsv"
    wildcard_constraints:
        path=DOWNLOAD_PATHS,
    retries: config["download"]["job_retries"]
    conda:
        "../envs/cistrans.yaml"
    params:
        path="{path}",
    script:
        "../scripts/download_file.py"


# A Hugging Face model folder (DNABERT-6, DNABERT-2), loadable offline by path.
rule download_model:
    output:
        protected(directory(f"{DOWNLOAD}/models/{{model}}")),
    log:
        "logs/download/model_{model}.log",
    benchmark:
        "benchmarks/results/download/model_{model}.tsv"
    wildcard_constraints:
        model=MODEL_NAMES,
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
        DOWNLOAD_INPUTS["genome_fasta_gz"],
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


# The GWAS Catalog's full release is a zip (the plain TSV is cut to ~200,000 rows upstream
# since late 2025): unpack its table to the TSV the workflow reads, logging its row count.
# A download.urls.gwas ending in .tsv (an older release, a mirror) is fetched as the table
# itself by rule download, and this rule is not defined.
if "gwas_zip" in REMOTE:

    rule download_gwas_unzip:
        input:
            DOWNLOAD_INPUTS["gwas_zip"],
        output:
            DOWNLOAD_INPUTS["gwas"],
        log:
            "logs/download/gwas_unzip.log",
        benchmark:
            "benchmarks/results/download/gwas_unzip.tsv"
        conda:
            "../envs/cistrans.yaml"
        resources:
            runtime=30,
        script:
            "../scripts/download_gwas_unzip.py"


# Every real input of the config, fetched in advance (login node: `snakemake download_all`).
rule download_all:
    input:
        download_targets,
