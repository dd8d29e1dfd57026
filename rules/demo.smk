"""The simulated demo world: a source like a download, in the real file formats."""


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
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        jaspar_release=config["demo"]["jaspar_release"],
        network=settings("demo", "network"),
    script:
        "../scripts/demo_network.py"


rule demo_genome:
    input:
        genes=rules.demo_network.output.genes,
        edges=rules.demo_network.output.edges,
        programmes=rules.demo_network.output.programmes,
        motifs=rules.demo_network.output.motifs,
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
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        genome=settings("demo", "genome"),
    script:
        "../scripts/demo_genome.py"


rule demo_expression:
    input:
        genes=rules.demo_network.output.genes,
        edges=rules.demo_network.output.edges,
        programmes=rules.demo_network.output.programmes,
        motifs=rules.demo_network.output.motifs,
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
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        seed=config["demo"]["seed"],
        expression=settings("demo", "expression"),
    script:
        "../scripts/demo_expression.py"


rule demo_knowledge:
    input:
        genes=rules.demo_network.output.genes,
        edges=rules.demo_network.output.edges,
        programmes=rules.demo_network.output.programmes,
        motifs=rules.demo_network.output.motifs,
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
        knowledge=settings("demo", "knowledge"),
    script:
        "../scripts/demo_knowledge.py"


rule demo_diseases:
    input:
        genes=rules.demo_network.output.genes,
        edges=rules.demo_network.output.edges,
        programmes=rules.demo_network.output.programmes,
        motifs=rules.demo_network.output.motifs,
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
        diseases=settings("demo", "diseases", exclude=["n_diseases"]),
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
        language_model=settings("demo", "language_model"),
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


# The whole demo world, without any analysis: `snakemake --cores 2 demo_world`.
rule demo_world:
    input:
        [DEMO_INPUTS[name] for name in DEMO_INPUTS],
