"""Glue shared by all rule files (config validation, input paths, final targets)."""

import sys

from cistrans.config import check_input_files, load_schema, validate_config
from cistrans.errors import InputError

try:
    validate_config(config, load_schema(workflow.source_path("../config/schema.yaml")))
    check_input_files(config)
except InputError as error:
    sys.exit(f"cistrans: {error}")


DEMO = "resources/demo"
TRUTH = f"{DEMO}/truth"

# Where each input comes from when the source is the demo world.
DEMO_INPUTS = {
    "gtex_tpm": f"{DEMO}/gtex/GTEx_demo_gene_tpm.gct.gz",
    "gtex_samples": f"{DEMO}/gtex/GTEx_demo_SampleAttributesDS.txt",
    "archs4": f"{DEMO}/archs4/human_gene_demo.h5",
    "genome_fasta": f"{DEMO}/genome/genome.fa",
    "annotation_gtf": f"{DEMO}/genome/annotation.gtf.gz",
    "tf_list": f"{DEMO}/knowledge/DatabaseExtract_demo.csv",
    "trrust": f"{DEMO}/knowledge/trrust_demo.human.tsv",
    "disease_sheet": f"{DEMO}/diseases/diseases.tsv",
    "gwas": f"{DEMO}/gwas/gwas_catalog_demo_associations.tsv",
    "dnabert_model": f"{DEMO}/models/dnabert6-tiny",
}


def input_file(name):
    """The path of input `name`: the user's file when `inputs` names one, else the source's."""
    return config["inputs"].get(name, DEMO_INPUTS[name])


def demo_accessions():
    """Expression Atlas accessions of the simulated disease comparisons."""
    return [f"E-DEMO-{i + 1}" for i in range(config["demo"]["diseases"]["n_diseases"])]


def final_outputs():
    """Everything `rule all` builds for the configured source."""
    demo_figures = (
        ["results/demo/world_overview.png"] if config["source"] == "demo" else []
    )
    expression = [
        "results/expression/compendium.h5ad",
        "results/expression/qc/embedding.png",
    ]
    return [input_file(name) for name in DEMO_INPUTS] + demo_figures + expression


def settings(*keys, exclude=()):
    """The config section at `keys` less `exclude`, sorted so that key order in a config
    file does not trigger reruns (Snakemake compares params as written)."""
    section = config
    for key in keys:
        section = section[key]
    return {k: v for k, v in sorted(section.items()) if k not in exclude}


def custom_expression_inputs(wildcards):
    """The user's own compendium files (the sample sheet only for a TSV/CSV matrix)."""
    files = {"matrix": config["inputs"]["custom_matrix"]}
    if "custom_samples" in config["inputs"]:
        files["samples"] = config["inputs"]["custom_samples"]
    return files
