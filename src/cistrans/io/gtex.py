"""GTEx sample attributes (`GTEx_Analysis_v8_Annotations_SampleAttributesDS.txt`)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, open_text_write
from cistrans.io.tables import require_columns

# The 63 columns of the v8 file, in file order.
SAMPLE_ATTRIBUTE_COLUMNS = (
    "SAMPID", "SMATSSCR", "SMCENTER", "SMPTHNTS", "SMRIN", "SMTS", "SMTSD", "SMUBRID",
    "SMTSISCH", "SMTSPAX", "SMNABTCH", "SMNABTCHT", "SMNABTCHD", "SMGEBTCH", "SMGEBTCHD",
    "SMGEBTCHT", "SMAFRZE", "SMGTC", "SME2MPRT", "SMCHMPRS", "SMNTRART", "SMNUMGPS", "SMMAPRT",
    "SMEXNCRT", "SM550NRM", "SMGNSDTC", "SMUNMPRT", "SM350NRM", "SMRDLGTH", "SMMNCPB",
    "SME1MMRT", "SMSFLGTH", "SMESTLBS", "SMMPPD", "SMNTERRT", "SMRRNANM", "SMRDTTL", "SMVQCFL",
    "SMMNCV", "SMTRSCPT", "SMMPPDPR", "SMCGLGTH", "SMGAPPCT", "SMUNPDRD", "SMNTRNRT",
    "SMMPUNRT", "SMEXPEFF", "SMMPPDUN", "SME2MMRT", "SME2ANTI", "SMALTALG", "SME2SNSE",
    "SMMFLGTH", "SME1ANTI", "SMSPLTRD", "SMBSMMRT", "SME1SNSE", "SME1PCTS", "SMRRNART",
    "SME1MPRT", "SMNUM5CD", "SMDPMPRT", "SME2PCTS",
)  # fmt: skip
REQUIRED_COLUMNS = ("SAMPID", "SMTS", "SMTSD")


def write_sample_attributes(path: str | Path, table: pd.DataFrame) -> None:
    """Write a sample attributes table in the GTEx layout (tab-separated, no quoting).

    table: one row per sample with at least SAMPID, SMTS, SMTSD. The 63 GTEx columns come
    first in their real order (empty where `table` lacks them or holds NA); columns of
    `table` outside that list follow in their own order.
    """
    require_columns("table", table, REQUIRED_COLUMNS)
    extra = [column for column in table.columns if column not in SAMPLE_ATTRIBUTE_COLUMNS]
    columns = [*SAMPLE_ATTRIBUTE_COLUMNS, *extra]
    cells = table.reindex(columns=columns).astype(object)
    cells = cells.where(cells.notna(), "").astype(str)
    for column in columns:
        bad = cells[column].str.contains(r"[\t\r\n]", regex=True)
        if bad.any():
            raise ValueError(
                f"column {column} holds a tab or line break: {cells[column][bad].iloc[0]!r}"
            )
    with open_text_write(path) as handle:
        handle.write("\t".join(columns) + "\n")
        for row in cells.itertuples(index=False):
            handle.write("\t".join(row) + "\n")


def read_sample_attributes(path: str | Path) -> pd.DataFrame:
    """Read GTEx sample attributes: one row per sample, every cell a str ("" when empty).

    No quote handling (`SMPTHNTS` holds free text with quotes and commas) and no number
    parsing (`SMUBRID` keeps its leading zeros). Requires SAMPID, SMTS and SMTSD, and
    unique SAMPIDs.
    """
    with open_text_read(path) as handle:
        try:
            table = pd.read_csv(
                handle,
                sep="\t",
                dtype=str,
                quoting=csv.QUOTE_NONE,
                keep_default_na=False,
                index_col=False,  # a trailing tab on every row must not shift the columns
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise InputError(
                path,
                f"not a readable tab-separated table ({str(error).strip()})",
                "download the file again",
            ) from None
    _check_columns(path, table)
    _check_unique(path, table["SAMPID"])
    return table.fillna("")


def _check_columns(path: str | Path, table: pd.DataFrame) -> None:
    """Raise InputError naming the required columns that `table` lacks."""
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        present = ", ".join(map(str, table.columns[:20]))
        raise InputError(
            path,
            f"missing the columns {', '.join(missing)} (the header holds: {present})",
            "give the GTEx SampleAttributesDS.txt file, whose header starts 'SAMPID SMATSSCR'",
            where="header",
        )


def _check_unique(path: str | Path, sample_ids: pd.Series) -> None:
    """Raise InputError listing the SAMPIDs that appear more than once."""
    repeated = sample_ids[sample_ids.duplicated()].unique()
    if len(repeated):
        raise InputError(
            path,
            f"{len(repeated)} SAMPIDs appear more than once: {', '.join(repeated[:10])}",
            "keep one row per sample",
            where="column SAMPID",
        )


def gtex_donor(sample_id: str) -> str:
    """The donor of a GTEx sample: its first two dash fields (`GTEX-1117F-0226-SM-5GZZ7` →
    `GTEX-1117F`)."""
    match = re.match(r"[^-]+-[^-]+", sample_id)
    if match is None:
        raise InputError(
            "GTEx sample ID",
            f"{sample_id!r} has fewer than two dash-separated fields",
            "use GTEx sample IDs such as GTEX-1117F-0226-SM-5GZZ7",
        )
    return match.group(0)
