"""Cis models: expression from the promoter window (and mRNA features), on the cis inputs'
genes, labels and gene splits: the simple baselines (k-mer and mRNA-feature ridge), the
sequence models (TExCNN on segment embeddings, Xpresso's one-hot CNN, DeepLncLoc's Word2Vec
TextCNN), each model × feature set × seed one job, each model once on permuted training
labels, and the comparison that gathers them."""

CIS = "results/cis"
CIS_INPUTS = f"{CIS}/inputs"


rule cis_baselines:
    input:
        unpack(cis_inputs),
    output:
        metrics=f"{CIS}/baselines/metrics.tsv",
        predictions=f"{CIS}/baselines/predictions.tsv",
    log:
        "logs/cis/baselines.log",
    benchmark:
        "benchmarks/results/cis/baselines.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        baselines=settings("cis", "baselines"),
        seeds=config["cis"]["seeds"],
        min_shared_fraction=config["cis"]["min_shared_fraction"],
        crop=window_crop("cis"),
    script:
        "../scripts/cis_baselines.py"


rule cis_onehot:
    input:
        windows="results/sequence/windows.fa.gz",
    output:
        codes=f"{CIS_INPUTS}/onehot.npy",
        genes=f"{CIS_INPUTS}/onehot.genes.tsv",
    log:
        "logs/cis/onehot.log",
    benchmark:
        "benchmarks/results/cis/onehot.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        crop=window_crop("cis"),
    script:
        "../scripts/cis_onehot.py"


rule cis_word2vec:
    input:
        windows="results/sequence/windows.fa.gz",
        labels="results/sequence/labels.tsv",
    output:
        vectors=f"{CIS_INPUTS}/word2vec.npy",
        genes=f"{CIS_INPUTS}/word2vec.genes.tsv",
        kmers=f"{CIS_INPUTS}/word2vec_kmers.tsv",
    log:
        "logs/cis/word2vec.log",
    benchmark:
        "benchmarks/results/cis/word2vec.tsv"
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["cis"]["threads"])
    params:
        deeplncloc=settings("cis", "deeplncloc", exclude=("training",)),
        seed=config["cis"]["seeds"][0],
        crop=window_crop("cis"),
    script:
        "../scripts/cis_word2vec.py"


rule cis_tf_features:
    input:
        scores="results/trans/network/lightup.parquet",
        core="results/trans/pruning/core_tfs.tsv",
        labels="results/sequence/labels.tsv",
    output:
        features=f"{CIS_INPUTS}/tf_features.tsv",
    log:
        "logs/cis/tf_features.log",
    benchmark:
        "benchmarks/results/cis/tf_features.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/cis_tf_features.py"


rule cis_train:
    input:
        unpack(cis_train_inputs),
    output:
        metrics=f"{CIS}/{{model}}/{{features}}/{{run}}/metrics.tsv",
        predictions=f"{CIS}/{{model}}/{{features}}/{{run}}/predictions.tsv",
        history=f"{CIS}/{{model}}/{{features}}/{{run}}/history.tsv",
        weights=f"{CIS}/{{model}}/{{features}}/{{run}}/model.pt",
        sidecar=f"{CIS}/{{model}}/{{features}}/{{run}}/model.json",
    log:
        "logs/cis/{model}/{features}/{run}.log",
    benchmark:
        "benchmarks/results/cis/{model}/{features}/{run}.tsv"
    wildcard_constraints:
        model=r"texcnn_[A-Za-z0-9_-]+|xpresso|legnet|deeplncloc",
        features=r"dna|dna_mrna|dna_mrna_tf",
        run=r"seed_\d+|control",
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["cis"]["threads"])
    resources:
        mem_mb=8000,
        gpu=1 if config["cis"]["device"] == "cuda" else 0,
    params:
        kind=lambda wildcards: model_kind(wildcards.model),
        settings=lambda wildcards: settings("cis", model_kind(wildcards.model)),
        seed=cis_seed,
        control=lambda wildcards: wildcards.run == "control",
        window=lambda wildcards: model_window("cis", model_kind(wildcards.model)),
        jaspar_release=stem_motifs_release,
        device=config["cis"]["device"],
        min_shared_fraction=config["cis"]["min_shared_fraction"],
    script:
        "../scripts/cis_train.py"


# The cell-type mode: the same script, one output per tissue of labels_by_tissue.tsv.
use rule cis_train as cis_train_by_tissue with:
    input:
        unpack(cis_by_tissue_inputs),
    output:
        metrics=f"{CIS}/by_tissue/{{model}}/{{features}}/{{run}}/metrics.tsv",
        predictions=f"{CIS}/by_tissue/{{model}}/{{features}}/{{run}}/predictions.tsv",
        history=f"{CIS}/by_tissue/{{model}}/{{features}}/{{run}}/history.tsv",
        weights=f"{CIS}/by_tissue/{{model}}/{{features}}/{{run}}/model.pt",
        sidecar=f"{CIS}/by_tissue/{{model}}/{{features}}/{{run}}/model.json",
    log:
        "logs/cis/by_tissue/{model}/{features}/{run}.log",
    benchmark:
        "benchmarks/results/cis/by_tissue/{model}/{features}/{run}.tsv"


rule cis_by_tissue_comparison:
    input:
        runs=cis_by_tissue_files("metrics"),
        predictions=cis_by_tissue_files("predictions"),
    output:
        comparison=report(
            f"{CIS}/by_tissue/comparison.tsv",
            caption="../report/cis_by_tissue_table.rst",
            category="Cis models",
        ),
        profiles=report(
            f"{CIS}/by_tissue/profiles.tsv",
            caption="../report/cis_by_tissue_profiles.rst",
            category="Cis models",
        ),
    log:
        "logs/cis/by_tissue/comparison.log",
    benchmark:
        "benchmarks/results/cis/by_tissue/comparison.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        windows=cis_windows(),
    script:
        "../scripts/cis_by_tissue_comparison.py"


rule cis_by_tissue_figure:
    input:
        comparison=rules.cis_by_tissue_comparison.output.comparison,
        profiles=rules.cis_by_tissue_comparison.output.profiles,
    output:
        figure=report(
            f"{CIS}/by_tissue/comparison.png",
            caption="../report/cis_by_tissue.rst",
            category="Cis models",
        ),
    log:
        "logs/cis/by_tissue/figure.log",
    benchmark:
        "benchmarks/results/cis/by_tissue/figure.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/cis_by_tissue_figure.py"


rule cis_comparison:
    input:
        baselines=rules.cis_baselines.output.metrics,
        runs=cis_run_files("metrics"),
        ctxreg=ctxreg_run_files("metrics.tsv") if "ctxreg" in APPROACHES else [],
        jaspar_mode=(
            ctxreg_jaspar_mode_files("metrics.tsv") if "ctxreg" in APPROACHES else []
        ),
        jaspar_ridge=ctxreg_jaspar_ridge_files() if "ctxreg" in APPROACHES else [],
    output:
        comparison=report(
            f"{CIS}/comparison.tsv",
            caption="../report/cis_comparison_table.rst",
            category="Cis models",
        ),
        learning_adds=report(
            f"{CIS}/learning_adds.tsv",
            caption="../report/cis_learning_adds.rst",
            category="Cis models",
        ),
    log:
        "logs/cis/comparison.log",
    benchmark:
        "benchmarks/results/cis/comparison.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        windows=cis_windows(),
    script:
        "../scripts/cis_comparison.py"


# Figures, drawn from the tables above (changing one reruns only this rule).
rule cis_figures:
    input:
        comparison=rules.cis_comparison.output.comparison,
        learning_adds=rules.cis_comparison.output.learning_adds,
        predictions=[
            rules.cis_baselines.output.predictions,
            *cis_run_files("predictions"),
        ],
    output:
        comparison=report(
            f"{CIS}/comparison.png",
            caption="../report/cis_comparison.rst",
            category="Cis models",
        ),
        best=report(
            f"{CIS}/best_predicted_vs_observed.png",
            caption="../report/cis_best_predicted.rst",
            category="Cis models",
        ),
    log:
        "logs/cis/figures.log",
    benchmark:
        "benchmarks/results/cis/figures.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/cis_figures.py"


# What the best one-hot model learned: attributions on the test sequences, the motifs in
# them (TF-MoDISco) matched to JASPAR, each with its sign and weight.
rule cis_attributions:
    input:
        unpack(cis_attribution_inputs),
    output:
        attributions=f"{CIS}/attributions/attributions.npy",
        genes=f"{CIS}/attributions/attributions.genes.tsv",
        motifs=report(
            f"{CIS}/attributions/motifs.tsv",
            caption="../report/cis_attributions_table.rst",
            category="Cis models",
        ),
        cwms=f"{CIS}/attributions/cwms.tsv",
        patterns=f"{CIS}/attributions/patterns.meme",
    log:
        "logs/cis/attributions.log",
    benchmark:
        "benchmarks/results/cis/attributions.tsv"
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["cis"]["threads"])
    resources:
        mem_mb=8000,
        gpu=1 if config["cis"]["device"] == "cuda" else 0,
    params:
        runs=cis_attribution_runs(),
        settings=cis_attribution_settings(),
        attributions=settings("cis", "attributions"),
        seed=config["cis"]["seeds"][0],
        device=config["cis"]["device"],
    script:
        "../scripts/cis_attributions.py"


rule cis_attribution_logos:
    input:
        motifs=rules.cis_attributions.output.motifs,
        cwms=rules.cis_attributions.output.cwms,
    output:
        logos=report(
            f"{CIS}/attributions/motifs.png",
            caption="../report/cis_attributions.rst",
            category="Cis models",
        ),
    log:
        "logs/cis/attribution_logos.log",
    benchmark:
        "benchmarks/results/cis/attribution_logos.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/cis_attribution_logos.py"
