"""Rule ctxreg_jaspar: JASPAR CORE vertebrates, non-redundant, of the configured release
(from pyjaspar, offline) as MEME, the targets the learned filters are matched to; and the
pairs of them that TOMTOM calls alike (they call the same sites, so the grammar does not
test them for co-occurrence)."""

import logging

from cistrans.ctxreg.grammar import similar_motifs
from cistrans.io.motifs import jaspar_motifs, write_meme
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    motifs = jaspar_motifs(snakemake.params.jaspar_release, "ctxreg.jaspar_release")
    write_meme(snakemake.output.motifs, motifs)
    similar = similar_motifs(motifs, snakemake.params.similar_p_value)
    write_tsv(similar, snakemake.output.similar)
    logging.info(
        "%d motifs of %s; %d pairs alike (TOMTOM p < %g)",
        len(motifs), snakemake.params.jaspar_release, len(similar),
        snakemake.params.similar_p_value,
    )  # fmt: skip
