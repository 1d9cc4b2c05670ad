"""Variable renewables (wind, PV, run-of-river hydro): output up to an hourly availability.

    {Name}-p[u, t] in [r[u] a[u, t] K[u], a[u, t] * K[u]]   (bounds, so a sweep of K moves no row)
    curtailment[u, t] = a[u, t] * K[u] - p[u, t]   (reported; 弃风/弃光 rate = curtailed / available)

r is the must-take share (0 by default): for hydro, the releases a cascade must make whatever
the load (irrigation, ecological flow, the downstream plants' water). Wind and PV pooled under
the pro-rata rule have no output of their own and refuse it.

Hydro's output counts as synchronous capacity for DC support (its generators spin). A
curtailment penalty pi adds pi * (a K - p) to the objective: a constant and -pi on p.

Under system.curtailment_rule pro_rata (the default), wind and PV declare no output of their own:
model/components/curtailment.py pools them by bus and shares the pool's output among the units
in proportion to what each could produce (the same curtailed fraction for every unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..inputs.schema import REQUIRED, Param
from ..optimisation import expansion
from . import curtailment
from .base import BUS, Family


@dataclass
class Data:
    units: list
    bus: list
    capacity: np.ndarray  # (U,)
    availability: np.ndarray  # (U, T) fraction
    vom: np.ndarray  # (U,)
    build: np.ndarray  # (U,) plan mode: MW that may be added
    build_cost: np.ndarray  # (U,) CNY per MW added, over the modelled hours
    must_take: np.ndarray  # (U,)
    output: np.ndarray | None = None  # (U, T) under the pro-rata rule: each unit's share of its pool

    @property
    def available(self):
        return self.capacity[:, None] * self.availability


class Renewable(Family):
    def __init__(self, key, name, carrier, doc, availability_default=REQUIRED, synchronous=False, dim=None,
                 lifetime=(25, "assumption")):
        self.key, self.name, self.carrier, self.doc = key, name, carrier, doc
        self.synchronous, self.dim = synchronous, dim
        self.pooled = key in curtailment.POOLED
        self.params = {
            "bus": BUS,
            "capacity_mw": Param("MW", REQUIRED, "Installed capacity.", min=0),
            "availability": Param("-", availability_default, "Hourly available output as a fraction "
                                  "of capacity (weather and outages).", kind="profile",
                                  profile="availability"),
            "vom_cny_per_mwh": Param("CNY/MWh", 0.0, "Variable operation and maintenance cost.", min=0),
            "must_take": Param("-", 0.0, "Share of the available output that must be taken (hydro: "
                               "releases the cascade must make).", min=0, max=1),
            **(expansion.declare([dim], *lifetime) if dim else {}),
        }

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        cap = self.column(units, "capacity_mw")
        avail = self.hourly(units, "availability", ctx)
        build = expansion.build_limits(units, self.dim, ctx) if self.dim else np.zeros(len(names))
        if self.pooled and curtailment.rule(ctx) == "pro_rata":
            for u in names:
                if units[u]["must_take"]:
                    key = f"{self.key}.{u}.must_take"
                    raise InputError(ctx.scenario.file_of(key), key, "expected 0: wind and PV "
                                     "share their curtailment pro rata (system.curtailment_rule)")
        cost = np.zeros(len(names))
        if build.any():
            # new capacity adds to what is available, so it carries its share of the curtailment penalty
            penalty = ctx.values["system"]["curtailment_penalty_cny_per_mwh"]
            cost = expansion.annual_cost(units, self.dim, ctx) + penalty * (avail * ctx.weights).sum(axis=1)
        return Data(names, [units[u]["bus"] for u in names], cap, avail, self.column(units, "vom_cny_per_mwh"),
                    build, cost, self.column(units, "must_take"))

    def build(self, lp, d, ctx):
        penalty = ctx.values["system"]["curtailment_penalty_cny_per_mwh"]
        if self.pooled and curtailment.rule(ctx) == "pro_rata":  # the pool carries output and penalty
            lp.constant += penalty * float(np.sum(d.available * ctx.weights))
            if d.build.any():
                expansion.link(lp, self.name, self.dim, d.units, d.build, d.build_cost, d.availability, [])
            return
        ub = (d.capacity + d.build)[:, None] * d.availability
        p = lp.var(f"{self.name}-p", d.units, d.must_take[:, None] * d.available, ub,
                   cost=d.vom[:, None] - penalty)
        lp.constant += penalty * float(np.sum(d.available * ctx.weights))
        if d.build.any():
            expansion.link(lp, self.name, self.dim, d.units, d.build, d.build_cost, d.availability, [(p, d.capacity)])
        for u, bus in zip(d.units, d.bus):
            lp.inject(bus, p, u)
            if self.synchronous:
                lp.add_synchronous(bus, p, u)

    def report(self, sol, d, ctx, rep):
        p = d.output if d.output is not None else sol.value(f"{self.name}-p")
        capacity = d.capacity
        if self.dim:
            capacity = capacity + expansion.report(sol, self.name, self.dim, d.units, d.capacity, d.build_cost, rep)
        available = capacity[:, None] * d.availability
        for i, u in enumerate(d.units):
            col = f"{self.name}-p[{u}]"
            rep.column(col, p[i])
            rep.column(f"{self.name}-curtailment[{u}]", available[i] - p[i])
            rep.inject(d.bus[i], col, p[i])
        rep.add("generation", self.carrier, p.sum(axis=0))
        rep.add("available", self.carrier, available.sum(axis=0))
        rep.add("curtailment", self.carrier, (available - p).sum(axis=0))
        rep.add("cost", "variable_om", (d.vom[:, None] * p).sum(axis=0))
        rep.capacity_mw[self.carrier] += float(capacity.sum())
