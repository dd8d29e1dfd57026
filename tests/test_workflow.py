"""The workflow itself: dry runs, a real run on a reduced world, reruns, lint and format."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import (
    DEMO_CONFIG,
    REDUCED,
    REDUCED_TARGETS,
    REPO,
    copy_workflow,
    run_snakemake,
)

DEMO_RULES = {
    "demo_network", "demo_genome", "demo_expression", "demo_knowledge", "demo_diseases",
    "demo_language_model", "demo_overview",
}  # fmt: skip

pytestmark = pytest.mark.workflow  # every test here runs Snakemake


def planned_jobs(dry_run_output: str) -> set[str]:
    """Rule names in the job-stats table of a dry run."""
    return set(re.findall(r"^(demo_\w+|all)\s+\d+\s*$", dry_run_output, flags=re.MULTILINE))


def file_digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_dry_run_of_the_default_config_plans_the_demo_world(tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path)
    result = run_snakemake(workdir, "-n")
    assert planned_jobs(result.stdout) == DEMO_RULES | {"all"}


def job_counts(dry_run_output: str) -> dict[str, int]:
    """Rule name -> job count, from the job-stats table of a dry run."""
    table = dry_run_output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(count) for rule, count in re.findall(r"^(\w+)\s+(\d+)\s*$", table, re.M)}


@pytest.mark.parametrize(
    ("arguments", "absent", "present"),
    [
        (
            ("trans",),
            ("sequence_", "embed_", "demo_language_model"),
            ("trans_figures", "approach_summary"),
        ),
        # the cis target reads the trans network's light-up of the core TFs (TF features)
        (
            ("cis",),
            ("trans_diseases", "trans_validation", "trans_figures"),
            (
                "embed_gather",
                "expression_compendium",
                "trans_pruning",
                "cis_tf_features",
                "approach_summary",
            ),  # fmt: skip
        ),
        (
            ("cis", "--config", "approaches=[cis]"),
            ("trans_", "cis_tf_features"),
            ("cis_train", "cis_word2vec", "cis_onehot"),
        ),
        (
            ("--config", "approaches=[trans]"),
            ("sequence_", "embed_"),
            ("trans_figures", "summary", "provenance"),
        ),
        # contextual regression reads the windows and labels, no embeddings, no trans model
        (
            ("ctxreg", "--config", "approaches=[ctxreg]"),
            ("trans_", "embed_", "cis_train", "demo_language_model"),
            ("ctxreg_train", "ctxreg_figures", "sequence_labels", "approach_summary"),
        ),
    ],
)
def test_each_approach_is_a_target_that_schedules_only_what_it_needs(
    tmp_path: Path, arguments: tuple[str, ...], absent: tuple[str, ...], present: tuple[str, ...]
) -> None:
    workdir = copy_workflow(tmp_path)
    jobs = job_counts(run_snakemake(workdir, "-n", *arguments).stdout)
    assert not [rule for rule in jobs if rule.startswith(absent)], jobs
    assert set(present) <= set(jobs)


def test_every_sequence_model_feature_set_and_seed_is_its_own_job(tmp_path: Path) -> None:
    """The demo: TExCNN (one embedding model) with 3 feature sets, Xpresso with 2, LegNet and
    DeepLncLoc with 1, each × 2 seeds, and one permuted-label control per model; in the
    cell-type mode (cis.by_tissue) TExCNN with the TF features, 2 seeds and a control; a GPU
    resource when the models train on one; no TF feature set without the trans approach."""
    workdir = copy_workflow(tmp_path)
    result = run_snakemake(workdir, "-n", "cis")
    assert job_counts(result.stdout)["cis_train"] == (3 + 2 + 1 + 1) * 2 + 4
    assert job_counts(result.stdout)["cis_train_by_tissue"] == 2 + 1
    assert "results/cis/by_tissue/texcnn_dnabert6/dna_mrna_tf/control/metrics.tsv" in result.stdout
    for run in ("texcnn_dnabert6/dna_mrna_tf/control", "xpresso/dna_mrna/seed_1",
                "legnet/dna/seed_0", "deeplncloc/dna/control"):  # fmt: skip
        assert f"results/cis/{run}/metrics.tsv" in result.stdout
    cuda = run_snakemake(workdir, "-n", "cis", "--config", "cis={'device': 'cuda'}")
    assert "gpu=1" in cuda.stdout
    alone = run_snakemake(workdir, "-n", "cis", "--config", "approaches=[cis]")
    assert job_counts(alone.stdout)["cis_train"] == (2 + 2 + 1 + 1) * 2 + 4
    assert "dna_mrna_tf" not in alone.stdout and "cis_train_by_tissue" not in alone.stdout


def test_without_texcnn_nothing_is_embedded(tmp_path: Path) -> None:
    """Only TExCNN reads the language-model embeddings: a run whose cis.models leaves it out
    plans no language model and no embedding job (nothing downloaded for them either)."""
    workdir = copy_workflow(tmp_path)
    embedding = ("embed_chunk", "embed_gather", "demo_language_model")
    plan = job_counts(run_snakemake(workdir, "-n", "cis").stdout)
    assert all(plan.get(rule) for rule in embedding)
    plan = job_counts(
        run_snakemake(workdir, "-n", "cis", "--config", "cis={'models': ['xpresso']}").stdout
    )
    assert not any(rule in plan for rule in embedding) and plan["cis_train"] == 2 * 2 + 1


def test_an_ensemble_adds_its_networks_and_reads_them_like_one_model(tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path)
    (workdir / "ensemble.yaml").write_text("trans:\n  ensemble:\n    size: 3\n")
    result = run_snakemake(workdir, "-n", "trans", "--configfile", DEMO_CONFIG, "ensemble.yaml")
    jobs = job_counts(result.stdout)
    assert jobs["trans_train"] == 3  # the network and two more seeds
    assert jobs["trans_lightup"] == jobs["trans_validation"] == jobs["trans_diseases"] == 3
    assert "results/trans/ensemble/seed_2/model.pt" in result.stdout


def test_a_reduced_run_builds_every_input_and_then_has_nothing_to_do(
    reduced_run: Path, demo_workdir: Path
) -> None:
    demo = reduced_run / "resources" / "demo"
    for relative in (
        "gtex/GTEx_demo_gene_tpm.gct.gz", "gtex/GTEx_demo_SampleAttributesDS.txt",
        "archs4/human_gene_demo.h5", "genome/genome.fa", "genome/genome.fa.fai",
        "genome/annotation.gtf.gz", "knowledge/DatabaseExtract_demo.csv",
        "knowledge/trrust_demo.human.tsv", "diseases/diseases.tsv",
        "diseases/atlas/E-DEMO-2-analytics.tsv", "diseases/atlas/E-DEMO-2-configuration.xml",
        "gwas/gwas_catalog_demo_associations.tsv", "models/dnabert6-tiny/config.json",
        "truth/tf_edges.tsv", "truth/motif_instances.tsv", "truth/disease_causal_tfs.tsv",
    ):  # fmt: skip
        assert (demo / relative).stat().st_size > 0, relative
    assert (reduced_run / "results" / "demo" / "world_overview.png").stat().st_size > 10_000
    assert (reduced_run / "logs" / "demo" / "genome.log").read_text().strip()
    result = run_snakemake(
        reduced_run, "-n", *REDUCED_TARGETS, "--configfile", DEMO_CONFIG, REDUCED
    )
    assert "Nothing to be done" in result.stdout + result.stderr
    result = run_snakemake(demo_workdir, "-n")  # the whole demo: every rule has run
    assert "Nothing to be done" in result.stdout + result.stderr


def test_changing_a_figure_script_redraws_the_figure_and_reruns_no_model(
    demo_workdir: Path,
) -> None:
    """Figures are drawn from the tables their step wrote, in rules of their own (the
    provenance record, which keeps every job's time, is written again)."""
    script = demo_workdir / "scripts" / "trans_figures.py"
    original, stamp = script.read_text(), script.stat()
    try:
        script.write_text(original + "# a changed figure\n")
        result = run_snakemake(demo_workdir, "-n")
    finally:
        script.write_text(original)
        os.utime(script, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    table = (result.stdout + result.stderr).split("Job stats:", 1)[1].split("total", 1)[0]
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.MULTILINE))
    assert jobs == {"trans_figures": "1", "provenance": "1", "all": "1"}


def test_a_setting_reruns_only_the_trans_model_that_reads_it(
    demo_workdir: Path, tmp_path: Path
) -> None:
    """Each rule's params hold only the settings it reads: on the built demo, a new
    learning rate plans the network alone (its one point of trans.selection's grid and the
    choice among them) and leaves the closed-form ridge, new ridge penalties plan the ridge
    alone (dry runs)."""
    models = ("results/trans/linear/model.pt", "results/trans/network/model.pt")
    (tmp_path / "rate.yaml").write_text("trans:\n  training:\n    learning_rate: 0.0003\n")
    (tmp_path / "alphas.yaml").write_text("trans:\n  linear:\n    alphas: [1, 10]\n")
    plans = (
        ("rate.yaml", {"trans_train": 1, "trans_select": 1}),
        ("alphas.yaml", {"trans_linear": 1}),
    )
    for change, rerun in plans:
        configs = ("--configfile", DEMO_CONFIG, str(tmp_path / change))
        result = run_snakemake(demo_workdir, "-n", *models, *configs)
        assert job_counts(result.stdout + result.stderr) == rerun, change


def declared_outputs(workdir: Path) -> set[str]:
    """Every output file (or directory) the rules declare, from `snakemake --summary`."""
    result = run_snakemake(workdir, "--summary")
    lines = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    return {fields[0] for fields in lines[1:]}


def test_a_run_writes_no_file_that_no_rule_declares(demo_workdir: Path) -> None:
    """Every file under results/ and resources/demo/ is a declared output (or lies in a
    declared directory): the code writes only the paths its rules pass it."""
    declared = declared_outputs(demo_workdir)
    folders = [d for d in declared if (demo_workdir / d).is_dir()]
    written = {
        str(path.relative_to(demo_workdir))
        for top in ("results", "resources/demo")
        for path in (demo_workdir / top).rglob("*")
        if path.is_file() and path.name != ".snakemake_timestamp"
    } - {"results/report.html", "results/report.zip"}  # made by `snakemake --report`
    undeclared = sorted(
        name
        for name in written - declared
        if not any(name.startswith(f"{folder}/") for folder in folders)
    )
    assert not undeclared
    assert "results/expression/compendium.h5ad" in declared and len(written) > 40


def test_changing_a_world_size_reruns_the_simulator_and_its_dependants(reduced_run: Path) -> None:
    config = yaml.safe_load((reduced_run / REDUCED).read_text())
    config["demo"]["network"]["n_targets"] = 130
    changed = reduced_run / "tests" / "config" / "changed.yaml"
    changed.write_text(yaml.safe_dump(config))
    result = run_snakemake(reduced_run, "-n", "--configfile", DEMO_CONFIG, str(changed))
    assert planned_jobs(result.stdout) == DEMO_RULES - {"demo_language_model"} | {"all"}


def test_the_same_seed_gives_byte_identical_files(reduced_run: Path, tmp_path: Path) -> None:
    again = copy_workflow(tmp_path / "again")
    run_snakemake(again, "--cores", "2", "demo_world", "--configfile", DEMO_CONFIG, REDUCED)
    first = file_digests(reduced_run / "resources" / "demo")
    second = file_digests(again / "resources" / "demo")
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_an_interrupted_embedding_resumes_at_the_missing_chunk(reduced_run: Path) -> None:
    """A run stopped after chunk 1 (no chunk 2, no index yet) embeds only chunk 2."""
    folder = reduced_run / "results" / "embed" / "dnabert6"
    chunk, kept = folder / "chunk_2-of-2.npy", folder / "chunk_1-of-2.npy"
    before = kept.stat().st_mtime_ns
    chunk.unlink()
    (folder / "chunks.tsv").unlink()
    result = run_snakemake(
        reduced_run, *REDUCED_TARGETS, "--cores", "2", "--configfile", DEMO_CONFIG, REDUCED
    )
    output = result.stdout + result.stderr
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.MULTILINE))
    assert jobs == {"embed_chunk": "1", "embed_gather": "1"}
    assert chunk.exists() and kept.stat().st_mtime_ns == before


def test_the_report_holds_the_figures(demo_workdir: Path) -> None:
    """Every figure the demo run made (each png/svg under results/) is in the report archive
    (counted by file name: several figures share one, e.g. comparison.png), beside the
    summary and the provenance record; the landing page names the run's source. The report
    renders clean: no docutils system message (the red box a bad caption leaves), and every
    link of the landing page leads to a category or result the report has."""
    run_snakemake(demo_workdir, "--report", "results/report.html")
    assert (demo_workdir / "results" / "report.html").stat().st_size > 100_000
    check_report_renders_clean((demo_workdir / "results" / "report.html").read_text())
    run_snakemake(demo_workdir, "--report", "results/report.zip")
    with zipfile.ZipFile(demo_workdir / "results" / "report.zip") as archive:
        archived = Counter(Path(name).name for name in archive.namelist())
        landing = next(n for n in archive.namelist() if n.endswith("report.html"))
        page = archive.read(landing).decode()
    figures = Counter(
        path.name
        for path in (demo_workdir / "results").rglob("*")
        if path.suffix in (".png", ".svg")
    )
    assert len(figures) > 15
    assert {name: n for name, n in figures.items() if archived[name] < n} == {}
    assert {"summary.md", "provenance.json"} <= set(archived)
    assert "the simulated demo world (seed 2022" in page and "Headline figures" in page


def check_report_renders_clean(html: str) -> None:
    """No docutils system message anywhere in the report; the landing page's links name its
    categories and results, and the menu entries it names exist."""
    messages = re.findall(r"System Message: (\w+/\d)[^<]*", html)
    assert messages == [], f"docutils system messages in the report: {Counter(messages)}"
    start = html.index("var categories = ") + len("var categories = ")
    categories, _ = json.JSONDecoder().raw_decode(html, start)
    results = {path for category in categories.values() for paths in category.values()
               for path in paths}  # fmt: skip
    landing = html[html.index("This run") : html.index("var categories = ")]
    linked = {unquote(name) for name in re.findall(r"app\.showCategory\('([^']+)'\)", landing)}
    assert linked and linked <= set(categories)
    opened = {unquote(path) for path in re.findall(r"app\.showResultInfo\('([^']+)'\)", landing)}
    assert opened <= results
    menu = {"Workflow", "Statistics", "About", *categories}
    assert set(re.findall(r"<em>([^<]+)</em> in the menu", landing)) <= menu


def test_each_approach_target_summarises_what_it_ran(demo_workdir: Path) -> None:
    """`snakemake trans` (cis, ctxreg) writes results/<approach>/summary.*: that approach's
    rows of the whole run's summary (ctxreg with the synthesis it builds), its truth scores
    included, and a source line that names the demo world."""
    run_snakemake(demo_workdir, "trans", "cis", "ctxreg", "--cores", "2")
    results = demo_workdir / "results"
    whole = pd.read_csv(results / "summary.tsv", sep="\t").set_index(["approach", "figure"])
    total = 0
    for approach, parts in {
        "trans": {"trans", "demo truth"},
        "cis": {"cis"},
        "ctxreg": {"ctxreg", "synthesis", "demo truth"},
    }.items():
        table = pd.read_csv(results / approach / "summary.tsv", sep="\t")
        assert set(table.approach) == parts, approach
        table = table.set_index(["approach", "figure"])
        # (a column empty in one part reads as float there, as text in the whole)
        pd.testing.assert_frame_equal(table, whole.loc[table.index], check_dtype=False)
        total += len(table)
        markdown = (results / approach / "summary.md").read_text()
        source = "Source: the simulated demo world (scored against its truth); approaches: "
        assert source + approach + "." in markdown
    assert total == len(whole)  # together the three hold every row of the run's summary


def test_a_different_seed_gives_a_different_world(reduced_run: Path, tmp_path: Path) -> None:
    other = copy_workflow(tmp_path / "other")
    config = yaml.safe_load((other / REDUCED).read_text())
    config["demo"]["seed"] = 8
    (other / "seed8.yaml").write_text(yaml.safe_dump(config))
    run_snakemake(other, "demo_network", "--cores", "2", "--configfile", DEMO_CONFIG, "seed8.yaml")
    edges = "resources/demo/truth/tf_edges.tsv"
    assert (other / edges).read_bytes() != (reduced_run / edges).read_bytes()


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        ("demo:\n  network:\n    n_tfs: -5\n", "config key 'demo.network.n_tfs': -5 is not valid"),
        ("demo:\n  netwrk: {}\n", "config key 'demo.netwrk': unknown key"),
        ("inputs:\n  gwas: nowhere/gwas.tsv\n", "config key 'inputs.gwas': file not found"),
        (
            "trans:\n  knowledge: [{name: doro, format: dorothea}]\n",
            "(table 'doro'): no path, and the demo source has no dorothea table",
        ),
        (
            "trans:\n  pruning: {knowledge: collectri}\n",
            "'trans.pruning.knowledge': no table 'collectri' in trans.knowledge",
        ),
        (
            "approaches: [trans, cys]\n",
            "config key 'approaches[1]': 'cys' is not valid: not one of the allowed values. "
            "Fix: allowed values: 'trans', 'cis', 'ctxreg'",
        ),
        (
            "expression:\n  split: {validation_fraction: 0.5, test_fraction: 0.5}\n",
            "config key 'expression.split.validation_fraction': 0.5 plus "
            "expression.split.test_fraction 0.5 is 1: no share of the samples is left for "
            "training. Fix: lower them so that their sum leaves a training share",
        ),
    ],
)
def test_a_bad_config_stops_before_any_job_with_one_message(
    tmp_path: Path, config_text: str, message: str
) -> None:
    workdir = copy_workflow(tmp_path)
    (workdir / "bad.yaml").write_text(config_text)
    result = run_snakemake(workdir, "--cores", "1", "--configfile", "bad.yaml", check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workdir / "resources").exists()


@pytest.mark.parametrize("folder", ["atlas", None], ids=["your folder", "the demo's folder"])
def test_a_disease_sheet_whose_files_are_missing_stops_before_any_job(
    tmp_path: Path, folder: str | None
) -> None:
    """Not Snakemake's MissingInputException: the sheet's line, the accession, the file
    looked for and the folder searched, before a job runs (also under a dry run)."""
    workdir = copy_workflow(tmp_path)
    (workdir / "sheet.tsv").write_text(
        "# my comparisons\n"
        "accession\tcontrast_id\tdisease\ttissue\tgwas_trait\tarray_design\n"
        "E-DEMO-1\tg2_g1\tdisease 1\tliver\ttrait 1\t\n"
        "E-GEOD-12685\tg2_g1\tAlzheimer's disease\tBrain\tAlzheimer's disease\tA-AFFY-33\n"
    )
    inputs = {"disease_sheet": "sheet.tsv"}
    if folder:
        (workdir / folder).mkdir()
        (workdir / folder / "E-DEMO-1-analytics.tsv").write_text(
            "Gene ID\tGene Name\tg2_g1.p-value\tg2_g1.log2foldchange\n"
        )
        inputs["atlas_folder"] = folder
    config = {"approaches": ["trans"], "inputs": inputs}
    (workdir / "mine.yaml").write_text(yaml.safe_dump(config))
    result = run_snakemake(
        workdir, "-n", "--cores", "1", "--configfile", DEMO_CONFIG, "mine.yaml", check=False
    )
    assert result.returncode != 0
    searched = folder or "resources/demo/diseases/atlas"
    assert (
        "cistrans: sheet.tsv (line 4): the analytics of E-GEOD-12685 (contrast g2_g1), "
        f"E-GEOD-12685_A-AFFY-33-analytics.tsv, is not in the Expression Atlas folder "
        f"{searched}. Fix: put the experiment's analytics file from Expression Atlas in that "
        "folder (or set inputs.atlas_folder to the folder that holds it), or correct the "
        "sheet's line"
    ) in result.stderr
    assert "Traceback" not in result.stderr and "MissingInputException" not in result.stderr
    assert not (workdir / "resources").exists()


def test_pruning_counts_not_below_the_tfs_present_are_warned_about_in_the_compendium_log(
    tmp_path: Path,
) -> None:
    """The compendium rule knows the TF count first: its log names the trans.pruning.tf_counts
    that would keep every TF (left off the pruning curve)."""
    workdir = copy_workflow(tmp_path)
    rng = np.random.default_rng(0)
    samples = [f"S{i}" for i in range(40)]
    pd.DataFrame(
        rng.uniform(2, 8, (60, 40)).round(3),
        index=pd.Index([f"GENE{i}" for i in range(60)], name="gene"),
        columns=samples,
    ).to_csv(workdir / "cohort.tsv", sep="\t")
    pd.DataFrame({"sample": samples, "tissue": ["liver", "lung"] * 20, "series": samples}).to_csv(
        workdir / "samples.tsv", sep="\t", index=False
    )
    (workdir / "tfs.txt").write_text("".join(f"GENE{i}\n" for i in range(20)))
    config = {
        "approaches": ["trans"],
        "inputs": {"custom_matrix": "cohort.tsv", "custom_samples": "samples.tsv",
                   "tf_list": "tfs.txt"},
        "expression": {"sources": ["custom"]},
        "trans": {"pruning": {"tf_counts": [1000, 20, 10]}},
    }  # fmt: skip
    (workdir / "mine.yaml").write_text(yaml.safe_dump(config))
    run_snakemake(
        workdir, "results/expression/compendium.h5ad", "--cores", "1", "--configfile", "mine.yaml"
    )
    log = (workdir / "logs" / "expression" / "compendium.log").read_text().splitlines()
    warning = next(line for line in log if "trans.pruning.tf_counts" in line)
    assert "WARNING" in warning
    assert (
        "trans.pruning.tf_counts 1000, 20 are not below the compendium's 20 TFs: those pruning "
        "steps keep every TF and are left off the pruning curve (1 of the 3 counts prune). "
        "Fix: drop them from trans.pruning.tf_counts, listing counts below 20"
    ) in warning


def test_snakemake_lint_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Congratulations" in result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("snakefmt") is None, reason="snakefmt not installed")
def test_snakefmt_check_passes() -> None:
    result = subprocess.run(["snakefmt", "--check", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_damaged_resource_fails_its_rule_with_the_file_named(tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path)
    run_snakemake(workdir, "demo_genome", "--cores", "2", "--configfile", DEMO_CONFIG, REDUCED)
    baselines = workdir / "resources" / "demo" / "truth" / "baselines.tsv"
    baselines.write_text("gene_id\tsymbol\nENSG1\tA\n")
    result = run_snakemake(
        workdir,
        "demo_expression",
        "--cores",
        "2",
        "--configfile",
        DEMO_CONFIG,
        REDUCED,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Error in rule demo_expression" in output
    assert "cistrans: resources/demo/truth/baselines.tsv: missing column(s) baseline" in output
    assert "rule demo_genome makes it" in output
