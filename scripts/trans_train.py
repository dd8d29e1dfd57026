"""Rule trans_train: train the TF → target network (or the linear baseline)."""

from cistrans.logs import rule_logging
from cistrans.trans.build import build_model

with rule_logging(snakemake.log[0]):
    build_model(
        snakemake.input.compendium,
        **snakemake.output,
        network=snakemake.params.network,
        training={**snakemake.params.training, "threads": snakemake.threads},
    )
