"""Trans bad input: no TFs, poorly covered disease tables, unmatched GWAS traits."""

from __future__ import annotations

from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.trans.data import load_trans_data
from cistrans.trans.disease import coverage_check


def compendium(tmp_path: Path, is_tf: list[bool]) -> Path:
    var = pd.DataFrame(
        {"symbol": [f"G{i}" for i in range(len(is_tf))], "is_tf": is_tf},
        index=[f"E{i}" for i in range(len(is_tf))],
    )
    obs = pd.DataFrame(
        {"split": ["train", "validation", "test"] * 2, "tissue": "liver"},
        index=[f"S{i}" for i in range(6)],
    )
    path = tmp_path / "compendium.h5ad"
    ad.AnnData(np.ones((6, len(is_tf)), dtype=np.float32), obs=obs, var=var).write_h5ad(path)
    return path


def test_a_compendium_without_tfs_names_the_tf_list_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="TF list shares no genes with the compendium"):
        load_trans_data(compendium(tmp_path, [False, False, False]))


def test_tfs_a_model_needs_must_be_in_the_compendium(tmp_path: Path) -> None:
    path = compendium(tmp_path, [True, False, True])
    assert load_trans_data(path, ["E2", "E0"]).tf_ids == ["E2", "E0"]
    with pytest.raises(InputError, match=r"1 requested TF\(s\) not in the compendium"):
        load_trans_data(path, ["E0", "E9"])


def test_disease_coverage_warns_then_fails(caplog: pytest.LogCaptureFixture) -> None:
    coverage_check("d", 0.9, "TFs", 0.5, 0.2, "atlas.tsv")
    assert not caplog.records
    coverage_check("d", 0.3, "TFs", 0.5, 0.2, "atlas.tsv")
    assert "measures only 30% of the model's TFs" in caplog.text
    with pytest.raises(
        InputError, match=r"atlas\.tsv: measures only 10% of the model's targets \(minimum 20%\)"
    ):
        coverage_check("d", 0.1, "targets", 0.5, 0.2, "atlas.tsv")


@pytest.mark.parametrize(
    ("splits", "empty", "fix"),
    [
        (["validation", "test"], "train", "lower expression.split.validation_fraction and "
         "test_fraction so that their sum leaves a training share, e.g. 0.1 and 0.1"),
        (["train", "test"], "validation", "set expression.split.validation_fraction above 0"),
        (["train", "validation"], "test", "set expression.split.test_fraction above 0"),
    ],
)  # fmt: skip
def test_a_compendium_with_an_empty_split_names_the_fix_that_fills_it(
    tmp_path: Path, splits: list[str], empty: str, fix: str
) -> None:
    path = compendium(tmp_path, [True, False, False])
    adata = ad.read_h5ad(path)
    adata.obs["split"] = splits * 3
    adata.write_h5ad(path)
    with pytest.raises(InputError) as caught:
        load_trans_data(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: no sample in split {empty!r} (obs column split)")
    assert f"Fix: {fix}" in message and message.endswith("and rebuild the compendium")
