"""Rule demo_network: draw the demo world's regulatory network and write its truth."""

from cistrans.demo.network import simulate_network
from cistrans.demo.rng import stage_rng
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    network = simulate_network(
        stage_rng(snakemake.params.seed, "network"),
        snakemake.params.jaspar_release,
        **snakemake.params.network,
    )
    network.write(
        genes=snakemake.output.genes,
        edges=snakemake.output.edges,
        masters=snakemake.output.masters,
        programmes=snakemake.output.programmes,
        motifs=snakemake.output.motifs,
    )
