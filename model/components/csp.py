"""Concentrating solar power (CSP) with thermal storage: a synchronous, dispatchable plant.

With turbine P (MWe), power-block efficiency eta, solar multiple SM, storage H hours and the
field profile phi[t] (field heat output as a fraction of its design output, driven by DNI):

    field design heat F = SM * P / eta                       (MWth)
    CSP-field[u,t] in [0, phi[t] F s[t]]     heat collected and used; the rest is dumped
    CSP-p[u,t]     in [0, P s[t]]            electricity sent out
    CSP-soc[u,t]   in [0, H P / eta s[t]]    heat in store at the end of time step t (MWh_th)
    CSP-heat_balance: soc[t] - (1 - loss)^w soc[t-1] - w (field[t] - p[t] / eta) == 0

w[t] is the hours of the time step (1 unless hours are merged, model/inputs/aggregation.py).

So electricity never exceeds eta times the heat collected, and it can flow at night from store.
s[t] is 0 before the in-service date; the year wraps around, as for all storage. The output
counts as synchronous capacity for DC support (the turbine is a synchronous machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..inputs.schema import REQUIRED, Param
from ..optimisation import expansion
from .base import BUS, IN_SERVICE, Family, stepping


@dataclass
class Data:
    units: list
    bus: list
    capacity: np.ndarray  # (U,) MWe
    p_max: np.ndarray  # (U, T)
    heat: np.ndarray  # (U, T) MWth available from the field
    store: np.ndarray  # (U, T) MWh_th
    eta: np.ndarray  # (U,)
    loss: np.ndarray
    vom: np.ndarray
    field_design: np.ndarray  # (U,) MWth
    store_mwh: np.ndarray  # (U,) MWh_th
    on: np.ndarray  # (U, T)
    phi: np.ndarray  # (U, T) field profile
    build: dict  # dimension -> (U,) plan mode: what may be added
    build_cost: dict


class CSP(Family):
    key, name, carrier = "csp", "CSP", "csp"
    doc = "Solar thermal (CSP) plants with heat storage."
    params = {
        "bus": BUS,
        "turbine_mw": Param("MW", REQUIRED, "Turbine (power block) capacity, electric.", min=0),
        "solar_multiple": Param("-", 2.5, "Field design heat over the turbine's heat input at full "
                                "load (assumption: typical of tower plants with long storage).", min=0),
        "storage_hours": Param("h", 11.0, "Heat storage, in hours of the turbine at full load.", min=0),
        "power_block_efficiency": Param("-", 0.40, "Electricity per unit of heat (assumption: "
                                        "molten-salt tower steam cycle).", min=0, max=1, above_min=True,
                                        structural=True),
        "storage_loss_per_h": Param("1/h", 0.001, "Fraction of stored heat lost each hour "
                                    "(assumption: about 2.4% a day).", min=0, max=1, below_max=True, structural=True),
        "field": Param("-", REQUIRED, "Field heat output as a fraction of its design output (DNI "
                       "driven).", kind="profile", profile="availability"),
        "vom_cny_per_mwh": Param("CNY/MWh", 20.0, "Variable O&M per MWh sent out (assumption).", min=0),
        "in_service": IN_SERVICE,
    }
    # A split of FACTS' 12,000-22,500 CNY/kW (assumption): with solar multiple 2.5, efficiency 0.4
    # and 11 h of storage it sums to about 19,400 CNY/kWe.
    dims = {
        "turbine": expansion.Dim("turbine", "mw", "kw", 4000.0, 60.0, "assumption: power block, per kWe"),
        "field": expansion.Dim("field", "mw", "kw", 1800.0, 20.0, "assumption: solar field, per kW of heat"),
        "storage": expansion.Dim("storage", "mwh", "kwh", 150.0, 2.0, "assumption: molten salt, per kWh of heat"),
    }
    params.update(expansion.declare(list(dims.values()), 25, "assumption"))

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        col = partial(self.column, units)
        P, eta = col("turbine_mw"), col("power_block_efficiency")
        on = self.in_service(units, ctx)
        phi = self.hourly(units, "field", ctx)
        field_design = col("solar_multiple") * P / eta
        store = col("storage_hours") * P / eta
        build = {k: expansion.build_limits(units, dim, ctx) for k, dim in self.dims.items()}
        cost = {k: expansion.annual_cost(units, dim, ctx) for k, dim in self.dims.items()}
        return Data(names, [units[u]["bus"] for u in names], P, (P + build["turbine"])[:, None] * on,
                    (field_design + build["field"])[:, None] * phi * on, (store + build["storage"])[:, None] * on,
                    eta, col("storage_loss_per_h"), col("vom_cny_per_mwh"), field_design, store, on, phi, build, cost)

    def build(self, lp, d, ctx):
        q = lp.var("CSP-field", d.units, 0.0, d.heat)
        p = lp.var("CSP-p", d.units, 0.0, d.p_max, cost=d.vom[:, None])
        soc = lp.var("CSP-soc", d.units, 0.0, d.store)
        prev, keep, w = stepping(ctx, d.loss)
        lp.rows("CSP-heat_balance", d.units,
                [(1.0, soc.index), (-keep, soc.index[:, prev]), (-w, q.index),
                 (w * (1.0 / d.eta)[:, None], p.index)], "==")
        limited = {"turbine": (d.on, [(p, d.capacity)]), "field": (d.on * d.phi, [(q, d.field_design)]),
                   "storage": (d.on, [(soc, d.store_mwh)])}
        for k, dim in self.dims.items():
            scale, pairs = limited[k]
            expansion.link(lp, "CSP", dim, d.units, d.build[k], d.build_cost[k], scale, pairs)
        for u, bus in zip(d.units, d.bus):
            lp.inject(bus, p, u)
            lp.add_synchronous(bus, p, u)

    def report(self, sol, d, ctx, rep):
        q, p, soc = (sol.value(f"CSP-{x}") for x in ("field", "p", "soc"))
        added = {k: expansion.report(sol, "CSP", dim, d.units, base, d.build_cost[k], rep)
                 for (k, dim), base in zip(self.dims.items(), (d.capacity, d.field_design, d.store_mwh))}
        heat = (d.field_design + added["field"])[:, None] * d.phi * d.on  # available, with what plan mode built
        for i, u in enumerate(d.units):
            rep.column(f"CSP-p[{u}]", p[i])
            rep.column(f"CSP-field[{u}]", q[i], "MWth")
            rep.column(f"CSP-dumped[{u}]", heat[i] - q[i], "MWth")
            rep.column(f"CSP-soc[{u}]", soc[i], "MWh_th")
            rep.inject(d.bus[i], f"CSP-p[{u}]", p[i])
        rep.add("generation", self.carrier, p.sum(axis=0))
        rep.add("csp_heat_dumped", "csp", (heat - q).sum(axis=0))
        rep.add("cost", "variable_om", (d.vom[:, None] * p).sum(axis=0))
        rep.capacity_mw[self.carrier] += float((d.capacity + added["turbine"]).sum())
