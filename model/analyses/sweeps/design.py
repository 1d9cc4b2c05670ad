"""Sweep files and the points they describe.

A sweep file names a base scenario and the scenario keys to vary, in one of four designs:

    name: wind_x_line                    # default: the file name
    base: ../jiuquan_2019.yaml           # relative to the sweep file
    mode: target                         # optional: overrides the scenario's mode
    fixed: {solver.time_limit_s: 600}    # optional: the same overrides at every point
    cold_check_every: 10                 # optional: solve every Nth point cold as well
    outputs: record                      # optional: record (summary and KPIs) | full (+ hourly...)
    design: grid                         # grid | one-at-a-time | latin-hypercube | weather-years
    parameters:
      wind.jiuquan_wind.capacity_mw: [8000, 10450, 13000]      # grid: values; every combination
      export_lines.qishao_dc.operating_limit_mw: [4000, 8000]

- one-at-a-time: values for each key, varied one key at a time around the base (a tornado chart);
  the base itself is point 0;
- latin-hypercube: ``points: N`` and ``seed``, each key given as ``[low, high]`` (scipy's qmc);
- weather-years: ``years: [1, 2, 3]`` or ``years: {from: 1, to: 30}``: each point one weather year.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.stats import qmc

from ...components import FAMILIES
from ...errors import InputError
from ...inputs.scenario import read_yaml
from ...inputs.schema import check_value, parse_date, unknown_key_message
from ...inputs.settings import MODES, SECTIONS, TOP
from ...outputs.output import folder_name

DESIGNS = ("grid", "one-at-a-time", "latin-hypercube", "weather-years")
MAX_POINTS = 100_000  # more would not finish in a working week; a typo such as to: 1e9 must not hang
KEYS = {"name", "title", "description", "base", "mode", "fixed", "design", "parameters", "points", "seed", "years",
        "cold_check_every", "outputs"}
OUTPUTS = ("record", "full")


@dataclass
class Sweep:
    path: Path
    name: str
    base: Path
    design: str
    mode: str | None
    fixed: dict
    parameters: dict  # key -> values, or [low, high] for latin-hypercube
    cold_check_every: int
    points: list = field(default_factory=list)  # list of {key: value} overrides, in order
    # record: a point's record only (its summary's KPIs in the table), the lean default, since
    # writing a year's hourly outputs costs more than a warm re-solve; full: each point's folder too.
    outputs: str = "record"
    title: dict | None = None  # {zh, en}: the sweep's name in its report


def load(path) -> Sweep:
    path = Path(path)
    raw = read_yaml(path)

    def fail(key, msg):
        raise InputError(path, key, msg)

    for key in raw:
        if key not in KEYS:
            fail(key, unknown_key_message(key, KEYS))
    if not isinstance(raw.get("base"), str):
        fail("base", "expected the path of the base scenario file")
    base = (path.parent / raw["base"]).resolve()
    if not base.is_file():
        fail("base", f"expected a scenario file, got the folder {base}" if base.is_dir()
             else f"file not found: {base}")
    design = raw.get("design")
    if design not in DESIGNS:
        fail("design", f"expected one of {', '.join(DESIGNS)}, got {design!r}")
    mode = raw.get("mode")
    if mode is not None and mode not in MODES:
        fail("mode", f"expected one of {', '.join(MODES)}, got {mode!r}")
    fixed = raw.get("fixed") or {}
    params = raw.get("parameters") or {}
    if not isinstance(fixed, dict):
        fail("fixed", "expected a mapping of scenario keys to values")
    if not isinstance(params, dict) or (design != "weather-years" and not params):
        fail("parameters", "expected a mapping of scenario keys to their values")
    every = raw.get("cold_check_every", 10)
    if isinstance(every, bool) or not isinstance(every, int) or every < 0:
        fail("cold_check_every", f"expected a whole number >= 0 (0: never), got {every!r}")
    outputs = raw.get("outputs", "record")
    if outputs not in OUTPUTS:
        fail("outputs", f"expected one of {', '.join(OUTPUTS)}, got {outputs!r}")
    name = raw.get("name") or path.stem
    folder_name(name, path, "name" if "name" in raw else None)
    title = check_value(raw["title"], TOP["title"], path, "title") if raw.get("title") is not None else None
    sweep = Sweep(path.resolve(), name, base, design, mode, fixed, params, every, outputs=outputs, title=title)
    sweep.points = _points(sweep, raw, fail)
    return sweep


def _declared(key: str):
    """The declaration of a dotted scenario key (``*`` for any unit), or None if it has none."""
    parts = key.split(".")
    families = {f.key: f.params for f in FAMILIES}
    if len(parts) == 1:
        return TOP.get(parts[0])
    if len(parts) == 2:
        return SECTIONS.get(parts[0], {}).get(parts[1])
    return families.get(parts[0], {}).get(parts[2]) if len(parts) == 3 else None


def _values(key, values, fail, length=None):
    if not isinstance(values, list) or not values or (length and len(values) != length):
        what = f"a list of {length} values [low, high]" if length else "a non-empty list of values"
        fail(f"parameters.{key}", f"expected {what}, got {values!r}")
    # A value of the wrong type is a mistake in the sweep file; a value out of range is one
    # failed point (recorded with its error), as a value the model cannot solve is.
    param = _declared(key)
    for v in values:
        if isinstance(v, (list, dict)) and (param is None or param.kind != "profile"):
            fail(f"parameters.{key}", f"expected single values, got {v!r}")
        if param is None:
            continue
        if param.kind in ("number", "integer") and not _is_number(v):
            fail(f"parameters.{key}", f"expected numbers, {param.expected()}; got {v!r}")
        if param.kind == "bool" and not isinstance(v, bool):
            fail(f"parameters.{key}", f"expected true or false, got {v!r}")
        if param.kind == "date":
            try:
                parse_date(v, param, None, None)
            except InputError as e:
                fail(f"parameters.{key}", e.message)
    return values


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _whole(raw, key, fail, default=None, low=0, high=MAX_POINTS):
    n = raw.get(key, default)
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if isinstance(n, bool) or not isinstance(n, int) or not low <= n <= high:
        fail(key, f"expected a whole number from {low} to {high:,}, got {n!r}")
    return n


def _count(key, n, fail):
    if n > MAX_POINTS:
        fail(key, f"gives {n:,} points; at most {MAX_POINTS:,} in one sweep")


def _points(sweep, raw, fail) -> list[dict]:
    params = sweep.parameters
    if sweep.design == "grid":
        lists = [_values(k, v, fail) for k, v in params.items()]
        _count("parameters", math.prod(map(len, lists)), fail)
        return [dict(zip(params, combo)) for combo in itertools.product(*lists)]
    if sweep.design == "one-at-a-time":
        points = [{}]
        for key, values in params.items():
            points += [{key: v} for v in _values(key, values, fail)]
        return points
    if sweep.design == "latin-hypercube":
        n, seed = _whole(raw, "points", fail, low=1), _whole(raw, "seed", fail, 0, high=2**32 - 1)
        bounds = [_values(k, v, fail, 2) for k, v in params.items()]
        for key, (lo, hi) in zip(params, bounds):
            if not (_is_number(lo) and _is_number(hi)) or lo >= hi:
                fail(f"parameters.{key}", f"expected numbers [low, high] with low < high, got {[lo, hi]!r}")
        unit = qmc.LatinHypercube(d=len(bounds), seed=seed).random(n)
        scaled = qmc.scale(unit, [b[0] for b in bounds], [b[1] for b in bounds])
        return [dict(zip(params, map(float, row))) for row in np.atleast_2d(scaled)]
    years = raw.get("years")
    if isinstance(years, dict) and set(years) == {"from", "to"}:
        first, last = (_whole(years, k, lambda _, msg, k=k: fail(f"years.{k}", msg), low=1)
                       for k in ("from", "to"))
        years = list(range(first, last + 1))
    whole = all(isinstance(y, int) and not isinstance(y, bool) and y >= 1 for y in years or ())
    if not isinstance(years, list) or not years or not whole:
        fail("years", f"expected a list of weather years or {{from: 1, to: 30}}, got {years!r}")
    lists = [_values(k, v, fail) for k, v in params.items()]
    _count("years", len(years) * math.prod(map(len, lists)), fail)
    extra = [dict(zip(params, combo)) for combo in itertools.product(*lists)]
    return [{"weather_year": y, **e} for e in extra for y in years]
