"""Expression Atlas differential experiments: analytics tables and configuration XML.

Analytics (`<ACC>-analytics.tsv`, microarray `<ACC>_<ARRAY>-analytics.tsv`) are
tab-separated with columns `Gene ID`, `Gene Name`, then per contrast `<c>.p-value` and
`<c>.log2foldchange`; microarray files add `Design Element` and `<c>.t-statistic` and hold
one row per probe set, so a gene can repeat. `NA` marks missing numbers; log2 fold changes
are rounded to one decimal. `<ACC>-configuration.xml` says which assay groups a contrast
compares.

The disease sheet (config/diseases.tsv) names the Atlas experiments and contrasts to use, and
so which of these files a real run needs.
"""

from __future__ import annotations

import csv
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from cistrans.errors import InputError, few
from cistrans.io.files import OWN_FILE_AGAIN, open_text_read, open_text_write
from cistrans.io.tables import (
    read_delimited,
    read_sheet,
    require_columns,
    require_unique,
)

ANALYTICS_COLUMNS: tuple[str, ...] = ("gene_id", "gene_name", "log2fc", "p_value")
CONFIGURATION_COLUMNS: tuple[str, ...] = ("contrast_id", "name", "reference_group", "test_group")
EXPERIMENT_TYPE = "rnaseq_mrna_differential"

# Unanchored, without groups, so that they can be put into larger patterns (Snakemake's
# wildcard constraints).
ACCESSION = r"E-[A-Z]+-\d+"
ARRAY_DESIGN = r"A-[A-Z]+-\d+"
ATLAS_FILE_NAME = rf"{ACCESSION}(?:_{ARRAY_DESIGN})?-(?:analytics\.tsv|configuration\.xml)"

_STATISTICS = ("p-value", "t-statistic", "log2foldchange")
_ANALYTICS_FIX = "use an Expression Atlas *-analytics.tsv file"
_CONFIGURATION_FIX = "use the experiment's <ACC>-configuration.xml from Expression Atlas"


def list_atlas_contrasts(path: str | Path) -> list[str]:
    """Contrast ids (e.g. `g2_g1`) named in the header of an analytics file, in header order."""
    with read_delimited(path, quoting=csv.QUOTE_NONE) as table:
        header = table.header
    return _contrasts(path, header)


def read_atlas_analytics(path: str | Path, contrast: str) -> pd.DataFrame:
    """Read one contrast of an Expression Atlas analytics file, one row per gene.

    Returns a DataFrame with columns `gene_id`, `gene_name` (str; "" when empty), `log2fc`
    and `p_value` (float; NaN for `NA`), in file order. Rows without a Gene ID are dropped.
    Microarray files list a gene once per probe set: the probe set with the smallest
    p-value is kept (NaN counts as largest; ties keep the first in file order).
    """
    with read_delimited(path, quoting=csv.QUOTE_NONE) as table:
        positions = _analytics_positions(path, table.header, contrast)
        rows = [
            _analytics_row(path, table.header, fields, positions, line) for line, fields in table
        ]
    return _one_row_per_gene(pd.DataFrame(rows, columns=list(ANALYTICS_COLUMNS)))


def write_atlas_analytics(path: str | Path, table: pd.DataFrame, contrast: str) -> None:
    """Write `table` as an RNA-seq analytics file with the one contrast `contrast`.

    `table` has columns `gene_id`, `gene_name` (str), `p_value` and `log2fc` (float), one
    row per gene. NaN is written `NA`, log2FC rounded to one decimal as Atlas does, p-values
    with 15 significant digits; empty gene names stay empty.
    """
    require_columns("table", table, ("gene_id", "gene_name", "p_value", "log2fc"))
    for column in ("p_value", "log2fc"):
        if not pd.api.types.is_numeric_dtype(table[column]):
            raise InputError("table", f"column `{column}` is not numeric", "give float values")
    header = ["Gene ID", "Gene Name", f"{contrast}.p-value", f"{contrast}.log2foldchange"]
    with open_text_write(path) as handle:
        handle.write("\t".join(header) + "\n")
        columns = table[["gene_id", "gene_name", "p_value", "log2fc"]]
        for gene_id, gene_name, p_value, log2fc in columns.itertuples(index=False, name=None):
            name = "" if pd.isna(gene_name) else str(gene_name)
            fields = [str(gene_id), name, _format_p_value(p_value), _format_log2fc(log2fc)]
            handle.write("\t".join(fields) + "\n")


def read_atlas_configuration(path: str | Path) -> pd.DataFrame:
    """Read the contrasts of an Expression Atlas `<ACC>-configuration.xml`.

    Returns a DataFrame with columns `contrast_id`, `name`, `reference_group` and
    `test_group` (assay group ids such as `g2`), one row per contrast in file order.
    Extra contrast attributes (e.g. `cttv_primary`) are ignored.
    """
    with open_text_read(path) as handle:
        text = handle.read()
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        line, column = error.position
        raise InputError(
            path,
            f"not well-formed XML ({error})",
            _CONFIGURATION_FIX,
            f"line {line}, column {column}",
        ) from None
    rows = [_contrast_row(path, element) for element in root.iter("contrast")]
    if not rows:
        raise InputError(path, "no <contrast> element found", _CONFIGURATION_FIX)
    return pd.DataFrame(rows, columns=list(CONFIGURATION_COLUMNS))


def write_atlas_configuration(path: str | Path, contrasts: pd.DataFrame) -> None:
    """Write `contrasts` as an RNA-seq differential `<ACC>-configuration.xml`.

    `contrasts` has columns `contrast_id`, `name`, `reference_group`, `test_group`, and
    optionally `reference_label`, `test_label` (assay group labels; the group id when
    absent or empty). Assay groups are listed in group-number order, with no assays.
    """
    require_columns("contrasts", contrasts, CONFIGURATION_COLUMNS)
    root = ET.Element("configuration", {"experimentType": EXPERIMENT_TYPE, "r_data": "1"})
    analytics = ET.SubElement(root, "analytics")
    groups = ET.SubElement(analytics, "assay_groups")
    for group_id, label in _group_labels(contrasts).items():
        ET.SubElement(groups, "assay_group", {"id": group_id, "label": label})
    contrast_list = ET.SubElement(analytics, "contrasts")
    for contrast_id, name, reference, test in contrasts[list(CONFIGURATION_COLUMNS)].itertuples(
        index=False, name=None
    ):
        element = ET.SubElement(contrast_list, "contrast", {"id": str(contrast_id)})
        ET.SubElement(element, "name").text = str(name)
        ET.SubElement(element, "reference_assay_group").text = str(reference)
        ET.SubElement(element, "test_assay_group").text = str(test)
    ET.indent(root, space="    ")
    with open_text_write(path) as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n\n')
        handle.write(ET.tostring(root, encoding="unicode") + "\n")


def read_disease_sheet(path: str | Path) -> pd.DataFrame:
    """The disease comparison sheet: one row per Expression Atlas contrast.

    Columns accession, contrast_id, disease, tissue, gwas_trait, and array_design (microarray
    experiments; empty for RNA-seq, and optional as a column), as strings. Lines starting
    with `#` are comments. Checked against the `diseases` table schema
    (`cistrans/io/schemas/diseases.schema.yaml`): `InputError` naming the line and column of
    a missing column, an empty cell or a malformed accession, contrast ID or array design,
    and the lines of a contrast (accession, contrast_id) listed twice. The file line of each
    row is in `table.attrs["lines"]`, for later messages.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", "give the disease sheet (config/diseases.tsv)")
    sheet = read_sheet(path, comment="#", damaged_fix=OWN_FILE_AGAIN, schema="diseases")
    table = sheet.table
    if "array_design" not in table.columns:
        table["array_design"] = ""
    require_unique(
        path,
        list(zip(table.accession, table.contrast_id, strict=True)),
        sheet.lines,
        what="contrasts (accession, contrast_id)",
        fix="list each contrast once (one disease per contrast)",
    )
    table = table.reset_index(drop=True)
    table.attrs["lines"] = list(sheet.lines)
    return table


def atlas_file_names(sheet: pd.DataFrame) -> list[str]:
    """The analytics and configuration file names of every experiment in a disease sheet.

    Microarray analytics are per array design (`<ACC>_<ARRAY>-analytics.tsv`), RNA-seq
    analytics per experiment (`<ACC>-analytics.tsv`); each experiment has one
    `<ACC>-configuration.xml`. Sorted, without repeats.
    """
    names = set()
    for accession, array_design in zip(sheet["accession"], sheet["array_design"], strict=True):
        names |= {analytics_file_name(accession, array_design), f"{accession}-configuration.xml"}
    return sorted(names)


def analytics_file_name(accession: str, array_design: str) -> str:
    """Expression Atlas's name of an experiment's analytics: `<ACC>[_<ARRAY>]-analytics.tsv`."""
    platform = f"_{array_design}" if array_design else ""
    return f"{accession}{platform}-analytics.tsv"


def analytics_paths(sheet: pd.DataFrame, paths: Sequence[str | Path]) -> list[Path]:
    """The analytics file of each row of a disease sheet, found among `paths` (the files a
    rule was given) by Expression Atlas's file name; `InputError` naming the sheet's row
    when none is there (its file line, `read_disease_sheet`'s `attrs["lines"]`)."""
    by_name = {Path(path).name: Path(path) for path in paths}
    found = []
    for number, row in zip(sheet.attrs["lines"], sheet.itertuples(index=False), strict=True):
        name = analytics_file_name(row.accession, row.array_design)
        if name not in by_name:
            raise InputError(
                name,
                f"no such analytics file among the inputs (disease sheet line {number})",
                "put the experiment's Expression Atlas analytics in the Atlas folder",
            )
        found.append(by_name[name])
    return found


def check_atlas_files(
    sheet_path: str | Path, folder: str | Path, made: Collection[str] = ()
) -> None:
    """Check that `folder` holds the analytics file of every row of the disease sheet.

    sheet_path: the disease sheet (read with `read_disease_sheet`). folder: where the
    analytics are read from (inputs.atlas_folder, or the source's). made: file names the
    workflow itself writes into `folder` (the demo world's), not looked for. Only the
    analytics are looked for: the workflow reads no `<ACC>-configuration.xml`.
    Raises `InputError` naming the sheet, the line of the first row whose file is missing,
    its accession and contrast, the file looked for, the folder, and the lines of the other
    rows whose files are missing.
    """
    sheet = read_disease_sheet(sheet_path)
    missing = [
        (line, row, name)
        for line, row in zip(sheet.attrs["lines"], sheet.itertuples(index=False), strict=True)
        if (name := analytics_file_name(row.accession, row.array_design)) not in made
        and not (Path(folder) / name).is_file()
    ]
    if not missing:
        return
    line, row, name = missing[0]
    others = [str(other) for other, _, _ in missing[1:]]
    raise InputError(
        sheet_path,
        f"the analytics of {row.accession} (contrast {row.contrast_id}), {name}, is not in "
        f"the Expression Atlas folder {folder}"
        + (f"; the analytics of line(s) {few(others)} are missing too" if others else ""),
        "put the experiment's analytics file from Expression Atlas in that folder (or set "
        "inputs.atlas_folder to the folder that holds it), or correct the sheet's line",
        f"line {line}",
    )


def _contrasts(path: str | Path, header: Sequence[str]) -> list[str]:
    """Contrast ids of the `<contrast>.<statistic>` columns of `header`, in order."""
    found: list[str] = []
    for name in header:
        contrast, _, statistic = name.rpartition(".")
        if contrast and statistic in _STATISTICS and contrast not in found:
            found.append(contrast)
    if not found:
        raise InputError(
            path, "the header names no <contrast>.p-value columns", _ANALYTICS_FIX, "line 1"
        )
    return found


class _Positions(NamedTuple):
    """Column positions of the fields read from an analytics file."""

    gene_id: int
    gene_name: int | None
    p_value: int
    log2fc: int


def _analytics_positions(path: str | Path, header: list[str], contrast: str) -> _Positions:
    """Where the gene ID, gene name (None when absent) and the contrast's statistics are."""
    if "Gene ID" not in header:
        raise InputError(
            path,
            f"no `Gene ID` column; found {', '.join(header) or 'no columns'}",
            _ANALYTICS_FIX,
            "line 1",
        )
    p_column, fc_column = f"{contrast}.p-value", f"{contrast}.log2foldchange"
    found = [column for column in (p_column, fc_column) if column in header]
    if not found:
        available = ", ".join(_contrasts(path, header))
        raise InputError(
            path,
            f"contrast {contrast!r} is not in the file; it has {available}",
            f"choose one of {available} as the disease sheet's contrast_id (their meaning is "
            "in <ACC>-configuration.xml)",
            "line 1",
        )
    if len(found) == 1:
        missing = fc_column if found == [p_column] else p_column
        raise InputError(
            path,
            f"contrast {contrast!r} has a `{found[0]}` column but no `{missing}` column: the "
            "file is incomplete",
            "download the experiment's analytics from Expression Atlas again (each contrast "
            "has a .p-value and a .log2foldchange column)",
            "line 1",
        )
    return _Positions(
        gene_id=header.index("Gene ID"),
        gene_name=header.index("Gene Name") if "Gene Name" in header else None,
        p_value=header.index(p_column),
        log2fc=header.index(fc_column),
    )


def _analytics_row(
    path: str | Path, header: list[str], fields: list[str], positions: _Positions, line: int
) -> tuple[str, str, float, float]:
    """One analytics row as (gene_id, gene_name, log2fc, p_value)."""
    gene_name = "" if positions.gene_name is None else fields[positions.gene_name]
    log2fc, p_value = (
        _number(path, fields[position], header[position], line)
        for position in (positions.log2fc, positions.p_value)
    )
    return fields[positions.gene_id], gene_name, log2fc, p_value


def _number(path: str | Path, text: str, column: str, line: int) -> float:
    """`text` as a float; `NA` and "" give NaN."""
    if text in ("NA", ""):
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(
            path, f"{text!r} is not a number", "give numbers or NA", f"line {line}, column {column}"
        ) from None


def _one_row_per_gene(table: pd.DataFrame) -> pd.DataFrame:
    """Keep per gene the row with the smallest p-value (NaN last, ties first); drop no-ID rows."""
    table = table[table["gene_id"] != ""]
    best = table.sort_values("p_value", kind="stable", na_position="last")
    return best.drop_duplicates("gene_id").sort_index().reset_index(drop=True)


def _contrast_row(path: str | Path, element: ET.Element) -> tuple[str, str, str, str]:
    """One <contrast> element as (contrast_id, name, reference_group, test_group)."""
    contrast_id = element.get("id", "")
    name, reference, test = (
        (element.findtext(tag) or "").strip()
        for tag in ("name", "reference_assay_group", "test_assay_group")
    )
    if not (contrast_id and name and reference and test):
        raise InputError(
            path,
            f"contrast {contrast_id!r} lacks an id, <name>, <reference_assay_group> "
            "or <test_assay_group>",
            _CONFIGURATION_FIX,
        )
    return contrast_id, name, reference, test


def _group_labels(contrasts: pd.DataFrame) -> dict[str, str]:
    """{assay group id: label} over both sides of all contrasts, in group-number order."""
    labels: dict[str, str] = {}
    for side in ("reference", "test"):
        label_column = f"{side}_label"
        for index, group in contrasts[f"{side}_group"].items():
            label = contrasts.at[index, label_column] if label_column in contrasts else ""
            label = str(group) if pd.isna(label) or label == "" else str(label)
            if labels.setdefault(str(group), label) != label:
                raise InputError(
                    "contrasts",
                    f"assay group {group!r} has two labels, {labels[str(group)]!r} and {label!r}",
                    "give each assay group one label",
                )
    return dict(sorted(labels.items(), key=lambda item: _group_order(item[0])))


def _group_order(group_id: str) -> tuple[float, str]:
    """Sort key putting `g2` before `g10`; other ids after, alphabetically."""
    match = re.fullmatch(r"g(\d+)", group_id)
    return (int(match.group(1)) if match else math.inf, group_id)


def _format_p_value(value: float) -> str:
    """A p-value with 15 significant digits, `NA` when missing."""
    return "NA" if pd.isna(value) else format(value, ".15g")


def _format_log2fc(value: float) -> str:
    """A log2 fold change rounded to one decimal (`-1`, `0`, `0.3`), `NA` when missing."""
    if pd.isna(value):
        return "NA"
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text
