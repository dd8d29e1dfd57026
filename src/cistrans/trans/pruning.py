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
    """The name of the mark for `share` of the full explained variance, e.g. tfs_for_80_percent."""
    return f"tfs_for_{round(100 * share)}_percent"


def summarise_pruning(steps: list[tuple[float, list[str]]], shares: list[float]) -> PruningSummary:
    """The pruning curve, its marks and the core order.

    steps: (test explained variance, TF ids of the model in importance order) of the full
    model and of every pruning step, any order. shares: fractions of the full model's
    explained variance to mark (e.g. 0.8, 0.9).
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

    curve, marks: of `summarise_pruning`. At the smallest count tried the share may hold with
    fewer TFs; when only the full model keeps it, the count lies somewhere between the
    largest pruned count and all TFs. Either way trans.pruning.tf_counts cannot place it.
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
    """Fewest TFs whose model keeps `fraction` of the full model's explained variance."""
    enough = curve[curve.fraction_of_full >= fraction]
    return int(enough.n_tfs.min()) if len(enough) else int(curve.n_tfs.max())


def core_order(steps: list[tuple[int, list[str]]]) -> list[str]:
    """TFs from most to least core: the last survivors first, then those removed at each
    step, latest removal first. steps: (n_tfs, kept TF ids in importance order), largest first."""
    order: list[str] = list(steps[-1][1])
    for (_, kept), (_, kept_next) in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        order += [tf for tf in kept if tf not in set(kept_next)]
    return order


def hierarchy_test(
    retained: list[str],
    removed: list[str],
    known_targets: pd.Series,
    permutations: int = 10_000,
    seed: int = 0,
) -> dict[str, float]:
    """Do retained TFs have more known targets than removed ones?

    On the whole count distributions (most TFs of a real table have no known target, so the
    medians alone often read 0 against 0): one-sided Mann–Whitney on the counts; the mean
    count and the share of TFs with any known target per group; and a one-sided permutation
    p-value of the difference in means (`permutations` shuffles of the group labels, with
    the +1 correction). known_targets: count per TF id (missing = 0).
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
    """Distinct known targets per TF (index: model TF ids) of a tf/target table by symbol."""
    counts = table.drop_duplicates(["tf", "target"]).tf.value_counts()
    counts.index = counts.index.map(symbol_to_id.get)
    return counts[counts.index.notna()]
