"""Rule demo_overview: draw the demo world at a glance for the report."""

from cistrans.demo.overview import draw_demo_overview
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    draw_demo_overview(**snakemake.input, figure=snakemake.output.figure)
