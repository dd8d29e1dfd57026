"""GWAS Catalog associations (v1.0 TSV, optionally with the ontology columns).

Tab-separated with a header; cells are free text that can hold quotes, so the file is read
without quote handling. `NR` means not reported; an intergenic `MAPPED_GENE` reads `A - B`;
several genes are joined by `, `; p-values look like `9E-48`.

The full release comes as a zip (`gwas-catalog-associations_ontology-annotated-full.zip`,
member `gwas-catalog-download-associations-alt-full.tsv`, same columns, >1,000,000 rows);
`unzip_gwas_associations` unpacks it. Since late 2025 the plain
`gwas-catalog-associations_ontology-annotated.tsv` is truncated upstream to ~200,000 rows.
"""

from __future__ import annotations

import csv
import logging
import math
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import open_text_write, reading
from cistrans.io.tables import read_delimited, require_columns
from cistrans.io.transfer import BLOCK_BYTES, PART_SUFFIX, byte_progress

log = logging.getLogger(__name__)

GWAS_COLUMNS: tuple[str, ...] = (
    "DATE ADDED TO CATALOG",
    "PUBMEDID",
    "FIRST AUTHOR",
    "DATE",
    "JOURNAL",
    "LINK",
    "STUDY",
    "DISEASE/TRAIT",
    "INITIAL SAMPLE SIZE",
    "REPLICATION SAMPLE SIZE",
    "REGION",
    "CHR_ID",
    "CHR_POS",
    "REPORTED GENE(S)",
    "MAPPED_GENE",
    "UPSTREAM_GENE_ID",
    "DOWNSTREAM_GENE_ID",
    "SNP_GENE_IDS",
    "UPSTREAM_GENE_DISTANCE",
    "DOWNSTREAM_GENE_DISTANCE",
    "STRONGEST SNP-RISK ALLELE",
    "SNPS",
    "MERGED",
    "SNP_ID_CURRENT",
    "CONTEXT",
    "INTERGENIC",
    "RISK ALLELE FREQUENCY",
    "P-VALUE",
    "PVALUE_MLOG",
    "P-VALUE (TEXT)",
    "OR or BETA",
    "95% CI (TEXT)",
    "PLATFORM [SNPS PASSING QC]",
    "CNV",
)
"""The 34 columns of the GWAS Catalog associations file v1.0."""

GWAS_ONTOLOGY_COLUMNS: tuple[str, ...] = (
    "MAPPED_TRAIT",
    "MAPPED_TRAIT_URI",
    "STUDY ACCESSION",
    "GENOTYPING TECHNOLOGY",
)
"""The columns the ontology-annotated file appends."""

GWAS_HEADER: tuple[str, ...] = GWAS_COLUMNS + GWAS_ONTOLOGY_COLUMNS
GWAS_FULL_MEMBER = "gwas-catalog-download-associations-alt-full.tsv"
"""The associations table inside the full release's zip."""
FULL_RELEASE_MIN_ROWS = 500_000
"""Fewer association rows than this in an unzipped release earn a warning: the full
Catalog holds over 1,000,000 (a mirror of a subset may hold fewer on purpose)."""
TRAIT_COLUMNS: tuple[str, ...] = ("DISEASE/TRAIT", "trait")
"""A trait column: the Catalog's, or a plain trait-gene table's."""
GENE_COLUMNS: tuple[str, ...] = ("MAPPED_GENE", "REPORTED GENE(S)", "gene", "genes")
"""Gene columns, read in this order when present (at least one is needed)."""
P_VALUE_COLUMNS: tuple[str, ...] = ("P-VALUE", "p_value")
"""A p-value column, used when present (a table without one counts every row)."""
ASSOCIATION_COLUMNS: tuple[str, ...] = ("trait", "mapped_trait", "p_value", "genes")
WRITE_COLUMNS: tuple[str, ...] = (
    "trait",
    "mapped_trait",
    "mapped_gene",
    "reported_genes",
    "p_value",
    "pubmed_id",
    "snp",
    "chr_id",
    "chr_pos",
)

_ASSOCIATIONS_FIX = (
    "use a GWAS Catalog associations file (v1.0, tab-separated, with its header line), or a "
    "tab-separated table with columns trait and gene"
)
_GENE_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+-\s+|\s+x\s+")
_NOT_GENES = frozenset({"", "nr", "intergenic"})
_FILLERS = {
    "MERGED": "0",
    "RISK ALLELE FREQUENCY": "NR",
    "95% CI (TEXT)": "NR",
    "PLATFORM [SNPS PASSING QC]": "NR",
    "CNV": "N",
}


def read_gwas_associations(path: str | Path) -> pd.DataFrame:
    """Read GWAS associations: a GWAS Catalog associations TSV, or any tab-separated table
    with a trait column and a gene column (`TRAIT_COLUMNS`, `GENE_COLUMNS`).

    Returns a DataFrame with columns `trait` (DISEASE/TRAIT), `mapped_trait` (MAPPED_TRAIT,
    "" when the file has no such column), `p_value` (float; NaN when the table has no p-value
    column) and `genes` (list of symbols from the gene columns in `GENE_COLUMNS` order, split
    on `,`, `;`, ` - ` and ` x `, without `NR`, `intergenic` or repeats), in file order.
    """
    with read_delimited(path, quoting=csv.QUOTE_NONE, fix=_ASSOCIATIONS_FIX) as table:
        header = table.header
        trait = _columns(path, header, TRAIT_COLUMNS, "trait")[0]
        genes = _columns(path, header, GENE_COLUMNS, "gene")
        p_value = next((header.index(name) for name in P_VALUE_COLUMNS if name in header), None)
        mapped_trait = header.index("MAPPED_TRAIT") if "MAPPED_TRAIT" in header else None
        rows = [
            (
                fields[trait],
                "" if mapped_trait is None else fields[mapped_trait],
                math.nan if p_value is None else _p_value(path, fields[p_value], line),
                _genes(fields[i] for i in genes),
            )
            for line, fields in table
        ]
    log.info("read %d association rows from %s", len(rows), path)
    return pd.DataFrame(rows, columns=list(ASSOCIATION_COLUMNS))


def unzip_gwas_associations(archive: str | Path, destination: str | Path) -> int:
    """Unpack the associations table of a GWAS Catalog release zip to `destination`.

    The member is `GWAS_FULL_MEMBER`, else the zip's only `.tsv`. Written to
    `<destination>.part` and moved into place when complete. Logs the number of association
    rows (lines after the header), with a warning below `FULL_RELEASE_MIN_ROWS`; returns it.
    A damaged zip, or one without a single table to take, raises `InputError`.
    """
    archive, destination = Path(archive), Path(destination)
    partial = destination.with_name(destination.name + PART_SUFFIX)
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        with reading(archive, "zip archive"), zipfile.ZipFile(archive) as opened:
            member = _gwas_member(archive, opened)
            with (
                opened.open(member) as table,
                open(partial, "wb") as out,
                byte_progress(member.file_size, 0, f"unzip {member.filename}") as bar,
            ):
                lines, last = 0, b"\n"
                while block := table.read(BLOCK_BYTES):
                    out.write(block)
                    lines += block.count(b"\n")
                    last = block[-1:]
                    bar.update(len(block))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)
    rows = max(lines + (last != b"\n") - 1, 0)
    log.info(
        "unzipped %s from %s -> %s: %d association rows",
        *(member.filename, archive, destination, rows),
    )
    if rows < FULL_RELEASE_MIN_ROWS:
        log.warning(
            "%s holds only %d association rows, where a full GWAS Catalog release holds over "
            "1,000,000 (fewer than %d is suspicious): unless download.urls.gwas points at a "
            "subset on purpose, use the full release, "
            "gwas-catalog-associations_ontology-annotated-full.zip",
            *(archive, rows, FULL_RELEASE_MIN_ROWS),
        )
    return rows


def _gwas_member(archive: Path, opened: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The associations table of a release zip: `GWAS_FULL_MEMBER`, else its only `.tsv`."""
    members = [info for info in opened.infolist() if not info.is_dir()]
    for info in members:
        if PurePosixPath(info.filename).name == GWAS_FULL_MEMBER:
            return info
    tables = [info for info in members if info.filename.lower().endswith(".tsv")]
    if len(tables) == 1:
        return tables[0]
    names = ", ".join(info.filename for info in members) or "nothing"
    raise InputError(
        archive,
        f"holds no {GWAS_FULL_MEMBER} and {len(tables)} other .tsv tables (it holds {names})",
        "point download.urls.gwas at the GWAS Catalog's "
        "gwas-catalog-associations_ontology-annotated-full.zip, or at a plain .tsv",
    )


def _columns(path: str | Path, header: list[str], names: Sequence[str], what: str) -> list[int]:
    """The positions in `header` of those of `names` it holds, in `names` order; an
    InputError at line 1 naming the choices and the columns found when it holds none."""
    positions = [header.index(name) for name in names if name in header]
    if positions:
        return positions
    raise InputError(
        path,
        f"no {what} column (one of {', '.join(names)}); found {', '.join(header) or 'no columns'}",
        _ASSOCIATIONS_FIX,
        "line 1",
    )


def trait_associations(table: pd.DataFrame, traits: Sequence[str]) -> pd.DataFrame:
    """The rows of `table` (from `read_gwas_associations`) whose trait is one of `traits`:
    matched, ignoring case, to the `trait` column, the whole `mapped_trait`, or one of its
    `, `-separated ontology terms."""
    wanted = {trait.strip().lower() for trait in traits} - {""}
    matches = [
        not wanted.isdisjoint({trait.lower(), mapped.lower(), *mapped.lower().split(", ")})
        for trait, mapped in zip(table.trait, table.mapped_trait, strict=True)
    ]
    return table[np.asarray(matches, dtype=bool)]


def gwas_genes(associations: pd.DataFrame, max_p: float) -> set[str]:
    """Genes of `associations` with `p_value <= max_p` (rows without a p-value count)."""
    significant = associations.p_value.isna() | (associations.p_value <= max_p)
    return {gene for genes in associations.genes[significant] for gene in genes}


def write_gwas_associations(path: str | Path, rows: pd.DataFrame) -> None:
    """Write `rows` as an ontology-annotated GWAS Catalog associations file (38 columns).

    `rows` has columns `trait`, `mapped_trait`, `mapped_gene`, `reported_genes`,
    `p_value` (float in [0, 1]), `pubmed_id`, `snp`, `chr_id`, `chr_pos`. Other columns are
    derived (SNPS, LINK, PVALUE_MLOG, ...) or filled with empty or `NR` values; p-values are
    written Catalog-style (`9E-48`). The same table always gives the same bytes.
    """
    require_columns("rows", rows, WRITE_COLUMNS)
    p_values = pd.to_numeric(rows["p_value"], errors="coerce")
    if not p_values.between(0, 1).all():
        raise InputError(
            "rows", "column `p_value` holds values that are not p-values", "give numbers in [0, 1]"
        )
    with open_text_write(path) as handle:
        handle.write("\t".join(GWAS_HEADER) + "\n")
        for values in rows[list(WRITE_COLUMNS)].itertuples(index=False, name=None):
            fields = _association_fields(dict(zip(WRITE_COLUMNS, values, strict=True)))
            handle.write("\t".join(fields[name] for name in GWAS_HEADER) + "\n")


def _p_value(path: str | Path, text: str, line: int) -> float:
    """A P-VALUE cell (`9E-48`) as a float."""
    try:
        return float(text)
    except ValueError:
        raise InputError(
            path,
            f"P-VALUE {text!r} is not a number",
            "give p-values like 9E-48, or remove the row",
            f"line {line}",
        ) from None


def _genes(cells: Iterable[str]) -> list[str]:
    """Gene symbols named in `cells`, in order, without repeats or non-gene markers."""
    genes: list[str] = []
    for cell in cells:
        for name in _GENE_SEPARATOR.split(cell.strip()):
            name = name.strip()
            if name.lower() not in _NOT_GENES and name not in genes:
                genes.append(name)
    return genes


def _association_fields(row: dict[str, object]) -> dict[str, str]:
    """{column: cell} of all `GWAS_HEADER` columns for one row of `WRITE_COLUMNS` values."""
    text = {name: _text(value) for name, value in row.items()}
    p_value = float(row["p_value"])  # type: ignore[arg-type]
    snp = text["snp"]
    fields = dict.fromkeys(GWAS_HEADER, "") | _FILLERS
    fields |= {
        "PUBMEDID": text["pubmed_id"],
        "LINK": f"www.ncbi.nlm.nih.gov/pubmed/{text['pubmed_id']}" if text["pubmed_id"] else "",
        "DISEASE/TRAIT": text["trait"],
        "CHR_ID": text["chr_id"],
        "CHR_POS": text["chr_pos"],
        "REPORTED GENE(S)": text["reported_genes"] or "NR",
        "MAPPED_GENE": text["mapped_gene"],
        "STRONGEST SNP-RISK ALLELE": f"{snp}-?" if snp else "",
        "SNPS": snp,
        "SNP_ID_CURRENT": snp.removeprefix("rs"),
        "INTERGENIC": "1" if " - " in text["mapped_gene"] else "0",
        "P-VALUE": _format_p_value(p_value),
        "PVALUE_MLOG": f"{-math.log10(p_value):.10g}" if p_value > 0 else "",
        "MAPPED_TRAIT": text["mapped_trait"],
    }
    return fields


def _format_p_value(p_value: float) -> str:
    """A p-value the Catalog way: `9E-48`, `1.5E-8` (mantissa without trailing zeros)."""
    mantissa, exponent = f"{p_value:.12e}".split("e")
    return f"{float(mantissa):.12g}E{int(exponent)}"


def _text(value: object) -> str:
    """A cell value as text: "" when missing, whole floats without `.0`."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
