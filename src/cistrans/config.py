"""Config validation: schema check with defaults filled in, and one clear message per error."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from cistrans.errors import InputError

SCHEMA_FIX = "correct it in the file given to --configfile (or in config/config.yaml for the demo)"

MOVED_KEYS = {
    "trans.training.weight_decay": "trans.selection.weight_decay",
    "trans.network.dropout": "trans.selection.dropout",
}
"""Keys that moved: where each one lives now (a list of values chosen on validation)."""


class ConfigError(InputError):
    """A config value that cannot be used; names the key, the value and what is allowed."""

    def __init__(self, key: str, problem: str, allowed: str) -> None:
        super().__init__(f"config key '{key}'", problem, f"{allowed}; {SCHEMA_FIX}")
        self.key = key


def _fill_defaults(validator_class: type) -> type:
    """A validator class that writes each property's `default` into the instance first."""
    check_properties = validator_class.VALIDATORS["properties"]

    def properties(validator, props, instance, schema) -> Iterator[Any]:  # noqa: ANN001
        if isinstance(instance, dict):
            for name, subschema in props.items():
                if "default" in subschema and name not in instance:
                    instance[name] = _copy(subschema["default"])
        yield from check_properties(validator, props, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": properties})


def _copy(value: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(value))


def load_schema(path: str | Path) -> dict[str, Any]:
    """Read a YAML JSON-schema."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def validate_config(config: dict[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Check `config` against `schema`, filling defaults in place; return it.

    Raises `ConfigError` for the first problem found (the shallowest key), naming the key,
    the value, and the allowed values. Cross-key rules are checked after the schema.
    """
    validator = _fill_defaults(jsonschema.Draft7Validator)(schema)
    errors = sorted(
        validator.iter_errors(config), key=lambda e: (len(e.absolute_path), str(e.path))
    )
    if errors:
        raise _describe(errors[0])
    _check_cross_keys(config)
    _check_split_fractions(config)
    _check_expression_sizes(config)
    _check_custom_source(config)
    _check_sequence_inputs(config)
    _check_embedding_models(config)
    _check_predict_model(config)
    return config


def schema_defaults(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The config that an empty config file gives: every default of `schema` filled in.

    These are the papers' settings; a config of your own changes only what it names.
    """
    defaults: dict[str, Any] = {}
    for _ in _fill_defaults(jsonschema.Draft7Validator)(schema).iter_errors(defaults):
        pass  # the empty config's errors (required keys of list items) do not concern defaults
    return defaults


def changed_settings(config: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of `config` that differ from the schema's defaults, by dotted key.

    config: a validated config (defaults filled). Nested sections are compared key by key,
    lists as whole values; a key without a default counts as changed. Returns e.g.
    ``{"trans.training.learning_rate": 0.003, "inputs.custom_matrix": "cohort.tsv"}``.
    """
    return _changed(config, schema_defaults(schema), "")


def _changed(config: Mapping[str, Any], defaults: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for key, value in config.items():
        default = defaults.get(key) if isinstance(defaults, Mapping) else None
        if isinstance(value, Mapping) and value:
            changed |= _changed(value, default or {}, f"{prefix}{key}.")
        elif key not in defaults or value != default:
            changed[f"{prefix}{key}"] = value
    return changed


def fill_table_defaults(config: dict[str, Any], table_defaults: Mapping[str, Any]) -> bool:
    """Fill `table_defaults` under `config` (in place) when it reads a sequence table.

    config: the config as given (before `validate_config`); table_defaults: nested settings
    (config/table_defaults.yaml) that train on short sequence libraries. Applied when
    sequence.source is table and sequence.table_defaults is not `papers`, block by block:
    the plain values of one section (e.g. Xpresso's filters, kernel_sizes, pools and dense,
    or its training) are filled together, and only when the config sets none of them, so
    that a section you touched keeps the schema's defaults for the rest instead of a mix
    nobody chose. Returns whether they were applied.
    """
    sequence = config.get("sequence")
    if not isinstance(sequence, dict) or sequence.get("source") != "table":
        return False
    if sequence.get("table_defaults") == "papers":
        return False
    _fill_blocks(config, table_defaults)
    return True


def _fill_blocks(config: dict[str, Any], defaults: Mapping[str, Any]) -> None:
    plain = {key: value for key, value in defaults.items() if not isinstance(value, Mapping)}
    if plain and not set(plain) & set(config):
        config.update(_copy(plain))
    for key, value in defaults.items():
        if isinstance(value, Mapping):
            section = config.setdefault(key, {})
            if isinstance(section, dict):
                _fill_blocks(section, value)


def _dotted(path: Any) -> str:
    """A key path in words: `trans.training.learning_rate`, list items by index
    (`embed.models[0].name`)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


# A value of each JSON-schema type, in words.
_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "null",
}
# Each bound keyword with its sign, in the order the words give them.
_BOUNDS = (
    ("exclusiveMinimum", ">"),
    ("minimum", ">="),
    ("exclusiveMaximum", "<"),
    ("maximum", "<="),
)


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


def _kind(schema: Mapping[str, Any]) -> str:
    """The values `schema` allows, in words: "a number > 0 and <= 1", "an integer >= 1, or
    null", "a list of at least 1 item, without repeats, each one of 'trans', 'cis'"."""
    if "enum" in schema:
        return "one of " + ", ".join(repr(value) for value in schema["enum"])
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    text = " or ".join(_TYPE_WORDS.get(kind, kind) for kind in types if kind != "null")
    text = text or ("null" if types else "a value")
    bounds = [f"{sign} {schema[key]}" for key, sign in _BOUNDS if key in schema]
    if bounds:
        text += " " + " and ".join(bounds)
    if "pattern" in schema:
        text += f" matching the pattern {schema['pattern']}"
    parts = []
    if "minItems" in schema:
        parts.append(f"of at least {_items(schema['minItems'])}")
    if "maxItems" in schema:
        parts.append(f"of at most {_items(schema['maxItems'])}")
    if schema.get("uniqueItems"):
        parts.append("without repeats")
    if isinstance(schema.get("items"), Mapping):
        parts.append("each " + _kind(schema["items"]))
    text += "".join((" " if part.startswith("of ") else ", ") + part for part in parts)
    if "null" in types and text != "null":
        text += ", or null"
    return text


def _allowed(schema: Mapping[str, Any]) -> str:
    """What a schema allows, in words, for the fix of a message: the allowed values of an
    enum, else the type with its bounds (and, for a single value, the key's description)."""
    if "enum" in schema:
        return "allowed values: " + ", ".join(repr(v) for v in schema["enum"])
    text = f"allowed: {_kind(schema)}"
    if "description" in schema and not {"items", "properties"} & set(schema):
        text += f" ({schema['description']})"
    return text


def _reason(error: jsonschema.ValidationError) -> str:
    """Why the value fails the keyword that rejected it, in words."""
    limit = error.validator_value
    reasons = {
        "enum": lambda: "not one of the allowed values",
        "type": lambda: (
            "neither " + " nor ".join(_TYPE_WORDS.get(kind, kind) for kind in limit)
            if isinstance(limit, list)
            else f"not {_TYPE_WORDS.get(limit, limit)}"
        ),
        "minimum": lambda: f"below the minimum {limit}",
        "exclusiveMinimum": lambda: f"not above {limit}",
        "maximum": lambda: f"above the maximum {limit}",
        "exclusiveMaximum": lambda: f"not below {limit}",
        "minItems": lambda: f"fewer than {_items(limit)}",
        "maxItems": lambda: f"more than {_items(limit)}",
        "uniqueItems": lambda: f"{_repeated(error.instance)!r} is repeated",
        "pattern": lambda: f"does not match the pattern {limit}",
        "minLength": lambda: f"shorter than {limit} characters",
    }
    return reasons[error.validator]() if error.validator in reasons else error.message


def _repeated(values: list[Any]) -> Any:
    seen: list[Any] = []
    for value in values:
        if value in seen:
            return value
        seen.append(value)
    return None


def _describe(error: jsonschema.ValidationError) -> ConfigError:
    """The `ConfigError` of a schema error: the key path (list items by index), the value
    and why it fails, and what the key allows (`error.schema`: the schema of the failing key)."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        key = _dotted([*path, unknown[0]]) if unknown else _dotted(path)
        if key in MOVED_KEYS:
            return ConfigError(
                key,
                f"moved to {MOVED_KEYS[key]}, a list of values chosen on the validation split",
                f"write the value as a one-item list there (e.g. [{error.instance[unknown[0]]!r}])"
                " for a fixed setting, or several to choose among",
            )
        return ConfigError(key, "unknown key", "known keys here: " + ", ".join(known))
    if error.validator == "required":
        return ConfigError(_dotted(path), error.message, "add the missing key")
    return ConfigError(
        _dotted(path), f"{error.instance!r} is not valid: {_reason(error)}", _allowed(error.schema)
    )


def _check_cross_keys(config: Mapping[str, Any]) -> None:
    network = config.get("demo", {}).get("network", {})
    if network and network["min_regulators"] > network["max_regulators"]:
        raise ConfigError(
            "demo.network.min_regulators",
            f"{network['min_regulators']} is above max_regulators ({network['max_regulators']})",
            "allowed: integer <= demo.network.max_regulators",
        )
    if network and network["n_master_regulators"] >= network["n_tfs"]:
        raise ConfigError(
            "demo.network.n_master_regulators",
            f"{network['n_master_regulators']} is not below n_tfs ({network['n_tfs']})",
            "allowed: integer < demo.network.n_tfs",
        )


def _check_split_fractions(config: Mapping[str, Any]) -> None:
    """The validation and test shares of the samples must leave a share for training."""
    split = config.get("expression", {}).get("split", {})
    validation, test = split.get("validation_fraction", 0), split.get("test_fraction", 0)
    if validation + test >= 1:
        raise ConfigError(
            "expression.split.validation_fraction",
            f"{validation} plus expression.split.test_fraction {test} is "
            f"{validation + test:g}: no share of the samples is left for training",
            "lower them so that their sum leaves a training share, e.g. 0.1 and 0.1",
        )


def _check_expression_sizes(config: Mapping[str, Any]) -> None:
    expression = config.get("demo", {}).get("expression", {})
    if expression and expression["n_archs4_samples"] < 2 * expression["n_archs4_series"]:
        raise ConfigError(
            "demo.expression.n_archs4_samples",
            f"{expression['n_archs4_samples']} is below twice n_archs4_series "
            f"({expression['n_archs4_series']})",
            "allowed: integer >= 2 * demo.expression.n_archs4_series",
        )


def _check_custom_source(config: Mapping[str, Any]) -> None:
    if "custom" not in config.get("expression", {}).get("sources", []):
        return
    inputs = config.get("inputs", {})
    if "custom_matrix" not in inputs:
        raise ConfigError(
            "inputs.custom_matrix",
            "missing, but expression.sources lists custom",
            "allowed: a path to an .h5ad or a genes x samples TSV/CSV",
        )
    if not inputs["custom_matrix"].endswith(".h5ad") and "custom_samples" not in inputs:
        raise ConfigError(
            "inputs.custom_samples",
            "missing; a TSV/CSV matrix needs a sample sheet",
            "allowed: a path to a TSV/CSV with columns sample, tissue, series",
        )


def _check_sequence_inputs(config: Mapping[str, Any]) -> None:
    sequence = config.get("sequence", {})
    inputs = config.get("inputs", {})
    if sequence.get("source") == "table":
        fasta = {"sequence_fasta", "sequence_labels"} & set(inputs)
        if "sequence_table" not in inputs and fasta != {"sequence_fasta", "sequence_labels"}:
            raise ConfigError(
                "inputs.sequence_table",
                "missing, but sequence.source is table",
                "allowed: a sequence table, or inputs.sequence_fasta with inputs.sequence_labels",
            )
    if sequence.get("labels", {}).get("source") == "table" and "label_table" not in inputs:
        raise ConfigError(
            "inputs.label_table",
            "missing, but sequence.labels.source is table",
            "allowed: a path to a TSV with columns gene_id and label",
        )
    split = sequence.get("split", {})
    if split.get("mode") == "chromosomes":
        for key in ("validation_chromosomes", "test_chromosomes"):
            if not split[key]:
                raise ConfigError(
                    f"sequence.split.{key}",
                    "empty, but sequence.split.mode is chromosomes",
                    "allowed: a list of chromosome names, e.g. [chr8]",
                )


# Embedding models with a default folder: their `inputs` key (the source's DNABERT-6, -2).
DEFAULT_MODEL_INPUTS = {"dnabert6": "dnabert_model", "dnabert2": "dnabert2_model"}


def _check_embedding_models(config: Mapping[str, Any]) -> None:
    models = config.get("embed", {}).get("models", [])
    names = [model["name"] for model in models]
    if len(set(names)) < len(names):
        raise ConfigError("embed.models", f"names repeat: {names}", "allowed: distinct names")
    for i, model in enumerate(models):
        if "path" in model:
            continue
        if model["name"] not in DEFAULT_MODEL_INPUTS:
            raise ConfigError(
                f"embed.models[{i}].path",
                f"missing for model {model['name']!r}",
                f"allowed: a model folder or hub id (only {', '.join(DEFAULT_MODEL_INPUTS)} have a "
                "default)",
            )
        key = DEFAULT_MODEL_INPUTS[model["name"]]
        if (
            config.get("source") == "demo"
            and key == "dnabert2_model"
            and key not in config.get("inputs", {})
        ):
            raise ConfigError(
                f"embed.models[{i}].path",
                "missing: the demo world has no DNABERT-2 model",
                "allowed: a DNABERT-2 folder (or set inputs.dnabert2_model)",
            )


def check_input_files(config: Mapping[str, Any]) -> None:
    """Every path the user set under `inputs` (and predict.sequence_table) must exist."""
    paths = {f"inputs.{key}": path for key, path in config.get("inputs", {}).items()}
    table = config.get("predict", {}).get("sequence_table")
    if table is not None:
        paths["predict.sequence_table"] = table
    for key, path in paths.items():
        if not Path(path).exists():
            raise ConfigError(key, f"file not found: {path}", "allowed: a path to an existing file")


PREDICT_MODELS = ("xpresso", "legnet", "ctxreg")
"""The trained models rule predict scores new sequences with: those that read the one-hot
window (predict.model)."""


def _check_predict_model(config: Mapping[str, Any]) -> None:
    model = config.get("predict", {}).get("model")
    if model is None or model in PREDICT_MODELS:
        return
    if model.split("_", 1)[0] in ("texcnn", "deeplncloc"):
        problem = (
            f"{model!r} cannot score new sequences: its inputs need the embedding steps "
            "(TExCNN reads a language model's segment embeddings, DeepLncLoc Word2Vec "
            "sub-sequence vectors), which the workflow makes for its own genes only"
        )
    else:
        problem = f"{model!r} is not a trained model that scores sequences"
    raise ConfigError(
        "predict.model", problem, f"allowed: {', '.join(PREDICT_MODELS)} (the one-hot models)"
    )
