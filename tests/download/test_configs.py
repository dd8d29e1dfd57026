"""The real-data configs, the disease sheet and the SLURM profile: valid, and their dry runs
plan complete workflows offline (downloads shown as jobs still to run)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cistrans.config import changed_settings, load_schema, validate_config
from cistrans.io.atlas import atlas_file_names, read_disease_sheet
from cistrans.io.catalogue import remote_files
from tests.conftest import REPO, copy_workflow, run_snakemake
from tests.download.conftest import planned_outputs

pytestmark = pytest.mark.workflow

SCHEMA = load_schema(REPO / "config" / "schema.yaml")
COMMON_DOWNLOADS = {
    "download", "download_genome_decompress", "download_gwas_unzip", "download_model",
}  # fmt: skip
# The catalogue files (by input name) that rule `download` fetches for each real config
# (every source of its approaches, trans and cis; the GWAS Catalog as its full-release zip).
COMMON_FILES = (
    "annotation_gtf", "genome_fasta_gz", "gtex_median_tpm", "tf_list", "trrust", "collectri",
    "dorothea", "gwas_zip",
)  # fmt: skip
FILES = {
    "gtex": (*COMMON_FILES, "gtex_tpm", "gtex_reads", "gtex_samples"),
    "archs4": (*COMMON_FILES, "archs4"),
}
EXPRESSION = {
    "expression_compendium", "expression_qc", "expression_qc_figures", "all", "trans_train",
    "trans_select", "trans_linear", "trans_comparison", "trans_evaluate", "trans_lightup",
    "trans_validation", "trans_prune_step", "trans_pruning",
    "trans_diseases", "trans_figures", "sequence_genes", "sequence_windows", "sequence_labels",
    "sequence_features", "sequence_figures", "embed_chunk", "embed_gather", "cis_baselines",
    "cis_comparison", "cis_figures", "cis_onehot", "cis_word2vec", "cis_tf_features", "cis_train",
    "cis_train_by_tissue", "cis_by_tissue_comparison", "cis_by_tissue_figure", "cis_attributions",
    "cis_attribution_logos", "ctxreg_onehot",
    "ctxreg_jaspar", "ctxreg_train", "ctxreg_motifs", "ctxreg_contributions", "ctxreg_clusters",
    "ctxreg_figures", "ctxreg_sites", "ctxreg_grammar", "ctxreg_insilico",
    "ctxreg_jaspar_mode", "ctxreg_jaspar_ridge", "synthesis_cis_trans",
    "synthesis_cis_trans_figure", "synthesis_motifs", "synthesis_motif_figures", "summary",
    "provenance",
}  # fmt: skip
PLANS = {
    "gtex": COMMON_DOWNLOADS | EXPRESSION | {"expression_gtex"},
    "archs4": COMMON_DOWNLOADS | EXPRESSION | {"expression_archs4"},
}


def planned_jobs(dry_run_output: str) -> dict[str, int]:
    """Rule name -> job count, from the job-stats table of a dry run."""
    table = dry_run_output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(count) for rule, count in re.findall(r"^(\w+)\s+(\d+)\s*$", table, re.M)}


def real_config(name: str) -> dict:
    return yaml.safe_load((REPO / "config" / f"{name}.yaml").read_text())


@pytest.mark.parametrize("name", ["gtex", "archs4"])
def test_a_real_config_is_valid_and_uses_the_download_source(name: str) -> None:
    config = validate_config(real_config(name), SCHEMA)
    assert config["source"] == "download"
    assert config["expression"]["sources"] == [name]
    assert config["expression"]["split"]["mode"] == "series"


def test_the_archs4_config_uses_the_trans_papers_values() -> None:
    archs4 = validate_config(real_config("archs4"), SCHEMA)["expression"]["archs4"]
    assert archs4["normalisation"] == "ln_count"


@pytest.mark.parametrize("name", ["gtex", "archs4"])
def test_a_real_config_plans_a_complete_workflow_offline(name: str, tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path)
    result = run_snakemake(workdir, "-n", "--configfile", f"config/{name}.yaml")
    jobs = planned_jobs(result.stdout)
    assert set(jobs) == PLANS[name]
    assert jobs["trans_train"] == 6  # the schema's 3 x 2 regularisation grid
    sheet = read_disease_sheet(REPO / "config" / "diseases.tsv")
    catalogue = remote_files(validate_config(real_config(name), SCHEMA)["download"])
    expected = [f"resources/{catalogue[file].path}" for file in FILES[name]]
    expected += [f"resources/diseases/atlas/{file}" for file in atlas_file_names(sheet)]
    assert sorted(planned_outputs(result.stdout, "download")) == sorted(expected)
    assert jobs["download"] == len(expected)
    assert jobs["download_model"] == 2
    models = {"gtex": 2, "archs4": 1}[name]  # DNABERT-6 (and DNABERT-2 for gtex)
    assert jobs["embed_gather"] == models
    assert jobs["embed_chunk"] == models * 32
    # the paper's experiment: pruning from 1,000 TFs through ~500 and ~125 down to 30, and the
    # disease comparisons of config/diseases.tsv
    assert jobs["trans_prune_step"] == 6
    for count in (1000, 500, 250, 125, 60, 30):
        assert f"results/trans/pruning/{count}/metrics.json" in result.stdout
    assert jobs["trans_diseases"] == 2  # the network and the ridge, each over the whole sheet
    assert not (workdir / "resources").exists()


def test_a_trans_only_config_fetches_no_genome_and_no_language_model(tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path)
    result = run_snakemake(
        workdir, "-n", "--configfile", "config/gtex.yaml", "--config", "approaches=[trans]"
    )
    jobs = planned_jobs(result.stdout)
    assert "download_model" not in jobs and "download_genome_decompress" not in jobs
    assert not [rule for rule in jobs if rule.startswith(("sequence_", "embed_"))]
    fetched = planned_outputs(result.stdout, "download")
    assert not [path for path in fetched if "genome.fa" in path]
    assert any(path.endswith("gene_tpm.gct.gz") for path in fetched)
    assert any(path.endswith(".gtf.gz") for path in fetched)  # GTEx is read by the GTF's genes


def test_the_disease_sheet_lists_real_atlas_contrasts() -> None:
    sheet = read_disease_sheet(REPO / "config" / "diseases.tsv")
    demo_columns = ["accession", "contrast_id", "disease", "tissue", "gwas_trait"]
    assert list(sheet.columns) == [*demo_columns, "array_design"]
    assert sheet.accession.str.match(r"^E-(GEOD|MTAB|MEXP)-\d+$").all()
    assert sheet.contrast_id.str.match(r"^g\d+_g\d+$").all()
    assert (sheet.gwas_trait != "").all() and (sheet.tissue != "").all()
    assert "E-GEOD-12685_A-AFFY-33-analytics.tsv" in atlas_file_names(sheet)


@pytest.mark.parametrize("config", [[], ["--configfile", "config/gtex.yaml"]])
def test_the_slurm_profile_dry_run_works(config: list[str], tmp_path: Path) -> None:
    pytest.importorskip("snakemake_executor_plugin_slurm", reason="pip install -e '.[test]'")
    workdir = copy_workflow(tmp_path)
    result = run_snakemake(workdir, "--profile", "profiles/slurm", "-n", *config)
    output = result.stdout + result.stderr
    assert "Using profiles profiles/slurm" in output
    assert "slurm_partition=<partition>" in output
    if not config:  # the demo world's small rules run as one group job
        assert "Group job demo" in output


@pytest.mark.parametrize("name", ["gtex", "archs4"])
def test_snakemake_lint_passes_for_a_real_config(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint", "--configfile", f"config/{name}.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Congratulations" in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["gtex", "archs4"])
def test_a_real_config_takes_the_papers_settings_not_the_demos(name: str) -> None:
    """A config of your own starts from the schema's defaults: none of the demo's tuning
    reaches a real config, and the real configs restate no default."""
    demo = changed_settings(validate_config(real_config("config"), SCHEMA), SCHEMA)
    config = validate_config(real_config(name), SCHEMA)
    changed = changed_settings(config, SCHEMA)
    leaked = {key: value for key, value in demo.items() if changed.get(key) == value}
    assert leaked == {}
    assert config["trans"]["selection"] == {
        "weight_decay": [0.0, 0.0001, 0.001],
        "dropout": [0.1, 0.3],
    }
    assert config["cis"]["xpresso"]["filters"] == [128, 32]
    assert config["cis"]["deeplncloc"]["epochs"] == 10
    restated = {key for key in leaves(real_config(name)) if key not in changed}
    assert restated == set()


def leaves(section: dict, prefix: str = "") -> set[str]:
    """Dotted paths of the leaf values of a nested config section."""
    paths = set()
    for key, value in section.items():
        path = f"{prefix}{key}"
        paths |= leaves(value, f"{path}.") if isinstance(value, dict) else {path}
    return paths


def test_the_default_pruning_grid_passes_through_the_papers_claims() -> None:
    """~125 core TFs keep ~80 % of the explained variance; below ~500 it falls fast."""
    counts = validate_config({}, SCHEMA)["trans"]["pruning"]["tf_counts"]
    assert counts == sorted(counts, reverse=True) and {500, 125} <= set(counts)
    assert counts[0] >= 1000 and counts[-1] <= 30
