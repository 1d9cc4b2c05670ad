"""Corridors between buses: a transport model with capacity and loss in each direction.

    Corridor-forward[c, t] in [0, capacity * a[t] s[t]]          from -> to
    Corridor-reverse[c, t] in [0, capacity_reverse * a[t] s[t]]  to -> from
    the receiving bus gets (1 - loss) of what the sending bus sends;
    s[t] = 1 from the in-service date on, 0 before (a circuit added during the year is its own
    corridor with its own date).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..inputs.schema import REQUIRED, Param
from .base import IN_SERVICE, Family


@dataclass
class Data:
    units: list
    start: list
    end: list
    fwd: np.ndarray  # (U, T)
    rev: np.ndarray
    loss: np.ndarray  # (U,)


class Corridor(Family):
    key, name = "corridors", "Corridor"
    doc = "Transmission between buses."
    params = {
        "from_bus": Param("-", REQUIRED, "Sending bus of the forward direction.", kind="string",
                          structural=True),
        "to_bus": Param("-", REQUIRED, "Receiving bus of the forward direction.", kind="string",
                        structural=True),
        "capacity_mw": Param("MW", REQUIRED, "Forward capacity.", min=0),
        "capacity_reverse_mw": Param("MW", None, "Reverse capacity; none: the forward capacity.", min=0),
        "availability": Param("-", 1.0, "Hourly available fraction.", kind="profile", profile="availability"),
        "loss": Param("-", 0.0, "Fraction lost in transit.", min=0, max=1, below_max=True, structural=True),
        "in_service": IN_SERVICE,
    }

    def prepare(self, units, ctx):
        self.check_buses(units, ctx, "from_bus")
        self.check_buses(units, ctx, "to_bus")
        names = list(units)
        for u in names:
            if units[u]["from_bus"] == units[u]["to_bus"]:
                key = f"{self.key}.{u}.to_bus"
                raise InputError(ctx.scenario.file_of(key), key, "expected a bus other than from_bus")
        avail = self.hourly(units, "availability", ctx) * self.in_service(units, ctx)
        cap = self.column(units, "capacity_mw")
        rev = np.array([units[u]["capacity_reverse_mw"] if units[u]["capacity_reverse_mw"] is not None
                        else units[u]["capacity_mw"] for u in names], dtype=float)
        return Data(names, [units[u]["from_bus"] for u in names], [units[u]["to_bus"] for u in names],
                    cap[:, None] * avail, rev[:, None] * avail,
                    self.column(units, "loss"))

    def build(self, lp, d, ctx):
        fwd = lp.var("Corridor-forward", d.units, 0.0, d.fwd, role="corridor")
        rev = lp.var("Corridor-reverse", d.units, 0.0, d.rev, role="corridor")
        for u, a, b, loss in zip(d.units, d.start, d.end, d.loss):
            lp.inject(a, fwd, u, -1.0)
            lp.inject(b, fwd, u, 1.0 - loss)
            lp.inject(b, rev, u, -1.0)
            lp.inject(a, rev, u, 1.0 - loss)

    def report(self, sol, d, ctx, rep):
        fwd, rev = sol.value("Corridor-forward"), sol.value("Corridor-reverse")
        for i, u in enumerate(d.units):
            rep.column(f"Corridor-forward[{u}]", fwd[i])
            rep.column(f"Corridor-reverse[{u}]", rev[i])
            keep = 1.0 - d.loss[i]
            rep.inject(d.start[i], f"Corridor-forward[{u}]", -fwd[i] + keep * rev[i])
            rep.inject(d.end[i], f"Corridor-reverse[{u}]", keep * fwd[i] - rev[i])
            rep.add("corridor_loss", u, d.loss[i] * (fwd[i] + rev[i]))
