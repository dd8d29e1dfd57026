"""TF motifs for the demo world: real JASPAR CORE PWMs (offline, through pyjaspar)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

BASES = "ACGT"


@dataclass(frozen=True)
class Motif:
    """A position weight matrix: `pwm` has shape (length, 4), rows sum to 1, columns ACGT.

    family: the TF family (DNA-binding domain) JASPAR gives; empty when read from MEME.
    """

    motif_id: str
    name: str
    pwm: np.ndarray
    family: str = ""

    @property
    def length(self) -> int:
        return int(self.pwm.shape[0])

    @property
    def consensus(self) -> str:
        return "".join(BASES[i] for i in self.pwm.argmax(axis=1))


def human_core_motifs(release: str, min_length: int = 6, max_length: int = 20) -> list[Motif]:
    """Human JASPAR CORE vertebrate motifs with plain TF names (no dimers or fusions).

    One motif per TF name (the lowest matrix id), sorted by name; pseudocount 0.1 per base.
    """
    from pyjaspar import jaspardb

    records = jaspardb(release=release).fetch_motifs(
        collection="CORE", tax_group=["vertebrates"], species=["9606"]
    )
    by_name: dict[str, Motif] = {}
    for record in sorted(records, key=lambda r: r.matrix_id):
        if not record.name.isalnum() or record.name in by_name:
            continue
        counts = np.array([record.counts[base] for base in BASES], dtype=float).T + 0.1
        if not min_length <= len(counts) <= max_length:
            continue
        pwm = counts / counts.sum(axis=1, keepdims=True)
        family = record.tf_family[0] if record.tf_family else ""
        by_name[record.name.upper()] = Motif(record.matrix_id, record.name.upper(), pwm, family)
    return [by_name[name] for name in sorted(by_name)]


def information_content(motif: Motif) -> float:
    """Bits of the PWM against a uniform background, summed over its positions."""
    return float((2.0 + (motif.pwm * np.log2(motif.pwm)).sum(axis=1)).sum())


def sample_site(motif: Motif, rng: np.random.Generator) -> str:
    """One binding site drawn base by base from the PWM (forward strand)."""
    draws = rng.random(motif.length)[:, None] < np.cumsum(motif.pwm, axis=1)
    return "".join(BASES[i] for i in draws.argmax(axis=1))


def write_meme(path: str | Path, motifs: list[Motif]) -> None:
    """Write motifs in MEME minimal format (what TOMTOM and FIMO read)."""
    lines = ["MEME version 4", "", "ALPHABET= ACGT", "", "strands: + -", ""]
    lines += ["Background letter frequencies", "A 0.25 C 0.25 G 0.25 T 0.25", ""]
    for motif in motifs:
        lines.append(f"MOTIF {motif.motif_id} {motif.name}")
        lines.append(f"letter-probability matrix: alength= 4 w= {motif.length} nsites= 20 E= 0")
        lines += [" ".join(f"{p:.6f}" for p in row) for row in motif.pwm]
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def read_meme(path: str | Path) -> list[Motif]:
    """Read motifs written by `write_meme` (MEME minimal format)."""
    motifs: list[Motif] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("MOTIF "):
            continue
        _, motif_id, name = line.split()[:3]
        width = int(lines[i + 1].split("w=")[1].split()[0])
        rows = [[float(v) for v in lines[i + 2 + j].split()] for j in range(width)]
        motifs.append(Motif(motif_id, name, np.array(rows)))
    return motifs
