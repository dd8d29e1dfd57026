"""Rule trans_linear: the linear baseline on the train split — closed-form ridge with its
penalty chosen on the validation split (trans.linear.method: ridge), or the network's
training without hidden layers (trained), with the network's chosen weight decay."""

from cistrans.io.results import read_result_json
from cistrans.logs import rule_logging
from cistrans.ridge import warn_at_grid_ends
from cistrans.training import use_threads
from cistrans.trans.data import load_trans_data
from cistrans.trans.ridge import fit_ridge
from cistrans.trans.train import train_model

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch and BLAS must not use more cores than the job holds
    data = load_trans_data(snakemake.input.compendium)
    linear = snakemake.params.linear
    if linear["method"] == "ridge":
        model = fit_ridge(data, linear["alphas"])
        warn_at_grid_ends(
            [model.info["ridge"]["alpha"]], linear["alphas"], key="trans.linear.alphas"
        )
    else:
        chosen = read_result_json(snakemake.input.selection, ["chosen"], "trans_select")
        model = train_model(
            data, **snakemake.params.network, **snakemake.params.training, **chosen["chosen"]
        )
    model.save(snakemake.output.weights, snakemake.output.sidecar)
