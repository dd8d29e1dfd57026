"""Rule expression_compendium: join the sources, harmonise and filter genes, mark TFs, split."""

import logging
from pathlib import Path

from cistrans.errors import few
from cistrans.expression.compendium import build_compendium
from cistrans.expression.genes import gene_annotation
from cistrans.io.files import rerun_rule
from cistrans.io.gtf import read_gtf
from cistrans.io.h5ad import read_h5ad, write_h5ad
from cistrans.io.results import write_json
from cistrans.io.tables import write_tsv
from cistrans.io.tflist import read_tf_list
from cistrans.logs import rule_logging
from cistrans.trans.pruning import tf_count_warning

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    gtf = snakemake.input.get("gtf")  # none for a custom matrix without inputs.annotation_gtf
    result = build_compendium(
        [
            read_h5ad(path, rerun_rule(f"expression_{Path(path).stem}"))
            for path in snakemake.input.sources
        ],
        gene_annotation(read_gtf(gtf, features=["gene"])) if gtf else None,
        read_tf_list(snakemake.input.tf_list),
        **snakemake.params,
    )
    write_h5ad(result.adata, snakemake.output.compendium)
    write_tsv(result.summary, snakemake.output.summary, float_format=None)
    write_tsv(result.duplicates, snakemake.output.duplicates, float_format=None)
    write_json(result.tf_counts, snakemake.output.tfs)
    logging.info(
        "compendium: %d samples × %d genes (%d TFs); TF list: %s",
        result.adata.n_obs,
        result.adata.n_vars,
        int(result.adata.var.is_tf.sum()),
        {key: value for key, value in result.tf_counts.items() if key != "not_found_tfs"},
    )
    if result.tf_counts["not_found_tfs"]:
        logging.info(
            "TFs of the list not in the compendium (absent, or filtered out): %s; all of them "
            "in %s",
            few(result.tf_counts["not_found_tfs"], shown=20),
            snakemake.output.tfs,
        )
    # config, not a param: the warning changes no output, and a param would rebuild the
    # compendium (and all after it) whenever the pruning grid changes
    if "trans" in snakemake.config["approaches"]:
        warning = tf_count_warning(
            snakemake.config["trans"]["pruning"]["tf_counts"], int(result.adata.var.is_tf.sum())
        )
        if warning:
            logging.warning("%s", warning)
