"""One run from scenario file to results folder: load, build, solve, report, check, write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import checks, output, results, scenario
from .resolve import Resolver

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
    load_s = time.perf_counter() - t0
    folder = output.prepare(Path(out) if out else RESULTS / sc.name) if write else None
    point = Resolver(log).solve(sc, mode)
    timings = dict(point.timings)
    timings["build_s"] += load_s  # from reading the scenario until the solver starts
    timings["model_build_s"] += load_s
    return finish(point.built, point.solution, timings, folder)


def finish(built, sol, timings: dict, folder: Path | None) -> RunResult:
    """Report, check, summarise and (if ``folder``) write a solved point."""
    rep = results.collect(built, sol)
    check = checks.run_checks(built.lp, sol, rep)
    summary = results.summary(built, sol, rep, check, timings)
    if folder is not None:
        t_write = time.perf_counter()
        with output.atomic_dir(folder) as tmp:
            results.write_run(tmp, built, rep)
            summary["write_s"] = time.perf_counter() - t_write
            results.write_summary(tmp, summary)
    return RunResult(summary, folder, built, rep)
