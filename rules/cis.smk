"""Cis models: expression from the promoter window (and mRNA features), on the cis inputs'
genes, labels and gene splits. So far the simple baselines (k-mer and mRNA-feature ridge,
each with permuted-label controls) and the comparison every model joins."""

CIS = "results/cis"


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
    script:
        "../scripts/cis_baselines.py"


rule cis_comparison:
    input:
        baselines=rules.cis_baselines.output.metrics,
    output:
        comparison=report(
            f"{CIS}/comparison.tsv",
            caption="../report/cis_comparison.rst",
            category="Cis models",
        ),
    log:
        "logs/cis/comparison.log",
    benchmark:
        "benchmarks/results/cis/comparison.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        window=cis_window(),
    script:
        "../scripts/cis_comparison.py"


# Figures, drawn from the tables above (changing one reruns only this rule).
rule cis_figures:
    input:
        comparison=rules.cis_comparison.output.comparison,
        predictions=rules.cis_baselines.output.predictions,
    output:
        comparison=report(
            f"{CIS}/comparison.png",
            caption="../report/cis_comparison.rst",
            category="Cis models",
        ),
        best=report(
            f"{CIS}/best_predicted_vs_observed.png",
            caption="../report/cis_comparison.rst",
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
