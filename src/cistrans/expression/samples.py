"""Choosing samples: by tissue, series or keyword, and dropping unusable ARCHS4 samples.

Every selector returns the kept samples with the compendium's obs columns (sample_id,
source, tissue, series) and a QC table (one row per candidate sample, with `kept` and the
`reason` a sample was dropped).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.gtex import gtex_donor

OBS_COLUMNS = ("sample_id", "source", "tissue", "series")


def select_gtex_samples(
    attributes: pd.DataFrame,
    matrix_samples: Sequence[str],
    tissues: Sequence[str],
    attributes_path: str | Path,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GTEx RNA-seq samples of the chosen tissues (SMTS or SMTSD names; empty = all).

    The RNA-seq samples of the attributes table (SMAFRZE == RNASEQ when that column is
    filled) and the matrix columns must be the same set. Series = donor.
    """
    rna = attributes
    if "SMAFRZE" in attributes and (attributes.SMAFRZE != "").any():
        rna = attributes[attributes.SMAFRZE == "RNASEQ"]
    _check_same_samples(rna.SAMPID, matrix_samples, attributes_path)
    rna = rna.set_index("SAMPID").loc[list(matrix_samples)].reset_index()
    wanted = _match_tissues(rna, tissues, attributes_path)
    table = pd.DataFrame(
        {
            "sample_id": rna.SAMPID,
            "source": "gtex",
            "tissue": rna.SMTS,
            "series": rna.SAMPID.map(gtex_donor),
            "kept": wanted,
            "reason": np.where(wanted, "", "tissue not selected"),
        }
    )
    return table.loc[table.kept, list(OBS_COLUMNS)].reset_index(drop=True), table


def _check_same_samples(
    attribute_ids: pd.Series, matrix_ids: Sequence[str], path: str | Path
) -> None:
    in_attributes, in_matrix = set(attribute_ids), set(matrix_ids)
    for missing, where, other in (
        (in_attributes - in_matrix, "in the attributes but not in the expression matrix", "matrix"),
        (
            in_matrix - in_attributes,
            "in the expression matrix but not in the attributes",
            "attributes",
        ),
    ):
        if missing:
            shown = ", ".join(sorted(missing)[:3])
            raise InputError(
                path,
                f"{len(missing)} RNA-seq sample(s) {where} (e.g. {shown})",
                f"use the attributes file of the same GTEx release as the {other}",
            )


def _match_tissues(rna: pd.DataFrame, tissues: Sequence[str], path: str | Path) -> np.ndarray:
    if not tissues:
        return np.ones(len(rna), dtype=bool)
    wanted = np.zeros(len(rna), dtype=bool)
    for tissue in tissues:
        hits = (rna.SMTS.str.lower() == tissue.lower()) | (rna.SMTSD.str.lower() == tissue.lower())
        if not hits.any():
            available = sorted(set(rna.SMTS) | set(rna.SMTSD))
            raise InputError(
                "config key 'expression.gtex.tissues'",
                f"tissue {tissue!r} matches no GTEx sample in {path}",
                "use one of: " + ", ".join(available),
            )
        wanted |= hits.to_numpy()
    return wanted


def select_archs4_samples(
    samples: pd.DataFrame,
    tissues: Sequence[str],
    series: Sequence[str],
    max_single_cell_probability: float,
    min_reads_aligned: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ARCHS4 samples matching any tissue keyword (in source name, characteristics or title;
    empty = all) and series (empty = all), without single-cell-like or shallow ones.

    With keywords, a sample's tissue is the first keyword it matches (so free-text names
    become one label); without, its source name.

    samples: `read_archs4_samples` output, in file order; the QC table keeps that order and
    its `index` column is the sample's column in the count matrix.
    """
    text = _sample_text(samples)
    reason = np.full(len(samples), "", dtype=object)
    tissue = samples.source_name_ch1.to_numpy(dtype=object)
    if tissues:
        label = np.full(len(samples), "", dtype=object)
        for keyword in tissues:
            hits = text.str.contains(keyword.lower(), regex=False).to_numpy()
            if not hits.any():
                raise InputError(
                    "config key 'expression.archs4.tissues'",
                    f"keyword {keyword!r} matches no ARCHS4 sample",
                    "use words from the samples' source names, e.g. "
                    + ", ".join(sorted(set(samples.source_name_ch1))[:10]),
                )
            label[hits & (label == "")] = keyword
        reason[label == ""] = "tissue not selected"
        tissue = label
    if series:
        unknown = sorted(set(series) - set(samples.series_id))
        if unknown:
            raise InputError(
                "config key 'expression.archs4.series'",
                f"series {', '.join(unknown)} not in the ARCHS4 file",
                "give GEO series ids (GSE…) present in the file",
            )
        reason[(reason == "") & ~samples.series_id.isin(series).to_numpy()] = "series not selected"
    single_cell = samples.singlecellprobability.to_numpy() >= max_single_cell_probability
    reason[(reason == "") & single_cell] = "single-cell-like"
    shallow = samples.reads_aligned.to_numpy() < min_reads_aligned
    reason[(reason == "") & shallow] = "too few reads"
    table = pd.DataFrame(
        {
            "index": np.arange(len(samples)),
            "sample_id": samples.geo_accession,
            "source": "archs4",
            "tissue": tissue,
            "series": samples.series_id,
            "reads_aligned": samples.reads_aligned,
            "kept": reason == "",
            "reason": reason,
        }
    )
    if not table.kept.any():
        raise InputError(
            "config key 'expression.archs4'",
            "no ARCHS4 sample passes the selection and QC thresholds",
            "widen the tissues/series or relax max_single_cell_probability/min_reads_aligned",
        )
    return table.loc[table.kept, list(OBS_COLUMNS)].reset_index(drop=True), table


def _sample_text(samples: pd.DataFrame) -> pd.Series:
    """Lower-case searchable text per sample from its descriptive fields."""
    fields = [f for f in ("source_name_ch1", "characteristics_ch1", "title") if f in samples]
    return samples[fields].astype(str).agg(" ".join, axis=1).str.lower()
