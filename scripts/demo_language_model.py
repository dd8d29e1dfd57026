"""Rule demo_language_model: save a tiny random DNABERT-style Hugging Face model folder."""

from cistrans.demo.language_model import save_tiny_dnabert
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    save_tiny_dnabert(
        snakemake.output[0], seed=snakemake.params.seed, **snakemake.params.language_model
    )
