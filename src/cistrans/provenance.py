"""What a run was made of: package versions, the config and its hash, its seeds, checksums of
its inputs, the device, and each job's wall time and peak memory from Snakemake's benchmark
files; and each rule's share of the summed job time (for the end-to-end benchmark)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cistrans.errors import InputError

CHUNK = 1 << 20  # bytes read at a time when hashing a file
JOB_COLUMNS = ("rule", "benchmark", "seconds", "cpu_seconds", "max_rss_mb")
SHARE_COLUMNS = ("rule", "jobs", "seconds", "share", "max_rss_mb")


def requirement_name(requirement: str) -> str:
    """The distribution name of a PEP 508 requirement, e.g. `memelite>=0.4,<0.5` → memelite."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise InputError("pyproject.toml", f"not a requirement: {requirement!r}",
                         "write each dependency as a PEP 508 requirement")  # fmt: skip
    return match.group(1)


def package_versions(requirements: Iterable[str]) -> dict[str, str | None]:
    """The installed version of each requirement's distribution (None when not installed),
    by name, in the order given."""
    versions: dict[str, str | None] = {}
    for name in map(requirement_name, requirements):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def config_hash(config: Mapping[str, Any]) -> str:
    """sha256 of the config as canonical JSON (keys sorted, no spaces): equal configs, however
    their files order or format them, hash alike."""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def config_seeds(config: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every `seed` / `seeds` value in the config, by its dotted key (e.g. `demo.seed`,
    `cis.seeds`), lists of sections included (`trans.knowledge[0].seed`)."""
    seeds: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if key in ("seed", "seeds"):
            seeds[name] = value
        elif isinstance(value, Mapping):
            seeds |= config_seeds(value, f"{name}.")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    seeds |= config_seeds(item, f"{name}[{i}].")
    return seeds


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def input_checksums(paths: Sequence[str | Path]) -> dict[str, str]:
    """sha256 of every file of `paths` (a folder stands for every file under it), by path,
    sorted. A path that does not exist raises `InputError`."""
    files: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            files |= {p for p in path.rglob("*") if p.is_file()}
        elif path.is_file():
            files.add(path)
        else:
            raise InputError(path, "input not found", "rerun the rule or download that makes it")
    return {str(p): file_sha256(p) for p in sorted(files)}


def device_info() -> dict[str, Any]:
    """The machine the calling process runs on: CPU model and cores, and what torch sees
    (version, CUDA available, GPU names)."""
    import torch

    model = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), flags=re.M)
        model = names[0] if names else model
    cuda = torch.cuda.is_available()
    return {
        "cpu": model,
        "cpu_cores": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda_available": cuda,
        "gpus": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        if cuda
        else [],
    }


def benchmark_regex(pattern: str) -> re.Pattern[str]:
    """A Snakemake file pattern as a regex: `{name}` matches as Snakemake's default (`.+`),
    `{name,regex}` by its constraint."""
    parts, position = [], 0
    for match in re.finditer(r"\{\s*(\w+)\s*(?:,([^{}]*(?:\{[^{}]*\}[^{}]*)*))?\}", pattern):
        parts.append(re.escape(pattern[position : match.start()]))
        parts.append(f"(?:{match.group(2)})" if match.group(2) else ".+")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("".join(parts))


def benchmark_jobs(
    benchmarks: Mapping[str, pd.DataFrame], patterns: Mapping[str, str]
) -> pd.DataFrame:
    """One row per benchmark file: the rule whose benchmark pattern it matches, wall seconds
    (`s`), CPU seconds and peak resident memory in MB (`max_rss`; the mean over repeats when
    a job was benchmarked several times).

    benchmarks: benchmark table by path (relative to the working directory, as the rules
    declare them); patterns: each rule's benchmark pattern. A file matching several patterns
    goes to the one with the most literal text (the most specific); a file matching none
    (left from a rule no longer in the workflow) gets rule "".
    """
    regexes = {rule: benchmark_regex(pattern) for rule, pattern in patterns.items()}
    literal = {rule: len(re.sub(r"\{[^}]*\}", "", p)) for rule, p in patterns.items()}
    rows = []
    for path, table in benchmarks.items():
        rules = [rule for rule, regex in regexes.items() if regex.fullmatch(path)]
        rows.append(
            {
                "rule": max(rules, key=literal.__getitem__) if rules else "",
                "benchmark": path,
                "seconds": float(table["s"].mean()),
                "cpu_seconds": float(table["cpu_time"].mean()),
                "max_rss_mb": float(table["max_rss"].mean()),
            }
        )
    return pd.DataFrame(rows, columns=list(JOB_COLUMNS))


def rule_shares(jobs: pd.DataFrame) -> pd.DataFrame:
    """Per rule: its jobs, their summed wall seconds, that sum's share of all jobs' summed
    time, and the largest peak memory of one job (MB); the longest first.

    jobs: `benchmark_jobs` rows (rule, seconds, max_rss_mb).
    """
    grouped = jobs.groupby("rule", sort=False)
    shares = pd.DataFrame(
        {
            "jobs": grouped.size(),
            "seconds": grouped.seconds.sum(),
            "max_rss_mb": grouped.max_rss_mb.max(),
        }
    )
    shares["share"] = shares.seconds / shares.seconds.sum()
    shares = shares.reset_index().sort_values("seconds", ascending=False, kind="stable")
    return shares[list(SHARE_COLUMNS)].reset_index(drop=True)


def provenance_record(
    config: Mapping[str, Any],
    requirements: Sequence[str],
    inputs: Sequence[str | Path],
    jobs: pd.DataFrame,
    *,
    config_files: Sequence[str],
    changed: Mapping[str, Any],
) -> dict[str, Any]:
    """The run's provenance as one JSON-ready dict: package versions of `requirements`, the
    config in force (every setting, defaults filled) with its hash and seeds, the config
    files it was read from and the settings that differ from the schema's defaults
    (`changed`, by dotted key), checksums of the files of `inputs`, this process's device,
    and the jobs (`benchmark_jobs`) with their totals."""
    return {
        "packages": package_versions(requirements),
        "config_sha256": config_hash(config),
        "seeds": config_seeds(config),
        "config_files": list(config_files),
        "settings_changed_from_defaults": dict(changed),
        "config": dict(config),
        "inputs_sha256": input_checksums(inputs),
        "device": device_info(),
        "jobs": jobs.to_dict(orient="records"),
        "job_seconds_total": float(jobs.seconds.sum()),
        "max_rss_mb_largest": float(jobs.max_rss_mb.max()) if len(jobs) else None,
    }
