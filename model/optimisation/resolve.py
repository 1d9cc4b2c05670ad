"""Solve many points of one structure: build once, then update numbers in place and warm-start.

A point whose structural parameters (``Param.structural``) equal the built model's takes its
bounds, costs and right-hand sides from a record-only build (no Pyomo), pushes them into the
HiGHS model that is already loaded, and re-solves from the previous basis. Any other point is
built afresh. ``resolve_cold`` solves the loaded point again without a basis: sweeps do that
now and then, as a check that warm starts reach the same optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .. import progress
from . import build as builder
from . import solve
from .lp import StructureChanged, gc_paused


@dataclass
class Point:
    built: object  # build.Built for this point (its ctx, data and the shared LP)
    solution: object
    timings: dict
    reused: bool


class Resolver:
    def __init__(self, log=False):
        self.log = log
        self.built = None
        self.key = None
        self.h = None

    def solve(self, scenario, mode=None, ceiling=True) -> Point:
        """``ceiling``: as in solve.solve_loaded."""
        t0 = time.perf_counter()
        key = builder.structure_key(scenario, mode)
        reused = self.built is not None and key == self.key
        if reused:
            try:
                point, shadow = builder.numbers(scenario, mode)
                with gc_paused():
                    self.built.lp.update_numbers(shadow)
                point.lp = self.built.lp
                self.built = point
                solve.push_numbers(self.h, point.lp)
            except StructureChanged:
                reused = False
        t_built = time.perf_counter()
        if not reused:
            self.built = builder.build(scenario, mode)
            t_built = time.perf_counter()
            self.h = solve.new_highs(self.built.ctx.values["solver"], self.log)
            solve.handoff(self.h, self.built.lp)
            self.key = key
        t_handoff = time.perf_counter()
        rows, cols = self.built.lp.compiled.shape
        progress.stage(f"solving: {rows:,} rows, {cols:,} columns ({self.built.ctx.values['solver']['method']})")
        sol, solve_s = solve.solve_loaded(self.h, self.built.lp, self.built.ctx, ceiling)
        timings = {"build_s": t_handoff - t0, "model_build_s": t_built - t0,
                   "handoff_s": t_handoff - t_built, "solve_s": solve_s}
        return Point(self.built, sol, timings, reused)

    def basis(self):
        """HiGHS's basis of the point solved last (None before the first)."""
        return None if self.h is None else self.h.getBasis()

    def start_from(self, basis):
        """The next point re-solves from ``basis`` (one of this model's), not the last point's."""
        self.h.setBasis(basis)

    def resolve_cold(self) -> float:
        """Solve the loaded point again without its basis; the objective."""
        self.h.clearSolver()
        sol, _ = solve.solve_loaded(self.h, self.built.lp, self.built.ctx)
        return sol.objective
