"""The interface every component family implements (GridPath's hooks, one module a family).

A family owns one scenario section (``wind:``, ``coal:``...), each entry of which is a unit.
- ``params``: its parameter declarations (unit, default, meaning), checked before anything runs;
- ``prepare``: load profiles and compute the numbers the model needs, or raise InputError;
- ``build``: declare variables, constraints, costs and balance injections on the LinearProgram;
- ``report``: put hourly columns and totals into the Report.
"""

from __future__ import annotations

import numpy as np

from ..inputs.schema import Param

BUS = Param("-", "jiuquan", "Bus the unit connects to.", kind="string", structural=True)
HEAT_SEASON_START = Param("MM-DD", "11-01", "First day of the heating season (assumption: Gansu's "
                          "statutory season, 1 Nov to 31 Mar).", kind="monthday")
HEAT_SEASON_END = Param("MM-DD", "03-31", "Last day of the heating season.", kind="monthday")
IN_SERVICE = Param("date", None, "Date the unit enters service; before it the unit is unavailable. "
                   "None: in service all along.", kind="date")


class Family:
    key = ""  # scenario section
    name = ""  # prefix of its model components: f"{name}-p"
    doc = ""
    params: dict[str, Param] = {}

    def prepare(self, units: dict, ctx):
        raise NotImplementedError

    def build(self, lp, data, ctx):
        raise NotImplementedError

    def report(self, sol, data, ctx, rep):
        raise NotImplementedError

    def column(self, units: dict, field: str) -> np.ndarray:
        """One number per unit, (U,)."""
        return np.array([units[u][field] for u in units], dtype=float)

    def hourly(self, units: dict, field: str, ctx) -> np.ndarray:
        """A profile parameter for every unit, (U, T); its kind comes from its declaration."""
        kind = self.params[field].profile
        return np.array([ctx.profile(units[u][field], kind, f"{self.key}.{u}.{field}")
                         for u in units]).reshape(len(units), ctx.n)

    def in_service(self, units: dict, ctx) -> np.ndarray:
        """1 from each unit's in-service date on, (U, T)."""
        return np.array([ctx.in_service(units[u]["in_service"]) for u in units]).reshape(len(units), ctx.n)

    def check_buses(self, units: dict, ctx, field="bus"):
        for u, spec in units.items():
            ctx.check_bus(spec[field], f"{self.key}.{u}.{field}")


def stepping(ctx, loss: np.ndarray):
    """What a state carried from one time step to the next needs: the previous step (cyclic: the
    last step precedes the first), each unit's retention ``(1 - loss)^w`` over each step (U, T),
    and the steps' durations ``w`` (all 1 when every hour is modelled)."""
    w = ctx.weights
    return previous(ctx.n), (1.0 - loss[:, None]) ** w, w


def previous(n: int) -> np.ndarray:
    """The step before each step, cyclic: the last step precedes the first."""
    return np.roll(np.arange(n), 1)


def ramp_hours(ctx) -> np.ndarray:
    """Hours between the middles of each time step and the one before: a ramp rate times this
    bounds how far two adjacent step means of a ramp-limited path can differ."""
    w = ctx.weights
    return (w + np.roll(w, 1)) / 2
