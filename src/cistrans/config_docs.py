"""config/README.md, written from config/schema.yaml: every key with what it allows, its
default and its description, one table per section (Snakemake's workflow catalog shows the
file as the configuration's documentation).

Regenerate after changing the schema (a test keeps the two in step):

    python -m cistrans.config_docs config/schema.yaml config/README.md
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cistrans.config import _kind, load_schema

REGENERATE = "python -m cistrans.config_docs config/schema.yaml config/README.md"

HEADER = """\
# Configuration

<!-- Written by `{command}` from config/schema.yaml: edit the schema, not this file. -->

`config/config.yaml` is the demo; a config of your own (`--configfile mine.yaml`) starts
from the defaults below, the papers' settings, and names only what it changes.
`config/gtex.yaml` and `config/archs4.yaml` are the real-data configs. Every key is checked
against `config/schema.yaml` before any job runs. How to run, your own data and the settings'
background: [docs/configuration.md](../docs/configuration.md).

{description}

Sections: {sections}.
"""


def config_markdown(schema: Mapping[str, Any]) -> str:
    """The Markdown of config/README.md for `schema`: the header, then per top-level key a
    section with its description and a table of its keys (dotted paths; `[]` for the keys
    of a list's items)."""
    names = list(schema["properties"])
    parts = [
        HEADER.format(
            command=REGENERATE,
            description=_one_line(schema.get("description", "")),
            sections=", ".join(f"[`{name}`](#{name})" for name in names),
        )
    ]
    for name, section in schema["properties"].items():
        parts.append(f"## {name}\n")
        if section.get("description") and "properties" in section:
            parts.append(_cell(_one_line(section["description"])) + "\n")
        rows = list(_rows(name, section, top=True))
        parts.append("| key | allowed | default | description |\n| --- | --- | --- | --- |")
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def _rows(path: str, schema: Mapping[str, Any], top: bool = False, note: str = "") -> Iterator[str]:
    """Table rows for the key at `path` and every key below it; `note` opens its
    description (a list item's required keys)."""
    description = "; ".join(part for part in (note, schema.get("description", "")) if part)
    properties = schema.get("properties")
    items = schema.get("items") if isinstance(schema.get("items"), Mapping) else None
    if properties is not None:
        if not top and description:
            yield _row(path, "a section", "", description)
        for name, child in properties.items():
            yield from _rows(f"{path}.{name}", child)
    elif items is not None and "properties" in items:
        yield _row(path, "a list of mappings with the keys below", _default(schema), description)
        required = set(items.get("required", ()))
        for name, child in items["properties"].items():
            item_note = "required in each item" if name in required else ""
            yield from _rows(f"{path}[].{name}", child, note=item_note)
    elif isinstance(schema.get("additionalProperties"), Mapping):
        allowed = "a mapping of names to " + _kind(schema["additionalProperties"])
        yield _row(path, allowed, _default(schema), description)
    else:
        yield _row(path, _kind(schema), _default(schema), description)


def _row(path: str, allowed: str, default: str, description: str) -> str:
    cells = [f"`{path}`", _cell(allowed), default, _cell(_one_line(description))]
    return "| " + " | ".join(cells) + " |"


def _default(schema: Mapping[str, Any]) -> str:
    if "default" not in schema:
        return ""
    value = schema["default"]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "`" + text.replace("|", "\\|") + "`"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _cell(text: str) -> str:
    """Text for Markdown outside code: a | would end a table cell, a <name> read as HTML."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def main(argv: list[str] | None = None) -> int:
    """`python -m cistrans.config_docs SCHEMA [OUTPUT]`: write OUTPUT, or print."""
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    text = config_markdown(load_schema(args[0]))
    if len(args) == 2:
        Path(args[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
