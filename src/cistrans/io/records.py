"""Files that record how a run was made: Snakemake's benchmark tables, and the dependencies
the project declares in its pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import reading

BENCHMARK_COLUMNS = ("s", "max_rss", "cpu_time")


def read_benchmarks(folder: str | Path, root: str | Path = ".") -> dict[str, pd.DataFrame]:
    """Every Snakemake benchmark table (`*.tsv`) under `folder`, by its path relative to
    `root` (the working directory the rules' benchmark patterns are relative to), sorted.

    A table without the columns s, max_rss and cpu_time, or an empty (0-byte) one, raises
    `InputError` naming it.
    """
    rerun = "delete it; the rule's next run writes it again"
    tables = {}
    for path in sorted(Path(folder).rglob("*.tsv")):
        with reading(path, fix=rerun):
            table = pd.read_csv(path, sep="\t")
        missing = [column for column in BENCHMARK_COLUMNS if column not in table.columns]
        if missing or table.empty:
            raise InputError(
                path,
                f"not a Snakemake benchmark table (missing {', '.join(missing) or 'rows'})",
                rerun,
            )
        tables[str(path.relative_to(root))] = table
    return tables


def read_dependencies(path: str | Path) -> list[str]:
    """The `project.dependencies` requirements of a pyproject.toml."""
    path = Path(path)
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(path, f"not a readable pyproject.toml ({error})",
                         "restore it from the repository") from error  # fmt: skip
    dependencies = project.get("project", {}).get("dependencies")
    if not isinstance(dependencies, list):
        raise InputError(path, "no [project] dependencies list",
                         "restore it from the repository")  # fmt: skip
    return dependencies
