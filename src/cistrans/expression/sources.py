"""One AnnData per expression source: chosen samples, normalised, genes as the source names them.

Each returns `(adata, qc)`: `adata` has obs sample_id, source, tissue, series and var
`source_gene_id` (as in the file, versions kept) and `symbol`; X is float32 log expression.
`qc` has one row per candidate sample with library_size, genes_detected, kept and reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
from tqdm import tqdm

from cistrans.errors import InputError
from cistrans.expression.normalise import log2_tpm, normalise_counts
from cistrans.expression.samples import OBS_COLUMNS, select_archs4_samples, select_gtex_samples
from cistrans.io.archs4 import iter_archs4_blocks, read_archs4_genes, read_archs4_samples
from cistrans.io.files import open_text_read
from cistrans.io.gct import read_gct, read_gct_header
from cistrans.io.gtex import read_sample_attributes
from cistrans.io.tables import require_columns

ARCHS4_BLOCK = 2_000
CUSTOM_VALUES = ("log", "tpm", "counts")
CUSTOM_SAMPLE_COLUMNS = ("sample", "tissue", "series")


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
    TSV/CSV (first column gene IDs; optionally gzipped) with a sample sheet
    (sample, tissue, series). `custom_values`: log (used as is), tpm (log2 + 1) or counts
    (log CPM).
    """
    if str(matrix).endswith(".h5ad"):
        data = ad.read_h5ad(matrix)
        require_columns(
            matrix, data.obs, ("tissue", "series"), fix="add obs columns tissue and series"
        )
        obs = pd.DataFrame(
            {
                "sample_id": data.obs_names,
                "source": "custom",
                "tissue": data.obs.tissue,
                "series": data.obs.series,
            }
        )
        table = np.asarray(data.X, dtype=np.float32).T
        gene_ids, symbols = list(data.var_names), list(data.var.get("symbol", data.var_names))
    else:
        frame = _read_matrix(matrix)
        sheet = _read_sample_sheet(sample_sheet, frame.columns, matrix)
        obs = pd.DataFrame(
            {
                "sample_id": sheet["sample"],
                "source": "custom",
                "tissue": sheet.tissue,
                "series": sheet.series,
            }
        )
        table = frame[sheet["sample"]].to_numpy(dtype=np.float32)
        gene_ids = symbols = list(frame.index)
    scaled = {
        "log": lambda x: x,
        "tpm": log2_tpm,
        "counts": lambda x: normalise_counts(x, "log_cpm"),
    }[custom_values](table)
    qc = obs.assign(
        library_size=np.nan, genes_detected=(table > 0).sum(axis=0), kept=True, reason=""
    )
    return _anndata(scaled.T, obs[list(OBS_COLUMNS)], gene_ids, symbols), qc


def _read_matrix(path: str | Path) -> pd.DataFrame:
    """Genes × samples numbers with gene IDs in the first column."""
    with open_text_read(path) as handle:
        sep = "\t" if "\t" in handle.readline() else ","
    try:
        frame = pd.read_csv(path, sep=sep, index_col=0)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(
            path, f"not a readable table ({error})", "give a genes × samples TSV or CSV"
        ) from error
    bad = [column for column in frame.columns if not pd.api.types.is_numeric_dtype(frame[column])]
    if bad:
        column = bad[0]
        row = pd.to_numeric(frame[column], errors="coerce").isna().to_numpy().argmax()
        raise InputError(
            path,
            f"non-numeric value {frame[column].iloc[row]!r} in sample column {column!r}",
            "give numbers only (gene IDs in the first column)",
            where=f"line {row + 2}",
        )
    if frame.columns.duplicated().any():
        raise InputError(
            path,
            f"duplicated sample IDs: {sorted(set(frame.columns[frame.columns.duplicated()]))[:5]}",
            "give each sample once",
        )
    return frame


def _read_sample_sheet(
    path: str | Path, matrix_samples: pd.Index, matrix: str | Path
) -> pd.DataFrame:
    with open_text_read(path) as handle:
        sep = "\t" if "\t" in handle.readline() else ","
    sheet = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    require_columns(path, sheet, CUSTOM_SAMPLE_COLUMNS)
    missing = sorted(set(sheet["sample"]) - set(matrix_samples))
    if missing:
        raise InputError(
            path,
            f"{len(missing)} sample(s) not in {matrix} (e.g. {', '.join(missing[:3])})",
            "list only samples of the matrix",
        )
    return sheet


def selection_summary(adata: ad.AnnData, qc: pd.DataFrame) -> str:
    """One log line: samples kept of the candidates, genes, and the drop reasons."""
    dropped = qc[~qc.kept].reason.value_counts().to_dict()
    return (
        f"{adata.obs.source.iloc[0]}: kept {adata.n_obs} of {len(qc)} samples, "
        f"{adata.n_vars} genes; dropped {dropped or 'none'}"
    )
