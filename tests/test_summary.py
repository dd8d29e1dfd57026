"""The summary: each approach's headline figures beside the published ones, stacked from the
parts a run has, and its Markdown."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cistrans.data_source import describe_source
from cistrans.io.motifs import Motif
from cistrans.published import TRANS_DISEASE_RHO_POOLED, XPRESSO_DNA_MRNA
from cistrans.summary import (
    SUMMARY_COLUMNS,
    cis_summary,
    cis_trans_summary,
    ctxreg_summary,
    ctxreg_truth,
    jaspar_mode_truth,
    summary_markdown,
    summary_table,
    synthesis_summary,
    synthesis_truth,
    trans_summary,
    trans_truth,
)

METRICS = {"explained_variance": 0.73, "per_gene_r2_median": 0.75,
           "global_mean_r2_paper_style": 0.86, "n_targets": 1428}  # fmt: skip
HIERARCHY = {"tfs_for_80_percent": 25, "tfs_for_90_percent": 70, "n_retained": 25,
             "n_removed": 125}  # fmt: skip
DISEASES = pd.DataFrame({"disease": ["A", "B", "pooled"], "rho": [0.7, 0.2, 0.48],
                         "fisher_fdr": [0.01, np.nan, np.nan]})  # fmt: skip


def test_trans_figures_sit_beside_the_paper_s() -> None:
    table = trans_summary(METRICS, HIERARCHY, DISEASES, shares=[0.8, 0.9], fdr=0.05)
    rows = table.set_index("figure")
    assert list(table.columns) == list(SUMMARY_COLUMNS)
    eighty = rows.loc["TFs that keep 80 % of the explained variance"]
    assert (eighty.value, eighty.out_of, eighty.published) == (25, 150, 125)
    assert np.isnan(rows.loc["TFs that keep 90 % of the explained variance", "published"])
    rho = rows.loc["disease Spearman ρ, pooled"]
    assert (rho.value, rho.published) == (0.48, TRANS_DISEASE_RHO_POOLED.value)
    gwas = table[table.figure.str.startswith("diseases whose top TFs")].iloc[0]
    assert (gwas.value, gwas.out_of) == (1, 1)  # B has no trait TF: not tested
    assert "paper-style" in table.figure.iloc[2] and table.published.iloc[2] == 0.8


def cis_row(
    model: str, features: str, labels: str, value: float, rho: float | None = None, **counts: int
) -> dict[str, object]:
    """A row of the cis comparison: every figure `value` (Spearman ρ `rho` if given), 2
    runs pooled unless `counts` (n_runs, n_pooled, n_collapsed, n_not_converged) say else."""
    stats = {f"{m}_{s}": value for m in ("pearson_r2", "r2") for s in ("min", "mean", "max")}
    stats |= {f"spearman_rho_{s}": value if rho is None else rho for s in ("min", "mean", "max")}
    runs = {"n_runs": 2, "n_pooled": 2, "n_collapsed": 0, "n_not_converged": 0} | counts
    return {"model": model, "features": features, "labels": labels,
            "window": "-650..+100", **runs, **stats}  # fmt: skip


def test_cis_rows_name_both_figures_and_the_published_one() -> None:
    comparison = pd.DataFrame([
        cis_row("xpresso", "dna_mrna", "observed", 0.4),
        cis_row("texcnn_dnabert2", "dna", "observed", 0.1),
        cis_row("ctxreg", "dna", "observed", 0.35),
        cis_row("xpresso", "dna_mrna", "permuted", 0.02),
    ])  # fmt: skip
    table = cis_summary(comparison).set_index("figure")
    xpresso = table.loc["xpresso (dna_mrna): test pearson_r2"]
    assert xpresso.published == XPRESSO_DNA_MRNA.value and "control 0.020" in xpresso.note
    assert np.isnan(table.loc["xpresso (dna_mrna): test r2", "published"])
    assert table.loc["texcnn_dnabert2 (dna): test pearson_r2", "published"] == 0.622
    assert not table.index.str.startswith("ctxreg").any()  # contextual regression's own part


def test_cis_rows_rank_by_spearman_and_count_collapsed_runs() -> None:
    """A model whose Pearson a few outliers carry ranks below one that orders the genes
    better; a model with a collapsed seed says so; one whose every run collapsed has no
    figure, and the summary still completes."""
    comparison = pd.DataFrame([
        cis_row("texcnn_dnabert6", "dna", "observed", 0.20, rho=-0.03),
        cis_row("xpresso", "dna", "observed", 0.13, rho=0.29, n_runs=3, n_collapsed=1,
                n_not_converged=1),
        cis_row("deeplncloc", "dna", "observed", np.nan, n_runs=3, n_pooled=0, n_collapsed=3),
    ])  # fmt: skip
    table = cis_summary(comparison)
    assert table.figure.tolist()[::2] == [
        "xpresso (dna): test pearson_r2", "texcnn_dnabert6 (dna): test pearson_r2",
        "deeplncloc (dna): test pearson_r2",
    ]  # fmt: skip
    xpresso = table.set_index("figure").loc["xpresso (dna): test pearson_r2"]
    assert "over 2 of 3 run(s), 1 collapsed (left out), 1 not converged" in xpresso.note
    assert "Spearman ρ 0.290 (0.290–0.290); rank 1 of 3 by mean test Spearman ρ" in xpresso.note
    dead = table.set_index("figure").loc["deeplncloc (dna): test pearson_r2"]
    assert np.isnan(dead.value) and "no figure: all 3 run(s) collapsed" in dead.note
    assert "| deeplncloc (dna): test pearson_r2 | — |" in summary_markdown(table, "t", ["cis"])


def test_truth_scores_find_planted_edges_causal_tfs_motifs_and_the_pair() -> None:
    genes = pd.DataFrame({"gene_id": ["T1", "T2", "G1", "G2"], "symbol": ["A", "B", "X", "Y"],
                          "motif_id": ["M1", "M2", "", ""],
                          "cis_role": ["activating", "neutral", "", ""]})  # fmt: skip
    lightup = pd.DataFrame([[0.9, 0.0], [0.1, 0.8]], index=["T1", "T2"], columns=["G1", "G2"])
    edges = pd.DataFrame({"tf": ["A", "B"], "target": ["X", "Y"]})
    rankings = pd.DataFrame({"disease": ["d", "d"], "symbol": ["A", "B"], "rank": [1, 2]})
    causal = pd.DataFrame({"disease": ["d"], "tf": ["B"]})
    trans = trans_truth(lightup, genes, edges, rankings, causal).set_index("figure")
    assert trans.iloc[0].value == 1.0
    assert trans.loc["causal TFs of the diseases: median rank", "value"] == 2
    rng = np.random.default_rng(0)
    motifs = [Motif(m, m, rng.dirichlet(np.full(4, 0.2), size=8)) for m in ("M1", "M2")]
    pair = {"motif_a": "M1", "motif_b": "M2", "tf_a": "A", "tf_b": "B", "min_spacing": 10,
            "max_spacing": 30}  # fmt: skip
    grammar = pd.DataFrame({"motif_a": ["M1"], "motif_b": ["M2"], "q_value": [1e-5],
                            "range_start": [15], "range_end": [35]})  # fmt: skip
    ctxreg = ctxreg_truth([motifs[0]], motifs, genes, grammar, grammar, pair, 1e-4, 0.05)
    assert (ctxreg.value.iloc[0], ctxreg.out_of.iloc[0]) == (1, 1)  # only M1 was planted
    assert ctxreg.value.iloc[1] == 1
    far = grammar.assign(range_start=40, range_end=60)
    assert (
        ctxreg_truth([motifs[0]], motifs, genes, grammar, far, pair, 1e-4, 0.05).value.iloc[1] == 0
    )


def test_the_summary_stacks_the_parts_a_run_has() -> None:
    trans = trans_summary(METRICS, HIERARCHY, DISEASES, shares=[0.8], fdr=0.05)
    table = summary_table([trans])
    markdown = summary_markdown(table, "download", ["trans"])
    assert "Source: download; approaches: trans." in markdown
    assert "## trans" in markdown and "## demo truth" not in markdown
    assert "| TFs that keep 80 % of the explained variance | 25 of 150 | 125 of 1625 |" in markdown
    assert summary_table([]).empty and list(summary_table([]).columns) == list(SUMMARY_COLUMNS)
    piped = summary_table([trans.assign(note="|Spearman| baseline")])
    for line in summary_markdown(piped, "download", ["trans"]).splitlines():
        if line.startswith("| "):  # five cells: six unescaped pipes
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line


def test_the_ctxreg_rows_say_how_much_its_context_carries() -> None:
    runs = pd.DataFrame({"labels": ["observed", "observed", "permuted", "observed"],
                         "pearson_r2": [0.35, 0.39, 0.01, np.nan], "r2": [0.34, 0.37, -0.01, -0.2],
                         "spearman_rho": [0.5, 0.6, 0.0, np.nan],
                         "context_share": [0.0, 0.2, 0.5, np.nan],
                         "status": ["ok", "ok", "ok", "collapsed"]})  # fmt: skip
    matches = pd.DataFrame({"motif": ["f0", "f1"], "match_id": ["MA1", "MA2"],
                            "match_name": ["A", "B"], "q_value": [0.01, 0.5]})  # fmt: skip
    pairs = pd.DataFrame({"motif_a": ["MA1"], "motif_b": ["MA2"], "name_a": ["A"],
                          "name_b": ["B"], "range_start": [10], "range_end": [30],
                          "q_value": [1e-5]})  # fmt: skip
    spacings = np.arange(101)
    interaction = np.where((spacings >= 10) & (spacings <= 30), 0.3, 0.1)
    scan = pd.DataFrame({"motif_a": "MA1", "motif_b": "MA2", "spacing": spacings,
                         "interaction": interaction})  # fmt: skip
    table = ctxreg_summary(runs, matches, pairs, pairs, scan, fdr=0.05, match_q_value=0.05)
    pearson = table.set_index("figure").loc["contextual regression: test pearson_r2"]
    assert pearson.value == pytest.approx(0.37)  # the collapsed run left out
    assert "over 2 of 3 run(s), 1 collapsed (left out)" in pearson.note
    assert "Spearman ρ 0.550 (0.5–0.6, control 0.000)" in pearson.note
    share = table[table.figure.str.contains("vary with the context")].iloc[0]
    assert share.value == 0.1 and "0–0.2" in share.note
    matched = table[table.figure.str.contains("matching a JASPAR motif")].iloc[0]
    assert matched.value == 1
    insilico = table[table.figure.str.startswith("in-silico scan, A → B")].iloc[0]
    assert insilico.value == pytest.approx(0.3) and "elsewhere 0.1" in insilico.note
    empty = ctxreg_summary(runs, matches, pairs, pairs, scan.iloc[:0], 0.05, 0.05)
    assert not empty.figure.str.startswith("in-silico").any()


def test_a_share_other_than_80_percent_has_no_published_figure() -> None:
    hierarchy = {**HIERARCHY, "tfs_for_75_percent": 20}
    table = trans_summary(METRICS, hierarchy, DISEASES, shares=[0.75], fdr=0.05)
    row = table[table.figure.str.startswith("TFs that keep")].iloc[0]
    assert row.value == 20 and np.isnan(row.published)


def test_synthesis_rows_show_light_up_beside_baseline_and_null_and_score_planted_links() -> None:
    q = {"lightup_mw_q": [0.01, 0.5], "lightup_fisher_q": [0.01, 0.01],
         "spearman_mw_q": [0.5, 0.5], "spearman_fisher_q": [0.01, 0.5],
         "shuffled_targets_mw_q": [0.5, 0.5], "shuffled_targets_fisher_q": [0.5, 0.5]}  # fmt: skip
    pairs = pd.DataFrame({"tf": ["a", "b"], "symbol": ["A", "B"], "motif_id": ["M1", "M2"], **q})
    importance = pd.DataFrame({"importance": ["jaspar_mode"], "tfs": [8], "spearman_rho": [-0.4],
                               "p_value": [0.3]})  # fmt: skip
    rows = synthesis_summary(pairs, importance, 0.05)
    assert rows.value.tolist() == [0.5, 1.0, -0.4] and (rows.approach == "synthesis").all()
    assert rows.note[0] == "2 pairs of 2 TFs; |Spearman| baseline 0.00; shuffled-targets null 0.00"
    assert "|Spearman| baseline 0.50" in rows.note[1]
    targets = pd.DataFrame({"symbol": ["A", "A", "B"], "motif_id": ["M1", "M9", "M2"],
                            "lightup_fisher_q": [0.01, 0.01, 0.5],
                            "spearman_fisher_q": [0.5, 0.01, 0.5]})  # fmt: skip
    genes = pd.DataFrame({"symbol": ["A", "B", "T"], "motif_id": ["M1", "M2", "M3"],
                          "is_tf": ["True", "True", "False"]})  # fmt: skip
    truth = synthesis_truth(targets, genes, 0.05)
    assert truth.value.tolist() == [0.5] and "2 TFs" in truth.note[0]
    assert "baseline 0.00" in truth.note[0]


def test_cis_and_trans_together_sit_beside_each_alone() -> None:
    metrics = pd.DataFrame({"model": ["cis_alone", "trans_alone", "together", "together_control"],
                            "r2": [0.3, 0.1, 0.45, 0.07],
                            "profile_r_median": [np.nan, -0.1, 0.2, -0.05]})  # fmt: skip
    rows = cis_trans_summary(metrics)
    assert rows.value.tolist() == [0.45, 0.2]
    assert rows.note[0] == "cis_alone 0.300; trans_alone 0.100; together_control 0.070"
    assert rows.note[1].startswith("cis_alone undefined; trans_alone -0.100")


def test_the_jaspar_mode_truth_counts_planted_signs_and_ranks() -> None:
    pooled = pd.DataFrame({"motif_id": ["A", "R", "N", "B"], "rank": [1, 4, 2, 3],
                           "mean_contribution": [0.3, 0.1, 0.2, 0.1]})  # fmt: skip
    genes = pd.DataFrame({"motif_id": ["A", "R", "N"],
                          "cis_role": ["activating", "repressive", "neutral"]})  # fmt: skip
    rows = jaspar_mode_truth(pooled, genes)
    assert rows.value.tolist() == [1, 1] and rows.out_of.tolist() == [2, 2]
    assert rows.note[1] == "of 4 JASPAR motifs; worst planted rank 4"


def test_the_summary_names_where_the_data_came_from() -> None:
    def source(name: str, **settings: object) -> str:
        given = {"expression_sources": ["gtex"], "sequence_source": "genome", "inputs": {},
                 "approaches": ["trans", "cis"], "demo_world": False}  # fmt: skip
        return describe_source(name, **{**given, **settings})  # type: ignore[arg-type]

    assert source("demo", demo_world=True) == "the simulated demo world (scored against its truth)"
    cohort = source(
        "demo", expression_sources=["custom"], approaches=["trans"],
        inputs={"custom_matrix": "tcga.tsv", "tf_list": "tfs.csv"},
    )  # fmt: skip
    assert cohort == (
        "expression: your own cohort (inputs.custom_matrix: tcga.tsv); "
        "your own files: inputs.custom_matrix, inputs.tf_list"
    )
    assert "demo" not in cohort
    assert source("download") == (
        "expression: the public downloads (gtex); "
        "sequences: the public GRCh38 genome and GENCODE annotation"
    )
    table = source("demo", sequence_source="table", approaches=["cis"],
                   inputs={"sequence_table": "mpra.tsv"}, demo_world=True)  # fmt: skip
    assert table.startswith("sequences: your own sequence table (mpra.tsv)")
    assert table.endswith("the simulated demo world for the other inputs")
