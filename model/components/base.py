"""The interface every component family implements (GridPath's hooks, one module a family).

A family owns one scenario section (``wind:``, ``coal:``...), each entry of which is a unit.
- ``params``: its parameter declarations (unit, default, meaning), checked before anything runs;
- ``prepare``: load profiles and compute the numbers the model needs, or raise InputError;
- ``build``: declare variables, constraints, costs and balance injections on the LinearProgram;
- ``report``: put hourly columns and totals into the Report.
"""

from __future__ import annotations

from ..schema import Param

BUS = Param("-", "jiuquan", "Bus the unit connects to.", kind="string")
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

    def check_buses(self, units: dict, ctx, field="bus"):
        for u, spec in units.items():
            ctx.check_bus(spec[field], f"{self.key}.{u}.{field}")
