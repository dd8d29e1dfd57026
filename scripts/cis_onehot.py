"""Rule cis_onehot: the windows (or the part of them in cis.window) encoded once as uint8 base
codes (genes × length), which the one-hot CNN reads memory-mapped and expands batch by
batch."""

import logging

from cistrans.cismodels.data import read_windows
from cistrans.dna import encode_bases
from cistrans.io.chunks import write_gene_array
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    windows = read_windows(snakemake.input.windows, snakemake.params.crop)
    codes = encode_bases(list(windows.values()))
    write_gene_array(snakemake.output.codes, snakemake.output.genes, codes, list(windows))
    logging.info("encoded %d windows of %d bases (%.1f MB)", *codes.shape, codes.nbytes / 1e6)
