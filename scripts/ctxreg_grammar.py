"""Rule ctxreg_grammar: motif pairs that co-occur across promoters (Fisher, BH; pairs of
motifs alike enough to call the same sites left out), the communities of their network
(Leiden), and the pairs whose sites keep a preferred spacing."""

import logging

from cistrans.ctxreg.grammar import (
    communities,
    cooccurrence,
    preferred_spacings,
    read_sites,
)
from cistrans.io.chunks import read_gene_array
from cistrans.io.motifs import read_meme
from cistrans.io.results import read_result_table
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inputs, settings = snakemake.input, snakemake.params.grammar
    codes, genes = read_gene_array(
        inputs.codes, inputs.code_genes, "rerun `snakemake --forcerun ctxreg_onehot`", mmap=True
    )
    sites = read_sites(inputs.sites)
    motifs = read_meme(inputs.jaspar)
    names = {motif.motif_id: motif.name for motif in motifs}
    similar = read_result_table(inputs.similar, ["motif_a", "motif_b"], made_by="ctxreg_jaspar")
    pairs = cooccurrence(sites, genes, similar, fdr=settings["fdr"])
    groups = communities(pairs, snakemake.params.seed)
    spacing = preferred_spacings(sites, genes, pairs, length=codes.shape[1], settings=settings)
    significant = pairs[pairs.significant].drop(columns="significant")
    for table in (significant, spacing):
        table.insert(2, "name_a", table.motif_a.map(names))
        table.insert(3, "name_b", table.motif_b.map(names))
    groups.insert(1, "name", groups.motif_id.map(names))
    write_tsv(significant, snakemake.output.cooccurrence)
    write_tsv(groups, snakemake.output.communities)
    write_tsv(spacing, snakemake.output.spacing)
    logging.info(
        "%d of %d motif pairs tested co-occur (q < %g; %d alike pairs left out), in %d "
        "communities; %d ordered pairs keep a preferred spacing (q < %g):\n%s",
        len(significant), len(pairs), settings["fdr"], len(similar), groups.community.nunique(),
        int((spacing.q_value < settings["fdr"]).sum()) if len(spacing) else 0, settings["fdr"],
        spacing.head(20).to_string(),
    )  # fmt: skip
