"""A real Dask cluster as the README documents it: `dask scheduler` and two
`dask worker ... --nthreads 1` started as separate processes on 127.0.0.1, a sweep through
`run.py sweep --scheduler`, one worker killed mid-point; and the LocalCluster a sweep starts by
itself listens on 127.0.0.1 alone and serves no dashboard.

What "no point lost, none run twice" means here, from a journal every worker keeps
(tests/dask_journal.py: start, outputs and record lines with the worker's pid and the time; a
solved point pauses before its outputs, and the worker is killed in that pause, surely mid-point):

- every point has exactly one row in the table, and it is ok: nothing lost;
- every point's record (its result) was written exactly once, by one process;
- the process that wrote a point's record also solved it and wrote its outputs, once; any other
  solve of that point came from the killed worker, which never wrote its record: Dask re-ran a
  point whose first run never completed, and nothing else. (Dask also recomputes results that
  died with the worker's memory; such a task finds the record on disk and returns it without
  solving: a start line with no outputs, which is not a run);
- the kill did hit a point mid-run (a start of the killed worker with no record of its own),
  so the retry path was taken, not just the happy one.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import psutil
import pytest
import yaml
from dask.distributed import Client

from model.analyses.sweeps import runner
from tests.conftest import ROOT

RICH = ROOT / "tests" / "scenarios" / "rich_day.yaml"
DASK = Path(sys.executable).parent / "dask"
JOURNAL_PRELOAD = ROOT / "tests" / "dask_journal.py"
LOOPBACK = "127.0.0.1"
DEADLINE_S = 240
PAUSE_S = 0.5  # a solved point waits this long before its outputs (tests/dask_journal.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def listening(pid: int) -> set:
    """The addresses a process and its children listen on."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return {(c.laddr.ip, c.laddr.port) for p in procs for c in p.net_connections("inet")
            if c.status == psutil.CONN_LISTEN}


@contextmanager
def processes():
    """Start processes each in its own group; kill every group on the way out, failed or not."""
    started = []

    def start(cmd, **kw):
        proc = subprocess.Popen([str(c) for c in cmd], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def wait_for(condition, what: str, deadline: float):
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def journal(path: Path) -> list[tuple[str, str, int, float]]:
    if not path.exists():
        return []
    lines = (line.split() for line in path.read_text().splitlines())
    return [(e, k, int(p), float(t)) for e, k, p, t in lines]


def young_start(lines) -> int | None:
    """Once a point is finished: a worker that began a point less than half the pause ago, so
    surely before its outputs and record (None if there is none)."""
    if not any(event == "record" for event, *_ in lines):
        return None
    running = {}
    for event, key, pid, at in lines:
        if event == "start":
            running[(key, pid)] = at
        elif event == "record":
            running.pop((key, pid), None)
    young = [pid for (_, pid), at in running.items() if time.time() - at < PAUSE_S / 2]
    return young[0] if young else None


def start_cluster(start, folder: Path, env: dict):
    """`dask scheduler` and two `dask worker --nthreads 1`, each a process group, on 127.0.0.1
    (the HTTP endpoints too, on free ports), the workers keeping the journal."""
    port = free_port()
    address = f"tcp://{LOOPBACK}:{port}"
    local = ["--host", LOOPBACK, "--no-dashboard", "--dashboard-address", f"{LOOPBACK}:0"]
    scheduler = start([DASK, "scheduler", "--port", port, *local], cwd=folder, env=env)
    workers = [start([DASK, "worker", address, "--nworkers", 1, "--nthreads", 1, "--name", f"w{i}",
                      "--local-directory", folder / f"w{i}", "--preload", JOURNAL_PRELOAD, *local],
                     cwd=folder, env=env) for i in range(2)]
    deadline = time.time() + 60
    wait_for(lambda: any(port == p for _, p in listening(scheduler.pid)), "the scheduler", deadline)
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    for proc in (scheduler, *workers):
        assert {ip for ip, _ in listening(proc.pid)} == {LOOPBACK}
    return address, workers


def test_a_sweep_on_a_real_cluster_survives_a_killed_worker(tmp_path):
    (tmp_path / "base.yaml").write_text(RICH.read_text(encoding="utf-8"), encoding="utf-8")
    values = [0.30, 0.32, 0.34, 0.36, 0.38, 0.40, 0.42, 0.44]  # structural: every point is built
    sweep = tmp_path / "s.yaml"
    # outputs: full, so that every solved point writes its outputs, which the journal notes
    sweep.write_text(yaml.safe_dump({"name": "real", "base": "base.yaml", "design": "grid",
                                     "parameters": {"coal.k.min_stable_load": values},
                                     "outputs": "full"}), encoding="utf-8")
    log = tmp_path / "journal.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HEXI_JOURNAL": str(log),
           "HEXI_JOURNAL_PAUSE_S": str(PAUSE_S)}
    deadline = time.time() + DEADLINE_S
    with processes() as start:
        address, workers = start_cluster(start, tmp_path, env)
        sweep_run = start([sys.executable, ROOT / "run.py", "sweep", sweep, "--scheduler", address,
                           "--out", tmp_path / "out", "--no-report"], cwd=ROOT, env=env)
        # mid-sweep: a point finished, and a worker in the middle of another
        wait_for(lambda: young_start(journal(log)), "a finished point and a running one", deadline)
        victim = young_start(journal(log))
        group = os.getpgid(victim)  # its `dask worker` command: nanny and worker process
        assert group in {w.pid for w in workers}
        killed = {p.pid for p in psutil.Process(group).children(recursive=True)} | {group}
        os.killpg(group, signal.SIGKILL)
        assert sweep_run.wait(timeout=max(1.0, deadline - time.time())) == 0

    table = pd.read_parquet(tmp_path / "out" / "real" / "points.parquet")
    assert sorted(table["point"]) == list(range(len(values)))
    assert (table["status"] == "ok").all() and sorted(table["coal.k.min_stable_load"]) == values
    assert_run_once(journal(log), set(table["hash"]), victim, killed)


def assert_run_once(lines, keys: set, victim: int, killed: set):
    """The journal's account of the module docstring's conditions."""
    events = defaultdict(lambda: defaultdict(list))  # hash -> event -> pids
    for event, key, pid, _ in lines:
        events[key][event].append(pid)
    assert set(events) == keys
    retried = []
    for key, by_event in events.items():
        records = by_event["record"]
        assert len(records) == 1, f"point {key}: its record was written {len(records)} times"
        writer = records[0]
        assert by_event["outputs"].count(writer) == 1
        # a start without outputs is a lookup: Dask recomputes results lost with the killed
        # worker's memory, and run_point returns the record on disk without solving
        others = {p for p in by_event["outputs"] if p != writer}
        assert others <= killed, f"point {key} was solved by a live worker that did not write it"
        if writer not in killed and victim in by_event["start"]:
            retried.append(key)
    assert retried, "the killed worker's point should have been run again elsewhere"


def test_the_local_cluster_listens_on_loopback_and_serves_no_dashboard():
    before = listening(os.getpid())  # this process and its children: the scheduler and workers
    with runner.local_cluster(2) as cluster, Client(cluster):
        opened = listening(os.getpid()) - before
        assert len(opened) >= 5 and {ip for ip, _ in opened} == {LOOPBACK}
        link = cluster.dashboard_link  # the HTTP server Dask keeps without a dashboard
        assert link.startswith(f"http://{LOOPBACK}:") and ":8787/" not in link
        assert urllib.request.urlopen(link.replace("/status", "/health"), timeout=10).status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(link, timeout=10)
        assert missing.value.code == 404  # no dashboard page
