"""Shared fixtures: a copy of the workflow to run Snakemake in, and the demo world built once.

Every test that runs Snakemake carries the `workflow` marker, so `pytest -m "not workflow"`
runs the unit tests alone: tests that use the demo-run fixtures are marked here, and
`run_snakemake` refuses to run inside a test that lacks the marker.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKFLOW_PARTS = ("Snakefile", "rules", "scripts", "config", "profiles", "envs", "report")
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# Fixtures that run the whole demo: a test using them (directly or not) runs Snakemake.
DEMO_RUN_FIXTURES = {"demo_workdir", "demo", "reduced_run"}
REDUCED = "tests/config/reduced.yaml"
_current_markers: set[str] = set()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that depends on a demo-run fixture as a workflow test."""
    for item in items:
        if DEMO_RUN_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.workflow)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Remember the markers of the test about to run (before its fixtures, module- and
    session-scoped ones included, are set up), for `run_snakemake`'s check."""
    _current_markers.clear()
    _current_markers.update(marker.name for marker in item.iter_markers())


def copy_workflow(destination: Path) -> Path:
    """Copy the workflow (not resources or results) into `destination` and return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    shutil.copytree(REPO / "tests" / "config", destination / "tests" / "config")
    return destination


def run_snakemake(
    workdir: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run Snakemake in `workdir`; on unexpected failure show its output in the test report.

    Only inside a test (or fixture of one) marked `workflow`.
    """
    if "workflow" not in _current_markers:
        pytest.fail("this test runs Snakemake: mark it with @pytest.mark.workflow")
    result = subprocess.run(
        [*SNAKEMAKE, *args], cwd=workdir, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"snakemake {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def demo_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workflow copy in which `snakemake --cores 2` has built the default demo world."""
    workdir = copy_workflow(tmp_path_factory.mktemp("demo"))
    run_snakemake(workdir, "--cores", "2")
    return workdir


@pytest.fixture(scope="session")
def demo(demo_workdir: Path) -> Path:
    """The default demo world's folder (`resources/demo`)."""
    return demo_workdir / "resources" / "demo"


# What the reduced world builds: the world, its overview and the embeddings (every rule
# after them runs on the full demo world, in `demo_workdir`).
REDUCED_TARGETS = ("demo_world", "results/demo/world_overview.png",
                   "results/embed/dnabert6/chunks.tsv")  # fmt: skip


@pytest.fixture(scope="session")
def reduced_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workflow copy in which the reduced demo world (tests/config/reduced.yaml), its
    overview and its embeddings (`REDUCED_TARGETS`) have been built: the world for the
    reproducibility and own-cohort tests, the embeddings for the resume test."""
    workdir = copy_workflow(tmp_path_factory.mktemp("reduced"))
    run_snakemake(workdir, *REDUCED_TARGETS, "--cores", "2", "--configfile", REDUCED)
    return workdir
