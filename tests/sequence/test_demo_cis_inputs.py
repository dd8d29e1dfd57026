"""The cis-input rules on the demo world and on a user's own sequence table.

Measured on the default world (seed 2022): labels vs the planted baselines Spearman 0.86.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import spearmanr

from cistrans.io.chunks import gather_chunks
from cistrans.sequence.windows import read_windows
from tests.conftest import copy_workflow, run_snakemake

SEQUENCE = Path("results") / "sequence"

pytestmark = pytest.mark.workflow  # every test here runs Snakemake


def read(folder: Path, relative: str | Path) -> pd.DataFrame:
    return pd.read_csv(folder / relative, sep="\t", keep_default_na=False)


def test_every_labelled_gene_has_a_window_of_the_configured_length(demo_workdir: Path) -> None:
    windows = read_windows(demo_workdir / SEQUENCE / "windows.fa.gz")
    labels = read(demo_workdir, SEQUENCE / "labels.tsv")
    assert {len(sequence) for sequence in windows.values()} == {10_500}
    assert set(labels.gene_id) <= set(windows)
    assert labels.split.value_counts().to_dict() == {
        "train": len(labels) - 300,
        "validation": 150,
        "test": 150,
    }


def test_labels_follow_the_planted_baselines(demo_workdir: Path) -> None:
    labels = read(demo_workdir, SEQUENCE / "labels.tsv")
    truth = read(demo_workdir, "resources/demo/truth/baselines.tsv")
    joined = labels.merge(truth, on="gene_id")
    assert len(joined) == len(labels)
    assert spearmanr(joined.label, joined.baseline).statistic > 0.75
    train = joined[joined.split == "train"]
    assert train.label.mean() == pytest.approx(0.0, abs=1e-6)
    assert train.label.std(ddof=0) == pytest.approx(1.0, abs=1e-3)


def test_mrna_features_are_scaled_on_the_training_genes(demo_workdir: Path) -> None:
    features = read(demo_workdir, SEQUENCE / "mrna_features.tsv").set_index("gene_id")
    labels = read(demo_workdir, SEQUENCE / "labels.tsv").set_index("gene_id")
    train = features.loc[labels.index[labels.split == "train"]]
    assert features.shape[1] == 8
    assert np.allclose(train.mean(), 0.0, atol=1e-4)


def test_the_embedding_chunks_cover_every_window_in_order(demo_workdir: Path) -> None:
    folder = demo_workdir / "results" / "embed" / "dnabert6"
    index = read(demo_workdir, "results/embed/dnabert6/chunks.tsv")
    embeddings, genes = gather_chunks(
        [folder / name for name in index.chunk], [folder / name for name in index.genes_file]
    )
    windows = read_windows(demo_workdir / SEQUENCE / "windows.fa.gz")
    assert genes == list(windows)
    assert embeddings.dtype == np.float16
    assert embeddings.shape == (len(windows), 21, 32)  # 10,500 bp in 515-bp segments
    assert np.isfinite(embeddings).all()


def test_a_users_sequence_table_goes_through_the_same_rules(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    rows = [
        f"s{i}\t{''.join(rng.choice(list('ACGT'), size=rng.integers(150, 231)))}\t{i / 10}"
        for i in range(60)
    ]
    table = tmp_path / "library.tsv"
    table.write_text("seq_id\tseq\tmean_value\n" + "\n".join(rows) + "\n")
    workdir = copy_workflow(tmp_path / "workflow")
    config = {
        "inputs": {"sequence_table": str(table)},
        "sequence": {
            "source": "table",
            "table": {"label_columns": ["mean_value"]},
            "split": {"validation_size": 10, "test_size": 10},
        },
        "embed": {"segment_length": 100, "stride": 100, "chunks": 2},
        "demo": {"language_model": {"hidden_size": 16, "num_hidden_layers": 1}},
    }
    (workdir / "byo.yaml").write_text(yaml.safe_dump(config))
    run_snakemake(
        workdir,
        "results/sequence/labels.tsv", "results/embed/dnabert6/chunks.tsv",
        "--cores", "2", "--configfile", "byo.yaml",
    )  # fmt: skip
    labels = read(workdir, SEQUENCE / "labels.tsv")
    assert labels.columns.tolist() == ["gene_id", "split", "mean_value_raw", "mean_value"]
    assert labels.split.value_counts().to_dict() == {"train": 40, "validation": 10, "test": 10}
    windows = read_windows(workdir / SEQUENCE / "windows.fa.gz")
    assert {len(sequence) for sequence in windows.values()} == {230}
    index = read(workdir, "results/embed/dnabert6/chunks.tsv")
    assert index.n_genes.sum() == 60 and set(index.segments) == {3}
    # every sequence model that applies (TExCNN, Xpresso, LegNet, DeepLncLoc) is planned on
    # the table: the sequence alone, no mRNA or TF features, with the schema's 10 seeds (the
    # demo config's 2 do not apply to a config of your own) and a control each
    dry_run = run_snakemake(workdir, "-n", "cis", "--configfile", "byo.yaml")
    plan = dry_run.stdout
    assert plan.count("rule cis_train:") == 4 * 10 + 4 and "dna_mrna" not in plan
    # TExCNN on the demo's random tiny DNABERT says nothing about your sequences: said
    assert "TExCNN reads embeddings of the demo world's tiny random DNABERT-6" in (
        dry_run.stdout + dry_run.stderr
    )
