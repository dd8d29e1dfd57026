"""Rule trans_diseases: predicted target dysregulation from the observed TF changes of each
disease, causal-TF rankings and the GWAS check (tables; the figure is drawn by rule
trans_diseases_figure)."""

import logging

from cistrans.io.atlas import analytics_paths, read_atlas_analytics, read_disease_sheet
from cistrans.io.gwas import read_gwas_associations
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.data import load_trans_data
from cistrans.trans.disease import Comparison, evaluate_diseases
from cistrans.trans.model import check_gene_order, load_models

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    model = load_models(snakemake.input.weights, snakemake.input.sidecars)
    data = load_trans_data(snakemake.input.compendium, model.tf_ids)
    check_gene_order(model, data.tf_ids, data.target_ids, source=snakemake.input.compendium)
    sheet = read_disease_sheet(snakemake.input.sheet)
    comparisons = [
        Comparison(
            row.disease,
            row.accession,
            row.tissue,
            row.gwas_trait,
            read_atlas_analytics(path, row.contrast_id),
            str(path),
        )
        for row, path in zip(
            sheet.itertuples(), analytics_paths(sheet, snakemake.input.analytics), strict=True
        )
    ]
    associations = read_gwas_associations(snakemake.input.gwas)
    result = evaluate_diseases(
        model,
        data,
        comparisons,
        associations,
        snakemake.input.gwas,
        log_base=snakemake.params.log_base,
        **snakemake.params.disease,
    )
    write_tsv(result.summary, snakemake.output.summary)
    write_tsv(result.rankings, snakemake.output.rankings)
    write_tsv(result.predictions, snakemake.output.predictions)
    logging.info("diseases:\n%s", result.summary.to_string())
