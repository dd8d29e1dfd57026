"""Sites only on real bases: sequences shorter than the longest are padded with N, FIMO
(memelite) alone calls JASPAR sites on a run of N (E. coli: 45% of the sites), and a learned
filter's relative score passes its threshold with an N in place of a base."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
import torch

from cistrans.ctxreg.grammar import report_unknown, scan_sites, unknown_shares
from cistrans.ctxreg.network import MotifLayer
from cistrans.dna import encode_bases, onehot_codes, random_dna
from cistrans.io.motifs import Motif, jaspar_motifs

CTCF = "MA0139.2"
# JASPAR 2024 motifs FIMO (p < 1e-4) calls hundreds of times on a run of N.
ON_PADDING = {"MA0149.1", "MA0509.3", "MA0652.2", "MA0796.1", "MA0855.1", "MA1419.2"}
P_VALUE = 1e-4


@pytest.fixture(scope="module")
def motifs() -> list[Motif]:
    chosen = [
        motif
        for motif in jaspar_motifs("JASPAR2024", "ctxreg.jaspar_release")
        if motif.name == "CTCF" or motif.motif_id in ON_PADDING
    ]
    assert CTCF in {motif.motif_id for motif in chosen}
    return chosen


def consensus(motifs: list[Motif], motif_id: str) -> str:
    pwm = next(motif.pwm for motif in motifs if motif.motif_id == motif_id)
    return "".join("ACGT"[i] for i in pwm.argmax(axis=1))


def plant(background: str, site: str, at: int) -> str:
    return background[:at] + site + background[at + len(site) :]


def ordered(sites: pd.DataFrame) -> pd.DataFrame:
    return sites.sort_values(["gene_id", "motif_id", "strand", "start"], ignore_index=True)


def test_a_padded_sequence_gets_its_real_sites_and_none_in_the_padding(
    motifs: list[Motif],
) -> None:
    """An 80-base sequence with CTCF's consensus at base 20, N-padded to the 300 bases of
    the other sequence: exactly the sites FIMO finds in its 80 real bases (the same
    sequence with real bases in place of the N, its sites that end by base 80)."""
    from memelite import fimo

    rng = np.random.default_rng(0)
    site = consensus(motifs, CTCF)
    short = plant(random_dna(rng, 80, 0.5), site, 20)
    long = random_dna(rng, 300, 0.5)
    codes = encode_bases([short, long])
    assert (codes[0, 80:] == 4).all()
    assert not onehot_codes(codes)[0, :, 80:].any()  # N is no base: an all-zero column
    pwms = {motif.motif_id: motif.pwm.T for motif in motifs}
    raw = pd.concat(fimo(pwms, onehot_codes(codes).astype(np.float32), threshold=P_VALUE))
    assert ((raw.sequence_name == 0) & (raw.end > 80)).sum() > 100  # FIMO alone: the trap

    sites = scan_sites(codes, ["short", "long"], motifs, p_value=P_VALUE)
    filled = encode_bases([short + random_dna(rng, 220, 0.5), long])
    every = scan_sites(filled, ["short", "long"], motifs, p_value=P_VALUE)
    real = every[(every.gene_id == "long") | (every.end < 80)]
    pd.testing.assert_frame_equal(ordered(sites), ordered(real))
    assert sites[sites.gene_id == "short"].end.max() < 80
    planted = sites[(sites.motif_id == CTCF) & (sites.gene_id == "short") & (sites.strand == "+")]
    assert list(zip(planted.start, planted.end, strict=True)) == [(20, 20 + len(site) - 1)]


def test_a_site_over_an_unknown_base_is_dropped_and_only_it(motifs: list[Motif]) -> None:
    rng = np.random.default_rng(1)
    site = consensus(motifs, CTCF)
    whole = plant(random_dna(rng, 120, 0.5), site, 50)
    broken = whole[:55] + "N" + whole[56:]
    sites = scan_sites(encode_bases([whole, broken]), ["whole", "broken"], motifs, p_value=P_VALUE)
    kept = sites[sites.gene_id == "broken"]
    assert not ((kept.start <= 55) & (kept.end >= 55)).any()
    on_whole = sites[sites.gene_id == "whole"]
    apart = on_whole[(on_whole.start > 55) | (on_whole.end < 55)].drop(columns="gene_id")
    pd.testing.assert_frame_equal(
        ordered(kept.assign(gene_id="x")).drop(columns="gene_id"),
        ordered(apart.assign(gene_id="x")).drop(columns="gene_id"),
    )
    assert ((on_whole.motif_id == CTCF) & (on_whole.start == 50)).any()


def test_the_share_of_n_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    codes = encode_bases(["ACGT" * 25, "ACGT" * 20, "ACGT" * 24 + "ANNA"])
    shares = unknown_shares(codes, block=2)
    np.testing.assert_allclose(shares, [0.0, 0.2, 0.02])
    with caplog.at_level(logging.INFO):
        report_unknown(shares)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "2 of 3 windows hold N" in record.message and "20% at most" in record.message
    caplog.clear()
    with caplog.at_level(logging.INFO):
        report_unknown(np.array([0.0, 0.05]))
    assert [record.levelno for record in caplog.records] == [logging.INFO]


def test_a_learned_filter_counts_no_site_over_n() -> None:
    """GATTACA's filter (3 for its base, 0.01 elsewhere) at threshold 0.8: 'GATTAC' and an
    N score 6/7 of the span, above the threshold; the site is dropped, the whole one kept."""
    layer = MotifLayer(1, 7, 0.8, filter_init_sd=0.02)
    weight = torch.full((4, 7), 0.01)
    for j, base in enumerate("GATTACA"):
        weight["ACGT".index(base), j] = 3.0
    with torch.no_grad():
        layer.raw[0] = torch.log(torch.expm1(weight))
    sequences = ["C" * 10 + "GATTACA" + "C" * 13, "C" * 23 + "GATTAC", "C" * 10 + "GATTNCA"]
    x = torch.from_numpy(onehot_codes(encode_bases(sequences)).astype(np.float32))
    with torch.no_grad():
        sites = layer.activations(x)[:, 0]
    assert sites[0].max() == pytest.approx(1.0, abs=1e-3) and (sites[0] > 0).sum() == 1
    assert sites[1].sum() == 0 and sites[2].sum() == 0
    filled = torch.from_numpy(onehot_codes(encode_bases(["C" * 23 + "GATTACC"])))
    with torch.no_grad():
        assert layer.activations(filled.float())[0, 0].max() > 0.2  # an N would pass
