"""Choosing samples: by tissue, series or keyword, and dropping unusable ARCHS4 samples.

Every selector returns the kept samples with the compendium's obs columns (sample_id,
source, tissue, series) and a QC table (one row per candidate sample, with `kept` and the
`reason` a sample was dropped).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError, few
from cistrans.io.gtex import gtex_donor

log = logging.getLogger(__name__)

OBS_COLUMNS = ("sample_id", "source", "tissue", "series")
NO_ATTRIBUTES = "not in the sample attributes"
"""The QC reason of a GTEx matrix column that the attributes list as no RNA-seq sample."""


def select_gtex_samples(
    attributes: pd.DataFrame,
    matrix_samples: Sequence[str],
    tissues: Sequence[str],
    attributes_path: str | Path,
    matrix_path: str | Path = "the expression matrix",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GTEx RNA-seq samples of the chosen tissues (SMTS or SMTSD names; empty = all).

    attributes: `read_sample_attributes` output; its RNA-seq samples are those with
    SMAFRZE == RNASEQ when that column is filled, else all. matrix_samples: the GCT's sample
    columns, in file order. Matched by intersection, with the counts logged: the attributes
    list samples a GCT can leave out (v10's gene TPM leaves out the laser-capture samples:
    ~48,000 attribute rows against ~19,600 columns), and a column without RNA-seq
    attributes is left out (QC reason `NO_ATTRIBUTES`, with a warning). Raises `InputError`
    naming both files when no sample matches. Series = donor.

    Returns the kept samples (obs columns `OBS_COLUMNS`, matrix order) and the QC table:
    one row per matrix column, in matrix order, with `kept` and `reason`.
    """
    rna = attributes
    if "SMAFRZE" in attributes and (attributes.SMAFRZE != "").any():
        rna = attributes[attributes.SMAFRZE == "RNASEQ"]
    matched = _matched_samples(rna.SAMPID, matrix_samples, attributes_path, matrix_path)
    rna = rna.set_index("SAMPID").loc[matched].reset_index()
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
    found = set(matched)
    left_out = [sample for sample in matrix_samples if sample not in found]
    if left_out:
        rows = {"sample_id": left_out, "source": "gtex", "tissue": "", "series": ""}
        table = (
            pd.concat([table, pd.DataFrame(rows).assign(kept=False, reason=NO_ATTRIBUTES)])
            .set_index("sample_id", drop=False)
            .loc[list(matrix_samples)]
            .reset_index(drop=True)
        )
    return table.loc[table.kept, list(OBS_COLUMNS)].reset_index(drop=True), table


def _matched_samples(
    attribute_ids: pd.Series,
    matrix_ids: Sequence[str],
    attributes_path: str | Path,
    matrix_path: str | Path,
) -> list[str]:
    """The matrix columns that are RNA-seq samples of the attributes, in matrix order.

    Logs how many samples each side has, how many match and how many only one side has;
    warns about matrix columns without attributes; raises `InputError` when none match.
    """
    in_attributes = set(attribute_ids)
    matched = [sample for sample in matrix_ids if sample in in_attributes]
    matrix_only = [sample for sample in matrix_ids if sample not in in_attributes]
    log.info(
        "GTEx samples: %d RNA-seq samples in the attributes (%s), %d columns in the matrix "
        "(%s); %d matched, %d only in the attributes (e.g. laser-capture samples the gene "
        "TPM leaves out), %d only in the matrix",
        *(len(in_attributes), attributes_path, len(matrix_ids), matrix_path),
        *(len(matched), len(in_attributes) - len(matched), len(matrix_only)),
    )
    if matrix_only and matched:
        log.warning(
            "%d matrix column(s) of %s have no RNA-seq sample attributes in %s and are left "
            "out (e.g. %s)",
            *(len(matrix_only), matrix_path, attributes_path, ", ".join(matrix_only[:3])),
        )
    if not matched:
        raise InputError(
            attributes_path,
            f"none of its {len(in_attributes)} RNA-seq samples is one of the "
            f"{len(matrix_ids)} sample columns of {matrix_path} "
            f"(attributes e.g. {few(sorted(in_attributes), 3) or 'none'}; "
            f"matrix e.g. {few(list(matrix_ids), 3) or 'none'})",
            f"use the sample attributes of the same GTEx release as {matrix_path} "
            "(both from download.gtex_version, or inputs.gtex_samples and inputs.gtex_tpm "
            "of one release)",
        )
    return matched


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
