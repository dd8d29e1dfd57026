"""Rule expression_compendium: join the sources, harmonise and filter genes, mark TFs, split."""

from cistrans.expression.build import build_compendium_files
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    build_compendium_files(
        snakemake.input.sources,
        gtf=snakemake.input.gtf,
        tf_list=snakemake.input.tf_list,
        **snakemake.output,
        gene_types=snakemake.params.gene_types,
        min_expression=snakemake.params.min_expression,
        min_sample_fraction=snakemake.params.min_sample_fraction,
        split_mode=snakemake.params.split["mode"],
        validation_fraction=snakemake.params.split["validation_fraction"],
        test_fraction=snakemake.params.split["test_fraction"],
        seed=snakemake.params.split["seed"],
    )
