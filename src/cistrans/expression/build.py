"""Build each expression step from files to files: one function per Snakemake rule."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import anndata as ad
import pandas as pd

from cistrans.expression import sources
from cistrans.expression.compendium import build_compendium
from cistrans.expression.genes import gene_annotation
from cistrans.io.gtf import read_gtf
from cistrans.io.tflist import read_tf_list

log = logging.getLogger(__name__)


def _write(adata: ad.AnnData, qc: pd.DataFrame, h5ad: str | Path, qc_path: str | Path) -> None:
    Path(h5ad).parent.mkdir(parents=True, exist_ok=True)
    adata.write_h5ad(h5ad, compression="gzip")
    Path(qc_path).parent.mkdir(parents=True, exist_ok=True)
    qc.to_csv(qc_path, sep="\t", index=False, lineterminator="\n")
    dropped = qc[~qc.kept].reason.value_counts().to_dict()
    log.info(
        "%s: kept %d of %d samples, %d genes; dropped %s",
        adata.obs.source.iloc[0],
        adata.n_obs,
        len(qc),
        adata.n_vars,
        dropped or "none",
    )


def build_gtex_source(
    gct: str,
    attributes: str,
    gtf: str,
    h5ad: str,
    qc: str,
    tissues: Sequence[str],
    gene_types: Sequence[str],
) -> None:
    """GTEx GCT + sample attributes → the GTEx source AnnData and its sample QC table.

    Only genes of `gene_types` in the GTF are read (all genes when it is empty), so memory
    follows the genes the compendium keeps: ~20,000 protein-coding of GTEx's 56,200.
    """
    genes = None
    if gene_types:
        annotation = gene_annotation(read_gtf(gtf, features=["gene"]))
        genes = set(annotation.index[annotation.gene_type.isin(gene_types)])
        log.info("reading the %d GTF genes of types %s", len(genes), ", ".join(gene_types))
    _write(*sources.gtex_source(gct, attributes, tissues, genes), h5ad, qc)


def build_archs4_source(h5: str, h5ad: str, qc: str, **settings: object) -> None:
    """ARCHS4 HDF5 → the ARCHS4 source AnnData and its sample QC table."""
    _write(*sources.archs4_source(h5, **settings), h5ad, qc)


def build_custom_source(matrix: str, samples: str | None, h5ad: str, qc: str, values: str) -> None:
    """Your own matrix (+ sample sheet) → the custom source AnnData and its QC table."""
    _write(*sources.custom_source(matrix, samples, values), h5ad, qc)


def build_compendium_files(
    source_files: Sequence[str],
    gtf: str,
    tf_list: str,
    compendium: str,
    summary: str,
    duplicates: str,
    tfs: str,
    **settings: object,
) -> None:
    """Join the sources into `compendium` (.h5ad) and write the reports."""
    annotation = gene_annotation(read_gtf(gtf, features=["gene"]))
    result = build_compendium(
        [ad.read_h5ad(path) for path in source_files], annotation, read_tf_list(tf_list), **settings
    )
    result.adata.write_h5ad(compendium, compression="gzip")
    result.summary.to_csv(summary, sep="\t", index=False, lineterminator="\n")
    result.duplicates.to_csv(duplicates, sep="\t", index=False, lineterminator="\n")
    Path(tfs).write_text(json.dumps(result.tf_counts, indent=2) + "\n", encoding="utf-8")
    log.info(
        "compendium: %d samples × %d genes (%d TFs); TF list: %s",
        result.adata.n_obs,
        result.adata.n_vars,
        int(result.adata.var.is_tf.sum()),
        result.tf_counts,
    )
