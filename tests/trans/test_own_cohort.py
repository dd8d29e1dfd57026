"""The trans approach on your own cohort: a symbol-keyed TSV matrix with no GTF and no
genome, your own Expression Atlas folder and a GWAS table of traits and genes only, run as
`snakemake trans` in a fresh workflow copy with no demo world."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import anndata as ad
import pandas as pd
import pytest
import yaml

from cistrans.io.gct import read_gct
from cistrans.io.gtex import read_sample_attributes
from cistrans.io.gwas import read_gwas_associations
from tests.conftest import copy_workflow, run_snakemake

pytestmark = pytest.mark.workflow

MODELS = ("network", "linear")


def own_files(world: Path, folder: Path) -> dict[str, str]:
    """A user's files, made from the reduced demo world's: GTEx TPMs keyed by symbol as a
    genes × samples TSV with a sample sheet, the TF list, TRRUST, the disease sheet with its
    Atlas folder, and the GWAS associations cut down to trait and gene."""
    folder.mkdir()
    gct = read_gct(world / "gtex" / "GTEx_demo_gene_tpm.gct.gz")
    matrix = pd.DataFrame(gct.values, index=pd.Index(gct.descriptions, name="gene"),
                          columns=gct.sample_ids)  # fmt: skip
    matrix = matrix[~matrix.index.duplicated()]
    matrix.to_csv(folder / "cohort.tsv", sep="\t")
    attributes = read_sample_attributes(world / "gtex" / "GTEx_demo_SampleAttributesDS.txt")
    attributes = attributes.set_index("SAMPID").loc[gct.sample_ids]
    pd.DataFrame(
        {
            "sample": gct.sample_ids,
            "tissue": attributes.SMTS.to_numpy(),
            "series": ["-".join(s.split("-")[:2]) for s in gct.sample_ids],  # the donor
        }
    ).to_csv(folder / "samples.tsv", sep="\t", index=False)
    shutil.copytree(world / "diseases" / "atlas", folder / "atlas")
    shutil.copy(world / "diseases" / "diseases.tsv", folder / "diseases.tsv")
    shutil.copy(world / "knowledge" / "DatabaseExtract_demo.csv", folder / "tfs.csv")
    shutil.copy(world / "knowledge" / "trrust_demo.human.tsv", folder / "trrust.tsv")
    gwas = read_gwas_associations(world / "gwas" / "gwas_catalog_demo_associations.tsv")
    pd.DataFrame(
        [(trait, gene) for trait, genes in zip(gwas.trait, gwas.genes, strict=True)
         for gene in genes], columns=["trait", "gene"],
    ).to_csv(folder / "trait_genes.tsv", sep="\t", index=False)  # fmt: skip
    return {
        "custom_matrix": str(folder / "cohort.tsv"),
        "custom_samples": str(folder / "samples.tsv"),
        "tf_list": str(folder / "tfs.csv"),
        "trrust": str(folder / "trrust.tsv"),
        "disease_sheet": str(folder / "diseases.tsv"),
        "atlas_folder": str(folder / "atlas"),
        "gwas": str(folder / "trait_genes.tsv"),
    }


@pytest.fixture(scope="module")
def cohort_run(reduced_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cohort")
    inputs = own_files(reduced_run / "resources" / "demo", root / "mine")
    workdir = copy_workflow(root / "workflow")
    # the user's files and what this small cohort needs (its 30 TFs, 40 samples); every
    # other setting is the schema's default, not the demo's tuning
    config = {
        "approaches": ["trans"],
        "inputs": inputs,
        "expression": {
            "sources": ["custom"],
            "custom_values": "tpm",
            "split": {"validation_fraction": 0.2, "test_fraction": 0.2},
        },
        "trans": {
            "pruning": {"tf_counts": [10]},
            "linear": {"method": "trained"},  # ridge, the default, runs on the demo
            # two of the schema's 3 x 2 grid keep the suite short (a real config plans all
            # six: tests/download/test_configs.py)
            "selection": {"weight_decay": [0.0]},
        },
    }
    (workdir / "cohort.yaml").write_text(yaml.safe_dump(config))
    run = run_snakemake(
        workdir, "trans", "results/provenance.json", "--cores", "2", "--configfile", "cohort.yaml"
    )
    output = run.stdout + run.stderr
    jobs = output.split("Job stats:", 1)[1].split("total", 1)[0]
    assert "demo_" not in jobs and "sequence_" not in jobs and "embed_" not in jobs
    (workdir / "snakemake.log").write_text(output)
    return workdir


def test_your_config_trains_with_the_schemas_settings_not_the_demos(cohort_run: Path) -> None:
    """Nothing of config/config.yaml (the demo's batch 256, rate 0.003, weight decay 1e-4,
    pruning patience 10) reaches a config of your own: the sidecars and the provenance
    record hold the schema's defaults, and the log and the record name your file."""
    trans = cohort_run / "results" / "trans"
    defaults = {"batch_size": 64, "learning_rate": 0.001, "patience": 20}
    for sidecar in ("network/model.json", "linear/model.json", "pruning/10/model.json"):
        training = json.loads((trans / sidecar).read_text())["training"]
        assert {key: training[key] for key in defaults} == defaults, sidecar
    # the grid of weight decay x the schema's dropouts, each its own network, the best on
    # validation read by the pruning steps and the trained linear layer
    selection = json.loads((trans / "network" / "selection.json").read_text())
    grid = {(point["weight_decay"], point["dropout"]) for point in selection["grid"]}
    assert grid == {(0.0, 0.1), (0.0, 0.3)}
    chosen = selection["chosen"]
    linear = json.loads((trans / "linear" / "model.json").read_text())
    assert linear["training"]["weight_decay"] == chosen["weight_decay"]
    for sidecar in ("network/model.json", "pruning/10/model.json"):
        record = json.loads((trans / sidecar).read_text())
        assert record["training"]["weight_decay"] == chosen["weight_decay"], sidecar
        assert record["architecture"]["dropout"] == chosen["dropout"], sidecar
    record = json.loads((cohort_run / "results" / "provenance.json").read_text())
    assert record["config_files"] == ["cohort.yaml"]
    settings = record["config"]["trans"]
    assert {key: settings["training"][key] for key in defaults} == defaults
    assert settings["training"]["threads"] == 0 and settings["pruning"]["patience"] is None
    changed = set(record["settings_changed_from_defaults"])
    assert {"approaches", "trans.pruning.tf_counts", "expression.sources"} <= changed
    assert not {key for key in changed if key.startswith(("trans.training", "cis.", "ctxreg."))}
    log = (cohort_run / "snakemake.log").read_text()
    assert "cistrans: settings from cohort.yaml over the schema's defaults" in log
    listed = log.split("differ from them:", 1)[1].split("every setting in force", 1)[0]
    assert "    trans.pruning.tf_counts: [10]" in listed and "training" not in listed


def test_snakemake_trans_writes_the_summary_of_your_cohort(cohort_run: Path) -> None:
    for summary in ("results/trans/summary.md", "results/summary.md"):
        markdown = (cohort_run / summary).read_text()
        assert "Source: expression: your own cohort (inputs.custom_matrix: " in markdown
        assert "cohort.tsv); your own files: inputs.atlas_folder" in markdown
        assert "demo" not in markdown.split("\n")[2] and "## trans" in markdown
    table = pd.read_csv(cohort_run / "results" / "trans" / "summary.tsv", sep="\t")
    assert set(table.approach) == {"trans"}


def test_your_own_cohort_runs_trans_without_a_demo_world_or_a_cis_step(cohort_run: Path) -> None:
    assert not (cohort_run / "resources").exists()
    assert not (cohort_run / "results" / "sequence").exists()
    assert not (cohort_run / "results" / "embed").exists()
    assert not (cohort_run / "results" / "demo").exists()


def test_every_trans_output_is_there_for_every_model(cohort_run: Path) -> None:
    trans = cohort_run / "results" / "trans"
    for model in MODELS:
        for relative in (
            "evaluation/metrics.json", "evaluation/per_gene_r2.tsv",
            "evaluation/r2_distribution.png", "lightup.parquet", "tf_importance.tsv",
            "validation/summary.tsv", "validation/per_target.tsv", "validation/validation.png",
            "diseases/summary.tsv", "diseases/tf_rankings.tsv", "diseases/predictions.tsv",
            "diseases/predicted_vs_observed.png",
        ):  # fmt: skip
            assert (trans / model / relative).stat().st_size > 0, f"{model}/{relative}"
    for relative in ("models.tsv", "models.png", "pruning/curve.tsv", "pruning/core_tfs.tsv",
                     "pruning/hierarchy_test.json", "pruning/curve.png"):  # fmt: skip
        assert (trans / relative).stat().st_size > 0, relative
    models = pd.read_csv(trans / "models.tsv", sep="\t")
    assert models.model.tolist() == list(MODELS)
    assert models.explained_variance.notna().all()
    linear = json.loads((trans / "linear" / "model.json").read_text())
    assert "ridge" not in linear and linear["architecture"]["hidden_layers"] == []
    assert linear["training"]["epochs_run"] >= 1  # trans.linear.method: trained
    hierarchy = json.loads((trans / "pruning" / "hierarchy_test.json").read_text())
    assert {"mann_whitney_p", "permutation_p", "share_with_known_targets_retained"} <= set(
        hierarchy
    )


def test_symbols_are_the_genes_and_every_disease_is_scored(cohort_run: Path) -> None:
    compendium = ad.read_h5ad(cohort_run / "results" / "expression" / "compendium.h5ad")
    assert not compendium.var_names.str.startswith("ENSG").any()
    assert compendium.var.is_tf.sum() >= 20
    log = (cohort_run / "logs" / "expression" / "compendium.log").read_text()
    assert "gene type filter (protein_coding) is skipped" in log
    sheet = pd.read_csv(cohort_run.parent / "mine" / "diseases.tsv", sep="\t")
    summary = pd.read_csv(cohort_run / "results" / "trans" / "network" / "diseases" /
                          "summary.tsv", sep="\t")  # fmt: skip
    per_disease = summary[summary.disease != "pooled"]
    assert len(per_disease) == len(sheet)
    assert per_disease.rho.notna().all() and (per_disease.trait_genes > 0).all()
    assert set(per_disease.gwas_test) <= {"tested", "no trait TF"}
