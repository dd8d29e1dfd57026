"""The workflow used as a Snakemake module from a folder of your own (what the Snakemake
workflow catalog and snakedeploy set up): a Snakefile with `module` and `use rule *`, your
config in config/config.yaml, and a dry run that plans your config, not the demo's."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SNAKEMAKE

CATALOG = REPO / ".snakemake-workflow-catalog.yml"


def module_snakefile(workflow: Path) -> str:
    """A using workflow's Snakefile, the catalog's module lines with a local checkout in
    place of github(...)."""
    return f"""\
configfile: "config/config.yaml"


module cistrans:
    snakefile:
        "{workflow / "Snakefile"}"
    config:
        config


use rule * from cistrans
"""


def job_counts(output: str) -> dict[str, int]:
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(n) for rule, n in re.findall(r"^(\w+)\s+(\d+)\s*$", table, re.M)}


@pytest.mark.workflow
@pytest.mark.parametrize("source", ["demo", "download"])
def test_used_as_a_module_the_workflow_plans_your_config(tmp_path: Path, source: str) -> None:
    """From another folder: your config file is the one named (and the schema's defaults,
    not the demo's tuning, fill the rest: six selection networks); the real source reads
    the workflow's own disease sheet (config/diseases.tsv) from the checkout."""
    (tmp_path / "Snakefile").write_text(module_snakefile(REPO))
    (tmp_path / "config").mkdir()
    config = {"source": source, "approaches": ["trans"], "trans": {"pruning": {"tf_counts": [10]}}}
    (tmp_path / "config" / "config.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [*SNAKEMAKE, "-n", "--cores", "1"], cwd=tmp_path, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (
        "cistrans: settings from config/config.yaml over the schema's defaults "
        "(config/schema.yaml, the papers' settings)"
    ) in output
    assert "    trans.pruning.tf_counts: [10]\n" in output and "the demo's settings" not in output
    jobs = job_counts(output)
    assert jobs["trans_train"] == 6 and jobs["trans_prune_step"] == 1 and jobs["all"] == 1
    assert not [rule for rule in jobs if rule.startswith(("cis_", "ctxreg_", "embed_"))]
    if source == "demo":
        assert "demo_network" in jobs and "download" not in jobs
    else:
        assert jobs["download"] > 5 and "demo_network" not in jobs
        sheet = os.path.relpath(REPO / "config" / "diseases.tsv", tmp_path)
        assert f", {sheet}, " in output  # an input of trans_diseases
    assert not (tmp_path / "results").exists() and not (tmp_path / "resources").exists()


def test_the_catalog_file_says_how_to_use_the_workflow() -> None:
    """.snakemake-workflow-catalog.yml as the catalog reads it (usage: mandatory-flags with
    desc and flags, software-stack-deployment, report); its module lines are the ones the
    test above runs."""
    usage = yaml.safe_load(CATALOG.read_text())["usage"]
    assert set(usage) == {"mandatory-flags", "software-stack-deployment", "report"}
    assert set(usage["mandatory-flags"]) == {"desc", "flags"}
    assert set(usage["software-stack-deployment"]) == {"conda", "apptainer", "apptainer+conda"}
    assert usage["report"] is True
    desc = usage["mandatory-flags"]["desc"]
    for line in ("module cistrans:", "config: config", "use rule * from cistrans",
                 'path="Snakefile"'):  # fmt: skip
        assert line in desc
    assert "pip install" in desc  # the rules import the cistrans package
