"""Rule cis_attribution_logos: the logos of the best one-hot model's TF-MoDISco patterns
(their contribution weight matrices), each with its sign, weight and JASPAR match."""

from cistrans.io.results import read_result_table
from cistrans.logs import rule_logging
from cistrans.plots.attribution import pattern_logos

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    motifs = read_result_table(
        snakemake.input.motifs,
        ["pattern", "sign", "seqlets", "weight", "information", "match_id", "match_name",
         "q_value", "run", "method", "sequences"],
        made_by="cis_attributions",
    )  # fmt: skip
    cwms = read_result_table(
        snakemake.input.cwms, ["pattern", "position", *"ACGT"], made_by="cis_attributions"
    )
    pattern_logos(motifs, cwms, snakemake.output.logos)
