"""Electricity storage: batteries and pumped hydro, one formulation.

    {N}-charge[u,t]    in [0, P_in  * s[t]]    MW drawn from the bus
    {N}-discharge[u,t] in [0, P_out * s[t]]    MW delivered to the bus
    {N}-soc[u,t]       in [0, E * s[t]]        MWh stored at the end of time step t
    {N}-soc_balance:  soc[t] - (1 - loss)^w soc[t-1] - w (eta_in charge[t] - discharge[t] / eta_out) == 0

w[t] is the hours of the time step (1 unless hours are merged, model/inputs/aggregation.py).

    {N}-machines[u,t]: rho charge[t] + discharge[t] <= P_out s[t] (+ s[t] new_power in plan mode)

with rho = P_out / P_in (1 when either is 0, as for a plant that plan mode builds from nothing):
charge / P_in + discharge / P_out <= 1, so pumping and generating share the machines (a battery:
its converter) within a time step, and a plant cannot pump and generate at full power at once.

s[t] is 0 before the in-service date. The year wraps around (hour 0 follows the last hour), so
storage ends the year as full as it began and creates no energy. Cost: a throughput cost per
MWh discharged (battery wear, pumped-hydro O&M). Pumped-hydro units are synchronous machines
whether pumping or generating: what spins, rho charge + discharge (MW of generating rating, at
most P_out by the machines row), counts as synchronous capacity for DC support (a lower bound on
what is spinning; commitment is not modelled). P_in and P_out are structural: rho sits in the
matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..inputs.schema import REQUIRED, Param
from ..optimisation import expansion
from .base import BUS, IN_SERVICE, Family, stepping


@dataclass
class Data:
    units: list
    bus: list
    p_in: np.ndarray  # (U, T) MW
    p_out: np.ndarray
    energy: np.ndarray  # (U, T) MWh
    eta_in: np.ndarray  # (U,)
    eta_out: np.ndarray
    loss: np.ndarray  # (U,) per hour
    cost: np.ndarray  # (U,) CNY/MWh discharged
    energy_mwh: np.ndarray  # (U,) rated
    on: np.ndarray  # (U, T) 1 once in service
    power_in_mw: np.ndarray  # (U,) rated charging (pumping) power
    power_out_mw: np.ndarray  # (U,) rated discharging (generating) power
    build: dict  # dimension -> (U,) what plan mode may add
    build_cost: dict  # dimension -> (U,) CNY per MW or MWh added


class Storage(Family):
    synchronous = False
    dims: dict = {}  # "power" / "energy" -> expansion.Dim, for families that plan mode may grow

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        rows = [self.ratings(units[u], f"{self.key}.{u}", ctx) for u in names]
        on = self.in_service(units, ctx)
        p_in, p_out, energy, eta_in, eta_out, loss, cost = np.array(rows, dtype=float).reshape(len(names), 7).T
        build = {k: expansion.build_limits(units, dim, ctx) for k, dim in self.dims.items()}
        build_cost = {k: expansion.annual_cost(units, dim, ctx) for k, dim in self.dims.items()}
        grow = {k: build.get(k, np.zeros(len(names))) for k in ("power", "energy")}
        return Data(names, [units[u]["bus"] for u in names], (p_in + grow["power"])[:, None] * on,
                    (p_out + grow["power"])[:, None] * on, (energy + grow["energy"])[:, None] * on, eta_in, eta_out,
                    loss, cost, energy, on, p_in, p_out, build, build_cost)

    def ratings(self, spec, key, ctx):
        """(P_in, P_out, E, eta_in, eta_out, loss per hour, cost per MWh out) of one unit."""
        raise NotImplementedError

    def build(self, lp, d, ctx):
        N = self.name
        c = lp.var(f"{N}-charge", d.units, 0.0, d.p_in, role="flexible_draw")
        x = lp.var(f"{N}-discharge", d.units, 0.0, d.p_out, cost=d.cost[:, None])
        soc = lp.var(f"{N}-soc", d.units, 0.0, d.energy)
        prev, keep, w = stepping(ctx, d.loss)
        lp.rows(f"{N}-soc_balance", d.units, [(1.0, soc.index), (-keep, soc.index[:, prev]),
                                               (-w * d.eta_in[:, None], c.index),
                                               (w * (1.0 / d.eta_out)[:, None], x.index)], "==")
        new = {}
        for k, dim in self.dims.items():
            limited = [(c, d.power_in_mw), (x, d.power_out_mw)] if k == "power" else [(soc, d.energy_mwh)]
            new[k] = expansion.link(lp, N, dim, d.units, d.build[k], d.build_cost[k], d.on, limited)
        rho = machine_ratio(d.power_in_mw, d.power_out_mw)
        r = dict(zip(d.units, rho.tolist()))
        terms = [(rho[:, None], c.index), (1.0, x.index)]
        grow = new.get("power")
        if grow is not None:  # the new machines, in the rows of the units that may build them
            built = [grow.of(u) if u in grow.block.units else -1 for u in d.units]
            terms.append((-d.on, np.array(built)[:, None]))
        lp.rows(f"{N}-machines", d.units, terms, "<=", d.power_out_mw[:, None] * d.on)
        for u, bus in zip(d.units, d.bus):
            lp.inject(bus, x, u)
            lp.inject(bus, c, u, -1.0)
            if self.synchronous:  # what spins, once: the machines row bounds it by P_out
                lp.add_synchronous(bus, x, u)
                lp.add_synchronous(bus, c, u, coef=r[u])

    def report(self, sol, d, ctx, rep):
        N = self.name
        c, x, soc = (sol.value(f"{N}-{q}") for q in ("charge", "discharge", "soc"))
        for i, u in enumerate(d.units):
            rep.column(f"{N}-charge[{u}]", c[i])
            rep.column(f"{N}-discharge[{u}]", x[i])
            rep.column(f"{N}-soc[{u}]", soc[i], "MWh")
            rep.inject(d.bus[i], f"{N}-discharge[{u}]", x[i] - c[i])
        w = ctx.weights
        added = {k: expansion.report(sol, N, dim, d.units, d.power_out_mw if k == "power" else d.energy_mwh,
                                     d.build_cost[k], rep) for k, dim in self.dims.items()}
        energy = d.energy_mwh + added.get("energy", 0.0)
        rep.add("storage_charge", self.key, c.sum(axis=0))
        rep.add("storage_discharge", self.key, x.sum(axis=0))
        rep.add("cost", "storage_throughput", (d.cost[:, None] * x).sum(axis=0))
        out = x @ w
        rep.scalars.setdefault("storage", {}).update({
            u: {"family": self.key, "energy_mwh": float(energy[i]), "charge_mwh": float(c[i] @ w),
                "discharge_mwh": float(out[i]),
                "cycles": float(out[i] / energy[i]) if energy[i] else 0.0,
                "soc_min_mwh": float(soc[i].min()), "soc_max_mwh": float(soc[i].max())}
            for i, u in enumerate(d.units)})


def machine_ratio(p_in: np.ndarray, p_out: np.ndarray) -> np.ndarray:
    """rho = P_out / P_in of each unit; 1 where either is 0 (nothing installed yet)."""
    ok = (p_in > 0) & (p_out > 0)
    return np.where(ok, p_out / np.where(ok, p_in, 1.0), 1.0)


class Battery(Storage):
    key, name, carrier = "battery", "Battery", "battery"
    doc = "Battery storage (inverter-based: no synchronous support)."
    params = {
        "bus": BUS,
        "power_mw": Param("MW", REQUIRED, "Charge and discharge power, shared: charge + discharge <= power_mw.",
                          min=0),
        "energy_mwh": Param("MWh", None, "Energy capacity; give this or duration_h.", min=0),
        "duration_h": Param("h", None, "Energy capacity in hours at full power; give this or energy_mwh.", min=0),
        "charge_efficiency": Param("-", 0.95, "Fraction of the energy drawn that is stored (assumption: "
                                   "lithium-ion, round trip about 0.90).", min=0, max=1, above_min=True,
                                   structural=True),
        "discharge_efficiency": Param("-", 0.95, "Fraction of the energy taken from store that reaches "
                                      "the bus (assumption).", min=0, max=1, above_min=True, structural=True),
        "self_discharge_per_h": Param("1/h", 0.0001, "Fraction of the stored energy lost each hour "
                                      "(assumption: about 2% a week).", min=0, max=1, below_max=True, structural=True),
        "throughput_cost_cny_per_mwh": Param("CNY/MWh", 30.0, "Wear cost per MWh discharged (assumption).", min=0),
        "in_service": IN_SERVICE,
    }
    dims = {
        "power": expansion.Dim("power", "mw", "kw", 300.0, 10.0, "assumption: converters and grid connection"),
        "energy": expansion.Dim("energy", "mwh", "kwh", 650.0, 5.0, "FACTS: about 650 CNY/kWh, China ~2020"),
    }
    params.update(expansion.declare(list(dims.values()), 12, "assumption: lithium-ion cell life"))

    def ratings(self, s, key, ctx):
        if (s["energy_mwh"] is None) == (s["duration_h"] is None):
            raise InputError(ctx.scenario.file_of(key), key, "expected exactly one of energy_mwh and duration_h")
        energy = s["energy_mwh"] if s["energy_mwh"] is not None else s["duration_h"] * s["power_mw"]
        return (s["power_mw"], s["power_mw"], energy, s["charge_efficiency"], s["discharge_efficiency"],
                s["self_discharge_per_h"], s["throughput_cost_cny_per_mwh"])


class PumpedHydro(Storage):
    key, name, carrier = "pumped_hydro", "PumpedHydro", "pumped_hydro"
    doc = "Pumped-hydro storage (synchronous machines)."
    synchronous = True
    params = {
        "bus": BUS,
        "pump_mw": Param("MW", REQUIRED, "Pumping power. The machines pump or generate: charge / pump_mw "
                         "+ discharge / turbine_mw <= 1 in each time step.", min=0, structural=True),
        "turbine_mw": Param("MW", REQUIRED, "Generating power.", min=0, structural=True),
        "reservoir_mwh": Param("MWh", REQUIRED, "Upper reservoir, in MWh of generation.", min=0),
        "cycle_efficiency": Param("-", 0.75, "MWh generated per MWh pumped (Gansu's plants: Huangyang "
                                  "1.6/2.133 TWh = 0.75, Pingchuan 0.735; FACTS.md).", min=0, max=1,
                                  above_min=True, structural=True),
        "vom_cny_per_mwh": Param("CNY/MWh", 5.0, "Variable O&M per MWh generated (assumption).", min=0),
        "in_service": IN_SERVICE,
    }

    dims = {
        "power": expansion.Dim("power", "mw", "kw", 5250.0, 30.0, "FACTS: pumped hydro about 5,250 CNY/kW; "
                               "Yumen's budget implies about 8,470"),
        "energy": expansion.Dim("energy", "mwh", "kwh", 100.0, 0.0, "assumption: a larger reservoir, per kWh "
                                "of generation"),
    }
    params.update(expansion.declare(list(dims.values()), 50, "assumption"))

    def ratings(self, s, key, ctx):
        # The reservoir is counted in MWh of generation, so all losses sit on the pumping side.
        return (s["pump_mw"], s["turbine_mw"], s["reservoir_mwh"], s["cycle_efficiency"], 1.0, 0.0,
                s["vom_cny_per_mwh"])
