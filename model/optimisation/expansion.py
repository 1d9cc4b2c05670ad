"""Capacity expansion (plan mode): new capacity is a decision, at annualised cost.

A family declares each dimension that may grow (a wind farm's capacity; a battery's power and,
separately, its energy) with ``declare``. In plan mode, for a unit with a build limit above 0:

    {N}-new_{dim}[u] in [0, build_max]
        cost = (capital x CRF(r, lifetime) + fixed O&M) x share of the year modelled
    every variable x that the dimension bounds, x[u,t] <= s[u,t] K[u], gets headroom in its bound
    and the row  {N}-{dim}_limit[u,t]:  x[u,t] - s[u,t] new[u] <= s[u,t] K[u]
    CRF(r, n) = r (1 + r)^n / ((1 + r)^n - 1)

Outside plan mode, or with no build limit, nothing changes: the capacity stays a bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..inputs.schema import Param


@dataclass(frozen=True)
class Dim:
    name: str  # capacity, power, energy
    unit: str  # mw or mwh: of the capacity
    per: str  # kw or kwh: of the capital cost
    capital: float  # default CNY per kW or kWh
    fixed_om: float  # default CNY per kW or kWh and year
    source: str  # where the defaults come from

    def _prefix(self):
        return "" if self.name == "capacity" else f"{self.name}_"

    @property
    def build_max(self):
        return f"build_{self._prefix()}max_{self.unit}"

    @property
    def capital_key(self):
        return f"capital_cost_{self._prefix()}cny_per_{self.per}"

    @property
    def fixed_om_key(self):
        return f"fixed_om_{self._prefix()}cny_per_{self.per}_yr"


def declare(dims: list[Dim], lifetime_years: float, lifetime_source: str) -> dict[str, Param]:
    """The plan-mode parameters of a family's expandable dimensions."""
    params = {}
    for d in dims:
        params[d.build_max] = Param(d.unit.upper().replace("MWH", "MWh"), 0.0, f"Plan mode: the most new {d.name} "
                                    "that may be built; 0: none.", min=0, structural=True)
        params[d.capital_key] = Param(f"CNY/{d.per.replace('kwh', 'kWh').replace('kw', 'kW')}", d.capital,
                                      f"Capital cost of new {d.name} ({d.source}).", min=0)
        params[d.fixed_om_key] = Param(f"CNY/{d.per.replace('kwh', 'kWh').replace('kw', 'kW')}/yr", d.fixed_om,
                                       f"Fixed O&M of new {d.name} (assumption).", min=0)
    params["lifetime_years"] = Param("yr", lifetime_years, f"Economic lifetime of new capacity ({lifetime_source}).",
                                     min=1)
    return params


def crf(rate: float, years: float) -> float:
    if rate == 0:
        return 1.0 / years
    growth = (1 + rate) ** years
    return rate * growth / (growth - 1)


def build_limits(units: dict, dim: Dim, ctx) -> np.ndarray:
    """Each unit's build limit in plan mode (MW or MWh), zeros otherwise."""
    if ctx.mode != "plan":
        return np.zeros(len(units))
    return np.array([units[u][dim.build_max] for u in units], dtype=float)


def annual_cost(units: dict, dim: Dim, ctx) -> np.ndarray:
    """Cost of one MW (or MWh) of new capacity over the modelled hours, CNY."""
    rate = ctx.values["plan"]["discount_rate"]
    per_kw = np.array([units[u][dim.capital_key] * crf(rate, units[u]["lifetime_years"]) + units[u][dim.fixed_om_key]
                       for u in units])
    return per_kw * 1000.0 * ctx.year_fraction


def link(lp, family: str, dim: Dim, names: list, limits: np.ndarray, cost: np.ndarray, scale: np.ndarray,
         limited: list):
    """Declare the new capacity of the units that may build, and tie each variable to it.

    ``scale`` (U, T): availability or in-service share; ``limited``: (variables from lp.var,
    existing capacity (U,)) pairs: the pump and the turbine of a plant may differ."""
    idx = np.flatnonzero(limits > 0)
    if not idx.size:
        return None
    units = [names[i] for i in idx]
    new = lp.var(f"{family}-new_{dim.name}", units, 0.0, limits[idx], cost=cost[idx], hourly=False, role="investment")
    for k, (x, base) in enumerate(limited):
        suffix = f"_{k + 1}" if len(limited) > 1 else ""
        limited_cols = np.array([x.of(u) for u in units])
        lp.rows(f"{family}-{dim.name}_limit{suffix}", units,
                [(1.0, limited_cols), (-scale[idx], new.index[:, None])], "<=",
                scale[idx] * base[idx, None])
    return new


def report(sol, family: str, dim: Dim, names: list, base: np.ndarray, cost: np.ndarray, rep) -> np.ndarray:
    """New capacity per unit (zeros where none may be built); records it as an addition."""
    added = np.zeros(len(names))
    name = f"{family}-new_{dim.name}"
    if name in sol.lp.vars:
        block = sol.lp.vars[name]
        values = sol.value(name)
        for u, v in zip(block.units, values):
            i = names.index(u)
            added[i] = v
            rep.scalars.setdefault("additions", []).append({
                "unit": u, "family": family, "dimension": dim.name, "existing": float(base[i]),
                "added": float(v), "unit_of_measure": dim.unit.upper().replace("MWH", "MWh"),
                "annualised_cost_cny": float(v * cost[i])})
    return added


def ties(sol, lp) -> dict:
    """Build options interchangeable at the margin. An LP solver returns one vertex of the optimal
    set, and which one depends on the method (simplex or interior point), so ties are reported
    rather than left to the method: an option left unbuilt is tied when another least-cost plan
    builds it (model/optimisation/solve.py, _tied_options, finds how much); the plan is then one of several
    least-cost plans. Options built between their bounds form the margin they are interchangeable
    with."""
    found = sol.tied_options or {}
    tied, margin = [], []
    for b in lp.blocks("investment"):
        values = sol.value(b.name)
        for i, u in enumerate(b.units):
            entry = {"option": f"{b.name}[{u}]", "added": float(values[i])}
            if int(b.cols[i]) in found:
                tied.append({**entry, "could_add": found[int(b.cols[i])]})
            elif b.lb[i] + 1e-6 * max(1.0, b.ub[i]) < values[i] < b.ub[i] - 1e-6 * max(1.0, b.ub[i]):
                margin.append(entry)
    note = ("unique at the margin: no least-cost plan builds an option this one leaves out" if not tied else
            "tie: " + ", ".join(f"{t['option']} (up to {t['could_add']:,.1f})" for t in tied)
            + " could replace part of " + (", ".join(m["option"] for m in margin) or "the built options")
            + " at the same least cost; this plan is one of several least-cost plans")
    return {"tied": bool(tied), "interchangeable": tied, "margin": margin, "note": note}
