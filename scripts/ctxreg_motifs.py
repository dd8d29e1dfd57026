"""Rule ctxreg_motifs: the filters of every seed (PWMs from their strong sites) matched to
JASPAR with TOMTOM (memelite); q-values over every filter × JASPAR motif."""

import logging

from cistrans.ctxreg.motifs import match_motifs
from cistrans.io.motifs import Motif, read_meme, write_meme
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    filters = [
        Motif(f"{run}.{motif.motif_id}", f"{run}.{motif.name}", motif.pwm)
        for run, path in zip(snakemake.params.runs, snakemake.input.filters, strict=True)
        for motif in read_meme(path)
    ]
    jaspar = read_meme(snakemake.input.jaspar)
    matches = match_motifs(filters, jaspar)
    write_tsv(matches, snakemake.output.matches)
    write_meme(snakemake.output.motifs, filters)
    significant = matches[matches.q_value < 0.05]
    logging.info(
        "%d of %d filters match a JASPAR motif at q < 0.05:\n%s",
        len(significant),
        len(matches),
        significant.to_string(),
    )
