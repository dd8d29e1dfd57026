"""Glue shared by all rule files (config validation, input paths, final targets)."""

import os
import re
import sys
from pathlib import Path

from cistrans.config import (
    DEFAULT_MODEL_INPUTS,
    PREDICT_MODELS,
    changed_settings,
    fill_table_defaults,
    check_input_files,
    load_schema,
    validate_config,
)
from cistrans.cismodels.models import FEATURE_SETS, ONEHOT_MODELS, model_kind
from cistrans.errors import InputError
from cistrans.io.atlas import (
    analytics_file_name,
    atlas_file_names,
    check_atlas_files,
    read_disease_sheet,
)
from cistrans.io.catalogue import (
    ATLAS_FOLDER,
    MODELS,
    file_path_pattern,
    gwas_table,
    remote_files,
)
from cistrans.data_source import describe_source
from cistrans.trans.selection import selection_grid
from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.sourcecache import LocalSourceFile

SCHEMA = load_schema(workflow.source_path("../config/schema.yaml"))
# Your own sequence table: the settings that train on short libraries fill what your config
# leaves out (sequence.table_defaults: papers keeps the papers' settings).
TABLE_DEFAULTS = "config/table_defaults.yaml"
try:
    TABLE_DEFAULTS_USED = fill_table_defaults(
        config, load_schema(workflow.source_path(f"../{TABLE_DEFAULTS}"))
    )
    validate_config(config, SCHEMA)
    check_input_files(config)
except InputError as error:
    sys.exit(f"cistrans: {error}")


def own_file(path):
    """A file of this workflow (config/diseases.tsv) as a path from the working folder:
    `path` when Snakemake runs here; the path to this checkout's file for a workflow
    that uses this one as a module (a remote module's: its source-cache copy)."""
    rules_folder = workflow.current_basedir
    if not isinstance(rules_folder, LocalSourceFile):
        return workflow.source_path(f"../{path}")
    return os.path.relpath(os.path.join(rules_folder, "..", path))


# Where the settings in force come from (the Snakefile loads the demo's config/config.yaml
# only when no --configfile is given; a workflow that uses this one as a module passes its
# own config), and what they change of the schema's defaults: in the run's log and in
# results/provenance.json.
CONFIG_FILES = [TABLE_DEFAULTS] * TABLE_DEFAULTS_USED + [
    os.path.relpath(path) for path in workflow.configfiles
]
CHANGED_SETTINGS = changed_settings(config, SCHEMA)
DEMO_CONFIG_FILE = os.path.abspath(own_file("config/config.yaml"))
YOUR_CONFIG = bool(workflow.overwrite_configfiles) or [
    os.path.abspath(path) for path in workflow.configfiles
] != [DEMO_CONFIG_FILE]
if YOUR_CONFIG:  # your config: each setting it changes, one per line
    logger.info(
        f"cistrans: settings from {', '.join(CONFIG_FILES) or 'the config passed'} over "
        "the schema's defaults "
        f"(config/schema.yaml, the papers' settings); {len(CHANGED_SETTINGS)} differ from "
        "them:\n"
        + "".join(f"    {key}: {value!r}\n" for key, value in CHANGED_SETTINGS.items())
        + "  every setting in force is written to results/provenance.json (config)"
    )
else:
    logger.info(
        f"cistrans: the demo's settings (config/config.yaml: {len(CHANGED_SETTINGS)} differ "
        "from the schema's defaults); every setting in force is written to "
        "results/provenance.json (config)"
    )


# Priority of the jobs on the longest chain (world -> compendium -> network -> light-up ->
# pruning steps): on few cores Snakemake then starts them first whenever a core frees.
CRITICAL_PATH = 10

DEMO = "resources/demo"
TRUTH = f"{DEMO}/truth"

APPROACHES = config["approaches"]
# The trans models: the network, its linear baseline, and the ensemble when configured.
ENSEMBLE_SIZE = config["trans"]["ensemble"]["size"]
TRANS_MODELS = ["network", "linear"] + (["ensemble"] if ENSEMBLE_SIZE >= 2 else [])

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

# Where each input comes from when the source is download: the real public sources, fetched
# into resources/<source>/ by the download rules (rules/download.smk); versions, URLs and
# checksums from config `download`. REMOTE: input name -> path under DOWNLOAD, URL, checksum.
# DOWNLOAD_PATHS: the paths under DOWNLOAD that rule `download` serves (the catalogue's
# files and any Expression Atlas file); MODEL_NAMES: the model folders of `download_model`.
DOWNLOAD = "resources"
REMOTE = remote_files(config["download"])
DOWNLOAD_PATHS = file_path_pattern(config["download"])
MODEL_NAMES = "|".join(MODELS)
DOWNLOAD_INPUTS = {
    **{name: f"{DOWNLOAD}/{remote.path}" for name, remote in REMOTE.items()},
    "genome_fasta": f"{DOWNLOAD}/{REMOTE['genome_fasta_gz'].path.removesuffix('.gz')}",
    "gwas": f"{DOWNLOAD}/{gwas_table(config['download'])}",
    # the workflow's own sheet, wherever Snakemake runs (this folder, or as a module)
    "disease_sheet": own_file("config/diseases.tsv"),
    "dnabert_model": f"{DOWNLOAD}/models/dnabert6",
    "dnabert2_model": f"{DOWNLOAD}/models/dnabert2",
}
SOURCE_INPUTS = {"demo": DEMO_INPUTS, "download": DOWNLOAD_INPUTS}
# Downloads of each approach, fetched by `download_all` when the approach is enabled.
APPROACH_DOWNLOADS = {
    "trans": ["tf_list", "trrust", "collectri", "dorothea", "gwas", "gtex_median_tpm"],
    "cis": ["genome_fasta", "annotation_gtf", "dnabert_model", "dnabert2_model"],
    "ctxreg": ["genome_fasta", "annotation_gtf"],
}
# Downloads needed only when their expression source is in `expression.sources`.
EXPRESSION_DOWNLOADS = {
    "gtex": ["gtex_tpm", "gtex_reads", "gtex_samples"],
    "archs4": ["archs4"],
}


def warn_demo_language_model():
    """On your own data, a TExCNN that reads the demo world's tiny random DNABERT-6 (no
    inputs.dnabert_model on the demo source) learns nothing about your sequences: say so
    when the workflow is read, with the fix."""
    if "cis" not in APPROACHES or "texcnn" not in config["cis"]["models"]:
        return
    sequence, inputs = config["sequence"], config["inputs"]
    own_sequences = (
        sequence["source"] == "table"
        or {"genome_fasta", "annotation_gtf", "tss_bed", "label_table"} & set(inputs)
        or (
            sequence["labels"]["source"] == "compendium"
            and "custom" in config["expression"]["sources"]
        )
    )
    if config["source"] != "demo" or not own_sequences:
        return
    demo_models = [
        model["name"]
        for model in config["embed"]["models"]
        if "path" not in model
        and DEFAULT_MODEL_INPUTS.get(model["name"]) not in config["inputs"]
    ]
    if demo_models:
        logger.warning(
            f"cistrans: TExCNN reads embeddings of the demo world's tiny random DNABERT-6 "
            f"({DEMO_INPUTS['dnabert_model']}) for your own data: its figures say nothing "
            "about TExCNN (on the DREAM lentiMPRA sample its seeds reach pearson_r2 "
            "0.001-0.002, control 0.0005). Fix: set inputs.dnabert_model to a DNABERT-6 "
            "folder (a local copy of zhihan1996/DNA_bert_6), or leave texcnn out of "
            "cis.models"
        )


def input_file(name):
    """The path of input `name`: the user's file when `inputs` names one, else the source's."""
    if name in config["inputs"]:
        return config["inputs"][name]
    return SOURCE_INPUTS[config["source"]][name]


def demo_accessions():
    """Expression Atlas accessions of the simulated disease comparisons."""
    return [f"E-DEMO-{i + 1}" for i in range(config["demo"]["diseases"]["n_diseases"])]


def atlas_folder():
    """The folder holding the Expression Atlas files of the disease sheet: inputs.atlas_folder,
    else the source's."""
    if "atlas_folder" in config["inputs"]:
        return config["inputs"]["atlas_folder"].rstrip("/")
    root = DEMO if config["source"] == "demo" else DOWNLOAD
    return f"{root}/{ATLAS_FOLDER}"


def check_atlas_folder():
    """Stop before any job runs when the disease sheet names Expression Atlas analytics that
    a local folder lacks: a folder of the user's (inputs.atlas_folder), or the demo's with a
    sheet of the user's (the demo world makes its own accessions' files only). Downloaded
    files are made by the download rules."""
    user_folder = "atlas_folder" in config["inputs"]
    user_sheet = "disease_sheet" in config["inputs"] and config["source"] == "demo"
    sheet = input_file("disease_sheet")
    if "trans" not in APPROACHES or not (user_folder or user_sheet):
        return
    if not Path(sheet).is_file():  # the demo world's sheet, not made yet
        return
    made = (
        []
        if user_folder
        else [analytics_file_name(acc, "") for acc in demo_accessions()]
    )
    try:
        check_atlas_files(sheet, atlas_folder(), made)
    except InputError as error:
        sys.exit(f"cistrans: {error}")


check_atlas_folder()


def download_targets(wildcards=None):
    """Every real input this config's approaches need: what `download_all` fetches (e.g. on
    a login node, before compute nodes without internet run the rest). Each approach fetches
    all of its sources (`APPROACH_DOWNLOADS`, also those its later steps will read); files
    the user gives under `inputs` and expression sources not in use are left out; the
    disease sheet names the Expression Atlas files."""
    names = {name for approach in APPROACHES for name in APPROACH_DOWNLOADS[approach]}
    names |= compendium_input_names()
    names -= {"genome_fasta_gz", "disease_sheet", *config["inputs"]}
    files = [path for name, path in DOWNLOAD_INPUTS.items() if name in names]
    if "trans" not in APPROACHES or "atlas_folder" in config["inputs"]:
        return files
    sheet = config["inputs"].get("disease_sheet", DOWNLOAD_INPUTS["disease_sheet"])
    atlas = atlas_file_names(read_disease_sheet(sheet))
    return files + [f"{DOWNLOAD}/{ATLAS_FOLDER}/{name}" for name in atlas]


def approach_outputs(approach):
    """What the named target `approach` (rule trans, rule cis) builds."""
    if approach == "trans":
        return [
            "results/expression/compendium.h5ad",
            "results/expression/qc/embedding.png",
            "results/expression/qc/sample_qc.png",
            "results/trans/models.tsv",
            "results/trans/models.png",
            "results/trans/pruning/curve.png",
            *map(str, trans_figure_outputs().values()),
        ]
    by_tissue = [
        "results/cis/by_tissue/comparison.tsv",
        "results/cis/by_tissue/profiles.tsv",
        "results/cis/by_tissue/comparison.png",
    ]
    if approach == "ctxreg":
        return [
            "results/ctxreg/clusters/clusters.tsv",
            "results/ctxreg/clusters/umap.png",
            "results/ctxreg/motifs/logos.png",
            "results/ctxreg/grammar/grammar.png",
            "results/ctxreg/grammar/insilico.png",
            *ctxreg_run_files("metrics.tsv"),
            *ctxreg_jaspar_mode_files("metrics.tsv"),
            *ctxreg_jaspar_ridge_files(),
            *synthesis_outputs(),
        ]
    return (
        sequence_outputs()
        + [
            "results/cis/comparison.tsv",
            "results/cis/comparison.png",
            "results/cis/best_predicted_vs_observed.png",
        ]
        + cis_attribution_outputs()
        + (by_tissue if cis_by_tissue_runs() else [])
    )


def synthesis_cis_trans_files():
    """The cis-trans synthesis's tables and figure (rules/synthesis_cis_trans.smk), built with
    the ctxreg approach, whose JASPAR sites it reads, when trans is enabled too and the labels
    have tissues (windows from a genome, labels from the compendium); none otherwise."""
    sequence = config["sequence"]
    if not (
        {"trans", "ctxreg"} <= set(APPROACHES)
        and sequence["source"] == "genome"
        and sequence["labels"]["source"] == "compendium"
    ):
        return []
    return [
        "results/synthesis/cis_trans/metrics.tsv",
        "results/synthesis/cis_trans/predictions.tsv",
        "results/synthesis/cis_trans/comparison.png",
    ]


def final_results():
    """What the default target builds before the provenance record: the configured
    approaches, their summary, what the download source fetches for them, and the demo
    world's overview when the demo world is used."""
    results = [path for approach in APPROACHES for path in approach_outputs(approach)]
    results += ["results/summary.tsv", "results/summary.md"]
    if config["source"] == "download":
        try:
            return download_targets() + results
        except InputError as error:
            sys.exit(f"cistrans: {error}")
    return results + (["results/demo/world_overview.png"] if uses_demo_world() else [])


def synthesis_outputs():
    """The cis–trans synthesis, built with the ctxreg approach when trans is enabled too, on
    a genome (the motif links need genes with both a light-up profile and a promoter): the
    motif links, and cis and trans together (`synthesis_cis_trans_files`)."""
    if not {"trans", "ctxreg"} <= set(APPROACHES):
        return []
    if config["sequence"]["source"] != "genome":
        return []
    return [
        "results/synthesis/motif_targets.png",
        "results/synthesis/motif_importance.png",
        *synthesis_cis_trans_files(),
    ]


def final_outputs():
    """What the default target builds: `final_results` and the run's provenance record."""
    return final_results() + ["results/provenance.json"]


def uses_demo_world():
    """Whether the enabled approaches read any file of the demo world."""
    return config["source"] == "demo" and any(
        name not in config["inputs"] for name in needed_inputs()
    )


def scored_against_truth():
    """Whether the run is wholly on the demo world, so that its truth can score it: the demo
    source and none of your own files under `inputs`."""
    return config["source"] == "demo" and not config["inputs"]


def summary_inputs(wildcards):
    """The tables the summary of every enabled approach reads (`summary_files`)."""
    return summary_files(APPROACHES)


def approach_summary_inputs(wildcards):
    """The tables the summary of one approach's target reads (`summary_files`)."""
    return summary_files([wildcards.approach])


def approach_summary_files(approach):
    """The summary that the named target `approach` (`snakemake trans`) builds of itself."""
    return [f"results/{approach}/summary.tsv", f"results/{approach}/summary.md"]


def run_source(approaches):
    """Where the data of `approaches` come from, in words (`describe_source`)."""
    return describe_source(
        config["source"],
        expression_sources=config["expression"]["sources"],
        sequence_source=config["sequence"]["source"],
        inputs=config["inputs"],
        approaches=approaches,
        demo_world=uses_demo_world(),
    )


def summary_files(approaches):
    """The tables the summary of `approaches` reads: each one's headline tables and, on the
    demo world (`scored_against_truth`), the truth and the outputs it scores."""
    files = {}
    if "trans" in approaches:
        files |= {
            "trans_metrics": "results/trans/network/evaluation/metrics.json",
            "trans_hierarchy": rules.trans_pruning.output.hierarchy,
            "trans_diseases": "results/trans/network/diseases/summary.tsv",
            "trans_better": rules.trans_comparison.output.better,
            "trans_selection": rules.trans_select.output.selection,
        }
    if "cis" in approaches:
        files["cis_comparison"] = rules.cis_comparison.output.comparison
        files["cis_learning_adds"] = rules.cis_comparison.output.learning_adds
    if "ctxreg" in approaches:
        files |= {
            "ctxreg_runs": ctxreg_run_files("metrics.tsv"),
            "ctxreg_matches": rules.ctxreg_motifs.output.matches,
            "ctxreg_cooccurrence": rules.ctxreg_grammar.output.cooccurrence,
            "ctxreg_spacing": rules.ctxreg_grammar.output.spacing,
            "ctxreg_insilico": rules.ctxreg_insilico.output.scan,
        }
    if "ctxreg" in approaches and synthesis_cis_trans_files():
        files["synthesis_cis_trans"] = rules.synthesis_cis_trans.output.metrics
    if (
        "ctxreg" in approaches
        and "results/synthesis/motif_targets.png" in synthesis_outputs()
    ):
        files |= {
            "synthesis_targets": rules.synthesis_motifs.output.targets,
            "synthesis_importance_summary": rules.synthesis_motifs.output.importance_summary,
        }
    if not scored_against_truth():
        return files
    truth = rules.demo_network.output
    if "trans" in approaches:
        files |= {
            "truth_genes": truth.genes,
            "truth_edges": truth.edges,
            "truth_causal": rules.demo_diseases.output.causal,
            "trans_lightup": "results/trans/network/lightup.parquet",
            "trans_rankings": "results/trans/network/diseases/tf_rankings.tsv",
        }
    if "ctxreg" in approaches:
        files |= {
            "truth_genes": truth.genes,
            "truth_motifs": truth.motifs,
            "truth_pair": rules.demo_genome.output.pair,
            "ctxreg_filters": rules.ctxreg_motifs.output.motifs,
            "jaspar_mode": ctxreg_jaspar_mode_files("importance.tsv", control=False),
        }
    return files


def provenance_inputs():
    """The inputs whose checksums the provenance record keeps: the demo world's folder when
    the demo world is used, the real sources the approaches read (`download_targets`) on the
    download source, and your own files under `inputs`."""
    paths = set(config["inputs"].values())
    if uses_demo_world():
        paths.add(DEMO)
    if config["source"] == "download":
        paths |= set(download_targets())
    return sorted(paths)


def benchmark_patterns(wildcards):
    """The benchmark file pattern (wildcard constraints included) of every rule that has one,
    by name; the provenance record assigns each benchmark file to its rule with them."""
    return {
        each.name: str(each.benchmark)
        for each in workflow.rules
        if each.benchmark is not None
    }


def compendium_needed():
    """Whether the enabled approaches read the expression compendium (trans always; cis for
    labels taken from it)."""
    sequence = config["sequence"]
    return "trans" in APPROACHES or (
        sequence["source"] == "genome" and sequence["labels"]["source"] == "compendium"
    )


def compendium_annotation():
    """The GTF the compendium annotates genes with: the user's, or the source's when GTEx or
    ARCHS4 is joined; None for a custom matrix without inputs.annotation_gtf (no type
    filter)."""
    if "annotation_gtf" in config["inputs"]:
        return config["inputs"]["annotation_gtf"]
    if set(config["expression"]["sources"]) & {"gtex", "archs4"}:
        return input_file("annotation_gtf")
    return None


def compendium_input_names():
    """The input names the expression compendium reads, when an enabled approach needs it:
    the TF list, each expression source's files and the GTF it annotates with."""
    if not compendium_needed():
        return set()
    sources = config["expression"]["sources"]
    names = {"tf_list", *(n for s in sources for n in EXPRESSION_DOWNLOADS.get(s, []))}
    if compendium_annotation() is not None:
        names.add("annotation_gtf")
    return names


def needed_inputs():
    """The input names (keys of `inputs` and of the sources) the enabled approaches read."""
    names = compendium_input_names()
    if "trans" in APPROACHES:
        names |= {"disease_sheet", "gwas"}
        names |= {t["format"] for t in config["trans"]["knowledge"] if "path" not in t}
    if {"cis", "ctxreg"} & set(APPROACHES) and config["sequence"]["source"] == "genome":
        names |= {"genome_fasta", "annotation_gtf"}
    if "cis" in APPROACHES and "texcnn" in config["cis"]["models"]:
        names |= {
            DEFAULT_MODEL_INPUTS[model["name"]]
            for model in config["embed"]["models"]
            if "path" not in model
        }
    return names


def sequence_outputs():
    """The cis inputs: windows, labels, mRNA features (genome source), embeddings per model
    (only when TExCNN, which reads them, is among cis.models)."""
    files = ["results/sequence/windows.fa.gz", "results/sequence/labels.tsv"]
    if config["sequence"]["source"] == "genome":
        files += [
            "results/sequence/labels.png",
            "results/sequence/mrna_features.tsv",
            "results/sequence/mrna_features.png",
        ]
    if "texcnn" not in config["cis"]["models"]:
        return files
    return files + [
        f"results/embed/{model['name']}/chunks.tsv"
        for model in config["embed"]["models"]
    ]


def all_cores():
    """The cores given with --cores, for rules that use them all; 1 where none are given
    (`snakemake --report` builds no job but still reads every rule's threads)."""
    try:
        return workflow.cores
    except WorkflowError:
        return 1


def job_threads(threads):
    """Threads of a CPU-heavy job: `threads` from config, or every core when it is 0."""
    return min(threads, all_cores()) if threads else all_cores()


def settings(*keys, exclude=()):
    """The config section at `keys` less `exclude`, sorted so that key order in a config
    file does not trigger reruns (Snakemake compares params as written)."""
    section = config
    for key in keys:
        section = section[key]
    return {k: v for k, v in sorted(section.items()) if k not in exclude}


def pruning_training():
    """The training settings of the pruning steps' networks: trans.training, with the
    early-stopping patience of trans.pruning.patience when that is set."""
    training = settings("trans", "training", exclude=["threads"])
    patience = config["trans"]["pruning"]["patience"]
    return training if patience is None else {**training, "patience": patience}


def custom_expression_inputs(wildcards):
    """The user's own compendium files (the sample sheet only for a TSV/CSV matrix)."""
    files = {"matrix": config["inputs"]["custom_matrix"]}
    if "custom_samples" in config["inputs"]:
        files["samples"] = config["inputs"]["custom_samples"]
    return files


# The network's regularisation grid (trans.selection): one network per point, by name.
SELECTION_GRID = {
    point.name: point for point in selection_grid(**settings("trans", "selection"))
}


def selection_point(network):
    """The point of the selection grid that trans_train's `network` (`network/selection/
    <point>`) trains; None for an ensemble member (`ensemble/seed_<n>`), which reads the
    chosen point from the selection at run time."""
    if network.startswith("ensemble/seed_"):
        return None
    return SELECTION_GRID[network.removeprefix("network/selection/")]


def network_training(wildcards):
    """Training settings of network `network`: the configured ones; a point of the
    selection grid with its weight decay, an ensemble member with its own seed."""
    training = settings("trans", "training", exclude=["threads"])
    point = selection_point(wildcards.network)
    if point is None:
        training["seed"] = int(wildcards.network.removeprefix("ensemble/seed_"))
    else:
        training["weight_decay"] = point.weight_decay
    return training


def network_settings(wildcards):
    """Architecture of network `network`: trans.network, with the dropout of its point of
    the selection grid."""
    network = settings("trans", "network")
    point = selection_point(wildcards.network)
    if point is not None:
        network["dropout"] = point.dropout
    return network


def network_train_inputs(wildcards):
    """The compendium, and for an ensemble member the selection that chose its
    regularisation."""
    files = {"compendium": rules.expression_compendium.output.compendium}
    if selection_point(wildcards.network) is None:
        files["selection"] = rules.trans_select.output.selection
    return files


def linear_baseline_params():
    """The params of trans_linear, the settings its method reads and no more, so that a
    network-only setting never refits the closed-form ridge. ridge: `linear` (its
    penalties); trained: `linear` (the method), `network` without hidden layers and
    `training` (the weight decay comes from the network's selection, an input)."""
    linear = settings("trans", "linear")
    if linear["method"] == "ridge":
        return {"linear": linear}
    return {
        "linear": {"method": linear["method"]},
        "network": {**settings("trans", "network"), "hidden_layers": []},
        "training": settings("trans", "training", exclude=["threads"]),
    }


def linear_baseline_inputs(wildcards):
    """The compendium, and for the trained linear layer the network's selection (it trains
    with the chosen weight decay)."""
    files = {"compendium": rules.expression_compendium.output.compendium}
    if config["trans"]["linear"]["method"] == "trained":
        files["selection"] = rules.trans_select.output.selection
    return files


def ensemble_members():
    """The networks of the ensemble: the single network (seed training.seed) and one more
    per further seed."""
    seed = config["trans"]["training"]["seed"]
    return ["network"] + [f"ensemble/seed_{seed + i}" for i in range(1, ENSEMBLE_SIZE)]


def trans_model_files(wildcards):
    """Weights and sidecars of trans model `model` (several for the ensemble)."""
    members = ensemble_members() if wildcards.model == "ensemble" else [wildcards.model]
    return {
        "weights": [f"results/trans/{member}/model.pt" for member in members],
        "sidecars": [f"results/trans/{member}/model.json" for member in members],
    }


def trans_figure_inputs():
    """The tables each trans model's figures are drawn from, by `<model>_<table>` (the
    outputs of its evaluation, validation and disease rules)."""
    tables = {
        "genes": rules.trans_evaluate.output.genes,
        "metrics": rules.trans_evaluate.output.metrics,
        "validation": rules.trans_validation.output.summary,
        "validation_per_target": rules.trans_validation.output.per_target,
        "diseases": rules.trans_diseases.output.summary,
        "disease_predictions": rules.trans_diseases.output.predictions,
    }
    return {
        f"{model}_{name}": expand(pattern, model=model)[0]
        for model in TRANS_MODELS
        for name, pattern in tables.items()
    }


def trans_figure_outputs():
    """Each trans model's figures (test R², validation, diseases), by `<model>_<figure>`."""
    figures = {}
    for model in TRANS_MODELS:
        root = f"results/trans/{model}"
        for name, path, caption in (
            ("r2", "evaluation/r2_distribution.png", "trans_evaluation"),
            ("validation", "validation/validation.png", "trans_validation"),
            ("diseases", "diseases/predicted_vs_observed.png", "trans_diseases"),
        ):
            figures[f"{model}_{name}"] = report(
                f"{root}/{path}",
                caption=f"../report/{caption}.rst",
                category="Trans",
                subcategory=model,
            )
    return figures


def compendium_inputs(wildcards):
    """The sources, the TF list and, when there is one (`compendium_annotation`), the GTF."""
    files = {
        "sources": expand(
            "results/expression/sources/{source}.h5ad",
            source=config["expression"]["sources"],
        ),
        "tf_list": input_file("tf_list"),
    }
    if compendium_annotation() is not None:
        files["gtf"] = compendium_annotation()
    return files


def previous_importance(wildcards):
    """TF importance that pruning step `n_tfs` starts from: the previous step's, or the full
    network's for the first step."""
    counts = config["trans"]["pruning"]["tf_counts"]
    position = counts.index(int(wildcards.n_tfs))
    if position == 0:
        return "results/trans/network/tf_importance.tsv"
    return f"results/trans/pruning/{counts[position - 1]}/tf_importance.tsv"


def previous_importance_rule(wildcards):
    """The rule that makes the TF importance pruning step `n_tfs` starts from."""
    counts = config["trans"]["pruning"]["tf_counts"]
    return (
        "trans_lightup"
        if counts.index(int(wildcards.n_tfs)) == 0
        else "trans_prune_step"
    )


def knowledge_settings(name=None):
    """The `trans.knowledge` table called `name` (the first one when `name` is None)."""
    tables = config["trans"]["knowledge"]
    if name is None:
        return tables[0]
    for table in tables:
        if table["name"] == name:
            return table
    sys.exit(
        f"cistrans: config key 'trans.pruning.knowledge': no table {name!r} in trans.knowledge. "
        f"Fix: use one of {', '.join(table['name'] for table in tables)}"
    )


def knowledge_params(table):
    """A `trans.knowledge` table's settings less its `path`, which the rules that read
    the table take as an input (a new path reruns them through the input trigger)."""
    return {key: value for key, value in sorted(table.items()) if key != "path"}


def knowledge_table(name=None):
    """The file of knowledge table `name`: its `path`, else the source's table of its format
    (inputs.trrust, inputs.collectri or inputs.dorothea, or the download of that name).
    """
    table = knowledge_settings(name)
    if "path" in table:
        return table["path"]
    if (
        table["format"] in config["inputs"]
        or table["format"] in SOURCE_INPUTS[config["source"]]
    ):
        return input_file(table["format"])
    sys.exit(
        f"cistrans: config key 'trans.knowledge' (table {table['name']!r}): no path, and the "
        f"{config['source']} source has no {table['format']} table. Fix: give the table's "
        f"path, or set inputs.{table['format']}"
    )


def knowledge_tables(wildcards):
    """The TF-target tables of `trans.knowledge`, by name, each of its own format."""
    return {
        f"table_{table['name']}": knowledge_table(table["name"])
        for table in config["trans"]["knowledge"]
    }


def disease_analytics(wildcards):
    """The Expression Atlas analytics files that the disease sheet names."""
    user_files = {"disease_sheet", "atlas_folder"} & set(config["inputs"])
    if config["source"] == "demo" and not user_files:
        return rules.demo_diseases.output.analytics
    names = atlas_file_names(read_disease_sheet(input_file("disease_sheet")))
    return [
        f"{atlas_folder()}/{name}" for name in names if name.endswith("-analytics.tsv")
    ]


def cis_inputs(wildcards):
    """The cis inputs a cis model reads: labels and windows, and the mRNA features when the
    windows come from a genome."""
    files = {
        "labels": "results/sequence/labels.tsv",
        "windows": "results/sequence/windows.fa.gz",
    }
    if config["sequence"]["source"] == "genome":
        files["mrna"] = "results/sequence/mrna_features.tsv"
    return files


def cis_feature_sets(kind):
    """The feature sets of sequence model `kind` that the inputs allow: mRNA features need
    windows from a genome; TF features need the trans approach too."""
    genome = config["sequence"]["source"] == "genome"
    return [
        features
        for features in FEATURE_SETS[kind]
        if (genome or "mrna" not in features)
        and ("trans" in APPROACHES or "tf" not in features)
    ]


def cis_model_names():
    """The sequence models of `cis.models` by run name: TExCNN once per embedding model."""
    names = []
    for kind in config["cis"]["models"]:
        if kind == "texcnn":
            names += [f"texcnn_{model['name']}" for model in config["embed"]["models"]]
        else:
            names.append(kind)
    return names


def cis_runs(kinds=None, features=None):
    """(model, features, run) of every cis_train job: each feature set × seed, and one
    permuted-label control per model on its fullest feature set (with the first seed).
    `kinds` and `features`, when given, keep only those models and feature sets (the
    cell-type mode's cis.by_tissue).
    """
    runs = []
    for name in cis_model_names():
        kind = model_kind(name)
        sets = [f for f in cis_feature_sets(kind) if features is None or f in features]
        if (kinds is not None and kind not in kinds) or not sets:
            continue
        runs += [
            (name, f, f"seed_{seed}") for f in sets for seed in config["cis"]["seeds"]
        ]
        runs.append((name, sets[-1], "control"))
    return runs


def cis_run_files(table):
    """The `table` (metrics, predictions) of every cis_train job."""
    return [f"results/cis/{m}/{f}/{run}/{table}.tsv" for m, f, run in cis_runs()]


def cis_attribution_runs():
    """The runs cis_attributions chooses its model among, as `model/dna/seed_n`, every
    observed-label `dna` run of the one-hot models of cis.models (none without one)."""
    return [
        f"{m}/{f}/{run}"
        for m, f, run in cis_runs()
        if model_kind(m) in ONEHOT_MODELS and f == "dna" and run != "control"
    ]


def cis_attribution_inputs(wildcards):
    """What cis_attributions reads, the one-hot codes, the labels (the test genes), each
    candidate run's history and weights, and the JASPAR motifs of ctxreg_jaspar."""
    runs = cis_attribution_runs()
    return {
        "codes": "results/cis/inputs/onehot.npy",
        "code_genes": "results/cis/inputs/onehot.genes.tsv",
        "labels": "results/sequence/labels.tsv",
        "histories": [f"results/cis/{run}/history.tsv" for run in runs],
        "weights": [f"results/cis/{run}/model.pt" for run in runs],
        "jaspar": rules.ctxreg_jaspar.output.motifs,
    }


def cis_attribution_settings():
    """The config section cis.<kind> of each one-hot model that cis_attributions may
    rebuild, by kind."""
    kinds = sorted({run.split("/")[0] for run in cis_attribution_runs()})
    return {kind: settings("cis", kind) for kind in kinds}


def cis_attribution_outputs():
    """The motifs of the best one-hot model (cis_attributions and its logos), when
    cis.models has a one-hot model."""
    if not cis_attribution_runs():
        return []
    return [
        "results/cis/attributions/motifs.tsv",
        "results/cis/attributions/motifs.png",
    ]


def cis_by_tissue_runs():
    """(model, features, run) of every cis_train_by_tissue job: `cis_runs` of the models and
    feature sets in cis.by_tissue; none for your own sequence table (it has no tissues).
    """
    if config["sequence"]["source"] == "table":
        return []
    return cis_runs(
        config["cis"]["by_tissue"]["models"], config["cis"]["by_tissue"]["features"]
    )


def cis_by_tissue_files(table):
    """The `table` (metrics, predictions) of every cis_train_by_tissue job."""
    return [
        f"results/cis/by_tissue/{m}/{f}/{run}/{table}.tsv"
        for m, f, run in cis_by_tissue_runs()
    ]


def cis_by_tissue_inputs(wildcards):
    """What one cis_train_by_tissue job reads: those of cis_train and the tissue labels."""
    return {
        **cis_train_inputs(wildcards),
        "by_tissue": "results/sequence/labels_by_tissue.tsv",
    }


def cis_train_inputs(wildcards):
    """What one cis_train job reads: the labels, the mRNA and TF features its feature set
    names, and its model's inputs (embedding chunks, one-hot codes or Word2Vec vectors).
    """
    files = {"labels": "results/sequence/labels.tsv"}
    if "mrna" in wildcards.features:
        files["mrna"] = "results/sequence/mrna_features.tsv"
    if "tf" in wildcards.features:
        files["tf_features"] = "results/cis/inputs/tf_features.tsv"
    kind = model_kind(wildcards.model)
    if kind == "texcnn":
        embedding = wildcards.model.removeprefix("texcnn_")
        files["embeddings"] = gather.embed(
            f"results/embed/{embedding}/chunk_{{scatteritem}}.npy"
        )
        files["embedding_genes"] = gather.embed(
            f"results/embed/{embedding}/chunk_{{scatteritem}}.genes.tsv"
        )
        files["index"] = f"results/embed/{embedding}/chunks.tsv"
    elif kind in ONEHOT_MODELS:
        files["codes"] = "results/cis/inputs/onehot.npy"
        files["code_genes"] = "results/cis/inputs/onehot.genes.tsv"
    else:
        files["vectors"] = "results/cis/inputs/word2vec.npy"
        files["vector_genes"] = "results/cis/inputs/word2vec.genes.tsv"
    return files


def window_crop(section):
    """The part of the window that config section `section` (cis, ctxreg) names in its
    `window` for `crop_bounds`, or None: the whole window (both ends unset, or your own
    sequence table, which has no TSS)."""
    sequence, window = config["sequence"], config[section]["window"]
    if sequence["source"] == "table":
        return None
    if window["upstream"] is None and window["downstream"] is None:
        return None
    return {
        "window_upstream": sequence["upstream"],
        "length": sequence["upstream"] + sequence["downstream"],
        "upstream": window["upstream"],
        "downstream": window["downstream"],
        "key": f"{section}.window",
    }


def model_window(section, kind=None):
    """How the sequences a model of config section `section` (cis, ctxreg) reads were cut,
    for its sidecar: the genome window around the TSS and the part of it `window_crop`
    keeps (none for TExCNN, which reads the whole window's embeddings), or your own
    sequence table, read whole."""
    sequence = config["sequence"]
    if sequence["source"] == "table":
        return {"source": "table"}
    return {
        "source": "genome",
        "upstream": sequence["upstream"],
        "downstream": sequence["downstream"],
        "crop": None if kind == "texcnn" else window_crop(section),
    }


def ctxreg_network_settings():
    """The config section ctxreg less what does not shape or train the network."""
    return settings(
        "ctxreg",
        exclude=(
            "clusters",
            "grammar",
            "jaspar_release",
            "jaspar_mode",
            "match_q_value",
            "window",
        ),
    )


def ctxreg_jaspar_mode_settings():
    """What shapes and trains the JASPAR mode: ctxreg's context and l1, and its own
    training (ctxreg.jaspar_mode.training)."""
    section = config["ctxreg"]
    return {
        "context": settings("ctxreg", "context"),
        "l1": section["l1"],
        "training": dict(sorted(section["jaspar_mode"]["training"].items())),
    }


def ctxreg_length_key():
    """What sets the length of the sequences contextual regression reads, for errors."""
    if config["sequence"]["source"] == "table":
        return "your own sequence table (read whole)"
    return "config key 'ctxreg.window'"


def ctxreg_seed_runs():
    """The ctxreg_train jobs on observed labels, one per seed of cis.seeds."""
    return [f"seed_{seed}" for seed in config["cis"]["seeds"]]


def ctxreg_seed_files(name):
    """File `name` of every ctxreg_train job on observed labels."""
    return [f"results/ctxreg/{run}/{name}" for run in ctxreg_seed_runs()]


def ctxreg_run_files(name):
    """File `name` of every ctxreg_train job: each seed and the permuted-label control."""
    return [f"results/ctxreg/{run}/{name}" for run in [*ctxreg_seed_runs(), "control"]]


def ctxreg_jaspar_mode_files(name, control=True):
    """File `name` of every ctxreg_jaspar_mode job (each seed, and the permuted-label
    control unless not `control`), none unless ctxreg.jaspar_mode.enabled."""
    if not config["ctxreg"]["jaspar_mode"]["enabled"]:
        return []
    runs = [*ctxreg_seed_runs(), "control"] if control else ctxreg_seed_runs()
    return [f"results/ctxreg/jaspar_mode/{run}/{name}" for run in runs]


def ctxreg_jaspar_ridge_files():
    """The JASPAR mode's baseline (ridge on the site counts), none unless
    ctxreg.jaspar_mode.enabled."""
    if not config["ctxreg"]["jaspar_mode"]["enabled"]:
        return []
    return ["results/ctxreg/jaspar_mode/ridge/metrics.tsv"]


def ctxreg_jaspar_mode_figure():
    """The JASPAR mode's figure of ctxreg_figures, none unless ctxreg.jaspar_mode.enabled."""
    if not config["ctxreg"]["jaspar_mode"]["enabled"]:
        return {}
    figure = report(
        "results/ctxreg/jaspar_mode/importance.png",
        caption="../report/ctxreg_jaspar_mode.rst",
        category="Contextual regression",
    )
    return {"importance": figure}


def stem_motifs_release(wildcards):
    """The JASPAR release that seeds LegNet's stem (ctxreg.jaspar_release) when
    cis.legnet.stem_motifs asks for motifs, else None (no other run reads it)."""
    kind = model_kind(wildcards.model)
    if kind == "legnet" and config["cis"]["legnet"]["stem_motifs"]:
        return config["ctxreg"]["jaspar_release"]
    return None


def cis_seed(wildcards):
    """The seed of a cis_train job: seed_N → N; a control takes the first of cis.seeds."""
    if wildcards.run == "control":
        return config["cis"]["seeds"][0]
    return int(wildcards.run.removeprefix("seed_"))


def cis_windows():
    """The windows the cis models read, for the comparison table: `whole`, the window
    (`-upstream..+downstream`, or `own sequences` for a sequence table), and `cropped`, the
    part of it in cis.window that the one-hot models and the k-mer ridge read, and `ctxreg`,
    the part in ctxreg.window."""
    sequence, window = config["sequence"], config["cis"]["window"]
    if sequence["source"] == "table":
        own = "own sequences"
        return {"whole": own, "cropped": own, "ctxreg": own}
    whole = f"-{sequence['upstream']}..+{sequence['downstream']}"
    upstream = (
        sequence["upstream"] if window["upstream"] is None else window["upstream"]
    )
    downstream = (
        sequence["downstream"] if window["downstream"] is None else window["downstream"]
    )
    ctxreg = config["ctxreg"]["window"]
    return {
        "whole": whole,
        "cropped": f"-{upstream}..+{downstream}",
        "ctxreg": f"-{ctxreg['upstream']}..+{ctxreg['downstream']}",
    }


def tss_inputs(wildcards):
    """The GTF, and the user's TSS BED when `inputs.tss_bed` names one."""
    files = {"gtf": input_file("annotation_gtf")}
    if "tss_bed" in config["inputs"]:
        files["tss_bed"] = config["inputs"]["tss_bed"]
    return files


def label_inputs(wildcards):
    """Where the gene labels come from: the compendium, or the user's label table."""
    if config["sequence"]["labels"]["source"] == "table":
        return {"label_table": config["inputs"]["label_table"]}
    return {"compendium": rules.expression_compendium.output.compendium}


def sequence_table_inputs(wildcards):
    """The user's own sequences: a sequence table, or a FASTA with its label table."""
    inputs = config["inputs"]
    if "sequence_table" in inputs:
        return {"sequence_table": inputs["sequence_table"]}
    return {"fasta": inputs["sequence_fasta"], "labels": inputs["sequence_labels"]}


def embedding_model(name):
    """The `embed.models` entry called `name`, its path filled in from the source."""
    for model in config["embed"]["models"]:
        if model["name"] == name:
            if "path" in model:
                return model
            return {**model, "path": input_file(DEFAULT_MODEL_INPUTS[name])}
    raise ValueError(f"no embedding model {name!r} in config embed.models")


def embedding_model_input(wildcards):
    """The model folder as an input file when it is local (a hub id is fetched at run time)."""
    path = embedding_model(wildcards.model)["path"]
    local = (
        Path(path).exists()
        or path in DEMO_INPUTS.values()
        or path in DOWNLOAD_INPUTS.values()
    )
    return {"model": path} if local else {}


def embedding_model_settings(wildcards):
    """Path and loading options of the model, for the embedding job's params."""
    return embedding_model(wildcards.model)


def predict_table_name():
    """predict.sequence_table's file name less .gz and its table suffix (the folder of its
    predictions)."""
    table = config["predict"]["sequence_table"]
    if table is None:
        return "none"
    name = Path(table).name.removesuffix(".gz")
    for suffix in (".tsv", ".csv", ".txt"):
        name = name.removesuffix(suffix)
    return re.sub(r"[^\w.-]", "_", name) or "table"


def predict_seed():
    """predict.seed, or the first of cis.seeds."""
    seed = config["predict"]["seed"]
    return config["cis"]["seeds"][0] if seed is None else seed


def predict_outputs(wildcards):
    """What `snakemake predict` builds: the predictions of predict.sequence_table by the
    model of predict.model and predict.seed."""
    if config["predict"]["sequence_table"] is None:
        sys.exit(
            "cistrans: config key 'predict.sequence_table' is not set: `snakemake predict` "
            "scores the sequences of a table of yours. Fix: give it, e.g. --config "
            '"predict={sequence_table: mine.tsv, model: legnet}" (columns id and '
            "sequence, and alternative for variants; see docs/cis.md)"
        )
    model, seed = config["predict"]["model"], predict_seed()
    return [
        f"results/predict/{predict_table_name()}/{model}/seed_{seed}/predictions.tsv"
    ]


def predict_model_files(wildcards):
    """The weights and sidecar of the run that scores: results/cis/<model>/dna/seed_<n>,
    or results/ctxreg/seed_<n> for ctxreg."""
    run = f"seed_{wildcards.seed}"
    if wildcards.model == "ctxreg":
        folder = f"results/ctxreg/{run}"
    else:
        folder = f"results/cis/{wildcards.model}/dna/{run}"
    return {"weights": f"{folder}/model.pt", "sidecar": f"{folder}/model.json"}


warn_demo_language_model()
