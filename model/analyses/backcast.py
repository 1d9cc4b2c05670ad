"""The backcast: the 2019 and 2020 context scenarios in dispatch mode against published figures.

    run.py backcast [--out results/backcast]

solves scenarios/gansu_2019.yaml and gansu_2020.yaml in dispatch mode (least cost minus export
revenue, no target penalty: published figures come from real dispatch) and writes
OUT/backcast.csv, one row a figure: figure, published, low, high, model, within, source, and
its page of the meeting report, OUT/report/report_zh.html (--lang en, --no-report).

Figures from a run's report:
    curtailment rate of a carrier = curtailed / available over the units of that carrier (all
        of Gansu, or the units at the Jiuquan bus);
    full-load hours = generation / installed capacity;
    renewable share of a line = new energy (wind, PV, CSP) in its flow by proportional sharing
        (Bialek's upstream tracing): in every hour the supply mix at a bus is that of everything
        flowing into it, its own generation and imports and what corridors bring from the other
        buses at their mix. With s_b the new-energy share of bus b's supply S_b,

            S_b s_b = G_b + sum over corridors bringing q_cb > 0 into b from a of q_cb s_a,

        a linear system solved hour by hour; the line's share is its flow-weighted mean of s_b.
A band is [low, high]; `within` is low <= model <= high. A bound given as another figure's id
(jiuquan curtailment at least Gansu's) takes that figure's model value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..outputs import meeting_report
from ..outputs.output import atomic_dir
from . import pipeline

SCENARIOS = {2019: Path("scenarios/gansu_2019.yaml"), 2020: Path("scenarios/gansu_2020.yaml")}
NEW_ENERGY = ("Wind-p[", "PV-p[", "CSP-p[")
FAMILY_OF_CARRIER = {"wind": ("wind", "Wind"), "pv": ("pv", "PV")}


@dataclass(frozen=True)
class Figure:
    id: str
    year: int
    published: float
    low: float | str  # a number, or the id of a figure whose model value is the bound
    high: float | str
    source: str
    measure: tuple  # (function name, arguments)


FIGURES = (
    Figure("gansu_2019_wind_curtailment", 2019, 0.076, 0.056, 0.096,
           "NEA 2019 wind grid-operation notice (FACTS, weak: mirror)",
           ("curtailment", ("wind",), None)),
    Figure("gansu_2019_pv_curtailment", 2019, 0.040, 0.020, 0.060,
           "FACTS, derived (weak)", ("curtailment", ("pv",), None)),
    Figure("gansu_2019_combined_curtailment", 2019, 0.0635, 0.0485, 0.0785,
           "Gansu new-energy utilisation 93.65% (FACTS: 经济日报, Xinhua 2019-12-19)",
           ("curtailment", ("wind", "pv"), None)),
    Figure("gansu_2019_wind_hours", 2019, 1780.0, 1600.0, 1960.0, "FACTS, derived (weak)",
           ("hours", "wind", None)),
    Figure("gansu_2019_pv_hours", 2019, 1400.0, 1260.0, 1540.0, "FACTS, derived (weak)",
           ("hours", "pv", None)),
    Figure("gansu_2020_combined_curtailment", 2020, 0.0472, 0.0322, 0.0622,
           "Gansu new-energy utilisation 95.28% (FACTS: 经济日报 2021-03)",
           ("curtailment", ("wind", "pv"), None)),
    Figure("jiuquan_2019_combined_curtailment", 2019, np.nan,
           "gansu_2019_combined_curtailment", 1.0,
           "FACTS: Jiuquan has run above Gansu's average (May 2017: wind 42.3%, PV 29.3%)",
           ("curtailment", ("wind", "pv"), "jiuquan")),
    Figure("qishao_2019_renewable_share", 2019, 0.40, 0.40, 0.80,
           "FACTS: over 40% renewable cumulatively", ("line_share", "qishao_dc", None)),
)


def units_of(ctx, section: str, bus: str | None) -> list:
    return [u for u, spec in ctx.values.get(section, {}).items()
            if bus is None or spec["bus"] == bus]


def curtailment(run: pipeline.RunResult, carriers, bus) -> float:
    ctx, hourly = run.built.ctx, run.report.hourly
    w = ctx.weights
    curtailed = generated = 0.0
    for carrier in carriers:
        section, name = FAMILY_OF_CARRIER[carrier]
        for u in units_of(ctx, section, bus):
            curtailed += float(w @ hourly[f"{name}-curtailment[{u}]"])
            generated += float(w @ hourly[f"{name}-p[{u}]"])
    return curtailed / (curtailed + generated)


def hours(run: pipeline.RunResult, carrier, bus) -> float:
    return run.summary["utilisation_hours"][carrier]


def new_energy_share_by_bus(run: pipeline.RunResult) -> dict:
    """s_b[t] of the module docstring, for every bus."""
    ctx, rep = run.built.ctx, run.report
    buses = ctx.buses
    n, index = ctx.n, {b: i for i, b in enumerate(buses)}
    supply = np.zeros((n, len(buses)))
    new = np.zeros((n, len(buses)))
    system = np.zeros((n, len(buses), len(buses)))  # S_b s_b - sum_a q_ab s_a = G_b
    corridors = ctx.values.get("corridors", {})
    for bus, parts in rep.injections.items():
        i = index[bus]
        for column, values in parts:
            inflow = np.maximum(values, 0.0)
            supply[:, i] += inflow
            if column.startswith(NEW_ENERGY):
                new[:, i] += inflow
            elif column.startswith("Corridor-"):
                spec = corridors[column[column.index("[") + 1:-1]]
                other = spec["to_bus"] if spec["from_bus"] == bus else spec["from_bus"]
                system[:, i, index[other]] -= inflow
    system[:, np.arange(len(buses)), np.arange(len(buses))] += np.maximum(supply, 1e-9)
    share = np.linalg.solve(system, new[..., None])[..., 0]
    return {b: share[:, index[b]] for b in buses}


def line_share(run: pipeline.RunResult, line, bus) -> float:
    ctx = run.built.ctx
    flow = run.report.hourly[f"Line-flow[{line}]"] * ctx.weights
    share = new_energy_share_by_bus(run)[ctx.values["export_lines"][line]["bus"]]
    return float(flow @ share / flow.sum())


MEASURES = {"curtailment": curtailment, "hours": hours, "line_share": line_share}


def table(runs: dict) -> pd.DataFrame:
    """The backcast table from solved runs, one a year."""
    model = {f.id: MEASURES[f.measure[0]](runs[f.year], *f.measure[1:]) for f in FIGURES}
    rows = []
    for f in FIGURES:
        low = model[f.low] if isinstance(f.low, str) else f.low
        high = model[f.high] if isinstance(f.high, str) else f.high
        rows.append({"figure": f.id, "published": f.published, "low": low, "high": high,
                     "model": model[f.id], "within": bool(low <= model[f.id] <= high),
                     "source": f.source})
    return pd.DataFrame(rows)


def run(out: Path = Path("results/backcast"), overrides=(), report_lang="zh") -> pd.DataFrame:
    """Solve both years and write the folder whole, as a run is written (model/outputs/output.py): a
    folder the tool did not write is refused before any solve, and ``out`` is replaced only
    once both years, the table and the page are ready."""
    with atomic_dir(Path(out), "backcast") as tmp:
        runs = {year: pipeline.run(path, mode="dispatch", out=tmp / path.stem, overrides=overrides)
                for year, path in SCENARIOS.items()}
        frame = table(runs)
        frame.to_csv(tmp / "backcast.csv", index=False, lineterminator="\n")
        if report_lang:
            meeting_report.report(tmp, report_lang)
    return frame
