"""Benchmark: HiGHS settings on one built LP, interleaved so that a loaded machine hurts all alike.

    python bench/bench_solver.py [SCENARIO] [--repeat N] [--mode MODE] [--set KEY=VALUE ...]
        [--try "presolve=off,simplex_strategy=1" --try "presolve=on" ...] [--first-stage]

--first-stage times the first LP alone (the least cost in plan mode), not the stages after it;
the objective printed is then HiGHS's, with each run's CPU and wall seconds, its interior-point
and crossover iterations and whether it left a basis (the stages after the least cost start from
it). Options HiGHS hides from its option file (IPX's ipx_dualize_strategy, run_centring,
start_crossover_tolerance, ...) are set too; threads is the solver setting, so that HiGHS's
process-wide scheduler is rebuilt for it (model/optimisation/solve.py, apply_options).

Each round solves the LP once with every setting, in an order rotated from round to round, each
from a fresh HiGHS instance (the run's own handoff and mode: max-export solves both stages).
Prints per setting the medians of wall and CPU seconds (the process's, all threads), the
fastest and slowest wall time, and the objective: on a shared machine the wall times' spread
shows the noise, and CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import highspy  # noqa: E402
import yaml  # noqa: E402

from model.inputs import scenario  # noqa: E402
from model.optimisation import build as builder  # noqa: E402
from model.optimisation import solve  # noqa: E402

# HiGHS option -> solver setting
SETTING = {"solver": "method", "presolve": "presolve", "threads": "threads"}
DEFAULT_TRIES = ["presolve=on", "presolve=off", "presolve=off,simplex_strategy=1",
                 "presolve=on,simplex_strategy=1", "presolve=off,simplex_strategy=4"]


def options(text: str) -> dict:
    pairs = (item.split("=", 1) for item in text.split(",") if item)
    return {k.strip(): _value(v.strip()) for k, v in pairs}


def _value(text: str):
    """A number if it reads as one, else the text: HiGHS's on/off options are strings, which YAML
    would read as booleans."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def timed(built, extra: dict, first_stage=False) -> tuple[float, float, float]:
    # threads goes through the solver settings: apply_options resets HiGHS's process-wide
    # scheduler when the count changes, which a bare setOptionValue would not (HiGHS would refuse)
    own = dict(built.ctx.values["solver"], **{k: v for k, v in extra.items() if k == "threads"})
    h = solve.new_highs(own)
    solve.handoff(h, built.lp)
    if first_stage:
        solve.apply_options(h, own)
    for k, v in extra.items():
        if k == "threads":
            continue
        if h.setOptionValue(k, v) != highspy.HighsStatus.kOk:
            raise SystemExit(f"HiGHS refuses the option {k}={v!r}")
    t0, c0 = time.perf_counter(), time.process_time()
    if first_stage:
        h.run()
        info = h.getInfo()
        print(f"    {extra} threads {own['threads']}: {time.process_time() - c0:.1f} s CPU, "
              f"{time.perf_counter() - t0:.1f} s wall, {info.ipm_iteration_count} ipm and "
              f"{info.crossover_iteration_count} crossover iterations, "
              f"{h.modelStatusToString(h.getModelStatus())}, basis "
              f"{'valid' if h.getBasis().valid else 'NONE'}", flush=True)
        return time.perf_counter() - t0, time.process_time() - c0, info.objective_function_value
    # solve_loaded gives the run the scenario's method and presolve: a setting's own go there
    settings = built.ctx.values["solver"]
    saved = dict(settings)
    settings.update({SETTING[k]: v for k, v in extra.items() if k in SETTING})
    try:
        sol, _ = solve.solve_loaded(h, built.lp, built.ctx)
    finally:
        settings.update(saved)
    return time.perf_counter() - t0, time.process_time() - c0, sol.objective


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/jiuquan_2019.yaml")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--mode", default=None)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--try", dest="tries", action="append", metavar="OPTION=VALUE,...",
                   help="HiGHS options of one setting (repeatable)")
    p.add_argument("--first-stage", action="store_true", help="time the first LP alone")
    args = p.parse_args()
    overrides = [(k.strip(), yaml.safe_load(v)) for k, v in (item.split("=", 1) for item in args.set)]
    built = builder.build(scenario.load(args.scenario, overrides), args.mode)
    tries = args.tries or DEFAULT_TRIES
    times = {t: [] for t in tries}
    cpu = {t: [] for t in tries}
    objective = {}
    for r in range(args.repeat):
        for t in tries[r % len(tries):] + tries[:r % len(tries)]:
            seconds, cpu_s, objective[t] = timed(built, options(t), args.first_stage)
            times[t].append(seconds)
            cpu[t].append(cpu_s)
    n_row, n_col = built.lp.compiled.shape
    print(f"{args.scenario} {' '.join(args.set)} (mode {built.ctx.mode}, method "
          f"{built.ctx.values['solver']['method']}): {n_col} columns, {n_row} rows; {args.repeat} rounds")
    base = statistics.median(cpu[tries[0]])
    for t in tries:
        med = statistics.median(cpu[t])
        print(f"  {t:<40} cpu {med:7.3f} s ({med / base:4.2f}x)  "
              f"wall median {statistics.median(times[t]):7.3f}"
              f" min {min(times[t]):7.3f} max {max(times[t]):7.3f}  objective {objective[t]:.12g}"
              f" ({(objective[t] - objective[tries[0]]) / abs(objective[tries[0]]):+.1e})")


if __name__ == "__main__":
    main()
