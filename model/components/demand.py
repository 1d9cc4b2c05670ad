"""Local base demand: a shape scaled to an annual energy. It is fixed; unserved energy is priced.

    d[u, t] = annual_mwh / hours_in_year * shape[t] / mean(shape over its whole source)

so a run of a week from a year-long profile gets that week's share of the year's energy. Its
inputs/scenario.yaml carries annual_mwh * mean(shape over the run) / mean(shape over its source),
since inputs/profiles.parquet keeps only the run's hours: the re-run draws the same MW.
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
    load: np.ndarray  # (U, T) MW


class Demand(Family):
    key, name, carrier = "demand", "Demand", "demand"
    doc = "Local base demand (fixed)."
    params = {
        "bus": BUS,
        "annual_mwh": Param("MWh/yr", REQUIRED, "Energy over a full year.", min=0),
        "profile": Param("-", 1.0, "Hourly shape; only its relative values matter.", kind="profile",
                         profile="shape"),
    }

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        load = np.zeros((len(names), ctx.n))
        for i, u in enumerate(names):
            key = f"{self.key}.{u}.profile"
            shape, mean = ctx.profile(units[u]["profile"], "shape", key, with_mean=True)
            if mean <= 0:
                raise InputError(ctx.scenario.file_of(key), key, "expected a shape with a positive mean")
            load[i] = units[u]["annual_mwh"] / ctx.hours_in_year * shape / mean
            ctx.rescale_for_inputs(f"{self.key}.{u}.annual_mwh", units[u]["annual_mwh"], mean, ctx.window_mean(key))
            ctx.demand[units[u]["bus"]] += load[i]
        return Data(names, [units[u]["bus"] for u in names], load)

    def build(self, lp, d, ctx):
        """Nothing to decide: the load enters the right-hand side of Bus-balance."""

    def report(self, sol, d, ctx, rep):
        for i, u in enumerate(d.units):
            col = f"Demand-p[{u}]"
            rep.column(col, d.load[i])
            rep.inject(d.bus[i], col, -d.load[i])
        rep.add("demand", "local", d.load.sum(axis=0))
