"""Rule trans_validation: light-up against known TF-target regulation."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_validation

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_validation(
        snakemake.input.compendium,
        snakemake.input.scores,
        [
            {**table, "path": snakemake.input[f"table_{table['name']}"]}
            for table in snakemake.params.tables
        ],
        **snakemake.output,
    )
