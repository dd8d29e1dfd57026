"""Fetching the real inputs: resumable, retried, checked, and moved into place only when whole.

Transport is `requests` with urllib3's `Retry`: connection failures and HTTP 429/500/502/503/504
are retried with exponential back-off before the body starts. A transfer that breaks inside
the body is resumed with an HTTP `Range` request from the bytes already on disk (guarded by
`If-Range`, so a file that changed upstream is fetched again from the start). Bytes go to
`<name>.part` beside the destination and are moved into place, one atomic rename, only when
the transfer is complete and its size and checksum (when known) check out; a mismatch removes
the partial file and raises `InputError` naming the file.

What to fetch is a catalogue built from the `download` section of the config: GTEx, ARCHS4,
GENCODE, the Lambert TF list, TRRUST, CollecTRI, DoRothEA, Expression Atlas experiments (from
the disease sheet) and the GWAS Catalog, each as a path under the download folder
(`resources/`) and a URL; and Hugging Face model folders, fetched file by file from
`<endpoint>/<repo>/resolve/<revision>/<file>` (Hugging Face's own URL layout, so any mirror
or a local test server can stand in for huggingface.co).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import requests
import urllib3
from requests.adapters import HTTPAdapter
from tqdm import tqdm
from urllib3.util.retry import Retry

from cistrans.errors import InputError

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
RETRY_STATUSES = (429, 500, 502, 503, 504)
CHUNK_BYTES = 1 << 20
_COPY_BYTES = 16 << 20
_CHECKSUM = re.compile(r"^(md5|sha256):([0-9a-f]+)$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_UNSATISFIED_RANGE = re.compile(r"^bytes \*/(\d+)$")
_ACCESSION = re.compile(r"^E-[A-Z]+-\d+$")
_ARRAY_DESIGN = re.compile(r"^A-[A-Z]+-\d+$")
_ATLAS_FILE = re.compile(
    r"^(E-[A-Z]+-\d+)(?:_A-[A-Z]+-\d+)?-(?:analytics\.tsv|configuration\.xml)$"
)
SHEET_COLUMNS = ("accession", "contrast_id", "disease", "tissue", "gwas_trait")

# Checksums the sources publish (path under the download folder -> "md5:..." / "sha256:...").
# The GTEx portal lists md5s for its v8 files; config `download.checksums` adds to these.
KNOWN_CHECKSUMS = {
    "gtex/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_tpm.gct.gz": (
        "md5:ff6aade0ef5b55e38af9fef98bad760b"
    ),
    "gtex/GTEx_Analysis_v8_Annotations_SampleAttributesDS.txt": (
        "md5:3a863b00db00a0a08a5c7900d44ea119"
    ),
}

# GTEx files of each release, relative to the bucket (download.urls.gtex).
GTEX_FILES = {
    "v8": {
        "gtex_tpm": "bulk-gex/v8/rna-seq/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_tpm.gct.gz",
        "gtex_reads": (
            "bulk-gex/v8/rna-seq/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_reads.gct.gz"
        ),
        "gtex_median_tpm": (
            "bulk-gex/v8/rna-seq/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_median_tpm.gct.gz"
        ),
        "gtex_samples": (
            "annotations/v8/metadata-files/GTEx_Analysis_v8_Annotations_SampleAttributesDS.txt"
        ),
    },
    "v10": {
        "gtex_tpm": "bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_tpm.gct.gz",
        "gtex_reads": "bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_reads.gct.gz",
        "gtex_median_tpm": (
            "bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_median_tpm.gct.gz"
        ),
        "gtex_samples": (
            "annotations/v10/metadata-files/GTEx_Analysis_v10_Annotations_SampleAttributesDS.txt"
        ),
    },
}


@dataclass(frozen=True)
class ModelRepo:
    """A Hugging Face model repository and the files a local folder needs to load it."""

    repo: str
    files: tuple[str, ...]


# The files of each model repository (as listed on huggingface.co), fetched into
# models/<name>/ so that compute nodes without internet can load them by path.
MODELS = {
    "dnabert6": ModelRepo(
        "zhihan1996/DNA_bert_6",
        (
            "config.json",
            "vocab.txt",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "pytorch_model.bin",
            "configuration_bert.py",
            "dnabert_layer.py",
        ),
    ),
    "dnabert2": ModelRepo(
        "zhihan1996/DNABERT-2-117M",
        (
            "config.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "generation_config.json",
            "pytorch_model.bin",
            "bert_layers.py",
            "bert_padding.py",
            "configuration_bert.py",
            "flash_attn_triton.py",
        ),
    ),
}


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch: `path` under the download folder, its `url`, and what to check.

    checksum: "md5:<hex>" or "sha256:<hex>", or None; size: bytes, or None.
    """

    path: str
    url: str
    checksum: str | None = None
    size: int | None = None


# ----------------------------------------------------------------------------------------
# The catalogue


def remote_files(settings: Mapping[str, Any]) -> dict[str, RemoteFile]:
    """The fixed files of the download source, by input name, for the config's versions.

    settings: the `download` section of the config (defaults filled). Names: gtex_tpm,
    gtex_reads, gtex_median_tpm, gtex_samples, archs4, annotation_gtf, genome_fasta_gz,
    tf_list, trrust, collectri, dorothea, gwas. Expression Atlas files and model folders
    depend on the disease sheet and the model list: see `atlas_file` and `model_file`.
    """
    urls = settings["urls"]
    release = settings["gencode_release"]
    gencode = f"{urls['gencode']}/release_{release}"
    files = {
        name: (f"gtex/{PurePosixPath(relative).name}", f"{urls['gtex']}/{relative}")
        for name, relative in GTEX_FILES[settings["gtex_version"]].items()
    }
    archs4 = f"human_gene_v{settings['archs4_version']}.h5"
    files |= {
        "archs4": (f"archs4/{archs4}", f"{urls['archs4']}/{archs4}"),
        "annotation_gtf": (
            f"gencode/release_{release}/gencode.v{release}.annotation.gtf.gz",
            f"{gencode}/gencode.v{release}.annotation.gtf.gz",
        ),
        "genome_fasta_gz": (
            f"gencode/release_{release}/GRCh38.primary_assembly.genome.fa.gz",
            f"{gencode}/GRCh38.primary_assembly.genome.fa.gz",
        ),
        "tf_list": (
            "knowledge/DatabaseExtract_v_1.01.csv",
            f"{urls['humantfs']}/DatabaseExtract_v_1.01.csv",
        ),
        "trrust": ("knowledge/trrust_rawdata.human.tsv", urls["trrust"]),
        "collectri": ("knowledge/CollecTRI_regulons.csv", urls["collectri"]),
        "dorothea": ("knowledge/dorothea_omnipath.tsv", urls["dorothea"]),
        "gwas": ("gwas/gwas-catalog-associations_ontology-annotated.tsv", urls["gwas"]),
    }
    return {name: _remote(settings, path, url) for name, (path, url) in files.items()}


def atlas_file(settings: Mapping[str, Any], file_name: str) -> RemoteFile:
    """An Expression Atlas file (`<ACC>[_<ARRAY>]-analytics.tsv` or `<ACC>-configuration.xml`)."""
    match = _ATLAS_FILE.match(file_name)
    if match is None:
        raise ValueError(f"{file_name!r} is not an Expression Atlas analytics/configuration name")
    url = f"{settings['urls']['atlas']}/{match.group(1)}/{file_name}"
    return _remote(settings, f"diseases/atlas/{file_name}", url)


def model_file(settings: Mapping[str, Any], model: str, file_name: str) -> RemoteFile:
    """One file of a Hugging Face model folder (`models/<model>/<file>`)."""
    repo = MODELS[model].repo
    revision = settings["model_revisions"][model]
    url = f"{settings['urls']['huggingface']}/{repo}/resolve/{revision}/{file_name}"
    return _remote(settings, f"models/{model}/{file_name}", url)


def remote_file(settings: Mapping[str, Any], path: str) -> RemoteFile:
    """The catalogue entry of `path` (relative to the download folder), whatever its source."""
    for remote in remote_files(settings).values():
        if remote.path == path:
            return remote
    parts = PurePosixPath(path).parts
    if parts[:2] == ("diseases", "atlas") and len(parts) == 3:
        return atlas_file(settings, parts[2])
    if parts[0] == "models" and len(parts) == 3 and parts[1] in MODELS:
        return model_file(settings, parts[1], parts[2])
    raise KeyError(f"{path} is not a file of the download source")


def _remote(settings: Mapping[str, Any], path: str, url: str) -> RemoteFile:
    checksums = {**KNOWN_CHECKSUMS, **settings.get("checksums", {})}
    return RemoteFile(path, url, checksums.get(path), settings.get("sizes", {}).get(path))


def read_disease_sheet(path: str | Path) -> pd.DataFrame:
    """The disease comparison sheet: one row per Expression Atlas contrast.

    Columns accession, contrast_id, disease, tissue, gwas_trait, and array_design (microarray
    experiments; empty for RNA-seq, and optional as a column). Lines starting with `#` are
    comments. Raises `InputError` naming the line of a malformed accession or array design.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", "give the disease sheet (config/diseases.tsv)")
    table = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False)
    missing = [column for column in SHEET_COLUMNS if column not in table.columns]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}",
            f"give a tab-separated sheet with columns {', '.join(SHEET_COLUMNS)}, array_design",
            "line 1",
        )
    if "array_design" not in table.columns:
        table["array_design"] = ""
    for number, row in enumerate(table.itertuples(index=False), start=2):
        if not _ACCESSION.match(row.accession):
            raise InputError(
                path,
                f"{row.accession!r} is not an Expression Atlas accession",
                "use the experiment accession, e.g. E-GEOD-12685",
                f"line {number}",
            )
        if row.array_design and not _ARRAY_DESIGN.match(row.array_design):
            raise InputError(
                path,
                f"{row.array_design!r} is not an ArrayExpress array design",
                "use the array design accession, e.g. A-AFFY-33 (empty for RNA-seq)",
                f"line {number}",
            )
    return table


def atlas_file_names(sheet: pd.DataFrame) -> list[str]:
    """The analytics and configuration file names of every experiment in a disease sheet.

    Microarray analytics are per array design (`<ACC>_<ARRAY>-analytics.tsv`), RNA-seq
    analytics per experiment (`<ACC>-analytics.tsv`); each experiment has one
    `<ACC>-configuration.xml`. Sorted, without repeats.
    """
    names = set()
    for accession, array_design in zip(sheet["accession"], sheet["array_design"], strict=True):
        platform = f"_{array_design}" if array_design else ""
        names |= {f"{accession}{platform}-analytics.tsv", f"{accession}-configuration.xml"}
    return sorted(names)


# ----------------------------------------------------------------------------------------
# Fetching


def download_file(settings: Mapping[str, Any], path: str, destination: str | Path) -> Path:
    """Fetch the catalogue file `path` (see `remote_file`) to `destination`.

    The transport settings (retries, backoff_seconds, timeout_seconds) come from `settings`.
    """
    remote = remote_file(settings, path)
    return fetch(
        remote.url, destination, checksum=remote.checksum, size=remote.size, **_transport(settings)
    )


def download_model(settings: Mapping[str, Any], model: str, destination: str | Path) -> Path:
    """Fetch every file of Hugging Face model `model` (a key of `MODELS`) into `destination`.

    Files are fetched into `<destination>.part/` (each one resumable; files completed by an
    earlier attempt are kept) and the folder is moved into place when all have arrived, so a
    folder at `destination` is always complete.
    """
    folder = Path(destination)
    staging = folder.with_name(folder.name + PART_SUFFIX)
    for file_name in MODELS[model].files:
        if (staging / file_name).is_file():  # only ever moved there complete and checked
            log.info("%s: kept from an earlier attempt", file_name)
            continue
        remote = model_file(settings, model, file_name)
        fetch(
            remote.url,
            staging / file_name,
            checksum=remote.checksum,
            size=remote.size,
            **_transport(settings),
        )
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    os.replace(staging, folder)
    log.info("model %s (%s) complete in %s", model, MODELS[model].repo, folder)
    return folder


def _transport(settings: Mapping[str, Any]) -> dict[str, Any]:
    return {key: settings[key] for key in ("retries", "backoff_seconds", "timeout_seconds")}


def fetch(
    url: str,
    destination: str | Path,
    *,
    checksum: str | None = None,
    size: int | None = None,
    retries: int = 5,
    backoff_seconds: float = 2.0,
    timeout_seconds: float = 60.0,
    chunk_bytes: int = CHUNK_BYTES,
) -> Path:
    """Download `url` to `destination`; return `destination`.

    Resumable: bytes go to `<destination>.part`, which a later call (or the next attempt)
    continues with an HTTP Range request. Before the body starts, connection errors and
    HTTP 429/500/502/503/504 are retried up to `retries` times with exponential back-off
    (urllib3: `backoff_seconds` × 2^(n-1) before the n-th retry after the first); a transfer
    that breaks inside the body is resumed, again up to `retries` times, after
    `backoff_seconds` × 2^(n-1). `checksum` ("md5:<hex>" or "sha256:<hex>") and `size` (bytes) are
    checked when given; a mismatch removes the partial file and raises `InputError`, so
    `destination` exists only when complete and correct. Progress (tqdm) goes to stderr.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    expected = _parse_checksum(destination, checksum)
    partial = destination.with_name(destination.name + PART_SUFFIX)
    log.info("fetching %s -> %s", url, destination)
    broken = 0
    while True:
        try:
            with _session(retries, backoff_seconds) as session:
                _transfer(session, url, destination, partial, timeout_seconds, chunk_bytes)
            break
        except _Interrupted as error:
            broken += 1
            if broken > retries:
                raise InputError(
                    destination,
                    f"the transfer from {url} broke {broken} times (last: {error})",
                    f"check the network and rerun: it resumes from {partial.name}",
                ) from None
            wait = backoff_seconds * 2 ** (broken - 1)
            log.warning(
                "transfer interrupted (%s); resuming in %.1f s (attempt %d of %d)",
                *(error, wait, broken + 1, retries + 1),
            )
            time.sleep(wait)
    _verify(partial, destination, url, expected, size)
    os.replace(partial, destination)
    _validator_path(partial).unlink(missing_ok=True)
    log.info("saved %s (%d bytes)", destination, destination.stat().st_size)
    return destination


class _Interrupted(Exception):
    """A transfer that stopped inside the body; the next attempt resumes it."""


def _session(retries: int, backoff_seconds: float) -> requests.Session:
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=backoff_seconds,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _transfer(
    session: requests.Session,
    url: str,
    destination: Path,
    partial: Path,
    timeout: float,
    chunk_bytes: int,
) -> None:
    """Fetch `url` into `partial`, continuing what it holds; raise `_Interrupted` if cut."""
    resumable, validator = _read_validator(partial, url)
    offset = partial.stat().st_size if partial.exists() and resumable else 0
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if validator:
            headers["If-Range"] = validator
        log.info("resuming at byte %d", offset)
    try:
        response = session.get(url, headers=headers, stream=True, timeout=timeout)
    except requests.RequestException as error:
        raise InputError(
            destination,
            f"cannot download {url} ({_reason(error)})",
            "check the network and the URL (config download.urls), then rerun",
        ) from None
    with response:
        _log_retries(response)
        if response.status_code == 416 and offset:
            if _unsatisfied_total(response) == offset:
                return  # the partial file already holds every byte
            partial.unlink()
            raise _Interrupted("the server refused the resume range; starting again")
        if response.status_code >= 400:
            raise InputError(
                destination,
                f"cannot download {url} (HTTP {response.status_code} {response.reason})",
                "check the URL and version in config download, or try again later",
            )
        try:
            start, total = _body_range(response, offset)
        except _Interrupted:
            partial.unlink()  # the next attempt starts again from byte 0
            raise
        if start != offset:
            log.info("the server sent the whole file; starting again from byte 0")
        if response.status_code != 206:
            _write_validator(partial, url, response)
        _stream(response, partial, start, total, chunk_bytes)
    written = partial.stat().st_size
    if total is not None and written < total:
        raise _Interrupted(f"connection closed at byte {written} of {total}")


def _stream(
    response: requests.Response, partial: Path, start: int, total: int | None, chunk_bytes: int
) -> None:
    mode = "ab" if start else "wb"
    with (
        open(partial, mode) as out,
        _progress(total, start, partial.name.removesuffix(PART_SUFFIX)) as bar,
    ):
        try:
            for chunk in response.raw.stream(chunk_bytes, decode_content=False):
                out.write(chunk)
                bar.update(len(chunk))
        except (requests.RequestException, urllib3.exceptions.HTTPError, ConnectionError) as error:
            raise _Interrupted(_reason(error)) from None


def _progress(total: int | None, initial: int, description: str) -> tqdm:
    """A byte progress bar on stderr (the rule's log), updated at most every 5 seconds."""
    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=description,
        file=sys.stderr,
        mininterval=5.0,
        ascii=True,
    )


def _body_range(response: requests.Response, offset: int) -> tuple[int, int | None]:
    """Where the body starts in the file, and the file's total size (None when unknown)."""
    length = response.headers.get("Content-Length")
    if response.status_code == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match is None:
            raise _Interrupted("a partial response without a usable Content-Range")
        start = int(match.group(1))
        if start != offset:
            raise _Interrupted(f"the server resumed at byte {start}, not {offset}")
        total = match.group(3)
        return start, int(total) if total != "*" else None
    return 0, int(length) if length is not None else None


def _unsatisfied_total(response: requests.Response) -> int | None:
    match = _UNSATISFIED_RANGE.match(response.headers.get("Content-Range", ""))
    return int(match.group(1)) if match else None


def _log_retries(response: requests.Response) -> None:
    retries = getattr(response.raw, "retries", None)
    for attempt in getattr(retries, "history", ()):
        cause = f"HTTP {attempt.status}" if attempt.status else _reason(attempt.error)
        log.warning("retried %s after %s", attempt.url or response.url, cause)


def _reason(error: BaseException | None) -> str:
    text = str(error) if error is not None else "unknown error"
    return f"{type(error).__name__}: {text}" if error is not None else text


def _validator_path(partial: Path) -> Path:
    return partial.with_name(partial.name + ".json")


def _read_validator(partial: Path, url: str) -> tuple[bool, str | None]:
    """Whether `partial` came from `url` (so it can be resumed), and its ETag/Last-Modified."""
    with contextlib.suppress(OSError, ValueError):
        record = json.loads(_validator_path(partial).read_text(encoding="utf-8"))
        if record.get("url") == url:
            return True, record.get("validator")
    return False, None


def _write_validator(partial: Path, url: str, response: requests.Response) -> None:
    validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
    record = {"url": url, "validator": validator}
    _validator_path(partial).write_text(json.dumps(record), encoding="utf-8")


def _parse_checksum(destination: Path, checksum: str | None) -> tuple[str, str] | None:
    if checksum is None:
        return None
    match = _CHECKSUM.match(checksum.lower())
    if match is None:
        raise InputError(
            destination,
            f"the expected checksum {checksum!r} is not 'md5:<hex>' or 'sha256:<hex>'",
            "correct it in config download.checksums",
        )
    return match.group(1), match.group(2)


def _verify(
    partial: Path,
    destination: Path,
    url: str,
    expected: tuple[str, str] | None,
    size: int | None,
) -> None:
    """Check size and checksum; on a mismatch remove the partial file and raise."""
    problem = None
    actual_size = partial.stat().st_size
    if size is not None and actual_size != size:
        problem = f"size mismatch: expected {size} bytes, got {actual_size}"
    elif expected is not None:
        algorithm, digest = expected
        actual = file_digest(partial, algorithm)
        if actual != digest:
            problem = f"{algorithm} checksum mismatch: expected {digest}, got {actual}"
    if problem is None:
        if expected is not None:
            log.info("%s checksum ok", expected[0])
        return
    partial.unlink()
    _validator_path(partial).unlink(missing_ok=True)
    raise InputError(
        destination,
        f"{problem} (downloaded from {url}; the partial file was removed)",
        "rerun to download it again; if the source published a new version, "
        f"update download.checksums['{_config_key(destination)}'] in the config",
    )


def _config_key(destination: Path) -> str:
    """The key of `destination` in download.checksums (its path under resources/)."""
    parts = destination.parts
    if "resources" not in parts:
        return destination.name
    return str(PurePosixPath(*parts[len(parts) - parts[::-1].index("resources") :]))


def file_digest(path: str | Path, algorithm: str) -> str:
    """The hex digest (`md5` or `sha256`) of a file, read in blocks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while block := handle.read(_COPY_BYTES):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------------------
# After download


def decompress_fasta(source: str | Path, fasta: str | Path) -> Path:
    """Decompress a gzipped genome FASTA (GENCODE's `.fa.gz`) to `fasta` and index it.

    pyfaidx reads plain or bgzip FASTA by position but not plain gzip, which is how GENCODE
    ships the genome. Written to `<fasta>.part` and moved into place when complete; the
    samtools-style `.fai` index is built beside it. Returns `fasta`.
    """
    from cistrans.io.fasta import index_fasta  # pyfaidx is only needed here

    source, fasta = Path(source), Path(fasta)
    partial = fasta.with_name(fasta.name + PART_SUFFIX)
    fasta.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            gzip.open(source, "rb") as compressed,
            open(partial, "wb") as out,
            _progress(source.stat().st_size, 0, f"decompress {source.name}") as bar,
        ):
            raw = compressed.fileobj
            while block := compressed.read(_COPY_BYTES):
                out.write(block)
                bar.update(raw.tell() - bar.n)
    except (OSError, EOFError) as error:
        partial.unlink(missing_ok=True)
        raise InputError(
            source,
            f"the gzip stream is truncated or corrupt ({error})",
            f"delete it (chmod u+w {source}, then rm) and rerun to download it again",
        ) from None
    os.replace(partial, fasta)
    index = index_fasta(fasta)
    log.info("decompressed %s -> %s and indexed it (%s)", source, fasta, index.name)
    return fasta


__all__ = [
    "GTEX_FILES",
    "KNOWN_CHECKSUMS",
    "MODELS",
    "RemoteFile",
    "atlas_file",
    "atlas_file_names",
    "decompress_fasta",
    "download_file",
    "download_model",
    "fetch",
    "file_digest",
    "model_file",
    "read_disease_sheet",
    "remote_file",
    "remote_files",
]
