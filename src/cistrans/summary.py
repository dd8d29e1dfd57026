"""The headline figure of each approach beside the published value, and on the demo world the
scores against its planted truth: one table (`SUMMARY_COLUMNS`, one row per figure) and its
Markdown.

Each part (`trans_summary`, `cis_summary`, `ctxreg_summary`, `trans_truth`, `ctxreg_truth`)
takes the tables its approach's rules wrote and returns rows; `summary_table` stacks the parts
a run has (an approach that is not configured, or the truth of a run not on the demo world, is
simply not passed), so the cis–trans synthesis adds its rows as one more part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cistrans.cismodels.comparison import (
    BASELINE_BETTER,
    LEARNED_BETTER,
    MIXED,
    run_statuses,
)
from cistrans.cismodels.metrics import COLLAPSED, NOT_CONVERGED, POOLED_STATUSES
from cistrans.ctxreg.motifs import match_motifs
from cistrans.errors import few
from cistrans.evaluate import auroc
from cistrans.io.motifs import Motif
from cistrans.published import (
    CIS_PUBLISHED,
    TRANS_DISEASE_RHO_POOLED,
    TRANS_GLOBAL_MEAN_R2,
    TRANS_GWAS_DISEASES,
    TRANS_TFS_FOR_80_PERCENT,
    Published,
)
from cistrans.trans.comparison import BETTER_COLUMNS, MODEL_NAMES, TIE
from cistrans.trans.pruning import share_key

SUMMARY_COLUMNS = (
    "approach", "figure", "value", "out_of", "published", "published_out_of", "reference",
    "note",
)  # fmt: skip
"""Columns of the summary: which approach, what the figure is, ours (`value`, of `out_of`
where it is a count), the published figure (of `published_out_of`) and its paper, a note."""


def _row(
    approach: str,
    figure: str,
    value: float,
    out_of: float = np.nan,
    published: Published | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "approach": approach,
        "figure": figure,
        "value": float(value),
        "out_of": float(out_of),
        "published": published.value if published else np.nan,
        "published_out_of": published.out_of if published else np.nan,
        "reference": published.reference if published else "",
        "note": note,
    }


def _table(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(SUMMARY_COLUMNS))


def trans_summary(
    metrics: Mapping[str, float],
    hierarchy: Mapping[str, Any],
    diseases: pd.DataFrame,
    shares: Sequence[float],
    fdr: float,
    better: pd.DataFrame | None = None,
    selection: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The trans network's headline figures, first (given `better`) which trans model is
    better (`better_models_row`), then (given `selection`, trans_select's record) the
    regularisation chosen on validation.

    metrics: the network's test metrics (`explained_variance`, `per_gene_r2_median`,
    `global_mean_r2_paper_style`, `n_targets`); hierarchy: the pruning's hierarchy test
    (the TF count of each of `shares` of the full explained variance, `n_retained`,
    `n_removed`); diseases: the
    network's disease summary (one row per disease, the last `pooled`; columns disease, rho,
    fisher_fdr). GWAS hits are diseases whose top TFs overlap the trait's genes at Fisher
    FDR < `fdr`, of the diseases tested (with a trait TF).
    """
    n_tfs = int(hierarchy["n_retained"]) + int(hierarchy["n_removed"])
    rows = [] if better is None else [better_models_row(better)]
    if selection is not None:
        rows.append(selection_row(selection))
    rows += [
        _row("trans", "test explained variance, variance-weighted", metrics["explained_variance"],
             note=f"{int(metrics['n_targets'])} targets; each gene against its own mean"),
        _row("trans", "test R², median over genes", metrics["per_gene_r2_median"]),
        _row("trans", "test R² with one global mean (paper-style, inflated)",
             metrics["global_mean_r2_paper_style"], published=TRANS_GLOBAL_MEAN_R2),
    ]  # fmt: skip
    for share in shares:
        rows.append(
            _row("trans", f"TFs that keep {100 * share:g} % of the explained variance",
                 hierarchy[share_key(share)], out_of=n_tfs,
                 published=TRANS_TFS_FOR_80_PERCENT if share == 0.8 else None)
        )  # fmt: skip
    per_disease = diseases[diseases.disease != "pooled"]
    pooled = diseases.loc[diseases.disease == "pooled", "rho"]
    fisher = pd.to_numeric(per_disease.fisher_fdr, errors="coerce")
    rows += [
        _row("trans", "disease Spearman ρ, pooled",
             float(pooled.iloc[0]) if len(pooled) else np.nan,
             published=TRANS_DISEASE_RHO_POOLED,
             note=f"{len(per_disease)} diseases; per disease "
                  f"{_range(pd.to_numeric(per_disease.rho, errors='coerce'))}"),
        _row("trans", f"diseases whose top TFs hold GWAS genes (Fisher FDR < {fdr:g})",
             int((fisher < fdr).sum()), out_of=int(fisher.notna().sum()),
             published=TRANS_GWAS_DISEASES, note="of the diseases with a trait TF"),
    ]  # fmt: skip
    return _table(rows)


def selection_row(selection: Mapping[str, Any]) -> dict[str, Any]:
    """The network's regularisation chosen on validation: its validation explained
    variance, the chosen values, the grid's size and a choice at the grid's edge."""
    chosen = selection["chosen"]
    edge = selection["at_edge"]
    return _row(
        "trans",
        "network regularisation chosen on validation (validation explained variance)",
        selection["validation_explained_variance"],
        note=f"weight decay {chosen['weight_decay']:g}, dropout {chosen['dropout']:g}, of "
        f"{len(selection['grid'])} setting(s) of trans.selection"
        + (f"; at the grid's edge for {', '.join(edge)}: widen it there" if edge else ""),
    )


def better_models_row(better: pd.DataFrame) -> dict[str, Any]:
    """Which trans model is better overall, in plain words: the model better on the most
    figures of `better` (`cistrans.trans.comparison.better_models`' table) named first, the
    figures it is better on as the value (out of the figures compared, ties included), and
    each figure's better model and margin in the note. Names no model when two share the
    most figures."""
    compared = better.loc[better.better.fillna("") != "", list(BETTER_COLUMNS)]
    wins = compared.better[compared.better != TIE].value_counts()
    most = int(wins.max()) if len(wins) else 0
    leaders = [_model_name(model) for model in wins.index[wins == most]]
    if len(leaders) == 1:
        figure = f"better trans model, on the most figures: {leaders[0]}"
    elif leaders:
        figure = f"better trans model: none ({' and '.join(leaders)} each better on {most})"
    else:
        figure = "better trans model: none (tied on every figure)"
    note = "; ".join(
        f"{row.label}: tie"
        if row.better == TIE
        else f"{row.label}: {_model_name(row.better).removeprefix('the ')} "
        f"{'−' if row.lower_is_better else '+'}{row.margin:.3g}"
        for row in compared.itertuples(index=False)
    )
    return _row("trans", figure, most, out_of=len(compared), note=note)


def _model_name(model: str) -> str:
    return MODEL_NAMES.get(model, model)


def _range(values: pd.Series) -> str:
    return f"{values.min():.3g}–{values.max():.3g}"


def _runs_note(pooled: int, runs: int, collapsed: int, not_converged: int) -> str:
    """How many runs a figure pools, of how many, and why the others are left out."""
    note = f"over {pooled} of {runs} run(s)" if pooled < runs else f"over {runs} run(s)"
    if collapsed:
        note += f", {collapsed} collapsed (left out)"
    if not_converged:
        note += f", {not_converged} not converged"
    return note


LEARNING_ADDS_VERDICTS = {
    LEARNED_BETTER: "the learned model wins in every seed",
    BASELINE_BETTER: "the baseline wins: at or above the learned model in every seed",
    MIXED: "mixed over seeds",
}
"""Each verdict of `cistrans.cismodels.comparison.learning_adds` as the summary says it."""


def learning_adds_summary(learning_adds: pd.DataFrame) -> pd.DataFrame:
    """What learning adds, one row per feature set of `learning_adds`
    (`cistrans.cismodels.comparison.learning_adds`' table, the sequence alone first): the
    best learned model's mean test pearson_r2 against the strongest simple baseline's, the
    margin as the value and the verdict in the figure's name; Spearman ρ's margin, the seeds
    above the baseline, how many learned models are above it (the best is picked on the
    figure it is judged by), the other baseline and the windows in the note."""
    rows = []
    for row in learning_adds.itertuples(index=False):
        verdict = LEARNING_ADDS_VERDICTS.get(row.verdict, row.verdict)
        if row.verdict == MIXED:
            verdict += f", the learned model above it in {row.seeds_above} of {row.n_seeds}"
        figure = (f"learning adds ({row.features}): {row.learned_model} test pearson_r2 "
                  f"{row.learned_pearson_r2_mean:.3f} vs {row.baseline_model} "
                  f"{row.baseline_pearson_r2_mean:.3f} ({row.pearson_r2_margin:+.3f}); "
                  f"{verdict}")  # fmt: skip
        note = (f"learned above the baseline in {row.seeds_above} of {row.n_seeds} seed(s) "
                f"({row.learned_pearson_r2_min:.3f}–{row.learned_pearson_r2_max:.3f}"
                + (f", {row.n_collapsed} collapsed left out" if row.n_collapsed else "")
                + f"); Spearman ρ {row.learned_spearman_rho_mean:.3f} vs "
                f"{row.baseline_spearman_rho_mean:.3f} ({row.spearman_rho_margin:+.3f}, above "
                f"in {row.seeds_above_spearman} of {row.n_seeds}); best learned and strongest "
                "simple baseline (5-mer or JASPAR-count ridge) by mean test pearson_r2; "
                f"learned models above the baseline: {row.learned_models_above}"
                + (f"; other baseline {row.other_baselines}" if row.other_baselines else "")
                + f"; windows {row.learned_window} / {row.baseline_window}")  # fmt: skip
        rows.append(_row("cis", figure, row.pearson_r2_margin, note=note))
    return _table(rows)


def cis_summary(
    comparison: pd.DataFrame, learning_adds: pd.DataFrame | None = None
) -> pd.DataFrame:
    """What learning adds first (`learning_adds_summary` of `learning_adds`, where given),
    then each cis model × feature set on observed labels, ranked by mean test Spearman ρ (a
    rank figure, which a few outlying labels cannot carry as they can pearson_r2): test
    pearson_r2 (the figure Xpresso and TExCNN publish as R²) beside the published one, and
    r2 (the coefficient of determination), the mean over the runs pooled (those that did
    not collapse) with min–max, the runs collapsed or not converged, Spearman ρ with the
    rank, and the permuted-label control's in the note.

    comparison: the cis comparison (one row per model × features × labels; columns window,
    n_runs, n_pooled, n_collapsed, n_not_converged, `<metric>_min/_mean/_max` of
    pearson_r2, r2 and spearman_rho, NaN where no run was pooled). The learned contextual
    regression's rows are left to `ctxreg_summary`; its JASPAR mode and the ridge on the
    same site counts stay here, beside the other cis models.
    """
    control = comparison[comparison["labels"] == "permuted"].set_index(["model", "features"])
    observed = comparison[(comparison["labels"] == "observed") & (comparison.model != "ctxreg")]
    observed = observed.sort_values("spearman_rho_mean", ascending=False, kind="stable")
    rows = []
    for rank, run in enumerate(observed.itertuples(index=False), start=1):
        kind = "texcnn" if run.model.startswith("texcnn_") else run.model
        published = CIS_PUBLISHED.get((kind, run.features))
        runs = _runs_note(run.n_pooled, run.n_runs, run.n_collapsed, run.n_not_converged)
        for metric in ("pearson_r2", "r2"):
            if run.n_pooled:
                note = (f"{getattr(run, f'{metric}_min'):.3f}–{getattr(run, f'{metric}_max'):.3f} "
                        f"{runs}")  # fmt: skip
            else:
                note = f"no figure: all {run.n_runs} run(s) collapsed"
            if metric == "pearson_r2" and run.n_pooled:
                note += (f"; Spearman ρ {run.spearman_rho_mean:.3f} ({run.spearman_rho_min:.3f}–"
                         f"{run.spearman_rho_max:.3f}); rank {rank} of {len(observed)} by mean "
                         "test Spearman ρ")  # fmt: skip
            note += f"; window {run.window}"
            if (run.model, run.features) in control.index:
                note += f"; control {control.at[(run.model, run.features), f'{metric}_mean']:.3f}"
            rows.append(
                _row("cis", f"{run.model} ({run.features}): test {metric}",
                     getattr(run, f"{metric}_mean"),
                     published=published if metric == "pearson_r2" else None, note=note)
            )  # fmt: skip
    first = _table([]) if learning_adds is None else learning_adds_summary(learning_adds)
    return _table(rows) if first.empty else pd.concat([first, _table(rows)], ignore_index=True)


def ctxreg_summary(
    runs: pd.DataFrame,
    matches: pd.DataFrame,
    cooccurrence: pd.DataFrame,
    spacing: pd.DataFrame,
    insilico: pd.DataFrame,
    fdr: float,
    match_q_value: float,
) -> pd.DataFrame:
    """Contextual regression's test figures, its learned motifs, its grammar and whether the
    trained models carry the best spacing pair's spacing.

    runs: the ctxreg_train metrics (one row per run: labels observed/permuted, pearson_r2,
    r2, spearman_rho, context_share, status); the figures pool the runs that did not
    collapse (`cistrans.cismodels.comparison.run_statuses`), the note counts those that
    did; matches: TOMTOM of each learned filter against JASPAR (motif,
    match_id, match_name, q_value); cooccurrence: the co-occurring JASPAR motif pairs
    (q_value); spacing: the pairs tested for a preferred spacing (name_a, name_b,
    range_start, range_end, q_value), most significant first; insilico: the in-silico scan
    (motif_a, motif_b, spacing, interaction; empty when no pair was scanned). Filters match
    at q < `match_q_value`; pairs count at q < `fdr`.
    """
    status = run_statuses(runs)
    pooled = runs[status.isin(POOLED_STATUSES)]
    observed = pooled[pooled["labels"] == "observed"]
    control = pooled[pooled["labels"] == "permuted"]
    mine = runs["labels"] == "observed"
    counts = _runs_note(len(observed), int(mine.sum()), int((status[mine] == COLLAPSED).sum()),
                        int((status[mine] == NOT_CONVERGED).sum()))  # fmt: skip
    rho = observed.spearman_rho
    spearman = (f"; Spearman ρ {rho.mean():.3f} ({_range(rho)}, control "
                f"{control.spearman_rho.mean():.3f})")  # fmt: skip
    rows = [
        _row("ctxreg", f"contextual regression: test {metric}", observed[metric].mean(),
             note=f"{_range(observed[metric])} {counts}; control {control[metric].mean():.3f}"
                  + (spearman if metric == "pearson_r2" else ""))
        for metric in ("pearson_r2", "r2")
    ]  # fmt: skip
    rows.append(
        _row("ctxreg", "contextual regression: share of its test predictions' variance from "
             "weights that vary with the context", observed.context_share.mean(),
             note=f"{_range(observed.context_share)}; 0: the same weights for every gene, "
                  "the fit linear in the motif counts")
    )  # fmt: skip
    matched = matches[matches.q_value < match_q_value]
    rows.append(
        _row("ctxreg", f"learned filters matching a JASPAR motif (TOMTOM q < {match_q_value:g})",
             len(matched), out_of=len(matches),
             note=f"{matched.match_id.nunique()} distinct motifs: "
                  + few(sorted(set(matched.match_name)), 10))
    )  # fmt: skip
    rows.append(
        _row("ctxreg", f"co-occurring JASPAR motif pairs (q < {fdr:g})",
             int((cooccurrence.q_value < fdr).sum()))
    )  # fmt: skip
    spaced = spacing[spacing.q_value < fdr]
    note = ""
    if len(spaced):
        best = spaced.iloc[0]
        note = (f"best: {best.name_a} → {best.name_b} at {best.range_start}–{best.range_end} "
                f"bases (q {best.q_value:.2g})")  # fmt: skip
    rows.append(
        _row("ctxreg", f"pairs with a preferred spacing (q < {fdr:g})", len(spaced),
             out_of=len(spacing), note=note)
    )  # fmt: skip
    if len(insilico):
        rows.append(_insilico_row(insilico, spacing))
    return _table(rows)


def _insilico_row(insilico: pd.DataFrame, spacing: pd.DataFrame) -> dict[str, Any]:
    """The first scanned pair's mean interaction (the change of both sites less each alone)
    inside the spacing range the statistics prefer, beside the mean outside it."""
    first, second = insilico.motif_a.iloc[0], insilico.motif_b.iloc[0]
    scan = insilico[(insilico.motif_a == first) & (insilico.motif_b == second)]
    tested = spacing[(spacing.motif_a == first) & (spacing.motif_b == second)].iloc[0]
    start, end = int(tested.range_start), int(tested.range_end)
    inside = scan.spacing.between(start, end)
    return _row(
        "ctxreg",
        f"in-silico scan, {tested.name_a} → {tested.name_b}: mean interaction at "
        f"{start}–{end} bases (its preferred spacing)",
        scan.interaction[inside].mean(),
        note=f"elsewhere {scan.interaction[~inside].mean():.3g}, largest |interaction| "
        f"{scan.interaction.abs().max():.3g} (standardised label units); 0: the models add "
        "the two sites' effects whatever their spacing",
    )


def trans_truth(
    lightup: pd.DataFrame,
    genes: pd.DataFrame,
    edges: pd.DataFrame,
    rankings: pd.DataFrame,
    causal: pd.DataFrame,
) -> pd.DataFrame:
    """The trans network against the demo world's truth.

    lightup: the network's light-up (TF IDs × target IDs); genes: the truth's genes
    (gene_id, symbol); edges: the planted TF → target edges (tf, target symbols); rankings:
    each disease's TFs ranked by the drop in ρ (disease, symbol, rank); causal: each
    disease's causal TFs (disease, tf). Rows: the AUROC of |light-up| for the planted edges
    among all TF × target pairs, and the causal TFs' ranks (median, share in the top 10).
    """
    ids = genes.set_index("symbol").gene_id
    tf_ids, target_ids = edges.tf.map(ids), edges.target.map(ids)
    scored = tf_ids.isin(lightup.index) & target_ids.isin(lightup.columns)
    planted = pd.DataFrame(False, index=lightup.index, columns=lightup.columns)
    for tf, target in zip(tf_ids[scored], target_ids[scored], strict=True):
        planted.at[tf, target] = True
    ranks = causal.merge(rankings, left_on=["disease", "tf"], right_on=["disease", "symbol"])
    n_tfs = rankings.groupby("disease").size().max()
    rows = [
        _row("demo truth", "light-up AUROC for the planted TF → target edges",
             auroc(planted.to_numpy().ravel(), lightup.abs().to_numpy().ravel()),
             note=f"{int(scored.sum())} planted edges among "
                  f"{lightup.shape[0]} × {lightup.shape[1]} pairs"),
        _row("demo truth", "causal TFs of the diseases: median rank", ranks["rank"].median(),
             out_of=n_tfs, note=f"{len(ranks)} of {len(causal)} causal TFs ranked"),
        _row("demo truth", "causal TFs ranked in the top 10", int((ranks["rank"] <= 10).sum()),
             out_of=len(causal)),
    ]  # fmt: skip
    return _table(rows)


def ctxreg_truth(
    filters: Sequence[Motif],
    motifs: Sequence[Motif],
    genes: pd.DataFrame,
    cooccurrence: pd.DataFrame,
    spacing: pd.DataFrame,
    pair: Mapping[str, Any],
    motif_p_value: float,
    fdr: float,
) -> pd.DataFrame:
    """Contextual regression against the demo world's planted cis grammar.

    filters: the learned filters as motifs; motifs: the world's motifs; genes: the truth's
    genes (motif_id, cis_role), whose activating and repressive TFs' motifs are the planted
    ones. A planted motif is recovered when some filter's TOMTOM best match among them is it
    at p < `motif_p_value`. cooccurrence / spacing: as in `ctxreg_summary`, with
    motif_a, motif_b; pair: the planted cooperative pair (motif_a, tf_a, motif_b, tf_b,
    min_spacing, max_spacing). The pair is recovered when it co-occurs at q < `fdr` and A → B
    keeps a spacing range overlapping the planted one at q < `fdr`.
    """
    planted_ids = set(genes.motif_id[genes.cis_role.isin(["activating", "repressive"])])
    planted = [motif for motif in motifs if motif.motif_id in planted_ids]
    nearest = match_motifs(filters, planted)
    found = sorted(set(nearest.match_id[nearest.p_value < motif_p_value]))
    names = {motif.motif_id: motif.name for motif in planted}
    together = cooccurrence[
        ((cooccurrence.motif_a == pair["motif_a"]) & (cooccurrence.motif_b == pair["motif_b"]))
        | ((cooccurrence.motif_a == pair["motif_b"]) & (cooccurrence.motif_b == pair["motif_a"]))
    ]
    forward = spacing[(spacing.motif_a == pair["motif_a"]) & (spacing.motif_b == pair["motif_b"])]
    co_occurs = bool(len(together)) and together.q_value.min() < fdr
    spaced = (
        bool(len(forward))
        and forward.q_value.iloc[0] < fdr
        and forward.range_start.iloc[0] <= pair["max_spacing"]
        and forward.range_end.iloc[0] >= pair["min_spacing"]
    )
    found_range = (
        f"{forward.range_start.iloc[0]}–{forward.range_end.iloc[0]} (q "
        f"{forward.q_value.iloc[0]:.2g})"
        if len(forward)
        else "not tested"
    )
    co_q = f"{together.q_value.min():.2g}" if len(together) else "not among the pairs"
    rows = [
        _row("demo truth", f"planted motifs with a learned filter (TOMTOM p < {motif_p_value:g})",
             len(found), out_of=len(planted),
             note=", ".join(names[m] for m in found)),
        _row("demo truth",
             f"cooperative pair {pair['tf_a']}–{pair['tf_b']} recovered (co-occurs, keeps its "
             "spacing)",
             int(co_occurs and spaced), out_of=1,
             note=f"co-occurrence q {co_q}; planted spacing {pair['min_spacing']}–"
                  f"{pair['max_spacing']}, found {found_range}"),
    ]  # fmt: skip
    return _table(rows)


def jaspar_mode_truth(pooled: pd.DataFrame, genes: pd.DataFrame) -> pd.DataFrame:
    """The JASPAR mode against the planted cis motifs: of the planted motifs (genes:
    motif_id, cis_role activating / repressive), those whose own feature's mean
    contribution, pooled over the seeds (`pooled_importance`: motif_id, mean_contribution,
    rank), carries the planted sign, and those ranked within the number of planted
    motifs."""
    roles = genes[genes.cis_role.isin(["activating", "repressive"])].set_index("motif_id")
    motifs = pooled.set_index("motif_id").reindex(roles.index)
    sign = np.where(roles.cis_role == "activating", 1.0, -1.0)
    agree = int((np.sign(motifs.mean_contribution.to_numpy()) == sign).sum())
    top = int((motifs["rank"] <= len(roles)).sum())
    return _table(
        [_row("demo truth", "planted motifs whose JASPAR-mode feature has the planted sign",
              agree, out_of=len(roles)),
         _row("demo truth", f"planted motifs among the JASPAR mode's top {len(roles)}", top,
              out_of=len(roles), note=f"of {len(pooled)} JASPAR motifs; worst planted rank "
                                      f"{int(motifs['rank'].max())}")]
    )  # fmt: skip


def synthesis_summary(
    targets: pd.DataFrame, importance_summary: pd.DataFrame, fdr: float
) -> pd.DataFrame:
    """The cis–trans synthesis: the share of TF–motif pairs whose light-up targets carry the
    motif at q < `fdr` (Mann–Whitney over all targets, Fisher over the top targets), with
    the |Spearman| baseline and the shuffled-targets null in the note, from
    `motif_target_links`' table (`<score>_mw_q`, `<score>_fisher_q` per score, tf); and per
    importance source the Spearman ρ of motif importance against the pruning rank
    (importance, tfs, spearman_rho, p_value)."""

    def share(score: str, test: str) -> float:
        return float((targets[f"{score}_{test}_q"] < fdr).mean())

    rows = [
        _row("synthesis", f"TF–motif pairs whose light-up targets carry the motif ({label}, "
             f"q < {fdr:g})", share("lightup", test),
             note=f"{len(targets)} pairs of {targets.tf.nunique()} TFs; |Spearman| baseline "
                  f"{share('spearman', test):.2f}; shuffled-targets null "
                  f"{share('shuffled_targets', test):.2f}")
        for label, test in (("all targets", "mw"), ("top targets", "fisher"))
    ]  # fmt: skip
    rows += [
        _row("synthesis", f"motif importance ({row.importance}) against the pruning rank: "
             "Spearman ρ", row.spearman_rho, note=f"{row.tfs} TFs, p {row.p_value:.2g}")
        for row in importance_summary.itertuples(index=False)
    ]  # fmt: skip
    return _table(rows)


def cis_trans_summary(metrics: pd.DataFrame) -> pd.DataFrame:
    """Cis and trans together against each alone, from its metrics (one row per model:
    cis_alone, trans_alone, together, together_control; r2, profile_r_median,
    profile_r_positive_share): the test r2 over genes × tissues and the median per-gene
    profile r across tissues of the together model, the others in the note."""
    models = metrics.set_index("model")

    def others(column: str) -> str:
        return "; ".join(f"{model} {models.loc[model, column]:.3f}" for model in models.index
                         if model != "together")  # fmt: skip

    return _table(
        [_row("synthesis", "cis and trans together: test r2 over genes × tissues",
              models.loc["together", "r2"], note=others("r2")),
         _row("synthesis", "cis and trans together: median per-gene profile r across tissues",
              models.loc["together", "profile_r_median"],
              note=others("profile_r_median").replace("nan", "undefined"))]
    )  # fmt: skip


def synthesis_truth(targets: pd.DataFrame, truth_genes: pd.DataFrame, fdr: float) -> pd.DataFrame:
    """The demo's planted motif–TF links recovered: of the TF–motif pairs that are a TF and
    its own planted motif (truth genes: symbol, motif_id, is_tf), the share linked by the
    TF's top light-up targets (Fisher q < `fdr`), beside the |Spearman| baseline."""
    tfs = truth_genes[truth_genes.is_tf.astype(str) == "True"][["symbol", "motif_id"]]
    own = targets.merge(tfs, on=["symbol", "motif_id"])
    share = float((own.lightup_fisher_q < fdr).mean()) if len(own) else np.nan
    control = float((own.spearman_fisher_q < fdr).mean()) if len(own) else np.nan
    return _table(
        [_row("demo truth", "TFs whose top light-up targets carry their planted motif "
              f"(Fisher q < {fdr:g})", share,
              note=f"{len(own)} TFs with their own motif; |Spearman| baseline {control:.2f}")]
    )  # fmt: skip


def summary_table(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The parts a run has, stacked in order (`SUMMARY_COLUMNS`)."""
    if not parts:
        return _table([])
    return pd.concat(list(parts), ignore_index=True)[list(SUMMARY_COLUMNS)]


def _number(value: float, out_of: float) -> str:
    if np.isnan(value):
        return "—"
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"
    return f"{text} of {out_of:.0f}" if not np.isnan(out_of) else text


def summary_markdown(table: pd.DataFrame, source: str, approaches: Sequence[str]) -> str:
    """The summary as Markdown: one section per approach (in table order), each a table of
    figure, ours, published, paper and note. `source` (`describe_source`) and `approaches`
    head it."""
    lines = [
        "# cistrans summary",
        "",
        f"Source: {source}; approaches: {', '.join(approaches)}.",
    ]
    for approach, rows in table.groupby("approach", sort=False):
        lines += ["", f"## {approach}", "", "| figure | ours | published | paper | note |",
                  "| --- | --- | --- | --- | --- |"]  # fmt: skip
        lines += [
            "| "
            + " | ".join(
                _cell(text)
                for text in (
                    row.figure,
                    _number(row.value, row.out_of),
                    _number(row.published, row.published_out_of),
                    row.reference,
                    row.note,
                )
            )
            + " |"
            for row in rows.itertuples(index=False)
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A Markdown table cell: its pipes (|Spearman|) escaped so they do not end it."""
    return str(text).replace("|", "\\|")
