"""Rule trans_validation: light-up against known TF-target regulation."""

from cistrans.logs import rule_logging
from cistrans.trans.build import build_validation

with rule_logging(snakemake.log[0]):
    build_validation(
        snakemake.input.compendium,
        snakemake.input.scores,
        [
            {**table, "path": snakemake.input[f"table_{table['name']}"]}
            for table in snakemake.params.tables
        ],
        **snakemake.output,
    )
