"""TF pruning (backward selection): keep the most important TFs, retrain, track the test
explained variance; importance is the mean |light-up| of each TF in the previous model
(one batched forward pass, the same reading of the network as the validation)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass
class PruningSummary:
    """curve: n_tfs, explained_variance, fraction_of_full (largest model first); marks: the
    TF counts for each share (`tfs_for_<p>_percent`) and the knee; core: rank, tf (most core
    first)."""

    curve: pd.DataFrame
    marks: dict[str, int]
    core: pd.DataFrame


def share_key(share: float) -> str:
    """The name of the mark for `share` of the full explained variance, e.g. tfs_for_80_percent.

    Parameters
    ----------
    share
        A fraction of the full model's explained variance (e.g. 0.8).

    Returns
    -------
    str
        ``tfs_for_<p>_percent``, p the share in percent rounded to an integer.
    """
    return f"tfs_for_{round(100 * share)}_percent"


def summarise_pruning(steps: list[tuple[float, list[str]]], shares: list[float]) -> PruningSummary:
    """The pruning curve, its marks and the core order.

    Parameters
    ----------
    steps
        (test explained variance, TF ids of the model in importance order) of the full
        model and of every pruning step, any order. A step with at least the full model's
        TF count (it pruned nothing) is left off.
    shares
        Fractions of the full model's explained variance to mark (e.g. 0.8, 0.9).

    Returns
    -------
    PruningSummary
        curve: DataFrame of one row per step, largest model first, columns n_tfs,
        explained_variance, fraction_of_full; marks: `share_key` of each share → the
        fewest TFs keeping it (`tfs_for_fraction`), and knee → `knee` of the curve; core:
        DataFrame with columns rank (1, 2, …) and tf, in `core_order`.
    """
    ordered = sorted(steps, key=lambda step: len(step[1]), reverse=True)
    # a step at or above the full TF count retrained every TF (trans.pruning.tf_counts larger
    # than the compendium's TFs): it prunes nothing and would repeat the full model's point
    ordered = ordered[:1] + [step for step in ordered[1:] if len(step[1]) < len(ordered[0][1])]
    curve = pd.DataFrame(
        {
            "n_tfs": [len(tfs) for _, tfs in ordered],
            "explained_variance": [value for value, _ in ordered],
        }
    )
    curve["fraction_of_full"] = curve.explained_variance / curve.explained_variance.iloc[0]
    marks = {share_key(share): tfs_for_fraction(curve, share) for share in shares}
    marks["knee"] = knee(curve.n_tfs.to_numpy(), curve.explained_variance.to_numpy())
    order = core_order([(len(tfs), tfs) for _, tfs in ordered])
    core = pd.DataFrame({"rank": np.arange(1, len(order) + 1), "tf": order})
    return PruningSummary(curve, marks, core)


def grid_edge_warnings(
    curve: pd.DataFrame, marks: dict[str, int], shares: list[float]
) -> list[str]:
    """Warnings for each share whose TF count lies at an edge of the TF counts tried.

    At the smallest count tried the share may hold with fewer TFs; when only the full model
    keeps it, the count lies somewhere between the largest pruned count and all TFs. Either
    way trans.pruning.tf_counts cannot place it.

    Parameters
    ----------
    curve
        `summarise_pruning`'s curve (columns n_tfs, …; the full model first).
    marks
        `summarise_pruning`'s marks (a `share_key` for each of `shares`).
    shares
        The fractions of the full explained variance marked.

    Returns
    -------
    list of str
        One warning (with its fix) per share at an edge, in the order of `shares`; empty
        when none is.
    """
    pruned = curve.n_tfs.iloc[1:]
    warnings = []
    for share in shares:
        count = marks[share_key(share)]
        if len(pruned) and count == pruned.min():
            warnings.append(
                f"{round(100 * share)} % of the full explained variance is kept at {count} TFs, "
                f"the smallest count tried: fewer TFs may keep it too. Fix: add smaller counts "
                f"to trans.pruning.tf_counts"
            )
        elif count == curve.n_tfs.iloc[0]:
            tried = f"{pruned.max()} TFs, the largest count tried" if len(pruned) else "no count"
            warnings.append(
                f"{round(100 * share)} % of the full explained variance is kept only by the "
                f"full model ({count} TFs); not by {tried}. Fix: add counts between them to "
                f"trans.pruning.tf_counts"
            )
    return warnings


def tf_count_warning(tf_counts: list[int], n_tfs: int) -> str | None:
    """The warning for the counts of `tf_counts` not below the compendium's TF count.

    Such a step keeps every TF: it retrains the full model and is left off the pruning
    curve (`summarise_pruning`), so its job is spent for nothing.

    Parameters
    ----------
    tf_counts
        trans.pruning.tf_counts.
    n_tfs
        The compendium's TF count.

    Returns
    -------
    str or None
        The warning, or None when every count prunes.
    """
    unpruned = sorted({count for count in tf_counts if count >= n_tfs}, reverse=True)
    if not unpruned:
        return None
    total = len(set(tf_counts))
    pruned = total - len(unpruned)
    return (
        f"trans.pruning.tf_counts {', '.join(map(str, unpruned))} "
        f"{'is' if len(unpruned) == 1 else 'are'} not below the compendium's {n_tfs} TFs: "
        f"those pruning steps keep every TF and are left off the pruning curve ({pruned} of "
        f"the {total} counts prune). Fix: drop them from trans.pruning.tf_counts, listing "
        f"counts below {n_tfs} (e.g. {max(n_tfs // 2, 1)}, {max(n_tfs // 4, 1)})"
    )


def keep_most_important(importance: pd.Series, n_tfs: int) -> list[str]:
    """The `n_tfs` TF ids with the highest importance (ties by order).

    Parameters
    ----------
    importance
        (TFs,) each TF's importance, index the TF ids.
    n_tfs
        How many to keep.

    Returns
    -------
    list of str
        (n_tfs,) the TF ids, most important first.
    """
    return list(importance.sort_values(ascending=False, kind="stable").index[:n_tfs])


def knee(counts: np.ndarray, values: np.ndarray) -> int:
    """The TF count farthest below the straight line joining the curve's ends (Kneedle).

    Parameters
    ----------
    counts
        (steps,) the TF counts.
    values
        (steps,) the figure at each count.

    Returns
    -------
    int
        The count at the knee.
    """
    order = np.argsort(counts)
    x, y = counts[order].astype(float), values[order].astype(float)
    x_n = (x - x[0]) / max(x[-1] - x[0], 1e-12)
    y_n = (y - y[0]) / max(y[-1] - y[0], 1e-12)
    return int(x[np.argmax(y_n - x_n)])


def tfs_for_fraction(curve: pd.DataFrame, fraction: float) -> int:
    """Fewest TFs whose model keeps `fraction` of the full model's explained variance.

    Parameters
    ----------
    curve
        `summarise_pruning`'s curve (columns n_tfs, fraction_of_full).
    fraction
        The share of the full model's explained variance to keep.

    Returns
    -------
    int
        The smallest n_tfs whose fraction_of_full is at least `fraction`; the largest n_tfs
        when none is.
    """
    enough = curve[curve.fraction_of_full >= fraction]
    return int(enough.n_tfs.min()) if len(enough) else int(curve.n_tfs.max())


def core_order(steps: list[tuple[int, list[str]]]) -> list[str]:
    """TFs from most to least core: the last survivors first, then those removed at each
    step, latest removal first.

    Parameters
    ----------
    steps
        (n_tfs, kept TF ids in importance order) of each step, largest first; each step's
        TFs a subset of the one before.

    Returns
    -------
    list of str
        The TF ids of the largest step, most core first: the smallest step's TFs in their
        importance order, then the TFs each earlier step loses, each step's in its
        importance order.
    """
    order: list[str] = list(steps[-1][1])
    for (_, kept), (_, kept_next) in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        order += [tf for tf in kept if tf not in set(kept_next)]
    return order


def hierarchy_test(
    retained: list[str],
    removed: list[str],
    known_targets: pd.Series,
    *,
    permutations: int = 10_000,
    seed: int = 0,
) -> dict[str, float]:
    """Do retained TFs have more known targets than removed ones?

    On the whole count distributions (most TFs of a real table have no known target, so the
    medians alone often read 0 against 0): one-sided Mann–Whitney on the counts; the mean
    count and the share of TFs with any known target per group; and a one-sided permutation
    p-value of the difference in means (`permutations` shuffles of the group labels, with
    the +1 correction).

    Parameters
    ----------
    retained
        The TF ids kept.
    removed
        The TF ids pruned.
    known_targets
        Known-target count per TF id (`known_target_counts`; a missing TF counts 0).
    permutations
        Shuffles of the group labels for the permutation p-value.
    seed
        Seeds the shuffles.

    Returns
    -------
    dict
        n_retained, n_removed; median_, mean_ and share_with_ known_targets_retained and
        _removed (NaN for an empty group); mann_whitney_p and permutation_p (one-sided,
        NaN unless both groups have TFs and the counts vary); permutations.
    """
    kept = known_targets.reindex(retained).fillna(0).to_numpy(dtype=float)
    gone = known_targets.reindex(removed).fillna(0).to_numpy(dtype=float)
    both = len(kept) and len(gone)
    tested = both and np.ptp(np.concatenate([kept, gone])) > 0
    mann_whitney = (
        stats.mannwhitneyu(kept, gone, alternative="greater").pvalue if tested else np.nan
    )
    permutation = np.nan
    if tested:
        pooled = np.concatenate([kept, gone])
        rng = np.random.default_rng(seed)
        observed = kept.mean() - gone.mean()
        differences = np.empty(permutations)  # one shuffle at a time: memory stays O(TFs)
        for i in range(permutations):
            shuffled = rng.permutation(pooled)
            differences[i] = shuffled[: len(kept)].mean() - shuffled[len(kept) :].mean()
        permutation = (1 + int((differences >= observed - 1e-12).sum())) / (1 + permutations)

    def summary(values: np.ndarray, statistic) -> float:
        return float(statistic(values)) if len(values) else np.nan

    return {
        "n_retained": len(kept),
        "n_removed": len(gone),
        "median_known_targets_retained": summary(kept, np.median),
        "median_known_targets_removed": summary(gone, np.median),
        "mean_known_targets_retained": summary(kept, np.mean),
        "mean_known_targets_removed": summary(gone, np.mean),
        "share_with_known_targets_retained": summary(kept > 0, np.mean),
        "share_with_known_targets_removed": summary(gone > 0, np.mean),
        "mann_whitney_p": float(mann_whitney),
        "permutation_p": float(permutation),
        "permutations": permutations,
    }


def known_target_counts(table: pd.DataFrame, symbol_to_id: dict[str, str]) -> pd.Series:
    """Distinct known targets per TF (index: model TF ids) of a tf/target table by symbol.

    Parameters
    ----------
    table
        Known regulation, columns tf and target (gene symbols), one row per edge (repeats
        counted once).
    symbol_to_id
        TF symbol → model TF id.

    Returns
    -------
    pd.Series
        The count of distinct targets of each TF of the table that is a model TF, indexed
        by TF id, largest count first; TFs with no known target are absent.
    """
    counts = table.drop_duplicates(["tf", "target"]).tf.value_counts()
    counts.index = counts.index.map(symbol_to_id.get)
    return counts[counts.index.notna()]
