"""A resumable HTTP client: fetch one URL to a file, retried, checked, moved into place whole.

Transport is `requests` with urllib3's `Retry`: connection failures and HTTP 429/500/502/503/504
are retried with exponential back-off before the body starts. A transfer that breaks inside
the body is resumed with an HTTP `Range` request from the bytes already on disk (guarded by
`If-Range`, so a file that changed upstream is fetched again from the start). Bytes go to
`<name>.part` beside the destination and are moved into place, one atomic rename, only when
the transfer is complete and its size and checksum (when known) check out; a mismatch removes
the partial file and raises `InputError` naming the file. What to fetch is the catalogue's
business (`cistrans.io.catalogue`), not this module's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import time
from pathlib import Path, PurePosixPath

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
BLOCK_BYTES = 16 << 20
_CHECKSUM = re.compile(r"^(md5|sha256):([0-9a-f]+)$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_UNSATISFIED_RANGE = re.compile(r"^bytes \*/(\d+)$")


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


def file_digest(path: str | Path, algorithm: str) -> str:
    """The hex digest (`md5` or `sha256`) of a file, read in blocks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def byte_progress(total: int | None, initial: int, description: str) -> tqdm:
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


class _Interrupted(Exception):
    """A transfer that stopped inside the body; the next attempt resumes it."""


def _session(retries: int, backoff_seconds: float) -> requests.Session:
    """A session whose GETs urllib3 retries on connection errors and HTTP 429/5xx."""
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
    """Write the body to `partial` (appended from `start`); raise `_Interrupted` if cut."""
    mode = "ab" if start else "wb"
    with (
        open(partial, mode) as out,
        byte_progress(total, start, partial.name.removesuffix(PART_SUFFIX)) as bar,
    ):
        try:
            for chunk in response.raw.stream(chunk_bytes, decode_content=False):
                out.write(chunk)
                bar.update(len(chunk))
        except (requests.RequestException, urllib3.exceptions.HTTPError, ConnectionError) as error:
            raise _Interrupted(_reason(error)) from None


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
    """The file size a 416 (range not satisfiable) answer reports, None when absent."""
    match = _UNSATISFIED_RANGE.match(response.headers.get("Content-Range", ""))
    return int(match.group(1)) if match else None


def _log_retries(response: requests.Response) -> None:
    """Log each retry urllib3 made before `response`, with its cause."""
    retries = getattr(response.raw, "retries", None)
    for attempt in getattr(retries, "history", ()):
        cause = f"HTTP {attempt.status}" if attempt.status else _reason(attempt.error)
        log.warning("retried %s after %s", attempt.url or response.url, cause)


def _reason(error: BaseException | None) -> str:
    """`error` as "<type>: <message>" for log lines and error messages."""
    if error is None:
        return "unknown error"
    return f"{type(error).__name__}: {error}"


def _validator_path(partial: Path) -> Path:
    """Where the URL and ETag/Last-Modified that `partial` came from are recorded."""
    return partial.with_name(partial.name + ".json")


def _read_validator(partial: Path, url: str) -> tuple[bool, str | None]:
    """Whether `partial` came from `url` (so it can be resumed), and its ETag/Last-Modified."""
    with contextlib.suppress(OSError, ValueError):
        record = json.loads(_validator_path(partial).read_text(encoding="utf-8"))
        if record.get("url") == url:
            return True, record.get("validator")
    return False, None


def _write_validator(partial: Path, url: str, response: requests.Response) -> None:
    """Record the URL and ETag/Last-Modified of a transfer starting into `partial`."""
    validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
    record = {"url": url, "validator": validator}
    _validator_path(partial).write_text(json.dumps(record), encoding="utf-8")


def _parse_checksum(destination: Path, checksum: str | None) -> tuple[str, str] | None:
    """("md5" | "sha256", hex digest) from "<algorithm>:<hex>"; InputError when malformed."""
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


__all__ = ["BLOCK_BYTES", "CHUNK_BYTES", "PART_SUFFIX", "byte_progress", "fetch", "file_digest"]
