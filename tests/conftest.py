"""Shared fixtures: a copy of the workflow to run Snakemake in, and the demo world built once.

Every test that runs Snakemake carries the `workflow` marker, so `pytest -m "not workflow"`
runs the unit tests alone: tests that use the demo-run fixtures are marked here, and
`run_snakemake` refuses to run inside a test that lacks the marker.

The two session runs (the whole demo, the reduced world) start in the background as soon as
the collected tests are known to need them, and the modules that use them run last (those of
the reduced world first): the single-threaded unit tests run on the cores the demo leaves
idle, and the demo's tests wait for it only at the end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKFLOW_PARTS = (
    "Snakefile", "rules", "scripts", "config", "profiles", "envs", "report", "pyproject.toml",
)  # fmt: skip
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# Fixtures that run the whole demo: a test using them (directly or not) runs Snakemake.
DEMO_RUN_FIXTURES = {"demo_workdir", "demo", "reduced_run"}
# A config of your own starts from the schema's defaults; a variant of the demo names the
# demo's config first: --configfile config/config.yaml variant.yaml.
DEMO_CONFIG = "config/config.yaml"
REDUCED = "tests/config/reduced.yaml"
_current_markers: set[str] = set()


@dataclass
class SessionRun:
    """A Snakemake run of the whole session, started in the background."""

    workdir: Path
    args: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        copy_workflow(self.workdir)
        with open(self.workdir / "session-run.log", "wb") as log:
            self.process = subprocess.Popen(
                [*SNAKEMAKE, *self.args], cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT
            )

    def wait(self) -> Path:
        """The work folder once the run has finished; the test fails with its log if the
        run failed."""
        if self.process is None:
            self.start()
        assert self.process is not None
        if self.process.wait() != 0:
            log = (self.workdir / "session-run.log").read_text(errors="replace")
            pytest.fail(f"snakemake {' '.join(self.args)} failed:\n{log[-20_000:]}")
        return self.workdir


# What the reduced world builds: the world, its overview and the embeddings (every rule
# after them runs on the full demo world, in `demo_workdir`).
REDUCED_TARGETS = ("demo_world", "results/demo/world_overview.png",
                   "results/embed/dnabert6/chunks.tsv")  # fmt: skip
# The session runs, by the fixture that waits for each.
SESSION_RUNS = {
    "demo_workdir": ("demo", ("--cores", "2")),
    "reduced_run": (
        "reduced",
        (*REDUCED_TARGETS, "--cores", "2", "--configfile", DEMO_CONFIG, REDUCED),
    ),
}
_session_runs: dict[str, SessionRun] = {}


def _demo_fixtures(item: pytest.Item) -> set[str]:
    return DEMO_RUN_FIXTURES & set(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that depends on a demo-run fixture as a workflow test."""
    for item in items:
        if _demo_fixtures(item):
            item.add_marker(pytest.mark.workflow)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests to run are known (after `-m`/`-k`): move the modules that use a
    session run to the end, those that need only the reduced world (built in a minute)
    before those that wait for the whole demo, and start the runs they need in the
    background. (The cluster test, mostly waiting on SLURM, then overlaps the demo's run.)"""
    uses = [_demo_fixtures(item) for item in session.items]
    late: dict[pytest.Module | None, int] = {}
    for item, used in zip(session.items, uses, strict=True):
        if used:
            rank = 1 if used == {"reduced_run"} else 2
            late[_module(item)] = max(rank, late.get(_module(item), 0))
    session.items.sort(key=lambda item: late.get(_module(item), 0))
    needed = set().union(*uses)
    if "demo" in needed:
        needed.add("demo_workdir")
    if not session.config.option.collectonly:
        for name in sorted(needed & set(SESSION_RUNS)):
            _session_run(name, session.config).start()


def pytest_sessionfinish() -> None:
    """Stop a session run that is still going (a run stopped early, e.g. by `-x`)."""
    for run in _session_runs.values():
        if run.process is not None and run.process.poll() is None:
            run.process.terminate()
            run.process.wait()


def _module(item: pytest.Item) -> pytest.Module | None:
    return item.getparent(pytest.Module)


def _session_run(name: str, config: pytest.Config) -> SessionRun:
    """The session run `name` (a key of SESSION_RUNS), made on first use."""
    if name not in _session_runs:
        folder, args = SESSION_RUNS[name]
        factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
        _session_runs[name] = SessionRun(factory.getbasetemp() / folder, args)
    return _session_runs[name]


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
def demo_workdir(pytestconfig: pytest.Config) -> Path:
    """A workflow copy in which `snakemake --cores 2` has built the default demo world."""
    return _session_run("demo_workdir", pytestconfig).wait()


@pytest.fixture(scope="session")
def demo(demo_workdir: Path) -> Path:
    """The default demo world's folder (`resources/demo`)."""
    return demo_workdir / "resources" / "demo"


@pytest.fixture(scope="session")
def reduced_run(pytestconfig: pytest.Config) -> Path:
    """A workflow copy in which the reduced demo world (tests/config/reduced.yaml), its
    overview and its embeddings (`REDUCED_TARGETS`) have been built: the world for the
    reproducibility and own-cohort tests, the embeddings for the resume test."""
    return _session_run("reduced_run", pytestconfig).wait()
