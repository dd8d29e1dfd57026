"""An input too short for a network: the library raises InputTooShort (model, minimum,
length; no config key), and the script of the rule that trains the network words it as an
InputError naming the config key that sets the length. The scripts run here as Snakemake
runs them, on a few genes, and stop before any training."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch

from cistrans.io.chunks import write_gene_array
from tests.conftest import REPO

LENGTH = 10
TRAINING = {"optimiser": "adam", "learning_rate": 0.003, "batch_size": 4, "max_epochs": 1,
            "patience": 1}  # fmt: skip
XPRESSO = {"filters": [4], "kernel_sizes": [15], "pools": [0], "dense": [], "dropout": 0.0,
           "training": TRAINING}  # fmt: skip
CTXREG = {"filters": 4, "width": 12, "site_threshold": 0.8, "l1": 1e-4, "filter_init_sd": 0.02,
          "context": {"pool": 4, "channels": [4], "kernel_size": 3, "dense": [8],
                      "dropout": 0.0}, "training": TRAINING}  # fmt: skip


class Named(dict):
    """Snakemake's named lists as the scripts read them: by attribute, get and items;
    iterated, the values."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error

    def __iter__(self):  # type: ignore[override]
        return iter(list(self.values()))


def inputs(folder: Path) -> dict[str, str]:
    """Labels and one-hot codes of 12 genes of LENGTH bases, every split present."""
    ids = [f"g{i}" for i in range(12)]
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, (len(ids), LENGTH)).astype(np.uint8)
    write_gene_array(folder / "codes.npy", folder / "codes.genes.tsv", codes, ids)
    split = ["train"] * 8 + ["validation"] * 2 + ["test"] * 2
    labels = pd.DataFrame({"gene_id": ids, "split": split, "label": rng.normal(size=len(ids))})
    labels.to_csv(folder / "labels.tsv", sep="\t", index=False)
    return {"labels": str(folder / "labels.tsv"), "codes": str(folder / "codes.npy"),
            "code_genes": str(folder / "codes.genes.tsv")}  # fmt: skip


def failed_rule(script: str, folder: Path, params: dict[str, Any], **wildcards: str) -> str:
    """Run scripts/`script` with a stand-in for Snakemake's object; it must stop with exit
    status 1 (an InputError); return its log."""
    log = folder / "rule.log"
    snakemake = SimpleNamespace(
        input=Named(inputs(folder)), params=Named(params), output=Named(), log=[str(log)],
        threads=1, wildcards=Named(wildcards),
    )  # fmt: skip
    root, threads = logging.getLogger(), torch.get_num_threads()
    handlers, level = root.handlers[:], root.level
    try:
        with pytest.raises(SystemExit) as stop:
            runpy.run_path(str(REPO / "scripts" / script), {"snakemake": snakemake})
    finally:
        torch.set_num_threads(threads)
        root.handlers[:], root.level = handlers, level
    assert stop.value.code == 1
    return log.read_text(encoding="utf-8")


def test_cis_train_names_the_config_key_of_a_window_too_short_for_the_network(
    tmp_path: Path,
) -> None:
    params = {"kind": "xpresso", "settings": XPRESSO, "seed": 0, "control": False,
              "device": "cpu", "min_shared_fraction": 0.5, "jaspar_release": None,
              "window": None}  # fmt: skip
    log = failed_rule("cis_train.py", tmp_path, params, model="xpresso", features="dna")
    key = "cis.window.upstream (or sequence.upstream)"
    assert (
        f"config key '{key}': xpresso needs inputs of at least 15 positions, this one has 10. "
        f"Fix: raise {key} to 15 or more, or leave xpresso out of cis.models"
    ) in log


@pytest.mark.parametrize(
    ("length_key", "fix"),
    [
        ("config key 'ctxreg.window'", "lower ctxreg.width to 10 or less, or widen ctxreg.window"),
        ("your own sequence table (read whole)", "lower ctxreg.width to 10 or less\n"),
    ],
)
def test_ctxreg_train_names_what_sets_the_length_of_windows_shorter_than_its_filters(
    tmp_path: Path, length_key: str, fix: str
) -> None:
    params = {"settings": CTXREG, "seed": 0, "control": False, "device": "cpu",
              "min_shared_fraction": 0.5, "window": None, "length_key": length_key}  # fmt: skip
    log = failed_rule("ctxreg_train.py", tmp_path, params)
    assert (
        f"{length_key}: contextual regression needs inputs of at least 12 positions, this one "
        f"has 10. Fix: {fix}"
    ) in log
