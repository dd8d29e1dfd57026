"""Disease evaluation: observed TF changes in, predicted target changes out.

For each disease comparison, the observed TF log2 fold changes are added to a baseline input
(the training mean, or the mean of the compendium's samples of the comparison's tissue);
the predicted target changes are compared with the observed ones (Spearman). Each TF's
change is then left out in turn, and TFs are ranked by the drop in correlation; the top TFs
are checked against the disease's GWAS genes (Fisher's exact test, AUROC, BH-FDR).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cistrans.errors import InputError
from cistrans.evaluate import auroc
from cistrans.io.gwas import gwas_genes, trait_associations
from cistrans.trans.data import TransData
from cistrans.trans.model import Predictor

log = logging.getLogger(__name__)


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
    """The training mean, or the mean input of the compendium's samples of `tissue`."""
    if use_tissue and tissue and (tissues == tissue).any():
        return inputs[tissues == tissue].mean(axis=0)
    if use_tissue and tissue:
        log.warning("tissue %r not in the compendium: the training mean is the baseline", tissue)
    return model.input_mean


def coverage_check(
    name: str, fraction: float, what: str, warn_below: float, fail_below: float, source: str
) -> None:
    """Warn or fail when a disease table measures too few of the model's genes."""
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
    """The measured log2 fold changes of the model's genes (index `ids`; NaN = unmeasured).

    table: gene_id, log2fc and optionally gene_name (Expression Atlas, one contrast). A gene
    is found by its Ensembl ID, else by its symbol (a compendium keyed by symbols has no
    Ensembl IDs).
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
    """`observed_changes` of the model's TFs and of its targets, in model order."""
    return (
        observed_changes(table, model.tf_ids, model.tf_symbols),
        observed_changes(table, model.target_ids, model.target_symbols),
    )


def evaluate_disease(
    model: Predictor,
    changes: tuple[pd.Series, pd.Series],
    baseline: np.ndarray,
    log_base: float,
) -> tuple[float, float, pd.DataFrame, pd.DataFrame]:
    """ρ, p, per-target predictions and the leave-one-TF-out ranking for one comparison.

    changes: the comparison's `measured_changes` (TFs, targets; NaN = unmeasured).
    Unmeasured genes are excluded: unmeasured TFs get no change, unmeasured targets are not
    scored.
    """
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


def gwas_check(rankings: pd.DataFrame, trait_genes: set[str], top_k: int) -> dict[str, object]:
    """Fisher's exact test of the top-k TFs vs the trait's genes among all TFs, and AUROC.

    A trait with no TF among its genes cannot be tested: its p-value and AUROC are NaN and
    `gwas_test` says why (such diseases are left out of the FDR).
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
    """Benjamini–Hochberg FDR of the Fisher p-values across the diseases that were tested."""
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
) -> DiseaseResult:
    """Every comparison through `evaluate_disease` and `gwas_check`, then BH-FDR and the
    pooled correlation (the summary's last row, `disease` = pooled).

    data: the compendium with the model's TFs (its tissue means are the baselines when
    `baseline` is "tissue"). associations: `read_gwas_associations` of `gwas_source`; the
    trait genes are those of associations with p <= `gwas_max_p` (or without a p-value).
    """
    rows, ranking_tables, prediction_tables = [], [], []
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
        rho, p, predicted, ranked = evaluate_disease(model, changes, start, log_base)
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
