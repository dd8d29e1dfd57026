"""Benchmark of the expression readers: GTEx GCT (`read_gct`), ARCHS4 (`iter_archs4_blocks`).

GTEx: writes a GTEx-like gzipped GCT 1.2 (56,200 genes; TPM-like values with 4 significant
digits, about 40% zeros) at four sample counts, `--fraction` x 17,382 and a half, a quarter
and an eighth of that, and reads each with `cistrans.io.gct.read_gct` and (up to
`--pandas-up-to` x 17,382 samples) with the baseline `pandas.read_csv(path, sep="\\t",
skiprows=2)`, each in a fresh process. It prints wall time, CPU time, peak memory (the
process's peak RSS) and milliseconds per sample at each size, the pandas/cistrans ratios,
and the figures at the full 17,382 samples: measured where that size ran, else from a
least-squares line through the sizes. At the largest size pandas runs, both also read 1 in
20 samples (about one tissue's share): `read_gct(path, samples)` vs `read_csv(usecols=...)`.
At the largest size the workflow's own read is measured too: `expression_gtex` reads only the
genes of `expression.gene_types` (`read_gct(path, genes=...)`, 20,000 of the 56,200 genes,
about GENCODE's protein-coding set).
The machine's load average is printed too: other work running beside the benchmark slows
the wall times (the CPU times much less).

ARCHS4: writes an ARCHS4-like HDF5 (`data/expression`, uint32 genes x samples, gzip level 4
with shuffle, chunks of whole sample columns as `write_archs4` makes them) and, in a fresh
process, reads every sample through `iter_archs4_blocks` and normalises each block to
log2(CPM + 1), keeping per-gene means and variances and the rows of 1,625 genes (a TF-sized
set, float32) for all samples. It prints wall time and peak memory, against the size of the
whole count matrix (the baseline of reading it at once) and the 8 GB target. To write 100,000
samples in seconds, 64 distinct chunks of realistic counts are compressed once and written
over and over as raw chunks: reading decompresses every chunk as for a real file.

    python benchmarks/expression_readers.py [--fraction F] [--archs4-samples N]
        [--archs4-genes G] [--pandas-up-to F] [--skip-gct] [--skip-archs4] [--workdir DIR]

Files go to a temporary folder (or --workdir), each removed once measured; the default run
(GCT up to the full 17,382 samples, pandas up to half of them, 100,000 ARCHS4 samples of
35,000 genes) takes about 8 minutes on 2 cores, at most about 2.5 GB of disk and 11 GB of
memory (pandas).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

GTEX_GENES = 56_200
GTEX_SAMPLES = 17_382
N_TFS = 1_625
WORKFLOW_GENES = 20_000  # about GENCODE's protein-coding genes: what expression_gtex reads
SUBSET_EVERY = 20  # about one GTEx tissue's share of the samples
GIB = 1 << 30
MIB = 1 << 20


# --- GTEx-like GCT ---------------------------------------------------------------------------


def _vocabulary() -> tuple[np.ndarray, np.ndarray]:
    """Every TPM-like value text ("0", then 4 significant digits from 0.001 to 99990) with a
    tab after it, as rows of a zero-padded byte matrix, and the length of each."""
    mantissas = np.arange(1000, 10000) / 1000.0
    numbers = np.concatenate([mantissas * 10.0**exponent for exponent in range(-3, 5)])
    words = [b"0"] + [
        np.format_float_positional(
            x, precision=4, unique=False, fractional=False, trim="-"
        ).encode()
        for x in numbers
    ]
    table = np.zeros((len(words), max(map(len, words)) + 1), dtype=np.uint8)
    for row, word in enumerate(words):
        table[row, : len(word)] = np.frombuffer(word, dtype=np.uint8)
        table[row, len(word)] = ord("\t")
    return table, np.array([len(word) + 1 for word in words])


def _gct_rows(
    rng: np.random.Generator,
    words: tuple[np.ndarray, np.ndarray],
    first: int,
    n_rows: int,
    n_samples: int,
) -> bytes:
    """GCT body lines for genes first..first+n_rows: a log-normal gene level, per-sample
    noise, zeros more likely for lowly expressed genes."""
    table, lengths = words
    level = rng.normal(0.0, 1.5, (n_rows, 1)).astype(np.float32)
    p_zero = 1.0 / (1.0 + np.exp(2.0 * (level + 0.5)))
    log10 = level + 0.6 * rng.standard_normal((n_rows, n_samples), dtype=np.float32)
    index = np.clip(((log10 + 3.0) * 9000).astype(np.int32), 0, 8 * 9000 - 1) + 1
    index[rng.random((n_rows, n_samples), dtype=np.float32) < p_zero] = 0
    cells = table[index].reshape(-1)
    text = cells[cells != 0]
    ends = np.cumsum(lengths[index].sum(axis=1))
    text[ends - 1] = ord("\n")
    lines, start = [], 0
    for row, end in enumerate(ends):
        gene = first + row
        suffix = "_PAR_Y" if gene % 1000 == 999 else ""
        lines.append(f"ENSG{gene:011d}.{gene % 20 + 1}{suffix}\tGENE{gene % 40_000}\t".encode())
        lines.append(text[start:end].tobytes())
        start = end
    return b"".join(lines)


def write_gtex_like(path: Path, n_genes: int, n_samples: int, seed: int = 0) -> int:
    """Write a gzipped GCT 1.2 of `n_genes` x `n_samples`; returns the text's size in bytes.

    Compressed with ISA-L (level 2, in a second thread) when `isal` is installed, else with
    zlib level 1: writing at GTEx's size with gzip -6 would take most of the run.
    """
    rng = np.random.default_rng(seed)
    words = _vocabulary()
    samples = [f"GTEX-{i // 30:05X}-{i % 30:04d}-SM-{i:05X}" for i in range(n_samples)]
    header = f"#1.2\n{n_genes}\t{n_samples}\nName\tDescription\t" + "\t".join(samples) + "\n"
    rows_per_block = max(1, (16 << 20) // (n_samples * words[0].shape[1]))
    try:
        from isal import igzip_threaded

        handle = igzip_threaded.open(path, "wb", compresslevel=2, threads=1)  # noqa: SIM115
    except ImportError:
        import gzip

        handle = gzip.open(path, "wb", compresslevel=1)  # noqa: SIM115
    size = 0
    with handle:
        handle.write(header.encode())
        for first in range(0, n_genes, rows_per_block):
            block = _gct_rows(rng, words, first, min(rows_per_block, n_genes - first), n_samples)
            handle.write(block)
            size += len(block)
    return size + len(header)


# --- ARCHS4-like HDF5 ------------------------------------------------------------------------


def write_archs4_like(path: Path, n_genes: int, n_samples: int, seed: int = 0) -> int:
    """Write an ARCHS4-like HDF5 file; returns the number of distinct chunks.

    `data/expression` is uint32 (genes, samples) in chunks of (genes, 1 MiB / (4 * genes))
    samples, gzip level 4 after the shuffle filter, as `cistrans.io.archs4.write_archs4`
    makes it. Counts are Poisson draws around log-normal gene levels and log-normal depths
    (about half zeros). Written as raw chunks: 64 distinct ones, compressed once.
    """
    import h5py

    rng = np.random.default_rng(seed)
    width = max(1, (1 << 20) // (4 * n_genes))
    level = np.exp(rng.normal(1.0, 2.5, n_genes))
    payloads = []
    for _ in range(64):
        depth = rng.lognormal(0.0, 0.5, width)
        mean = level[:, None] * depth[None, :] * rng.gamma(2.0, 0.5, (n_genes, width))
        counts = rng.poisson(mean).astype(np.uint32)
        shuffled = counts.view(np.uint8).reshape(-1, 4).T.tobytes()  # HDF5's shuffle filter
        payloads.append(zlib.compress(shuffled, 4))
    with h5py.File(path, "w") as h5:
        expression = h5.create_dataset(
            "data/expression",
            shape=(n_genes, n_samples),
            dtype=np.uint32,
            chunks=(n_genes, width),
            compression="gzip",
            compression_opts=4,
            shuffle=True,
        )
        for chunk, first in enumerate(range(0, n_samples, width)):
            expression.id.write_direct_chunk((0, first), payloads[chunk % len(payloads)])
        h5["meta/genes/symbol"] = np.array([f"GENE{i}".encode() for i in range(n_genes)])
        h5["meta/genes/ensembl_gene"] = np.array([f"ENSG{i:011d}".encode() for i in range(n_genes)])
        h5["meta/samples/geo_accession"] = np.array([f"GSM{i}".encode() for i in range(n_samples)])
    return len(payloads)


# --- children: one reader per fresh process ----------------------------------------------------


def _peak_bytes() -> int:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _cpu_seconds() -> float:
    """CPU time used so far by this process, all threads, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(kind: str, path: str, block_size: int) -> dict[str, float]:
    """Run one reader on `path`; its time, peak memory and a checksum of what it read.

    block_size: for a GCT reader, read every `block_size`-th sample (all when 1); for
    ARCHS4, the samples per block."""
    if kind == "cistrans":  # every `every`-th sample (all when 1)
        from cistrans.io.gct import read_gct, read_gct_header

        every = block_size
        base = _peak_bytes()
        cpu = _cpu_seconds()
        start = time.perf_counter()
        table = read_gct(path, None if every == 1 else read_gct_header(path)[2][::every])
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu
        peak = _peak_bytes()
        shape = table.values.shape
        checksum = float(table.values.sum(dtype=np.float64))
    elif kind == "cistrans_genes":  # the workflow's read: only the genes the compendium keeps
        from cistrans.io.gct import read_gct

        spread = np.linspace(0, GTEX_GENES - 1, WORKFLOW_GENES).astype(np.int64)
        genes = {f"ENSG{gene:011d}" for gene in spread}
        base = _peak_bytes()
        cpu = _cpu_seconds()
        start = time.perf_counter()
        table = read_gct(path, genes=genes)
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu
        peak = _peak_bytes()
        shape = table.values.shape
        checksum = float(table.values.sum(dtype=np.float64))
    elif kind == "pandas":
        import pandas as pd

        base = _peak_bytes()
        cpu = _cpu_seconds()
        start = time.perf_counter()
        if block_size == 1:
            frame = pd.read_csv(path, sep="\t", skiprows=2)
        else:
            columns = list(pd.read_csv(path, sep="\t", skiprows=2, nrows=0).columns)
            wanted = columns[:2] + columns[2::block_size]
            frame = pd.read_csv(path, sep="\t", skiprows=2, usecols=wanted)
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu
        peak = _peak_bytes()
        shape = (frame.shape[0], frame.shape[1] - 2)
        checksum = float(frame.iloc[:, 2:].sum().sum())
    elif kind == "archs4":
        from cistrans.io.archs4 import iter_archs4_blocks, read_archs4_genes

        base = _peak_bytes()
        cpu = _cpu_seconds()
        start = time.perf_counter()
        n_genes = len(read_archs4_genes(path))
        import h5py

        with h5py.File(path) as h5:
            n_samples = h5["data/expression"].shape[1]
        tfs = np.linspace(0, n_genes - 1, N_TFS).astype(np.int64)  # a TF-sized set of rows
        tf_values = np.empty((N_TFS, n_samples), dtype=np.float32)
        total = np.zeros(n_genes)
        total_squares = np.zeros(n_genes)
        for positions, counts in iter_archs4_blocks(path, np.arange(n_samples), block_size):
            depth = counts.sum(axis=0, dtype=np.float64)
            log_cpm = counts.astype(np.float32)  # genes x block, worked on in place
            log_cpm *= (1e6 / np.maximum(depth, 1.0)).astype(np.float32)
            log_cpm += np.float32(1.0)
            np.log2(log_cpm, out=log_cpm)
            total += log_cpm.sum(axis=1, dtype=np.float64)
            total_squares += np.einsum("ij,ij->i", log_cpm, log_cpm, dtype=np.float64)
            tf_values[:, positions] = log_cpm[tfs]
        mean = total / n_samples
        variance = total_squares / n_samples - mean**2
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu
        peak = _peak_bytes()
        shape = (n_genes, n_samples)
        checksum = float(mean.sum() + variance.sum() + tf_values.sum(dtype=np.float64))
    else:
        raise ValueError(kind)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak": peak,
        "base": base,
        "rows": shape[0],
        "columns": shape[1],
        "checksum": checksum,
    }


def _measure(kind: str, path: Path, block_size: int = 1) -> dict[str, float]:
    """Run `_child` in a fresh Python process and return what it measured."""
    command = [sys.executable, __file__, "--child", kind, str(path), str(block_size)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} on {path} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the two benchmarks ----------------------------------------------------------------------


def _fit(samples: list[int], values: list[float]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through (samples, values)."""
    slope, intercept = np.polyfit(np.array(samples, float), np.array(values, float), 1)
    return float(intercept), float(slope)


def bench_gct(workdir: Path, fraction: float, pandas_up_to: float) -> None:
    """Time and measure both GCT readers at four sizes, and extrapolate to GTEx's."""
    sizes = [max(8, round(GTEX_SAMPLES * fraction * part)) for part in (0.125, 0.25, 0.5, 1.0)]
    with_pandas = [n for n in sizes if n <= GTEX_SAMPLES * pandas_up_to + 0.5]
    print(f"\n== GTEx GCT: {GTEX_GENES:,} genes x {sizes} samples (full: {GTEX_SAMPLES:,}) ==")
    print(
        f"cistrans: read_gct(path); baseline: pandas.read_csv(path, sep='\\t', skiprows=2), "
        f"run up to {pandas_up_to:g} x {GTEX_SAMPLES:,} samples; {os.cpu_count()} cores; each "
        "run in a fresh process; s = wall, cpu = CPU seconds of all its threads, peak = its "
        "peak RSS; load = 1-minute load average before the runs (other work on the machine)"
    )
    header = (
        f"{'samples':>7} {'text GB':>7} {'gz GB':>5} | {'cistrans s':>10} {'cpu':>6} "
        f"{'peak GiB':>8} {'ms/sample':>9} | {'pandas s':>8} {'cpu':>6} {'peak GiB':>8} "
        f"{'ms/sample':>9} | {'ratio s':>7} {'cpu':>5} {'peak':>5} | {'load':>4}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    subset = workflow = None
    for n_samples in sizes:
        path = workdir / f"gtex_like_{n_samples}.gct.gz"
        start = time.perf_counter()
        text_bytes = write_gtex_like(path, GTEX_GENES, n_samples)
        written = time.perf_counter() - start
        os.sync()  # no write-back of the new file during the timed reads
        load = os.getloadavg()[0]
        ours = _measure("cistrans", path)
        theirs = _measure("pandas", path) if n_samples in with_pandas else None
        _check_same(ours, theirs)
        if n_samples == sizes[-1]:
            workflow = n_samples, _measure("cistrans_genes", path)
        if with_pandas and n_samples == with_pandas[-1]:
            subset = n_samples, _measure("cistrans", path, SUBSET_EVERY)
            subset += (_measure("pandas", path, SUBSET_EVERY),)
            _check_same(subset[1], subset[2])
        gz_bytes = path.stat().st_size
        path.unlink()
        rows.append((n_samples, ours, theirs))
        line = (
            f"{n_samples:>7,} {text_bytes / 1e9:>7.2f} {gz_bytes / 1e9:>5.2f} | "
            f"{ours['seconds']:>10.1f} {ours['cpu']:>6.1f} {ours['peak'] / GIB:>8.2f} "
            f"{1e3 * ours['seconds'] / n_samples:>9.2f} | "
        )
        if theirs:
            line += (
                f"{theirs['seconds']:>8.1f} {theirs['cpu']:>6.1f} {theirs['peak'] / GIB:>8.2f} "
                f"{1e3 * theirs['seconds'] / n_samples:>9.2f} | "
                f"{theirs['seconds'] / ours['seconds']:>6.1f}x "
                f"{theirs['cpu'] / ours['cpu']:>4.1f}x {theirs['peak'] / ours['peak']:>4.1f}x | "
            )
        else:
            line += f"{'(not run)':>36} | {'':>19} | "
        print(line + f"{load:>4.1f}  (file written in {written:.0f} s)", flush=True)
    if subset:
        n_samples, ours, theirs = subset
        print(
            f"\nasking for 1 in {SUBSET_EVERY} samples ({ours['columns']:,} of {n_samples:,}): "
            f"cistrans read_gct(path, samples) {ours['seconds']:.1f} s (cpu {ours['cpu']:.0f}), "
            f"peak {ours['peak'] / GIB:.2f} GiB; pandas read_csv(..., usecols=...) "
            f"{theirs['seconds']:.1f} s (cpu {theirs['cpu']:.0f}), peak "
            f"{theirs['peak'] / GIB:.2f} GiB; ratio {theirs['seconds'] / ours['seconds']:.1f}x "
            f"time, {theirs['peak'] / ours['peak']:.1f}x peak"
        )
    _report_full_size(rows)
    if workflow:
        n_samples, ours = workflow
        print(
            f"  the workflow's read (expression_gtex keeps the genes of expression.gene_types, "
            f"read_gct(path, genes=...)): {ours['rows']:,} of {GTEX_GENES:,} genes x "
            f"{n_samples:,} samples in {ours['seconds']:.1f} s, peak {ours['peak'] / GIB:.2f} GiB "
            f"({ours['peak'] / 1e9:.2f} GB; {'under' if ours['peak'] < 4e9 else 'over'} 4 GB)"
        )


def _check_same(ours: dict[str, float], theirs: dict[str, float] | None) -> None:
    """RuntimeError unless both readers read the same shape and (nearly) the same values."""
    if theirs is None:
        return
    if (theirs["rows"], theirs["columns"]) != (ours["rows"], ours["columns"]):
        raise RuntimeError(f"shapes differ: {theirs} vs {ours}")
    if abs(theirs["checksum"] - ours["checksum"]) > 1e-5 * abs(theirs["checksum"]):
        raise RuntimeError(f"values differ: {theirs['checksum']} vs {ours['checksum']}")


def _report_full_size(rows: list[tuple[int, dict, dict | None]]) -> None:
    """Per-sample costs, straight-line extrapolations to 17,382 samples, and the targets."""
    result_bytes = GTEX_GENES * GTEX_SAMPLES * 4
    print(
        f"\nat {GTEX_SAMPLES:,} samples (line = least squares through the sizes; the float32 "
        f"result alone is {result_bytes / GIB:.2f} GiB = {result_bytes / 1e9:.2f} GB):"
    )
    full = {}
    for name, column in (("cistrans", 1), ("pandas", 2)):
        points = [(row[0], row[column]) for row in rows if row[column] is not None]
        if len(points) < 2:
            continue
        counts = [n for n, _ in points]
        t0, t1 = _fit(counts, [m["seconds"] for _, m in points])
        m0, m1 = _fit(counts, [m["peak"] for _, m in points])
        per_sample = ", ".join(f"{1e3 * m['seconds'] / n:.2f}" for n, m in points)
        line = (
            f"  {name:>8}: ms/sample {per_sample}; line {1e3 * t1:.2f} ms/sample "
            f"{t0:+.1f} s and {m1 * GTEX_SAMPLES / GIB:.2f} GiB per {GTEX_SAMPLES:,} samples "
            f"{m0 / GIB:+.2f} GiB"
        )
        if counts[-1] == GTEX_SAMPLES:
            seconds, peak = points[-1][1]["seconds"], points[-1][1]["peak"]
            line += f" -> measured {seconds:.1f} s, peak {peak / GIB:.2f} GiB ({peak / 1e9:.2f} GB)"
        else:
            seconds, peak = t0 + t1 * GTEX_SAMPLES, m0 + m1 * GTEX_SAMPLES
            line += (
                f" -> extrapolated {seconds:.0f} s, peak {peak / GIB:.2f} GiB ({peak / 1e9:.2f} GB)"
            )
        full[name] = (seconds, peak)
        print(line)
    if "cistrans" in full:
        peak = full["cistrans"][1]
        print(
            f"  target peak < 4 GB: cistrans {peak / GIB:.2f} GiB "
            f"({'under' if peak < 4 * GIB else 'over'} 4 GiB), {peak / 1e9:.2f} GB "
            f"({'under' if peak < 4e9 else 'over'} 4e9 bytes)"
        )
    if len(full) == 2:
        ratio = full["pandas"][0] / full["cistrans"][0]
        print(
            f"  target >= 2x faster than pandas: {ratio:.1f}x "
            f"({'met' if ratio >= 2 else 'missed'}; pandas' time per sample grows with size, "
            "so its straight line underestimates it); "
            f"memory ratio {full['pandas'][1] / full['cistrans'][1]:.1f}x"
        )


def bench_archs4(workdir: Path, n_genes: int, n_samples: int, block_size: int) -> None:
    """Write an ARCHS4-like file and measure reading + log-CPM of every sample by blocks."""
    print(f"\n== ARCHS4 HDF5: {n_genes:,} genes x {n_samples:,} samples (uint32) ==")
    path = workdir / "archs4_like.h5"
    start = time.perf_counter()
    write_archs4_like(path, n_genes, n_samples)
    written = time.perf_counter() - start
    size = path.stat().st_size
    matrix = n_genes * n_samples * 4
    print(
        f"file {size / 1e9:.2f} GB on disk (counts {matrix / 1e9:.1f} GB raw), written in "
        f"{written:.0f} s"
    )
    ours = _measure("archs4", path, block_size)
    path.unlink()
    print(
        f"iter_archs4_blocks(block_size={block_size}) + log2(CPM+1) per block, per-gene mean "
        f"and variance, {N_TFS:,} TF rows kept for all samples:"
    )
    print(
        f"  {ours['seconds']:.1f} s ({n_samples / ours['seconds']:,.0f} samples/s, "
        f"{matrix / ours['seconds'] / 1e6:,.0f} MB/s of counts); peak "
        f"{ours['peak'] / GIB:.2f} GiB ({ours['peak'] / 1e9:.2f} GB), of which "
        f"{N_TFS * n_samples * 4 / GIB:.2f} GiB are the kept TF rows"
    )
    print(
        f"  vs the whole count matrix in memory (read_archs4_counts of every sample): "
        f"{matrix / GIB:.1f} GiB, {matrix / ours['peak']:.1f}x the peak; vs the 8 GB target: "
        f"{ours['peak'] / 8e9:.2f} of it"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fraction",
        type=float,
        default=1.0,
        help="largest GCT size as a fraction of 17,382 samples (default 1); the others are "
        "1/2, 1/4 and 1/8 of it",
    )
    parser.add_argument(
        "--pandas-up-to",
        type=float,
        default=0.5,
        help="run pandas only on sizes up to this fraction of 17,382 samples (default 0.5: "
        "at full size it needs about 20 GB)",
    )
    parser.add_argument("--archs4-samples", type=int, default=100_000)
    parser.add_argument("--archs4-genes", type=int, default=35_000)
    parser.add_argument(
        "--archs4-block",
        type=int,
        default=1000,
        help="samples per block of iter_archs4_blocks (default 1000)",
    )
    parser.add_argument("--skip-gct", action="store_true")
    parser.add_argument("--skip-archs4", action="store_true")
    parser.add_argument("--workdir", type=Path, help="where to write (default: a temp folder)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, block_size = args.child
        print(json.dumps(_child(kind, path, int(block_size))))
        return
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="cistrans-bench-", dir=args.workdir))
    try:
        if not args.skip_gct:
            bench_gct(workdir, args.fraction, args.pandas_up_to)
        if not args.skip_archs4:
            bench_archs4(workdir, args.archs4_genes, args.archs4_samples, args.archs4_block)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
