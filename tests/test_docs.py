"""What the README and docs/ name still exists: every `snakemake` command's targets are
rules of the workflow and its repository files are there, every config key written in
backticks (`trans.pruning.tf_counts`, `cis.attributions.method: ism`) is in the schema, and
every relative link resolves. Fast: the rules are read from the .smk text, nothing runs."""

from __future__ import annotations

import importlib.util
import re
import shlex
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from cistrans.config import load_schema
from tests.conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Folders of the repository: a path under one of them, named in a command or in
# backticks, must exist (results/ and resources/ are made by a run, so are not checked).
REPO_FOLDERS = ("benchmarks", "config", "docs", "envs", "profiles", "report", "rules",
                "scripts", "src", "tests")  # fmt: skip
RUN_MADE = ("benchmarks/results",)  # written by a run, like results/
# Backticked dotted words that look like config keys but are not (file names).
FILE_SUFFIXES = {"md", "tsv", "png", "json", "yaml", "smk", "py", "rst", "h5ad", "html",
                 "zip", "csv", "gz", "npy", "parquet", "meme", "pt", "fa", "h5", "txt"}  # fmt: skip
# Keys the docs may name that the schema does not hold (columns of the user's own tables,
# say); none at present: a list's item keys resolve through the schema (`trans.knowledge[]`).
OWN_TABLE_KEYS: set[str] = set()


def test_the_docs_exist_and_the_readme_is_short() -> None:
    names = {path.name for path in PAGES}
    for page in ("trans.md", "cis.md", "ctxreg.md", "synthesis.md", "expression.md",
                 "real-data.md", "configuration.md", "development.md"):  # fmt: skip
        assert page in names
    assert (REPO / "README.md").stat().st_size < 12_000


@cache
def rule_names() -> frozenset[str]:
    """Every rule of the Snakefile and rules/*.smk, `use rule a as b` giving b."""
    names = set()
    for path in [REPO / "Snakefile", *(REPO / "rules").glob("*.smk")]:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"^\s*(?:rule|checkpoint)\s+(\w+)\s*:", text, flags=re.M))
        names |= set(re.findall(r"^\s*use rule \w+ as (\w+)", text, flags=re.M))
    return frozenset(names)


def commands(text: str) -> Iterator[str]:
    """Every `snakemake ...` command: in inline code and on the lines of code blocks, each
    part of an `a && b` chain its own command."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)
    for line in [*"\n".join(blocks).splitlines(), *inline_code(text)]:
        for part in line.split("&&"):
            part = part.split("#", 1)[0].strip()
            if part.startswith("snakemake ") or part == "snakemake":
                yield part


def inline_code(text: str) -> list[str]:
    """The inline code spans of a Markdown text (one may wrap onto the next line)."""
    spans = re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    return [" ".join(span.split()) for span in spans]


@cache
def _options() -> dict[str, Any]:
    from snakemake.cli import get_argument_parser

    return get_argument_parser()._option_string_actions


def targets(command: str) -> list[str]:
    """The targets of a snakemake command line, read as Snakemake's own parser reads it:
    an option with values takes the words after it (--configfile all of them)."""
    words, found = shlex.split(command)[1:], []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if not word.startswith("-"):
            found.append(word)
            continue
        action = _options().get(word.split("=", 1)[0])
        assert action is not None, f"{command!r}: snakemake has no option {word}"
        if "=" in word or action.nargs == 0:
            continue
        if action.nargs in (None, "?"):
            if action.nargs is None or (i < len(words) and not words[i].startswith("-")):
                i += 1
            continue
        while i < len(words) and not words[i].startswith("-"):
            i += 1
    return found


def repository_paths(command: str) -> list[str]:
    """The words of a command that are files of the repository (config files, profiles)."""
    return [word for word in shlex.split(command) if word.split("/", 1)[0] in REPO_FOLDERS]


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_snakemake_command_names_rules_and_files_that_exist(page: Path) -> None:
    wrong = []
    for command in commands(page.read_text(encoding="utf-8")):
        for target in targets(command):
            if "/" in target or "." in target:  # a file target: made by a run
                continue
            if target not in rule_names():
                wrong.append(f"{command!r}: no rule {target}")
        wrong += [
            f"{command!r}: no file {path}"
            for path in repository_paths(command)
            if not (REPO / path).exists()
        ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_python_command_names_a_script_or_module_that_exists(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL))
    wrong = []
    for line in [*blocks.splitlines(), *inline_code(text)]:
        for part in line.split("&&"):
            if not part.strip().startswith("python "):
                continue
            words = shlex.split(part.split("#", 1)[0])
            if words[1:2] == ["-m"]:
                if importlib.util.find_spec(words[2]) is None:
                    wrong.append(part)
            elif len(words) > 1 and not (REPO / words[1]).exists():
                wrong.append(part)
    assert not wrong


@cache
def schema() -> Mapping[str, Any]:
    return load_schema(REPO / "config" / "schema.yaml")


def in_schema(key: str) -> bool:
    """Whether the dotted `key` names a key of the schema (a list's item keys below the list,
    `name[].key` as config/README.md writes them; any name below a map of names)."""
    node: Mapping[str, Any] = schema()
    for part in key.replace("[]", "").split("."):
        if "properties" not in node and isinstance(node.get("items"), Mapping):
            node = node["items"]
        if part in node.get("properties", {}):
            node = node["properties"][part]
        elif isinstance(node.get("additionalProperties"), Mapping):
            node = node["additionalProperties"]
        else:
            return False
    return True


def config_keys(text: str) -> Iterator[str]:
    """Backticked dotted words whose first part is a section of the schema, the part before
    `: value` or `=value` (`cis.attributions.method: ism`); file names left out."""
    sections = set(schema()["properties"])
    for span in inline_code(text):
        key = re.split(r"[:= ]", span, maxsplit=1)[0]
        if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_\[\]]+)+", key):
            continue
        if key.split(".", 1)[0] in sections and key.rsplit(".", 1)[1] not in FILE_SUFFIXES:
            yield key


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_config_key_the_docs_name_is_in_the_schema(page: Path) -> None:
    keys = set(config_keys(page.read_text(encoding="utf-8")))
    assert {key for key in keys - OWN_TABLE_KEYS if not in_schema(key)} == set()


def yaml_keys(node: Any, prefix: str = "") -> Iterator[str]:
    """The dotted key of every value in a YAML mapping (a list's mappings as `key[].name`)."""
    if isinstance(node, Mapping):
        for name, value in node.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            yield key
            yield from yaml_keys(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from yaml_keys(item, f"{prefix}[]")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_key_of_a_yaml_example_is_in_the_schema(page: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    keys = {key for block in blocks for key in yaml_keys(yaml.safe_load(block))}
    assert {key for key in keys if not in_schema(key)} == set()


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_relative_link_and_repository_path_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    wrong = [link for link in links if "://" not in link and not (page.parent / link).exists()]
    anchors = re.findall(r"\]\(([^)#\s]+\.md)#([^)]+)\)", text)
    for target, anchor in anchors:
        headings = re.findall(r"^#+ (.+)$", (page.parent / target).read_text(), flags=re.M)
        if anchor not in {_anchor(heading) for heading in headings}:
            wrong.append(f"{target}#{anchor}")
    spans = [span for span in inline_code(text) if " " not in span]
    wrong += [
        span
        for span in spans
        if span.split("/", 1)[0] in REPO_FOLDERS
        and "/" in span
        and not re.search(r"[*<>{}…]", span)
        and not span.startswith(RUN_MADE)
        and not (REPO / span).exists()
    ]
    assert not wrong


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_checks_catch_what_they_should() -> None:
    assert targets("snakemake trans --cores 8 --configfile a.yaml") == ["trans"]
    assert targets("snakemake --cores 16 --configfile a.yaml b.yaml") == []
    assert targets("snakemake --report results/report.html") == []
    assert targets("snakemake --cores 4 download_all --configfile c.yaml") == ["download_all"]
    assert "cis_train_by_tissue" in rule_names() and "download_gwas_unzip" in rule_names()
    assert in_schema("trans.knowledge[].format") and in_schema("download.checksums.gtex/x")
    assert not in_schema("trans.pruning.no_such_key")
    found = set(config_keys("`cis.attributions.method: ism`, `summary.md`, `summary.fdr`"))
    assert found == {"cis.attributions.method", "summary.fdr"}
