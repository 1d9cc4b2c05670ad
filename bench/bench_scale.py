"""Benchmark: how build and solve grow with the hours modelled and with the number of buses.

    python bench/bench_scale.py [SCENARIO] [--hours 168 720 2184 4368 8760] [--buses 1 2 4]
        [--bus-hours 2184] [--repeat 3]

Hours: the scenario cut to each window. Buses: the whole system copied onto each of N buses
(every unit renamed, its `bus` set), joined in a chain by 2,000 MW corridors, a stand-in for a
several-bus context model. Prints CPU medians of the build (load to compiled arrays) and of the
HiGHS solve (the scenario's settings), and the exponent b of a least-squares fit t = a n^b.
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

from model import build as builder  # noqa: E402
from model import scenario, solve  # noqa: E402
from model.components import FAMILIES  # noqa: E402


def measure(path, overrides, repeat):
    builds, solves, size = [], [], None
    for _ in range(repeat):
        c0 = time.process_time()
        built = builder.build(scenario.load(path, overrides))
        builds.append(time.process_time() - c0)
        h = solve.new_highs(built.ctx.values["solver"])
        solve.handoff(h, built.lp)
        c0 = time.process_time()
        solve.solve_loaded(h, built.lp, built.ctx)
        solves.append(time.process_time() - c0)
        size = built.lp.compiled.shape[1]
    return statistics.median(builds), statistics.median(solves), size


def exponent(n, t) -> float:
    return float(np.polyfit(np.log(n), np.log(t), 1)[0])


def _absolute(node, folder: Path):
    """Profile file references made absolute, so that a copied scenario reads the same files."""
    if isinstance(node, dict):
        out = {k: _absolute(v, folder) for k, v in node.items()}
        if isinstance(out.get("file"), str):
            out["file"] = str((folder / out["file"]).resolve())
        return out
    if isinstance(node, list):
        return [_absolute(v, folder) for v in node]
    return node


def many_buses(path: Path, n: int, folder: Path) -> Path:
    """The scenario with its one-bus system copied onto n buses in a chain."""
    raw = _absolute(yaml.safe_load(path.read_text(encoding="utf-8")), path.parent)
    raw.pop("extends", None)
    (bus, spec), = raw["buses"].items()
    raw["buses"] = {f"{bus}{k}": spec for k in range(n)}
    for f in FAMILIES:
        units = raw.get(f.key) or {}
        raw[f.key] = {f"{u}_{k}": {**s, **({"bus": f"{bus}{k}"} if "bus" in f.params else {})}
                      for u, s in units.items() for k in range(n)}
    raw["corridors"] = {f"c{k}": {"from_bus": f"{bus}{k}", "to_bus": f"{bus}{k + 1}", "capacity_mw": 2000.0,
                                  "loss": 0.02} for k in range(n - 1)}
    out = folder / f"{path.stem}_{n}buses.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def table(label, ns, rows):
    print(f"  {label:>6} {'columns':>9} {'build s':>9} {'solve s':>9}")
    for n, (b, s, size) in zip(ns, rows):
        print(f"  {n:>6} {size:>9} {b:>9.3f} {s:>9.3f}")
    builds, solves = [r[0] for r in rows], [r[1] for r in rows]
    print(f"  fitted exponents: build {exponent(ns, builds):.2f}, solve {exponent(ns, solves):.2f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/jiuquan_2019.yaml")
    p.add_argument("--hours", type=int, nargs="+", default=[168, 720, 2184, 4368, 8760])
    p.add_argument("--buses", type=int, nargs="+", default=[1, 2, 4])
    p.add_argument("--bus-hours", type=int, default=2184, help="window of the bus runs (default a quarter)")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    path = Path(args.scenario)
    measure(path, [("time.hours", 24)], 1)  # imports and first-call costs out of the figures
    print(f"{path}: CPU medians of {args.repeat}")
    print("hours (one bus):")
    table("hours", args.hours, [measure(path, [("time.hours", h)], args.repeat) for h in args.hours])
    print(f"buses ({args.bus_hours} hours):")
    with tempfile.TemporaryDirectory() as d:
        rows = [measure(many_buses(path, n, Path(d)), [("time.hours", args.bus_hours)], args.repeat)
                for n in args.buses]
    table("buses", args.buses, rows)


if __name__ == "__main__":
    main()
