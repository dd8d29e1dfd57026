"""Each trans step from files to files: one function per Snakemake rule."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.demo.truth import read_truth
from cistrans.errors import InputError
from cistrans.io.atlas import read_atlas_analytics
from cistrans.io.download import read_disease_sheet
from cistrans.io.gwas import gwas_genes_by_trait, read_gwas_associations
from cistrans.io.tables import write_tsv
from cistrans.io.trrust import read_tf_target_table
from cistrans.plots import trans as plots
from cistrans.trans import disease, pruning
from cistrans.trans.data import load_trans_data
from cistrans.trans.evaluate import evaluation_tables
from cistrans.trans.lightup import lightup, tf_importance
from cistrans.trans.model import check_gene_order, load_model
from cistrans.trans.train import train_model
from cistrans.trans.validation import known_edges, spearman_matrix, validate

log = logging.getLogger(__name__)


def _json(path: str | Path, content: object) -> None:
    Path(path).write_text(json.dumps(content, indent=2, default=float) + "\n", encoding="utf-8")


def build_model(
    compendium: str,
    weights: str,
    sidecar: str,
    network: dict,
    training: dict,
    tfs: Sequence[str] | None = None,
) -> None:
    """Train the network (or the linear baseline: `hidden_layers: []`) and save it."""
    data = load_trans_data(compendium, list(tfs) if tfs is not None else None)
    model = train_model(data, **network, **training)
    model.save(weights, sidecar)


def build_evaluation(
    compendium: str,
    weights: str,
    sidecar: str,
    genes: str,
    metrics: str,
    extremes: str,
    figure: str,
) -> None:
    """Test-split metrics, per-gene R², best/worst genes and their distribution."""
    model = load_model(weights, sidecar)
    data = load_trans_data(compendium, model.tf_ids)
    check_gene_order(model, data.tf_ids, data.target_ids, compendium)
    test = data.rows("test")
    per_gene, summary, best_worst = evaluation_tables(
        data.outputs[test], model.predict(data.inputs[test]), data.target_ids, data.target_symbols
    )
    write_tsv(per_gene, genes)
    _json(metrics, summary)
    write_tsv(best_worst, extremes)
    plots.r2_distribution(per_gene, summary, figure)
    log.info("test split: %s", summary)


def build_lightup(
    weights: str, sidecar: str, scores: str, importance: str, **settings: object
) -> None:
    """The TF × target light-up matrix (Parquet) and each TF's importance."""
    model = load_model(weights, sidecar)
    matrix = lightup(model, **settings)
    matrix.to_parquet(scores)
    ranking = tf_importance(matrix).rename("importance").rename_axis("tf").reset_index()
    write_tsv(
        ranking.assign(
            symbol=ranking.tf.map(dict(zip(model.tf_ids, model.tf_symbols, strict=True)))
        ),
        importance,
    )


def build_validation(
    compendium: str, scores: str, tables: Sequence[dict], summary: str, per_target: str, figure: str
) -> None:
    """Light-up and the |Spearman| control against each knowledge table."""
    matrix = pd.read_parquet(scores)
    data = load_trans_data(compendium, list(matrix.index))
    train = data.rows("train")
    control = pd.DataFrame(
        np.abs(spearman_matrix(data.inputs[train], data.outputs[train])),
        index=data.tf_ids,
        columns=data.target_ids,
    )
    tf_ids = dict(zip(data.tf_symbols, data.tf_ids, strict=True))
    target_ids = dict(zip(data.target_symbols, data.target_ids, strict=True))
    rows, details = [], []
    for table in tables:
        edges = known_edges(
            read_tf_target_table(table["path"], table["format"], table.get("min_confidence")),
            tf_ids,
            target_ids,
        )
        if edges.empty:
            raise InputError(
                table["path"],
                "no edge links the model's TFs to its targets",
                "check the table's gene symbols",
            )
        result, detail = validate(matrix[data.target_ids], control, edges, table["name"])
        rows.append(result)
        details.append(detail)
    frame = pd.DataFrame(rows)
    write_tsv(frame, summary)
    write_tsv(pd.concat(details, ignore_index=True), per_target)
    plots.validation(frame, pd.concat(details, ignore_index=True), figure)
    log.info("validation:\n%s", frame.to_string())


def build_prune_step(
    compendium: str,
    importance: str,
    weights: str,
    sidecar: str,
    metrics: str,
    next_importance: str,
    n_tfs: int,
    network: dict,
    training: dict,
    lightup_settings: dict,
) -> None:
    """One pruning step: keep the `n_tfs` most important TFs, retrain, evaluate, re-rank."""
    ranking = read_truth(importance, ["tf", "importance"]).set_index("tf").importance
    kept = pruning.keep_most_important(ranking, n_tfs)
    data = load_trans_data(compendium, kept)
    model = train_model(data, **network, **training)
    model.save(weights, sidecar)
    test = data.rows("test")
    _, summary, _ = evaluation_tables(
        data.outputs[test], model.predict(data.inputs[test]), data.target_ids, data.target_symbols
    )
    _json(metrics, {"n_tfs": n_tfs, **summary})
    matrix = lightup(model, **lightup_settings)
    write_tsv(
        tf_importance(matrix).rename("importance").rename_axis("tf").reset_index(), next_importance
    )


def build_pruning_curve(
    full_metrics: str,
    full_importance: str,
    step_metrics: Sequence[str],
    step_importance: Sequence[str],
    compendium: str,
    knowledge: str,
    knowledge_format: str,
    curve: str,
    core: str,
    hierarchy: str,
    figure: str,
) -> None:
    """The pruning curve with the TF counts for 80 % / 90 % and the knee, the ordered core
    TFs, and the hierarchy test at the 80 % point."""
    full = json.loads(Path(full_metrics).read_text())
    rows = [
        {
            "n_tfs": len(read_truth(full_importance, ["tf"])),
            "explained_variance": full["explained_variance"],
        }
    ]
    rows += [
        {"n_tfs": m["n_tfs"], "explained_variance": m["explained_variance"]}
        for m in map(lambda p: json.loads(Path(p).read_text()), step_metrics)
    ]
    table = pd.DataFrame(rows).sort_values("n_tfs", ascending=False)
    table["fraction_of_full"] = table.explained_variance / table.explained_variance.iloc[0]
    steps = [(int(table.n_tfs.iloc[0]), list(read_truth(full_importance, ["tf"]).tf))]
    steps += [
        (n, list(read_truth(path, ["tf"]).tf))
        for n, path in zip(table.n_tfs.iloc[1:], step_importance, strict=True)
    ]
    order = pruning.core_order(steps)
    data = load_trans_data(compendium)
    symbol = dict(zip(data.tf_ids, data.tf_symbols, strict=True))
    marks = {
        "tfs_for_80_percent": pruning.tfs_for_fraction(table, 0.8),
        "tfs_for_90_percent": pruning.tfs_for_fraction(table, 0.9),
        "knee": pruning.knee(table.n_tfs.to_numpy(), table.explained_variance.to_numpy()),
    }
    known = (
        read_tf_target_table(knowledge, knowledge_format)
        .drop_duplicates(["tf", "target"])
        .tf.value_counts()
    )
    known.index = known.index.map({s: i for i, s in symbol.items()}.get)
    retained = order[: marks["tfs_for_80_percent"]]
    test = pruning.hierarchy_test(
        retained, order[marks["tfs_for_80_percent"] :], known[known.index.notna()]
    )
    write_tsv(table, curve)
    write_tsv(
        pd.DataFrame(
            {
                "rank": np.arange(1, len(order) + 1),
                "tf": order,
                "symbol": [symbol.get(t, "") for t in order],
            }
        ),
        core,
    )
    _json(hierarchy, {**marks, **test})
    plots.pruning_curve(table, marks, figure)


def build_diseases(
    compendium: str,
    weights: str,
    sidecar: str,
    sheet: str,
    atlas_dir: str,
    gwas: str,
    summary: str,
    rankings: str,
    predictions: str,
    figure: str,
    log_base: float,
    baseline: str,
    top_k: int,
    min_coverage: float,
    warn_coverage: float,
) -> None:
    """Predicted vs observed target changes per disease and pooled; causal-TF rankings; GWAS."""
    model = load_model(weights, sidecar)
    data = load_trans_data(compendium, model.tf_ids)
    check_gene_order(model, data.tf_ids, data.target_ids, compendium)
    comparisons = read_disease_sheet(sheet)
    associations = read_gwas_associations(gwas)
    rows, ranking_tables, prediction_tables = [], [], []
    for row in comparisons.itertuples():
        platform = f"_{row.array_design}" if row.array_design else ""
        path = Path(atlas_dir) / f"{row.accession}{platform}-analytics.tsv"
        table = read_atlas_analytics(path, row.contrast_id)
        measured = set(table.gene_id[table.log2fc.notna()])
        tf_coverage = np.mean([g in measured for g in model.tf_ids])
        target_coverage = np.mean([g in measured for g in model.target_ids])
        disease.coverage_check(
            row.disease, tf_coverage, "TFs", warn_coverage, min_coverage, str(path)
        )
        disease.coverage_check(
            row.disease, target_coverage, "targets", warn_coverage, min_coverage, str(path)
        )
        start = disease.baseline_input(
            model, row.tissue, data.inputs, data.tissue, baseline == "tissue"
        )
        rho, p, predicted, ranked = disease.evaluate_disease(model, table, start, log_base)
        traits = [t.strip() for t in str(row.gwas_trait).split(";") if t.strip()]
        trait_genes = gwas_genes_by_trait(associations, traits)
        if not trait_genes:
            raise InputError(
                gwas,
                f"no association matches the trait(s) {traits} of {row.disease}",
                "correct gwas_trait in the disease sheet (DISEASE/TRAIT or MAPPED_TRAIT text)",
            )
        rows.append(
            {
                "disease": row.disease,
                "accession": row.accession,
                "rho": rho,
                "p_value": p,
                "n_targets": len(predicted),
                "tf_coverage": tf_coverage,
                "target_coverage": target_coverage,
                **disease.gwas_check(ranked, trait_genes, top_k),
            }
        )
        ranking_tables.append(ranked.assign(disease=row.disease))
        prediction_tables.append(predicted.assign(disease=row.disease))
    result = disease.adjust(pd.DataFrame(rows))
    pooled = pd.concat(prediction_tables, ignore_index=True)
    rho, p = disease.stats.spearmanr(pooled.predicted, pooled.observed)
    result.loc[len(result)] = {
        "disease": "pooled",
        "rho": rho,
        "p_value": p,
        "n_targets": len(pooled),
    }
    write_tsv(result, summary)
    write_tsv(pd.concat(ranking_tables, ignore_index=True), rankings)
    write_tsv(pooled, predictions)
    plots.disease_scatter(pooled, result, figure)
    log.info("diseases:\n%s", result.to_string())
