"""Tests of cistrans.sequence.windows: strand-aware promoter windows and their FASTA files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cistrans.dna import reverse_complement
from cistrans.errors import InputError
from cistrans.io.fasta import write_fasta
from cistrans.io.gtf import read_gtf
from cistrans.sequence.tss import canonical_transcripts
from cistrans.sequence.windows import (
    UPSTREAM,
    WINDOW_COLUMNS,
    extract_windows,
    read_windows,
    write_windows,
)

# chr1 is soft-masked in part (lower case is not counted) and has an R and two Ns.
CHR1 = "ACGTACGTAAcctgGATTACARGTCCATGGAAGCTTNNTTGACGTCAGGCCTAAGCTTAC"  # 60 bp
CHR2 = "GATTACAGATTACACCCGGGTTTAAACCGG"  # 30 bp
UP, DOWN = 5, 3
# gene → (chrom, tss, strand, window, padded, non_acgt); windows worked out by hand:
EXPECTED = {
    "plus": ("chr1", 25, "+", "CANGTCCA", 0, 1),  # chr1[19:27], the R made N
    "minus": ("chr1", 16, "-", "TGTAATCC", 0, 0),  # revcomp(chr1[13:21] = gGATTACA)
    "plus_start": ("chr1", 3, "+", "NNNACGTA", 3, 0),  # 3 bases before chr1's start
    "minus_end": ("chr1", 58, "-", "NNNGTAAG", 3, 0),  # upstream runs past chr1's end
    "minus_n": ("chr1", 36, "-", "CAANNAAG", 0, 2),  # revcomp(chr1[33:41] = CTTNNTTG)
    "plus_end": ("chr2", 29, "+", "AAACCGGN", 1, 0),  # downstream runs past chr2's end
    "minus_start": ("chr2", 2, "-", "TGTAATCN", 1, 0),  # downstream runs before chr2's start
}


@pytest.fixture
def genome(tmp_path: Path) -> Path:
    path = tmp_path / "genome.fa"
    write_fasta(path, {"chr1": CHR1, "chr2": CHR2}, line_width=7)
    return path


def gene_table(names: list[str] | None = None, **changes: list) -> pd.DataFrame:
    names = names or list(EXPECTED)
    rows = [(f"ENSG{i}", name, *EXPECTED[name][:3]) for i, name in enumerate(names)]
    table = pd.DataFrame(rows, columns=["gene_id", "symbol", "chrom", "tss", "strand"])
    return table.assign(**changes)


def test_windows_are_cut_in_gene_orientation_and_padded(genome: Path) -> None:
    genes = gene_table()
    sequences, table = extract_windows(genome, genes, UP, DOWN, progress=False)
    assert dict(zip(table.symbol, sequences, strict=True)) == {
        name: expected[3] for name, expected in EXPECTED.items()
    }
    assert list(table.columns) == list(WINDOW_COLUMNS)
    assert table.padded.tolist() == [expected[4] for expected in EXPECTED.values()]
    assert table.non_acgt.tolist() == [expected[5] for expected in EXPECTED.values()]
    assert table[["gene_id", "chrom", "tss", "strand"]].equals(
        genes[["gene_id", "chrom", "tss", "strand"]]
    )


def test_the_tss_base_sits_at_index_upstream(genome: Path) -> None:
    genes = gene_table(["plus", "minus"])
    sequences, _ = extract_windows(genome, genes, 0, 1, progress=False)
    assert sequences == [CHR1[24], reverse_complement(CHR1[15].upper())]
    sequences, _ = extract_windows(genome, genes, 1, 0, progress=False)
    assert sequences == [CHR1[23], reverse_complement(CHR1[16].upper())]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"chrom": ["1"] * 7}, r"'1' here is 'chr1' in the FASTA.*same provider"),
        ({"chrom": ["chrUn_1", *["chr1"] * 6]}, r"not in the FASTA: chrUn_1; the FASTA has 2: "
                                                r"chr1, chr2.*assembly"),
        ({"tss": [61, *[25] * 6]}, r"ENSG0 \(plus\) has its TSS at 61, outside chromosome chr1"),
    ],
    ids=["chr-prefix", "unknown-chromosome", "tss-outside"],
)  # fmt: skip
def test_chromosome_problems_raise_input_errors(genome: Path, changes: dict, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        extract_windows(genome, gene_table(**changes), UP, DOWN, progress=False)
    assert str(genome) in str(error.value)


def test_a_window_longer_than_its_chromosome_is_an_input_error(genome: Path) -> None:
    sequences, _ = extract_windows(genome, gene_table(["plus"]), 27, 3, progress=False)
    assert sequences[0] == "N" * 3 + CHR1[:27].upper().replace("R", "N")
    with pytest.raises(
        InputError, match=r"31 bp window .* longer than chromosome chr2 \(30 bp\) of gene ENSG1"
    ):
        extract_windows(genome, gene_table(["plus", "plus_end"]), 28, 3, progress=False)


def test_bad_gene_tables_are_rejected(genome: Path) -> None:
    with pytest.raises(ValueError, match="strand"):
        extract_windows(genome, gene_table(["plus"], strand=["."]), UP, DOWN, progress=False)
    with pytest.raises(InputError, match="missing column"):
        extract_windows(genome, gene_table().drop(columns="tss"), UP, DOWN, progress=False)


def test_windows_round_trip_through_reproducible_gzip(tmp_path: Path) -> None:
    ids, sequences = ["ENSG2", "ENSG1"], ["ACGTN" * 30, "TTTT"]
    write_windows(tmp_path / "a.fa.gz", ids, sequences)
    write_windows(tmp_path / "b.fa.gz", ids, sequences)
    data = (tmp_path / "a.fa.gz").read_bytes()
    assert data == (tmp_path / "b.fa.gz").read_bytes()
    assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0"  # gzip, no time stamp
    windows = read_windows(tmp_path / "a.fa.gz")
    assert list(windows) == ids and list(windows.values()) == sequences
    with pytest.raises(ValueError, match="repeats"):
        write_windows(tmp_path / "c.fa.gz", ["x", "x"], ["A", "C"])


def test_read_windows_takes_wrapped_plain_fasta_and_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "windows.fa"
    path.write_text(">g1 some description\nACG\nTN\n\n>g2\nCC\n")
    assert read_windows(path) == {"g1": "ACGTN", "g2": "CC"}
    path.write_text("ACGT\n>g1\nA\n")
    with pytest.raises(InputError, match=r"line 1\): sequence before the first > header"):
        read_windows(path)
    path.write_text(">g1\nA\n>g1\nC\n")
    with pytest.raises(InputError, match=r"line 3\): repeated window name 'g1'"):
        read_windows(path)


def test_every_demo_motif_lies_in_its_window_as_planted(demo: Path) -> None:
    """Each site of truth/motif_instances.tsv reads, in the default -7,000…+3,500 window of
    its gene, at index 7,000 + offset: the site itself on strand +, its reverse complement on
    strand - (offset = 5'-most base in gene orientation, as promoters.py plants it)."""
    gtf = read_gtf(demo / "genome" / "annotation.gtf.gz", features={"transcript", "exon", "CDS"})
    genes = canonical_transcripts(gtf, None)
    sequences, table = extract_windows(demo / "genome" / "genome.fa", genes, progress=False)
    windows = dict(zip(table.gene_id, sequences, strict=True))
    assert {len(sequence) for sequence in sequences} == {10_500}
    sites = pd.read_csv(demo / "truth" / "motif_instances.tsv", sep="\t", keep_default_na=False)
    strand_of_gene = genes.set_index("gene_id").strand
    assert set(strand_of_gene[sites.gene_id]) == {"+", "-"} and set(sites.strand) == {"+", "-"}
    found = [
        windows[site.gene_id][UPSTREAM + site.offset : UPSTREAM + site.offset + len(site.site)]
        for site in sites.itertuples()
    ]
    expected = [
        site.site if site.strand == "+" else reverse_complement(site.site)
        for site in sites.itertuples()
    ]
    assert found == expected
