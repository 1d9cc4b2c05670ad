"""Imports from the provincial grid.

    Import-p[i, t] in [0, min(capacity, local load at its bus[t])]

Imports serve local load only (base demand and contracted direct purchase): the bound keeps
provincial power from flowing straight out on the export lines in the same hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema import REQUIRED, Param
from .base import BUS, Family


@dataclass
class Data:
    units: list
    bus: list
    ub: np.ndarray  # (U, T)
    price: np.ndarray  # (U, T)


class Import(Family):
    key, name = "imports", "Import"
    doc = "Imports from the provincial grid."
    params = {
        "bus": BUS,
        "capacity_mw": Param("MW", REQUIRED, "Largest import.", min=0),
        "price_cny_per_mwh": Param("CNY/MWh", REQUIRED, "Price paid per MWh imported.", kind="profile",
                                   profile="price"),
    }

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        bus = [units[u]["bus"] for u in names]
        ub = np.array([np.minimum(units[u]["capacity_mw"], ctx.local_load[b]) for u, b in zip(names, bus)])
        price = np.array([ctx.profile(units[u]["price_cny_per_mwh"], "price", f"{self.key}.{u}.price_cny_per_mwh")
                          for u in names])
        return Data(names, bus, ub.reshape(len(names), ctx.n), price.reshape(len(names), ctx.n))

    def build(self, lp, d, ctx):
        p = lp.var("Import-p", d.units, 0.0, d.ub, cost=d.price, role="import")
        for u, bus in zip(d.units, d.bus):
            lp.inject(bus, p, u)

    def report(self, sol, d, ctx, rep):
        p = sol.value("Import-p")
        for i, u in enumerate(d.units):
            col = f"Import-p[{u}]"
            rep.column(col, p[i])
            rep.inject(d.bus[i], col, p[i])
        rep.add("import", "provincial_grid", p.sum(axis=0))
        rep.add("cost", "import", (d.price * p).sum(axis=0))
