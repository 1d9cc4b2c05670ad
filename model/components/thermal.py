"""Coal and CHP units with linearised commitment.

With K[t] = capacity * availability[t], m the minimum stable load and R = ramp * capacity:

    {N}-p[u,t]     in [must[t], K[t]]     output; CHP: must = heat_min_load * K in the heating season
    {N}-u[u,t]     in [0, K[t]]           committed (synchronised) capacity
    {N}-start[u,t] in [0, K[t]]           capacity started up in hour t
    {N}-p_max:    p - u <= 0
    {N}-p_min:    p - m u >= 0
    {N}-start_up: start[t] - u[t] + u[t-1] >= 0
    {N}-ramp_up:   p[t] - p[t-1] - m start[t] <= R h[t]                    (only if ramp < 1)
    {N}-ramp_down: p[t-1] - p[t] - m (u[t-1] - u[t] + start[t]) <= R h[t]  (only if ramp < 1)

h[t] = 1 when every hour is modelled; with merged hours, the hours between the middles of two
adjacent time steps (base.ramp_hours). A start-up costs once per start, however long the step.

Committed capacity u counts as synchronous capacity for DC support. Units starting or stopping
may jump by their minimum load on top of the ramp. The year wraps
around (hour 0 follows the last hour), as storage does. Cost: p * (heat_rate * fuel_price + vom)
+ start * startup_cost. The heat-season must-run of CHP is a main cause of winter curtailment.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..inputs.schema import REQUIRED, Param
from .base import BUS, HEAT_SEASON_END, HEAT_SEASON_START, IN_SERVICE, Family, previous, ramp_hours

# Gansu thermal coal, Nov 2018: about 514 CNY/t (FACTS.md); at 5,500 kcal/kg against 7,000 kcal/kg
# standard coal (assumption) that is 514 * 7000 / 5500 = 654 CNY per tonne of standard coal (tce).
COAL_PRICE_CNY_PER_TCE = 654.0

COMMON = {
    "bus": BUS,
    "capacity_mw": Param("MW", REQUIRED, "Installed capacity.", min=0),
    "availability": Param("-", 1.0, "Hourly available fraction of capacity (maintenance, forced "
                          "outages).", kind="profile", profile="availability"),
    "min_stable_load": Param("-", 0.4, "Minimum output as a fraction of committed capacity "
                             "(assumption: Chinese coal units after flexibility retrofits run down to "
                             "30-40%).", min=0, max=1, structural=True),
    "ramp_per_h": Param("1/h", 1.0, "Largest hourly change of output as a fraction of capacity; 1 "
                        "means no ramp constraint is needed.", min=0, max=1, structural=True),
    "heat_rate_tce_per_mwh": Param("tce/MWh", 0.31, "Standard coal burned per MWh (assumption: "
                                   "310 gce/kWh, a subcritical-supercritical mix).", min=0),
    "fuel_price_cny_per_tce": Param("CNY/tce", COAL_PRICE_CNY_PER_TCE, "Coal price per tonne of "
                                    "standard coal (from 514 CNY/t, Gansu Nov 2018, at 5,500 kcal/kg).",
                                    min=0),
    "vom_cny_per_mwh": Param("CNY/MWh", 15.0, "Variable O&M (assumption).", min=0),
    "startup_cost_cny_per_mw": Param("CNY/MW", 300.0, "Cost of starting one MW of capacity "
                                     "(assumption: oil and coal burned while warming up).", min=0),
    "in_service": IN_SERVICE,
    "co2_t_per_tce": Param("tCO2/tce", 2.66, "CO2 per tonne of standard coal (assumption: IPCC "
                           "default for bituminous coal, 2.66-2.77).", min=0),
}

CHP = {
    "heat_season_start": HEAT_SEASON_START,
    "heat_season_end": HEAT_SEASON_END,
    "heat_min_load": Param("-", 0.6, "Output the heat load forces in the heating season, as a "
                           "fraction of available capacity (assumption).", min=0, max=1),
}


@dataclass
class Data:
    units: list
    bus: list
    capacity: np.ndarray  # (U,)
    k: np.ndarray  # (U, T) available MW
    must: np.ndarray  # (U, T) must-run MW
    m: np.ndarray  # (U,)
    ramp: np.ndarray  # (U,)
    energy_cost: np.ndarray  # (U,) CNY/MWh
    startup: np.ndarray  # (U,) CNY/MW
    co2: np.ndarray  # (U,) t/MWh


class Thermal(Family):
    def __init__(self, key, name, carrier, doc, chp=False):
        self.key, self.name, self.carrier, self.doc, self.chp = key, name, carrier, doc, chp
        self.params = {**COMMON, **(CHP if chp else {})}

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        col = partial(self.column, units)
        cap = col("capacity_mw")
        k = cap[:, None] * self.hourly(units, "availability", ctx) * self.in_service(units, ctx)
        must = np.zeros_like(k)
        if self.chp:
            for i, u in enumerate(names):
                s = units[u]
                must[i] = s["heat_min_load"] * k[i] * ctx.season(s["heat_season_start"], s["heat_season_end"])
        heat_rate = col("heat_rate_tce_per_mwh")
        return Data(names, [units[u]["bus"] for u in names], cap, k, must, col("min_stable_load"),
                    col("ramp_per_h"), heat_rate * col("fuel_price_cny_per_tce") + col("vom_cny_per_mwh"),
                    col("startup_cost_cny_per_mw"), heat_rate * col("co2_t_per_tce"))

    def build(self, lp, d, ctx):
        N, n = self.name, ctx.n
        p = lp.var(f"{N}-p", d.units, d.must, d.k, cost=d.energy_cost[:, None], role="thermal")
        u = lp.var(f"{N}-u", d.units, 0.0, d.k)
        s = lp.var(f"{N}-start", d.units, 0.0, d.k, cost=d.startup[:, None], weighted=False)
        m, prev = d.m[:, None], previous(n)
        P, U, S = p.index, u.index, s.index
        lp.rows(f"{N}-p_max", d.units, [(1.0, P), (-1.0, U)], "<=")
        lp.rows(f"{N}-p_min", d.units, [(1.0, P), (-m, U)], ">=")
        lp.rows(f"{N}-start_up", d.units, [(1.0, S), (-1.0, U), (1.0, U[:, prev])], ">=")
        idx = np.flatnonzero(d.ramp < 1)
        if idx.size:
            ramped, r = [d.units[i] for i in idx], (d.ramp * d.capacity)[idx, None] * ramp_hours(ctx)
            P, U, S, m = P[idx], U[idx], S[idx], m[idx]
            lp.rows(f"{N}-ramp_up", ramped, [(1.0, P), (-1.0, P[:, prev]), (-m, S)], "<=", r)
            lp.rows(f"{N}-ramp_down", ramped,
                    [(1.0, P[:, prev]), (-1.0, P), (-m, U[:, prev]), (m, U), (-m, S)], "<=", r)
        for g, bus in zip(d.units, d.bus):
            lp.inject(bus, p, g)
            lp.add_synchronous(bus, u, g)  # committed capacity spins, whatever its output

    def report(self, sol, d, ctx, rep):
        p, u, s = (sol.value(f"{self.name}-{q}") for q in ("p", "u", "start"))
        for i, g in enumerate(d.units):
            col = f"{self.name}-p[{g}]"
            rep.column(col, p[i])
            rep.column(f"{self.name}-u[{g}]", u[i])
            rep.inject(d.bus[i], col, p[i])
        rep.add("generation", self.carrier, p.sum(axis=0))
        rep.add("committed", self.carrier, u.sum(axis=0))
        rep.add("cost", "fuel_and_om", (d.energy_cost[:, None] * p).sum(axis=0))
        rep.add("cost", "startup", (d.startup[:, None] * s).sum(axis=0) / ctx.weights)  # once a start
        rep.add("co2_t", self.carrier, (d.co2[:, None] * p).sum(axis=0))
        rep.capacity_mw[self.carrier] += float(d.capacity.sum())
