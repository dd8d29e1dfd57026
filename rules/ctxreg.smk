"""Contextual regression (Wang & Wang): y = sum_k w_k(x) m_k(x) + b on the cis inputs'
genes, labels and splits. One job per seed and a permuted-label control; the learned filters
read as PWMs and matched to JASPAR; the contributions w_k(x) m_k(x) of every gene gathered,
clustered, and each cluster's activating and repressive motifs tested; the grammar from
JASPAR sites: co-occurring pairs, their communities and preferred spacings."""

CTXREG = "results/ctxreg"


use rule cis_onehot as ctxreg_onehot with:
    output:
        codes=f"{CTXREG}/inputs/onehot.npy",
        genes=f"{CTXREG}/inputs/onehot.genes.tsv",
    log:
        "logs/ctxreg/onehot.log",
    benchmark:
        "benchmarks/results/ctxreg/onehot.tsv"
    params:
        crop=window_crop("ctxreg"),


rule ctxreg_jaspar:
    output:
        motifs=f"{CTXREG}/jaspar/{config['ctxreg']['jaspar_release']}_core_vertebrates.meme",
        similar=f"{CTXREG}/jaspar/{config['ctxreg']['jaspar_release']}_similar_pairs.tsv",
    log:
        "logs/ctxreg/jaspar.log",
    benchmark:
        "benchmarks/results/ctxreg/jaspar.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        jaspar_release=config["ctxreg"]["jaspar_release"],
        similar_p_value=config["ctxreg"]["grammar"]["similar_p_value"],
    script:
        "../scripts/ctxreg_jaspar.py"


rule ctxreg_train:
    input:
        labels="results/sequence/labels.tsv",
        codes=rules.ctxreg_onehot.output.codes,
        code_genes=rules.ctxreg_onehot.output.genes,
    output:
        metrics=f"{CTXREG}/{{run}}/metrics.tsv",
        predictions=f"{CTXREG}/{{run}}/predictions.tsv",
        history=f"{CTXREG}/{{run}}/history.tsv",
        weights=f"{CTXREG}/{{run}}/model.pt",
        sidecar=f"{CTXREG}/{{run}}/model.json",
        contributions=f"{CTXREG}/{{run}}/contributions.tsv",
        filters=f"{CTXREG}/{{run}}/filters.meme",
        movement=f"{CTXREG}/{{run}}/filter_movement.tsv",
    log:
        "logs/ctxreg/{run}.log",
    benchmark:
        "benchmarks/results/ctxreg/{run}.tsv"
    wildcard_constraints:
        run=r"seed_\d+|control",
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["cis"]["threads"])
    resources:
        mem_mb=4000,
        gpu=1 if config["cis"]["device"] == "cuda" else 0,
    params:
        settings=ctxreg_network_settings(),
        seed=cis_seed,
        control=lambda wildcards: wildcards.run == "control",
        window=model_window("ctxreg"),
        length_key=ctxreg_length_key(),
        device=config["cis"]["device"],
        min_shared_fraction=config["cis"]["min_shared_fraction"],
    script:
        "../scripts/ctxreg_train.py"


rule ctxreg_motifs:
    input:
        filters=ctxreg_seed_files("filters.meme"),
        jaspar=rules.ctxreg_jaspar.output.motifs,
    output:
        matches=report(
            f"{CTXREG}/motifs/tomtom.tsv",
            caption="../report/ctxreg_tomtom.rst",
            category="Contextual regression",
        ),
        motifs=f"{CTXREG}/motifs/filters.meme",
    log:
        "logs/ctxreg/motifs.log",
    benchmark:
        "benchmarks/results/ctxreg/motifs.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        runs=ctxreg_seed_runs(),
    script:
        "../scripts/ctxreg_motifs.py"


rule ctxreg_contributions:
    input:
        contributions=ctxreg_seed_files("contributions.tsv"),
        matches=rules.ctxreg_motifs.output.matches,
        labels="results/sequence/labels.tsv",
    output:
        contributions=f"{CTXREG}/contributions.h5ad",
    log:
        "logs/ctxreg/contributions.log",
    benchmark:
        "benchmarks/results/ctxreg/contributions.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        runs=ctxreg_seed_runs(),
    script:
        "../scripts/ctxreg_contributions.py"


rule ctxreg_clusters:
    input:
        contributions=rules.ctxreg_contributions.output.contributions,
    output:
        clusters=report(
            f"{CTXREG}/clusters/clusters.tsv",
            caption="../report/ctxreg_clusters.rst",
            category="Contextual regression",
        ),
        expression=report(
            f"{CTXREG}/clusters/expression.tsv",
            caption="../report/ctxreg_cluster_expression.rst",
            category="Contextual regression",
        ),
        motif_classes=report(
            f"{CTXREG}/clusters/motif_classes.tsv",
            caption="../report/ctxreg_motif_classes.rst",
            category="Contextual regression",
        ),
    log:
        "logs/ctxreg/clusters.log",
    benchmark:
        "benchmarks/results/ctxreg/clusters.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        clusters=settings("ctxreg", "clusters"),
        seed=config["cis"]["seeds"][0],
    script:
        "../scripts/ctxreg_clusters.py"


rule ctxreg_sites:
    input:
        codes=rules.ctxreg_onehot.output.codes,
        code_genes=rules.ctxreg_onehot.output.genes,
        jaspar=rules.ctxreg_jaspar.output.motifs,
    output:
        sites=f"{CTXREG}/grammar/sites.parquet",
    log:
        "logs/ctxreg/sites.log",
    benchmark:
        "benchmarks/results/ctxreg/sites.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        site_p_value=config["ctxreg"]["grammar"]["site_p_value"],
    script:
        "../scripts/ctxreg_sites.py"


rule ctxreg_jaspar_mode:
    input:
        labels="results/sequence/labels.tsv",
        sites=rules.ctxreg_sites.output.sites,
        codes=rules.ctxreg_onehot.output.codes,
        code_genes=rules.ctxreg_onehot.output.genes,
        jaspar=rules.ctxreg_jaspar.output.motifs,
    output:
        metrics=f"{CTXREG}/jaspar_mode/{{run}}/metrics.tsv",
        predictions=f"{CTXREG}/jaspar_mode/{{run}}/predictions.tsv",
        history=f"{CTXREG}/jaspar_mode/{{run}}/history.tsv",
        weights=f"{CTXREG}/jaspar_mode/{{run}}/model.pt",
        sidecar=f"{CTXREG}/jaspar_mode/{{run}}/model.json",
        importance=f"{CTXREG}/jaspar_mode/{{run}}/importance.tsv",
    log:
        "logs/ctxreg/jaspar_mode/{run}.log",
    benchmark:
        "benchmarks/results/ctxreg/jaspar_mode/{run}.tsv"
    wildcard_constraints:
        run=r"seed_\d+|control",
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["cis"]["threads"])
    resources:
        mem_mb=4000,
        gpu=1 if config["cis"]["device"] == "cuda" else 0,
    params:
        settings=ctxreg_jaspar_mode_settings(),
        seed=cis_seed,
        control=lambda wildcards: wildcards.run == "control",
        window=model_window("ctxreg"),
        device=config["cis"]["device"],
        min_shared_fraction=config["cis"]["min_shared_fraction"],
    script:
        "../scripts/ctxreg_jaspar_mode.py"


rule ctxreg_jaspar_ridge:
    input:
        labels="results/sequence/labels.tsv",
        sites=rules.ctxreg_sites.output.sites,
        codes=rules.ctxreg_onehot.output.codes,
        code_genes=rules.ctxreg_onehot.output.genes,
        jaspar=rules.ctxreg_jaspar.output.motifs,
    output:
        metrics=f"{CTXREG}/jaspar_mode/ridge/metrics.tsv",
        predictions=f"{CTXREG}/jaspar_mode/ridge/predictions.tsv",
    log:
        "logs/ctxreg/jaspar_mode/ridge.log",
    benchmark:
        "benchmarks/results/ctxreg/jaspar_mode/ridge.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        alphas=config["cis"]["baselines"]["alphas"],
        seeds=config["cis"]["seeds"],
        min_shared_fraction=config["cis"]["min_shared_fraction"],
    script:
        "../scripts/ctxreg_jaspar_ridge.py"


rule ctxreg_grammar:
    input:
        sites=rules.ctxreg_sites.output.sites,
        code_genes=rules.ctxreg_onehot.output.genes,
        codes=rules.ctxreg_onehot.output.codes,
        jaspar=rules.ctxreg_jaspar.output.motifs,
        similar=rules.ctxreg_jaspar.output.similar,
    output:
        cooccurrence=report(
            f"{CTXREG}/grammar/cooccurrence.tsv",
            caption="../report/ctxreg_cooccurrence.rst",
            category="Contextual regression",
        ),
        communities=f"{CTXREG}/grammar/communities.tsv",
        spacing=report(
            f"{CTXREG}/grammar/spacing.tsv",
            caption="../report/ctxreg_spacing.rst",
            category="Contextual regression",
        ),
    log:
        "logs/ctxreg/grammar.log",
    benchmark:
        "benchmarks/results/ctxreg/grammar.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        grammar=settings(
            "ctxreg",
            "grammar",
            exclude=(
                "site_p_value",
                "similar_p_value",
                "insilico_pairs",
                "insilico_backgrounds",
            ),
        ),
        seed=config["cis"]["seeds"][0],
    script:
        "../scripts/ctxreg_grammar.py"


rule ctxreg_insilico:
    input:
        weights=ctxreg_seed_files("model.pt"),
        codes=rules.ctxreg_onehot.output.codes,
        code_genes=rules.ctxreg_onehot.output.genes,
        labels="results/sequence/labels.tsv",
        spacing=rules.ctxreg_grammar.output.spacing,
        jaspar=rules.ctxreg_jaspar.output.motifs,
    output:
        scan=f"{CTXREG}/grammar/insilico.tsv",
    log:
        "logs/ctxreg/insilico.log",
    benchmark:
        "benchmarks/results/ctxreg/insilico.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        settings=ctxreg_network_settings(),
        grammar=settings("ctxreg", "grammar"),
        seed=config["cis"]["seeds"][0],
        length_key=ctxreg_length_key(),
    script:
        "../scripts/ctxreg_insilico.py"


# Figures, drawn from the tables above (changing one reruns only this rule).
rule ctxreg_figures:
    input:
        clusters=rules.ctxreg_clusters.output.clusters,
        expression=rules.ctxreg_clusters.output.expression,
        motif_classes=rules.ctxreg_clusters.output.motif_classes,
        matches=rules.ctxreg_motifs.output.matches,
        motifs=rules.ctxreg_motifs.output.motifs,
        cooccurrence=rules.ctxreg_grammar.output.cooccurrence,
        communities=rules.ctxreg_grammar.output.communities,
        spacing=rules.ctxreg_grammar.output.spacing,
        insilico=rules.ctxreg_insilico.output.scan,
        importance=ctxreg_jaspar_mode_files("importance.tsv", control=False),
    output:
        **ctxreg_jaspar_mode_figure(),
        clusters=report(
            f"{CTXREG}/clusters/umap.png",
            caption="../report/ctxreg_umap.rst",
            category="Contextual regression",
        ),
        motifs=report(
            f"{CTXREG}/motifs/logos.png",
            caption="../report/ctxreg_logos.rst",
            category="Contextual regression",
        ),
        grammar=report(
            f"{CTXREG}/grammar/grammar.png",
            caption="../report/ctxreg_grammar.rst",
            category="Contextual regression",
        ),
        insilico=report(
            f"{CTXREG}/grammar/insilico.png",
            caption="../report/ctxreg_insilico.rst",
            category="Contextual regression",
        ),
    log:
        "logs/ctxreg/figures.log",
    benchmark:
        "benchmarks/results/ctxreg/figures.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/ctxreg_figures.py"
