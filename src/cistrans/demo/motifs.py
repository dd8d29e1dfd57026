"""TF motifs for the demo world: real JASPAR CORE PWMs (offline, through pyjaspar)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cistrans.io.motifs import BASES, Motif, record_motif


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
        motif = record_motif(record)
        if min_length <= motif.length <= max_length:
            by_name[record.name.upper()] = replace(motif, name=record.name.upper())
    return [by_name[name] for name in sorted(by_name)]


def information_content(motif: Motif) -> float:
    """Bits of the PWM against a uniform background, summed over its positions."""
    return float((2.0 + (motif.pwm * np.log2(motif.pwm)).sum(axis=1)).sum())


def sample_site(motif: Motif, rng: np.random.Generator) -> str:
    """One binding site drawn base by base from the PWM (forward strand)."""
    draws = rng.random(motif.length)[:, None] < np.cumsum(motif.pwm, axis=1)
    return "".join(BASES[i] for i in draws.argmax(axis=1))
