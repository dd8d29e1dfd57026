"""config/README.md is written from config/schema.yaml and stays in step with it."""

from __future__ import annotations

from cistrans.config import load_schema
from cistrans.config_docs import REGENERATE, config_markdown
from tests.conftest import REPO


def test_the_config_readme_is_the_one_the_schema_gives() -> None:
    expected = config_markdown(load_schema(REPO / "config" / "schema.yaml"))
    committed = (REPO / "config" / "README.md").read_text(encoding="utf-8")
    assert committed == expected, f"config/README.md is out of date; run: {REGENERATE}"


def test_every_key_of_the_schema_is_documented() -> None:
    """Nested keys by their dotted path, a list's item keys as `list[].key` (required ones
    marked), maps of names by the map's own row."""
    text = config_markdown(load_schema(REPO / "config" / "schema.yaml"))
    for key in ("source", "trans.pruning.tf_counts", "trans.knowledge[].format",
                "embed.models[].trust_remote_code", "download.checksums",
                "ctxreg.jaspar_mode.training.weight_decay"):  # fmt: skip
        assert f"| `{key}` |" in text
    name = next(line for line in text.splitlines() if line.startswith("| `embed.models[].name` |"))
    assert "required in each item" in name
