"""Result tables and JSON read back with errors naming the file and the rule that makes it."""

from __future__ import annotations

from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.results import (
    read_result_h5ad,
    read_result_json,
    read_result_matrix,
    read_result_parquet,
    read_result_table,
    write_json,
    write_matrix,
)


def test_a_result_table_round_trips_and_keeps_empty_cells_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("tf\tsymbol\nT1\t\nT2\tB\n")
    table = read_result_table(path, ["tf"], made_by="trans_lightup")
    assert table.symbol.tolist() == ["", "B"]
    numbers = read_result_table(path, ["tf"], made_by="trans_lightup", keep_default_na=True)
    assert numbers.symbol.isna().tolist() == [True, False]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "file not found"),
        ("tf\tsymbol\nT1\tA\n", "missing column(s) importance"),
        ("", "the file is empty (0 bytes"),
        ('tf\timportance\nT1\t"0.5\n', "not a readable table"),
    ],
)
def test_a_damaged_result_names_the_file_and_the_rule(
    tmp_path: Path, text: str | None, message: str
) -> None:
    path = tmp_path / "tf_importance.tsv"
    if text is not None:
        path.write_text(text)
    with pytest.raises(InputError) as raised:
        read_result_table(path, ["tf", "importance"], made_by="trans_lightup")
    assert message in str(raised.value) and str(path) in str(raised.value)
    assert "snakemake --forcerun trans_lightup" in str(raised.value)


def test_json_and_matrices_round_trip_and_name_the_rule(tmp_path: Path) -> None:
    write_json({"knee": 25, "p_value": 0.01}, tmp_path / "m.json")
    assert read_result_json(tmp_path / "m.json", ["knee"], made_by="trans_pruning")["knee"] == 25
    with pytest.raises(InputError, match=r"missing key\(s\) auroc.*rule trans_pruning"):
        read_result_json(tmp_path / "m.json", ["auroc"], made_by="trans_pruning")
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(InputError, match="not a JSON object"):
        read_result_json(tmp_path / "bad.json", [], made_by="trans_pruning")
    matrix = pd.DataFrame([[1.0, -2.0]], index=pd.Index(["T1"], name="tf"), columns=["G1", "G2"])
    write_matrix(matrix, tmp_path / "s.parquet")
    pd.testing.assert_frame_equal(
        read_result_matrix(tmp_path / "s.parquet", made_by="trans_lightup"), matrix
    )
    (tmp_path / "broken.parquet").write_text("not parquet")
    with pytest.raises(InputError, match="the Parquet matrix is truncated or corrupt"):
        read_result_matrix(tmp_path / "broken.parquet", made_by="trans_lightup")


def test_parquet_tables_and_h5ad_files_name_what_they_lack_and_the_rule(tmp_path: Path) -> None:
    sites = pd.DataFrame({"gene_id": ["G1"], "motif_id": ["MA1"], "start": [3]})
    sites.to_parquet(tmp_path / "sites.parquet")
    read = read_result_parquet(tmp_path / "sites.parquet", ["gene_id", "start"], "ctxreg_sites")
    pd.testing.assert_frame_equal(read, sites)
    with pytest.raises(InputError, match=r"missing column\(s\) p_value.*forcerun ctxreg_sites"):
        read_result_parquet(tmp_path / "sites.parquet", ["p_value"], made_by="ctxreg_sites")
    (tmp_path / "broken.parquet").write_text("not parquet")
    with pytest.raises(InputError, match="the Parquet table is truncated or corrupt"):
        read_result_parquet(tmp_path / "broken.parquet", [], made_by="ctxreg_sites")
    var = pd.DataFrame({"match_id": ["MA1"]}, index=["filter_0"])
    ad.AnnData(np.zeros((2, 1), dtype=np.float32), var=var).write_h5ad(tmp_path / "c.h5ad")
    adata = read_result_h5ad(tmp_path / "c.h5ad", ["match_id"], made_by="ctxreg_contributions")
    assert adata.shape == (2, 1)
    with pytest.raises(InputError, match=r"c.h5ad \(var \(the motifs\)\).*q_value"):
        read_result_h5ad(tmp_path / "c.h5ad", ["q_value"], made_by="ctxreg_contributions")
    (tmp_path / "broken.h5ad").write_text("not hdf5")
    with pytest.raises(InputError, match=r"the HDF5 \(\.h5ad\) file is truncated or corrupt"):
        read_result_h5ad(tmp_path / "broken.h5ad", [], made_by="ctxreg_contributions")
