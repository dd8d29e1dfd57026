"""The demo package's shape: its modules import in one direction, and it names no files.

Every file of the demo world reaches the library as a path from its rule (`snakemake.input`,
`snakemake.output`), so no module may spell a truth file's name; and the modules form
layers (network → genome → expression, ...), so none imports another that imports it back.
"""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import cistrans.demo
from tests.test_layers import cistrans_imports

DEMO = Path(cistrans.demo.__file__).parent
SCRIPTS = Path(__file__).parents[2] / "scripts"
FILE_NAME = re.compile(r"[\"']([\w{}.-]*\.(?:tsv|json|meme|fa|fai|gtf|gz|h5|csv|txt|xml))[\"']")
# Inside the language model's folder (a rule output of its own) the Hugging Face layout
# names the files.
MODEL_FOLDER_LAYOUT = {"vocab.txt"}


def demo_imports(path: Path) -> set[str]:
    """The `cistrans.demo` modules that `path` imports anywhere, inside functions too."""
    modules = {f"cistrans.demo.{p.stem}" for p in DEMO.glob("*.py") if p.stem != "__init__"}
    return cistrans_imports(path) & modules


def test_the_demo_modules_import_each_other_without_a_cycle() -> None:
    graph = {f"cistrans.demo.{p.stem}": demo_imports(p) for p in DEMO.glob("*.py")}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle among demo modules: {error.args[1]}") from None
    assert "cistrans.demo.network" in order and "cistrans.demo.dynamics" in order


def test_no_demo_module_or_script_spells_a_file_name() -> None:
    files = [*DEMO.glob("*.py"), *SCRIPTS.glob("demo_*.py")]
    assert len(files) > 10
    named = [
        f"{path.name}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if set(FILE_NAME.findall(line)) - MODEL_FOLDER_LAYOUT
    ]
    assert not named, "file names belong in the rules:\n" + "\n".join(named)
