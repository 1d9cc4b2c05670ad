"""Turn a solution into the run's outputs: summary.json, hourly.parquet, monthly.csv, inputs/.

summary.json is a contract other tools rely on (see README, "Outputs"): energies in MWh, prices
in CNY/MWh, money in CNY; TWh and 亿千瓦时 (1 亿千瓦时 = 0.1 TWh) are added for reading.
"""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pandas as pd
import yaml

from ..components import curtailment
from ..inputs.profiles import TIME_COLUMN
from ..inputs.scenario import set_key
from ..optimisation import expansion, modes, network
from . import provenance
from .quantities import TWH
from .report import Report

MWH_PER_YI_KWH = 1e5  # 1 亿千瓦时 = 10^8 kWh: the contract of summary.json, apart from display units


def collect(built, sol) -> Report:
    rep = Report(built.ctx.n)
    curtailment.split(built, sol)
    for f in built.families:
        f.report(sol, built.data[f.key], built.ctx, rep)
    network.report(sol, built.ctx, rep)
    curtailment.report(sol, built, rep)
    return rep


def _energy(mwh: float) -> str:
    return f"{mwh / TWH:.3f} TWh" if abs(mwh) >= 0.1 * TWH else f"{mwh:,.1f} MWh"


def target_status(ctx, target: float, counted: float, shortfall: float, dual, ceiling=None) -> dict:
    """What the target's row says, in words: a price only where it is a marginal cost.

    status: "met" (with room: price 0); "binding" (met exactly below the penalty: the dual is the
    marginal cost of one more MWh of target); "at_edge" (met exactly, with the dual at the
    penalty: one more MWh would be short, so only the price of one MWh less is a cost, and it is
    not known from this solve: no price, the edge is flagged); "out_of_reach" (short, and the
    ceiling, the most this mode could export as the target counts it at any cost serving all
    local load, is below the target); "short" (short although the ceiling reaches the target:
    each MWh beyond costs more than the penalty); "no_target" outside target and plan modes.
    When short the target row's dual is the penalty, which is not a price: the price is null."""
    if dual is None:
        return {"status": "no_target", "price": None, "reachable": None, "ceiling": None,
                "reason": f"no target in {ctx.mode} mode"}
    penalty = ctx.values["target"]["shortfall_penalty_cny_per_mwh"]
    tol = 1e-6 * max(1.0, target)
    if shortfall > tol:
        head = f"{_energy(counted)} of the {_energy(target)} target ({_energy(shortfall)} short)"
        tail = (f"; the target row's dual is then the shortfall penalty ({penalty:g} CNY/MWh), a penalty "
                "and not a marginal cost")
        if ceiling is not None and ceiling >= target - tol:
            return {"status": "short", "price": None, "reachable": counted, "ceiling": ceiling,
                    "reason": f"short in {ctx.mode} mode: {head}, although the ceiling is {_energy(ceiling)}: "
                              f"each further MWh costs more than the penalty" + tail}
        return {"status": "out_of_reach", "price": None, "reachable": counted, "ceiling": ceiling,
                "reason": f"out of reach in {ctx.mode} mode: {head}; the ceiling (the most this mode could "
                          f"export as the target counts it, at any cost, serving all local load) is "
                          + (f"{_energy(ceiling)}, {_energy(target - ceiling)} below the target"
                             if ceiling is not None else "not known") + tail}
    if counted > target + tol or dual <= 1e-9:
        return {"status": "met", "price": max(dual, 0.0), "reachable": None, "ceiling": None,
                "reason": "met with room: one more MWh of target costs nothing"}
    if dual >= penalty * (1 - 1e-7) - 1e-6:
        return {"status": "at_edge", "price": None, "reachable": counted, "ceiling": counted,
                "reason": (f"at the edge: the target is met exactly and one more MWh would be short, at the "
                           f"penalty ({penalty:g} CNY/MWh); the price of one MWh less is below that and not "
                           "known from this solve")}
    return {"status": "binding", "price": dual, "reachable": None, "ceiling": None,
            "reason": "met exactly: the price is the marginal cost of one more MWh of target"}


def _rate(num, den):
    return {k: (num[k] / den[k] if den.get(k) else 0.0) for k in num}


def summary(built, sol, rep: Report, checks: dict, timings: dict) -> dict:
    ctx, lp = built.ctx, built.lp
    w = ctx.weights
    export_by_line = rep.total("export", w)
    export = sum(export_by_line.values())
    imports = sum(rep.total("import", w).values())
    counted = modes.counted_mwh(ctx, rep.hourly)
    target = modes.target_mwh(ctx)
    if "System-shortfall" in lp.vars:
        shortfall = float(sol.value("System-shortfall")[0])
        target_dual = float(sol.dual("System-export_target")[0])
    else:
        shortfall, target_dual = max(0.0, target - counted), None
    target_state = target_status(ctx, target, counted, shortfall, target_dual, sol.ceiling_mwh)
    target_price = target_state["price"]
    generation = rep.total("generation", w)
    available = rep.total("available", w)
    curtailment = rep.total("curtailment", w)
    capacity = dict(rep.capacity_mw)
    costs = rep.total("cost", w)
    for key in ("quota_penalty_cny",):
        if key in rep.scalars:
            costs["quota_penalty"] = rep.scalars[key]
    if shortfall and "System-shortfall" in lp.vars:
        costs["shortfall_penalty"] = shortfall * ctx.values["target"]["shortfall_penalty_cny_per_mwh"]
    additions = rep.scalars.get("additions", [])
    if additions:
        costs["investment"] = sum(a["annualised_cost_cny"] for a in additions)
    revenue = rep.total("revenue", w)
    hours = float(w.sum())
    out = {
        "scenario": ctx.scenario.name,
        "title": ctx.values["title"] or {"zh": ctx.scenario.name, "en": ctx.scenario.name},
        "description": ctx.values["description"],
        "mode": ctx.mode,
        "status": sol.status,
        "objective_cny": sol.objective,
        "objective_includes_export_revenue": ctx.mode != "plan" or ctx.values["plan"]["count_export_revenue"],
        "hours": int(round(hours)),
        "time_steps": int(ctx.n),
        "segments_per_day": ctx.values["time"]["segments_per_day"],
        "period": [ctx.hourly_index[0].isoformat(), ctx.hourly_index[-1].isoformat()],
        "export_mwh": export,
        "export_twh": export / TWH,
        "export_yi_kwh": export / MWH_PER_YI_KWH,
        "export_by_line_mwh": export_by_line,
        "target_mwh": target,
        "target_twh": target / TWH,
        "net_export_mwh": export - imports,
        "target_basis": modes.target_basis(ctx),
        "target_counted_mwh": counted,
        "target_reached": counted >= target * (1 - 1e-9),
        "export_share_of_target": counted / target if target else None,
        "shortfall_mwh": shortfall,
        "target_price_cny_per_mwh": target_price,
        "target_status": target_state["status"],
        "target_price_reason": target_state["reason"],
        "target_row_dual_cny_per_mwh": target_dual,
        "target_reachable_mwh": target_state["reachable"],
        "target_ceiling_mwh": target_state["ceiling"] if ctx.mode != "max-export" else counted,
        "curtailment_mwh": curtailment,
        "curtailment_rule": ctx.values["system"]["curtailment_rule"],
        "tie_break": sol.tie_break or None,
        "curtailment_rate": _rate(curtailment, available),
        "available_mwh": available,
        "generation_mwh": generation,
        "capacity_mw": capacity,
        "utilisation_hours": {k: (generation.get(k, 0.0) / capacity[k] if capacity[k] else 0.0) for k in capacity},
        "local_demand_mwh": sum(rep.total("demand", w).values()),
        "local_demand_by_type_mwh": rep.total("demand", w),
        "direct_purchase_mwh": rep.total("demand", w).get("direct_purchase", 0.0),
        "heating_electricity_mwh": rep.total("demand", w).get("heating", 0.0),
        "heating_heat_mwh_th": sum(rep.total("heat_demand", w).values()),
        "heating_unserved_mwh_th": sum(rep.total("heat_unserved", w).values()),
        "storage_charge_mwh": rep.total("storage_charge", w),
        "storage_discharge_mwh": rep.total("storage_discharge", w),
        "storage": rep.scalars.get("storage", {}),
        "csp_heat_dumped_mwh_th": sum(rep.total("csp_heat_dumped", w).values()),
        "sync_support_binding_hours": rep.scalars.get("sync_support_binding_hours", {}),
        "tariff_revenue_cny": rep.total("tariff_revenue", w),
        "import_mwh": imports,
        "unserved_mwh": sum(rep.total("unserved", w).values()),
        "export_loss_mwh": sum(rep.total("export_loss", w).values()),
        "line_utilisation": {k: (v / (rep.scalars["line_rating_mw"][k] * hours)
                                 if rep.scalars["line_rating_mw"][k] else 0.0) for k, v in export_by_line.items()},
        "line_hours_at_limit": rep.scalars.get("line_hours_at_limit", {}),
        "quota_shortfall_mwh": rep.scalars.get("quota_shortfall_mwh", {}),
        "co2_t": sum(rep.total("co2_t", w).values()),
        "cost_cny": costs,
        "export_revenue_cny": revenue,
        "additions": additions,
        "plan_ties": expansion.ties(sol, lp) if lp.blocks("investment") else None,
        "mean_price_cny_per_mwh": {b: float(np.average(rep.hourly[f"Bus-price[{b}]"], weights=w)) for b in ctx.buses},
        "weather_year": ctx.values["weather_year"],
        "line_rating_mw": rep.scalars.get("line_rating_mw", {}),
        "provenance": provenance.stamp(ctx.scenario.raw),
        "sources": provenance.main_sources(ctx.scenario),
        "warnings": list(ctx.profiles.warnings),
        "balance_max_abs_mw": checks["balance_max_abs_mw"],
        "checks": checks,
        "lp_size": {"columns": int(lp.compiled.shape[1]), "rows": int(lp.compiled.shape[0]),
                    "nonzeros": int(lp.compiled.A.nnz)},
        **timings,
    }
    return _clean(out)


def _clean(x):
    """JSON-safe: numpy scalars to Python, NaN and infinity to null."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (np.floating, float)):
        x = float(x)
        if abs(x) < 1e-9:
            return 0.0  # solver noise (-1e-12 MWh) and negative zero read as "-0.000" in reports
        return x if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def hourly_frame(ctx, rep: Report) -> pd.DataFrame:
    """One row an hour. With merged hours, each hour shows its time step's value (a mean power;
    a state at the step's end) and the step's number, so sums over hours are the step totals."""
    df = pd.DataFrame({k: ctx.expand(v) for k, v in rep.hourly.items()})
    df.insert(0, TIME_COLUMN, ctx.hourly_index)
    if ctx.aggregated:
        df.insert(1, "time_step", ctx.expand(np.arange(ctx.n)))
    return df


def monthly_frame(ctx, rep: Report) -> pd.DataFrame:
    """Export, generation, curtailment... by month (MWh), with the pro-rata path to the target."""
    w = ctx.weights
    cols = {"export_total_mwh": np.sum([v for v in rep.series["export"].values()], axis=0) * w
            if rep.series.get("export") else np.zeros(ctx.n)}
    for category in ("export", "generation", "curtailment", "available", "import", "demand", "unserved",
                     "storage_charge", "storage_discharge"):
        for name, values in rep.series.get(category, {}).items():
            cols[f"{category}_{name}_mwh"] = values * w
    df = pd.DataFrame(cols)
    df["target_path_mwh"] = modes.target_mwh(ctx) * w / w.sum()
    df["hours"] = w
    # Formatting a year of timestamps costs 0.1 s: group by year and month, then label the months.
    out = df.groupby(np.asarray(ctx.index.year * 100 + ctx.index.month)).sum()
    out.index = pd.Index([f"{k // 100:04d}-{k % 100:02d}" for k in out.index], name="month")
    out["export_cumulative_mwh"] = out["export_total_mwh"].cumsum()
    out["target_cumulative_mwh"] = out["target_path_mwh"].cumsum()
    return out.reset_index()


def column_table(rep: Report) -> pd.DataFrame:
    return pd.DataFrame({"column": list(rep.units), "unit": list(rep.units.values())})


def resolved_scenario(ctx) -> dict:
    """The merged scenario, with every profile pointing at inputs/profiles.parquet: re-runnable as is."""
    raw = copy.deepcopy(ctx.scenario.raw)
    raw["mode"] = ctx.mode
    raw["name"] = ctx.scenario.name
    for key in ctx.profiles.used:
        set_key(raw, key, {"file": "profiles.parquet", "column": key}, {}, "inputs")
    for key, value in ctx.inputs.items():  # annual figures scaled by what profiles.parquet does not keep
        set_key(raw, key, value, {}, "inputs")
    return raw


def write_summary(folder, summary_dict: dict):
    with open(folder / "summary.json", "w", encoding="utf-8") as fh:
        json.dump(summary_dict, fh, indent=2, ensure_ascii=False)


def write_run(folder, built, rep: Report):
    """Write the tables of a run into ``folder`` (a fresh temporary folder)."""
    ctx = built.ctx
    (folder / "inputs").mkdir()
    hourly_frame(ctx, rep).to_parquet(folder / "hourly.parquet", index=False)
    column_table(rep).to_csv(folder / "hourly_columns.csv", index=False)
    monthly_frame(ctx, rep).to_csv(folder / "monthly.csv", index=False, float_format="%.3f")
    with open(folder / "inputs" / "scenario.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(resolved_scenario(ctx), fh, allow_unicode=True, sort_keys=False)
    ctx.profiles.table().to_parquet(folder / "inputs" / "profiles.parquet", index=False)
