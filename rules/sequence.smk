"""Cis inputs: genes and TSSs, promoter windows, mRNA features, labels and gene splits."""

SEQUENCE = "results/sequence"


if config["sequence"]["source"] == "genome":

    rule sequence_genes:
        input:
            unpack(tss_inputs),
        output:
            genes=f"{SEQUENCE}/genes.tsv",
        log:
            "logs/sequence/genes.log",
        benchmark:
            "benchmarks/results/sequence/genes.tsv"
        conda:
            "../envs/cistrans.yaml"
        params:
            gene_types=config["sequence"]["gene_types"],
        script:
            "../scripts/sequence_genes.py"

    rule sequence_windows:
        input:
            genome=input_file("genome_fasta"),
            genes=rules.sequence_genes.output.genes,
        output:
            windows=f"{SEQUENCE}/windows.fa.gz",
            table=f"{SEQUENCE}/windows.tsv",
        log:
            "logs/sequence/windows.log",
        benchmark:
            "benchmarks/results/sequence/windows.tsv"
        conda:
            "../envs/cistrans.yaml"
        params:
            upstream=config["sequence"]["upstream"],
            downstream=config["sequence"]["downstream"],
        script:
            "../scripts/sequence_windows.py"

    rule sequence_labels:
        input:
            unpack(label_inputs),
            table=rules.sequence_windows.output.table,
        output:
            labels=f"{SEQUENCE}/labels.tsv",
            by_tissue=f"{SEQUENCE}/labels_by_tissue.tsv",
        log:
            "logs/sequence/labels.log",
        benchmark:
            "benchmarks/results/sequence/labels.tsv"
        conda:
            "../envs/cistrans.yaml"
        params:
            labels=settings("sequence", "labels"),
            split=settings("sequence", "split"),
        script:
            "../scripts/sequence_labels.py"

    rule sequence_features:
        input:
            gtf=input_file("annotation_gtf"),
            genome=input_file("genome_fasta"),
            genes=rules.sequence_genes.output.genes,
            labels=rules.sequence_labels.output.labels,
        output:
            raw=f"{SEQUENCE}/mrna_features_raw.tsv",
            features=f"{SEQUENCE}/mrna_features.tsv",
            statistics=f"{SEQUENCE}/mrna_features_statistics.tsv",
        log:
            "logs/sequence/features.log",
        benchmark:
            "benchmarks/results/sequence/features.tsv"
        conda:
            "../envs/cistrans.yaml"
        script:
            "../scripts/sequence_features.py"

    # Figures, drawn from the tables above (changing one reruns only this rule).
    rule sequence_figures:
        input:
            labels=rules.sequence_labels.output.labels,
            features=rules.sequence_features.output.features,
        output:
            labels=report(
                f"{SEQUENCE}/labels.png",
                caption="../report/sequence_labels.rst",
                category="Cis inputs",
            ),
            features=report(
                f"{SEQUENCE}/mrna_features.png",
                caption="../report/sequence_features.rst",
                category="Cis inputs",
            ),
        log:
            "logs/sequence/figures.log",
        benchmark:
            "benchmarks/results/sequence/figures.tsv"
        conda:
            "../envs/cistrans.yaml"
        script:
            "../scripts/sequence_figures.py"

else:

    rule sequence_table:
        input:
            unpack(sequence_table_inputs),
        output:
            windows=f"{SEQUENCE}/windows.fa.gz",
            table=f"{SEQUENCE}/windows.tsv",
            labels=f"{SEQUENCE}/labels.tsv",
        log:
            "logs/sequence/table.log",
        benchmark:
            "benchmarks/results/sequence/table.tsv"
        conda:
            "../envs/cistrans.yaml"
        params:
            table=settings("sequence", "table"),
            split=settings("sequence", "split"),
        script:
            "../scripts/sequence_table.py"
