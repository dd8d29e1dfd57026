"""Rule demo_overview: draw the demo world at a glance for the report."""

from cistrans.demo.promoters import pair_states, read_cooperative_pair
from cistrans.io.gct import read_gct
from cistrans.io.gtex import read_sample_attributes
from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.demo_world import plot_demo_world

BASELINE_COLUMNS = ["symbol", "n_activating", "motif_part", "tata_part", "mrna_part"]
SITE_COLUMNS = ["symbol", "tf", "motif_id", "role", "offset", "strand", "site"]

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inp = snakemake.input
    sites = read_result_table(inp.instances, SITE_COLUMNS, made_by="demo_genome")
    plot_demo_world(
        read_gct(inp.gtex_tpm),
        read_sample_attributes(inp.gtex_samples),
        read_result_table(inp.baselines, BASELINE_COLUMNS, made_by="demo_genome"),
        pair_states(sites, read_cooperative_pair(inp.pair)),
        read_result_table(inp.edges, ["tf", "target"], made_by="demo_network"),
        read_result_table(inp.masters, ["symbol"], made_by="demo_network"),
        snakemake.output.figure,
    )
