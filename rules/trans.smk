"""Trans: the TF → target network, light-up, validation, TF pruning, diseases."""

TRANS = "results/trans"


rule trans_train:
    input:
        compendium=rules.expression_compendium.output.compendium,
    output:
        weights=f"{TRANS}/{{model}}/model.pt",
        sidecar=f"{TRANS}/{{model}}/model.json",
    log:
        "logs/trans/train_{model}.log",
    benchmark:
        "benchmarks/results/trans/train_{model}.tsv"
    wildcard_constraints:
        model="network|linear",
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["trans"]["training"]["threads"])
    resources:
        mem_mb=8000,
        gpu=1 if config["trans"]["training"]["device"] == "cuda" else 0,
    params:
        network=lambda wildcards: trans_network(wildcards.model),
        training=settings("trans", "training", exclude=["threads"]),
    script:
        "../scripts/trans_train.py"


rule trans_evaluate:
    input:
        compendium=rules.expression_compendium.output.compendium,
        weights=rules.trans_train.output.weights,
        sidecar=rules.trans_train.output.sidecar,
    output:
        genes=f"{TRANS}/{{model}}/evaluation/per_gene_r2.tsv",
        metrics=f"{TRANS}/{{model}}/evaluation/metrics.json",
        extremes=f"{TRANS}/{{model}}/evaluation/best_and_worst_genes.tsv",
    log:
        "logs/trans/evaluate_{model}.log",
    benchmark:
        "benchmarks/results/trans/evaluate_{model}.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/trans_evaluate.py"


rule trans_lightup:
    input:
        weights=f"{TRANS}/network/model.pt",
        sidecar=f"{TRANS}/network/model.json",
    output:
        scores=f"{TRANS}/network/lightup.parquet",
        importance=f"{TRANS}/network/tf_importance.tsv",
    log:
        "logs/trans/lightup.log",
    benchmark:
        "benchmarks/results/trans/lightup.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        lightup=settings("trans", "lightup"),
    script:
        "../scripts/trans_lightup.py"


rule trans_validation:
    input:
        unpack(knowledge_tables),
        compendium=rules.expression_compendium.output.compendium,
        scores=rules.trans_lightup.output.scores,
    output:
        summary=report(
            f"{TRANS}/network/validation/summary.tsv",
            caption="../report/trans_validation.rst",
            category="Trans",
        ),
        per_target=f"{TRANS}/network/validation/per_target.tsv",
    log:
        "logs/trans/validation.log",
    benchmark:
        "benchmarks/results/trans/validation.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        knowledge=config["trans"]["knowledge"],
    script:
        "../scripts/trans_validation.py"


rule trans_prune_step:
    input:
        compendium=rules.expression_compendium.output.compendium,
        importance=previous_importance,
    output:
        weights=f"{TRANS}/pruning/{{n_tfs}}/model.pt",
        sidecar=f"{TRANS}/pruning/{{n_tfs}}/model.json",
        metrics=f"{TRANS}/pruning/{{n_tfs}}/metrics.json",
        next_importance=f"{TRANS}/pruning/{{n_tfs}}/tf_importance.tsv",
    log:
        "logs/trans/prune_{n_tfs}.log",
    benchmark:
        "benchmarks/results/trans/prune_{n_tfs}.tsv"
    wildcard_constraints:
        n_tfs=r"\d+",
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["trans"]["training"]["threads"])
    resources:
        mem_mb=8000,
        gpu=1 if config["trans"]["training"]["device"] == "cuda" else 0,
    params:
        network=settings("trans", "network"),
        training=settings("trans", "training", exclude=["threads"]),
        lightup=settings("trans", "lightup"),
        made_by=previous_importance_rule,
    script:
        "../scripts/trans_prune_step.py"


rule trans_pruning:
    input:
        compendium=rules.expression_compendium.output.compendium,
        full_metrics=f"{TRANS}/network/evaluation/metrics.json",
        full_importance=rules.trans_lightup.output.importance,
        step_metrics=expand(
            f"{TRANS}/pruning/{{n}}/metrics.json",
            n=config["trans"]["pruning"]["tf_counts"],
        ),
        step_importance=expand(
            f"{TRANS}/pruning/{{n}}/tf_importance.tsv",
            n=config["trans"]["pruning"]["tf_counts"],
        ),
        knowledge=knowledge_table(config["trans"]["pruning"]["knowledge"]),
    output:
        curve=f"{TRANS}/pruning/curve.tsv",
        core=f"{TRANS}/pruning/core_tfs.tsv",
        hierarchy=f"{TRANS}/pruning/hierarchy_test.json",
    log:
        "logs/trans/pruning.log",
    benchmark:
        "benchmarks/results/trans/pruning.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        shares=config["trans"]["pruning"]["shares"],
        knowledge=knowledge_settings(config["trans"]["pruning"]["knowledge"]),
    script:
        "../scripts/trans_pruning.py"


rule trans_diseases:
    input:
        compendium=rules.expression_compendium.output.compendium,
        weights=f"{TRANS}/network/model.pt",
        sidecar=f"{TRANS}/network/model.json",
        sheet=input_file("disease_sheet"),
        gwas=input_file("gwas"),
        analytics=disease_analytics,
    output:
        summary=report(
            f"{TRANS}/network/diseases/summary.tsv",
            caption="../report/trans_diseases.rst",
            category="Trans",
        ),
        rankings=f"{TRANS}/network/diseases/tf_rankings.tsv",
        predictions=f"{TRANS}/network/diseases/predictions.tsv",
    log:
        "logs/trans/diseases.log",
    benchmark:
        "benchmarks/results/trans/diseases.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        disease=settings("trans", "disease"),
        log_base=config["trans"]["lightup"]["log_base"],
    script:
        "../scripts/trans_diseases.py"


# Figures, drawn from the tables above: changing how a figure looks reruns only this rule.
rule trans_figures:
    input:
        network_genes=f"{TRANS}/network/evaluation/per_gene_r2.tsv",
        network_metrics=f"{TRANS}/network/evaluation/metrics.json",
        linear_genes=f"{TRANS}/linear/evaluation/per_gene_r2.tsv",
        linear_metrics=f"{TRANS}/linear/evaluation/metrics.json",
        validation=rules.trans_validation.output.summary,
        validation_per_target=rules.trans_validation.output.per_target,
        curve=rules.trans_pruning.output.curve,
        hierarchy=rules.trans_pruning.output.hierarchy,
        diseases=rules.trans_diseases.output.summary,
        disease_predictions=rules.trans_diseases.output.predictions,
    output:
        network_r2=report(
            f"{TRANS}/network/evaluation/r2_distribution.png",
            caption="../report/trans_evaluation.rst",
            category="Trans",
            subcategory="network",
        ),
        linear_r2=report(
            f"{TRANS}/linear/evaluation/r2_distribution.png",
            caption="../report/trans_evaluation.rst",
            category="Trans",
            subcategory="linear",
        ),
        validation=report(
            f"{TRANS}/network/validation/validation.png",
            caption="../report/trans_validation.rst",
            category="Trans",
        ),
        pruning=report(
            f"{TRANS}/pruning/curve.png",
            caption="../report/trans_pruning.rst",
            category="Trans",
        ),
        diseases=report(
            f"{TRANS}/network/diseases/predicted_vs_observed.png",
            caption="../report/trans_diseases.rst",
            category="Trans",
        ),
    log:
        "logs/trans/figures.log",
    benchmark:
        "benchmarks/results/trans/figures.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/trans_figures.py"
