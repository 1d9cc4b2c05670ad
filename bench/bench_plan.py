"""Benchmark: the hourly plan solved cold against a warm start from the merged-hours plan, or
against the decomposition (solver.plan_method benders, model/optimisation/decomposition.py).

    python bench/bench_plan.py [SCENARIO] [--segments 6] [--dispatch ipm|simplex]
        [--free primal|dual] [--skip-cold] [--benders [--gap G [--each ipm|simplex]]]
        [--reference OBJECTIVE]
        [--stages] [--try OPTION=VALUE,...] [--both-tie-breaks] [--no-ties]
        [--set KEY=VALUE ...]

--stages: the monolithic plan stage by stage, each timed (CPU): the least cost (in the
scenario's settings, with --try's HiGHS options on top), its builds and the tie candidates; the
tie-break on the optimal face (model/optimisation/solve.py, _on_optimal_face); with
--both-tie-breaks also the tie-break as before (the least cost kept by a row on the cost, within
1e-9) and how far the two are apart; then the search for tied options on the face (--no-ties
skips it).

--benders: the whole plan solve by decomposition (least cost, tie-break, tied options), each
stage's CPU seconds, its iterations and gap, its builds; against the cold least cost (or
``--reference``, a monolithic objective measured before, to skip the 6-10 minutes).

--benders --gap G: the decomposition's least-cost stage alone (from the plan at 6 segments a
day, as solve_plan starts a week or more), stopped at the proven relative gap G (benders'
gap_tolerance; solve_plan's is 1e-7), each dispatch after the first by --each: interior point
and crossover, cold (ipm), or dual simplex from the last basis; each iteration's bounds and
CPU seconds, and the builds it ends with.

Cold: the scenario as it stands (its own solver.method). Warm: the plan at N segments a day
is solved; its additions are fixed in the hourly LP, whose dispatch is solved (by dual simplex,
or interior point and crossover, which leaves a basis too); then the additions are freed and the
LP re-solved by simplex from that basis (the basis stays primal feasible, so primal simplex
continues from it; dual simplex restores optimality after the bounds change). Both sides time
the least-cost solve only: the stages after it (tie-break, ties) are the same work for both.
Prints each stage's wall and CPU seconds (the machine may be shared: CPU
is the steadier figure), the objectives and their relative difference.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_solver  # noqa: E402  (beside this script)
import numpy as np  # noqa: E402
import yaml  # noqa: E402

from model.inputs import scenario  # noqa: E402
from model.optimisation import build as builder  # noqa: E402
from model.optimisation import decomposition, modes, solve  # noqa: E402

STRATEGY = {"primal": 4, "dual": 1, "simplex": 1}  # HiGHS simplex_strategy


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


def run(h, lower, upper, method: str, stage: str):
    n = lower.size
    h.changeColsBounds(n, np.arange(n, dtype=np.int32), lower, upper)
    h.setOptionValue("solver", "ipx" if method == "ipm" else "simplex")
    h.setOptionValue("presolve", "on" if method == "ipm" else "off")
    h.setOptionValue("simplex_strategy", STRATEGY.get(method, 0))
    clock = Clock()
    h.run()
    info = h.getInfo()
    print(f"  {stage:<34} {clock}  objective {info.objective_function_value:.10g}  "
          f"{info.simplex_iteration_count} simplex iterations, "
          f"{h.modelStatusToString(h.getModelStatus())}",
          flush=True)
    return info.objective_function_value


def warm(path, overrides, per_day: int, dispatch: str, free: str):
    clock = Clock()
    merged = builder.build(scenario.load(path, [*overrides, ("time.segments_per_day", per_day)]))
    msol = solve.read_solution(*solved(merged))
    print(f"  {f'merged plan, {per_day} segments a day':<34} {clock}  "
          f"objective {msol.objective:.10g}", flush=True)
    added = additions(merged.lp, msol)
    print("  its additions: " + ", ".join(f"{n} {v.sum():.1f}" for n, v in added.items()))
    hourly = builder.build(scenario.load(path, overrides))
    h = solve.new_highs(hourly.ctx.values["solver"])
    solve.handoff(h, hourly.lp)
    solve.apply_options(h, hourly.ctx.values["solver"])
    run(h, *fixed_bounds(hourly.lp, added), dispatch, f"hourly dispatch fixed, {dispatch}")
    c = hourly.lp.compiled
    objective = run(h, c.col_lower, c.col_upper, free, f"additions freed, {free} simplex")
    print(f"  warm start in all                  {clock}")
    return objective


def solved(built):
    """``built``'s least-cost solve, in the scenario's settings; the HiGHS instance."""
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, built.lp)
    solve.apply_options(h, built.ctx.values["solver"])
    h.run()
    return h, built.lp


def cold(path, overrides):
    clock = Clock()
    built = builder.build(scenario.load(path, overrides))
    sol = solve.read_solution(*solved(built))
    print(f"  {'cold, ' + built.ctx.values['solver']['method']:<34} {clock}  "
          f"objective {sol.objective:.10g}", flush=True)
    print("  additions: " + ", ".join(f"{n} {v.sum():.1f}"
                                      for n, v in additions(built.lp, sol).items()))
    return sol.objective


def decomposed(path, overrides):
    clock = Clock()
    built = builder.build(scenario.load(path, [*overrides, ("solver.plan_method", "benders")]))
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, built.lp)
    sol, _ = solve.solve_loaded(h, built.lp, built.ctx)
    r = sol.solver
    print(f"  {'benders, all stages':<34} {clock}  objective {sol.objective:.10g}  "
          f"{r['benders_iterations']} iterations, gap {r['benders_gap']:.2e}")
    print(f"  CPU s: least cost {r['least_cost_cpu_s']:.1f}, tie-break {r['tie_break_cpu_s']:.1f}, "
          f"tied options {r['tied_options_cpu_s']:.1f}; tie-break {sol.tie_break}; "
          f"tied {sol.tied_options}")
    print("  additions: " + ", ".join(f"{n} {v.sum():.1f}"
                                      for n, v in additions(built.lp, sol).items()))
    return sol.objective


def refined(path, overrides, gap: float, each: str):
    """The decomposition's least-cost stage alone, to a proven gap of ``gap``, each dispatch
    after the first by ``each``, from the merged start; CPU timed."""
    clock = Clock()
    built = builder.build(scenario.load(path, overrides))
    lp = built.lp
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, lp)
    solve.apply_options(h, built.ctx.values["solver"])
    print(f"  {'build and handoff':<34} {clock}", flush=True)
    clock = Clock()
    start = decomposition.merged_start(built.ctx)
    print(f"  {f'start, {decomposition.MERGED_SEGMENTS} segments a day':<34} {clock}", flush=True)
    result = decomposition.benders(h, lp, start, say=lambda t: print("  " + t, flush=True),
                                   gap_tolerance=gap, dispatch=each)
    print(f"  {f'benders to {gap:g}, each {each}':<34} {clock}  objective {result.upper:.12g}  "
          f"lower {result.lower:.12g}, {result.iterations} iterations, proven gap {result.gap:.2e}")
    cols = decomposition.build_columns(lp)[0]
    print("  builds: " + ", ".join(f"{lp.col_name(j)} {v:.2f}" for j, v in zip(cols, result.y)
                                   if abs(v) > 1e-6))
    return result.upper


def stages(path, overrides, extra: dict, both: bool, ties: bool):
    built = builder.build(scenario.load(path, overrides))
    lp, c = built.lp, built.lp.compiled
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, lp)
    run_time = solve.apply_options(h, built.ctx.values["solver"])
    for k, v in extra.items():
        h.setOptionValue(k, v)
    print(f"  {c.shape[1]} columns, {c.shape[0]} rows; options {extra or 'as the scenario'}")
    clock = Clock()
    h.run()
    sol = solve.read_solution(h, lp, run_time)
    info = h.getInfo()
    print(f"  {'least cost':<34} {clock}  objective {sol.objective:.12g}  "
          f"{info.ipm_iteration_count} ipm, {info.crossover_iteration_count} crossover, "
          f"{info.simplex_iteration_count} simplex iterations, {sol.status}", flush=True)
    print("  additions: " + ", ".join(f"{n} {v.sum():.2f}" for n, v in additions(lp, sol).items()))
    cand = solve.tie_candidates(lp, sol)
    print(f"  tie candidates: {[lp.col_name(j) for j, _ in cand]}", flush=True)
    t = modes.tie_break_cost(lp)
    x = {}
    for face in [True, False] if both else [True]:
        clock = Clock()
        x[face] = solve._tie_break(h, lp, built.ctx, sol, face=face)
        print(f"  {'tie-break, ' + ('on the face' if face else 'cost row'):<34} {clock}  "
              f"drawn {t @ x[face]:.10g}, cost {c.c @ x[face] + c.offset:.12g}: {sol.tie_break}",
              flush=True)
        print("    " + ", ".join(f"{r['stage']} {r['cpu_s']:.1f} s ({r['iterations']} it.)"
                                 for r in sol.solver.get("tie_break_stages", [])))
        print("    " + export_lines(lp, built.ctx, x[face]))
    if both:
        cols = solve.decomposition.build_columns(lp)[0]
        gap = (t @ x[True] - t @ x[False]) / max(1.0, abs(t @ x[False]))
        print(f"  face against row: drawn {gap:.2e} relative, builds apart by "
              f"{np.max(np.abs(x[True][cols] - x[False][cols])):.2e}")
    if ties:
        sol.x = x[True]
        clock = Clock()
        found = solve._tied_options(h, lp, sol)
        print(f"  {'tied options, on the face':<34} {clock}  {found}", flush=True)
    return sol.objective


def export_lines(lp, ctx, x) -> str:
    """Each export line's TWh sent and GWh lost at ``x``."""
    if "Line-flow" not in lp.vars:
        return "no export lines"
    b = lp.vars["Line-flow"]
    sent = np.where(b.cols >= 0, x[b.cols], 0.0) @ lp.weights
    loss = [ctx.values["export_lines"][u]["loss"] for u in b.units]
    return ", ".join(f"{u} {e / 1e6:.6f} TWh (lost {k * e / 1e3:.4f} GWh)"
                     for u, e, k in zip(b.units, sent, loss)) + f"; lost {np.dot(loss, sent) / 1e3:.4f} GWh"


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/jiuquan_2019_plan.yaml")
    p.add_argument("--segments", type=int, default=6)
    p.add_argument("--dispatch", choices=("ipm", "simplex"), default="simplex")
    p.add_argument("--free", choices=("primal", "dual"), default="primal")
    p.add_argument("--skip-cold", action="store_true", help="time only the warm start")
    p.add_argument("--benders", action="store_true", help="the decomposition, not the warm start")
    p.add_argument("--gap", type=float, help="with --benders: its least-cost stage alone, to this "
                   "proven relative gap")
    p.add_argument("--each", choices=("ipm", "simplex"), default="ipm",
                   help="with --gap: how each dispatch after the first is solved")
    p.add_argument("--reference", type=float, help="the monolithic objective, instead of solving it")
    p.add_argument("--stages", action="store_true", help="the monolithic plan, stage by stage")
    p.add_argument("--try", dest="extra", default="", metavar="OPTION=VALUE,...",
                   help="HiGHS options for --stages' least-cost solve")
    p.add_argument("--both-tie-breaks", action="store_true")
    p.add_argument("--no-ties", action="store_true")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = p.parse_args()
    overrides = [(k.strip(), yaml.safe_load(v))
                 for k, v in (item.split("=", 1) for item in args.set)]
    print(args.scenario, *args.set, f"highspy {metadata.version('highspy')}", os.getloadavg())
    if args.stages:
        stages(args.scenario, overrides, bench_solver.options(args.extra), args.both_tie_breaks,
               not args.no_ties)
        return
    if args.benders and args.gap is not None:
        objective = refined(args.scenario, overrides, args.gap, args.each)
    elif args.benders:
        objective = decomposed(args.scenario, overrides)
    else:
        objective = warm(args.scenario, overrides, args.segments, args.dispatch, args.free)
    reference = args.reference
    if reference is None and not args.skip_cold:
        reference = cold(args.scenario, overrides)
    if reference is not None:
        print(f"  relative difference {abs(objective - reference) / abs(reference):.2e}")


if __name__ == "__main__":
    main()
