"""Rule trans_prune_step: keep the most important TFs, retrain, evaluate, re-rank."""

from cistrans.logs import rule_logging
from cistrans.trans.build import build_prune_step

with rule_logging(snakemake.log[0]):
    build_prune_step(
        **snakemake.input,
        **snakemake.output,
        n_tfs=int(snakemake.wildcards.n_tfs),
        network=snakemake.params.network,
        training={**snakemake.params.training, "threads": snakemake.threads},
        lightup_settings=snakemake.params.lightup,
    )
