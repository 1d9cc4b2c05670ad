"""Assemble the model: check the scenario, let each family prepare its data, then build the LP."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..components import FAMILIES, curtailment
from ..errors import InputError
from ..inputs import aggregation, settings
from ..inputs.profiles import TIME_COLUMN
from ..inputs.scenario import Scenario
from . import modes, network
from .context import Context
from .lp import LinearProgram, gc_paused


@dataclass
class Built:
    ctx: Context
    data: dict  # family key -> prepared data, for the families that have units
    lp: LinearProgram | None = None

    @property
    def families(self):
        return [f for f in FAMILIES if f.key in self.data]


def prepare(scenario: Scenario, mode: str | None = None) -> Built:
    """Everything short of building: profiles loaded and every value checked (``validate``).

    With ``time.segments_per_day``, the families prepare twice: over every hour (which loads and
    checks the profiles that tsam then segments), and over the merged time steps."""
    ctx = Context.create(scenario, mode)
    data = _prepare_families(scenario, ctx)
    per_day = scenario.values["time"]["segments_per_day"]
    if per_day is not None:
        if ctx.n % 24:
            raise InputError(scenario.file_of("time.segments_per_day"), "time.segments_per_day",
                             f"needs whole days, but time.hours is {ctx.n}")
        features = ctx.profiles.table().drop(columns=TIME_COLUMN)
        ctx = ctx.segmented(aggregation.segment_days(features, per_day))
        data = _prepare_families(scenario, ctx)
    return Built(ctx, data)


def _prepare_families(scenario: Scenario, ctx: Context) -> dict:
    return {f.key: f.prepare(scenario.values[f.key], ctx) for f in FAMILIES if scenario.values[f.key]}


def _declare(lp: LinearProgram, built: Built):
    for f in built.families:
        f.build(lp, built.data[f.key], built.ctx)
    curtailment.build(lp, built)
    network.build(lp, built.ctx)
    modes.build(lp, built.ctx)


def build(scenario: Scenario, mode: str | None = None, backend: str | None = None) -> Built:
    """Prepare and compile; ``backend`` (default: the scenario's ``solver.model_build``) is
    ``arrays``, straight from the declarations, or ``pyomo``, through a Pyomo model."""
    built = prepare(scenario, mode)
    ctx = built.ctx
    lp = LinearProgram(ctx.n, ctx.weights, hour_index=ctx.index,
                       backend=backend or ctx.values["solver"]["model_build"])
    with gc_paused():
        _declare(lp, built)
        lp.set_objective()
        lp.compile()
    built.lp = lp
    return built


def pyomo_model(scenario: Scenario, mode: str | None = None):
    """The scenario's model as a Pyomo ConcreteModel (variables and constraints named as the
    blocks, ``System-cost`` the objective), to extend or to solve through a Pyomo solver."""
    built = prepare(scenario, mode)
    lp = LinearProgram(built.ctx.n, built.ctx.weights, backend="pyomo")
    with gc_paused():
        _declare(lp, built)
        lp.set_objective()
    return lp.model


def numbers(scenario: Scenario, mode: str | None = None) -> tuple[Built, LinearProgram]:
    """A point's data and its LP numbers (bounds, costs, right-hand sides), without Pyomo."""
    built = prepare(scenario, mode)
    shadow = LinearProgram(built.ctx.n, built.ctx.weights, record_only=True)
    _declare(shadow, built)
    return built, shadow


def structure_key(scenario: Scenario, mode: str | None = None) -> str:
    """Equal for two scenarios whose models differ only in numbers: the values of every
    structural parameter, the units of every family, the mode and the hours."""
    v = scenario.values
    buses = {b: {k: spec[k] for k, p in settings.BUS.items() if p.structural}
             for b, spec in v["buses"].items()}
    parts = {"mode": mode or v["mode"], "time": v["time"], "buses": buses}
    for section, params in settings.SECTIONS.items():
        parts[section] = {k: v[section][k] for k, p in params.items() if p.structural}
    parts["top"] = {k: v[k] for k, p in settings.TOP.items() if p.structural}
    for f in FAMILIES:
        parts[f.key] = {u: {k: spec[k] for k, p in f.params.items() if p.structural}
                        for u, spec in v[f.key].items()}
    if curtailment.matrix_holds_availability(v):  # a pro-rata group of buses: wind and PV in the matrix
        parts["curtailment_pool"] = {"weather_year": v["weather_year"], "wind": v["wind"], "pv": v["pv"]}
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
