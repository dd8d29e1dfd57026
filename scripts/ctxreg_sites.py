"""Rule ctxreg_sites: the JASPAR motifs' sites in every window (FIMO, memelite, both
strands, p below ctxreg.grammar.site_p_value), in gene orientation, none on N; the share of
the windows that is N (padding) reported."""

import logging

from cistrans.ctxreg.grammar import report_unknown, scan_sites, unknown_shares
from cistrans.io.chunks import read_gene_array
from cistrans.io.motifs import read_meme
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs = snakemake.input
    codes, genes = read_gene_array(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun ctxreg_onehot`", mmap=True
    )
    report_unknown(unknown_shares(codes))
    motifs = read_meme(inputs.jaspar)
    sites = scan_sites(codes, genes, motifs, p_value=snakemake.params.site_p_value)
    sites.to_parquet(snakemake.output.sites, index=False)
    logging.info(
        "%d sites of %d motifs in %d windows (%.1f per window)",
        len(sites), len(motifs), len(genes), len(sites) / max(len(genes), 1),
    )  # fmt: skip
