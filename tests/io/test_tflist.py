"""Tests of cistrans.io.tflist: the Lambert 2018 TF census and plain symbol lists."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.tflist import LAMBERT_HEADER, read_tf_list, write_lambert_tf_list


def _tfs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gene_id": ["ENSG00000137203", "ENSG00000008196", "", "ENSG00000000001"],
            "symbol": ["TFAP2A", "TFAP2B", "NEWTF", "NOTATF"],
            "dbd": ["AP-2", "AP-2, bHLH", "", "Unknown"],
            "is_tf": [True, True, True, False],
        }
    )


def test_lambert_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "tfs.csv"
    write_lambert_tf_list(path, _tfs())
    tfs = read_tf_list(path)
    assert tfs.to_dict("list") == {
        "gene_id": ["ENSG00000137203", "ENSG00000008196", ""],
        "symbol": ["TFAP2A", "TFAP2B", "NEWTF"],
    }


def test_lambert_writer_layout_and_determinism(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    write_lambert_tf_list(first, _tfs())
    write_lambert_tf_list(second, _tfs())
    assert first.read_bytes() == second.read_bytes()
    lines = gzip.decompress(first.read_bytes()).decode().split("\n")
    assert len(LAMBERT_HEADER) == 29
    assert lines[0] == ",".join(LAMBERT_HEADER)
    assert lines[2].startswith('1,ENSG00000008196,TFAP2B,"AP-2, bHLH",Yes,None,')
    assert lines[3].startswith("2,None,NEWTF,None,Yes,None")
    assert lines[4].startswith("3,ENSG00000000001,NOTATF,Unknown,No,")
    assert lines[1].count(",") == 28
    assert lines[-1] == ""


def test_gzipped_lambert_strips_versions_and_header_spaces(tmp_path: Path) -> None:
    path = tmp_path / "tfs.csv.gz"
    text = (
        "number,Ensembl ID ,HGNC symbol, Is TF? ,DBD\n"
        '0,ENSG00000137203.7,TFAP2A,Yes,"AP-2, other"\n'
        "1,None,SOX2,Yes,HMG\n"
        "2,ENSG00000999999,TFAP2A,Yes,AP-2\n"
        "3,ENSG00000000002,NOTF,No,None\n"
    )
    path.write_bytes(gzip.compress(text.encode()))
    assert read_tf_list(path).to_dict("list") == {
        "gene_id": ["ENSG00000137203", ""],
        "symbol": ["TFAP2A", "SOX2"],
    }


def test_symbol_list_with_crlf_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes(b"SOX2\r\nPAX6\r\nSOX2\r\n  MYC \nZZZ3\n\r\n")
    tfs = read_tf_list(path)
    assert tfs["symbol"].tolist() == ["SOX2", "PAX6", "MYC", "ZZZ3"]
    assert set(tfs["gene_id"]) == {""}


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        pytest.param(
            "bad.csv",
            "number,Ensembl ID,Symbol\n0,ENSG00000137203,TFAP2A\n",
            r"bad\.csv \(line 1\): missing column\(s\) HGNC symbol, Is TF\?.*"
            r"Fix: use the Lambert",
            id="missing Lambert columns",
        ),
        pytest.param(
            "ragged.csv",
            "Ensembl ID,HGNC symbol,Is TF?\nENSG1,A,Yes\nENSG2,B,C,Yes\n",
            r"ragged\.csv \(line 3\): 4 fields.*Fix: quote fields",
            id="Lambert row with wrong field count",
        ),
        pytest.param(
            "none.csv",
            "Ensembl ID,HGNC symbol,Is TF?\nENSG1,A,No\n",
            r"none\.csv: the file lists no transcription factors.*Fix: use",
            id="Lambert CSV without TFs",
        ),
        pytest.param(
            "empty.txt",
            "\n\n",
            r"empty\.txt: .*no transcription factors",
            id="empty symbol list",
        ),
        pytest.param(
            "table.tsv",
            "SOX2\nPAX6\t5080\n",
            r"table\.tsv \(line 2\): 'PAX6\\t5080' is not one gene symbol.*Fix: use the Lambert",
            id="symbol list with two columns",
        ),
    ],
)
def test_malformed_lists_are_input_errors(
    write_text: Callable[[str, str], Path], name: str, text: str, pattern: str
) -> None:
    path = write_text(name, text)
    with pytest.raises(InputError, match=pattern):
        read_tf_list(path)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        pytest.param(
            lambda tfs: tfs.drop(columns="dbd"),
            r"tfs: missing column\(s\) dbd.*Fix: give columns",
            id="missing column",
        ),
        pytest.param(
            lambda tfs: tfs.assign(is_tf=["Yes", "Yes", "Yes", "No"]),
            "not boolean",
            id="is_tf not boolean",
        ),
    ],
)
def test_writer_rejects_bad_tables(
    tmp_path: Path, change: Callable[[pd.DataFrame], pd.DataFrame], pattern: str
) -> None:
    with pytest.raises(InputError, match=pattern):
        write_lambert_tf_list(tmp_path / "x.csv", change(_tfs()))


def test_real_lambert_csv(real: Path) -> None:
    tfs = read_tf_list(real / "DatabaseExtract_v_1.01.csv")
    assert len(tfs) == 1639
    assert tfs.iloc[0].tolist() == ["ENSG00000137203", "TFAP2A"]
    assert tfs["gene_id"].str.fullmatch(r"ENSG\d{11}|").all()
    dux = tfs.set_index("symbol").loc[["DUX1", "DUX3", "PHF19"], "gene_id"]
    assert dux.tolist() == ["", "", "ENSG00000119403"]
    assert not tfs["symbol"].duplicated().any()


def test_real_lambert_header_matches_constant(real: Path) -> None:
    first_line = (real / "DatabaseExtract_v_1.01.csv").read_text().split("\n", 1)[0]
    assert first_line == ",".join(LAMBERT_HEADER)


def test_real_tf_names_txt(real: Path, tmp_path: Path) -> None:
    tfs = read_tf_list(real / "TF_names_v_1.01.txt")
    assert len(tfs) == 1639
    assert not tfs["symbol"].str.contains("\r").any()
    assert tfs["symbol"].iloc[-1] == "ZZZ3"
    gzipped = tmp_path / "TF_names.txt.gz"
    with open(real / "TF_names_v_1.01.txt", "rb") as source, gzip.open(gzipped, "wb") as target:
        shutil.copyfileobj(source, target)
    pd.testing.assert_frame_equal(read_tf_list(gzipped), tfs)


def test_real_lists_agree(real: Path) -> None:
    census = set(read_tf_list(real / "DatabaseExtract_v_1.01.csv")["symbol"])
    names = set(read_tf_list(real / "TF_names_v_1.01.txt")["symbol"])
    assert names == census
