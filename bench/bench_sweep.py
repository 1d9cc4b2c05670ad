"""Benchmark a 20-point sweep of a scenario: time per point re-solved in place vs rebuilt, and the
whole sweep on 1 and 2 workers.

    python bench/bench_sweep.py [SCENARIO] [--points 20] [--workers 1 2]

The points vary the wind fleet's capacity (a bound: every point shares one structure). Figures:
medians per point, in one process: a rebuild (load, build, handoff, cold solve, outputs), a
re-solve (load, record-only build, numbers pushed into HiGHS, warm solve) with full outputs and
with the record alone (a sweep's default), and the warm HiGHS solve alone; then the wall time
per point of `run.py sweep` through a Dask LocalCluster.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.analyses.pipeline import finish  # noqa: E402
from model.analyses.sweeps import runner  # noqa: E402
from model.inputs import scenario  # noqa: E402
from model.optimisation.resolve import Resolver  # noqa: E402

KEY = "wind.jiuquan_wind.capacity_mw"


def per_point(path, values, reuse, write):
    """Per point: wall seconds from loading to its record (and its outputs if ``write``), and
    of the HiGHS solve alone."""
    resolver = Resolver()
    times, solves = [], []
    for v in values:
        t0 = time.perf_counter()
        sc = scenario.load(path, [(KEY, float(v)), ("solver.threads", 1)])
        point = (resolver if reuse else Resolver()).solve(sc)
        with tempfile.TemporaryDirectory() as d:
            finish(point.built, point.solution, point.timings, Path(d) / "p" if write else None)
        times.append(time.perf_counter() - t0)
        solves.append(point.timings["solve_s"])
    return times[1:], solves[1:]  # the first point builds in both cases


def sweep_wall(path, values, workers):
    with tempfile.TemporaryDirectory() as d:
        sweep = Path(d) / "bench.yaml"
        sweep.write_text(yaml.safe_dump({"name": "bench", "base": str(Path(path).resolve()), "design": "grid",
                                         "cold_check_every": 0, "parameters": {KEY: [float(v) for v in values]}}))
        t0 = time.perf_counter()
        out = runner.run(sweep, workers=workers, out_root=Path(d) / "out", echo=lambda *a: None)
        wall = time.perf_counter() - t0
        assert out.ok == len(values), out.table[["point", "status", "error"]]
        return wall / len(values), out.table["reused_model"].astype(bool).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/jiuquan_2019.yaml")
    p.add_argument("--points", type=int, default=20)
    p.add_argument("--workers", type=int, nargs="*", default=[1, 2],
                   help="run.py sweep on these numbers of workers (none: skip)")
    args = p.parse_args()
    values = np.linspace(8000, 14000, args.points)
    med = statistics.median
    print(f"{args.scenario}: {args.points} points varying {KEY}; medians per point, one process")
    rebuilt, cold = per_point(args.scenario, values, reuse=False, write=True)
    print(f"  rebuilt, full outputs     {med(rebuilt):7.3f} s   "
          f"(of which cold HiGHS solve {med(cold):.3f} s)")
    for write, label in ((True, "full outputs"), (False, "record only ")):
        resolved, warm = per_point(args.scenario, values, reuse=True, write=write)
        print(f"  re-solved, {label}   {med(resolved):7.3f} s   (of which warm HiGHS solve "
              f"{med(warm):.3f} s): {med(resolved) / med(warm):.2f}x the warm solve")
    for workers in args.workers:
        wall, reused = sweep_wall(args.scenario, values, workers)
        print(f"  run.py sweep, {workers} worker(s): {wall:.3f} s a point, wall clock incl. cluster start "
              f"({reused:.0%} of points re-used a built model)")


if __name__ == "__main__":
    main()
