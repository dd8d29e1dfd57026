"""The SLURM profile on a real SLURM cluster: a one-node cluster (slurmctld, slurmd and munge
on this host, from Debian's `slurm-wlm` and `munge`) runs the reduced world's `trans` target
through `--profile profiles/slurm`, its partition and account set for the test and the file
otherwise unchanged. Every job goes through `sbatch`, a job cancelled in the queue is reported
and rerun (the profile's `retries: 1`), and the results equal a local run's byte for byte.

Skipped, with the reason, where root, the SLURM and munge programs or the executor plugin are
missing; `.ci/run` installs them as root (`apt-get install --no-install-recommends slurm-wlm
munge`, ~10 s); the test then takes about 2.5 minutes on 2 cores.
The cluster has no accounting database, so the plugin reads job states with `squeue`
(`--slurm-status-command squeue`, `MinJobAge` 300 s keeps finished jobs listed).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
import yaml

from tests.conftest import DEMO_CONFIG, REDUCED, SNAKEMAKE, copy_workflow

PROGRAMS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "srun", "sinfo")
PARTITION, ACCOUNT = "debug", "cistrans-test"
# The profile's placeholders and what the test cluster calls them.
PLACEHOLDERS = {'"<partition>"': PARTITION, '"<gpu-partition>"': PARTITION,
                '"<account>"': ACCOUNT}  # fmt: skip
# Cancelled as soon as it is queued: short, and beside expression_gtex, so its rerun costs
# the run little.
VICTIM = "expression_archs4"
# Settings of the plugin for this cluster, not the profile's: job states from squeue (no
# accounting database), the first status check after 1 s instead of 40 (then 10 s longer
# each time no job has finished: 1, 11, 21 s...), and the logs of successful jobs kept.
CLUSTER_ARGS = ("--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks",
                "1", "--slurm-keep-successful-logs")  # fmt: skip
TIMEOUT = 900  # seconds, for each of the two runs
# Written by a run with the time it took, so never the same twice.
TIMING_LINE = re.compile(rb'^\s*"seconds": [0-9.e+-]+,?\n', flags=re.MULTILINE)


def why_no_cluster() -> str | None:
    """Why a SLURM cluster cannot be started here, or None when it can."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "starting slurmd needs root on Linux"
    missing = [program for program in PROGRAMS if shutil.which(program) is None]
    if missing:
        return f"{', '.join(missing)} not installed (apt-get install slurm-wlm munge)"
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        return "snakemake-executor-plugin-slurm not installed (pip install -e '.[test]')"
    return None


NO_CLUSTER = why_no_cluster()
pytestmark = [
    pytest.mark.workflow,
    pytest.mark.cluster,
    pytest.mark.skipif(NO_CLUSTER is not None, reason=f"no SLURM cluster: {NO_CLUSTER}"),
]


@dataclass
class Cluster:
    """A running one-node cluster: its environment for clients, its config and version."""

    env: dict[str, str]
    folder: Path
    version: str

    def run(self, *command: str) -> str:
        return subprocess.run(
            command, env=self.env, capture_output=True, text=True, check=True, timeout=60
        ).stdout


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for each in sockets:
        each.bind(("127.0.0.1", 0))
    ports = [each.getsockname()[1] for each in sockets]
    for each in sockets:
        each.close()
    return ports


def slurm_conf(folder: Path, node: str) -> str:
    """A cluster of one node, this host: generous CPUs and memory so that every job of the
    profile (8 CPUs, 64 GB, one GPU for the training rules) fits, and jobs side by side."""
    controller_port, node_port = free_ports(2)
    return f"""\
ClusterName=cistrans-test
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort={controller_port}
SlurmdPort={node_port}
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket={folder}/munge.socket
CredType=cred/munge
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=300
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
GresTypes=gpu
NodeName={node} NodeAddr=127.0.0.1 CPUs=32 RealMemory=256000 Gres=gpu:1 State=UNKNOWN
PartitionName={PARTITION} Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """munged, slurmctld and slurmd on this host, each from the test's own folder (its own
    munge key and socket, config, state and ports): nothing of the machine's is used."""
    from snakemake_executor_plugin_slurm import ExecutorSettings

    if "status_command" not in {field.name for field in fields(ExecutorSettings)}:
        version = importlib.metadata.version("snakemake-executor-plugin-slurm")
        pytest.skip(f"snakemake-executor-plugin-slurm {version} has no --slurm-status-command")
    folder = tmp_path_factory.mktemp("slurm")
    for sub in ("state", "spool", "bin"):
        (folder / sub).mkdir()
    (folder / "munge.key").write_bytes(os.urandom(1024))
    (folder / "munge.key").chmod(0o600)
    node = socket.gethostname().split(".")[0]
    (folder / "slurm.conf").write_text(slurm_conf(folder, node))
    (folder / "gres.conf").write_text(f"NodeName={node} Name=gpu File=/dev/null\n")
    # The jobstep plugin runs each job with an `srun` whose environment it rids of every
    # SLURM_ variable, SLURM_CONF too: a cluster whose slurm.conf is at the default path
    # (/etc/slurm) or served configless needs none; this one's srun is told where it is.
    srun = folder / "bin" / "srun"
    srun.write_text(f'#!/bin/sh\nSLURM_CONF={folder}/slurm.conf exec {shutil.which("srun")} "$@"\n')
    srun.chmod(0o755)
    env = {**os.environ, "SLURM_CONF": str(folder / "slurm.conf"),
           "PATH": f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    daemons = []
    try:
        for command in (
            ["munged", "--foreground", "--force", f"--socket={folder}/munge.socket",
             f"--key-file={folder}/munge.key", f"--pid-file={folder}/munged.pid",
             f"--log-file={folder}/munged.log", f"--seed-file={folder}/munged.seed"],
            ["slurmctld", "-D", "-i"],
            ["slurmd", "-D", "-N", node],
        ):  # fmt: skip
            daemons.append(
                subprocess.Popen(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
                )
            )
            if command[0] == "munged":
                wait_for(lambda: (folder / "munge.socket").exists(), "munged", folder)
        cluster = Cluster(env, folder, "")
        wait_for(lambda: node_state(cluster) == "idle", "the node to be idle", folder)
        cluster.version = cluster.run("sinfo", "--version").strip()
        yield cluster
    finally:
        for daemon in reversed(daemons):
            daemon.terminate()
            try:
                daemon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()


def node_state(cluster: Cluster) -> str:
    try:
        return cluster.run("sinfo", "--noheader", "--format=%t").strip()
    except subprocess.CalledProcessError:
        return ""


def wait_for(condition, what: str, folder: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(
                f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                for log in sorted(folder.glob("*.log"))
            )
            pytest.fail(f"the test cluster did not start: waited {seconds} s for {what}\n{logs}")
        time.sleep(0.1)


@dataclass
class Runs:
    cluster_dir: Path
    local_dir: Path
    output: str  # the cluster run's Snakemake output
    cancelled: str  # the SLURM job ID cancelled in the queue
    queue: dict[str, list[str]]  # SLURM job ID -> state, partition, account, CPUs
    threads: dict[str, int]  # the profile's set-threads
    seconds: float


def slurm_profile(workdir: Path) -> str:
    """The workflow copy's profiles/slurm/config.yaml with the test cluster's partition and
    account in place of the placeholders, nothing else changed."""
    profile = workdir / "profiles" / "slurm" / "config.yaml"
    text = profile.read_text()
    for placeholder, name in PLACEHOLDERS.items():
        assert placeholder in text
        text = text.replace(placeholder, name)
    profile.write_text(text)
    return text


@pytest.fixture(scope="module")
def runs(cluster: Cluster, reduced_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """`snakemake trans` on the reduced world twice, side by side: through the SLURM profile
    (one job cancelled as soon as it is queued) and locally with the same threads."""
    root = tmp_path_factory.mktemp("cluster-runs")
    workdirs = {name: copy_workflow(root / name) for name in ("cluster", "local")}
    for workdir in workdirs.values():  # the world is the reduced run's: no demo job
        shutil.copytree(reduced_run / "resources" / "demo", workdir / "resources" / "demo")
    profile = yaml.safe_load(slurm_profile(workdirs["cluster"]))
    configs = ("--configfile", DEMO_CONFIG, REDUCED)
    start = time.monotonic()
    with (root / "cluster.log").open("w") as log:
        on_cluster = subprocess.Popen(
            [*SNAKEMAKE, "trans", "--profile", "profiles/slurm", *CLUSTER_ARGS, *configs],
            cwd=workdirs["cluster"], env=cluster.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    # The local run's threads are a cluster job's: the profile's set-threads, capped at the
    # cores of the machine (a cluster job's `--cores all`); a thread count changes how sums
    # are split, so the last bits of a float.
    cores = len(os.sched_getaffinity(0))
    threads = [f"{rule}={n}" for rule, n in profile["set-threads"].items()]
    with (root / "local.log").open("w") as log:
        local = subprocess.Popen(
            [*SNAKEMAKE, "trans", "--cores", str(cores), "--set-threads", *threads, *configs],
            cwd=workdirs["local"], stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        cancelled = cancel_when_queued(cluster, VICTIM, on_cluster)
        on_cluster.wait(timeout=TIMEOUT)
        local.wait(timeout=TIMEOUT)
    finally:
        for process in (on_cluster, local):
            if process.poll() is None:
                process.terminate()
                process.wait()
    seconds = time.monotonic() - start
    output = (root / "cluster.log").read_text()
    if on_cluster.returncode != 0:
        pytest.fail(f"snakemake trans --profile profiles/slurm failed:\n{output[-20_000:]}")
    if local.returncode != 0:
        pytest.fail(f"snakemake trans failed:\n{(root / 'local.log').read_text()[-20_000:]}")
    run_id = re.search(r"SLURM run ID: (\S+)", output)
    assert run_id, output[-5000:]
    listed = cluster.run("squeue", "--noheader", "--states=all", "--format=%i|%T|%P|%a|%C",
                         f"--name={run_id.group(1)}")  # fmt: skip
    queue = {job_id: rest for job_id, *rest in (line.split("|") for line in listed.split())}
    print(f"cluster and local runs of trans: {seconds:.0f} s ({cluster.version})")
    return Runs(workdirs["cluster"], workdirs["local"], output, cancelled, queue,
                profile["set-threads"], seconds)  # fmt: skip


def cancel_when_queued(cluster: Cluster, rule: str, run: subprocess.Popen[bytes]) -> str:
    """Cancel the first SLURM job of `rule` once it is in the queue; its ID."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        listed = cluster.run("squeue", "--noheader", "--format=%i|%k")
        for line in listed.split():
            job_id, comment = line.split("|", 1)
            if comment == f"rule_{rule}":
                cluster.run("scancel", job_id)
                return job_id
        time.sleep(0.2)
    pytest.fail(f"no SLURM job of rule {rule} was queued")


SUBMITTED = re.compile(
    r"^Job (\d+) has been submitted with SLURM jobid (\d+) \(log: (.+)/rule_(\w+)/", re.M
)


def test_every_job_of_the_trans_target_is_a_slurm_job(runs: Runs) -> None:
    """Each job of the job-stats table (the `trans` target itself aside: it runs nothing)
    was submitted with sbatch: SLURM lists it under the run's name, completed, in the
    test's partition and account, with the CPUs of the profile's set-threads; its SLURM log
    names its rule."""
    table = runs.output.split("Job stats:", 1)[1].split("total", 1)[0]
    planned = {rule: int(n) for rule, n in re.findall(r"^(\w+)\s+(\d+)\s*$", table, re.M)}
    assert planned.pop("trans") == 1 and "trans_train" in planned
    assert not [rule for rule in planned if rule.startswith("demo_")]
    submitted = SUBMITTED.findall(runs.output)
    # every planned job, the cancelled one twice
    assert Counter(rule for *_, rule in submitted) == Counter(planned) + Counter({VICTIM: 1})
    assert sorted(runs.queue) == sorted(slurm_id for _, slurm_id, _, _ in submitted)
    for _, slurm_id, folder, rule in submitted:
        state, partition, account, cpus = runs.queue[slurm_id]
        assert (partition, account) == (PARTITION, ACCOUNT), (rule, slurm_id)
        assert int(cpus) == runs.threads.get(rule, 1), (rule, slurm_id)
        if slurm_id == runs.cancelled:  # cancelled before it started: no log
            continue
        assert state == "COMPLETED", (rule, slurm_id)
        logs = list(Path(folder, f"rule_{rule}").rglob(f"{slurm_id}.log"))
        assert len(logs) == 1, (rule, slurm_id)
        assert f"rule {rule}:" in logs[0].read_text(errors="replace")


def test_a_job_cancelled_in_the_queue_is_reported_and_rerun(runs: Runs) -> None:
    assert runs.queue[runs.cancelled][0] == "CANCELLED"
    assert f"Error in rule {VICTIM}:" in runs.output
    assert f"SLURM-job '{runs.cancelled}' failed, SLURM status is: 'CANCELLED'" in runs.output
    assert "Trying to restart job" in runs.output
    again = [slurm_id for _, slurm_id, _, rule in SUBMITTED.findall(runs.output)
             if rule == VICTIM and slurm_id != runs.cancelled]  # fmt: skip
    assert len(again) == 1 and int(again[0]) > int(runs.cancelled)
    assert runs.queue[again[0]][0] == "COMPLETED"
    assert re.search(r"^(\d+) of \1 steps \(100%\) done", runs.output, re.M)


def file_bytes(folder: Path) -> dict[str, bytes]:
    """Each file under `folder` by its relative path; the time a training took (a trained
    model's sidecar, `training.seconds`) is left out of the file."""
    return {
        str(path.relative_to(folder)): TIMING_LINE.sub(b"", path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_cluster_run_equals_a_local_run_byte_for_byte(runs: Runs) -> None:
    on_cluster = file_bytes(runs.cluster_dir / "results")
    local = file_bytes(runs.local_dir / "results")
    assert on_cluster.keys() == local.keys()
    assert "trans/network/model.pt" in local and "trans/summary.md" in local
    assert [name for name in local if local[name] != on_cluster[name]] == []
