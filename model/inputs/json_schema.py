"""A JSON Schema (draft 2020-12) of scenario files, made from the same declarations the loader
checks against, so editors complete keys and underline mistakes as the loader would refuse them.

Looser than the loader where a value is only known in context: any key may be ``null`` (it
removes an inherited value), no key is required (a file that extends another may give part of
a unit), and ``{weather_year}`` templates are plain text.
"""

from __future__ import annotations

from .. import __version__
from ..components import FAMILIES
from .schema import LARGEST, Param, profile_bounds
from .settings import BUS, SECTIONS, TOP

UNIT_NAME = "^[A-Za-z0-9_]+$"
_DATE = r"^\d{4}-\d{2}-\d{2}( 00:00(:00)?)?$"


def _number(p: Param, kind="number") -> dict:
    out = {"type": kind, "minimum": -LARGEST, "maximum": LARGEST}
    if p.min is not None:
        out["exclusiveMinimum" if p.above_min else "minimum"] = p.min
        if p.above_min:
            del out["minimum"]
    if p.max is not None:
        out["exclusiveMaximum" if p.below_max else "maximum"] = p.max
        if p.below_max:
            del out["maximum"]
    return out


def _profile(p: Param) -> dict:
    lo, hi = profile_bounds(p.profile)
    number = {"type": "number", "minimum": lo, "maximum": hi}
    ref = {"type": "object", "required": ["file", "column"], "additionalProperties": False,
           "properties": {"file": {"type": "string", "description": "CSV, Parquet or .xlsx, relative "
                                   "to this file"},
                          "column": {"type": "string"},
                          "sheet": {"type": "string", "description": "the sheet of an .xlsx file"},
                          "timezone": {"type": "string"}}}
    daily = {"type": "object", "required": ["daily"], "additionalProperties": False,
             "properties": {"daily": {"type": "array", "minItems": 24, "maxItems": 24,
                                      "items": number,
                                      "description": "one value per local clock hour from 0:00, "
                                      "the same every day"}}}
    return {"oneOf": [number, {"type": "array", "minItems": 1, "items": number}, daily, ref]}


def _value(p: Param) -> dict:
    kind = p.kind
    if kind in ("number", "integer"):
        out = _number(p, kind)
    elif kind == "string":
        out = {"type": "string"}
    elif kind == "bool":
        out = {"type": "boolean"}
    elif kind == "title":
        text = {"type": "string", "minLength": 1}
        out = {"oneOf": [text, {"type": "object", "additionalProperties": False,
                                "required": ["zh", "en"], "properties": {"zh": text, "en": text}}]}
    elif kind == "choice":
        out = {"enum": list(p.choices)}
    elif kind == "date":
        out = {"type": "string", "pattern": _DATE}
    elif kind == "monthday":
        out = {"type": "string", "pattern": r"^\d{2}-\d{2}$"}
    elif kind == "windows":
        out = {"type": "array", "items": {"type": "string", "pattern": r"^\d{1,2}-\d{1,2}$"}}
    elif kind == "profile":
        out = _profile(p)
    else:
        raise AssertionError(f"unknown parameter kind {kind}")
    unit = f" [{p.unit}]" if p.unit and p.unit != "-" else ""
    default = "" if p.required or p.default is None else f" Default: {p.default}."
    expected = f" Expected: {p.expected()}." if kind == "profile" else ""
    return {"anyOf": [out, {"type": "null"}], "description": f"{p.doc}{unit}{default}{expected}"}


def _section(params: dict, doc: str = "") -> dict:
    out = {"type": ["object", "null"], "additionalProperties": False,
           "properties": {name: _value(p) for name, p in params.items()}}
    if doc:
        out["description"] = doc
    return out


def _units(params: dict, doc: str) -> dict:
    unit = _section(params)
    return {"type": ["object", "null"], "description": doc, "additionalProperties": False,
            "patternProperties": {UNIT_NAME: unit}}


def scenario_schema() -> dict:
    props = {name: _value(p) for name, p in TOP.items()}
    props["extends"] = {"description": "a scenario file, or a list merged in order, that this one "
                        "overrides (relative to this file)",
                        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    props.update({name: _section(params) for name, params in SECTIONS.items()})
    props["buses"] = _units(BUS, "buses of the network, by name")
    props.update({f.key: _units(f.params, f.doc) for f in FAMILIES})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"hexi-scenario-{__version__}.json",
            "title": "Hexi clean-power scenario", "type": "object",
            "additionalProperties": False, "properties": props}


def measures_schema() -> dict:
    """A JSON Schema of measures files (model/inputs/measures_file.py): the file's keys, and each
    measure's, with its overlay checked as scenario keys."""
    from .measures_file import FILE, MEASURE

    scenario_keys = {k: v for k, v in scenario_schema()["properties"].items() if k != "extends"}
    measure = _section(MEASURE)
    measure["type"] = "object"
    measure["required"] = ["id"]
    measure["properties"]["levers"] = {
        "description": "lever files (scenario overlays, relative to this file), merged in order",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    measure["properties"]["overlay"] = {
        "type": "object", "additionalProperties": False, "properties": scenario_keys,
        "description": "scenario keys the measure sets, as in a scenario file (after its levers)"}
    measure["anyOf"] = [{"required": ["levers"]}, {"required": ["overlay"]}]
    props = {name: _value(p) for name, p in FILE.items()}
    props["shapley_orders"]["anyOf"][0]["multipleOf"] = 2
    props["measures"] = {"type": "array", "minItems": 1, "items": measure,
                         "description": "the measures, in the planner's order"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"hexi-measures-{__version__}.json",
            "title": "Hexi clean-power measures file", "type": "object", "required": ["measures"],
            "additionalProperties": False, "properties": props}
