"""The provenance record's parts: config hash and seeds, checksums, and the benchmark files
read into jobs by rule and each rule's share (the end-to-end benchmark's table)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cistrans.errors import InputError
from cistrans.io.records import read_benchmarks, read_dependencies
from cistrans.provenance import (
    benchmark_jobs,
    config_hash,
    config_seeds,
    input_checksums,
    package_versions,
    rule_shares,
)

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
# The demo's patterns, as the rules declare them (wildcard constraints included).
PATTERNS = {
    "trans_train": "benchmarks/results/trans/train_{network,network|ensemble/seed_\\d+}.tsv",
    "trans_prune_step": "benchmarks/results/trans/prune_{n_tfs,\\d+}.tsv",
    "cis_train": "benchmarks/results/cis/{model,texcnn_[A-Za-z0-9_-]+|xpresso|deeplncloc}/"
    "{features,dna|dna_mrna|dna_mrna_tf}/{run,seed_\\d+|control}.tsv",
    "cis_train_by_tissue": "benchmarks/results/cis/by_tissue/"
    "{model,texcnn_[A-Za-z0-9_-]+|xpresso|deeplncloc}/{features,dna|dna_mrna|dna_mrna_tf}/"
    "{run,seed_\\d+|control}.tsv",
    "cis_comparison": "benchmarks/results/cis/comparison.tsv",
    "summary": "benchmarks/results/summary.tsv",
}


def write_benchmark(folder: Path, relative: str, seconds: float, rss: float) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{HEADER}{seconds}\t0:00:01\t{rss}\t1\t1\t1\t0\t0\t50\t{seconds / 2}\n")


@pytest.fixture
def benchmarks(tmp_path: Path) -> Path:
    """A run's folder with benchmark files of several rules, one from a removed rule."""
    folder = tmp_path / "benchmarks" / "results"
    for relative, seconds, rss in [
        ("trans/train_network.tsv", 30, 400),
        ("trans/train_ensemble/seed_1.tsv", 20, 450),
        ("trans/prune_25.tsv", 10, 300),
        ("cis/xpresso/dna/seed_0.tsv", 15, 200),
        ("cis/by_tissue/texcnn_dnabert6/dna_mrna_tf/control.tsv", 5, 250),
        ("cis/comparison.tsv", 1, 100),
        ("summary.tsv", 2, 150),
        ("old/removed_rule.tsv", 17, 999),
    ]:
        write_benchmark(folder, relative, seconds, rss)
    return tmp_path


def test_benchmark_files_go_to_their_rules_and_shares_sum_to_one(benchmarks: Path) -> None:
    tables = read_benchmarks(benchmarks / "benchmarks" / "results", root=benchmarks)
    jobs = benchmark_jobs(tables, PATTERNS).set_index("benchmark")
    rule = jobs.rule.to_dict()
    assert rule["benchmarks/results/trans/train_ensemble/seed_1.tsv"] == "trans_train"
    assert rule["benchmarks/results/cis/xpresso/dna/seed_0.tsv"] == "cis_train"
    # the by-tissue file is not a cis_train job (its model would be "by_tissue/...")
    assert (
        rule["benchmarks/results/cis/by_tissue/texcnn_dnabert6/dna_mrna_tf/control.tsv"]
        == "cis_train_by_tissue"
    )
    assert rule["benchmarks/results/cis/comparison.tsv"] == "cis_comparison"
    assert rule["benchmarks/results/summary.tsv"] == "summary"
    assert rule["benchmarks/results/old/removed_rule.tsv"] == ""
    assert jobs.at["benchmarks/results/trans/prune_25.tsv", "cpu_seconds"] == 5
    shares = rule_shares(jobs.reset_index()[jobs.reset_index().rule != ""])
    assert shares.rule.tolist()[:2] == ["trans_train", "cis_train"]
    top = shares.iloc[0]
    assert (top.jobs, top.seconds, top.max_rss_mb) == (2, 50, 450)
    assert shares.share.sum() == pytest.approx(1.0)
    assert top.share == pytest.approx(50 / 83)


def test_a_damaged_benchmark_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "x.tsv").write_text("a\tb\n1\t2\n")
    with pytest.raises(InputError, match="x.tsv.*not a Snakemake benchmark table"):
        read_benchmarks(tmp_path, root=tmp_path)


def test_the_config_hash_ignores_key_order_and_the_seeds_are_all_found() -> None:
    first = {"demo": {"seed": 1, "network": {"n_tfs": 150}}, "cis": {"seeds": [0, 1]}}
    second = {"cis": {"seeds": [0, 1]}, "demo": {"network": {"n_tfs": 150}, "seed": 1}}
    assert config_hash(first) == config_hash(second)
    assert config_hash(first) != config_hash({**first, "cis": {"seeds": [0]}})
    assert config_seeds({**first, "trans": {"knowledge": [{"name": "t", "seed": 3}]}}) == {
        "demo.seed": 1,
        "cis.seeds": [0, 1],
        "trans.knowledge[0].seed": 3,
    }


def test_checksums_cover_every_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "world" / "truth").mkdir(parents=True)
    (tmp_path / "world" / "a.txt").write_bytes(b"a")
    (tmp_path / "world" / "truth" / "b.txt").write_bytes(b"b")
    sums = input_checksums([tmp_path / "world"])
    assert sums == {
        str(tmp_path / "world" / "a.txt"): hashlib.sha256(b"a").hexdigest(),
        str(tmp_path / "world" / "truth" / "b.txt"): hashlib.sha256(b"b").hexdigest(),
    }
    with pytest.raises(InputError, match="input not found"):
        input_checksums([tmp_path / "missing"])


def test_package_versions_of_the_project_dependencies() -> None:
    requirements = read_dependencies(Path(__file__).parents[1] / "pyproject.toml")
    versions = package_versions([*requirements, "no-such-package>=1"])
    assert versions["pandas"] and versions["memelite"]
    assert versions["no-such-package"] is None
