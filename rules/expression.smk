"""The expression compendium: each source to an AnnData, then joined, filtered and split."""


rule expression_gtex:
    input:
        gct=input_file("gtex_tpm"),
        attributes=input_file("gtex_samples"),
        gtf=input_file("annotation_gtf"),
    output:
        h5ad=temp("results/expression/sources/gtex.h5ad"),
        qc="results/expression/qc/gtex_samples.tsv",
    log:
        "logs/expression/gtex.log",
    benchmark:
        "benchmarks/results/expression/gtex.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    resources:
        mem_mb=6000,
    params:
        tissues=config["expression"]["gtex"]["tissues"],
        gene_types=config["expression"]["gene_types"],
    script:
        "../scripts/expression_gtex.py"


rule expression_archs4:
    input:
        h5=input_file("archs4"),
    output:
        h5ad=temp("results/expression/sources/archs4.h5ad"),
        qc="results/expression/qc/archs4_samples.tsv",
    log:
        "logs/expression/archs4.log",
    benchmark:
        "benchmarks/results/expression/archs4.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    resources:
        mem_mb=8000,
    params:
        archs4=settings("expression", "archs4"),
    script:
        "../scripts/expression_archs4.py"


rule expression_custom:
    input:
        unpack(custom_expression_inputs),
    output:
        h5ad=temp("results/expression/sources/custom.h5ad"),
        qc="results/expression/qc/custom_samples.tsv",
    log:
        "logs/expression/custom.log",
    benchmark:
        "benchmarks/results/expression/custom.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        custom_values=config["expression"]["custom_values"],
    script:
        "../scripts/expression_custom.py"


rule expression_compendium:
    input:
        unpack(compendium_inputs),
    output:
        compendium="results/expression/compendium.h5ad",
        summary=report(
            "results/expression/qc/summary.tsv",
            caption="../report/expression_summary.rst",
            category="Expression compendium",
        ),
        duplicates="results/expression/qc/duplicate_genes.tsv",
        tfs="results/expression/qc/tfs_found.json",
    log:
        "logs/expression/compendium.log",
    benchmark:
        "benchmarks/results/expression/compendium.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    resources:
        mem_mb=8000,
    params:
        gene_types=config["expression"]["gene_types"],
        min_expression=config["expression"]["min_expression"],
        min_sample_fraction=config["expression"]["min_sample_fraction"],
        split=settings("expression", "split"),
        custom_gene_ids=config["expression"]["custom_gene_ids"],
    script:
        "../scripts/expression_compendium.py"


rule expression_qc:
    input:
        compendium=rules.expression_compendium.output.compendium,
    output:
        coordinates="results/expression/qc/embedding.tsv",
    log:
        "logs/expression/qc.log",
    benchmark:
        "benchmarks/results/expression/qc.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["expression"]["split"]["seed"],
    script:
        "../scripts/expression_qc.py"


rule expression_qc_figures:
    input:
        coordinates=rules.expression_qc.output.coordinates,
        sample_qc=expand(
            "results/expression/qc/{source}_samples.tsv",
            source=config["expression"]["sources"],
        ),
    output:
        embedding=report(
            "results/expression/qc/embedding.png",
            caption="../report/expression_embedding.rst",
            category="Expression compendium",
        ),
        samples=report(
            "results/expression/qc/sample_qc.png",
            caption="../report/expression_sample_qc.rst",
            category="Expression compendium",
        ),
    log:
        "logs/expression/qc_figures.log",
    benchmark:
        "benchmarks/results/expression/qc_figures.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        sources=config["expression"]["sources"],
    script:
        "../scripts/expression_qc_figures.py"
