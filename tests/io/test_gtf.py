"""Tests of cistrans.io.gtf: GENCODE GTF annotation."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.gtf import read_gtf, strip_version, write_gtf

GENE = (
    'gene_id "ENSG00000290825.1"; gene_type "lncRNA"; gene_name "DDX11L2"; level 2; '
    'tag "overlaps_pseudogene";'
)
TRANSCRIPT = (
    'gene_id "ENSG00000186092.7"; transcript_id "ENST00000641515.2"; gene_type "protein_coding"; '
    'gene_name "OR4F5"; transcript_type "protein_coding"; transcript_name "OR4F5-201"; level 2; '
    'protein_id "ENSP00000493376.2"; transcript_support_level "NA"; hgnc_id "HGNC:14825"; '
    'tag "basic"; tag "Ensembl_canonical"; tag "MANE_Select"; havana_gene "OTTHUMG00000001094.4";'
)
EXON = TRANSCRIPT.replace("level 2;", 'exon_number 1; exon_id "ENSE00003812156.1"; level 2;')
PAR = 'gene_id "ENSG00000002586.20_PAR_Y"; gene_type "protein_coding"; gene_name "CD99"; level 2;'
GENCODE = (
    "##description: evidence-based annotation of the human genome (GRCh38), version 43\n"
    "##provider: GENCODE\n"
    "##format: gtf\n"
    f"chr1\tHAVANA\tgene\t11869\t14409\t.\t+\t.\t{GENE}\n"
    f"chr1\tHAVANA\ttranscript\t65419\t71585\t.\t+\t.\t{TRANSCRIPT}\n"
    f"chr1\tHAVANA\texon\t65419\t65433\t.\t+\t.\t{EXON}\n"
    f"chr1\tHAVANA\tCDS\t65565\t65573\t.\t+\t0\t{EXON}\n"
    f"chrY\tHAVANA\tgene\t2691187\t2741309\t.\t+\t.\t{PAR}\n"
)


def test_reads_gencode_lines(write_text: Callable[[str, str], Path]) -> None:
    table = read_gtf(write_text("gencode.gtf", GENCODE))
    assert table["feature"].tolist() == ["gene", "transcript", "exon", "CDS", "gene"]
    assert table["start"].tolist() == [11869, 65419, 65419, 65565, 2691187]
    assert table["end"].dtype == "int64"
    assert table["frame"].tolist() == [".", ".", ".", "0", "."]
    assert table["gene_id"].tolist()[3:] == ["ENSG00000186092.7", "ENSG00000002586.20_PAR_Y"]
    assert table["transcript_id"].tolist() == ["", *["ENST00000641515.2"] * 3, ""]
    assert table["gene_name"].tolist() == ["DDX11L2", "OR4F5", "OR4F5", "OR4F5", "CD99"]
    assert table["gene_type"][0] == "lncRNA"
    assert table["transcript_type"][1] == "protein_coding"
    assert table["tags"][0] == ("overlaps_pseudogene",)
    assert table["tags"][1] == ("basic", "Ensembl_canonical", "MANE_Select")
    assert table["exon_number"].tolist() == [pd.NA, pd.NA, 1, 1, pd.NA]


def test_features_filter_and_exon_number_only_when_present(
    write_text: Callable[[str, str], Path],
) -> None:
    table = read_gtf(write_text("gencode.gtf", GENCODE), features={"gene"})
    assert table["gene_name"].tolist() == ["DDX11L2", "CD99"]
    assert list(table.columns) == [
        "seqname", "source", "feature", "start", "end", "strand", "frame", "gene_id",
        "gene_type", "gene_name", "transcript_id", "transcript_type", "tags",
    ]  # fmt: skip


def test_write_read_round_trip(tmp_path: Path) -> None:
    records = pd.DataFrame(
        {
            "seqname": ["chr2", "chr2"],
            "source": ["cistrans", "cistrans"],
            "feature": ["gene", "exon"],
            "start": [101, 101],
            "end": [900, 250],
            "score": [".", "."],
            "strand": ["-", "-"],
            "frame": [".", "."],
            "attributes": [
                [("gene_id", "ENSG00000000001.3"), ("gene_type", "protein_coding"), ("level", 2)],
                [
                    ("gene_id", "ENSG00000000001.3"),
                    ("transcript_id", "ENST00000000001.1"),
                    ("exon_number", 1),
                    ("tag", "basic"),
                    ("tag", "MANE_Select"),
                ],
            ],
        }
    )
    path = tmp_path / "demo.gtf.gz"
    write_gtf(path, records)
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    assert lines[1:3] == ["##provider: cistrans", "##format: gtf"]
    assert lines[3] == (
        'chr2\tcistrans\tgene\t101\t900\t.\t-\t.\tgene_id "ENSG00000000001.3"; '
        'gene_type "protein_coding"; level 2;'
    )
    assert lines[4].endswith('exon_number 1; tag "basic"; tag "MANE_Select";')
    table = read_gtf(path)
    assert table["start"].tolist() == [101, 101]
    assert table["end"].tolist() == [900, 250]
    assert table["strand"].tolist() == ["-", "-"]
    assert table["transcript_id"].tolist() == ["", "ENST00000000001.1"]
    assert table["tags"].tolist() == [(), ("basic", "MANE_Select")]
    assert table["exon_number"].tolist() == [pd.NA, 1]


def test_writer_refuses_unknown_features(tmp_path: Path) -> None:
    records = pd.DataFrame({"feature": ["five_prime_utr"]})
    with pytest.raises(ValueError, match="five_prime_utr"):
        write_gtf(tmp_path / "a.gtf", records)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("chr1\tHAVANA\tgene\t11869\t14409\t.\t+\t" + GENE, "8 tab-separated fields, not 9"),
        ("chr1\tHAVANA\tgene\t11,869\t14409\t.\t+\t.\t" + GENE, "start '11,869'"),
        ("chr1\tHAVANA\tgene\t14409\t11869\t.\t+\t.\t" + GENE, "start 14409 > end 11869"),
        ("chr1\tHAVANA\tgene\t11869\t14409\t.\t1\t.\t" + GENE, "strand '1' is not one of"),
        ("chr1\tHAVANA\texon\t11869\t14409\t.\t+\t.\texon_number one;", "exon_number 'one'"),
    ],
)
def test_malformed_lines_name_file_and_line(
    write_text: Callable[[str, str], Path], line: str, problem: str
) -> None:
    path = write_text("bad.gtf", GENCODE + line + "\n")
    pattern = rf"{re.escape(str(path))} \(line 9\): {re.escape(problem)}"
    with pytest.raises(InputError, match=pattern):
        read_gtf(path)


@pytest.mark.parametrize(
    ("gene_id", "stripped"),
    [
        ("ENSG00000117118.9", "ENSG00000117118"),
        ("ENSG00000002586.20_PAR_Y", "ENSG00000002586_PAR_Y"),
        ("ENSG00000002586", "ENSG00000002586"),
        ("ENST00000641515.2", "ENST00000641515"),
    ],
)
def test_strip_version_keeps_par_y(gene_id: str, stripped: str) -> None:
    assert strip_version(gene_id) == stripped
