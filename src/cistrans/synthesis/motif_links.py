"""Do the two approaches agree on the regulators? Each TF's JASPAR motif links the trans
network (which targets a TF lights up) to the promoters (which genes carry its sites) and to
contextual regression (which motifs drive the cis predictions).

- `motif_target_links`: for each TF with a motif, are the targets it lights up most the
  ones whose promoters carry its sites? One-sided Mann–Whitney U of the TF's |score| over
  the targets with a window that have a site against those that have none (effect: the
  AUC, U / (n₁·n₀)), and one-sided Fisher's exact test of sites among its `top_targets`
  highest-scoring targets; BH-FDR over the TF–motif pairs. `link_scores` gives the scores:
  light-up, |Spearman| correlation (the trans validation's baseline) and light-up over
  shuffled targets (the null: its share of linked pairs should stay near the FDR).
- `motif_importance_ranks`: does a motif's weight in contextual regression follow its TF's
  rank in the pruning sweep? Spearman ρ over the TFs with a motif.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact, mannwhitneyu, spearmanr
from statsmodels.stats.multitest import multipletests

from cistrans.ctxreg.jaspar_mode import site_regions
from cistrans.errors import InputError
from cistrans.io.motifs import Motif
from cistrans.synthesis.motif_tfs import motif_tf_parts
from cistrans.trans.data import TransData
from cistrans.trans.validation import spearman_matrix

LINK_COLUMNS = ["tf", "symbol", "motif_id", "motif_name"]
SCORES = ("lightup", "spearman", "shuffled_targets")
"""The scores a TF's targets are ranked by: light-up, |Spearman| over the training samples
(the baseline), light-up with the targets shuffled (the null)."""


def tf_motifs(
    motifs: Sequence[Motif], tf_ids: Sequence[str], tf_symbols: Sequence[str], source: str
) -> pd.DataFrame:
    """LINK_COLUMNS: each TF's JASPAR motifs (`motif_tf_parts`: by name, a dimer's motif for
    each of its TFs). None is an InputError naming `source` (the compendium)."""
    rows = [
        (tf_ids[tf], tf_symbols[tf], motifs[row].motif_id, motifs[row].name)
        for row, tfs in motif_tf_parts(motifs, tf_symbols)
        for tf in tfs
    ]
    if not rows:
        raise InputError(
            source,
            f"no JASPAR motif is named after one of its {len(tf_symbols)} TFs (e.g. "
            f"{', '.join(list(tf_symbols)[:3])}), so no TF's targets can be tested for its motif",
            "give the compendium's genes their HGNC symbols (var.symbol), as JASPAR names "
            "its motifs",
        )
    return pd.DataFrame(rows, columns=LINK_COLUMNS).drop_duplicates(["tf", "motif_id"])


def link_scores(lightup: pd.DataFrame, data: TransData, seed: int) -> dict[str, pd.DataFrame]:
    """SCORES, each (TFs, targets) in the order of `data`'s targets: the light-up, the
    |Spearman| correlation of each TF with each target over the training samples, and the
    light-up with its target columns shuffled with `seed` (every TF's scores moved to the
    same other targets)."""
    train = data.rows("train")
    ranked = lightup[data.target_ids]
    spearman = np.abs(spearman_matrix(data.inputs[train], data.outputs[train]))
    order = np.random.default_rng(seed).permutation(len(data.target_ids))
    return {
        "lightup": ranked,
        "spearman": pd.DataFrame(spearman, index=data.tf_ids, columns=data.target_ids),
        "shuffled_targets": pd.DataFrame(
            ranked.to_numpy()[:, order], index=ranked.index, columns=data.target_ids
        ),
    }


def site_presence(sites: pd.DataFrame, gene_ids: Sequence[str]) -> pd.DataFrame:
    """(genes, motifs) bool: whether each of `gene_ids` (genes with a window: a gene never
    scanned must not count as one without a site) has a site (SITE_COLUMNS rows) of each
    motif found in `sites` (`site_regions` with one region)."""
    motif_ids = sorted(set(sites.motif_id))
    counts = site_regions(sites, gene_ids, motif_ids, length=1, pool=1)[:, 0]
    return pd.DataFrame(counts > 0, index=list(gene_ids), columns=motif_ids)


def _tests(values: np.ndarray, has_site: np.ndarray, top_targets: int) -> dict[str, float]:
    """Mann–Whitney (greater) and top-k Fisher (greater) of one TF's |scores| (targets,)
    against its motif's presence (targets,)."""
    with_site, without = values[has_site], values[~has_site]
    test = mannwhitneyu(with_site, without, alternative="greater")
    top = np.argsort(-values, kind="stable")[:top_targets]
    in_top, out_top = int(has_site[top].sum()), len(top) - int(has_site[top].sum())
    rest_with, rest_without = int(has_site.sum()) - in_top, int((~has_site).sum()) - out_top
    table = [[in_top, out_top], [rest_with, rest_without]]
    return {
        "auc": float(test.statistic) / (len(with_site) * len(without)),
        "mw_p": float(test.pvalue),
        "top_with_site": in_top,
        "top_expected": len(top) * float(has_site.mean()),
        "fisher_p": float(fisher_exact(table, alternative="greater").pvalue),
    }


def motif_target_links(
    scores: Mapping[str, pd.DataFrame],
    links: pd.DataFrame,
    presence: pd.DataFrame,
    top_targets: int,
    fdr: float,
    source: str,
) -> pd.DataFrame:
    """Per TF–motif pair of `links` (LINK_COLUMNS) whose motif has sites in some but not all
    targets: genes, genes_with_site, and per score name of `scores` (e.g. lightup,
    spearman; each TFs × targets, signed or not) `<name>_auc`, `_mw_p`, `_mw_q`,
    `_top_with_site`, `_top_expected`, `_fisher_p`, `_fisher_q`, `_linked` (mw_q < fdr).

    presence: (genes, motifs) from `site_presence` of the genes with a window; only those
    targets count. No testable pair is an InputError naming `source` (the sites table)."""
    rows = []
    for link in links.itertuples(index=False):
        if link.motif_id not in presence.columns:
            continue
        row = link._asdict()
        for name, matrix in scores.items():
            targets = [gene for gene in matrix.columns if gene in presence.index]
            has_site = presence.loc[targets, link.motif_id].to_numpy(dtype=bool)
            if has_site.all() or not has_site.any():
                break
            row |= {"genes": len(targets), "genes_with_site": int(has_site.sum())}
            values = np.abs(matrix.loc[link.tf, targets].to_numpy(dtype=float))
            row |= {f"{name}_{k}": v for k, v in _tests(values, has_site, top_targets).items()}
        else:
            rows.append(row)
    if not rows:
        raise InputError(
            source,
            f"no TF's motif has sites in some but not all of the {len(presence)} targets with "
            "a window",
            "check that the windows and the compendium share their gene IDs",
        )
    table = pd.DataFrame(rows)
    for name in scores:
        for test in ("mw", "fisher"):
            q = multipletests(table[f"{name}_{test}_p"], method="fdr_bh")[1]
            position = table.columns.get_loc(f"{name}_{test}_p") + 1
            table.insert(position, f"{name}_{test}_q", q)
        table[f"{name}_linked"] = table[f"{name}_mw_q"] < fdr
    return table


def link_summary(table: pd.DataFrame, names: Sequence[str], fdr: float) -> pd.DataFrame:
    """One row per score name of `motif_target_links`' table: the TF–motif pairs tested,
    the share linked by Mann–Whitney and by the top-k Fisher test (q < fdr), and the median
    AUC."""
    return pd.DataFrame(
        [
            {
                "score": name,
                "pairs": len(table),
                "tfs": table.tf.nunique(),
                "linked_share": float((table[f"{name}_mw_q"] < fdr).mean()),
                "top_linked_share": float((table[f"{name}_fisher_q"] < fdr).mean()),
                "median_auc": float(table[f"{name}_auc"].median()),
            }
            for name in names
        ]
    )


def learned_motif_importance(
    contributions: np.ndarray, matches: pd.DataFrame, q_value: float
) -> pd.Series:
    """Per JASPAR motif (match_id): the mean |contribution| over genes of the learned
    filters matched to it at TOMTOM q < `q_value`, averaged over those filters.
    contributions: (genes, filters); matches: one row per filter (match_id, q_value)."""
    strength = np.abs(contributions).mean(axis=0)
    matched = matches.q_value.to_numpy(dtype=float) < q_value
    table = pd.DataFrame({"motif_id": matches.match_id.to_numpy()[matched],
                          "importance": strength[matched]})  # fmt: skip
    return table.groupby("motif_id").importance.mean()


def motif_importance_ranks(
    links: pd.DataFrame, pruning_rank: pd.Series, importance: Mapping[str, pd.Series]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each TF's pruning rank (1: the most important TF in the sweep) beside its motif's
    importance in contextual regression for each source of `importance` (name → per
    motif_id), the largest over the TF's motifs; and per source the Spearman ρ between
    importance and rank over the TFs that have both (ρ < 0: motifs that weigh more belong to
    TFs the sweep keeps longer), with n and p."""
    table = links.assign(pruning_rank=links.tf.map(pruning_rank))
    for name, values in importance.items():
        table[name] = table.motif_id.map(values)
    per_tf = table.groupby(["tf", "symbol"], as_index=False).agg(
        pruning_rank=("pruning_rank", "first"),
        motif_ids=("motif_id", ",".join),
        **{name: (name, "max") for name in importance},
    )
    rows = []
    for name in importance:
        both = per_tf.dropna(subset=[name, "pruning_rank"])
        rho, p = spearmanr(both[name], both.pruning_rank) if len(both) > 2 else (np.nan, np.nan)
        rows.append({"importance": name, "tfs": len(both), "spearman_rho": float(rho),
                     "p_value": float(p)})  # fmt: skip
    return per_tf.sort_values("pruning_rank", ignore_index=True), pd.DataFrame(rows)
