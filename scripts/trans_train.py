"""Rule trans_train: train the TF → target network of one point of trans.selection's grid
(or an ensemble member, with the chosen regularisation) on the train split."""

from cistrans.io.results import read_result_json
from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.data import load_trans_data
from cistrans.trans.train import train_model

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    data = load_trans_data(snakemake.input.compendium)
    network, training = dict(snakemake.params.network), dict(snakemake.params.training)
    if snakemake.input.get("selection"):  # an ensemble member: the chosen regularisation
        chosen = read_result_json(snakemake.input.selection, ["chosen"], "trans_select")["chosen"]
        network["dropout"], training["weight_decay"] = chosen["dropout"], chosen["weight_decay"]
    model = train_model(data, **network, **training)
    model.save(snakemake.output.weights, snakemake.output.sidecar)
