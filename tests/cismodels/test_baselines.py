"""The cis baselines on hand-made genes: metrics named for what they are, k-mer counts, the
permuted-label control, gene alignment errors, and k-mer ridge recovering a planted k-mer."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from cistrans.cismodels.baselines import ridge_baselines
from cistrans.cismodels.comparison import best_run, summarise_runs
from cistrans.cismodels.data import align_genes, permuted
from cistrans.cismodels.features import kmer_counts
from cistrans.cismodels.metrics import regression_metrics
from cistrans.errors import InputError

ALPHAS = [0.1, 1.0, 10.0, 100.0, 1000.0, 1e4, 1e5]
SOURCES = ("labels.tsv", "windows.fa.gz")


def test_pearson_r2_is_not_the_coefficient_of_determination() -> None:
    observed = np.linspace(0, 1, 50)
    scaled = 3 * observed + 2  # perfectly correlated, wrong offset and scale
    metrics = regression_metrics(observed, scaled)
    assert metrics["pearson_r2"] == pytest.approx(1.0)
    assert metrics["spearman_rho"] == pytest.approx(1.0)
    assert metrics["r2"] < 0
    assert regression_metrics(observed, observed)["r2"] == pytest.approx(1.0)
    assert np.isnan(regression_metrics(observed, np.zeros(50))["pearson_r"])


def test_the_correlations_equal_scipys_with_ties() -> None:
    from scipy import stats

    rng = np.random.default_rng(0)
    observed = rng.normal(size=200)
    predicted = np.round(observed + rng.normal(size=200), 1)  # many ties
    metrics = regression_metrics(observed, predicted)
    assert metrics["pearson_r"] == pytest.approx(stats.pearsonr(observed, predicted)[0])
    assert metrics["spearman_rho"] == pytest.approx(stats.spearmanr(observed, predicted)[0])


def test_kmer_counts_per_kb_skip_other_bases() -> None:
    counts = kmer_counts(["ACGTNACG", "aa"], k=2)
    names = ["".join(p) for p in __import__("itertools").product("ACGT", repeat=2)]
    first = dict(zip(names, counts[0] * 8 / 1000, strict=True))
    assert first["AC"] == pytest.approx(2) and first["CG"] == pytest.approx(2)
    assert first["GT"] == pytest.approx(1) and sum(first.values()) == pytest.approx(5)
    assert counts[1, 0] == pytest.approx(1000 / 2)  # AA in a lowercase sequence


def test_the_control_shuffles_training_labels_only() -> None:
    labels = np.arange(10.0)
    split = np.array(["train"] * 6 + ["validation"] * 2 + ["test"] * 2)
    shuffled = permuted(labels, split, seed=3)
    assert (shuffled[6:] == labels[6:]).all()
    assert sorted(shuffled[:6]) == list(labels[:6]) and (shuffled[:6] != labels[:6]).any()


def planted_genes(n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, dict[str, str]]:
    """Random 300 bp windows; the label counts the planted 5-mer GATAA (plus noise)."""
    rng = np.random.default_rng(seed)
    sequences, label = {}, []
    for i in range(n):
        bases = list(rng.choice(list("ACGT"), size=300))
        sites = int(rng.integers(0, 6))
        for position in rng.choice(np.arange(0, 290, 10), size=sites, replace=False):
            bases[position : position + 5] = "GATAA"
        sequences[f"g{i}"] = "".join(bases)
        label.append(sites + rng.normal(0, 0.5))
    split = np.array(["train"] * (n * 7 // 10) + ["validation"] * (n // 10) + ["test"] * (n // 5))
    labels = pd.DataFrame({"gene_id": list(sequences), "split": split, "label": label})
    return labels, sequences


def test_kmer_ridge_finds_a_planted_kmer_and_its_control_does_not() -> None:
    labels, sequences = planted_genes()
    genes = align_genes(labels, sequences, None, min_shared_fraction=0.5, sources=SOURCES)
    metrics, predictions = ridge_baselines(genes, k=5, alphas=ALPHAS, seeds=[0, 1])
    by_labels = metrics.set_index("labels")
    assert by_labels.loc["observed", "pearson_r2"] > 0.5  # measured 0.62 (0.76 with 1,500 genes)
    assert (by_labels.loc["permuted", "pearson_r2"] < 0.1).all()
    assert set(metrics.features) == {"dna"}  # no mRNA features: the DNA-only set alone
    assert len(predictions) == 3 * len(labels)
    summary = summarise_runs(metrics, whole="-200..+100", cropped="-50..+50")
    assert summary["labels"].tolist() == ["observed", "permuted"]
    assert summary.n_runs.tolist() == [1, 2] and (summary.window == "-50..+50").all()
    others = metrics.head(2).assign(model=["mrna_ridge", "texcnn_dnabert6"])
    windows = (
        summarise_runs(others, whole="-200..+100", cropped="-50..+50").set_index("model").window
    )
    assert windows.to_dict() == {"mrna_ridge": "no sequence", "texcnn_dnabert6": "-200..+100"}
    assert best_run(metrics)["labels"] == "observed"


def test_labels_and_windows_of_different_genes_name_both_files(
    caplog: pytest.LogCaptureFixture,
) -> None:
    labels, sequences = planted_genes(n=100)
    some = {gene: sequences[gene] for gene in list(sequences)[:40]}
    with pytest.raises(InputError, match=r"labels\.tsv: only 40 of its 100 genes \(40%\) appear "
                       r"in windows\.fa\.gz.*cis\.min_shared_fraction"):  # fmt: skip
        align_genes(labels, some, None, min_shared_fraction=0.5, sources=SOURCES)
    most = {gene: sequences[gene] for gene in list(sequences)[:90]} | {
        gene: sequences[gene] for gene in list(sequences)[95:]
    }
    with caplog.at_level(logging.WARNING):
        genes = align_genes(labels, most, None, min_shared_fraction=0.5, sources=SOURCES)
    assert len(genes.gene_ids) == 95 and "5 of 100 labelled genes" in caplog.text


@pytest.mark.parametrize(
    ("empty", "fix"),
    [
        ("train", "lower sequence.split.validation_size and test_size"),
        ("test", "hold out genes for it: sequence.split.test_size (random mode)"),
    ],
)
def test_an_empty_gene_split_names_the_fix_that_fills_it(empty: str, fix: str) -> None:
    labels, sequences = planted_genes(n=100)
    labels["split"] = labels.split.replace(empty, "validation")
    with pytest.raises(InputError) as caught:
        align_genes(labels, sequences, None, min_shared_fraction=0.5, sources=SOURCES)
    assert str(caught.value).startswith(
        f"labels.tsv: no gene in split {empty!r} (of the 100 labelled genes with a window). "
        f"Fix: {fix}"
    )
