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
from scipy import stats

from cistrans.errors import InputError
from cistrans.evaluate import auprc, auroc
from cistrans.trans.data import TransData


def known_edges(
    table: pd.DataFrame, tf_symbols: dict[str, str], target_symbols: dict[str, str]
) -> pd.DataFrame:
    """Annotated edges between the model's TFs and targets, by symbol; columns tf, target
    (model IDs) and mode. `tf_symbols`/`target_symbols`: symbol → model ID."""
    edges = table.assign(tf_id=table.tf.map(tf_symbols), target_id=table.target.map(target_symbols))
    edges = edges.dropna(subset=["tf_id", "target_id"])
    return (
        edges[["tf_id", "target_id", "mode"]]
        .rename(columns={"tf_id": "tf", "target_id": "target"})
        .drop_duplicates()
    )


def fold_statistics(scores: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Per target: n annotated regulators, fold (median |score| of the annotated regulators
    over the other TFs'), one-sided Mann–Whitney p (annotated > others). Targets with the
    same number of annotated regulators are tested in one vectorised call."""
    magnitude = scores.abs()
    values = magnitude.to_numpy()  # (TFs, targets)
    columns = {target: j for j, target in enumerate(magnitude.columns)}
    groups: dict[int, list[tuple[int, str, np.ndarray]]] = {}
    for order, (target, regulators) in enumerate(edges.groupby("target").tf):
        annotated = magnitude.index.isin(regulators)
        n_annotated = int(annotated.sum())
        if 0 < n_annotated < len(annotated):
            groups.setdefault(n_annotated, []).append((order, target, annotated))
    rows = []
    for n_annotated, members in groups.items():
        block = values[:, [columns[target] for _, target, _ in members]].T  # (targets, TFs)
        masks = np.array([annotated for _, _, annotated in members])
        annotated = block[masks].reshape(len(members), n_annotated)
        others = block[~masks].reshape(len(members), -1)
        fold = np.median(annotated, axis=1) / np.maximum(np.median(others, axis=1), 1e-12)
        p = _mann_whitney_greater(annotated, others)
        rows += [
            {"order": order, "target": target, "n_annotated": n_annotated, "fold": f,
             "p_value": pv}
            for (order, target, _), f, pv in zip(members, fold, np.atleast_1d(p), strict=True)
        ]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=["target", "n_annotated", "fold", "p_value"])
    return pd.DataFrame(rows).sort_values("order").drop(columns="order").reset_index(drop=True)


def _mann_whitney_greater(annotated: np.ndarray, others: np.ndarray) -> np.ndarray:
    """One-sided Mann–Whitney p of each row pair, with the method scipy's `auto` picks for
    that row alone (exact for a sample of at most 8 without ties, else asymptotic).

    annotated: (rows, k); others: (rows, m).
    """
    small = min(annotated.shape[1], others.shape[1]) <= 8
    pooled = np.sort(np.concatenate([annotated, others], axis=1), axis=1)
    tied = (np.diff(pooled, axis=1) == 0).any(axis=1)
    p = np.empty(len(annotated))
    for method, rows in (("exact", small & ~tied), ("asymptotic", ~(small & ~tied))):
        if rows.any():
            p[rows] = stats.mannwhitneyu(
                annotated[rows], others[rows], alternative="greater", axis=1, method=method
            ).pvalue
    return p


def sign_test(scores: pd.DataFrame, edges: pd.DataFrame) -> dict[str, float]:
    """Do Activation edges light up positive and Repression edges negative?"""
    signed = edges[edges["mode"].isin(["Activation", "Repression"])]
    values = np.array(
        [scores.at[tf, target] for tf, target in zip(signed.tf, signed.target, strict=True)]
    )
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


def edge_recovery(scores: pd.DataFrame, edges: pd.DataFrame) -> dict[str, float]:
    """AUROC and AUPRC of |score| for the annotated pairs among all TF × target pairs."""
    truth = pd.DataFrame(False, index=scores.index, columns=scores.columns)
    for tf, target in zip(edges.tf, edges.target, strict=True):
        truth.at[tf, target] = True
    labels, values = truth.to_numpy().ravel(), scores.abs().to_numpy().ravel()
    return {
        "auroc": auroc(labels, values),
        "auprc": auprc(labels, values),
        "n_edges": int(labels.sum()),
        "base_rate": float(labels.mean()),
    }


def spearman_matrix(inputs: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """Spearman correlation of every TF (inputs columns) with every target; (TFs, targets)."""
    ranked_in = stats.rankdata(inputs, axis=0)
    ranked_out = stats.rankdata(outputs, axis=0)
    ranked_in = (ranked_in - ranked_in.mean(axis=0)) / ranked_in.std(axis=0).clip(1e-12)
    ranked_out = (ranked_out - ranked_out.mean(axis=0)) / ranked_out.std(axis=0).clip(1e-12)
    return ranked_in.T @ ranked_out / len(inputs)


def validate(
    scores: pd.DataFrame, control: pd.DataFrame, edges: pd.DataFrame, name: str
) -> tuple[dict, pd.DataFrame]:
    """All statistics for one knowledge table, light-up beside the |Spearman| control."""
    folds = fold_statistics(scores, edges)
    control_folds = fold_statistics(control, edges)
    summary = {
        "table": name,
        "n_edges": len(edges),
        "n_targets": len(folds),
        "median_fold": float(folds.fold.median()) if len(folds) else np.nan,
        "targets_p_below_0.05": float((folds.p_value < 0.05).mean()) if len(folds) else np.nan,
        "control_median_fold": float(control_folds.fold.median()) if len(control_folds) else np.nan,
        **{f"sign_{k}": v for k, v in sign_test(scores, edges).items()},
        **edge_recovery(scores, edges),
        **{
            f"control_{k}": v
            for k, v in edge_recovery(control, edges).items()
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
    scores: pd.DataFrame, data: TransData, tables: dict[str, tuple[str, pd.DataFrame]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Light-up and the |Spearman| control (training samples) against each knowledge table.

    scores: TF × target light-up (rows the model's TFs, the order of `data`'s TFs).
    tables: name → (source path, table with tf, target, mode by symbol). Returns the summary
    (one row per table) and the per-target statistics of all tables. A table that links no
    TF to a target of the model raises `InputError` naming its file.
    """
    train = data.rows("train")
    control = pd.DataFrame(
        np.abs(spearman_matrix(data.inputs[train], data.outputs[train])),
        index=data.tf_ids,
        columns=data.target_ids,
    )
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
        summary, per_target = validate(scores[data.target_ids], control, edges, name)
        rows.append(summary)
        details.append(per_target)
    return pd.DataFrame(rows), pd.concat(details, ignore_index=True)
