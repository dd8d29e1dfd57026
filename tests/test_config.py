"""Config validation: defaults filled, and each kind of bad value named with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cistrans.config import (
    ConfigError,
    changed_settings,
    check_input_files,
    fill_table_defaults,
    load_schema,
    schema_defaults,
    validate_config,
)

REPO = Path(__file__).resolve().parents[1]
SCHEMA = load_schema(REPO / "config" / "schema.yaml")


def demo_config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def test_defaults_are_filled_in_every_section() -> None:
    config = validate_config({}, SCHEMA)
    assert config["source"] == "demo"
    assert config["demo"]["network"]["n_tfs"] == 150
    assert config["demo"]["language_model"]["kmer"] == 6
    assert config["inputs"] == {}


def test_the_demo_config_is_valid_and_keeps_its_values() -> None:
    config = validate_config(demo_config(), SCHEMA)
    assert config["demo"]["expression"]["n_archs4_samples"] == 1800


@pytest.mark.parametrize(
    ("change", "key", "allowed"),
    [
        ({"demo": {"network": {"n_tfs": "many"}}}, "demo.network.n_tfs", "integer"),
        ({"demo": {"network": {"n_targets": -3}}}, "demo.network.n_targets", ">= 10"),
        ({"demo": {"expression": {"noise_sd": -0.1}}}, "demo.expression.noise_sd", ">= 0"),
        ({"demo": {"netwrk": {}}}, "demo.netwrk", "known keys here: diseases, expression"),
        ({"sauce": "demo"}, "sauce", "known keys here: approaches, cis, ctxreg, demo"),
        ({"source": "gtex"}, "source", "allowed values: 'demo'"),
        ({"demo": {"jaspar_release": "JASPAR1999"}}, "demo.jaspar_release", "'JASPAR2024'"),
    ],
)
def test_an_invalid_value_names_the_key_and_what_is_allowed(
    change: dict, key: str, allowed: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_config(change, SCHEMA)
    message = str(caught.value)
    assert f"config key '{key}'" in message
    assert allowed in message
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("change", "key", "value", "allowed"),
    [
        pytest.param(
            {"approaches": ["trans", "cys"]}, "approaches[1]", "'cys' is not valid: not one of",
            "allowed values: 'trans', 'cis', 'ctxreg'", id="enum in a list",
        ),
        pytest.param(
            {"trans": {"training": {"learning_rate": -0.1}}}, "trans.training.learning_rate",
            "-0.1 is not valid: not above 0", "allowed: a number > 0", id="exclusiveMinimum",
        ),
        pytest.param(
            {"trans": {"selection": {"weight_decay": [0.1, -1]}}},
            "trans.selection.weight_decay[1]", "-1 is not valid: below the minimum 0",
            "allowed: a number >= 0", id="minimum",
        ),
        pytest.param(
            {"trans": {"training": {"weight_decay": 0.0001}}}, "trans.training.weight_decay",
            "moved to trans.selection.weight_decay, a list of values chosen on the validation",
            "write the value as a one-item list there (e.g. [0.0001])", id="moved key",
        ),
        pytest.param(
            {"expression": {"split": {"test_fraction": 0.7}}}, "expression.split.test_fraction",
            "0.7 is not valid: above the maximum 0.5", "allowed: a number >= 0 and <= 0.5",
            id="maximum",
        ),
        pytest.param(
            {"ctxreg": {"site_threshold": 1}}, "ctxreg.site_threshold",
            "1 is not valid: not below 1", "allowed: a number > 0 and < 1",
            id="exclusiveMaximum",
        ),
        pytest.param(
            {"approaches": []}, "approaches", "[] is not valid: fewer than 1 item",
            "allowed: a list of at least 1 item, without repeats, each one of 'trans', 'cis'",
            id="minItems",
        ),
        pytest.param(
            {"approaches": ["trans", "cis", "trans"]}, "approaches",
            "['trans', 'cis', 'trans'] is not valid: 'trans' is repeated",
            "allowed: a list of at least 1 item, without repeats", id="uniqueItems",
        ),
        pytest.param(
            {"embed": {"models": [{"name": "dnabert6"}, {"name": "my model"}]}},
            "embed.models[1].name", "'my model' is not valid: does not match the pattern",
            "allowed: a string matching the pattern ^[A-Za-z0-9_-]+$", id="pattern in a list",
        ),
        pytest.param(
            {"download": {"checksums": {"gtex/x.gct": "abc"}}}, "download.checksums.gtex/x.gct",
            "'abc' is not valid: does not match",
            "allowed: a string matching the pattern ^(md5|sha256):[0-9a-f]+$",
            id="pattern of a free key",
        ),
        pytest.param(
            {"trans": {"pruning": {"patience": "ten"}}}, "trans.pruning.patience",
            "'ten' is not valid: neither an integer nor null", "allowed: an integer >= 1, or null",
            id="type list",
        ),
        pytest.param(
            {"trans": {"pruning": {"patience": 0}}}, "trans.pruning.patience",
            "0 is not valid: below the minimum 1", "allowed: an integer >= 1, or null",
            id="bound of a type list",
        ),
        pytest.param(
            {"trans": {"pruning": {"tf_counts": [500, 0]}}}, "trans.pruning.tf_counts[1]",
            "0 is not valid: below the minimum 1", "allowed: an integer >= 1",
            id="bound in a list",
        ),
        pytest.param(
            {"trans": {"pruning": {"shares": [0.8, 1.5]}}}, "trans.pruning.shares[1]",
            "1.5 is not valid: above the maximum 1", "allowed: a number > 0 and <= 1",
            id="two bounds in a list",
        ),
        pytest.param(
            {"cis": {"seeds": "0"}}, "cis.seeds", "'0' is not valid: not a list",
            "allowed: a list", id="type",
        ),
        pytest.param(
            {"embed": {"models": [{"name": "dnabert6", "revision": "main"}]}},
            "embed.models[0].revision", "unknown key", "known keys here: name, path",
            id="unknown key in a list item",
        ),
    ],
)  # fmt: skip
def test_a_rejected_value_names_the_key_path_the_value_and_the_bound(
    change: dict, key: str, value: str, allowed: str
) -> None:
    """Each kind of schema rule: the key with list indices, the value and why it fails, and
    the allowed values or the bound written out as the fix."""
    with pytest.raises(ConfigError) as caught:
        validate_config(change, SCHEMA)
    message = str(caught.value)
    assert message.startswith(f"config key '{key}': {value}")
    assert f"Fix: {allowed}" in message
    assert caught.value.key == key
    assert "allowed: value" not in message


def test_split_fractions_must_leave_a_training_share() -> None:
    validate_config({"expression": {"split": {"validation_fraction": 0.45, "test_fraction": 0.5}}},
                    SCHEMA)  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        validate_config(
            {"expression": {"split": {"validation_fraction": 0.5, "test_fraction": 0.5}}}, SCHEMA
        )
    message = str(caught.value)
    assert message.startswith(
        "config key 'expression.split.validation_fraction': 0.5 plus "
        "expression.split.test_fraction 0.5 is 1: no share of the samples is left for training"
    )
    assert "Fix: lower them so that their sum leaves a training share, e.g. 0.1 and 0.1" in message


def test_cross_key_rules_are_checked() -> None:
    with pytest.raises(ConfigError, match="demo.network.min_regulators.*above max_regulators"):
        validate_config({"demo": {"network": {"min_regulators": 4, "max_regulators": 2}}}, SCHEMA)
    with pytest.raises(ConfigError, match="n_master_regulators.*not below n_tfs"):
        validate_config({"demo": {"network": {"n_tfs": 10, "n_master_regulators": 10}}}, SCHEMA)
    with pytest.raises(ConfigError, match="n_archs4_samples.*below twice n_archs4_series"):
        validate_config({"demo": {"expression": {"n_archs4_samples": 30}}}, SCHEMA)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sequence": {"source": "table"}}, "inputs.sequence_table.*sequence.source is table"),
        (
            {"sequence": {"source": "table"}, "inputs": {"sequence_fasta": "x.fa"}},
            "inputs.sequence_table.*sequence_fasta with inputs.sequence_labels",
        ),
        ({"sequence": {"labels": {"source": "table"}}}, "inputs.label_table.*missing"),
        (
            {"sequence": {"split": {"mode": "chromosomes", "test_chromosomes": ["chr8"]}}},
            "sequence.split.validation_chromosomes.*empty",
        ),
        ({"embed": {"models": [{"name": "hyena"}]}}, r"embed.models\[0\].path.*'hyena'"),
        ({"embed": {"models": [{"name": "dnabert2"}]}}, "demo world has no DNABERT-2"),
        (
            {"embed": {"models": [{"name": "dnabert6"}, {"name": "dnabert6", "path": "m"}]}},
            "embed.models.*names repeat",
        ),
        ({"embed": {"pooling": "max"}}, "embed.pooling.*allowed values: 'mean', 'cls'"),
    ],
)
def test_cis_settings_that_cannot_run_are_named(change: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_config(change, SCHEMA)


def test_a_user_file_that_does_not_exist_is_named(tmp_path: Path) -> None:
    present = tmp_path / "trrust.tsv"
    present.write_text("TF\tGENE\tActivation\t1\n")
    check_input_files({"inputs": {"trrust": str(present)}})
    with pytest.raises(ConfigError, match=r"inputs.gwas.*file not found: .*missing\.tsv"):
        check_input_files(
            {"inputs": {"trrust": str(present), "gwas": str(tmp_path / "missing.tsv")}}
        )


def test_only_the_settings_that_differ_from_the_schemas_defaults_are_listed() -> None:
    schema = SCHEMA
    config = validate_config(
        {"trans": {"training": {"batch_size": 64, "learning_rate": 0.01}},
         "inputs": {"gwas": "mine.tsv"}},
        schema,
    )  # fmt: skip
    assert changed_settings(config, schema) == {
        "trans.training.learning_rate": 0.01, "inputs.gwas": "mine.tsv",
    }  # fmt: skip
    assert changed_settings(validate_config({}, schema), schema) == {}
    assert schema_defaults(schema)["trans"]["selection"]["weight_decay"] == [0.0, 0.0001, 0.001]


def test_a_sequence_table_takes_the_table_defaults_under_its_own_settings() -> None:
    table_defaults = load_schema(REPO / "config" / "table_defaults.yaml")
    table = {"inputs": {"sequence_table": "lib.tsv"}}
    own = {**table, "sequence": {"source": "table"},
           "cis": {"xpresso": {"training": {"batch_size": 8}}}}  # fmt: skip
    assert fill_table_defaults(own, table_defaults)
    config = validate_config(own, SCHEMA)
    xpresso = config["cis"]["xpresso"]
    assert xpresso["pools"] == [0] and xpresso["filters"] == [32]  # the block, untouched
    # a block you touch keeps the schema's defaults for the rest (no mix nobody chose)
    assert xpresso["training"]["batch_size"] == 8
    assert xpresso["training"]["optimiser"] == "sgd"
    assert config["ctxreg"]["training"]["optimiser"] == "adam"
    partial = {**table, "sequence": {"source": "table"}, "cis": {"xpresso": {"filters": [64]}}}
    fill_table_defaults(partial, table_defaults)
    assert validate_config(partial, SCHEMA)["cis"]["xpresso"]["pools"] == [30, 10]
    papers = {**table, "sequence": {"source": "table", "table_defaults": "papers"}}
    assert not fill_table_defaults(papers, table_defaults)
    assert validate_config(papers, SCHEMA)["cis"]["xpresso"]["pools"] == [30, 10]
    genome: dict = {}
    assert not fill_table_defaults(genome, table_defaults) and genome == {}
