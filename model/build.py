"""Assemble the model: check the scenario, let each family prepare its data, then build the LP."""

from __future__ import annotations

from dataclasses import dataclass

from . import modes, network
from .components import FAMILIES
from .context import Context
from .lp import LinearProgram, gc_paused
from .scenario import Scenario


@dataclass
class Built:
    ctx: Context
    data: dict  # family key -> prepared data, for the families that have units
    lp: LinearProgram | None = None

    @property
    def families(self):
        return [f for f in FAMILIES if f.key in self.data]


def prepare(scenario: Scenario, mode: str | None = None) -> Built:
    """Everything short of building: profiles loaded and every value checked (``validate``)."""
    ctx = Context.create(scenario, mode)
    data = {f.key: f.prepare(scenario.values[f.key], ctx) for f in FAMILIES if scenario.values[f.key]}
    return Built(ctx, data)


def build(scenario: Scenario, mode: str | None = None) -> Built:
    built = prepare(scenario, mode)
    ctx = built.ctx
    lp = LinearProgram(ctx.n, ctx.weights, hour_index=ctx.index)
    with gc_paused():
        for f in built.families:
            f.build(lp, built.data[f.key], ctx)
        network.build(lp, ctx)
        modes.build(lp, ctx)
        lp.set_objective()
        lp.compile()
    built.lp = lp
    return built
