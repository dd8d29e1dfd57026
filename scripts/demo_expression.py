"""Rule demo_expression: simulate GTEx-like and ARCHS4-like samples of the demo world."""

from cistrans.demo.expression import simulate_expression
from cistrans.demo.network import Network
from cistrans.demo.rng import stage_rng
from cistrans.demo.truth import write_truth_table
from cistrans.io.archs4 import write_archs4
from cistrans.io.gct import write_gct
from cistrans.io.gtex import write_sample_attributes
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inp = snakemake.input
    network = Network.read(inp.genes, inp.edges, inp.programmes, inp.motifs)
    baselines = read_result_table(inp.baselines, ["baseline"], made_by="demo_genome")
    structures = read_result_table(inp.structures, ["transcript_length"], made_by="demo_genome")
    world = simulate_expression(
        stage_rng(snakemake.params.seed, "expression"),
        network,
        baselines.baseline.to_numpy(),
        structures.transcript_length.to_numpy(),
        **snakemake.params.expression,
    )
    out = snakemake.output
    write_gct(
        out.gtex_tpm, world.gtex_tpm, world.gene_ids, world.symbols, world.gtex_sample_ids,
        decimals=3,
    )  # fmt: skip
    write_sample_attributes(out.gtex_samples, world.gtex_attributes)
    write_archs4(out.archs4, world.archs4_counts, world.archs4_genes, world.archs4_samples)
    write_truth_table(world.samples, out.samples)
