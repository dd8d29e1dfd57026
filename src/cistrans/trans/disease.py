"""Disease evaluation: observed TF changes in, predicted target changes out.

For each disease comparison, the observed TF log2 fold changes are added to a baseline input
(the training mean, or the mean of the compendium's samples of the comparison's tissue);
the predicted target changes are compared with the observed ones (Spearman). Each TF's
change is then left out in turn, and TFs are ranked by the drop in correlation; the top TFs
are checked against the disease's GWAS genes (Fisher's exact test, AUROC, BH-FDR).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cistrans.errors import InputError
from cistrans.evaluate import auroc
from cistrans.io.gwas import gwas_genes, trait_associations
from cistrans.training import one_thread_per_worker
from cistrans.trans.data import TransData
from cistrans.trans.model import Predictor, TransEnsemble, TransModel

log = logging.getLogger(__name__)

DEFAULT_BLOCK_SIZE = 32
"""Left-out TFs per forward pass: (block, targets) predictions and their ranks in memory."""


@dataclass
class DiseaseResult:
    """summary: one row per disease (+ pooled); rankings: TF rankings; predictions: per gene."""

    summary: pd.DataFrame
    rankings: pd.DataFrame
    predictions: pd.DataFrame


@dataclass
class Comparison:
    """One disease-vs-normal contrast: the sheet's disease, accession, tissue and GWAS
    trait(s) (`;`-separated), and its analytics (gene_id, log2fc) read from `source`."""

    disease: str
    accession: str
    tissue: str
    gwas_trait: str
    analytics: pd.DataFrame
    source: str


def baseline_input(
    model: Predictor, tissue: str, inputs: np.ndarray, tissues: np.ndarray, use_tissue: bool
) -> np.ndarray:
    """The training mean, or the mean input of the compendium's samples of `tissue`.

    Parameters
    ----------
    model
        The predictor; its `input_mean` (TFs,) is the training mean.
    tissue
        The comparison's tissue ("" for none).
    inputs
        (samples, TFs) the compendium's TF inputs.
    tissues
        (samples,) each sample's tissue.
    use_tissue
        Whether the tissue's mean is wanted (`trans.disease.baseline` = tissue).

    Returns
    -------
    np.ndarray
        (TFs,) the baseline input; the training mean (with a warning) when no sample is of
        `tissue`.
    """
    if use_tissue and tissue and (tissues == tissue).any():
        return inputs[tissues == tissue].mean(axis=0)
    if use_tissue and tissue:
        log.warning("tissue %r not in the compendium: the training mean is the baseline", tissue)
    return model.input_mean


def coverage_check(
    name: str, fraction: float, what: str, warn_below: float, fail_below: float, source: str
) -> None:
    """Warn or fail when a disease table measures too few of the model's genes.

    Parameters
    ----------
    name
        The disease, for the warning.
    fraction
        Share of the model's `what` the table measures.
    what
        "TFs" or "targets".
    warn_below, fail_below
        The shares below which it warns, and fails.
    source
        The table's file, for the error.

    Returns
    -------
    None

    Raises
    ------
    InputError
        When `fraction` < `fail_below`.
    """
    if fraction < fail_below:
        raise InputError(
            source,
            f"measures only {fraction:.0%} of the model's {what} (minimum {fail_below:.0%})",
            "check that the table's Gene IDs are Ensembl IDs of the same species, "
            "or lower trans.disease.min_coverage",
        )
    if fraction < warn_below:
        log.warning("%s measures only %.0f%% of the model's %s", name, 100 * fraction, what)


def observed_changes(table: pd.DataFrame, ids: list[str], symbols: list[str]) -> pd.Series:
    """The measured log2 fold changes of the model's genes (NaN = unmeasured).

    A gene is found by its Ensembl ID, else by its symbol (a compendium keyed by symbols has
    no Ensembl IDs).

    Parameters
    ----------
    table
        gene_id, log2fc and optionally gene_name (Expression Atlas, one contrast).
    ids, symbols
        (genes,) the model's gene IDs and their symbols, in model order.

    Returns
    -------
    pd.Series
        (genes,) float log2 fold changes indexed by `ids`.
    """
    measured = table.dropna(subset=["log2fc"])
    by_id = measured.drop_duplicates("gene_id").set_index("gene_id").log2fc.reindex(ids)
    if "gene_name" not in measured:
        return by_id
    names = measured[measured.gene_name.astype(str) != ""].drop_duplicates("gene_name")
    by_symbol = names.set_index("gene_name").log2fc.reindex(symbols)
    return pd.Series(
        np.where(by_id.notna(), by_id.to_numpy(), by_symbol.to_numpy()), index=pd.Index(ids)
    )


def measured_changes(table: pd.DataFrame, model: Predictor) -> tuple[pd.Series, pd.Series]:
    """`observed_changes` of the model's TFs and of its targets, in model order.

    Parameters
    ----------
    table
        One contrast's analytics: gene_id, log2fc and optionally gene_name.
    model
        The predictor whose TFs and targets are looked up.

    Returns
    -------
    tuple of pd.Series
        (TFs,) and (targets,) log2 fold changes, NaN = unmeasured.
    """
    return (
        observed_changes(table, model.tf_ids, model.tf_symbols),
        observed_changes(table, model.target_ids, model.target_symbols),
    )


def evaluate_disease(
    model: Predictor,
    changes: tuple[pd.Series, pd.Series],
    baseline: np.ndarray,
    log_base: float,
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
    threads: int | None = None,
    affine: list[AffineMember] | None = None,
) -> tuple[float, float, pd.DataFrame, pd.DataFrame]:
    """ρ, p, per-target predictions and the leave-one-TF-out ranking for one comparison.

    Unmeasured genes are excluded: unmeasured TFs get no change, unmeasured targets are not
    scored. The inputs without each changed TF go through the model `block_size` at a time,
    and each block's ρ against the observed changes comes from one ranking of its rows
    (`row_spearman`), so memory is bounded by a block, not by TFs × targets. A model whose
    prediction is affine in its inputs (no hidden layers: the ridge) needs no forward pass:
    its effects, of the same float32 inputs, are computed in closed form in float64 (where
    the forward passes round them to float32, which can tie targets a float32 step apart).

    Parameters
    ----------
    model
        The predictor (one model or an ensemble).
    changes
        The comparison's `measured_changes`: TFs (TFs,) and targets (targets,), log2 fold
        changes, NaN = unmeasured.
    baseline
        (TFs,) input the changes are added to.
    log_base
        Base of the model's log inputs.
    block_size
        Left-out TFs per forward pass.
    threads
        Blocks computed side by side (default: torch's threads, the cores the job holds);
        memory holds that many blocks.
    affine
        The model's `affine_members`, prepared once for many comparisons (default: prepared
        here).

    Returns
    -------
    rho, p
        Spearman ρ (and its p) of the predicted against the observed target changes.
    predictions
        (scored targets) gene_id, observed, predicted.
    rankings
        (TFs) tf, symbol, log2fc, drop (ρ minus ρ without the TF; 0 for unchanged TFs), rank;
        largest drop first.
    """
    tf_observed, target_observed = changes
    to_input = np.log(2.0) / np.log(log_base)
    tf_change = tf_observed.fillna(0.0).to_numpy(dtype=np.float32) * to_input
    scored = np.flatnonzero(target_observed.notna().to_numpy())
    changed = np.flatnonzero(tf_change != 0)
    full = baseline + tf_change
    truth = target_observed.to_numpy()[scored]
    ranked_truth = stats.rankdata(truth) - (len(truth) + 1) / 2
    affine = affine or affine_members(model)
    if affine:
        # an affine model (the ridge): the same effects of the same float32 inputs in closed
        # form, in float64
        inputs = full.astype(np.float32).astype(np.float64)
        change = inputs - np.asarray(baseline, dtype=np.float32)
        sums = [_weighted_sum(m.weight, change / m.input_sd, scored) for m in affine]

    def inputs_without(left_out: np.ndarray) -> np.ndarray:
        """The full changes, then the full changes without each TF of `left_out`."""
        rows = np.repeat(full[None, :].astype(np.float64), len(left_out) + 1, axis=0)
        rows[np.arange(1, len(left_out) + 1), left_out] -= tf_change[left_out]
        return rows

    def effects(left_out: np.ndarray) -> np.ndarray:
        """The effect of the full changes, then of the full changes without each TF of
        `left_out`, (1 + len(left_out), scored), in the model's units."""
        if not affine:
            return (model.predict(inputs_without(left_out).astype(np.float32)) - base)[:, scored]
        step = (inputs[left_out] - tf_change[left_out]).astype(np.float32) - inputs[left_out]
        rows = _affine_rows(affine[0], sums[0], left_out, step, scored)
        for member, total in zip(affine[1:], sums[1:], strict=True):
            rows += _affine_rows(member, total, left_out, step, scored)
        if len(affine) > 1:
            rows /= len(affine)
        return rows

    # the first block (after the baseline in the same forward pass); each block's ρ of the
    # full changes is the reference its drops are taken from, so that a TF of no effect
    # drops by exactly 0. Blocks run side by side, as many as threads (numpy's sorts and
    # torch let go of the GIL), each on one core: the same figures on any number of cores.
    workers = threads or torch.get_num_threads()
    with one_thread_per_worker(), ThreadPoolExecutor(workers) as pool:
        if not affine:
            predicted = model.predict(
                np.vstack([baseline, inputs_without(changed[:block_size])]).astype(np.float32)
            )
            base, first = predicted[0], (predicted[1:] - predicted[0])[:, scored]
        else:
            first = effects(changed[:block_size])
        effect = first[0] / to_input
        rho, p = stats.spearmanr(effect, truth)

        def block_rho(start: int) -> np.ndarray:
            rows = first if start == 0 else effects(changed[start : start + block_size])
            # dividing by to_input (> 0 for a log base > 1) keeps the ranks
            return np.sign(to_input) * _row_spearman(rows, ranked_truth)

        blocks = list(pool.map(block_rho, range(0, max(len(changed), 1), block_size)))
    rho_full = np.concatenate([np.repeat(rhos[0], len(rhos) - 1) for rhos in blocks])
    without = np.concatenate([rhos[1:] for rhos in blocks])
    drop = pd.Series(0.0, index=model.tf_ids)
    drop.iloc[changed] = rho_full - without
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
        {"gene_id": np.asarray(model.target_ids)[scored], "observed": truth, "predicted": effect}
    )
    return float(rho), float(p), predictions, rankings


@dataclass(frozen=True)
class AffineMember:
    """One member of a predictor whose prediction is affine in its inputs, prepared for
    leave-one-TF-out: `weight` (targets, TFs) float32, the model's own array; `weight_t`
    its (TFs, targets) copy, so that the weights of a block of TFs are rows; `input_sd`
    (TFs,) and `output_sd` (targets,) in float64."""

    weight: np.ndarray
    weight_t: np.ndarray
    input_sd: np.ndarray
    output_sd: np.ndarray


def affine_members(model: Predictor) -> list[AffineMember]:
    """The members of a model whose prediction is affine in its inputs (networks without
    hidden layers, such as the ridge, or an ensemble of them).

    Parameters
    ----------
    model
        One trans model or an ensemble.

    Returns
    -------
    list of AffineMember
        One per member, each holding a (TFs, targets) float32 copy of its weights; empty
        for any other model.
    """
    members = model.members if isinstance(model, TransEnsemble) else [model]
    if not all(isinstance(m, TransModel) and not m.arch.hidden_layers for m in members):
        return []
    prepared = []
    for m in members:
        weight = m.network[0].weight.detach().cpu().numpy()
        prepared.append(
            AffineMember(
                weight,
                np.ascontiguousarray(weight.T),
                m.input_sd.astype(np.float64),
                m.output_sd.astype(np.float64),
            )
        )
    return prepared


def _weighted_sum(
    weight: np.ndarray, scaled: np.ndarray, scored: np.ndarray, block_size: int = 4096
) -> np.ndarray:
    """weight[scored] @ scaled in float64, `block_size` targets at a time; (scored,)."""
    total = np.empty(len(scored))
    for start in range(0, len(scored), block_size):
        rows = scored[start : start + block_size]
        total[start : start + len(rows)] = weight[rows].astype(np.float64) @ scaled
    return total


def _affine_rows(
    member: AffineMember,
    total: np.ndarray,
    left_out: np.ndarray,
    step: np.ndarray,
    scored: np.ndarray,
) -> np.ndarray:
    """One affine member's effect of the full changes (row 0; `total` is its weighted sum
    of the scaled input changes over the scored targets) and with each TF of `left_out`
    moved by `step` (rows 1...), in the output's units; (1 + len(left_out), scored). A
    change that cancels exactly leaves exactly no effect."""
    rows = np.empty((len(left_out) + 1, len(scored)))
    rows[0] = total
    rows[1:] = member.weight_t[left_out][:, scored]
    rows[1:] *= (step / member.input_sd[left_out])[:, None]
    rows[1:] += total
    rows *= member.output_sd[scored]
    return rows


def row_spearman(rows: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Spearman ρ of each row against `truth`, as `scipy.stats.spearmanr(row, truth)` gives
    it (average ranks for ties; NaN for a row with a NaN, a constant row or truth, or fewer
    than two values), from one sort of the rows and a matrix–vector product.

    A row without ties has ranks 1..m in its sorted order, so its ρ numerator is the truth's
    centred ranks gathered in that order times the centred positions; each group of t tied
    values then moves its members to their average rank, and takes (t³ − t) / 12 off the
    row's sum of squares.

    Parameters
    ----------
    rows
        (n, m) values.
    truth
        (m,) values without NaN.

    Returns
    -------
    np.ndarray
        (n,) float64 ρ.
    """
    return _row_spearman(rows, stats.rankdata(truth) - (len(truth) + 1) / 2)


SORT_ROWS = 4
"""Rows sorted together by `_sorted_order`: small enough that their keys stay in cache."""


def _sorted_order(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ascending order (n, m) and, (n, m − 1), whether each value in that order
    equals the one before it, from one sort of packed 64-bit keys.

    A float64's bits, read as a signed integer with all but the sign bit flipped when it is
    negative, keep its order; their high bits, with the column index in the low
    `ceil(log2 m)` bits, sort in one pass of numpy's vectorised integer sort (about twice as
    fast as an argsort with the gather of its values). Values that differ only below the
    kept bits (never float32 values, whose 24-bit mantissas fit) come out in index order:
    such a row is sorted again with `np.argsort`.
    """
    n, m = rows.shape
    bits = max(1, (m - 1).bit_length())
    low = (1 << bits) - 1
    index = np.arange(m, dtype=np.int64)
    order = np.empty((n, m), dtype=np.intp)
    same = np.empty((n, max(m - 1, 0)), dtype=bool)
    for start in range(0, n, SORT_ROWS):
        part = slice(start, start + SORT_ROWS)
        key = (np.asarray(rows[part], dtype=np.float64) + 0.0).view(np.int64)  # −0.0 → 0.0
        flip = key >> 63  # all ones for a negative value
        flip &= np.iinfo(np.int64).max
        key ^= flip
        key &= ~low
        key |= index
        key.sort(axis=1)
        np.bitwise_and(key, low, out=order[part])
        key >>= bits
        np.equal(key[:, 1:], key[:, :-1], out=same[part])
    row, column = np.nonzero(same)
    if len(row):
        values = np.asarray(rows, dtype=np.float64)
        differ = values[row, order[row, column]] != values[row, order[row, column + 1]]
        same[row[differ], column[differ]] = False
        for r in np.unique(row[differ]):  # keys alike, values not: sort the row exactly
            order[r] = np.argsort(values[r], kind="stable")
            ordered = values[r, order[r]]
            same[r] = ordered[1:] == ordered[:-1]
    return order, same


def _row_spearman(rows: np.ndarray, ranked_truth: np.ndarray) -> np.ndarray:
    """`row_spearman` of `rows` against the truth's centred ranks."""
    n, m = rows.shape
    order, same = _sorted_order(rows)
    gathered = ranked_truth[order]  # (n, m): the truth's centred ranks in each row's order
    numerator = gathered @ (np.arange(m) - (m - 1) / 2)
    squares = np.full(n, m * (m * m - 1) / 12)
    if same.any():
        tied = np.zeros((n, m), dtype=bool)  # equal to the value before it in the sorted row
        tied[:, 1:] = same
        in_group = tied.copy()
        in_group[:, :-1] |= same
        members = np.flatnonzero(in_group)  # positions in the (n, m) layout, in order
        starts = ~tied.ravel()[members]
        group = np.cumsum(starts) - 1
        first, size = members[starts], np.bincount(group)
        shift = first[group] + (size[group] - 1) / 2 - members  # average rank − position
        numerator += np.bincount(
            members // m, weights=shift * gathered.ravel()[members], minlength=n
        )
        squares -= np.bincount(first // m, weights=(size**3 - size) / 12, minlength=n)
    squares *= ranked_truth @ ranked_truth
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.clip(numerator / np.sqrt(squares), -1.0, 1.0)
    rho[(squares <= 0) | np.isnan(rows).any(axis=1)] = np.nan
    return rho


def gwas_check(rankings: pd.DataFrame, trait_genes: set[str], top_k: int) -> dict[str, object]:
    """Fisher's exact test of the top-k TFs vs the trait's genes among all TFs, and AUROC.

    A trait with no TF among its genes cannot be tested: its p-value and AUROC are NaN and
    `gwas_test` says why (such diseases are left out of the FDR).

    Parameters
    ----------
    rankings
        (TFs) one disease's ranking: symbol, drop and rank.
    trait_genes
        Symbols of the trait's GWAS genes.
    top_k
        The TFs ranked 1..top_k count as predicted causal.

    Returns
    -------
    dict
        trait_genes, trait_tfs, top_k_trait_tfs (counts), fisher_p, auroc (of the drops for
        the trait's TFs) and gwas_test ("tested" or "no trait TF").
    """
    is_trait = rankings.symbol.isin(trait_genes).to_numpy()
    top = rankings["rank"].to_numpy() <= top_k
    table = [
        [int((top & is_trait).sum()), int((top & ~is_trait).sum())],
        [int((~top & is_trait).sum()), int((~top & ~is_trait).sum())],
    ]
    tested = bool(is_trait.any())
    return {
        "trait_genes": len(trait_genes),
        "trait_tfs": int(is_trait.sum()),
        "top_k_trait_tfs": table[0][0],
        "fisher_p": float(stats.fisher_exact(table, alternative="greater").pvalue)
        if tested
        else np.nan,
        "auroc": auroc(is_trait, rankings["drop"].to_numpy()) if tested else np.nan,
        "gwas_test": "tested" if tested else "no trait TF",
    }


def adjust(summary: pd.DataFrame) -> pd.DataFrame:
    """Benjamini–Hochberg FDR of the Fisher p-values across the diseases that were tested.

    Parameters
    ----------
    summary
        One row per disease with fisher_p (NaN for a disease not tested).

    Returns
    -------
    pd.DataFrame
        `summary` (changed in place) with fisher_fdr (NaN where not tested).
    """
    tested = summary.fisher_p.notna()
    summary["fisher_fdr"] = np.nan
    if tested.any():
        summary.loc[tested, "fisher_fdr"] = multipletests(
            summary.fisher_p[tested], method="fdr_bh"
        )[1]
    return summary


def evaluate_diseases(
    model: Predictor,
    data: TransData,
    comparisons: list[Comparison],
    associations: pd.DataFrame,
    gwas_source: str,
    log_base: float,
    baseline: str,
    top_k: int,
    min_coverage: float,
    warn_coverage: float,
    gwas_max_p: float,
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> DiseaseResult:
    """Every comparison through `evaluate_disease` and `gwas_check`, then BH-FDR and the
    pooled correlation (the summary's last row, `disease` = pooled).

    Parameters
    ----------
    model
        The predictor (one model or an ensemble); an affine one is prepared once
        (`affine_members`) for every comparison.
    data
        The compendium with the model's TFs (its tissue means are the baselines when
        `baseline` is "tissue").
    comparisons
        The disease sheet's contrasts with their analytics.
    associations
        `read_gwas_associations` of `gwas_source`; the trait genes are those of associations
        with p <= `gwas_max_p` (or without a p-value).
    gwas_source
        The GWAS file, for errors.
    log_base
        Base of the model's log inputs.
    baseline
        "tissue" (the comparison's tissue mean) or "training_mean".
    top_k
        TFs counted as predicted causal by `gwas_check`.
    min_coverage, warn_coverage
        Shares of the model's TFs and targets a table must measure (else an error), and
        below which it warns.
    gwas_max_p
        Association p-value threshold of a trait gene.
    block_size
        Left-out TFs per forward pass of `evaluate_disease`.

    Returns
    -------
    DiseaseResult
        summary (one row per disease, then pooled), rankings (TFs × diseases rows) and
        predictions (scored targets × diseases rows).
    """
    rows, ranking_tables, prediction_tables = [], [], []
    affine = affine_members(model)
    for comparison in comparisons:
        changes = measured_changes(comparison.analytics, model)
        coverage = {
            what: float(observed.notna().mean())
            for what, observed in zip(("TFs", "targets"), changes, strict=True)
        }
        for what, fraction in coverage.items():
            coverage_check(
                comparison.disease, fraction, what, warn_coverage, min_coverage, comparison.source
            )
        start = baseline_input(
            model, comparison.tissue, data.inputs, data.tissue, baseline == "tissue"
        )
        rho, p, predicted, ranked = evaluate_disease(
            model, changes, start, log_base, block_size=block_size, affine=affine
        )
        traits = [t.strip() for t in comparison.gwas_trait.split(";") if t.strip()]
        matched = trait_associations(associations, traits)
        if matched.empty:
            raise InputError(
                gwas_source,
                f"no association matches the trait(s) {traits} of {comparison.disease}",
                "correct gwas_trait in the disease sheet (DISEASE/TRAIT or MAPPED_TRAIT text)",
            )
        trait_genes = gwas_genes(matched, gwas_max_p)
        gwas = gwas_check(ranked, trait_genes, top_k)
        if gwas["gwas_test"] != "tested":
            log.warning(
                "%s: no TF among the %d gene(s) of trait(s) %s at p <= %g; not tested, left "
                "out of the FDR",
                comparison.disease,
                len(trait_genes),
                traits,
                gwas_max_p,
            )
        rows.append(
            {
                "disease": comparison.disease,
                "accession": comparison.accession,
                "rho": rho,
                "p_value": p,
                "n_targets": len(predicted),
                "tf_coverage": coverage["TFs"],
                "target_coverage": coverage["targets"],
                **gwas,
            }
        )
        ranking_tables.append(ranked.assign(disease=comparison.disease))
        prediction_tables.append(predicted.assign(disease=comparison.disease))
    summary = adjust(pd.DataFrame(rows))
    pooled = pd.concat(prediction_tables, ignore_index=True)
    rho, p = stats.spearmanr(pooled.predicted, pooled.observed)
    summary.loc[len(summary)] = {
        "disease": "pooled",
        "rho": rho,
        "p_value": p,
        "n_targets": len(pooled),
    }
    return DiseaseResult(summary, pd.concat(ranking_tables, ignore_index=True), pooled)
