"""The cis grammar of the demo world: motif instances planted upstream of each TSS.

A promoter holds sites of the gene's own regulators, extra activating and repressive sites,
sometimes the cooperative pair (which acts only at its spacing), and sometimes a TATA box.
Offsets are relative to the TSS in gene orientation (-1 is the base just upstream).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.demo.motifs import sample_site
from cistrans.dna import reverse_complement
from cistrans.io.motifs import Motif
from cistrans.io.results import read_result_json

TATA_BOX = "TATAAAAG"
TATA_OFFSET = -31
TATA_EFFECT = 0.4
MARGIN = 2  # free bases kept between planted sites


@dataclass(frozen=True)
class CooperativePair:
    """Two motifs that raise expression only when B starts 10–30 bp after A ends."""

    tf_a: str
    motif_a: str
    tf_b: str
    motif_b: str
    min_spacing: int = 10
    max_spacing: int = 30
    effect: float = 1.0
    spacing_definition: str = (
        "bases between the end of site A and the start of site B, gene orientation"
    )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Site:
    """A planted site: `offset` is its 5'-most base in gene orientation relative to the TSS."""

    tf: str
    motif_id: str
    role: str
    offset: int
    strand: str
    site: str


class Promoter:
    """An upstream region [-span, 0) into which sites are planted without overlapping."""

    def __init__(self, background: str) -> None:
        self.span = len(background)
        self.bases = list(background)
        self.free = np.ones(self.span, dtype=bool)
        self.sites: list[Site] = []

    @property
    def sequence(self) -> str:
        return "".join(self.bases)

    def place(self, site: Site) -> bool:
        """Write `site` at its offset if that stretch is free; return whether it was."""
        start = site.offset + self.span
        end = start + len(site.site)
        if start < 0 or end > self.span:
            return False
        if not self.free[max(0, start - MARGIN) : end + MARGIN].all():
            return False
        bases = site.site if site.strand == "+" else reverse_complement(site.site)
        self.bases[start:end] = bases
        self.free[start:end] = False
        self.sites.append(site)
        return True

    def place_anywhere(self, rng: np.random.Generator, make: callable, tries: int = 50) -> bool:
        """Place `make(offset)` at a random free offset; give up after `tries`."""
        return any(self.place(make(int(rng.integers(-self.span, 0)))) for _ in range(tries))


def plant_promoter(
    rng: np.random.Generator,
    promoter: Promoter,
    regulators: list[str],
    motifs: dict[str, Motif],
    extra_pool: list[str],
    extra_motifs_per_gene: float,
    pair: CooperativePair,
    pair_mode: str,
    tata: bool,
) -> None:
    """Plant the grammar into `promoter`.

    pair_mode: "active" (spacing inside the window), "inactive" (outside it) or "none".
    """
    if tata:
        promoter.place(Site("", "", "tata", TATA_OFFSET, "+", TATA_BOX))
    if pair_mode != "none":
        _plant_pair(rng, promoter, motifs, pair, active=pair_mode == "active")

    def site_of(tf: str, role: str) -> callable:
        motif = motifs[tf]
        return lambda offset: Site(
            tf,
            motif.motif_id,
            role,
            offset,
            "+" if rng.random() < 0.5 else "-",
            sample_site(motif, rng),
        )

    for tf in regulators:
        for _ in range(1 + int(rng.random() < 0.5)):
            promoter.place_anywhere(rng, site_of(tf, "regulator"))
    for _ in range(int(rng.poisson(extra_motifs_per_gene))):
        promoter.place_anywhere(rng, site_of(str(rng.choice(extra_pool)), "extra"))


def _plant_pair(
    rng: np.random.Generator,
    promoter: Promoter,
    motifs: dict[str, Motif],
    pair: CooperativePair,
    active: bool,
) -> None:
    motif_a, motif_b = motifs[pair.tf_a], motifs[pair.tf_b]
    for _ in range(50):
        spacing = (
            int(rng.integers(pair.min_spacing, pair.max_spacing + 1))
            if active
            else int(rng.integers(pair.max_spacing + 30, pair.max_spacing + 200))
        )
        offset_a = int(rng.integers(-promoter.span, -motif_a.length - spacing - motif_b.length))
        site_a = Site(
            pair.tf_a, motif_a.motif_id, "cooperative", offset_a, "+", sample_site(motif_a, rng)
        )
        offset_b = offset_a + motif_a.length + spacing
        site_b = Site(
            pair.tf_b, motif_b.motif_id, "cooperative", offset_b, "+", sample_site(motif_b, rng)
        )
        if _free(promoter, site_a) and _free(promoter, site_b):
            promoter.place(site_a)
            promoter.place(site_b)
            return


def _free(promoter: Promoter, site: Site) -> bool:
    start = site.offset + promoter.span
    end = start + len(site.site)
    return (
        start >= 0
        and end <= promoter.span
        and bool(promoter.free[max(0, start - MARGIN) : end + MARGIN].all())
    )


def pair_is_active(sites: list[Site], pair: CooperativePair) -> bool:
    """Whether some site of A is followed by a site of B at a spacing inside the window."""
    ends_a = [s.offset + len(s.site) for s in sites if s.tf == pair.tf_a]
    starts_b = [s.offset for s in sites if s.tf == pair.tf_b]
    return any(pair.min_spacing <= b - a <= pair.max_spacing for a in ends_a for b in starts_b)


def cis_components(
    sites: list[Site], cis_effect: dict[str, float], pair: CooperativePair
) -> dict[str, float]:
    """The promoter's planted contributions to the baseline level (log2 units)."""
    motif_sites = [s for s in sites if s.role in ("regulator", "extra")]
    return {
        "motif_part": float(sum(cis_effect[s.tf] for s in motif_sites)),
        "cooperative_part": pair.effect if pair_is_active(sites, pair) else 0.0,
        "tata_part": TATA_EFFECT if any(s.role == "tata" for s in sites) else 0.0,
        "n_activating": sum(cis_effect[s.tf] > 0 for s in motif_sites),
        "n_repressive": sum(cis_effect[s.tf] < 0 for s in motif_sites),
    }


def sites_table(gene_id: str, symbol: str, sites: list[Site]) -> pd.DataFrame:
    """The planted sites of one gene as rows of `motif_instances.tsv`."""
    return pd.DataFrame(
        [{"gene_id": gene_id, "symbol": symbol, **asdict(site)} for site in sites],
        columns=["gene_id", "symbol", "tf", "motif_id", "role", "offset", "strand", "site"],
    )


def pair_states(sites: pd.DataFrame, pair: CooperativePair) -> pd.Series:
    """Per gene symbol with both pair motifs: "active" or "inactive" (from `motif_instances`)."""
    states = {}
    for symbol, rows in sites.groupby("symbol"):
        if not {pair.tf_a, pair.tf_b} <= set(rows.tf):
            continue
        planted = [
            Site(r.tf, r.motif_id, r.role, int(r.offset), r.strand, r.site)
            for r in rows.itertuples()
        ]
        states[symbol] = "active" if pair_is_active(planted, pair) else "inactive"
    return pd.Series(states, dtype=object)


def read_cooperative_pair(path: str | Path) -> CooperativePair:
    """The pair that rule demo_genome wrote as JSON (`CooperativePair.as_dict`)."""
    return CooperativePair(
        **read_result_json(path, ["tf_a", "motif_a", "tf_b", "motif_b"], made_by="demo_genome")
    )
