"""Rule trans_prune_step: keep the `n_tfs` most important TFs, retrain, evaluate on the test
split, and rank the kept TFs for the next step; the network trains with the regularisation
chosen for the full network (trans_select)."""

from cistrans.io.results import read_result_json, read_result_table, write_json
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.data import load_trans_data
from cistrans.trans.evaluate import evaluate_on_test
from cistrans.trans.lightup import importance_table, lightup
from cistrans.trans.pruning import keep_most_important
from cistrans.trans.train import train_model

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    n_tfs = int(snakemake.wildcards.n_tfs)
    ranking = read_result_table(
        snakemake.input.importance, ["tf", "importance"], made_by=snakemake.params.made_by
    )
    kept = keep_most_important(ranking.set_index("tf").importance, n_tfs)
    data = load_trans_data(snakemake.input.compendium, kept)
    chosen = read_result_json(snakemake.input.selection, ["chosen"], "trans_select")["chosen"]
    model = train_model(data, **snakemake.params.network, **snakemake.params.training, **chosen)
    model.save(snakemake.output.weights, snakemake.output.sidecar)
    _, metrics, _ = evaluate_on_test(model, data)
    write_json({"n_tfs": n_tfs, **metrics}, snakemake.output.metrics)
    scores = lightup(model, **snakemake.params.lightup)
    write_tsv(importance_table(scores, model), snakemake.output.next_importance)
