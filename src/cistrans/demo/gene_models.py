"""Gene structures of the demo world: exons, introns, UTRs and CDS, with their sequences.

Coordinates here are in transcript orientation, relative to the TSS (0 = first transcribed
base), half-open. `genome.py` places each gene on a chromosome and strand.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from cistrans.dna import gc_fraction, random_dna

STOP_CODONS = ("TAA", "TAG", "TGA")
SENSE_CODONS = tuple(
    "".join(c) for c in itertools.product("ACGT", repeat=3) if "".join(c) not in STOP_CODONS
)


@dataclass
class GeneModel:
    """One gene's canonical transcript.

    exons: (start, end) pairs in transcript coordinates of the *genomic* locus (introns
        included), first exon starting at 0.
    cds: (start, end) in mRNA coordinates (exons joined), stop codon included; None for
        non-coding genes.
    mrna: the spliced sequence; introns: the intron sequences in order.
    """

    exons: list[tuple[int, int]]
    cds: tuple[int, int] | None
    mrna: str
    introns: list[str]

    @property
    def body(self) -> str:
        """The transcribed region, exons and introns, 5' to 3'."""
        parts = []
        position = 0
        for i, (start, end) in enumerate(self.exons):
            length = end - start
            parts.append(self.mrna[position : position + length])
            position += length
            if i < len(self.introns):
                parts.append(self.introns[i])
        return "".join(parts)

    def features(self) -> dict[str, float]:
        """The 8 Xpresso mRNA features (raw, before log10 and z-scoring)."""
        utr5, cds, utr3 = self.regions()
        intron_length = sum(len(intron) for intron in self.introns)
        junctions = self._cds_junctions()
        return {
            "utr5_length": len(utr5),
            "cds_length": len(cds),
            "intron_length": intron_length,
            "utr3_length": len(utr3),
            "utr5_gc": gc_fraction(utr5),
            "cds_gc": gc_fraction(cds),
            "utr3_gc": gc_fraction(utr3),
            "exon_junction_density": junctions / (len(cds) / 1000.0) if cds else 0.0,
        }

    def regions(self) -> tuple[str, str, str]:
        """5'UTR, CDS and 3'UTR sequences (CDS and 3'UTR empty for non-coding genes)."""
        if self.cds is None:
            return self.mrna, "", ""
        start, end = self.cds
        return self.mrna[:start], self.mrna[start:end], self.mrna[end:]

    def _cds_junctions(self) -> int:
        """Exon junctions that fall inside the CDS."""
        if self.cds is None:
            return 0
        lengths = np.cumsum([end - start for start, end in self.exons])[:-1]
        return int(np.sum((lengths > self.cds[0]) & (lengths < self.cds[1])))


def draw_gene_model(rng: np.random.Generator, coding: bool) -> GeneModel:
    """A random gene: lognormal UTR/CDS/intron lengths, region-specific GC, splice sites."""
    if coding:
        utr5 = random_dna(rng, _lognormal(rng, 150, 0.6, 20, 1500), rng.uniform(0.45, 0.7))
        cds = _coding_sequence(rng, _lognormal(rng, 400, 0.6, 60, 2500), rng.uniform(0.4, 0.65))
        utr3 = random_dna(rng, _lognormal(rng, 700, 0.8, 60, 5000), rng.uniform(0.3, 0.5))
        mrna = utr5 + cds + utr3
        cds_span: tuple[int, int] | None = (len(utr5), len(utr5) + len(cds))
        n_exons = int(np.clip(1 + rng.poisson(4), 1, 12))
    else:
        mrna = random_dna(rng, _lognormal(rng, 1500, 0.6, 300, 6000), rng.uniform(0.35, 0.55))
        cds_span = None
        n_exons = int(rng.integers(1, 5))
    cuts = np.sort(rng.choice(np.arange(30, len(mrna) - 30), size=n_exons - 1, replace=False))
    introns = [_intron(rng) for _ in range(n_exons - 1)]
    exons = []
    edges = [0, *cuts.tolist(), len(mrna)]
    position = 0
    for i in range(n_exons):
        length = edges[i + 1] - edges[i]
        exons.append((position, position + length))
        position += length + (len(introns[i]) if i < len(introns) else 0)
    return GeneModel(exons, cds_span, mrna, introns)


def _lognormal(rng: np.random.Generator, median: float, sigma: float, low: int, high: int) -> int:
    return int(np.clip(round(median * np.exp(rng.normal(0.0, sigma))), low, high))


def _coding_sequence(rng: np.random.Generator, n_codons: int, gc: float) -> str:
    """ATG, `n_codons` sense codons drawn with GC bias `gc`, then a stop codon."""
    weights = np.array(
        [np.prod([gc / 2 if b in "GC" else (1 - gc) / 2 for b in codon]) for codon in SENSE_CODONS]
    )
    codons = rng.choice(len(SENSE_CODONS), size=n_codons, p=weights / weights.sum())
    stop = STOP_CODONS[int(rng.integers(len(STOP_CODONS)))]
    return "ATG" + "".join(SENSE_CODONS[i] for i in codons) + stop


def _intron(rng: np.random.Generator) -> str:
    """An intron with GT…AG splice sites."""
    length = _lognormal(rng, 700, 0.8, 80, 12000)
    return "GT" + random_dna(rng, length - 4, 0.4) + "AG"
