"""Rule demo_language_model: save a tiny random DNABERT-style Hugging Face model folder."""

from cistrans.demo.build import build_language_model
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_language_model(
        snakemake.output[0], seed=snakemake.params.seed, **snakemake.params.settings
    )
