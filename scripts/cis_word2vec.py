"""Rule cis_word2vec: DeepLncLoc's input. A skip-gram Word2Vec over the k-mers of the
training genes' windows (or the part of them in cis.window) only, then every window's k-mer
vectors averaged in equal sub-sequences (genes × sub-sequences × vector size, float16)."""

import logging

import pandas as pd

from cistrans.cismodels.data import read_cis_tables, read_windows
from cistrans.cismodels.word2vec import subsequence_vectors, train_word2vec
from cistrans.io.chunks import write_gene_array
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    settings = snakemake.params.deeplncloc
    labels, _ = read_cis_tables(snakemake.input.labels, None)
    windows = read_windows(snakemake.input.windows, snakemake.params.crop)
    train = [windows[g] for g in labels.gene_id[labels.split == "train"] if g in windows]
    vectors = train_word2vec(
        train,
        k=settings["k"],
        vector_size=settings["vector_size"],
        window=settings["window"],
        epochs=settings["epochs"],
        seed=snakemake.params.seed,
        threads=snakemake.threads,
    )
    names = list(windows)
    array = subsequence_vectors(
        [windows[n] for n in names],
        vectors,
        k=settings["k"],
        n_subsequences=settings["subsequences"],
    )
    write_gene_array(snakemake.output.vectors, snakemake.output.genes, array, names)
    write_tsv(pd.DataFrame(vectors).T.rename_axis("kmer").reset_index(), snakemake.output.kmers)
    logging.info("%d windows → %s sub-sequence vectors", len(names), array.shape[1:])
