"""Rule trans_prune_step: keep the most important TFs, retrain, evaluate, re-rank."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_prune_step

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_prune_step(
        **snakemake.input,
        **snakemake.output,
        n_tfs=int(snakemake.wildcards.n_tfs),
        network=snakemake.params.network,
        training=snakemake.params.training,
        lightup_settings=snakemake.params.lightup,
    )
