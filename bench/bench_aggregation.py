"""Benchmark time aggregation: speed and error of merged runs against the hourly year.

    python bench/bench_aggregation.py [SCENARIO] [--segments 12 8 6 4] [--repeat N] [--out CSV]

Runs the scenario hourly (the reference) and with each number of segments a day, N times each in
one process (the first run of each is a warm-up when N > 1), and prints medians of build and
solve time with the errors of the figures a planner quotes: export net of imports, curtailment,
hours with DC support binding, CO2, the objective and, in plan mode, every addition.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from model.analyses.pipeline import run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def measure(path, per_day, repeat):
    overrides = [("time.segments_per_day", per_day)] if per_day else []
    runs = [run(path, overrides=overrides, write=False).summary for _ in range(max(repeat, 1) + (repeat > 1))]
    timed = runs[1:] if repeat > 1 else runs
    s = runs[-1]
    row = {"segments_per_day": per_day or 24, "time_steps": s["time_steps"],
           "build_s": statistics.median(r["model_build_s"] for r in timed),
           "solve_s": statistics.median(r["solve_s"] for r in timed),
           "objective_cny": s["objective_cny"], "net_export_twh": s["net_export_mwh"] / 1e6,
           "curtailment_twh": sum(s["curtailment_mwh"].values()) / 1e6,
           "sync_binding_h": sum(s["sync_support_binding_hours"].values()), "co2_mt": s["co2_t"] / 1e6,
           "target_price": s["target_price_cny_per_mwh"]}
    for a in s["additions"]:
        row[f"added {a['unit']} {a['dimension']}"] = a["added"]
    return row


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "jiuquan_2019.yaml"))
    p.add_argument("--segments", type=int, nargs="+", default=[12, 8, 6, 4])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", help="also write the table to this CSV")
    args = p.parse_args(argv)
    rows = [measure(args.scenario, None, args.repeat)]
    rows += [measure(args.scenario, k, args.repeat) for k in args.segments]
    table = pd.DataFrame(rows).fillna(0.0)
    ref = table.iloc[0]
    for col in ("net_export_twh", "curtailment_twh", "co2_mt", "objective_cny"):
        table[f"{col} error"] = (table[col] - ref[col]) / abs(ref[col]) if ref[col] else 0.0
    table["speed-up (build+solve)"] = (ref["build_s"] + ref["solve_s"]) / (table["build_s"] + table["solve_s"])
    with pd.option_context("display.width", 250, "display.max_columns", 60, "display.float_format", "{:,.4g}".format):
        print(table.T.to_string(header=False))
    if args.out:
        table.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
