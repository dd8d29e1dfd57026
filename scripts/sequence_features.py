"""Rule sequence_features: the 8 Xpresso mRNA features of each gene's transcript, raw and
transformed (log10 lengths, z-scored on the training genes). The figure is drawn by rule
sequence_features_figure."""

from cistrans.io.gtf import read_gtf
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.sequence.features import mrna_features, transform_features
from cistrans.sequence.tss import GTF_FEATURES

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    transcripts = read_result_table(
        snakemake.input.genes, ["gene_id"], made_by="sequence_genes", dtype={"chrom": str}
    )
    records = read_gtf(snakemake.input.gtf, features=GTF_FEATURES)
    values = mrna_features(records, snakemake.input.genome, transcripts, source=snakemake.input.gtf)
    split = (
        read_result_table(snakemake.input.labels, ["gene_id", "split"], made_by="sequence_labels")
        .set_index("gene_id")
        .split
    )
    transformed, scaling = transform_features(
        values, (split.reindex(values.index) == "train").to_numpy()
    )
    write_tsv(values, snakemake.output.raw, index=True)
    write_tsv(transformed, snakemake.output.features, index=True)
    write_tsv(scaling, snakemake.output.statistics, index=True)
