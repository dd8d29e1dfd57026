"""Rule ctxreg_insilico: the most significant spacing pairs' consensus sites written at every
spacing into dinucleotide-shuffled test windows, and the change the trained models (every
seed, averaged) predict, beside each site alone."""

import logging

import numpy as np
import pandas as pd
import torch

from cistrans.cismodels.attribution import dinucleotide_shuffles
from cistrans.cismodels.networks import InputShape, InputTooShort
from cistrans.ctxreg.fit import build_network, network_options
from cistrans.ctxreg.insilico import spacing_scan
from cistrans.ctxreg.network import WINDOW_KEY
from cistrans.dna import encode_bases
from cistrans.io.chunks import read_gene_array
from cistrans.io.motifs import read_meme
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, params = snakemake.input, snakemake.params
    codes, genes = read_gene_array(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun ctxreg_onehot`", mmap=True
    )
    labels = read_result_table(inputs.labels, ["gene_id", "split"], made_by="sequence_labels")
    settings = params.grammar
    test = labels.gene_id[labels.split == "test"]
    rows = np.flatnonzero(pd.Index(genes).isin(test))[: settings["insilico_backgrounds"]]
    backgrounds = dinucleotide_shuffles(np.asarray(codes[rows]), 1, params.seed)[:, 0]
    shape = InputShape(4, codes.shape[1], 0)
    networks = []
    for path in inputs.weights:
        try:
            network = build_network(shape, **network_options(params.settings))
        except InputTooShort as error:  # params.length_key: ctxreg.window or your own table
            widen = ", or widen ctxreg.window" if params.length_key == WINDOW_KEY else ""
            fix = f"lower ctxreg.width to {error.length} or less{widen}"
            raise error.input_error(params.length_key, fix) from None
        network.load_state_dict(torch.load(path))
        networks.append(network)
    consensus = {motif.motif_id: motif.consensus for motif in read_meme(inputs.jaspar)}
    spacing = read_result_table(inputs.spacing, ["motif_a", "motif_b"], made_by="ctxreg_grammar")
    spacing = spacing.assign(site_a=spacing.motif_a.map(consensus),
                             site_b=spacing.motif_b.map(consensus))  # fmt: skip
    significant = spacing[spacing.q_value < settings["fdr"]]
    # alike motifs share a consensus: each pair of sites is scanned once
    pairs = significant.drop_duplicates(["site_a", "site_b"]).head(settings["insilico_pairs"])
    scans = []
    for first, second in zip(pairs.motif_a, pairs.motif_b, strict=True):
        site_a, site_b = (encode_bases([consensus[m]])[0] for m in (first, second))
        scan = spacing_scan(networks, backgrounds, site_a, site_b,
                            position=codes.shape[1] // 3,
                            spacings=range(settings["max_spacing"] + 1))  # fmt: skip
        scans.append(scan.assign(motif_a=first, motif_b=second, site_a=consensus[first],
                                 site_b=consensus[second]))  # fmt: skip
    columns = ["motif_a", "motif_b", "site_a", "site_b", "spacing", "change", "change_se",
               "interaction"]  # fmt: skip
    table = pd.concat(scans, ignore_index=True)[columns] if scans else pd.DataFrame(columns=columns)
    write_tsv(table, snakemake.output.scan)
    logging.info(
        "%d pairs scanned over %d backgrounds; largest |interaction| %.4f",
        len(pairs), len(backgrounds), table.interaction.abs().max() if len(table) else 0.0,
    )  # fmt: skip
