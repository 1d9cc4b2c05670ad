"""Benchmark: the tie-break stages (model/optimisation/ties.py) on a scenario, one run per
setting, each in this process: each stage's status, CPU seconds and simplex iterations, the
least cost's, and what the stages decide (each unit's curtailment, MWh and share of what it
could produce; the wind and PV rates; each thermal unit's output; the counted export; each
corridor's flow, compared only), then
the largest difference of those between the settings.

    python bench/bench_ties.py [SCENARIO] [--mode MODE] [--set KEY=VALUE ...] [--try KEY=VALUE,... ...]

Each --try is one run's extra overrides (default: solver.presolve on, then off).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.cli import _parse_set  # noqa: E402
from model.inputs import scenario  # noqa: E402
from model.optimisation import build as builder  # noqa: E402
from model.optimisation import checks, solve  # noqa: E402
from model.outputs import results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def one(path, overrides, mode=None):
    built = builder.build(scenario.load(path, overrides), mode)
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, built.lp)
    c0 = time.process_time()
    sol, _ = solve.solve_loaded(h, built.lp, built.ctx)
    total = time.process_time() - c0
    rep = results.collect(built, sol)
    check = checks.run_checks(built.lp, sol, rep)
    s = results.summary(built, sol, rep, check, {})
    stages = sol.solver.get("tie_break_stages", [])
    print(f"  solve {total:.1f} s CPU (least cost and what follows it: "
          f"{total - sum(r['cpu_s'] for r in stages):.1f} s); tie_break: {s['tie_break']}; "
          f"checks ok: {check['ok']}; objective {s['objective_cny']:.12g}")
    for r in stages:
        print(f"    {r['stage']:<10} {r['status']:<12} {r['cpu_s']:7.1f} s CPU  {r['iterations']} iterations")
    w = built.ctx.weights
    def total(col):
        return float(np.asarray(rep.hourly[col]) @ w)

    curtailed = {c: total(c) for c in rep.hourly if "curtailment[" in c}
    for c, v in curtailed.items():
        used = total(c.replace("-curtailment[", "-p["))
        print(f"    {c:<40} {v:14.3f} MWh  {100 * v / (v + used) if v + used else 0:7.3f}%")
    rates = {k: s["curtailment_rate"].get(k) for k in ("wind", "pv")}
    thermal = {c: total(c) for c in rep.hourly if c.startswith(("CHP-p[", "Coal-p["))}
    for c, v in thermal.items():
        print(f"    {c:<40} {v:14.3f} MWh")
    print(f"    rates: wind {100 * rates['wind']:.4f}%, pv {100 * rates['pv']:.4f}%; counted export "
          f"{s['target_counted_mwh']:.3f} MWh; DC support binding "
          f"{s.get('sync_support_binding_hours')} h", flush=True)
    flows = {c: total(c) for c in rep.hourly if c.startswith("Corridor-")}
    return curtailed, rates, {**thermal, **flows, "counted": s["target_counted_mwh"]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "gansu_2019.yaml"))
    p.add_argument("--mode", default=None, help="the run's mode (default: the scenario's)")
    p.add_argument("--set", action="append", default=[], help="an override for every run")
    p.add_argument("--try", dest="tries", action="append", default=None, help="one run's overrides")
    args = p.parse_args()
    tries = args.tries or ['solver.presolve="on"', 'solver.presolve="off"']
    base = _parse_set(args.set)
    out = []
    for t in tries:
        extra = _parse_set(t.split(","))
        print(f"{t}:", flush=True)
        out.append(one(args.scenario, base + extra, args.mode))
    (c0, r0, e0), rest = out[0], out[1:]
    for (c, r, e), t in zip(rest, tries[1:]):
        gap = max(abs(c[k] - c0[k]) for k in c0)
        print(f"{t} against {tries[0]}: curtailment apart by at most {gap:.4g} MWh; rates apart by "
              f"{max(abs(r[k] - r0[k]) for k in r0) * 100:.2g} pp; thermal output, corridor flows "
              f"and counted export by at most {max(abs(e[k] - e0[k]) for k in e0):.4g} MWh")


if __name__ == "__main__":
    main()
