"""Benchmark: build, handoff, solve and write times of a scenario against a pure HiGHS solve.

    python bench/bench.py [SCENARIO] [--repeat N] [--mode MODE]

Prints medians over N runs in one process (after one warm-up run, whose time, with the
imports, is shown as the cold start), peak memory, and the ratio of our total to a pure HiGHS
solve of the same LP: written once to MPS and solved by highspy directly, N times.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

T_START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.inputs import scenario  # noqa: E402
from model.optimisation import build as builder  # noqa: E402
from model.optimisation import checks, solve  # noqa: E402
from model.outputs import results  # noqa: E402
from model.outputs.output import atomic_dir  # noqa: E402

T_IMPORTED = time.perf_counter()
RUNS = []  # CPU seconds of each HiGHS run of the current solve, in order


def _timed_run(run):
    def timed(h):
        c0 = time.process_time()
        status = run(h)
        RUNS.append(time.process_time() - c0)
        return status
    return timed


solve.highspy.Highs.run = _timed_run(solve.highspy.Highs.run)


def one_run(path, mode, out):
    c0 = time.process_time()
    t0 = time.perf_counter()
    sc = scenario.load(path)
    built = builder.build(sc, mode)
    t1 = time.perf_counter()
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, built.lp)
    t2 = time.perf_counter()
    RUNS.clear()
    sol, solve_s = solve.solve_loaded(h, built.lp, built.ctx)
    t3 = time.perf_counter()
    stages = list(RUNS)
    rep = results.collect(built, sol)
    check = checks.run_checks(built.lp, sol, rep)
    summary = results.summary(built, sol, rep, check, {})
    with atomic_dir(out) as tmp:
        results.write_run(tmp, built, rep)
        results.write_summary(tmp, summary)
    t4 = time.perf_counter()
    return {"build": t1 - t0, "handoff": t2 - t1, "solve": solve_s, "report_write": t4 - t3,
            "total": t4 - t0, "total_cpu": time.process_time() - c0,
            **{f"run {k + 1}": t for k, t in enumerate(stages)}}, built


def pure_highs(h_model, repeat, options):
    """Solve the same LP from an MPS file with highspy alone; median solver time."""
    with tempfile.TemporaryDirectory() as d:
        mps = str(Path(d) / "model.mps")
        h_model.writeModel(mps)
        times, cpu = [], []
        for _ in range(repeat):
            h = solve.new_highs(options)
            h.readModel(mps)
            t0, c0 = time.perf_counter(), time.process_time()
            h.run()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            objective = h.getInfo().objective_function_value
    return statistics.median(times), statistics.median(cpu), objective


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/jiuquan_2019.yaml")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--mode", default=None)
    args = p.parse_args()
    out = Path(tempfile.mkdtemp()) / "bench_run"
    t_cold = time.perf_counter()
    _, built = one_run(args.scenario, args.mode, out)
    cold = time.perf_counter() - t_cold + (T_IMPORTED - T_START)
    runs = [one_run(args.scenario, args.mode, out)[0] for _ in range(args.repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    if built.ctx.mode == "max-export":
        print("note: max-export solves twice; the pure-HiGHS figure is one solve of the cost LP")
    h_lp = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h_lp, built.lp)
    pure, pure_cpu, pure_obj = pure_highs(h_lp, args.repeat, built.ctx.values["solver"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_row, n_col = built.lp.compiled.shape
    print(f"scenario {args.scenario} (mode {built.ctx.mode}): LP {n_col} columns, {n_row} rows, "
          f"{built.lp.compiled.A.nnz} nonzeros; medians of {args.repeat} runs after a warm-up")
    for k in ("build", "handoff", "solve", "report_write", "total", "total_cpu"):
        print(f"  {k:<14}{med[k]:8.3f} s")
    # in target mode: least cost, tie-break, then the ceiling's two stages when the target is short
    print("  HiGHS runs of the solve, in order (CPU s): "
          + ", ".join(f"{med[k]:.2f}" for k in med if k.startswith("run ")))
    print(f"  pure HiGHS    {pure:8.3f} s  cpu {pure_cpu:.3f} s (MPS read by highspy, the scenario's "
          f"solver settings, solve only; objective {pure_obj:.6g})")
    print(f"  ratio total / pure HiGHS solve: {med['total'] / pure:.2f} (wall), "
          f"{med['total_cpu'] / pure_cpu:.2f} (cpu)")
    print(f"  ratio (build + handoff + solve) / pure HiGHS solve: "
          f"{(med['build'] + med['handoff'] + med['solve']) / pure:.2f}")
    print(f"  cold start (imports {T_IMPORTED - T_START:.2f} s + first run): {cold:.2f} s")
    print(f"  peak memory (RSS) of this process, every run and the pure solve: {peak_mb:.0f} MB "
          "(one run's, stage by stage: bench/bench_memory.py)")


if __name__ == "__main__":
    main()
