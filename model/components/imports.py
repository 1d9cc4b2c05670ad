"""Imports from the provincial grid.

    Import-p[i, t] in [0, capacity]

Provincial power may pass through (a DC line's minimum flow is met by the whole Gansu grid on
calm nights); it does not count toward the export target, which is measured net of imports by
default (target.net_of_imports), and max-export never imports to export (model/optimisation/modes.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..inputs.schema import REQUIRED, Param
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
        ub = self.column(units, "capacity_mw")[:, None] * np.ones(ctx.n)
        return Data(names, bus, ub, self.hourly(units, "price_cny_per_mwh", ctx))

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
