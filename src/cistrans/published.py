"""Figures the papers published, beside which the summary and the figures set a run's own:
each with its value (of `out_of` where it is a count) and its paper."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PUBLISHED_PEARSON_R2 = {
    ("kmer_ridge", "dna"): 0.447,
    ("kmer_ridge", "dna_mrna"): 0.470,
    ("mrna_ridge", "mrna"): 0.170,
}
"""Xpresso's published test figures (squared Pearson r, human, 10.5 kb window) for the
baselines of the same name: 5-mer counts without / with the mRNA features, and the mRNA
features alone (Agarwal & Shendure 2020)."""


@dataclass(frozen=True)
class Published:
    """A figure a paper published: its value (of `out_of` where it is a count) and where."""

    value: float
    reference: str
    out_of: float = np.nan


# Magnusson, Tegnér & Gustafsson 2022, "Deep neural network prediction of genome-wide
# transcriptome signatures – beyond the Black-box", npj Syst Biol Appl 8:9 (ARCHS4, 1,625
# TFs -> 25,861 genes). Their R² divides by the spread around one global mean of all genes.
TRANS_GLOBAL_MEAN_R2 = Published(0.8, "Magnusson et al. 2022, global-mean R² (test)")
TRANS_TFS_FOR_80_PERCENT = Published(125, "Magnusson et al. 2022, pruning", out_of=1625)
TRANS_DISEASE_RHO_POOLED = Published(0.61, "Magnusson et al. 2022, all diseases pooled")
TRANS_GWAS_DISEASES = Published(10, "Magnusson et al. 2022, GWAS overlap (Fisher)", out_of=22)

# Squared Pearson r on the 1,000 test genes, human, -7,000..+3,500. Xpresso: Agarwal &
# Shendure 2020, Cell Rep 31:107663 (one-hot CNN without / with the mRNA features).
# DeepLncLoc and TExCNN: Dong et al. 2024, "TExCNN: leveraging pre-trained models to predict
# gene expression from genomic sequences", Genes 15:1593 (mean of 10 runs; TExCNN 0.622 on
# the 10.5 kb windows, 0.639 on its extended 50 kb data).
XPRESSO_DNA = Published(0.504, "Agarwal & Shendure 2020 (Xpresso)")
XPRESSO_DNA_MRNA = Published(0.590, "Agarwal & Shendure 2020 (Xpresso)")
DEEPLNCLOC_DNA = Published(0.596, "Dong et al. 2024 (DeepLncLoc, as TExCNN's baseline)")
TEXCNN_DNA = Published(0.622, "Dong et al. 2024 (TExCNN, 10.5 kb; 0.639 at 50 kb)")

CIS_PUBLISHED = {
    ("xpresso", "dna"): XPRESSO_DNA,
    ("xpresso", "dna_mrna"): XPRESSO_DNA_MRNA,
    ("deeplncloc", "dna"): DEEPLNCLOC_DNA,
    ("texcnn", "dna"): TEXCNN_DNA,
    # Xpresso's baselines: 5-mer counts without / with the mRNA features, the mRNA features
    **{
        key: Published(value, "Agarwal & Shendure 2020 (Xpresso's baseline, 10.5 kb)")
        for key, value in PUBLISHED_PEARSON_R2.items()
    },
}
"""The published pearson_r2 of each model kind (TExCNN of any embedding) × feature set that
has one."""
