"""Rule download_gwas_unzip: the GWAS Catalog's full release, its table unzipped (row count
logged, with a warning when suspiciously few for a full release)."""

from cistrans.io.gwas import unzip_gwas_associations
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    unzip_gwas_associations(snakemake.input[0], snakemake.output[0])
