"""Benchmark: the hourly plan solved cold against a warm start from the merged-hours plan.

    python bench/bench_plan.py [SCENARIO] [--segments 6] [--free primal|dual] [--skip-cold]

Cold: the scenario as it stands (its own solver.method). Warm: the plan at N segments a day
is solved; its additions are fixed in the hourly LP, whose dispatch is solved by simplex;
then the additions are freed and the LP re-solved by simplex from that basis (the basis stays
primal feasible, so primal simplex continues from it; dual simplex restores optimality after
the bounds change). Prints each stage's wall and CPU seconds (the machine may be shared: CPU
is the steadier figure), the objectives and their relative difference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from model import build as builder  # noqa: E402
from model import scenario, solve  # noqa: E402

STRATEGY = {"primal": 4, "dual": 1}  # HiGHS simplex_strategy


class Clock:
    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __str__(self):
        return (f"wall {time.perf_counter() - self.wall:7.1f} s  "
                f"cpu {time.process_time() - self.cpu:7.1f} s")


def additions(lp, sol) -> dict:
    return {n: sol.value(n) for n, b in lp.vars.items() if b.role == "investment"}


def fixed_bounds(lp, added: dict):
    """The hourly LP's column bounds with every addition fixed at ``added``."""
    c = lp.compiled
    lower, upper = c.col_lower.copy(), c.col_upper.copy()
    for name, values in added.items():
        b = lp.vars[name]
        keep = b.cols >= 0
        v = np.clip(values[keep], b.lb[keep], b.ub[keep])
        lower[b.cols[keep]] = upper[b.cols[keep]] = v
    return lower, upper


def run_simplex(h, lower, upper, strategy: int, stage: str):
    n = lower.size
    h.changeColsBounds(n, np.arange(n, dtype=np.int32), lower, upper)
    h.setOptionValue("simplex_strategy", strategy)
    clock = Clock()
    h.run()
    info = h.getInfo()
    print(f"  {stage:<34} {clock}  objective {info.objective_function_value:.10g}  "
          f"{info.simplex_iteration_count} iterations, {h.modelStatusToString(h.getModelStatus())}",
          flush=True)
    return info.objective_function_value


def warm(path, per_day: int, free: str):
    clock = Clock()
    merged = builder.build(scenario.load(path, [("time.segments_per_day", per_day)]))
    msol, _ = solve.solve(merged.lp, merged.ctx)
    print(f"  {f'merged plan, {per_day} segments a day':<34} {clock}  "
          f"objective {msol.objective:.10g}", flush=True)
    added = additions(merged.lp, msol)
    print("  its additions: " + ", ".join(f"{n} {v.sum():.1f}" for n, v in added.items()))
    hourly = builder.build(scenario.load(path))
    h = solve.new_highs({**hourly.ctx.values["solver"], "method": "simplex"})
    solve.handoff(h, hourly.lp)
    solve.apply_options(h, {**hourly.ctx.values["solver"], "method": "simplex"})
    run_simplex(h, *fixed_bounds(hourly.lp, added), STRATEGY["dual"],
                "hourly dispatch, additions fixed")
    c = hourly.lp.compiled
    objective = run_simplex(h, c.col_lower, c.col_upper, STRATEGY[free],
                            f"additions freed, {free} simplex")
    print(f"  warm start in all                  {clock}")
    return objective


def cold(path):
    clock = Clock()
    built = builder.build(scenario.load(path))
    sol, _ = solve.solve(built.lp, built.ctx)
    print(f"  {'cold, ' + built.ctx.values['solver']['method']:<34} {clock}  "
          f"objective {sol.objective:.10g}", flush=True)
    print("  additions: " + ", ".join(f"{n} {v.sum():.1f}"
                                      for n, v in additions(built.lp, sol).items()))
    return sol.objective


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/jiuquan_2019_plan.yaml")
    p.add_argument("--segments", type=int, default=6)
    p.add_argument("--free", choices=sorted(STRATEGY), default="primal")
    p.add_argument("--skip-cold", action="store_true", help="time only the warm start")
    args = p.parse_args()
    print(args.scenario)
    objective = warm(args.scenario, args.segments, args.free)
    if not args.skip_cold:
        reference = cold(args.scenario)
        print(f"  relative difference {abs(objective - reference) / abs(reference):.2e}")


if __name__ == "__main__":
    main()
