"""Rule ctxreg_jaspar: JASPAR CORE vertebrates, non-redundant, of the configured release
(from pyjaspar, offline) as MEME, the targets the learned filters are matched to."""

import logging

from cistrans.io.motifs import jaspar_motifs, write_meme
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    motifs = jaspar_motifs(snakemake.params.jaspar_release, "ctxreg.jaspar_release")
    write_meme(snakemake.output.motifs, motifs)
    logging.info("%d motifs of %s", len(motifs), snakemake.params.jaspar_release)
