"""The README's two commands are the ones CI and users run."""

from __future__ import annotations

import re

from tests.conftest import REPO


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (REPO / "README.md").read_text(), flags=re.DOTALL)
    return [block.strip() for block in blocks]


def test_the_first_command_installs_torch_first_and_runs_the_demo() -> None:
    first = readme_commands()[0]
    assert first.startswith("pip install torch==2.13.0 && pip install -e .")
    assert first.endswith("snakemake --cores all")


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    second = readme_commands()[1]
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert second in ci_lines
    assert "pytest" in second
