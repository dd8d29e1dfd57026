"""Rule demo_diseases: simulate disease comparisons (Expression Atlas) and GWAS hits."""

from cistrans.demo.diseases import simulate_diseases
from cistrans.demo.network import Network
from cistrans.demo.rng import stage_rng
from cistrans.demo.truth import write_truth_table
from cistrans.io.atlas import write_atlas_analytics, write_atlas_configuration
from cistrans.io.gwas import write_gwas_associations
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inp, out, accessions = snakemake.input, snakemake.output, snakemake.params.accessions
    network = Network.read(inp.genes, inp.edges, inp.programmes, inp.motifs)
    baselines = read_result_table(inp.baselines, ["baseline"], made_by="demo_genome")
    structures = read_result_table(
        inp.structures, ["gene_id", "chrom", "tss"], made_by="demo_genome"
    )
    diseases = simulate_diseases(
        stage_rng(snakemake.params.seed, "diseases"),
        network,
        baselines.baseline.to_numpy(),
        structures,
        accessions,
        noise_sd=snakemake.params.noise_sd,
        **snakemake.params.diseases,
    )
    for accession, analytics, configuration in zip(
        accessions, out.analytics, out.configurations, strict=True
    ):
        contrast = diseases.contrasts[accession]
        write_atlas_analytics(analytics, diseases.analytics[accession], contrast)
        write_atlas_configuration(configuration, diseases.configurations[accession])
    write_tsv(diseases.sheet, out.sheet)
    write_truth_table(diseases.causal, out.causal)
    write_gwas_associations(out.gwas, diseases.gwas)
