"""One run from scenario file to results folder: load, build, solve, report, check, write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import build as builder
from . import checks, results, scenario, solve
from .output import atomic_dir

RESULTS = Path("results")


@dataclass
class RunResult:
    summary: dict
    folder: Path | None
    built: object
    report: object


def run(path, mode=None, out=None, overrides=(), write=True, log=False) -> RunResult:
    """Solve one scenario. Input errors are raised before anything is written."""
    t0 = time.perf_counter()
    sc = scenario.load(path, overrides)
    built = builder.build(sc, mode)
    t_built = time.perf_counter()
    h = solve.new_highs(built.ctx.values["solver"], log)
    solve.handoff(h, built.lp)
    t_handoff = time.perf_counter()
    sol, solve_s = solve.solve_loaded(h, built.lp, built.ctx)
    rep = results.collect(built, sol)
    check = checks.run_checks(built.lp, sol, rep)
    timings = {"build_s": t_handoff - t0, "model_build_s": t_built - t0, "handoff_s": t_handoff - t_built,
               "solve_s": solve_s}
    summary = results.summary(built, sol, rep, check, timings)
    folder = None
    if write:
        t_write = time.perf_counter()
        folder = Path(out) if out else RESULTS / sc.name
        with atomic_dir(folder) as tmp:
            results.write_run(tmp, built, rep)
            summary["write_s"] = time.perf_counter() - t_write
            results.write_summary(tmp, summary)
    return RunResult(summary, folder, built, rep)
