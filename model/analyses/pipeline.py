"""One run from scenario file to results folder: load, build, solve, report, check, write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .. import progress
from ..inputs import scenario
from ..optimisation import checks
from ..optimisation.resolve import Resolver
from ..outputs import output, results

RESULTS = Path("results")


@dataclass
class RunResult:
    summary: dict
    folder: Path | None
    built: object
    report: object


def run(path, mode=None, out=None, overrides=(), write=True, log=False, csv=False) -> RunResult:
    """Solve one scenario. Input errors are raised before anything is written. ``csv``: the
    hourly table as CSV too, for Excel and WPS, which do not open Parquet."""
    t0 = time.perf_counter()
    progress.stage(f"loading {path}")
    sc = scenario.load(path, overrides)
    load_s = time.perf_counter() - t0
    folder = output.prepare(Path(out) if out else RESULTS / sc.name) if write else None
    progress.stage(f"building {sc.name}: profiles, then the LP")
    point = Resolver(log).solve(sc, mode)
    timings = dict(point.timings)
    timings["build_s"] += load_s  # from reading the scenario until the solver starts
    timings["model_build_s"] += load_s
    return finish(point.built, point.solution, timings, folder, csv)


def finish(built, sol, timings: dict, folder: Path | None, csv=False) -> RunResult:
    """Report, check, summarise and (if ``folder``) write a solved point."""
    rep = results.collect(built, sol)
    check = checks.run_checks(built.lp, sol, rep)
    summary = results.summary(built, sol, rep, check, timings)
    if folder is not None:
        progress.stage(f"writing {folder}")
        t_write = time.perf_counter()
        with output.atomic_dir(folder) as tmp:
            results.write_run(tmp, built, rep)
            if csv:  # with a byte-order mark, so that Excel reads the UTF-8 names
                results.hourly_frame(built.ctx, rep).to_csv(tmp / "hourly.csv", index=False,
                                                            encoding="utf-8-sig")
            summary["write_s"] = time.perf_counter() - t_write
            results.write_summary(tmp, summary)
    return RunResult(summary, folder, built, rep)
