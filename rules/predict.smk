"""Your own sequences scored with a trained one-hot cis model (`snakemake predict`): each
sequence of predict.sequence_table in the units of the model's label, each variant (a table
with an alternative column) as the predicted difference, alternative - reference. The
model (predict.model, predict.seed) is a cis_train or ctxreg_train run, trained first when
it is not there yet."""

PREDICT = "results/predict"


rule predict_sequences:
    input:
        unpack(predict_model_files),
        table=config["predict"]["sequence_table"] or [],
    output:
        predictions=f"{PREDICT}/{predict_table_name()}/{{model}}/seed_{{seed}}/predictions.tsv",
    log:
        f"logs/predict/{predict_table_name()}/{{model}}/seed_{{seed}}.log",
    benchmark:
        f"benchmarks/results/predict/{predict_table_name()}/{{model}}/seed_{{seed}}.tsv"
    wildcard_constraints:
        model="|".join(PREDICT_MODELS),
        seed=r"\d+",
    conda:
        "../envs/cistrans.yaml"
    threads: job_threads(config["cis"]["threads"])
    resources:
        gpu=1 if config["cis"]["device"] == "cuda" else 0,
    params:
        device=config["cis"]["device"],
    script:
        "../scripts/predict_sequences.py"


rule predict:
    input:
        predict_outputs,
