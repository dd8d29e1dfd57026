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
    motifs: Sequence[Motif], tf_ids: Sequence[str], tf_symbols: Sequence[str], *, source: str
) -> pd.DataFrame:
    """Each TF's JASPAR motifs (`motif_tf_parts`: by name, a dimer's motif for each of its
    TFs).

    Parameters
    ----------
    motifs
        The JASPAR motifs.
    tf_ids
        (TFs,) the TFs' gene ids.
    tf_symbols
        (TFs,) their symbols, in the same order.
    source
        The compendium's path, for errors.

    Returns
    -------
    pd.DataFrame
        One row per TF and motif: LINK_COLUMNS (tf, symbol, motif_id, motif_name).

    Raises
    ------
    cistrans.errors.InputError
        Naming `source`, when no motif is named after a TF.
    """
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
    """The scores a TF's targets are ranked by: the light-up, the |Spearman| correlation of
    each TF with each target over the training samples, and the light-up with its target
    columns shuffled with `seed` (every TF's scores moved to the same other targets).

    Parameters
    ----------
    lightup
        (TFs, targets) the light-up scores, index the TF ids, columns the target ids
        (at least `data`'s targets).
    data
        The compendium (TFs' and targets' expression, split per sample).
    seed
        Seeds the shuffle of the targets.

    Returns
    -------
    dict of str to pd.DataFrame
        SCORES (lightup, spearman, shuffled_targets) → (TFs, targets), columns in the
        order of `data`'s targets.
    """
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
    """Whether each of `gene_ids` has a site of each motif found in `sites`
    (`site_regions` with one region).

    Parameters
    ----------
    sites
        One row per site (SITE_COLUMNS; gene_id, motif_id and start read).
    gene_ids
        (genes,) the genes with a window: a gene never scanned must not count as one
        without a site.

    Returns
    -------
    pd.DataFrame
        (genes, motifs) bool, index `gene_ids`, columns the motif ids found in `sites`,
        sorted.
    """
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
    *,
    top_targets: int,
    fdr: float,
    source: str,
) -> pd.DataFrame:
    """Per TF–motif pair whose motif has sites in some but not all targets: whether the
    targets a TF's scores rank highest carry its motif's sites (Mann–Whitney and top-k
    Fisher, one-sided, BH over the pairs).

    Parameters
    ----------
    scores
        Score name (e.g. lightup, spearman) → (TFs, targets), signed or not (its absolute
        value is tested), index the TF ids, columns the target ids.
    links
        One row per TF and motif (LINK_COLUMNS, `tf_motifs`).
    presence
        (genes, motifs) bool from `site_presence` of the genes with a window; only those
        targets count.
    top_targets
        How many of a TF's highest-scoring targets the Fisher test reads.
    fdr
        The q below which a pair is linked.
    source
        The sites table's path, for errors.

    Returns
    -------
    pd.DataFrame
        One row per pair tested: the columns of `links`, genes, genes_with_site, and per
        score name
        `<name>_auc`, `_mw_p`, `_mw_q`, `_top_with_site`, `_top_expected`, `_fisher_p`,
        `_fisher_q`, `_linked` (mw_q < fdr).

    Raises
    ------
    cistrans.errors.InputError
        Naming `source`, when no pair can be tested.
    """
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
    """The share of TF–motif pairs linked by each score.

    Parameters
    ----------
    table
        `motif_target_links`' table.
    names
        The score names to summarise (e.g. SCORES).
    fdr
        The q below which a pair counts as linked.

    Returns
    -------
    pd.DataFrame
        One row per score name: score, pairs (tested), tfs, linked_share (Mann–Whitney
        q < fdr), top_linked_share (top-k Fisher q < fdr), median_auc.
    """
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
    """Per JASPAR motif: the mean |contribution| over genes of the learned filters matched
    to it at TOMTOM q < `q_value`, averaged over those filters.

    Parameters
    ----------
    contributions
        (genes, filters) the learned filters' contributions.
    matches
        One row per filter, in the order of the columns of `contributions` (match_id,
        q_value).
    q_value
        The TOMTOM q below which a filter counts as its match.

    Returns
    -------
    pd.Series
        The importance, index motif_id (the JASPAR motifs matched by some filter).
    """
    strength = np.abs(contributions).mean(axis=0)
    matched = matches.q_value.to_numpy(dtype=float) < q_value
    table = pd.DataFrame({"motif_id": matches.match_id.to_numpy()[matched],
                          "importance": strength[matched]})  # fmt: skip
    return table.groupby("motif_id").importance.mean()


def motif_importance_ranks(
    links: pd.DataFrame, pruning_rank: pd.Series, importance: Mapping[str, pd.Series]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each TF's pruning rank (1: the most important TF in the sweep) beside its motif's
    importance in contextual regression, and per source of importance the Spearman ρ
    between importance and rank over the TFs that have both (ρ < 0: motifs that weigh more
    belong to TFs the sweep keeps longer).

    Parameters
    ----------
    links
        One row per TF and motif (LINK_COLUMNS, `tf_motifs`).
    pruning_rank
        Each TF's rank in the pruning sweep, index the TF ids.
    importance
        Source name (e.g. learned_filters, jaspar_mode) → importance per motif, index
        motif_id.

    Returns
    -------
    tuple of pd.DataFrame
        Per TF, sorted by rank: tf, symbol, pruning_rank, motif_ids (joined by ","), and
        per source its importance (the largest over the TF's motifs); and one row per
        source: importance (its name), tfs (n), spearman_rho, p_value (NaN for fewer than
        three TFs).
    """
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
