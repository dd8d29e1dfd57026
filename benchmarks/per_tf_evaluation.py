"""The per-TF trans evaluation that the batched code replaced (commit 9a6232d: one scipy
`spearmanr` per left-out TF after one forward pass of all of them; per-target Mann–Whitney
on full copies; AUROC/AUPRC by ranking every TF × target pair), kept as it was: the
baseline `trans_evaluation.py` times and the reference tests/trans/test_batched_evaluation.py
checks the batched outputs against."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cistrans.evaluate import auprc, auroc
from cistrans.trans.validation import known_edges


def old_evaluate_disease(model, changes, baseline, log_base):
    tf_observed, target_observed = changes
    to_input = np.log(2.0) / np.log(log_base)
    tf_change = tf_observed.fillna(0.0).to_numpy(dtype=np.float32) * to_input
    scored = np.flatnonzero(target_observed.notna().to_numpy())
    changed = np.flatnonzero(tf_change != 0)
    inputs = np.vstack(
        [
            baseline,
            baseline + tf_change,
            baseline + tf_change - np.eye(len(tf_change))[changed] * tf_change,
        ]
    )
    predicted = model.predict(inputs.astype(np.float32))
    effect = (predicted[1:] - predicted[0])[:, scored] / to_input
    truth = target_observed.to_numpy()[scored]
    rho, p = stats.spearmanr(effect[0], truth)
    without = np.array([stats.spearmanr(row, truth)[0] for row in effect[1:]])
    drop = pd.Series(0.0, index=model.tf_ids)
    drop.iloc[changed] = rho - without
    rankings = pd.DataFrame(
        {
            "tf": model.tf_ids,
            "symbol": model.tf_symbols,
            "log2fc": tf_change / to_input,
            "drop": drop.to_numpy(),
        }
    )
    rankings = rankings.sort_values("drop", ascending=False, kind="stable").assign(
        rank=lambda t: np.arange(1, len(t) + 1)
    )
    predictions = pd.DataFrame(
        {"gene_id": np.asarray(model.target_ids)[scored], "observed": truth, "predicted": effect[0]}
    )
    return float(rho), float(p), predictions, rankings


def old_fold_statistics(scores, edges):
    magnitude = scores.abs()
    values = magnitude.to_numpy()
    columns = {target: j for j, target in enumerate(magnitude.columns)}
    groups = {}
    for order, (target, regulators) in enumerate(edges.groupby("target").tf):
        annotated = magnitude.index.isin(regulators)
        n_annotated = int(annotated.sum())
        if 0 < n_annotated < len(annotated):
            groups.setdefault(n_annotated, []).append((order, target, annotated))
    rows = []
    for n_annotated, members in groups.items():
        block = values[:, [columns[target] for _, target, _ in members]].T
        masks = np.array([annotated for _, _, annotated in members])
        annotated = block[masks].reshape(len(members), n_annotated)
        others = block[~masks].reshape(len(members), -1)
        fold = np.median(annotated, axis=1) / np.maximum(np.median(others, axis=1), 1e-12)
        p = old_mann_whitney_greater(annotated, others)
        rows += [
            {"order": order, "target": target, "n_annotated": n_annotated, "fold": f,
             "p_value": pv}
            for (order, target, _), f, pv in zip(members, fold, np.atleast_1d(p), strict=True)
        ]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=["target", "n_annotated", "fold", "p_value"])
    return pd.DataFrame(rows).sort_values("order").drop(columns="order").reset_index(drop=True)


def old_mann_whitney_greater(annotated, others):
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


def old_sign_test(scores, edges):
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


def old_edge_recovery(scores, edges):
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


def old_spearman_matrix(inputs, outputs):
    ranked_in = stats.rankdata(inputs, axis=0)
    ranked_out = stats.rankdata(outputs, axis=0)
    ranked_in = (ranked_in - ranked_in.mean(axis=0)) / ranked_in.std(axis=0).clip(1e-12)
    ranked_out = (ranked_out - ranked_out.mean(axis=0)) / ranked_out.std(axis=0).clip(1e-12)
    return ranked_in.T @ ranked_out / len(inputs)


def old_validate(scores, control, edges, name):
    folds = old_fold_statistics(scores, edges)
    control_folds = old_fold_statistics(control, edges)
    summary = {
        "table": name,
        "n_edges": len(edges),
        "n_targets": len(folds),
        "median_fold": float(folds.fold.median()) if len(folds) else np.nan,
        "targets_p_below_0.05": float((folds.p_value < 0.05).mean()) if len(folds) else np.nan,
        "control_median_fold": float(control_folds.fold.median()) if len(control_folds) else np.nan,
        **{f"sign_{k}": v for k, v in old_sign_test(scores, edges).items()},
        **old_edge_recovery(scores, edges),
        **{
            f"control_{k}": v
            for k, v in old_edge_recovery(control, edges).items()
            if k in ("auroc", "auprc")
        },
    }
    per_target = folds.merge(
        control_folds[["target", "fold"]].rename(columns={"fold": "control_fold"}),
        on="target",
        how="left",
    )
    return summary, per_target.assign(table=name)


def old_validate_tables(scores, data, tables):
    train = data.rows("train")
    control = pd.DataFrame(
        np.abs(old_spearman_matrix(data.inputs[train], data.outputs[train])),
        index=data.tf_ids,
        columns=data.target_ids,
    )
    tf_ids = dict(zip(data.tf_symbols, data.tf_ids, strict=True))
    target_ids = dict(zip(data.target_symbols, data.target_ids, strict=True))
    rows, details = [], []
    for name, (_, table) in tables.items():
        edges = known_edges(table, tf_ids, target_ids)
        summary, per_target = old_validate(scores[data.target_ids], control, edges, name)
        rows.append(summary)
        details.append(per_target)
    return pd.DataFrame(rows), pd.concat(details, ignore_index=True)
