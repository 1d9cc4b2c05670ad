"""Measures files (scenarios/measures/): lever overlays in a planner's order, each with its titles,
size, in-service date and cost and their sources, read and checked here; what is done with them
is model/analyses/measures.py. Every error names the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Collector, InputError
from ..outputs.output import folder_name
from . import scenario
from .schema import REQUIRED, Param, check_section

FILE = {
    "name": Param(
        "-", None, "Name of the analysis; results go to results/measures_<name>/.", kind="string"
    ),
    "title": Param("-", None, "Titles of the analysis, {zh: ..., en: ...}.", kind="title"),
    "description": Param("-", "", "Free text.", kind="string"),
    "interaction_share": Param(
        "-",
        0.2,
        "Shapley values for the measures whose alone and "
        "last-added contributions differ by more than this share of the "
        "larger.",
        min=0,
        max=1,
    ),
    "shapley_orders": Param(
        "-",
        8,
        "Orders sampled for the Shapley values, in antithetic pairs (a random order and its "
        "reverse), so an even number; every order when there are no more of them. Each order "
        "costs at most one solve a measure; the standard error over the pairs is reported "
        "(--shapley-orders overrides it).",
        kind="integer",
        min=2,
        max=1000,
    ),
    "seed": Param("-", 2019, "Seed of the sampled orders.", kind="integer", min=0),
    "time_segments_per_day": Param(
        "-",
        None,
        "The resolution of every set: the scenario's time.segments_per_day, set on the base "
        "before --set (so --set time.segments_per_day=null solves every hour). None: the "
        "scenario's own. The report states it beside every figure.",
        kind="integer",
        min=1,
        max=24,
    ),
}
MEASURE = {
    "id": Param("-", REQUIRED, "Short name (letters, digits, _).", kind="string"),
    "title": Param("-", None, "{zh: ..., en: ...}", kind="title"),
    "size": Param("-", None, "What is added, {zh: ..., en: ...}.", kind="title"),
    "source": Param("-", "", "Where the size comes from, or 'assumption'.", kind="string"),
    "in_service": Param("date", None, "First day it can run.", kind="date"),
    "in_service_source": Param(
        "-", "", "Where the date comes from, or 'assumption'.", kind="string"
    ),
    "capital_cost_cny": Param("CNY", None, "Investment; none: not known.", min=0),
    "fixed_om_cny_per_yr": Param("CNY/yr", 0.0, "Fixed O&M a year.", min=0),
    "lifetime_years": Param("yr", 25, "Economic lifetime of the investment.", min=1),
    "cost_source": Param("-", "", "Where the cost comes from, or 'assumption'.", kind="string"),
    "note": Param("-", None, "What a planner must know (shown in the report).", kind="title"),
}
# A measure's scenario keys: lever files (merged in order), then keys written inline.
OVERLAY_KEYS = ("levers", "overlay")


@dataclass
class Measure:
    id: str
    spec: dict  # checked values of MEASURE
    raw: dict  # the overlay, merged, profile paths absolute
    origins: dict

    def title(self, lang):
        t = self.spec["title"]
        return t[lang] if t else self.id


@dataclass
class Plan:
    path: Path
    spec: dict
    measures: list


def load(path, shapley_orders: int | None = None) -> Plan:
    """Read and check a measures file; ``shapley_orders`` (--shapley-orders) replaces the file's."""
    path = Path(path)
    raw = scenario.read_yaml(path)
    found = Collector()
    top = {k: v for k, v in raw.items() if k != "measures"}
    where = lambda _: path  # noqa: E731
    if shapley_orders is not None:
        top["shapley_orders"], where = (
            shapley_orders,
            lambda k: "--shapley-orders" if k == "shapley_orders" else path,
        )
    with found.check():
        spec = check_section(top, FILE, where, "")
        if spec["shapley_orders"] % 2:
            raise InputError(
                where("shapley_orders"),
                "shapley_orders",
                f"expected an even number (orders come in antithetic pairs), got "
                f"{spec['shapley_orders']}",
            )
    items = raw.get("measures")
    if not isinstance(items, list) or not items:
        found.errors.append(
            InputError(
                path,
                "measures",
                "expected a list of measures (each a mapping with id, title, levers or overlay)",
            )
        )
        found.raise_any()
    measures, seen = [], set()
    for i, item in enumerate(items):
        key = f"measures[{i}]"
        with found.check():
            measures.append(_measure(path, key, item, seen))
    found.raise_any()
    if spec["name"] is None:
        spec["name"] = path.stem
    folder_name(spec["name"], path, "name")
    return Plan(path.resolve(), spec, measures)


def _measure(path: Path, key: str, item, seen: set) -> Measure:
    if not isinstance(item, dict):
        raise InputError(
            path, key, f"expected a mapping with id, title, levers or overlay, got {item!r}"
        )
    fields = {k: v for k, v in item.items() if k not in OVERLAY_KEYS}
    spec = check_section(fields, MEASURE, lambda _: path, key)
    mid = spec["id"]
    if not scenario.is_name(mid):
        raise InputError(path, f"{key}.id", f"expected letters, digits and _ only, got {mid!r}")
    if mid in seen:
        raise InputError(path, f"{key}.id", f"{mid!r} is listed twice")
    seen.add(mid)
    levers, inline = item.get("levers", []), item.get("overlay", {})
    if isinstance(levers, str):
        levers = [levers]
    if not isinstance(levers, list) or not all(isinstance(x, str) for x in levers):
        raise InputError(
            path, f"{key}.levers", f"expected a lever file or a list of them, got {levers!r}"
        )
    if not isinstance(inline, dict):
        raise InputError(
            path, f"{key}.overlay", f"expected a mapping of scenario keys, got {inline!r}"
        )
    if not levers and not inline:
        raise InputError(
            path,
            key,
            "expected levers (files) or an overlay (keys): a measure must change something",
        )
    raw, origins = {}, {}
    for lever in levers:
        lever_path = path.parent / lever
        if not lever_path.exists():
            raise InputError(path, f"{key}.levers", f"file not found: {lever_path}")
        more, where = scenario.read_merged(lever_path)
        raw, origins = scenario.merge(raw, more), {**origins, **where}
    inline, where = scenario.overlay(inline, path.parent, f"{path} ({key}.overlay)")
    return Measure(mid, spec, scenario.merge(raw, inline), {**origins, **where})
