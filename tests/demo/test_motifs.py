"""JASPAR motifs of the demo world: loading, site sampling, MEME round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cistrans.demo.motifs import human_core_motifs, sample_site
from cistrans.io.motifs import read_meme, write_meme


def test_human_core_motifs_are_plain_named_pwms() -> None:
    motifs = human_core_motifs("JASPAR2024")
    assert len(motifs) > 400
    names = [m.name for m in motifs]
    assert names == sorted(set(names))
    assert all(name.isalnum() for name in names)
    assert "CTCF" in names
    for motif in motifs[:50]:
        assert 6 <= motif.length <= 20
        np.testing.assert_allclose(motif.pwm.sum(axis=1), 1.0)


def test_sites_follow_the_pwm() -> None:
    ctcf = next(m for m in human_core_motifs("JASPAR2024") if m.name == "CTCF")
    rng = np.random.default_rng(1)
    sites = [sample_site(ctcf, rng) for _ in range(2000)]
    one_hot = np.array([[[base == b for b in "ACGT"] for base in site] for site in sites])
    np.testing.assert_allclose(one_hot.mean(axis=0), ctcf.pwm, atol=0.05)
    matches = np.mean([site == ctcf.consensus for site in sites])
    assert matches < 0.5  # sampled, not the consensus every time


def test_meme_round_trip(tmp_path: Path) -> None:
    motifs = human_core_motifs("JASPAR2024")[:5]
    write_meme(tmp_path / "m.meme", motifs)
    back = read_meme(tmp_path / "m.meme")
    assert [m.motif_id for m in back] == [m.motif_id for m in motifs]
    assert [m.name for m in back] == [m.name for m in motifs]
    for ours, theirs in zip(back, motifs, strict=True):
        np.testing.assert_allclose(ours.pwm, theirs.pwm, atol=1e-6)
