"""Rule provenance: the run's package versions, config with its hash and seeds, input
checksums, device, and each job's wall time and peak memory from the benchmark files."""

import logging

from cistrans.io.records import read_benchmarks, read_dependencies
from cistrans.io.results import write_json
from cistrans.logs import rule_logging
from cistrans.provenance import benchmark_jobs, provenance_record

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    params = snakemake.params
    jobs = benchmark_jobs(read_benchmarks(params.benchmarks), params.patterns)
    unmatched = jobs.benchmark[jobs.rule == ""].tolist()
    if unmatched:
        logging.warning("benchmark files of no rule in the workflow: %s", unmatched)
    record = provenance_record(
        params.config,
        read_dependencies(snakemake.input.pyproject),
        params.inputs,
        jobs,
        config_files=params.config_files,
        changed=params.changed,
    )
    write_json(record, snakemake.output.provenance)
    logging.info("%d jobs, %.0f s in all; %d input files", len(jobs),
                 record["job_seconds_total"], len(record["inputs_sha256"]))  # fmt: skip
