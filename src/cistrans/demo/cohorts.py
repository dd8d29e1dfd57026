"""The GTEx-like and ARCHS4-like cohorts of the demo world: who gave which sample, and the
metadata each real source carries (GTEx sample IDs and attributes, GEO accessions and
free-text tissue names). Designs hold indices; `expression.py` simulates their values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cistrans.demo.tissues import TISSUES


def gtex_design(
    rng: np.random.Generator, n_donors: int, n_samples: int, n_tissues: int
) -> pd.DataFrame:
    """GTEx-like samples: donors give several tissues. Columns donor, tissue (indices)."""
    return pd.DataFrame(
        {
            "donor": rng.integers(0, n_donors, size=n_samples),
            "tissue": rng.integers(0, n_tissues, size=n_samples),
        }
    )


def archs4_design(
    rng: np.random.Generator,
    n_series: int,
    n_samples: int,
    n_tissues: int,
    fraction_single_cell: float,
    fraction_low_depth: float,
) -> pd.DataFrame:
    """ARCHS4-like samples: series of uneven size (at least 2 each), studying 1-2 tissues.

    Columns series, tissue (indices), kind (bulk | single_cell | low_depth).
    """
    sizes = rng.dirichlet(np.full(n_series, 2.0))
    extra = rng.choice(n_series, size=n_samples - 2 * n_series, p=sizes)
    series = np.sort(np.concatenate([np.repeat(np.arange(n_series), 2), extra]))
    series_tissues = rng.integers(0, n_tissues, size=(n_series, 2))
    tissue = series_tissues[series, rng.integers(0, 2, size=n_samples)]
    draw = rng.random(n_samples)
    kind = np.where(
        draw < fraction_single_cell,
        "single_cell",
        np.where(draw < fraction_single_cell + fraction_low_depth, "low_depth", "bulk"),
    )
    return pd.DataFrame({"series": series, "tissue": tissue, "kind": kind})


def gtex_sample_ids(rng: np.random.Generator, design: pd.DataFrame) -> list[str]:
    """GTEX-<donor>-<site>-SM-<aliquot>, unique."""
    alphabet = np.array(list("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"))
    donors = [f"GTEX-{1000 + d * 7:X}" for d in range(int(design.donor.max()) + 1)]
    ids = []
    for i, row in enumerate(design.itertuples()):
        aliquot = "".join(rng.choice(alphabet, size=4))
        ids.append(f"{donors[row.donor]}-{(row.tissue + 1) * 226:04d}-SM-{aliquot}{i % 10}")
    return ids


def gtex_attributes(
    rng: np.random.Generator, design: pd.DataFrame, sample_ids: list[str], n_donors: int
) -> pd.DataFrame:
    """Sample attributes of the RNA-seq samples, plus a WGS blood sample per tenth donor."""
    tissues = [TISSUES[t] for t in design.tissue]
    rna = pd.DataFrame(
        {
            "SAMPID": sample_ids,
            "SMATSSCR": rng.integers(0, 3, size=len(design)).astype(str),
            "SMCENTER": rng.choice(["B1", "C1", "D1"], size=len(design)),
            "SMPTHNTS": rng.choice(
                ["2 pieces, ~10% fibrous", 'clean, "no abnormalities"', ""], size=len(design)
            ),
            "SMRIN": np.round(rng.uniform(5.5, 9.5, size=len(design)), 1).astype(str),
            "SMTS": [t.smts for t in tissues],
            "SMTSD": [t.smtsd for t in tissues],
            "SMUBRID": rng.choice(["0002107", "0008952", "0001013"], size=len(design)),
            "SMAFRZE": "RNASEQ",
        }
    )
    wgs_donors = sorted({sid.rsplit("-", 3)[0] for sid in sample_ids})[::10]
    wgs = pd.DataFrame(
        {
            "SAMPID": [f"{donor}-0004-SM-WGS{i:02d}" for i, donor in enumerate(wgs_donors)],
            "SMTS": "Blood",
            "SMTSD": "Whole Blood",
            "SMAFRZE": "WGS",
        }
    )
    return pd.concat([rna, wgs], ignore_index=True)


def archs4_samples(
    rng: np.random.Generator, design: pd.DataFrame, counts: np.ndarray, n_series: int
) -> pd.DataFrame:
    """ARCHS4 sample metadata: GEO accessions, series, free-text tissue names, QC fields."""
    n = len(design)
    series_ids = np.array([f"GSE{100000 + 3 * s + 17}" for s in range(n_series)])
    tissues = [TISSUES[t] for t in design.tissue]
    kind = design.kind.to_numpy()
    single_cell = np.where(
        kind == "single_cell", rng.uniform(0.6, 1.0, size=n), rng.beta(1.0, 30.0, size=n)
    )
    return pd.DataFrame(
        {
            "geo_accession": [f"GSM{2000000 + 11 * i}" for i in range(n)],
            "series_id": series_ids[design.series],
            "title": [f"{t.smts} sample {i + 1}" for i, t in enumerate(tissues)],
            "source_name_ch1": [str(rng.choice(t.geo_names)) for t in tissues],
            "characteristics_ch1": [f"tissue: {t.smts.lower()}" for t in tissues],
            "molecule_ch1": "total RNA",
            "library_strategy": "RNA-Seq",
            "instrument_model": rng.choice(
                ["Illumina HiSeq 2500", "Illumina NovaSeq 6000", "NextSeq 500"], size=n
            ),
            "singlecellprobability": single_cell,
            "readsaligned": counts.sum(axis=0, dtype=np.uint64).astype(np.uint32),
        }
    )
