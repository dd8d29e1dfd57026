"""The library's layers look only down, and it composes no result or resource file name.

io ← expression / sequence ← trans / cismodels ← ctxreg ← synthesis (reads both approaches'
results) / models (loads any saved model) ← plots ← summary / provenance (the run's
records), with the shared base (errors, logs, config, dna, training, evaluate, ridge) below
them all; `demo` is a source like a
download: it may use the base and io, and only its own rules' scripts import it. The library
never imports Snakemake.
"""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import cistrans

PACKAGE = Path(cistrans.__file__).parent
SCRIPTS = Path(__file__).parents[1] / "scripts"
BASE = {
    "errors", "logs", "config", "config_docs", "published", "training", "evaluate", "dna", "ridge",
}  # fmt: skip
LAYER = {
    "io": 1,
    "expression": 2,
    "sequence": 2,
    "trans": 3,
    "cismodels": 3,
    "ctxreg": 4,
    "synthesis": 5,
    "models": 5,
    "plots": 6,
    "summary": 7,
    "provenance": 7,
}
RESULT_PATH = re.compile(r"(?:results|resources|logs|benchmarks)/[\w/{}.<>-]*\.(?!py\b)[a-z0-9]+\b")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def cistrans_imports(path: Path) -> set[str]:
    """The cistrans modules `path` imports anywhere, inside functions too."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in imported if name == "cistrans" or name.startswith("cistrans.")}


def part(module: str) -> str:
    """The sub-package (or base module) of a cistrans module: io, trans, errors, ..."""
    return module.split(".")[1] if "." in module else ""


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_each_layer_imports_only_from_below() -> None:
    wrong = []
    for module, path in MODULES.items():
        here = part(module)
        for imported in cistrans_imports(path):
            there = part(imported)
            if imported not in MODULES and imported.rsplit(".", 1)[0] in MODULES:
                there = part(imported.rsplit(".", 1)[0])  # `from cistrans.x import name`
            if there in BASE or there == here or there == "":
                continue
            if here == "demo":
                allowed = there == "io"
            elif here in BASE or there == "demo":
                allowed = False
            else:
                allowed = LAYER[there] < LAYER[here]
            if not allowed:
                wrong.append(f"{module} imports {imported}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_library_has_no_import_cycle() -> None:
    graph = {
        module: {name for name in cistrans_imports(path) if name in MODULES and name != module}
        for module, path in MODULES.items()
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        raise AssertionError(f"import cycle: {error.args[1]}") from None


def test_only_the_demo_rules_scripts_import_the_demo() -> None:
    users = [
        path.name
        for path in SCRIPTS.glob("*.py")
        if not path.name.startswith("demo_")
        and any(part(name) == "demo" for name in cistrans_imports(path))
    ]
    assert not users


def test_the_library_neither_imports_snakemake_nor_names_a_result_file() -> None:
    offenders = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from) snakemake", text, flags=re.MULTILINE):
            offenders.append(f"{module} imports snakemake")
        offenders += [
            f"{module}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if RESULT_PATH.search(line)
        ]
    assert not offenders, "\n".join(offenders)
