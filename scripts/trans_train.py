"""Rule trans_train: train the TF → target network (or the linear baseline)."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_model

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_model(
        snakemake.input.compendium,
        **snakemake.output,
        network=snakemake.params.network,
        training=snakemake.params.training,
    )
