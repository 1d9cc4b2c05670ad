"""Benchmark: how build and solve grow with the hours modelled and with the number of buses.

    python bench/bench_scale.py [SCENARIO] [--hours 168 720 2184 4368 8760 17520 26280]
        [--buses 1 2 4] [--bus-hours 2184] [--context scenarios/gansu_2019.yaml] [--repeat 3]

Hours: the scenario cut to each window. The weather files cover one year (2019), so a window
past it reads a synthetic weather file written to a temporary folder: the scenario's weather
year followed by the next ones, each year's 8,760 hours on a continuous clock (a leap year's
last day takes the next year's first: seasons drift by a day a leap year, as good as any
weather for timing). Buses: the whole system copied onto each of N buses
(every unit renamed, its `bus` set), joined in a chain by 2,000 MW corridors, a stand-in for a
several-bus context model; then the real context model (``--context``, three buses) over the same
window and over its whole year, beside them. Prints CPU medians of the build (load to compiled arrays) and of the
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
import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.components import FAMILIES  # noqa: E402
from model.inputs import scenario  # noqa: E402
from model.optimisation import build as builder  # noqa: E402
from model.optimisation import solve  # noqa: E402

WEATHER = Path(__file__).resolve().parents[1] / "data" / "weather"
YEAR_HOURS = 8760


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


def _map_files(node, change):
    """``node`` with every profile file reference ``f`` replaced by ``change(f)``."""
    if isinstance(node, dict):
        out = {k: _map_files(v, change) for k, v in node.items()}
        if isinstance(out.get("file"), str):
            out["file"] = change(out["file"])
        return out
    if isinstance(node, list):
        return [_map_files(v, change) for v in node]
    return node


def _absolute(folder: Path):
    """References made absolute, so that a copied scenario reads the same files."""
    return lambda f: str((folder / f).resolve())


def many_years(path: Path, hours: int, folder: Path) -> Path:
    """The scenario reading a weather file long enough for ``hours`` (see the module's doc)."""
    sc = scenario.load(path)
    first = sc.values["weather_year"]
    years = -(-hours // YEAR_HOURS)
    frames = [pd.read_parquet(WEATHER / f"jiuquan_w{first + k:02d}.parquet") for k in range(years)]
    tiled = pd.concat(frames, ignore_index=True)
    tiled["timestamp"] = pd.date_range(frames[0]["timestamp"].iloc[0], periods=len(tiled), freq="h")
    file = folder / f"weather_{years}years.parquet"
    tiled.to_parquet(file)
    # a loaded scenario's references are absolute, its weather year filled in
    raw = _map_files(sc.raw, lambda f: str(file) if Path(f).parent == WEATHER else f)
    raw.pop("extends", None)
    out = folder / f"{path.stem}_{years}years.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def many_buses(path: Path, n: int, folder: Path) -> Path:
    """The scenario with its one-bus system copied onto n buses in a chain."""
    raw = _map_files(yaml.safe_load(path.read_text(encoding="utf-8")), _absolute(path.parent))
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
    p.add_argument("--hours", type=int, nargs="+",
                   default=[168, 720, 2184, 4368, 8760, 17520, 26280])
    p.add_argument("--buses", type=int, nargs="+", default=[1, 2, 4])
    p.add_argument("--bus-hours", type=int, default=2184, help="window of the bus runs (default a quarter)")
    p.add_argument("--context", default="scenarios/gansu_2019.yaml",
                   help="the real several-bus model, timed beside the copies ('' to skip)")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    path = Path(args.scenario)
    measure(path, [("time.hours", 24)], 1)  # imports and first-call costs out of the figures
    print(f"{path}: CPU medians of {args.repeat}")
    print("hours (one bus):")
    with tempfile.TemporaryDirectory() as d:
        paths = [many_years(path, h, Path(d)) if h > YEAR_HOURS else path for h in args.hours]
        rows = [measure(p, [("time.hours", h)], args.repeat) for p, h in zip(paths, args.hours)]
    table("hours", args.hours, rows)
    print(f"buses ({args.bus_hours} hours):")
    with tempfile.TemporaryDirectory() as d:
        rows = [measure(many_buses(path, n, Path(d)), [("time.hours", args.bus_hours)], args.repeat)
                for n in args.buses]
    table("buses", args.buses, rows)
    if args.context:
        context = Path(args.context)
        n_bus = len(scenario.load(context).values["buses"])
        hours = sorted({args.bus_hours, YEAR_HOURS})
        print(f"the context model, {context} ({n_bus} buses):")
        print(f"  {'hours':>6} {'columns':>9} {'build s':>9} {'solve s':>9}")
        for h in hours:
            b, s_, size = measure(context, [("time.hours", h)], args.repeat)
            print(f"  {h:>6} {size:>9} {b:>9.3f} {s_:>9.3f}")


if __name__ == "__main__":
    main()
