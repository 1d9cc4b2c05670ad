"""What a worker process does with one point. Workers live for the whole sweep and keep the last
built model (a Resolver), so points of one structure are re-solved, not rebuilt."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from ...errors import InputError, SolveError
from ...inputs import scenario
from ...optimisation.resolve import Resolver
from ..pipeline import finish
from .store import Store

_resolver = None  # this process's Resolver, kept between tasks


def run_point(task: dict) -> dict:
    """Solve one point and write its record (and its outputs if ``full_outputs``); return the record.

    ``task``: index, hash, parameters, base, overrides, mode, folder, cold_check, full_outputs. Idempotent: a
    point whose record exists (a retry after a worker died late) is not solved again."""
    global _resolver
    store = Store(Path(task["folder"]))
    done = store.record(task["hash"])
    if done is not None:
        return done
    t0 = time.perf_counter()
    record = {"index": task["index"], "hash": task["hash"], "parameters": task["parameters"],
              "worker": f"{socket.gethostname()}:{os.getpid()}"}
    try:
        sc = scenario.load(task["base"], task["overrides"])
        _resolver = _resolver or Resolver()
        point = _resolver.solve(sc, task["mode"])
        folder = store.output_dir(task["hash"]) if task.get("full_outputs") else None
        result = finish(point.built, point.solution, point.timings, folder)
        record.update(status="ok" if result.summary["checks"]["ok"] else "failed",
                      error=None if result.summary["checks"]["ok"] else "; ".join(result.summary["checks"]["problems"]),
                      summary=result.summary, reused=point.reused)
        if task["cold_check"]:
            record["cold_check_rel_diff"] = _cold_check(_resolver, point.solution.objective)
    except (InputError, SolveError) as e:
        record.update(status="failed", error=str(e), summary=None, reused=None)
    except Exception as e:  # a bug in one point must not stop the sweep; the record says what
        record.update(status="failed", error=f"{type(e).__name__}: {e}", summary=None, reused=None)
    record["elapsed_s"] = time.perf_counter() - t0
    store.write_record(record)
    return record


def _cold_check(resolver: Resolver, warm_objective: float) -> float:
    """Solve the same point again from no basis; the relative difference of the objectives."""
    cold = resolver.resolve_cold()
    return abs(cold - warm_objective) / max(1.0, abs(warm_objective))
