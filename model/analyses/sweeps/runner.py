"""Run a sweep: local worker processes by default, or an existing Dask cluster.

Every point goes to a Dask worker (a LocalCluster of single-threaded worker processes, one a
core, unless ``--scheduler`` names a running cluster). A point is retried elsewhere if its
worker dies. Finished points are written by the workers as they finish, so a killed sweep loses
nothing: the same command again runs only what is missing. Points with equal inputs are solved
once; each has its row in the table.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ... import progress as stages
from ...errors import InputError, ResourceError
from ...inputs import scenario
from ...optimisation.build import structure_key
from . import design
from .store import Store, point_hash, table
from .worker import run_point

SWEEPS = Path("results") / "sweeps"
CONNECT_TIMEOUT_S = 10  # a scheduler answers in well under a second; a silent port must not hang
RETRIES = 2  # a point whose worker dies is tried on another worker this many more times


@dataclass
class Outcome:
    folder: Path
    total: int
    ok: int
    failed: int
    ran: int  # points solved by this call (the others were on disk already)
    stale: int  # records on disk from other inputs, left out of the table
    table: object


def tasks_for(sweep, folder: Path, extra=()) -> tuple[list[dict], list[dict]]:
    """The points as worker tasks, and records for points whose inputs are already invalid.
    ``extra``: ``--set`` pairs, applied at every point before the varied keys."""
    tasks, bad = [], []
    every = sweep.cold_check_every
    for i, params in enumerate(sweep.points):
        # One HiGHS thread a worker: the cores go to parallel points instead.
        overrides = [("solver.threads", 1), *sweep.fixed.items(), *extra, *params.items()]
        try:
            sc = scenario.load(sweep.base, overrides, source=str(sweep.path))
        except InputError as e:
            key = hashlib.sha256(json.dumps([str(sweep.base), overrides], default=str).encode()).hexdigest()[:16]
            bad.append({"index": i, "hash": key, "parameters": params, "status": "failed", "error": str(e),
                        "summary": None})
            continue
        tasks.append({"index": i, "hash": point_hash(sc.raw, sweep.mode), "parameters": params,
                      "base": str(sweep.base), "overrides": overrides, "mode": sweep.mode, "folder": str(folder),
                      "cold_check": bool(every) and i % every == every - 1,
                      "full_outputs": sweep.outputs == "full",
                      "structure": structure_key(sc, sweep.mode)})
    # Points of one structure in a row, so that workers re-solve a built model instead of building.
    tasks.sort(key=lambda t: (t["structure"], t["index"]))
    return tasks, bad


def distinct(tasks: list[dict]) -> list[dict]:
    """One task a key: points with equal inputs (a one-at-a-time value equal to the base) are
    solved once and share one record, which each point's row of the table shows."""
    first = {}
    for t in tasks:
        if t["hash"] in first:
            first[t["hash"]]["cold_check"] |= t["cold_check"]
        else:
            first[t["hash"]] = dict(t)
    return list(first.values())


def _base_title(sweep) -> dict:
    """A sweep without a title of its own is named after its base scenario."""
    from ...inputs import scenario

    try:
        sc = scenario.load(sweep.base)
    except InputError:  # the points say what is wrong with the base; the sweep keeps its name
        return {"zh": sweep.name, "en": sweep.name}
    return sc.values["title"] or {"zh": sc.name, "en": sc.name}


def run(path, workers=None, scheduler=None, out_root=SWEEPS, echo=print, overrides=()) -> Outcome:
    sweep = design.load(path)
    folder = Path(out_root).resolve() / sweep.name
    store = Store(folder)
    store.open()
    tasks, bad = tasks_for(sweep, folder, overrides)
    store.write_design({"name": sweep.name, "title": sweep.title or _base_title(sweep),
                        "design": sweep.design, "base": str(sweep.base), "mode": sweep.mode,
                        "parameters": list(sweep.points[0]) if sweep.design == "weather-years" else sweep.parameters,
                        "points": len(sweep.points)})
    for record in bad:
        store.write_record(record)
    on_disk = store.records()
    keys = {t["hash"] for t in tasks} | {r["hash"] for r in bad}
    stale = len(set(on_disk) - keys)
    if stale:
        echo(f"note: {stale} finished points in {store.points} come from other inputs (a changed sweep file, "
             "scenario or profile); they are kept but left out of this table")
    waiting = [t for t in tasks if t["hash"] not in on_disk]
    todo = distinct(waiting)
    done = len(sweep.points) - len(waiting)
    echo(f"sweep {sweep.name}: {sweep.design}, {len(sweep.points)} points, {done} already done, "
         f"{len(waiting)} to run -> {folder}/")
    if todo:
        shares = Counter(t["hash"] for t in waiting)
        _execute(todo, workers, scheduler, shares, Progress(len(sweep.points), done))
    for t in todo:  # a point that never came back (its workers kept dying) is recorded as failed
        if store.record(t["hash"]) is None:
            store.write_record({"index": t["index"], "hash": t["hash"],
                                "parameters": t["parameters"], "status": "failed",
                                "error": "no result: its worker died on every try",
                                "summary": None})
    records = store.records()
    # a row a point, its own index and parameters, also where points share a record
    df = table([{**records[p["hash"]], "index": p["index"], "parameters": p["parameters"]}
                for p in tasks + bad])
    store.write_table(df)
    ok = int((df["status"] == "ok").sum()) if len(df) else 0
    return Outcome(folder, len(sweep.points), ok, len(df) - ok, len(todo), stale, df)


def _execute(tasks, workers, scheduler, shares, progress):
    """Run the tasks on Dask; ``shares``: how many points each task's key stands for."""
    from dask.distributed import Client, as_completed

    cluster = None
    if scheduler:
        _probe(scheduler)
        client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
    else:
        cluster = local_cluster(workers or os.cpu_count())
        client = Client(cluster)
    try:
        futures = {client.submit(run_point, t, key=f"point-{t['index']}-{t['hash']}",
                                 retries=RETRIES, pure=False): t["hash"] for t in tasks}
        for future in as_completed(futures):
            try:
                record = future.result()
            except Exception as e:  # the worker died on every try (KilledWorker) or the cluster failed
                record = {"status": "failed", "error": f"{type(e).__name__}: {e}"}
            progress.update(record["status"] == "ok", shares[futures[future]])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        progress.close()


def _probe(address: str):
    """Ask ``address`` who it is, within CONNECT_TIMEOUT_S: a port that accepts connections but
    never speaks Dask would otherwise hang Client() for ever."""
    import asyncio

    from distributed.core import rpc

    async def identity():
        async with rpc(address) as scheduler:
            return await scheduler.identity()

    try:
        kind = asyncio.run(asyncio.wait_for(identity(), CONNECT_TIMEOUT_S)).get("type")
    except (OSError, TimeoutError, ValueError) as e:
        kind = type(e).__name__
    if kind != "Scheduler":
        raise ResourceError(f"--scheduler {address}", f"no Dask scheduler answered within "
                            f"{CONNECT_TIMEOUT_S} s ({kind}); is it the address of `dask scheduler`?")


def local_cluster(workers: int):
    """Single-threaded worker processes on this machine, reachable from it alone, no dashboard.

    Dask serves HTTP (health and metrics) even without its dashboard, by default on port 8787:
    on a free port of 127.0.0.1 instead, so two sweeps at once do not collide over it."""
    from dask.distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                        silence_logs=logging.ERROR)


class Progress:
    """A progress line on stderr: count, failures, time elapsed and left."""

    def __init__(self, total: int, done: int):
        self.total, self.done = total, done
        self.failed = 0
        self.t0 = time.perf_counter()
        self.first = None  # (time, points done) at the first solved point
        self.tty = sys.stderr.isatty()
        self.silent = stages.silenced()
        self.last_print = 0.0

    def update(self, ok: bool, points: int = 1):
        self.done += points
        self.failed += points * (not ok)
        now = time.perf_counter()
        if self.first is None:
            self.first = (now, self.done)
        if self.silent:
            return
        if self.tty or now - self.last_print > 5 or self.done == self.total:
            self.last_print = now
            self._print(now)

    def left(self, now) -> str:
        """Time left at the pace between solved points: the cluster's start-up and the first
        point's build, before any point came back, made an estimate from elapsed time five
        times too long."""
        t1, done1 = self.first
        if self.done == done1:
            return "estimating time left"
        pace = (now - t1) / (self.done - done1)
        return f"~{_clock(pace * (self.total - self.done))} left"

    def _print(self, now):
        width = 30
        bar = "#" * int(width * self.done / self.total)
        line = (f"[{bar:<{width}}] {self.done}/{self.total} points, {self.failed} failed, "
                f"{_clock(now - self.t0)} elapsed, {self.left(now)}")
        print("\r" + line if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def close(self):
        if self.tty and not self.silent and self.first is not None:
            print(file=sys.stderr)


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds + 0.5), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
