"""Motifs as position weight matrices: MEME minimal format (what TOMTOM and FIMO read) and
JASPAR through `pyjaspar` (offline: the package ships the releases' databases)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, rerun_rule

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


def write_meme(path: str | Path, motifs: Sequence[Motif], nsites: int | Sequence[int] = 20) -> None:
    """Write motifs in MEME minimal format; `nsites`: the sites each matrix was read from
    (one number for all, or one per motif)."""
    sites = [nsites] * len(motifs) if isinstance(nsites, int) else list(nsites)
    lines = ["MEME version 4", "", "ALPHABET= ACGT", "", "strands: + -", ""]
    lines += ["Background letter frequencies", "A 0.25 C 0.25 G 0.25 T 0.25", ""]
    for motif, n in zip(motifs, sites, strict=True):
        lines.append(f"MOTIF {motif.motif_id} {motif.name}")
        lines.append(f"letter-probability matrix: alength= 4 w= {motif.length} nsites= {n} E= 0")
        lines += [" ".join(f"{p:.6f}" for p in row) for row in motif.pwm]
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def read_meme(path: str | Path, fix: str | None = None) -> list[Motif]:
    """Read a MEME minimal-format file (DNA, plain or gzipped); InputError naming the line
    when a matrix is cut short or holds something other than 4 probabilities per row, and
    naming the file when it is missing, empty, truncated or corrupt (`fix`: the fix for an
    empty or damaged file; None: delete it and rerun the rule that makes it)."""
    motifs: list[Motif] = []
    with open_text_read(path, fix or rerun_rule()) as handle:
        lines = handle.read().splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("MOTIF "):
            continue
        fields = line.split()
        motif_id, name = fields[1], fields[2] if len(fields) > 2 else fields[1]
        header = next(
            (j for j in range(i + 1, len(lines)) if lines[j].startswith("letter-probability")),
            None,
        )
        try:
            assert header is not None
            width = int(lines[header].split("w=")[1].split()[0])
            rows = np.array([[float(v) for v in lines[header + 1 + j].split()]
                             for j in range(width)])  # fmt: skip
            assert rows.shape == (width, 4)
        except (AssertionError, IndexError, ValueError):
            raise InputError(
                str(path),
                f"line {i + 1}: motif {motif_id} has no complete letter-probability matrix "
                "(w= rows of 4 probabilities, ACGT)",
                "write the file in MEME minimal format (e.g. with JASPAR's or MEME's tools)",
            ) from None
        motifs.append(Motif(motif_id, name, rows))
    return motifs


def jaspar_releases() -> list[str]:
    """The JASPAR releases that the installed `pyjaspar` ships."""
    from pyjaspar import jaspardb

    return list(jaspardb().get_releases())


def jaspar_motifs(
    release: str,
    release_key: str,
    tax_group: str = "vertebrates",
    collection: str = "CORE",
) -> list[Motif]:
    """The non-redundant motifs of a JASPAR collection (the latest version of each matrix),
    as PWMs with a pseudocount of 0.1 per base; InputError naming the config key
    `release_key` and listing the shipped releases when `release` is not one of them."""
    from pyjaspar import jaspardb

    releases = jaspar_releases()
    if release not in releases:
        raise InputError(
            f"config key {release_key!r}",
            f"pyjaspar does not ship {release!r}",
            f"use one of {', '.join(releases)}",
        )
    records = jaspardb(release=release).fetch_motifs(
        collection=collection, tax_group=[tax_group], all_versions=False
    )
    return [record_motif(record) for record in sorted(records, key=lambda r: r.matrix_id)]


def record_motif(record: Any) -> Motif:
    """A pyjaspar record as a PWM (its counts plus 0.1 per base, normalised per position)
    with its matrix id, name and first TF family."""
    counts = np.array([record.counts[base] for base in BASES], dtype=float).T + 0.1
    family = record.tf_family[0] if record.tf_family else ""
    pwm = counts / counts.sum(axis=1, keepdims=True)
    return Motif(record.matrix_id, record.name, pwm, family)
