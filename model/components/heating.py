"""Clean electric heating: a heat demand from temperature, met by electric boilers or heat pumps
with heat storage, so the heating load can move into windy or valley hours.

    heat demand h[t] = annual_heat * HDD[t] / (HDD per year of the temperature source)
    HDD[t] = max(0, base_temperature - T[t]) inside the heating season, 0 outside
    Heating-p[u,t]        in [0, boiler_mw * allowed[t]]  electricity drawn (MW)
    Heating-soc[u,t]      in [0, storage]                 heat in store (MWh_th)
    Heating-unserved[u,t] >= 0                            heat not delivered, at the value of lost load
    Heating-heat_balance: soc[t] - (1 - loss)^w soc[t-1] - w (cop p[t] + unserved[t]) == -w h[t]

w[t] is the hours of the time step (1 unless hours are merged, model/inputs/aggregation.py).

allowed[t] limits the boilers to tariff windows when the scenario names them. Plan mode may add
boiler capacity (Heating-new_boiler) and heat storage (Heating-new_storage). The tariff only
prices the electricity in the report: the heat demand is fixed, so it does not change dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..errors import InputError
from ..inputs.schema import REQUIRED, Param
from ..optimisation import expansion
from .base import BUS, HEAT_SEASON_END, HEAT_SEASON_START, Family, stepping


@dataclass
class Data:
    units: list
    bus: list
    heat: np.ndarray  # (U, T) MWth demand
    p_max: np.ndarray  # (U, T) MW
    store: np.ndarray  # (U,) MWh_th installed
    cop: np.ndarray
    loss: np.ndarray
    tariff: np.ndarray
    boiler: np.ndarray  # (U,) MW installed
    allowed: np.ndarray  # (U, T) share of each time step the boilers may run
    build: dict  # dimension -> (U,) plan mode: what may be added
    build_cost: dict  # dimension -> (U,) CNY per MW or MWh_th


class Heating(Family):
    key, name = "heating", "Heating"
    doc = "Clean electric heating with heat storage."
    params = {
        "bus": BUS,
        "annual_heat_mwh": Param("MWh_th/yr", REQUIRED, "Heat delivered over a year.", min=0),
        "temperature": Param("degC", REQUIRED, "Outdoor air temperature.", kind="profile", profile="temperature"),
        "base_temperature_c": Param("degC", 18.0, "Heating-degree base (assumption: 18 degC, the usual "
                                    "base in Chinese heating-degree-day statistics).", min=-50, max=40),
        "heat_season_start": HEAT_SEASON_START,
        "heat_season_end": HEAT_SEASON_END,
        "boiler_mw": Param("MW", REQUIRED, "Electric input capacity of the boilers or heat pumps.", min=0),
        "cop": Param("-", 0.98, "Heat per unit of electricity (assumption: electric boilers 0.98; heat "
                     "pumps 2-3).", min=0, above_min=True, structural=True),
        "storage_mwh_th": Param("MWh_th", 0.0, "Heat storage.", min=0),
        "storage_loss_per_h": Param("1/h", 0.005, "Fraction of stored heat lost each hour (assumption).",
                                    min=0, max=1, below_max=True, structural=True),
        "allowed_hours": Param("-", None, "Local-hour windows in which the boilers may run, e.g. the "
                               "valley-tariff windows ['8-14', '20-24']; none: any hour.", kind="windows"),
        "tariff_cny_per_mwh": Param("CNY/MWh", 0.0, "Preferential heating tariff, for the report.", min=0),
    }
    dims = {
        "boiler": expansion.Dim("boiler", "mw", "kw", 500.0, 5.0, "assumption: electrode boilers with grid "
                                "connection; not in FACTS"),
        "storage": expansion.Dim("storage", "mwh", "kwh", 80.0, 1.0, "assumption: hot-water or solid heat store, "
                                 "per kWh of heat; not in FACTS"),
    }
    params.update(expansion.declare(list(dims.values()), 20, "assumption"))

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        heat = np.zeros((len(names), ctx.n))
        allowed_share = np.zeros((len(names), ctx.n))
        for i, u in enumerate(names):
            s, key = units[u], f"{self.key}.{u}.temperature"
            # Degree hours are not linear in temperature: take them hour by hour, then average.
            temp = ctx.profile(s["temperature"], "temperature", key, hourly=True)
            source = ctx.profile_source(key)
            season = (s["heat_season_start"], s["heat_season_end"])
            hdd_source = (np.maximum(0.0, s["base_temperature_c"] - source.to_numpy())
                          * ctx.season(*season, source.index))
            hdd_per_year = hdd_source.sum() * ctx.hours_in_year / len(source)
            if hdd_per_year <= 0 and s["annual_heat_mwh"] > 0:
                raise InputError(ctx.scenario.file_of(key), key, "no hour in the heating season is below "
                                 "base_temperature_c, so the annual heat has nowhere to go")
            hdd = np.maximum(0.0, s["base_temperature_c"] - temp) * ctx.season(*season, ctx.hourly_index)
            # inputs/ keeps only the run's hours, whose degree hours a re-run takes as its year's
            ctx.rescale_for_inputs(f"{self.key}.{u}.annual_heat_mwh", s["annual_heat_mwh"], hdd_per_year,
                                   hdd.sum() * ctx.hours_in_year / len(hdd))
            heat[i] = ctx.steps(s["annual_heat_mwh"] * hdd / hdd_per_year if hdd_per_year > 0 else 0 * hdd)
            allowed = np.ones(24) if s["allowed_hours"] is None else np.array(s["allowed_hours"], dtype=float)
            # Over a merged step, the share of its hours inside the windows: exact in energy.
            allowed_share[i] = ctx.hour_of_day(allowed)
        col = partial(self.column, units)
        build = {k: expansion.build_limits(units, dim, ctx) for k, dim in self.dims.items()}
        cost = {k: expansion.annual_cost(units, dim, ctx) for k, dim in self.dims.items()}
        boiler = col("boiler_mw")
        return Data(names, [units[u]["bus"] for u in names], heat, (boiler + build["boiler"])[:, None] * allowed_share,
                    col("storage_mwh_th"), col("cop"), col("storage_loss_per_h"),
                    col("tariff_cny_per_mwh"), boiler, allowed_share, build, cost)

    def build(self, lp, d, ctx):
        p = lp.var("Heating-p", d.units, 0.0, d.p_max, role="flexible_draw")
        soc = lp.var("Heating-soc", d.units, 0.0, (d.store + d.build["storage"])[:, None])
        short = lp.var("Heating-unserved", d.units, 0.0, cost=ctx.values["system"]["voll_cny_per_mwh"],
                       role="heat_unserved")
        prev, keep, w = stepping(ctx, d.loss)
        lp.rows("Heating-heat_balance", d.units,
                [(1.0, soc.index), (-keep, soc.index[:, prev]), (-w * d.cop[:, None], p.index),
                 (-w, short.index)], "==", -d.heat * ctx.weights)
        limited = {"boiler": (d.allowed, [(p, d.boiler)]), "storage": (np.ones_like(d.allowed), [(soc, d.store)])}
        for k, dim in self.dims.items():
            scale, pairs = limited[k]
            expansion.link(lp, "Heating", dim, d.units, d.build[k], d.build_cost[k], scale, pairs)
        for u, bus in zip(d.units, d.bus):
            lp.inject(bus, p, u, -1.0)

    def report(self, sol, d, ctx, rep):
        p, soc, short = (sol.value(f"Heating-{x}") for x in ("p", "soc", "unserved"))
        for (k, dim), base in zip(self.dims.items(), (d.boiler, d.store)):
            expansion.report(sol, "Heating", dim, d.units, base, d.build_cost[k], rep)
        for i, u in enumerate(d.units):
            rep.column(f"Heating-p[{u}]", p[i])
            rep.column(f"Heating-heat_demand[{u}]", d.heat[i], "MWth")
            rep.column(f"Heating-soc[{u}]", soc[i], "MWh_th")
            rep.column(f"Heating-unserved[{u}]", short[i], "MWth")
            rep.inject(d.bus[i], f"Heating-p[{u}]", -p[i])
        rep.add("demand", "heating", p.sum(axis=0))
        rep.add("heat_demand", "heating", d.heat.sum(axis=0))
        rep.add("heat_unserved", "heating", short.sum(axis=0))
        rep.add("cost", "unserved", ctx.values["system"]["voll_cny_per_mwh"] * short.sum(axis=0))
        rep.add("tariff_revenue", "heating", (d.tariff[:, None] * p).sum(axis=0))
