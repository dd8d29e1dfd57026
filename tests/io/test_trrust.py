"""Tests of cistrans.io.trrust: TRRUST, CollecTRI and DoRothEA TF→target tables."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.trrust import read_tf_target_table, read_trrust, write_trrust

BAD_DOROTHEA = "tf\tconfidence\ttarget\tmor\nAHR\tF\tCYP1A1\t1\n"
"""A DoRothEA table whose one edge has an unknown confidence level."""


def _edges() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tf": ["AATF", "AATF", "SEPT7", "AATF"],
            "target": ["BAX", "CDKN1A", "MYC", "BAX"],
            "mode": ["Repression", "Unknown", "Activation", "Activation"],
            "pmids": ["22909821", "17157788;23146908", "", "1"],
        }
    )


def test_trrust_round_trip_keeps_repeated_pairs(tmp_path: Path) -> None:
    path = tmp_path / "trrust.tsv"
    write_trrust(path, _edges())
    assert path.read_text().splitlines()[1] == "AATF\tCDKN1A\tUnknown\t17157788;23146908"
    pd.testing.assert_frame_equal(read_trrust(path), _edges())


def test_trrust_gzip_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "trrust.tsv.gz"
    path.write_bytes(
        gzip.compress(b"AATF\tBAX\tRepression\t22909821\r\n\r\nMYC\tTERT\tActivation\t1;2\r\n")
    )
    edges = read_trrust(path)
    assert edges.values.tolist() == [
        ["AATF", "BAX", "Repression", "22909821"],
        ["MYC", "TERT", "Activation", "1;2"],
    ]


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        pytest.param(
            "short.tsv",
            "AATF\tBAX\tRepression\t22909821\nAATF\tCDKN1A\tUnknown\n",
            r"short\.tsv \(line 2\): 3 tab-separated fields.*Fix: give every line four",
            id="wrong field count",
        ),
        pytest.param(
            "header.tsv",
            "TF\tTarget\tMode\tPMID\nAATF\tBAX\tRepression\t1\n",
            r"header\.tsv \(line 1\): unknown mode 'Mode'\. "
            r"Fix: use one of Activation, Repression, Unknown",
            id="unknown mode names line and allowed modes",
        ),
        pytest.param(
            "empty.tsv",
            "",
            r"empty\.tsv: the file is empty \(0 bytes.*Fix: download the file again",
            id="empty file",
        ),
    ],
)
def test_malformed_trrust_is_an_input_error(
    write_text: Callable[[str, str], Path], name: str, text: str, pattern: str
) -> None:
    path = write_text(name, text)
    with pytest.raises(InputError, match=pattern):
        read_trrust(path)


def test_write_trrust_rejects_unknown_modes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"edges: unknown mode\(s\) \['Up'\].*Fix: use Activation"):
        write_trrust(tmp_path / "x.tsv", _edges().assign(mode="Up"))


def test_tf_target_table_trrust(tmp_path: Path) -> None:
    path = tmp_path / "trrust.tsv"
    write_trrust(path, _edges())
    table = read_tf_target_table(path, "trrust")
    assert table.columns.tolist() == ["tf", "target", "mode"]
    assert table["mode"].tolist() == ["Repression", "Unknown", "Activation", "Activation"]


def test_tf_target_table_collectri(tmp_path: Path, write_text: Callable[[str, str], Path]) -> None:
    path = tmp_path / "collectri.csv"
    path.write_text(
        "source,target,weight,resources,references,sign_decision\n"
        "MYC,TERT,1,ExTRI;HTRI;TRRUST,10022128;10491298,PMID\n"
        'AP1,MMP1,-1,"ExTRI,SIGNOR",123,default activation\n'
        "NFKB,IL6,0,ExTRI,,default\n"
        "SOX2,NES,NA,ExTRI,,default\n"
    )
    table = read_tf_target_table(path, "collectri")
    assert table.values.tolist() == [
        ["MYC", "TERT", "Activation"],
        ["AP1", "MMP1", "Repression"],
        ["NFKB", "IL6", "Unknown"],
        ["SOX2", "NES", "Unknown"],
    ]


def test_tf_target_table_dorothea_filters_confidence(
    tmp_path: Path, write_text: Callable[[str, str], Path]
) -> None:
    path = tmp_path / "dorothea.tsv"
    path.write_text(
        "tf\tconfidence\ttarget\tmor\n"
        "ADNP\tD\tATF7IP\t1\n"
        "AHR\tA\tCYP1A1\t1\n"
        "AR\tB\tKLK3\t-1\n"
        "E2F4\tC\tCDC6\t0\n"
    )
    table = read_tf_target_table(path, "dorothea", min_confidence="C")
    assert table.columns.tolist() == ["tf", "target", "mode", "confidence"]
    assert table.values.tolist() == [
        ["AHR", "CYP1A1", "Activation", "A"],
        ["AR", "KLK3", "Repression", "B"],
        ["E2F4", "CDC6", "Unknown", "C"],
    ]
    assert len(read_tf_target_table(path, "dorothea")) == 4


def test_tf_target_table_dorothea_csv_with_r_quotes(
    tmp_path: Path, write_text: Callable[[str, str], Path]
) -> None:
    path = tmp_path / "dorothea.csv"
    path.write_text('"","tf","confidence","target","mor"\n"1","AHR","A","CYP1A1",1\n')
    assert read_tf_target_table(path, "dorothea").values.tolist() == [
        ["AHR", "CYP1A1", "Activation", "A"]
    ]


OMNIPATH_HEADER = (
    "source\ttarget\tsource_genesymbol\ttarget_genesymbol\tis_directed\tis_stimulation\t"
    "is_inhibition\tconsensus_direction\tconsensus_stimulation\tconsensus_inhibition\t"
    "dorothea_level\n"
)
"""The header of OmniPath's `interactions?datasets=dorothea&genesymbols=yes&fields=dorothea_level`
(the server puts the gene symbols right after the UniProt accessions)."""

OMNIPATH_DOROTHEA = OMNIPATH_HEADER + (
    "P01106\tP11802\tMYC\tCDK4\t1\t1\t0\t1\t1\t0\tA\n"
    "P04637\tP38936\tTP53\tCDKN1A\t1\t1\t0\t1\t1\t0\tA;B\n"
    "P04637\tO15392\tTP53\tBIRC5\t1\t0\t1\t1\t0\t1\tB\n"
    "P01106\tP38936\tMYC\tCDKN1A\t1\t1\t1\t1\t0\t1\tC\n"
    "P04637\tQ00987\tTP53\tMDM2\t1\t1\t1\t1\t1\t1\tB;C\n"
    "P01106\tP06748\tMYC\tNPM1\t1\t0\t0\t1\t0\t0\tD\n"
)
"""Real TF-target pairs with their real UniProt accessions, in OmniPath's shape: an `A;B`
level, an inhibition, a conflict the consensus settles (MYC-CDKN1A), one it leaves open
(TP53-MDM2) and an unsigned edge."""


def test_dorothea_as_omnipath_serves_it(write_text: Callable[[str, str], Path]) -> None:
    path = write_text("dorothea_omnipath.tsv", OMNIPATH_DOROTHEA)
    table = read_tf_target_table(path, "dorothea")
    assert table.columns.tolist() == ["tf", "target", "mode", "confidence"]
    assert table.values.tolist() == [
        ["MYC", "CDK4", "Activation", "A"],
        ["TP53", "CDKN1A", "Activation", "A"],
        ["TP53", "BIRC5", "Repression", "B"],
        ["MYC", "CDKN1A", "Repression", "C"],
        ["TP53", "MDM2", "Unknown", "B"],
        ["MYC", "NPM1", "Unknown", "D"],
    ]


@pytest.mark.parametrize(
    ("min_confidence", "expected"),
    [
        ("A", [("MYC", "CDK4"), ("TP53", "CDKN1A")]),
        ("B", [("MYC", "CDK4"), ("TP53", "CDKN1A"), ("TP53", "BIRC5"), ("TP53", "MDM2")]),
        ("C", [("MYC", "CDK4"), ("TP53", "CDKN1A"), ("TP53", "BIRC5"), ("MYC", "CDKN1A"),
               ("TP53", "MDM2")]),
    ],
)  # fmt: skip
def test_dorothea_from_omnipath_filters_on_the_first_level(
    write_text: Callable[[str, str], Path], min_confidence: str, expected: list[tuple[str, str]]
) -> None:
    path = write_text("dorothea_omnipath.tsv", OMNIPATH_DOROTHEA)
    table = read_tf_target_table(path, "dorothea", min_confidence=min_confidence)
    assert list(zip(table.tf, table.target, strict=True)) == expected


def test_dorothea_from_omnipath_without_consensus_columns_uses_is_columns(
    write_text: Callable[[str, str], Path],
) -> None:
    path = write_text(
        "dorothea.tsv",
        "source\ttarget\tsource_genesymbol\ttarget_genesymbol\tis_stimulation\tis_inhibition\t"
        "dorothea_level\n"
        "P01106\tP11802\tMYC\tCDK4\tTrue\tFalse\tA\n"
        "P04637\tO15392\tTP53\tBIRC5\t0\t1\tB\n"
        "P01106\tP38936\tMYC\tCDKN1A\t1\t1\tC\n",
    )
    assert read_tf_target_table(path, "dorothea")["mode"].tolist() == [
        "Activation",
        "Repression",
        "Unknown",
    ]


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        pytest.param(
            "tf,target,weight\nMYC,CDK4,1\n",
            r"odd\.tsv \(line 1\): not a DoRothEA table: the header has tf, target, weight\. "
            r"Fix: give DoRothEA as OmniPath serves it or as the R package's table, with the "
            r"columns of OmniPath \(source_genesymbol, target_genesymbol, is_stimulation, "
            r"is_inhibition, dorothea_level\); or R package \(tf, confidence, target, mor\)",
            id="neither layout",
        ),
        pytest.param(
            "",
            r"odd\.tsv: the file is empty \(0 bytes.*Fix: download the file again",
            id="empty file",
        ),
        pytest.param(
            OMNIPATH_HEADER + "P01106\tP11802\tMYC\tCDK4\t1\t1\t0\t1\tyes\t0\tA\n",
            r"odd\.tsv \(line 2, column consensus_stimulation\): 'yes' is not 0 or 1",
            id="flag not 0 or 1",
        ),
        pytest.param(
            OMNIPATH_HEADER + "P01106\tP11802\tMYC\tCDK4\t1\t1\t0\t1\t1\t0\t\n",
            r"odd\.tsv \(line 2, column dorothea_level\): unknown confidence ''",
            id="no level",
        ),
        pytest.param(
            OMNIPATH_HEADER,
            r"odd\.tsv: the file holds no TF-target rows",
            id="header only",
        ),
    ],
)
def test_malformed_dorothea_is_an_input_error(
    write_text: Callable[[str, str], Path], text: str, pattern: str
) -> None:
    path = write_text("odd.tsv", text)
    with pytest.raises(InputError, match=pattern):
        read_tf_target_table(path, "dorothea")


@pytest.mark.parametrize(
    ("name", "text", "format", "min_confidence", "pattern"),
    [
        pytest.param(
            "collectri.csv",
            "source,target,weight\nMYC,TERT,1\nMYC,CDK4,up\n",
            "collectri",
            None,
            r"collectri\.csv \(line 3, column weight\): 'up' is not a number.*Fix",
            id="collectri bad weight",
        ),
        pytest.param(
            "dorothea.tsv",
            BAD_DOROTHEA,
            "omnipath",
            None,
            r"dorothea\.tsv: unknown TF-target format 'omnipath'\. "
            r"Fix: use one of trrust, collectri, dorothea",
            id="unknown format",
        ),
        pytest.param(
            "dorothea.tsv",
            BAD_DOROTHEA,
            "dorothea",
            None,
            r"dorothea\.tsv \(line 2, column confidence\): unknown confidence 'F'.*"
            r"Fix: use one of A, B",
            id="unknown confidence",
        ),
        pytest.param(
            "dorothea.tsv",
            BAD_DOROTHEA,
            "dorothea",
            "Z",
            r"min_confidence: 'Z' is not a DoRothEA confidence level",
            id="unknown min_confidence",
        ),
        pytest.param(
            "dorothea.tsv",
            BAD_DOROTHEA,
            "trrust",
            "A",
            r"dorothea\.tsv: min_confidence applies to DoRothEA.*Fix: drop",
            id="min_confidence outside DoRothEA",
        ),
        pytest.param(
            "dorothea.tsv",
            BAD_DOROTHEA,
            "collectri",
            None,
            r"dorothea\.tsv \(line 1\): missing column\(s\) source.*Fix: give a header",
            id="missing columns",
        ),
        pytest.param(
            "ragged.csv",
            "source,target,weight\nMYC,TERT,1\nMYC,CDK4\n",
            "collectri",
            None,
            r"ragged\.csv \(line 3\): 2 fields where the header has 3\. "
            r"Fix: give every row one value per header column",
            id="row with too few fields",
        ),
        pytest.param(
            "header-only.tsv",
            "tf\tconfidence\ttarget\tmor\n",
            "dorothea",
            None,
            r"header-only\.tsv: the file holds no TF-target rows\. Fix: use a complete table",
            id="no rows",
        ),
    ],
)
def test_tf_target_table_errors(
    write_text: Callable[[str, str], Path],
    name: str,
    text: str,
    format: str,
    min_confidence: str | None,
    pattern: str,
) -> None:
    path = write_text(name, text)
    with pytest.raises(InputError, match=pattern):
        read_tf_target_table(path, format, min_confidence=min_confidence)


def test_real_trrust(real: Path) -> None:
    edges = read_trrust(real / "trrust_rawdata.human.tsv")
    assert len(edges) == 9396
    assert edges.iloc[0].tolist() == ["AATF", "BAX", "Repression", "22909821"]
    assert edges["mode"].value_counts().to_dict() == {
        "Unknown": 4325,
        "Activation": 3149,
        "Repression": 1922,
    }
    assert edges.duplicated(["tf", "target"]).any()
    assert (edges["pmids"].str.contains(";")).any()
