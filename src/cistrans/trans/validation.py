"""Light-up against known regulation (TRRUST, DoRothEA, CollecTRI, RegNetwork tables).

Per target with annotated regulators among the model's TFs: the fold = median |score| of
its annotated regulators / median |score| of the other TFs (1 = no relation), with a
one-sided Mann–Whitney test (annotated larger); the median fold across targets; the same
with |Spearman| TF–target correlations as the control; a sign test (Activation edges
positive, Repression negative: one-sided binomial, with the odds ratio of the 2 × 2 table);
and AUROC / AUPRC of |score| for recovering the annotated edges among all TF–target pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from cistrans.errors import InputError
from cistrans.trans.data import TransData


def known_edges(
    table: pd.DataFrame, tf_symbols: dict[str, str], target_symbols: dict[str, str]
) -> pd.DataFrame:
    """Annotated edges between the model's TFs and targets, by symbol.

    Parameters
    ----------
    table
        Known regulation, columns tf, target (gene symbols) and mode (e.g. Activation,
        Repression, Unknown).
    tf_symbols
        TF symbol → model TF ID.
    target_symbols
        Target symbol → model target ID.

    Returns
    -------
    pd.DataFrame
        Columns tf, target (model IDs) and mode: the table's edges whose TF and target are
        both the model's, duplicates dropped, in the table's order (its index kept).
    """
    edges = table.assign(tf_id=table.tf.map(tf_symbols), target_id=table.target.map(target_symbols))
    edges = edges.dropna(subset=["tf_id", "target_id"])
    return (
        edges[["tf_id", "target_id", "mode"]]
        .rename(columns={"tf_id": "tf", "target_id": "target"})
        .drop_duplicates()
    )


DEFAULT_BLOCK_SIZE = 1024
"""Targets per block: a (TFs, block) copy of a score matrix is in memory at a time."""


def _positions(labels: pd.Index, wanted: pd.Series | pd.Index, what: str) -> np.ndarray:
    """Positions of `wanted` in `labels`; KeyError naming the first missing one."""
    positions = labels.get_indexer(wanted)
    if (positions < 0).any():
        raise KeyError(f"{what} {list(wanted)[int(np.argmax(positions < 0))]!r} not in the scores")
    return positions


def fold_statistics(
    scores: pd.DataFrame, edges: pd.DataFrame, *, block_size: int = DEFAULT_BLOCK_SIZE
) -> pd.DataFrame:
    """Per target: n annotated regulators, fold (median |score| of the annotated regulators
    over the other TFs'), one-sided Mann–Whitney p (annotated > others).

    Parameters
    ----------
    scores
        (TFs, targets) scores (light-up or the |Spearman| control).
    edges
        Columns tf, target: labels of `scores`' index and columns (a regulator that is not a
        TF of `scores` is ignored).
    block_size
        Targets whose (TFs,) |scores| are in memory at a time.

    Returns
    -------
    pd.DataFrame
        One row per target with at least one but not every TF annotated, sorted by target:
        target, n_annotated, fold (the scores' float type), p_value.
    """
    values = scores.to_numpy()
    n_tfs = values.shape[0]
    codes, targets = pd.factorize(edges.target, sort=True)
    regulators = scores.index.get_indexer(edges.tf)
    known = (codes >= 0) & (regulators >= 0)
    pairs = np.unique(codes[known].astype(np.int64) * n_tfs + regulators[known])
    target_of, tf_of = np.divmod(pairs, n_tfs)
    n_annotated = np.bincount(target_of, minlength=len(targets))
    kept = np.flatnonzero((n_annotated > 0) & (n_annotated < n_tfs))
    if not len(kept):
        return pd.DataFrame(columns=["target", "n_annotated", "fold", "p_value"])
    columns = _positions(scores.columns, targets[kept], "target")
    slot = np.full(len(targets), -1)
    slot[kept] = np.arange(len(kept))
    in_kept = slot[target_of] >= 0
    pair_slot, pair_tf = slot[target_of][in_kept], tf_of[in_kept]  # sorted by slot
    exact: dict[tuple[int, int], object] = {}
    done, folds, p_values = [], [], []
    for start in range(0, len(kept), block_size):
        stop = min(start + block_size, len(kept))
        block = np.abs(values[:, columns[start:stop]]).T  # (targets, TFs)
        mask = np.zeros(block.shape, dtype=bool)
        first, last = np.searchsorted(pair_slot, [start, stop])
        mask[pair_slot[first:last] - start, pair_tf[first:last]] = True
        counts = n_annotated[kept[start:stop]]
        for k in np.unique(counts):
            rows = np.flatnonzero(counts == k)
            members, annotated_mask = block[rows], mask[rows]
            annotated = members[annotated_mask].reshape(len(rows), k)
            others = members[~annotated_mask].reshape(len(rows), -1)
            done.append(start + rows)
            folds.append(
                np.median(annotated, axis=1) / np.maximum(np.median(others, axis=1), 1e-12)
            )
            p_values.append(_mann_whitney_greater(annotated, others, exact))
    order = np.argsort(np.concatenate(done))
    return pd.DataFrame(
        {
            "target": np.asarray(targets[kept], dtype=object),
            "n_annotated": n_annotated[kept].astype(np.int64),
            "fold": np.concatenate(folds)[order],
            "p_value": np.concatenate(p_values)[order].astype(np.float64),
        }
    )


def _scipy_exact_distribution(n1: int, n2: int) -> object | None:
    """scipy's null distribution of the Mann–Whitney U of samples of n1 and n2 (the private
    class `scipy.stats.mannwhitneyu` uses for method="exact"), or None where it is gone."""
    try:
        from scipy.stats._mannwhitneyu import _MWU

        distribution = _MWU(n1, n2)
        # every U its survival function reads (up to n1 n2 / 2, by symmetry), built once
        distribution.build_u_freqs_array(n1 * n2 // 2)
    except (ImportError, AttributeError):
        return None
    return distribution


def _mann_whitney_greater(
    annotated: np.ndarray, others: np.ndarray, exact: dict[tuple[int, int], object]
) -> np.ndarray:
    """One-sided Mann–Whitney p of each row pair, as `scipy.stats.mannwhitneyu(...,
    alternative="greater")` gives it with the method its `auto` picks for that row alone
    (exact for a sample of at most 8 without ties, else asymptotic with the tie correction
    and continuity), computed in the inputs' float type like scipy's; NaN for a row with a NaN.

    Parameters
    ----------
    annotated
        (rows, k) values.
    others
        (rows, m) values.
    exact
        Cache of the exact null distributions by (k, m), shared across calls.

    Returns
    -------
    np.ndarray
        (rows,) p-values.
    """
    rows, k = annotated.shape
    m = others.shape[1]
    dtype = np.result_type(annotated.dtype, others.dtype, np.float16)
    pooled = np.sort(np.concatenate([annotated, others], axis=1), axis=1)
    rank_sum = np.empty(rows)  # sum of the annotated values' average ranks among pooled
    for row in range(rows):
        below = np.searchsorted(pooled[row], annotated[row], "left")
        up_to = np.searchsorted(pooled[row], annotated[row], "right")
        rank_sum[row] = (below + up_to + 1).sum() / 2
    u = rank_sum.astype(dtype) - k * (k + 1) / 2
    tied = (np.diff(pooled, axis=1) == 0).any(axis=1)
    use_exact = (min(k, m) <= 8) & ~tied
    p = np.empty(rows, dtype=dtype)
    if use_exact.any():
        if (k, m) not in exact:
            exact[(k, m)] = _scipy_exact_distribution(k, m)
        distribution = exact[(k, m)]
        if distribution is None:
            p[use_exact] = stats.mannwhitneyu(
                annotated[use_exact], others[use_exact], alternative="greater", axis=1,
                method="exact",
            ).pvalue  # fmt: skip
        else:
            p[use_exact] = np.clip(
                np.asarray(distribution.sf(np.asarray(u[use_exact], np.int64)), dtype=dtype), 0, 1
            )
    if (~use_exact).any():
        ordered = pooled[~use_exact]
        new_value = np.ones(ordered.shape, dtype=bool)
        new_value[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        starts = np.flatnonzero(new_value)  # of each group of equal values
        t = np.diff(np.append(starts, new_value.size)).astype(dtype)
        tie_term = np.bincount(starts // (k + m), weights=t**3 - t, minlength=len(ordered))
        tie_term = tie_term.astype(dtype)
        n = k + m
        s = np.sqrt(k * m / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        numerator = u[~use_exact] - k * m / 2
        numerator -= 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            p[~use_exact] = np.clip(special.ndtr(-(numerator / s)), 0, 1)
    p[np.isnan(pooled).any(axis=1)] = np.nan
    return p


def sign_test(scores: pd.DataFrame, edges: pd.DataFrame) -> dict[str, float]:
    """Do Activation edges light up positive and Repression edges negative?

    Parameters
    ----------
    scores
        (TFs, targets) light-up.
    edges
        Columns tf, target (labels of `scores`), mode.

    Returns
    -------
    dict
        n_signed_edges, agreeing, fraction_agreeing, p_value (one-sided binomial),
        odds_ratio of the 2 × 2 table (sign × mode).
    """
    signed = edges[edges["mode"].isin(["Activation", "Repression"])]
    values = scores.to_numpy()[
        _positions(scores.index, signed.tf, "TF"),
        _positions(scores.columns, signed.target, "target"),
    ]
    expected_positive = (signed["mode"] == "Activation").to_numpy()
    agree = int(((values > 0) == expected_positive).sum())
    table = [
        [
            int(((values > 0) & expected_positive).sum()),
            int(((values <= 0) & expected_positive).sum()),
        ],
        [
            int(((values > 0) & ~expected_positive).sum()),
            int(((values <= 0) & ~expected_positive).sum()),
        ],
    ]
    odds_ratio = (
        stats.contingency.odds_ratio(table).statistic
        if min(map(min, table)) >= 0 and len(values)
        else np.nan
    )
    return {
        "n_signed_edges": len(values),
        "agreeing": agree,
        "fraction_agreeing": agree / len(values) if len(values) else np.nan,
        "p_value": stats.binomtest(agree, len(values), 0.5, alternative="greater").pvalue
        if len(values)
        else np.nan,
        "odds_ratio": float(odds_ratio),
    }


def edge_recovery(
    scores: pd.DataFrame, edges: pd.DataFrame, *, block_size: int = DEFAULT_BLOCK_SIZE
) -> dict[str, float]:
    """AUROC and AUPRC of |score| for the annotated pairs among all TF × target pairs, as
    `cistrans.evaluate.auroc`/`auprc` give them on the flattened (row-major) matrix: average
    ranks for ties (NaN AUROC when a score is NaN), ties in the precision broken by position
    (a NaN score counts as the lowest). Each annotated pair's rank comes from counting, block
    of TFs by block, the scores above and equal to its own, so no TF × target array of ranks
    or orders is made.

    Parameters
    ----------
    scores
        (TFs, targets) scores.
    edges
        Columns tf, target: labels of `scores`.
    block_size
        The entries sorted at a time are those of `block_size` targets × all TFs (taken as
        whole TFs).

    Returns
    -------
    dict
        auroc, auprc, n_edges (annotated pairs), base_rate (their share of all pairs).
    """
    values = scores.to_numpy()
    n_tfs, n_targets = values.shape
    total = n_tfs * n_targets
    flat = np.unique(
        _positions(scores.index, edges.tf, "TF").astype(np.int64) * n_targets
        + _positions(scores.columns, edges.target, "target")
    )  # the annotated pairs, row-major positions
    row = flat // max(n_targets, 1)
    mine = np.abs(values[row, flat - row * n_targets])
    mine[np.isnan(mine)] = -np.inf
    by_score = np.lexsort((flat, mine))  # searching sorted scores is much faster
    flat, row, mine = flat[by_score], row[by_score], mine[by_score]
    above = np.zeros(len(flat), dtype=np.int64)  # scores above each annotated pair's
    equal = np.zeros(len(flat), dtype=np.int64)  # scores equal to it (itself included)
    before = np.zeros(len(flat), dtype=np.int64)  # of those, earlier in row-major order
    any_nan = False
    keyed = values.dtype == np.float32  # (score, position) pairs fit in one int64
    mine_keys = _float32_keys(mine) if keyed else None
    tfs_per_block = max(1, block_size * n_tfs // max(n_targets, 1))
    for start in range(0, n_tfs, tfs_per_block):
        stop = min(start + tfs_per_block, n_tfs)
        block = np.abs(values[start:stop], order="C").ravel()  # row-major
        missing = np.isnan(block)
        if missing.any():
            any_nan = True
            block[missing] = -np.inf
        inside = (row >= start) & (row < stop)
        position = flat[inside] - start * n_targets
        if keyed:
            ordered = np.sort(_float32_keys(block) | np.arange(len(block)))
            low = np.searchsorted(ordered, mine_keys, "left")
            high = np.searchsorted(ordered, mine_keys | 0xFFFFFFFF, "right")
            # the equal scores at earlier positions of the block
            before[inside] += np.searchsorted(ordered, mine_keys[inside] | position) - low[inside]
        else:
            ordered = np.sort(block)
            low = np.searchsorted(ordered, mine, "left")
            high = np.searchsorted(ordered, mine, "right")
            shared = high[inside] - low[inside] > 1  # an equal score besides the pair's own
            if shared.any():
                earlier = np.zeros(len(position), dtype=np.int64)
                earlier[shared] = _equal_earlier(block, mine[inside][shared], position[shared])
                before[inside] += earlier
        above += len(block) - high
        equal += high - low
        before[row >= stop] += (high - low)[row >= stop]  # the whole block is earlier
    n_pos = len(flat)
    if n_pos == 0 or n_pos == total or any_nan:
        area = float("nan")
    else:
        below = total - above - equal
        rank_sum = (below + (equal + 1) / 2).sum()
        area = float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * (total - n_pos)))
    if n_pos == 0:
        precision = float("nan")
    else:
        order = np.lexsort((flat, -mine))  # descending score, then position
        place = above[order] + before[order] + 1  # in the order of descending scores
        precision = float((np.arange(1, n_pos + 1) / place).mean())
    return {
        "auroc": area,
        "auprc": precision,
        "n_edges": int(n_pos),
        "base_rate": float(n_pos / total),
    }


def _float32_keys(values: np.ndarray) -> np.ndarray:
    """int64 keys of float32 values (no NaN) that sort like the values, in the upper 32
    bits; the lower 32 are free for a position."""
    bits = values.view(np.int32).astype(np.int64)
    bits ^= (bits >> 31) & 0x7FFFFFFF  # negative floats sort reversed
    return bits << 32


def _equal_earlier(block: np.ndarray, scores: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """For each score at a position of the flat `block`: how many entries hold the same
    score at an earlier position."""
    distinct = pd.Index(np.unique(scores))
    which = distinct.get_indexer(block)  # a hash look-up; -1: none of the scores
    hits = np.flatnonzero(which >= 0)  # ascending
    keys = np.sort(which[hits] * np.int64(len(block)) + hits)
    mine = distinct.get_indexer(scores) * np.int64(len(block))
    return np.searchsorted(keys, mine + positions) - np.searchsorted(keys, mine)


def spearman_matrix(
    inputs: np.ndarray, outputs: np.ndarray, *, block_size: int = 4096
) -> np.ndarray:
    """Spearman correlation of every TF (inputs columns) with every target.

    Parameters
    ----------
    inputs
        (samples, TFs).
    outputs
        (samples, targets).
    block_size
        Targets ranked at a time (a (samples, block) float64 copy).

    Returns
    -------
    np.ndarray
        (TFs, targets) float64.
    """
    ranked_in = stats.rankdata(inputs, axis=0)
    ranked_in = (ranked_in - ranked_in.mean(axis=0)) / ranked_in.std(axis=0).clip(1e-12)
    result = np.empty((inputs.shape[1], outputs.shape[1]))
    for start in range(0, outputs.shape[1], block_size):
        ranked_out = stats.rankdata(outputs[:, start : start + block_size], axis=0)
        ranked_out = (ranked_out - ranked_out.mean(axis=0)) / ranked_out.std(axis=0).clip(1e-12)
        result[:, start : start + block_size] = ranked_in.T @ ranked_out / len(inputs)
    return result


def validate(
    scores: pd.DataFrame,
    control: pd.DataFrame,
    edges: pd.DataFrame,
    name: str,
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> tuple[dict, pd.DataFrame]:
    """All statistics for one knowledge table, light-up beside the |Spearman| control.

    Parameters
    ----------
    scores, control
        (TFs, targets) light-up and |Spearman| control, the same labels.
    edges
        `known_edges` of the table.
    name
        The table's name.
    block_size
        Targets per block (`fold_statistics`, `edge_recovery`).

    Returns
    -------
    summary
        The table's statistics (one row of `validate_tables`' summary).
    per_target
        `fold_statistics` of the light-up with the control's fold and the table's name.
    """
    folds = fold_statistics(scores, edges, block_size=block_size)
    control_folds = fold_statistics(control, edges, block_size=block_size)
    summary = {
        "table": name,
        "n_edges": len(edges),
        "n_targets": len(folds),
        "median_fold": float(folds.fold.median()) if len(folds) else np.nan,
        "targets_p_below_0.05": float((folds.p_value < 0.05).mean()) if len(folds) else np.nan,
        "control_median_fold": float(control_folds.fold.median()) if len(control_folds) else np.nan,
        **{f"sign_{k}": v for k, v in sign_test(scores, edges).items()},
        **edge_recovery(scores, edges, block_size=block_size),
        **{
            f"control_{k}": v
            for k, v in edge_recovery(control, edges, block_size=block_size).items()
            if k in ("auroc", "auprc")
        },
    }
    per_target = folds.merge(
        control_folds[["target", "fold"]].rename(columns={"fold": "control_fold"}),
        on="target",
        how="left",
    )
    return summary, per_target.assign(table=name)


def validate_tables(
    scores: pd.DataFrame,
    data: TransData,
    tables: dict[str, tuple[str, pd.DataFrame]],
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Light-up and the |Spearman| control (training samples) against each knowledge table.

    Parameters
    ----------
    scores
        (TFs, targets) light-up, rows the model's TFs in the order of `data`'s TFs.
    data
        The compendium (its training samples give the control).
    tables
        name → (source path, table with tf, target, mode by symbol).
    block_size
        Targets per block: besides `scores` and the (TFs, targets) float64 control, memory
        holds a few (TFs, block) arrays, whatever the number of tables.

    Returns
    -------
    summary
        One row per table.
    per_target
        The per-target statistics of all tables.

    Raises
    ------
    InputError
        A table that links no TF to a target of the model, naming its file.
    """
    train = data.rows("train")
    control = spearman_matrix(data.inputs[train], data.outputs[train])
    control = pd.DataFrame(
        np.abs(control, out=control), index=data.tf_ids, columns=data.target_ids, copy=False
    )
    if list(scores.columns) != list(data.target_ids):
        scores = scores[data.target_ids]
    tf_ids = dict(zip(data.tf_symbols, data.tf_ids, strict=True))
    target_ids = dict(zip(data.target_symbols, data.target_ids, strict=True))
    rows, details = [], []
    for name, (source, table) in tables.items():
        edges = known_edges(table, tf_ids, target_ids)
        if edges.empty:
            raise InputError(
                source,
                "no edge links the model's TFs to its targets",
                "check the table's gene symbols",
            )
        summary, per_target = validate(scores, control, edges, name, block_size=block_size)
        rows.append(summary)
        details.append(per_target)
    return pd.DataFrame(rows), pd.concat(details, ignore_index=True)
