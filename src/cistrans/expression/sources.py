"""One AnnData per expression source: chosen samples, normalised, genes as the source names them.

Each returns `(adata, qc)`: `adata` has obs sample_id, source, tissue, series and var
`source_gene_id` (as in the file, versions kept) and `symbol`; X is float32 log expression.
`qc` has one row per candidate sample with library_size, genes_detected, kept and reason.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Collection, Sequence
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
from scipy import sparse
from tqdm import tqdm

from cistrans.errors import InputError, few
from cistrans.expression.normalise import log2_tpm, normalise_counts
from cistrans.expression.samples import OBS_COLUMNS, select_archs4_samples, select_gtex_samples
from cistrans.expression.values import check_values
from cistrans.io.archs4 import iter_archs4_blocks, read_archs4_genes, read_archs4_samples
from cistrans.io.files import OWN_FILE_AGAIN, open_text_read, reading
from cistrans.io.gct import read_gct, read_gct_header
from cistrans.io.gtex import read_sample_attributes
from cistrans.io.h5ad import read_h5ad
from cistrans.io.tables import (
    read_sheet,
    require_columns,
    require_unique,
)

log = logging.getLogger(__name__)

ARCHS4_BLOCK = 2_000
CUSTOM_VALUES = ("log", "tpm", "counts")
NOT_IN_SHEET = "not in the sample sheet"
"""The QC reason of a custom matrix column that the sample sheet does not list."""


def _anndata(
    values: np.ndarray, obs: pd.DataFrame, gene_ids: Sequence[str], symbols: Sequence[str]
) -> ad.AnnData:
    """values: (samples, genes) float32."""
    var = pd.DataFrame({"source_gene_id": list(gene_ids), "symbol": list(symbols)})
    var.index = var.source_gene_id.astype(str).to_numpy()
    obs = obs.reset_index(drop=True).astype(str)
    obs.index = obs.sample_id.to_numpy()
    return ad.AnnData(X=values.astype(np.float32, copy=False), obs=obs, var=var)


def gtex_source(
    gct: str | Path,
    attributes: str | Path,
    tissues: Sequence[str],
    genes: Collection[str] | None = None,
) -> tuple[ad.AnnData, pd.DataFrame]:
    """GTEx TPM GCT → log2(TPM + 1) of the chosen tissues' samples (read only those), and
    of `genes` (Ensembl IDs without version; all when None).

    The attributes' RNA-seq samples and the GCT's columns are matched by intersection
    (`select_gtex_samples`: v10's gene TPM leaves out the laser-capture samples the
    attributes list); the QC table has one row per GCT column."""
    _, _, matrix_samples = read_gct_header(gct)
    obs, qc = select_gtex_samples(
        read_sample_attributes(attributes), matrix_samples, tissues, attributes, gct
    )
    table = read_gct(gct, samples=obs.sample_id.tolist(), genes=genes)
    if not table.names:
        raise InputError(
            gct,
            "holds none of the annotation's genes of the configured types",
            "use a GTF of the same genome build as the GCT, or check expression.gene_types",
        )
    values = log2_tpm(table.values, inplace=True).T
    qc["library_size"] = np.nan
    qc["genes_detected"] = (
        pd.Series((values > 0).sum(axis=1), index=obs.sample_id).reindex(qc.sample_id).to_numpy()
    )
    return _anndata(values, obs, table.names, table.descriptions), qc


def archs4_source(
    h5: str | Path,
    tissues: Sequence[str],
    series: Sequence[str],
    max_single_cell_probability: float,
    min_reads_aligned: float,
    normalisation: str,
) -> tuple[ad.AnnData, pd.DataFrame]:
    """ARCHS4 counts → normalised log expression of the kept samples, block by block."""
    samples = read_archs4_samples(
        h5, ["geo_accession", "series_id", "source_name_ch1", "characteristics_ch1", "title",
             "singlecellprobability", "reads_aligned"],
    )  # fmt: skip
    obs, qc = select_archs4_samples(
        samples, tissues, series, max_single_cell_probability, min_reads_aligned
    )
    genes = read_archs4_genes(h5)
    index = qc["index"][qc.kept].to_numpy()
    values = np.empty((len(index), len(genes)), dtype=np.float32)
    library = np.zeros(len(qc))
    detected = np.zeros(len(qc))
    progress = tqdm(total=len(index), desc="ARCHS4 samples", mininterval=5)
    for positions, counts in iter_archs4_blocks(h5, index, ARCHS4_BLOCK):
        values[positions] = normalise_counts(counts, normalisation).T
        library[index[positions]] = counts.sum(axis=0)
        detected[index[positions]] = (counts > 0).sum(axis=0)
        progress.update(len(positions))
    progress.close()
    qc["library_size"] = np.where(qc.kept, library, np.nan)
    qc["genes_detected"] = np.where(qc.kept, detected, np.nan)
    return _anndata(values, obs, genes.ensembl_gene, genes.symbol), qc.drop(
        columns=["index", "reads_aligned"]
    )


def custom_source(
    matrix: str | Path, sample_sheet: str | Path | None, custom_values: str
) -> tuple[ad.AnnData, pd.DataFrame]:
    """Your own compendium: an `.h5ad` (obs with tissue and series), or a genes × samples
    TSV/CSV (first column gene IDs; optionally gzipped) with a sample sheet (sample, tissue,
    series: the `samples` table schema). `custom_values`: log (used as is), tpm (log2 + 1)
    or counts (log CPM).

    Checked where it enters, each problem one `InputError` naming the file, the place and
    the fix: a damaged file, a non-numeric cell, empty or repeated gene and sample IDs, the
    sheet's columns and cells (`validate_table`) and repeated rows, and the values against
    `custom_values` (`check_values`: non-finite cells, values the kind cannot or surely
    does not take, and warnings where a real table can legitimately differ). Samples only
    the matrix or only the sheet has are left out with a warning; none in common is an
    error.

    Returns the kept samples' AnnData (in sheet order; an `.h5ad`'s in obs order) and the
    QC table: one row per matrix column, the kept ones first, those the sheet does not list
    with reason `NOT_IN_SHEET`.
    """
    if custom_values not in CUSTOM_VALUES:
        raise InputError(
            "expression.custom_values",
            f"{custom_values!r} is not a kind of expression values",
            f"allowed values: {', '.join(CUSTOM_VALUES)}",
        )
    if str(matrix).endswith(".h5ad"):
        obs, table, gene_ids, symbols = _read_h5ad_matrix(matrix)
        qc = obs.assign(kept=True, reason="")
        first_line = None
    else:
        if sample_sheet is None:
            raise InputError(
                "inputs.custom_samples",
                f"missing, but the custom matrix {matrix} is a table",
                "give inputs.custom_samples: a sheet with columns sample, tissue and series",
            )
        frame = _read_matrix(matrix)
        sheet = _read_sample_sheet(sample_sheet)
        obs, qc = _match_samples(sheet, list(frame.columns), sample_sheet, matrix)
        table = frame[obs.sample_id].to_numpy(dtype=np.float32)
        gene_ids = symbols = list(frame.index)
        first_line = 2
    check_values(
        table, gene_ids, list(obs.sample_id), custom_values, path=matrix, first_line=first_line
    )
    detected = pd.Series((table > 0).sum(axis=0), index=obs.sample_id.to_numpy())
    qc = qc.assign(library_size=np.nan, genes_detected=qc.sample_id.map(detected))
    qc = qc[[*OBS_COLUMNS, "library_size", "genes_detected", "kept", "reason"]]
    scaled = {
        "log": lambda x: x,
        "tpm": log2_tpm,
        "counts": lambda x: normalise_counts(x, "log_cpm"),
    }[custom_values](table)
    return _anndata(scaled.T, obs[list(OBS_COLUMNS)], gene_ids, symbols), qc


def _read_h5ad_matrix(
    path: str | Path,
) -> tuple[pd.DataFrame, np.ndarray, list[str], list[str]]:
    """A custom `.h5ad`: obs (`OBS_COLUMNS`), values (genes × samples), gene IDs and symbols.
    `InputError` for a damaged file, missing or empty obs tissue or series, and repeated
    obs or var names."""
    data = read_h5ad(path, OWN_FILE_AGAIN)
    require_columns(path, data.obs, ("tissue", "series"), fix="add obs columns tissue and series")
    require_unique(
        path,
        list(data.obs_names),
        range(1, data.n_obs + 1),
        what="sample IDs (obs names)",
        fix="give each sample once (obs_names_make_unique() renames repeats)",
        unit="obs row",
    )
    _warn_repeated_genes(path, list(data.var_names), range(1, data.n_vars + 1), "var row")
    obs = pd.DataFrame(
        {
            "sample_id": list(data.obs_names),
            "source": "custom",
            "tissue": data.obs.tissue.to_numpy(dtype=object),
            "series": data.obs.series.to_numpy(dtype=object),
        }
    )
    for column in ("tissue", "series"):
        empty = obs[column].isna() | (obs[column].astype(str).str.strip() == "")
        if empty.any():
            raise InputError(
                path,
                f"{int(empty.sum())} sample(s) without a {column} "
                f"(e.g. {few(list(obs.sample_id[empty]), 3)})",
                f"fill obs column {column} for every sample",
                f"obs column {column}",
            )
    values = data.X.toarray() if sparse.issparse(data.X) else data.X
    table = np.asarray(values, dtype=np.float32).T
    return obs, table, list(data.var_names), list(data.var.get("symbol", data.var_names))


def _read_matrix(path: str | Path) -> pd.DataFrame:
    """Genes × samples numbers with gene IDs in the first column, tab- or comma-separated
    (as the header line is), optionally gzipped. `InputError` for a damaged file or one
    pandas cannot parse, no sample columns or gene rows, a non-numeric cell, and empty or
    repeated gene IDs and sample IDs."""
    with open_text_read(path, OWN_FILE_AGAIN) as handle:
        first = handle.readline().rstrip("\r\n")
    sep = "\t" if "\t" in first else ","
    header = next(csv.reader([first], delimiter=sep), [])
    require_unique(
        path,
        header[1:],
        range(2, len(header) + 1),
        what="sample IDs",
        fix="give each sample one column",
        unit="column",
        where="line 1",
    )
    try:
        with reading(path, fix=OWN_FILE_AGAIN):
            frame = pd.read_csv(path, sep=sep, index_col=0)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(
            path, f"not a readable table ({error})", "give a genes × samples TSV or CSV"
        ) from error
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise InputError(
            path,
            f"no sample columns (the header line is {first[:80]!r})"
            if frame.shape[1] == 0
            else "no gene rows after the header line",
            "give a genes × samples table, tab- or comma-separated: a header line, then one "
            "row per gene with its ID in the first column and one value per sample",
            "line 1" if frame.shape[1] == 0 else "line 2",
        )
    bad = [column for column in frame.columns if not pd.api.types.is_numeric_dtype(frame[column])]
    if bad:
        column = bad[0]
        row = pd.to_numeric(frame[column], errors="coerce").isna().to_numpy().argmax()
        raise InputError(
            path,
            f"non-numeric value {frame[column].iloc[row]!r} in sample column {column!r}",
            "give numbers only (gene IDs in the first column)",
            where=f"line {row + 2}, column {column}",
        )
    lines = range(2, len(frame) + 2)
    no_id = np.flatnonzero(frame.index.isna() | (frame.index.astype(str).str.strip() == ""))
    if len(no_id):
        raise InputError(
            path,
            f"{len(no_id)} row(s) without a gene ID (lines {few([str(lines[i]) for i in no_id])})",
            "give each row its gene ID (Ensembl ID or symbol) in the first column, or drop it",
            f"line {lines[no_id[0]]}, column 1",
        )
    _warn_repeated_genes(path, list(frame.index), lines, "line")
    return frame


def _warn_repeated_genes(
    path: str | Path, gene_ids: list[str], positions: Sequence[int], unit: str
) -> None:
    """A warning naming repeated gene IDs (a symbol-keyed table often repeats a few): the
    compendium keeps each one's row with the highest mean (qc/duplicate_genes.tsv)."""
    try:
        require_unique(
            path, gene_ids, positions, what="gene IDs", unit=unit,
            fix="nothing, if keeping the row with the highest mean suits you; else drop or "
            "merge the repeated rows, or key the matrix by Ensembl gene ID",
        )  # fmt: skip
    except InputError as repeated:
        log.warning(
            "%s; the compendium keeps the row with the highest mean of each "
            "(the compendium's duplicate-gene report)", repeated,
        )  # fmt: skip


def _read_sample_sheet(path: str | Path) -> pd.DataFrame:
    """A custom matrix's sample sheet (tab- or comma-separated; lines starting with `#` are
    comments), checked against the `samples` table schema, with each sample once."""
    sheet = read_sheet(
        path, delimiter=None, comment="#", damaged_fix=OWN_FILE_AGAIN, schema="samples"
    )
    if sheet.table.empty:
        raise InputError(
            path,
            "no sample rows after the header line",
            "list the matrix's samples, one row each with sample, tissue and series",
            f"line {sheet.header_line + 1}",
        )
    require_unique(
        path,
        list(sheet.table["sample"]),
        sheet.lines,
        what="samples",
        fix="list each sample once (one row per sample)",
    )
    return sheet.table


def _match_samples(
    sheet: pd.DataFrame,
    matrix_samples: Sequence[str],
    sheet_path: str | Path,
    matrix_path: str | Path,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sheet's samples that are matrix columns: obs (`OBS_COLUMNS`, sheet order) and the
    QC rows (obs with kept and reason, then the matrix columns the sheet does not list,
    reason `NOT_IN_SHEET`). Logs the counts; warns about samples only one side has (left
    out); `InputError` naming both files when none is in both."""
    in_matrix, listed = set(matrix_samples), set(sheet["sample"])
    kept = sheet[sheet["sample"].isin(in_matrix)]
    sheet_only = [sample for sample in sheet["sample"] if sample not in in_matrix]
    matrix_only = [sample for sample in matrix_samples if sample not in listed]
    log.info(
        "custom samples: %d columns in %s, %d in the sample sheet %s; %d in both",
        *(len(matrix_samples), matrix_path, len(sheet), sheet_path, len(kept)),
    )
    if kept.empty:
        raise InputError(
            sheet_path,
            f"none of its {len(sheet)} samples is one of the {len(matrix_samples)} sample "
            f"columns of {matrix_path} (sheet e.g. {few(list(sheet['sample']), 3)}; matrix "
            f"e.g. {few(list(matrix_samples), 3)})",
            "use the sample sheet of this matrix: its sample column must hold the matrix's "
            "column names exactly",
        )
    if matrix_only:
        log.warning(
            "%d of the %d sample columns of %s are not in the sample sheet %s and are left "
            "out (e.g. %s); list them in the sheet to use them",
            *(len(matrix_only), len(matrix_samples), matrix_path, sheet_path),
            few(matrix_only, 3),
        )
    if sheet_only:
        log.warning(
            "%d of the %d samples of the sample sheet %s are not columns of %s and are left "
            "out (e.g. %s); check the sheet's sample IDs against the matrix's header line",
            *(len(sheet_only), len(sheet), sheet_path, matrix_path, few(sheet_only, 3)),
        )
    obs = pd.DataFrame(
        {
            "sample_id": kept["sample"].to_numpy(),
            "source": "custom",
            "tissue": kept.tissue.to_numpy(),
            "series": kept.series.to_numpy(),
        }
    )
    left_out = pd.DataFrame(
        {"sample_id": matrix_only, "source": "custom", "tissue": "", "series": ""}
    ).assign(kept=False, reason=NOT_IN_SHEET)
    qc = pd.concat([obs.assign(kept=True, reason=""), left_out], ignore_index=True)
    return obs, qc


def selection_summary(adata: ad.AnnData, qc: pd.DataFrame) -> str:
    """One log line: samples kept of the candidates, genes, and the drop reasons."""
    dropped = qc[~qc.kept].reason.value_counts().to_dict()
    return (
        f"{adata.obs.source.iloc[0]}: kept {adata.n_obs} of {len(qc)} samples, "
        f"{adata.n_vars} genes; dropped {dropped or 'none'}"
    )
