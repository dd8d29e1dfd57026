"""Rule cis_onehot: the windows (or the part of them in cis.window) encoded once as uint8 base
codes (genes × length), which the one-hot CNN reads memory-mapped and expands batch by
batch."""

import logging

from cistrans.cismodels.data import crop_bounds
from cistrans.dna import encode_bases
from cistrans.io.chunks import write_gene_array
from cistrans.io.fasta import read_fasta_records
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0]):
    records = list(
        read_fasta_records(
            snakemake.input.windows, fix="rebuild it with `snakemake --forcerun sequence_windows`"
        )
    )
    names, sequences = [name for _, name, _ in records], [seq for _, _, seq in records]
    if snakemake.params.crop:  # the part of the window around the TSS in cis.window
        start, stop = crop_bounds(**snakemake.params.crop)
        sequences = [sequence[start:stop] for sequence in sequences]
    codes = encode_bases(sequences)
    write_gene_array(snakemake.output.codes, snakemake.output.genes, codes, names)
    logging.info("encoded %d windows of %d bases (%.1f MB)", *codes.shape, codes.nbytes / 1e6)
