"""The whole demo, end to end, from an empty results/: wall time against the demo's budget.

Clones this checkout (its committed HEAD: commit a change to measure it) into a temporary
folder, so that no resources/, results/ or benchmark file of earlier runs is there, runs
`snakemake --cores <cores>` on the default config in it (the demo world simulated, every
approach, the summary and the provenance record), and prints the wall time against the
demo's 8-minute budget (DESIGN.md §5), the peak memory (the largest job's max_rss from its
benchmark file, and the largest process Snakemake started), and each rule's share of the
summed job time, read from the run's provenance record (`results/provenance.json`, built
from every job's benchmark file). The run imports the clone's library (its src/ first on
PYTHONPATH).

    python benchmarks/demo_end_to_end.py [--cores 2] [--budget-minutes 8] [--keep]
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
from pathlib import Path

import pandas as pd

from cistrans.provenance import JOB_COLUMNS, rule_shares

REPO = Path(__file__).resolve().parents[1]


def run_demo(workdir: Path, cores: int) -> tuple[float, float]:
    """Run the demo in `workdir`; its wall seconds and the largest process's peak memory
    (MB). Exits with Snakemake's output when the run fails."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(workdir / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores)],
        cwd=workdir, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"the demo run failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}")
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def job_table(provenance: Path) -> pd.DataFrame:
    """The jobs (rule, benchmark, seconds, cpu_seconds, max_rss_mb) of a provenance record."""
    jobs = json.loads(provenance.read_text(encoding="utf-8"))["jobs"]
    return pd.DataFrame(jobs, columns=list(JOB_COLUMNS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--budget-minutes", type=float, default=8.0)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cistrans-demo-")) / "cistrans"
    try:
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(workdir)], check=True)
        wall, process_peak = run_demo(workdir, args.cores)
        jobs = job_table(workdir / "results" / "provenance.json")
    finally:
        if not args.keep:
            shutil.rmtree(workdir.parent)
    shares = rule_shares(jobs)
    budget = 60 * args.budget_minutes
    largest = jobs.loc[jobs.max_rss_mb.idxmax()]
    verdict = "within" if wall <= budget else "OVER"
    print(f"demo end to end on {args.cores} cores: {wall:.0f} s wall, {wall / budget:.2f} of "
          f"the {args.budget_minutes:g}-minute budget ({verdict} budget)")  # fmt: skip
    print(f"peak memory: largest job {largest.max_rss_mb:.0f} MB ({largest.rule}), largest "
          f"process {process_peak:.0f} MB")  # fmt: skip
    print(f"summed job time {jobs.seconds.sum():.0f} s over {len(jobs)} jobs, "
          f"{jobs.seconds.sum() / wall:.2f} x the wall time")  # fmt: skip
    print(shares.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    if args.keep:
        print(f"run folder: {workdir}")


if __name__ == "__main__":
    main()
