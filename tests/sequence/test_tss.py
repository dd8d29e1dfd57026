"""Tests of cistrans.sequence.tss: canonical transcripts, TSSs, and TSS BED overrides."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.gtf import read_gtf
from cistrans.sequence.tss import apply_tss_bed, canonical_transcripts, gene_table


def gtf_line(
    feature: str,
    start: int,
    end: int,
    gene: str,
    transcript: str | None = None,
    strand: str = "+",
    chrom: str = "chr1",
    tags: tuple[str, ...] = (),
    gene_type: str = "protein_coding",
    symbol: str | None = None,
) -> str:
    """One GENCODE-style GTF line of gene `gene` (and transcript `transcript`)."""
    attributes = f'gene_id "{gene}.4"; gene_type "{gene_type}"; gene_name "{symbol or gene[-1]}";'
    if transcript:
        attributes += f' transcript_id "{transcript}.2"; transcript_type "{gene_type}";'
    attributes += " level 2;" + "".join(f' tag "{tag}";' for tag in tags)
    return "\t".join([chrom, "HAVANA", feature, str(start), str(end), ".", strand, ".", attributes])


def transcript(
    gene: str,
    name: str,
    exons: list[tuple[int, int]],
    cds: list[tuple[int, int]] = (),
    **options: object,
) -> list[str]:
    """transcript, exon and CDS lines of one transcript."""
    span = (min(s for s, _ in exons), max(e for _, e in exons))
    lines = [gtf_line("transcript", *span, gene, name, **options)]
    lines += [gtf_line("exon", s, e, gene, name, **options) for s, e in exons]
    return lines + [gtf_line("CDS", s, e, gene, name, **options) for s, e in cds]


GENES = [
    # A (+): MANE_Select, a longer CDS, and the Ensembl_canonical one (which wins)
    gtf_line("gene", 100, 900, "ENSG0000000000A"),
    *transcript("ENSG0000000000A", "ENST000000000A1", [(100, 300)], [(150, 200)],
                tags=("basic", "MANE_Select")),
    *transcript("ENSG0000000000A", "ENST000000000A2", [(120, 900)], [(150, 800)]),
    *transcript("ENSG0000000000A", "ENST000000000A3", [(110, 200)], [(150, 160)],
                tags=("basic", "Ensembl_canonical")),
    # B (-): MANE_Select beats a longer CDS
    *transcript("ENSG0000000000B", "ENST000000000B1", [(1000, 1100), (1200, 1500)],
                [(1050, 1100), (1200, 1300)], strand="-", tags=("MANE_Select",)),
    *transcript("ENSG0000000000B", "ENST000000000B2", [(1000, 1600)], [(1000, 1600)],
                strand="-"),
    # C (-): no tags; the longest CDS (summed over its records) wins over the longest transcript
    *transcript("ENSG0000000000C", "ENST000000000C1", [(2000, 2100), (2300, 2400)],
                [(2050, 2100), (2300, 2350)], strand="-", chrom="chr2"),
    *transcript("ENSG0000000000C", "ENST000000000C2", [(2000, 2900)], [(2000, 2080)],
                strand="-", chrom="chr2"),
    *transcript("ENSG0000000000C", "ENST000000000C3", [(1900, 3000)], strand="-",
                chrom="chr2"),
    # D (lncRNA): the longest spliced transcript; a tie goes to the smaller transcript ID
    *transcript("ENSG0000000000D", "ENST000000000D2", [(5000, 5099), (5200, 5299)],
                gene_type="lncRNA"),
    *transcript("ENSG0000000000D", "ENST000000000D1", [(5100, 5299)], gene_type="lncRNA"),
    *transcript("ENSG0000000000D", "ENST000000000D3", [(4000, 4050), (5250, 5299)],
                gene_type="lncRNA"),
]  # fmt: skip


def write_gtf_lines(folder: Path, lines: list[str], name: str = "genes.gtf") -> Path:
    path = folder / name
    path.write_text("##format: gtf\n" + "\n".join(lines) + "\n")
    return path


@pytest.fixture
def genes(tmp_path: Path) -> pd.DataFrame:
    return canonical_transcripts(read_gtf(write_gtf_lines(tmp_path, GENES)), None)


def test_one_transcript_per_gene_by_tag_then_cds_then_length(genes: pd.DataFrame) -> None:
    assert genes.to_dict("list") == {
        "gene_id": ["ENSG0000000000A", "ENSG0000000000B", "ENSG0000000000C", "ENSG0000000000D"],
        "symbol": ["A", "B", "C", "D"],
        "gene_type": ["protein_coding"] * 3 + ["lncRNA"],
        "chrom": ["chr1", "chr1", "chr2", "chr1"],
        "strand": ["+", "-", "-", "+"],
        "tss": [110, 1500, 2400, 5100],  # transcript start on +, end on -
        "transcript_id": ["ENST000000000A3", "ENST000000000B1", "ENST000000000C1",
                          "ENST000000000D1"],
        "choice": ["Ensembl_canonical", "MANE_Select", "longest_cds", "longest_transcript"],
    }  # fmt: skip


def test_gene_types_filter_and_transcripts_from_exons_alone(tmp_path: Path) -> None:
    gtf = read_gtf(write_gtf_lines(tmp_path, GENES))
    coding = canonical_transcripts(gtf, ["protein_coding"])
    assert coding.gene_id.tolist() == ["ENSG0000000000A", "ENSG0000000000B", "ENSG0000000000C"]
    # a GTF without transcript lines: transcripts span their exons
    exons_only = canonical_transcripts(gtf[gtf.feature != "transcript"], None)
    assert exons_only.equals(canonical_transcripts(gtf, None))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([line.replace('gene_type "', 'gene_biotype "') for line in GENES], "gene_biotype"),
        ([line.replace("lncRNA", "protein_coding") for line in GENES[:2]], "no gene has"),
        (transcript("ENSG0000000000E", "ENST000000000E1", [(1, 9)], strand="."), "strand"),
        ([gtf_line("gene", 1, 9, "ENSG0000000000E")], "no transcript or exon records"),
    ],
    ids=["ensembl-biotype", "no-gene-of-type", "no-strand", "no-transcripts"],
)
def test_bad_annotations_raise_input_errors(tmp_path: Path, lines: list[str], message: str) -> None:
    path = write_gtf_lines(tmp_path, lines)
    gene_types = None if message == "strand" else ["lncRNA"]
    with pytest.raises(InputError, match=message) as error:
        canonical_transcripts(read_gtf(path), gene_types, source=path)
    assert str(path) in str(error.value)


BED = (
    "track name=tss\n"
    "# CAGE-corrected TSSs\n"
    "chr1\t149\t150\tENSG0000000000A.9\t0\t+\n"  # ID with another version
    "chr3\t9\t20\tB\t0\t+\n"  # by symbol; a wider interval starts at its 5' end
    "chr2\t2449\t2450\tENSG0000000000C\t.\t-\n"  # ID without version; - strand TSS = end
)


def test_tss_bed_overrides_the_genes_it_names(tmp_path: Path, genes: pd.DataFrame) -> None:
    bed = tmp_path / "tss.bed"
    bed.write_text(BED)
    updated = apply_tss_bed(bed, genes)
    assert updated.chrom.tolist() == ["chr1", "chr3", "chr2", "chr1"]
    assert updated.tss.tolist() == [150, 10, 2450, 5100]
    assert updated.strand.tolist() == ["+", "+", "-", "+"]
    assert updated.tss_source.tolist() == ["bed", "bed", "bed", "gtf"]
    assert updated.transcript_id.equals(genes.transcript_id)
    assert genes.tss.tolist() == [110, 1500, 2400, 5100]  # the input is not modified


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BED + "chr1\t1\t2\tNOPE\t0\t+\nchr1\t1\t2\tENSG0000000000Z\t0\t+\n",
         r"2 name\(s\) matching no gene.*NOPE \(line 6\), ENSG0000000000Z \(line 7\)"),
        (BED + "chr1\t5\t6\tD\t0\t-\nchr1\t7\t8\tENSG0000000000D.4\t0\t-\n",
         r"lines naming the same gene: D \(line 6\), ENSG0000000000D.4 \(line 7\)"),
        (BED.replace("\t0\t+\n", "\t0\n", 1), r"line 3\).*5 tab-separated fields"),
        (BED.replace("\t149\t", "\tx\t"), r"line 3\).*not integers"),
        (BED.replace("\t149\t", "\t150\t"), r"line 3\).*start < end"),
        (BED.replace("\t.\t-", "\t.\t."), r"line 5\).*strand '.'"),
        ("track only\n", "no BED lines"),
    ],
    ids=["unknown", "repeated", "fields", "start", "empty", "strand", "empty-file"],
)  # fmt: skip
def test_bad_tss_beds_raise_input_errors(
    tmp_path: Path, genes: pd.DataFrame, text: str, message: str
) -> None:
    bed = tmp_path / "tss.bed"
    bed.write_text(text)
    with pytest.raises(InputError, match=message) as error:
        apply_tss_bed(bed, genes)
    assert str(bed) in str(error.value) and "Fix:" in str(error.value)


def test_a_symbol_shared_by_genes_must_be_named_by_id(tmp_path: Path, genes: pd.DataFrame) -> None:
    bed = tmp_path / "tss.bed"
    bed.write_text("chr1\t1\t2\tA\t0\t+\n")
    twins = genes.assign(symbol=["A", "A", "C", "D"])
    with pytest.raises(InputError, match=r"several genes' symbols: A \(line 1\).*gene ID"):
        apply_tss_bed(bed, twins)


def test_the_tss_of_every_demo_gene_is_its_planted_tss(demo: Path) -> None:
    """The GTF-derived TSS, chromosome and strand equal truth/gene_structures.tsv for every
    gene (both strands), though some genes carry a second, untagged transcript."""
    gtf = read_gtf(demo / "genome" / "annotation.gtf.gz", features={"transcript", "exon", "CDS"})
    genes = canonical_transcripts(gtf, None).set_index("gene_id")
    truth = pd.read_csv(demo / "truth" / "gene_structures.tsv", sep="\t").set_index("gene_id")
    assert sorted(genes.index) == sorted(truth.index)
    assert gtf.transcript_id.nunique() > len(genes)
    assert set(genes.strand) == {"+", "-"} and set(genes.choice) == {"Ensembl_canonical"}
    truth = truth.loc[genes.index]
    assert genes.tss.equals(truth.tss) and genes.strand.equals(truth.strand)
    assert genes.chrom.equals(truth.chrom)


def test_a_genome_wide_bed_may_name_genes_of_other_types(tmp_path: Path) -> None:
    """gene_table matches the BED against every gene, then keeps the configured types."""
    gtf = read_gtf(write_gtf_lines(tmp_path, GENES))
    bed = tmp_path / "tss.bed"
    bed.write_text("chr1\t129\t130\tENSG0000000000A\t0\t+\nchr1\t5149\t5150\tD\t0\t+\n")
    table = gene_table(gtf, ["protein_coding"], tss_bed=bed)
    assert table.gene_id.tolist() == ["ENSG0000000000A", "ENSG0000000000B", "ENSG0000000000C"]
    assert table.tss.tolist() == [130, 1500, 2400]
    assert table.tss_source.tolist() == ["bed", "gtf", "gtf"]
    bed.write_text("chr1\t129\t130\tNOT_A_GENE\t0\t+\n")
    with pytest.raises(InputError, match="NOT_A_GENE"):
        gene_table(gtf, ["protein_coding"], tss_bed=bed)
