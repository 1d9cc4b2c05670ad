"""Direct-purchase (直购电) industrial demand: contracted energy, hourly limits, part shiftable.

    d[u,t] = annual_mwh / hours_in_year * shape[t] / mean(shape)       the contracted profile
    DirectPurchase-p[u,t] in [max(min_mw, (1 - shiftable) d[t]), max_mw]
    DirectPurchase-daily[u, day]:  sum of w p over the day == sum of w d over the day  (w: hours a step)

A share ``shiftable`` of each day's energy may move to any hour of that day; with none shiftable
the load is fixed and needs no variable. The tariff only prices the energy in the report: the
energy is contracted, so it does not change dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..inputs.schema import REQUIRED, Param
from .base import BUS, Family


@dataclass
class Data:
    units: list
    bus: list
    load: np.ndarray  # (U, T) contracted profile, MW
    lb: np.ndarray
    ub: np.ndarray
    shiftable: np.ndarray  # (U,)
    tariff: np.ndarray


class DirectPurchase(Family):
    key, name = "direct_purchase", "DirectPurchase"
    doc = "Direct-purchase industrial demand."
    params = {
        "bus": BUS,
        "annual_mwh": Param("MWh/yr", REQUIRED, "Contracted energy over a full year.", min=0),
        "profile": Param("-", 1.0, "Hourly shape of the contracted draw.", kind="profile", profile="shape"),
        "min_mw": Param("MW", 0.0, "Smallest hourly draw.", min=0),
        "max_mw": Param("MW", None, "Largest hourly draw; none: no limit beyond the contract.", min=0),
        "shiftable": Param("-", 0.0, "Share of each day's energy that may move within the day.", min=0, max=1,
                           structural=True),
        "tariff_cny_per_mwh": Param("CNY/MWh", 0.0, "Direct-purchase price, for the report.", min=0),
    }

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        load = np.zeros((len(names), ctx.n))
        lb, ub = np.zeros_like(load), np.zeros_like(load)
        day = ctx.days()[0]
        for i, u in enumerate(names):
            s, key = units[u], f"{self.key}.{u}"
            shape, mean = ctx.profile(s["profile"], "shape", f"{key}.profile", with_mean=True)
            if mean <= 0:
                raise InputError(ctx.scenario.file_of(f"{key}.profile"), f"{key}.profile",
                                 "expected a shape with a positive mean")
            load[i] = s["annual_mwh"] / ctx.hours_in_year * shape / mean
            ctx.rescale_for_inputs(f"{key}.annual_mwh", s["annual_mwh"], mean, ctx.window_mean(f"{key}.profile"))
            top = np.inf if s["max_mw"] is None else s["max_mw"]
            lb[i] = np.maximum(s["min_mw"], (1 - s["shiftable"]) * load[i])
            ub[i] = np.full(ctx.n, top)
            energy = _by_day(load[i] * ctx.weights, day)
            if (np.any(_by_day(lb[i] * ctx.weights, day) > energy + 1e-6)
                    or np.any(_by_day(np.minimum(ub[i], 1e12) * ctx.weights, day) < energy - 1e-6)):
                raise InputError(ctx.scenario.file_of(key), f"{key}.max_mw",
                                 "min_mw and max_mw leave no way to draw a day's contracted energy")
            bus = s["bus"]
            if s["shiftable"] == 0:
                ctx.demand[bus] += load[i]
        return Data(names, [units[u]["bus"] for u in names], load, lb, ub,
                    np.array([units[u]["shiftable"] for u in names]),
                    self.column(units, "tariff_cny_per_mwh"))

    def build(self, lp, d, ctx):
        idx = np.flatnonzero(d.shiftable > 0)
        if not idx.size:
            return  # fixed loads sit in the Bus-balance right-hand side
        names = [d.units[i] for i in idx]
        p = lp.var("DirectPurchase-p", names, d.lb[idx], d.ub[idx])
        day_of, days = ctx.days()
        hours_of = {day: np.flatnonzero(day_of == k).tolist() for k, day in enumerate(days)}
        keys = [(u, day) for u in names for day in hours_of]
        w = ctx.weights
        energy = np.array([d.load[i][hours_of[day]] @ w[hours_of[day]] for i in idx for day in hours_of])
        # each day's steps, padded with -1 to the longest day (a year cut short, merged steps)
        steps = np.full((len(days), max(map(len, hours_of.values()))), -1)
        for k, hours in enumerate(hours_of.values()):
            steps[k, :len(hours)] = hours
        cols = np.where(steps >= 0, p.index[:, steps], -1).reshape(len(keys), -1)
        coefs = np.tile(np.where(steps >= 0, w[steps], 0.0), (len(names), 1))
        lp.rows("DirectPurchase-daily", keys, [(coefs, cols)], "==", energy, hourly=False)
        for u in names:
            lp.inject(d.bus[d.units.index(u)], p, u, -1.0)

    def report(self, sol, d, ctx, rep):
        draw = d.load.copy()
        idx = np.flatnonzero(d.shiftable > 0)
        if idx.size:
            draw[idx] = sol.value("DirectPurchase-p")
        for i, u in enumerate(d.units):
            col = f"DirectPurchase-p[{u}]"
            rep.column(col, draw[i])
            rep.inject(d.bus[i], col, -draw[i])
        rep.add("demand", "direct_purchase", draw.sum(axis=0))
        rep.add("tariff_revenue", "direct_purchase", (d.tariff[:, None] * draw).sum(axis=0))


def _by_day(values, day_of):
    return np.bincount(day_of, weights=values)
