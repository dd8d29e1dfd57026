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
from cistrans.io.gwas import gwas_genes_by_trait
from cistrans.trans.data import TransData
from cistrans.trans.model import TransModel

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
    model: TransModel, tissue: str, inputs: np.ndarray, tissues: np.ndarray, use_tissue: bool
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


def evaluate_disease(
    model: TransModel,
    table: pd.DataFrame,
    baseline: np.ndarray,
    log_base: float,
) -> tuple[float, float, pd.DataFrame, pd.DataFrame]:
    """ρ, p, per-target predictions and the leave-one-TF-out ranking for one comparison.

    table: gene_id, log2fc (Expression Atlas, one contrast). Unmeasured genes are excluded:
    unmeasured TFs get no change, unmeasured targets are not scored.
    """
    observed = table.dropna(subset=["log2fc"]).set_index("gene_id").log2fc
    to_input = np.log(2.0) / np.log(log_base)
    tf_change = observed.reindex(model.tf_ids).fillna(0.0).to_numpy(dtype=np.float32) * to_input
    scored = np.flatnonzero(pd.Index(model.target_ids).isin(observed.index))
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
    truth = observed.reindex(np.asarray(model.target_ids)[scored]).to_numpy()
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


def gwas_check(rankings: pd.DataFrame, trait_genes: set[str], top_k: int) -> dict[str, float]:
    """Fisher's exact test of the top-k TFs vs the trait's genes among all TFs, and AUROC."""
    is_trait = rankings.symbol.isin(trait_genes).to_numpy()
    top = rankings["rank"].to_numpy() <= top_k
    table = [
        [int((top & is_trait).sum()), int((top & ~is_trait).sum())],
        [int((~top & is_trait).sum()), int((~top & ~is_trait).sum())],
    ]
    return {
        "trait_tfs": int(is_trait.sum()),
        "top_k_trait_tfs": table[0][0],
        "fisher_p": float(stats.fisher_exact(table, alternative="greater").pvalue),
        "auroc": auroc(is_trait, rankings["drop"].to_numpy()),
    }


def adjust(summary: pd.DataFrame) -> pd.DataFrame:
    """Benjamini–Hochberg FDR of the Fisher p-values across diseases."""
    tested = summary.fisher_p.notna()
    summary.loc[tested, "fisher_fdr"] = multipletests(summary.fisher_p[tested], method="fdr_bh")[1]
    return summary


def evaluate_diseases(
    model: TransModel,
    data: TransData,
    comparisons: list[Comparison],
    associations: pd.DataFrame,
    gwas_source: str,
    log_base: float,
    baseline: str,
    top_k: int,
    min_coverage: float,
    warn_coverage: float,
) -> DiseaseResult:
    """Every comparison through `evaluate_disease` and `gwas_check`, then BH-FDR and the
    pooled correlation (the summary's last row, `disease` = pooled).

    data: the compendium with the model's TFs (its tissue means are the baselines when
    `baseline` is "tissue"). associations: `read_gwas_associations` of `gwas_source`.
    """
    rows, ranking_tables, prediction_tables = [], [], []
    for comparison in comparisons:
        table = comparison.analytics
        measured = set(table.gene_id[table.log2fc.notna()])
        coverage = {
            what: float(np.mean([gene in measured for gene in genes]))
            for what, genes in (("TFs", model.tf_ids), ("targets", model.target_ids))
        }
        for what, fraction in coverage.items():
            coverage_check(
                comparison.disease, fraction, what, warn_coverage, min_coverage, comparison.source
            )
        start = baseline_input(
            model, comparison.tissue, data.inputs, data.tissue, baseline == "tissue"
        )
        rho, p, predicted, ranked = evaluate_disease(model, table, start, log_base)
        traits = [t.strip() for t in comparison.gwas_trait.split(";") if t.strip()]
        trait_genes = gwas_genes_by_trait(associations, traits)
        if not trait_genes:
            raise InputError(
                gwas_source,
                f"no association matches the trait(s) {traits} of {comparison.disease}",
                "correct gwas_trait in the disease sheet (DISEASE/TRAIT or MAPPED_TRAIT text)",
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
                **gwas_check(ranked, trait_genes, top_k),
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
