"""Trans: the TF → target network, its linear baseline (and ensemble), light-up, validation,
TF pruning, diseases. Every trans model (`network`, `linear`, `ensemble`) goes through the
same evaluation, light-up, validation and disease steps."""

TRANS = "results/trans"
TRANS_MODEL_NAMES = "|".join(TRANS_MODELS)


rule trans_train:
    input:
        unpack(network_train_inputs),
    output:
        weights=f"{TRANS}/{{network}}/model.pt",
        sidecar=f"{TRANS}/{{network}}/model.json",
    log:
        "logs/trans/train_{network}.log",
    benchmark:
        "benchmarks/results/trans/train_{network}.tsv"
    wildcard_constraints:
        network=r"network/selection/[^/]+|ensemble/seed_\d+",
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["trans"]["training"]["threads"])
    resources:
        mem_mb=8000,
        gpu=1 if config["trans"]["training"]["device"] == "cuda" else 0,
    params:
        network=network_settings,
        training=network_training,
    script:
        "../scripts/trans_train.py"


# The network's regularisation chosen on validation: the best point of trans.selection's
# grid becomes trans model `network`, which every later step reads.
rule trans_select:
    input:
        compendium=rules.expression_compendium.output.compendium,
        weights=expand(
            f"{TRANS}/network/selection/{{point}}/model.pt", point=SELECTION_GRID
        ),
        sidecars=expand(
            f"{TRANS}/network/selection/{{point}}/model.json", point=SELECTION_GRID
        ),
    output:
        weights=f"{TRANS}/network/model.pt",
        sidecar=f"{TRANS}/network/model.json",
        table=report(
            f"{TRANS}/network/selection.tsv",
            caption="../report/trans_selection.rst",
            category="Trans",
        ),
        selection=f"{TRANS}/network/selection.json",
    log:
        "logs/trans/select.log",
    benchmark:
        "benchmarks/results/trans/select.tsv"
    priority: CRITICAL_PATH
    conda:
        "../envs/cistrans.yaml"
    params:
        grid=[vars(point) for point in SELECTION_GRID.values()],
    script:
        "../scripts/trans_select.py"


rule trans_linear:
    input:
        unpack(linear_baseline_inputs),
    output:
        weights=f"{TRANS}/linear/model.pt",
        sidecar=f"{TRANS}/linear/model.json",
    log:
        "logs/trans/linear.log",
    benchmark:
        "benchmarks/results/trans/linear.tsv"
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["trans"]["training"]["threads"])
    resources:
        mem_mb=8000,
    params:
        **linear_baseline_params(),
    script:
        "../scripts/trans_linear.py"


rule trans_evaluate:
    input:
        unpack(trans_model_files),
        compendium=rules.expression_compendium.output.compendium,
    output:
        genes=f"{TRANS}/{{model}}/evaluation/per_gene_r2.tsv",
        metrics=f"{TRANS}/{{model}}/evaluation/metrics.json",
        extremes=f"{TRANS}/{{model}}/evaluation/best_and_worst_genes.tsv",
    log:
        "logs/trans/evaluate_{model}.log",
    benchmark:
        "benchmarks/results/trans/evaluate_{model}.tsv"
    wildcard_constraints:
        model=TRANS_MODEL_NAMES,
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/trans_evaluate.py"


rule trans_lightup:
    input:
        unpack(trans_model_files),
    output:
        scores=f"{TRANS}/{{model}}/lightup.parquet",
        importance=f"{TRANS}/{{model}}/tf_importance.tsv",
    log:
        "logs/trans/lightup_{model}.log",
    benchmark:
        "benchmarks/results/trans/lightup_{model}.tsv"
    wildcard_constraints:
        model=TRANS_MODEL_NAMES,
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
            f"{TRANS}/{{model}}/validation/summary.tsv",
            caption="../report/trans_validation_table.rst",
            category="Trans",
            subcategory="{model}",
        ),
        per_target=f"{TRANS}/{{model}}/validation/per_target.tsv",
    log:
        "logs/trans/validation_{model}.log",
    benchmark:
        "benchmarks/results/trans/validation_{model}.tsv"
    wildcard_constraints:
        model=TRANS_MODEL_NAMES,
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["trans"]["training"]["threads"])
    params:
        knowledge=[knowledge_params(table) for table in config["trans"]["knowledge"]],
    script:
        "../scripts/trans_validation.py"


rule trans_prune_step:
    input:
        compendium=rules.expression_compendium.output.compendium,
        importance=previous_importance,
        selection=rules.trans_select.output.selection,
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
        training=pruning_training(),
        lightup=settings("trans", "lightup"),
        made_by=previous_importance_rule,
    script:
        "../scripts/trans_prune_step.py"


rule trans_pruning:
    input:
        compendium=rules.expression_compendium.output.compendium,
        full_metrics=f"{TRANS}/network/evaluation/metrics.json",
        full_importance=f"{TRANS}/network/tf_importance.tsv",
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
        core=report(
            f"{TRANS}/pruning/core_tfs.tsv",
            caption="../report/trans_pruning_core.rst",
            category="Trans",
        ),
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
        tf_counts=config["trans"]["pruning"]["tf_counts"],
        knowledge=knowledge_params(
            knowledge_settings(config["trans"]["pruning"]["knowledge"])
        ),
    script:
        "../scripts/trans_pruning.py"


rule trans_diseases:
    input:
        unpack(trans_model_files),
        compendium=rules.expression_compendium.output.compendium,
        sheet=input_file("disease_sheet"),
        gwas=input_file("gwas"),
        analytics=disease_analytics,
    output:
        summary=report(
            f"{TRANS}/{{model}}/diseases/summary.tsv",
            caption="../report/trans_diseases_table.rst",
            category="Trans",
            subcategory="{model}",
        ),
        rankings=f"{TRANS}/{{model}}/diseases/tf_rankings.tsv",
        predictions=f"{TRANS}/{{model}}/diseases/predictions.tsv",
    log:
        "logs/trans/diseases_{model}.log",
    benchmark:
        "benchmarks/results/trans/diseases_{model}.tsv"
    wildcard_constraints:
        model=TRANS_MODEL_NAMES,
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["trans"]["training"]["threads"])
    params:
        disease=settings("trans", "disease"),
        log_base=config["trans"]["lightup"]["log_base"],
    script:
        "../scripts/trans_diseases.py"


# Each trans model's headline figures side by side: does the network's non-linearity help?
rule trans_comparison:
    input:
        metrics=expand(rules.trans_evaluate.output.metrics, model=TRANS_MODELS),
        validation=expand(rules.trans_validation.output.summary, model=TRANS_MODELS),
        diseases=expand(rules.trans_diseases.output.summary, model=TRANS_MODELS),
    output:
        comparison=report(
            f"{TRANS}/models.tsv",
            caption="../report/trans_models_table.rst",
            category="Trans",
        ),
        better=f"{TRANS}/better_models.tsv",
    log:
        "logs/trans/comparison.log",
    benchmark:
        "benchmarks/results/trans/comparison.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        models=TRANS_MODELS,
    script:
        "../scripts/trans_comparison.py"


# Figures, drawn from the tables above: changing how a figure looks reruns only this rule.
rule trans_figures:
    input:
        **trans_figure_inputs(),
        comparison=rules.trans_comparison.output.comparison,
        better=rules.trans_comparison.output.better,
        curve=rules.trans_pruning.output.curve,
        hierarchy=rules.trans_pruning.output.hierarchy,
    output:
        **trans_figure_outputs(),
        models=report(
            f"{TRANS}/models.png",
            caption="../report/trans_models.rst",
            category="Trans",
        ),
        pruning=report(
            f"{TRANS}/pruning/curve.png",
            caption="../report/trans_pruning.rst",
            category="Trans",
        ),
    log:
        "logs/trans/figures.log",
    benchmark:
        "benchmarks/results/trans/figures.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        models=TRANS_MODELS,
    script:
        "../scripts/trans_figures.py"
