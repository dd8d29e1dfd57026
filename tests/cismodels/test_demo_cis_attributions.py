"""What the best one-hot model learned on the demo world, against its truth
(resources/demo/truth): the planted cis motifs (genes.tsv: cis_role, motif_id) and their
sites (motif_instances.tsv), in its attributions and in the TF-MoDISco motifs from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cistrans.cismodels.attribution import DIFFUSE_INFORMATION
from cistrans.dna import onehot_codes
from cistrans.io.chunks import read_gene_array

ATTRIBUTIONS = Path("results") / "cis" / "attributions"


def planted_roles(demo_workdir: Path) -> pd.Series:
    """The planted cis motifs' roles (activating, repressive) by motif_id."""
    genes = pd.read_csv(demo_workdir / "resources/demo/truth/genes.tsv", sep="\t")
    planted = genes[genes.cis_role.isin(["activating", "repressive"])]
    return planted.set_index("motif_id").cis_role


def test_the_best_one_hot_model_is_chosen_by_its_validation_loss(demo_workdir: Path) -> None:
    """The run explained has the lowest best validation loss among the one-hot models'
    observed-label runs on the sequence alone (measured: xpresso seed 0, 0.679)."""
    motifs = pd.read_csv(demo_workdir / ATTRIBUTIONS / "motifs.tsv", sep="\t")
    cis = demo_workdir / "results" / "cis"
    best = {
        f"{history.parents[2].name}/dna/{history.parent.name}": pd.read_csv(
            history, sep="\t"
        ).validation_loss.min()
        for model in ("xpresso", "legnet")
        for history in (cis / model / "dna").glob("seed_*/history.tsv")
    }
    assert len(best) >= 2
    chosen = min(best, key=best.get)
    assert set(motifs.run) == {chosen}
    assert np.allclose(motifs.best_validation_loss, best[chosen], rtol=1e-4)
    assert (motifs.sequences == 150).all() and (motifs.method == "deep_lift_shap").all()


def test_the_attributions_give_every_planted_motif_its_planted_sign(demo_workdir: Path) -> None:
    """The summed contribution over each planted site in the 150 test windows, averaged per
    planted motif (57-81 sites each). Measured: all 12 planted motifs carry their planted
    sign, for Xpresso (seed 0: activating +0.002 to +0.294, the weakest POU4F2 and PAX9;
    repressive -0.001 to -0.207, IRF3 and ZSCAN16 the strongest) and for LegNet (seed 1:
    +0.047 to +0.296, -0.012 to -0.064)."""
    codes, genes = read_gene_array(
        demo_workdir / "results/cis/inputs/onehot.npy",
        demo_workdir / "results/cis/inputs/onehot.genes.tsv",
        "rerun cis_onehot",
    )
    hypothetical, explained = read_gene_array(
        demo_workdir / ATTRIBUTIONS / "attributions.npy",
        demo_workdir / ATTRIBUTIONS / "attributions.genes.tsv",
        "rerun cis_attributions",
    )
    assert hypothetical.shape == (150, 4, codes.shape[1])
    row = {gene: i for i, gene in enumerate(genes)}
    onehot = onehot_codes(codes[[row[gene] for gene in explained]])
    contributions = (hypothetical.astype(np.float32) * onehot).sum(axis=1)
    config = yaml.safe_load((demo_workdir / "config/config.yaml").read_text())
    upstream = config["cis"]["window"]["upstream"]  # the TSS's index in the window
    sites = pd.read_csv(demo_workdir / "resources/demo/truth/motif_instances.tsv", sep="\t")
    roles = planted_roles(demo_workdir)
    sites = sites[sites.gene_id.isin(explained) & sites.motif_id.isin(roles.index)]
    where = {gene: i for i, gene in enumerate(explained)}
    sums = [
        contributions[where[gene], upstream + offset : upstream + offset + len(site)].sum()
        for gene, offset, site in zip(sites.gene_id, sites.offset, sites.site, strict=True)
    ]
    mean = sites.assign(contribution=sums).groupby("motif_id").contribution.mean()
    signs = pd.DataFrame({"role": roles, "mean": mean}).dropna()
    assert len(signs) == 12, signs
    agree = (signs.role == "activating") == (signs["mean"] > 0)
    assert agree.sum() >= 11, signs
    assert (signs["mean"][signs.role == "repressive"] < 0).all(), signs


def test_the_motifs_are_the_planted_ones_with_their_planted_signs(demo_workdir: Path) -> None:
    """TF-MoDISco's patterns matched to JASPAR (the demo's motifs are JASPAR's own PWMs).
    Measured (Xpresso seed 0): 9 patterns, every one matching a planted motif at q < 0.05
    with its planted sign: 7 distinct planted motifs, TP63 (q 0), RFX4 (q 0), NFKB1 (2e-7),
    RARA (two patterns, 2e-8 and 0) and PROX1 (2e-3) raising the prediction, IRF3 (1e-8)
    and ZSCAN16 (two, 1e-8 and 1e-4) lowering it; weights +0.137 (TP63) to -0.114 (IRF3);
    each a site, not a composition (1.06-1.55 bits per position).
    LegNet (seed 1, its attributions) gives TP63, RARA, PROX1, NFKB1 and REST, all raising,
    and no lowering pattern."""
    motifs = pd.read_csv(demo_workdir / ATTRIBUTIONS / "motifs.tsv", sep="\t")
    roles = planted_roles(demo_workdir)
    assert (motifs.weight * motifs.sign > 0).all()
    assert np.isin(motifs.sign, [1, -1]).all()
    found = motifs[(motifs.q_value < 0.05) & motifs.match_id.isin(roles.index)]
    assert found.match_id.nunique() >= 4, motifs
    planted_sign = np.where(roles[found.match_id] == "activating", 1, -1)
    assert (found.sign.to_numpy() == planted_sign).all(), found
    assert len(found) >= 0.7 * len(motifs), motifs
    assert (found.information > DIFFUSE_INFORMATION).all(), found
    cwms = pd.read_csv(demo_workdir / ATTRIBUTIONS / "cwms.tsv", sep="\t")
    assert set(cwms.pattern) == set(motifs.pattern)
    assert (demo_workdir / ATTRIBUTIONS / "motifs.png").stat().st_size > 20_000
