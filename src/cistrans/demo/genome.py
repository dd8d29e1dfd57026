"""The demo genome: chromosomes holding every gene of the network, its GTF, and baselines.

Each gene's baseline level (log2 units) is set by its promoter grammar (`promoters.py`) and by
planted effects of its mRNA features, plus a little noise; `expression.py` adds trans
regulation on top.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm

from cistrans.demo.gene_models import GeneModel, draw_gene_model
from cistrans.demo.network import Network
from cistrans.demo.promoters import (
    CooperativePair,
    Promoter,
    cis_components,
    plant_promoter,
    sites_table,
)
from cistrans.dna import random_dna, reverse_complement

BASELINE_CENTRE = 3.0
BASELINE_NOISE_SD = 0.25
UPSTREAM_FLANK = 8_000
FIRST_UPSTREAM_FLANK = 2_500  # the first gene of a chromosome sits near its start
DOWNSTREAM_FLANK = 1_000
CHROMOSOME_END_N = 500

# Planted effect of each mRNA feature on the baseline, log2 units per standard deviation of
# the feature (lengths as log10(x + 0.1)), among protein-coding genes.
MRNA_EFFECTS = {
    "utr5_length": -0.2,
    "cds_length": 0.0,
    "intron_length": 0.0,
    "utr3_length": -0.35,
    "utr5_gc": 0.0,
    "cds_gc": 0.0,
    "utr3_gc": 0.0,
    "exon_junction_density": 0.3,
}
LENGTH_FEATURES = ("utr5_length", "cds_length", "intron_length", "utr3_length")

log = logging.getLogger(__name__)


@dataclass
class Locus:
    """A gene placed on a chromosome: `position` is the 0-based start of its locus there."""

    chrom: str
    position: int
    strand: str
    flank: int
    length: int

    def to_genomic(self, start: int, end: int) -> tuple[int, int]:
        """1-based inclusive genomic coordinates of [start, end) relative to the TSS."""
        if self.strand == "+":
            return self.position + self.flank + start + 1, self.position + self.flank + end
        last = self.position + self.length - self.flank
        return last - end + 1, last - start

    @property
    def tss(self) -> int:
        return self.to_genomic(0, 1)[0]


@dataclass
class Genome:
    """The simulated genome and everything true about it.

    sequences: chromosome name -> sequence. gtf: GENCODE-style records for `write_gtf`.
    instances: every planted site (gene, TF, motif, role, offset from the TSS, strand, site,
    genomic coordinates). structures: per gene chrom, strand, tss, transcript_length and the
    mRNA features. baselines: per gene its baseline log2 level and the parts it sums.
    pair: the cooperative motif pair.
    """

    sequences: dict[str, str]
    gtf: pd.DataFrame
    instances: pd.DataFrame
    structures: pd.DataFrame
    baselines: pd.DataFrame
    pair: CooperativePair

    @property
    def mrna_effects(self) -> pd.DataFrame:
        """The planted effect of each mRNA feature: feature, effect_per_sd."""
        return pd.DataFrame(
            {"feature": list(MRNA_EFFECTS), "effect_per_sd": list(MRNA_EFFECTS.values())}
        )


def simulate_genome(
    rng: np.random.Generator,
    network: Network,
    n_chromosomes: int,
    promoter_span: int,
    extra_motifs_per_gene: float,
    cooperative_fraction: float,
    tata_fraction: float,
    alternative_transcript_fraction: float,
) -> Genome:
    """Draw gene models and promoters for every gene of `network` and lay them out."""
    genes = network.genes
    motifs = dict(zip(network.tfs.symbol, network.motifs, strict=True))
    cis_effect = dict(zip(network.tfs.symbol, network.tfs.cis_effect, strict=True))
    cooperative = network.tfs.symbol[network.tfs.cis_role == "cooperative"].tolist()
    a, b = cooperative
    pair = CooperativePair(a, motifs[a].motif_id, b, motifs[b].motif_id)
    extra_pool = [tf for tf, effect in cis_effect.items() if effect != 0.0]
    regulators = network.edges.groupby("target").tf.apply(list).to_dict()

    models: list[GeneModel] = []
    promoters: list[Promoter] = []
    instance_tables, feature_rows, cis_rows = [], [], []
    for gene in tqdm(genes.itertuples(), total=len(genes), desc="genes", mininterval=2):
        model = draw_gene_model(rng, coding=gene.gene_type == "protein_coding")
        promoter = Promoter(random_dna(rng, promoter_span, rng.uniform(0.38, 0.62)))
        draw = rng.random()
        pair_mode = (
            "active"
            if draw < cooperative_fraction
            else "inactive"
            if draw < 2 * cooperative_fraction
            else "none"
        )
        plant_promoter(
            rng,
            promoter,
            regulators.get(gene.symbol, []),
            motifs,
            extra_pool,
            extra_motifs_per_gene,
            pair,
            pair_mode,
            tata=rng.random() < tata_fraction,
        )
        models.append(model)
        promoters.append(promoter)
        instance_tables.append(sites_table(gene.gene_id, gene.symbol, promoter.sites))
        feature_rows.append(model.features())
        cis_rows.append(cis_components(promoter.sites, cis_effect, pair))

    features = pd.DataFrame(feature_rows)
    baselines = _baselines(rng, genes, features, pd.DataFrame(cis_rows))
    sequences, loci = _lay_out(rng, genes, models, promoters, n_chromosomes)
    gtf = _gtf_records(rng, genes, models, loci, alternative_transcript_fraction)
    instances = _with_genomic_coordinates(
        pd.concat(instance_tables, ignore_index=True), genes, loci
    )
    structures = pd.DataFrame(
        {
            "gene_id": genes.gene_id,
            "chrom": [locus.chrom for locus in loci],
            "strand": [locus.strand for locus in loci],
            "tss": [locus.tss for locus in loci],
            "transcript_length": [len(model.mrna) for model in models],
        }
    ).join(features)
    log.info(
        "genome: %d chromosomes, %d bp, %d GTF records, %d planted sites",
        len(sequences),
        sum(map(len, sequences.values())),
        len(gtf),
        len(instances),
    )
    return Genome(sequences, gtf, instances, structures, baselines, pair)


def _baselines(
    rng: np.random.Generator, genes: pd.DataFrame, features: pd.DataFrame, cis: pd.DataFrame
) -> pd.DataFrame:
    """Baseline log2 level = centre + promoter parts + mRNA-feature part + noise."""
    coding = (genes.gene_type == "protein_coding").to_numpy()
    mrna_part = np.zeros(len(genes))
    for feature, effect in MRNA_EFFECTS.items():
        values = features[feature].to_numpy(dtype=float)
        if feature in LENGTH_FEATURES:
            values = np.log10(values + 0.1)
        z = (values - values[coding].mean()) / values[coding].std()
        mrna_part += np.where(coding, effect * z, 0.0)
    noise = rng.normal(0.0, BASELINE_NOISE_SD, size=len(genes))
    parts = cis[["motif_part", "cooperative_part", "tata_part"]]
    baseline = BASELINE_CENTRE + parts.sum(axis=1).to_numpy() + mrna_part + noise
    return pd.DataFrame(
        {
            "gene_id": genes.gene_id,
            "symbol": genes.symbol,
            "baseline": baseline,
            **{column: parts[column] for column in parts},
            "mrna_part": mrna_part,
            "noise_part": noise,
            "n_activating": cis.n_activating,
            "n_repressive": cis.n_repressive,
        }
    )


def _lay_out(
    rng: np.random.Generator,
    genes: pd.DataFrame,
    models: list[GeneModel],
    promoters: list[Promoter],
    n_chromosomes: int,
) -> tuple[dict[str, str], list[Locus]]:
    """Place genes in random order round-robin on chromosomes, on random strands."""
    order = rng.permutation(len(genes))
    names = [f"chr{i + 1}" for i in range(n_chromosomes)]
    parts: dict[str, list[str]] = {name: ["N" * CHROMOSOME_END_N] for name in names}
    lengths = dict.fromkeys(names, CHROMOSOME_END_N)
    loci: list[Locus | None] = [None] * len(genes)
    for rank, index in enumerate(order):
        chrom = names[rank % n_chromosomes]
        first = rank < n_chromosomes
        flank = FIRST_UPSTREAM_FLANK if first else UPSTREAM_FLANK
        promoter = promoters[index].sequence
        far = _far_upstream(rng, flank - len(promoter))
        body = models[index].body
        locus_sequence = far + promoter + body + random_dna(rng, DOWNSTREAM_FLANK, 0.41)
        strand = "+" if rng.random() < 0.5 else "-"
        if strand == "-":
            locus_sequence = reverse_complement(locus_sequence)
        loci[index] = Locus(chrom, lengths[chrom], strand, flank, len(locus_sequence))
        gap = random_dna(rng, int(rng.integers(500, 3000)), 0.41)
        parts[chrom] += [locus_sequence, gap]
        lengths[chrom] += len(locus_sequence) + len(gap)
    sequences = {name: "".join(parts[name]) + "N" * CHROMOSOME_END_N for name in names}
    return sequences, loci  # type: ignore[return-value]


def _far_upstream(rng: np.random.Generator, length: int) -> str:
    """Background upstream of the promoter; a few genes carry IUPAC ambiguity codes there."""
    sequence = random_dna(rng, length, 0.41)
    if rng.random() < 0.05:
        position = int(rng.integers(0, length - 10))
        codes = "".join(rng.choice(list("RYKMSWN"), size=5))
        sequence = sequence[:position] + codes + sequence[position + 5 :]
    return sequence


def _gtf_records(
    rng: np.random.Generator,
    genes: pd.DataFrame,
    models: list[GeneModel],
    loci: list[Locus],
    alternative_fraction: float,
) -> pd.DataFrame:
    """GENCODE-style records: gene, transcript(s), exon, CDS, UTR, start/stop codons."""
    records: list[dict[str, object]] = []
    for gene, model, locus in zip(genes.itertuples(), models, loci, strict=True):
        gene_attrs = [
            ("gene_id", f"{gene.gene_id}.{gene.version}"),
            ("gene_type", gene.gene_type),
            ("gene_name", gene.symbol),
            ("level", 2),
        ]
        gene_start, gene_end = locus.to_genomic(0, model.exons[-1][1])
        gene_records = [_record(locus, "gene", gene_start, gene_end, gene_attrs)]
        transcript_number = int(gene.gene_id[-6:])
        canonical_tags = ["basic", "Ensembl_canonical"] + (
            ["MANE_Select"] if gene.gene_type == "protein_coding" else []
        )
        gene_records += _transcript_records(
            locus,
            gene_attrs,
            f"ENST90000{transcript_number:06d}.1",
            f"{gene.symbol}-201",
            gene.gene_type,
            model.exons,
            model.cds,
            canonical_tags,
        )
        if len(model.exons) >= 2 and rng.random() < alternative_fraction:
            retained = [(model.exons[0][0], model.exons[1][1]), *model.exons[2:]]
            gene_records += _transcript_records(
                locus,
                gene_attrs,
                f"ENST91000{transcript_number:06d}.1",
                f"{gene.symbol}-202",
                "retained_intron",
                retained,
                None,
                [],
            )
        records += gene_records
    return pd.DataFrame(records)


def _record(
    locus: Locus, feature: str, start: int, end: int, attributes: list, frame: str = "."
) -> dict:
    return {
        "seqname": locus.chrom,
        "source": "DEMO",
        "feature": feature,
        "start": start,
        "end": end,
        "score": ".",
        "strand": locus.strand,
        "frame": frame,
        "attributes": attributes,
    }


def _transcript_records(
    locus: Locus,
    gene_attrs: list,
    transcript_id: str,
    transcript_name: str,
    transcript_type: str,
    exons: list[tuple[int, int]],
    cds: tuple[int, int] | None,
    tags: list[str],
) -> list[dict]:
    """Records of one transcript; `cds` is in mRNA coordinates (exons joined)."""
    attrs = [
        *gene_attrs[:3],
        ("transcript_id", transcript_id),
        ("transcript_type", transcript_type),
        ("transcript_name", transcript_name),
        ("level", 2),
        *[("tag", tag) for tag in tags],
    ]
    start, end = locus.to_genomic(exons[0][0], exons[-1][1])
    records = [_record(locus, "transcript", start, end, attrs)]
    for number, (exon_start, exon_end) in enumerate(exons, start=1):
        exon_attrs = [
            *attrs[:6],
            ("exon_number", number),
            ("exon_id", f"{transcript_id.split('.')[0]}.e{number}"),
            *attrs[6:],
        ]
        records.append(_record(locus, "exon", *locus.to_genomic(exon_start, exon_end), exon_attrs))
    if cds is None:
        return records
    to_locus = _mrna_to_locus(exons)
    coding_end = cds[1] - 3  # GENCODE's CDS excludes the stop codon
    done = 0
    for segment_start, segment_end in _segments(to_locus, cds[0], coding_end):
        frame = str((3 - done % 3) % 3)
        records.append(
            _record(locus, "CDS", *locus.to_genomic(segment_start, segment_end), attrs, frame)
        )
        done += segment_end - segment_start
    for segment in _segments(to_locus, cds[0], cds[0] + 3):
        records.append(_record(locus, "start_codon", *locus.to_genomic(*segment), attrs, "0"))
    for segment in _segments(to_locus, coding_end, cds[1]):
        records.append(_record(locus, "stop_codon", *locus.to_genomic(*segment), attrs, "0"))
    for utr_start, utr_end in ((0, cds[0]), (cds[1], sum(e - s for s, e in exons))):
        for segment in _segments(to_locus, utr_start, utr_end):
            records.append(_record(locus, "UTR", *locus.to_genomic(*segment), attrs))
    return records


def _mrna_to_locus(exons: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(mRNA start, locus start, length) per exon."""
    table, position = [], 0
    for start, end in exons:
        table.append((position, start, end - start))
        position += end - start
    return table


def _segments(to_locus: list[tuple[int, int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The mRNA interval [start, end) as locus intervals, one per exon it touches."""
    segments = []
    for mrna_start, locus_start, length in to_locus:
        low, high = max(start, mrna_start), min(end, mrna_start + length)
        if low < high:
            segments.append((locus_start + low - mrna_start, locus_start + high - mrna_start))
    return segments


def _with_genomic_coordinates(
    instances: pd.DataFrame, genes: pd.DataFrame, loci: list[Locus]
) -> pd.DataFrame:
    """Add chrom, genomic start/end (1-based) and genomic strand to planted sites."""
    locus_of = dict(zip(genes.gene_id, loci, strict=True))
    starts, ends, chroms, strands = [], [], [], []
    for row in instances.itertuples():
        locus = locus_of[row.gene_id]
        start, end = locus.to_genomic(row.offset, row.offset + len(row.site))
        starts.append(start)
        ends.append(end)
        chroms.append(locus.chrom)
        strands.append(row.strand if locus.strand == "+" else {"+": "-", "-": "+"}[row.strand])
    return instances.assign(
        chrom=chroms, genomic_start=starts, genomic_end=ends, genomic_strand=strands
    )
