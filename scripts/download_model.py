"""Rule download_model: fetch a Hugging Face model folder for offline use on compute nodes.

The endpoint, revision and checksums come from the config's `download` section, as in
scripts/download_file.py (they do not change which model the folder holds).
"""

from cistrans.io.model_folder import download_model
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    download_model(snakemake.config["download"], snakemake.params.model, snakemake.output[0])
