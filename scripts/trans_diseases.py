"""Rule trans_diseases: predicted target dysregulation, causal-TF rankings, GWAS checks."""

from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.build import build_diseases

with rule_logging(snakemake.log[0]):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    build_diseases(
        snakemake.input.compendium,
        snakemake.input.weights,
        snakemake.input.sidecar,
        snakemake.input.sheet,
        snakemake.params.atlas_dir,
        snakemake.input.gwas,
        **snakemake.output,
        log_base=snakemake.params.log_base,
        **snakemake.params.settings,
    )
