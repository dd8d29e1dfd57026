"""Rule trans_train: train the TF → target network (or an ensemble member) on the train split."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.data import load_trans_data
from cistrans.trans.train import train_model

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    data = load_trans_data(snakemake.input.compendium)
    model = train_model(data, **snakemake.params.network, **snakemake.params.training)
    model.save(snakemake.output.weights, snakemake.output.sidecar)
