"""Rule demo_knowledge: write the demo world's TF list and TRRUST-style table."""

from cistrans.demo.knowledge import simulate_knowledge
from cistrans.demo.network import Network
from cistrans.demo.rng import stage_rng
from cistrans.io.tflist import write_lambert_tf_list
from cistrans.io.trrust import write_trrust
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inp = snakemake.input
    network = Network.read(inp.genes, inp.edges, inp.programmes, inp.motifs)
    knowledge = simulate_knowledge(
        stage_rng(snakemake.params.seed, "knowledge"), network, **snakemake.params.knowledge
    )
    write_lambert_tf_list(snakemake.output.tf_list, knowledge.tf_list)
    write_trrust(snakemake.output.trrust, knowledge.trrust)
