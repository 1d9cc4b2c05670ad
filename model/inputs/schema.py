"""Parameter declarations: each scenario parameter is declared once, with unit, default and meaning.

Families and top-level sections declare a ``dict[str, Param]``; :func:`check_section` turns the raw
YAML mapping into typed values with defaults filled, or raises one :class:`InputError` naming the
file and key. The same declarations print the parameter reference (``run.py schema``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from ..errors import Collector, InputError

REQUIRED = object()
LARGEST = 1e12  # above every capacity, energy or price in CNY a scenario holds; 1e308 overflows the LP

PROFILE_KINDS = {
    "availability": "a fraction of capacity in [0, 1]",
    "shape": "a non-negative shape, scaled by its annual energy",
    "price": "a price in CNY/MWh",
    "temperature": "a temperature in degrees Celsius",
}


@dataclass(frozen=True)
class ProfileRef:
    """A profile as written in a scenario: a constant, an inline list, a day's 24 hours repeated
    every day, or a file column."""

    value: float | None = None
    values: tuple[float, ...] | None = None
    daily: tuple[float, ...] | None = None  # by local clock hour 0-23
    file: str | None = None
    column: str | None = None
    timezone: str | None = None  # of naive timestamps in the file
    sheet: str | None = None  # of an .xlsx workbook; the first sheet if not given


@dataclass(frozen=True)
class Param:
    unit: str
    default: Any = REQUIRED
    doc: str = ""
    kind: str = "number"  # number | integer | string | title | bool | choice | date | monthday | windows | profile
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    profile: str = ""  # for kind == "profile": a key of PROFILE_KINDS
    below_max: bool = False  # the maximum itself is excluded (losses < 1)
    above_min: bool = False  # the minimum itself is excluded (efficiencies > 0)
    # Structural: the value enters the constraint matrix or decides which rows exist, so a
    # change needs a rebuild. Every other parameter only moves bounds, costs or right-hand
    # sides, and a built model is updated in place (sweeps re-solve without rebuilding).
    structural: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def expected(self) -> str:
        """What a valid value looks like, for error messages and the reference table."""
        unit = f" ({self.unit})" if self.unit and self.unit != "-" else ""
        if self.kind == "number":
            return f"a number{unit}{_range_text(self.min, self.max, self.below_max, self.above_min)}"
        if self.kind == "integer":
            bounds = [f"{op} {x:g}" for op, x in ((">=", self.min), ("<=", self.max)) if x is not None]
            return f"a whole number{unit}" + (" " + " and ".join(bounds) if bounds else "")
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "date":
            return f"a date YYYY-MM-DD from {FIRST_DATE.year} to {LAST_DATE.year}"
        if self.kind == "monthday":
            return "a day of the year MM-DD"
        if self.kind == "windows":
            return "a list of local-hour windows such as ['1-5', '11-17'] (from hour, to hour)"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "title":
            return "{zh: 中文标题, en: English title} (or one text for both)"
        if self.kind == "profile":
            return (f"a number, a list of numbers, {{daily: [24 numbers]}} or "
                    f"{{file: ..., column: ...}}{unit}, {PROFILE_KINDS[self.profile]}")
        return "a text string"


def _range_text(lo, hi, below_max=False, above_min=False):
    if lo is not None and hi is not None:
        left = "above" if above_min else "from"
        return f" {left} {lo:g} to {hi:g}" + (" (exclusive)" if below_max else "")
    if lo is not None:
        return f" > {lo:g}" if above_min else f" >= {lo:g}"
    if hi is not None:
        return f" <= {hi:g}"
    return ""


def _number(value, param, file, key):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = ""
        with_unit = isinstance(value, str) and re.match(r"\s*[-+]?[0-9.][0-9.,_]*\s*[^\W\d_]", value)
        if with_unit and param.unit != "-":
            hint = f"; give a plain number in {param.unit}, without its unit"
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}{hint}")
    x = float(value)
    if not math.isfinite(x):
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
    if abs(x) > LARGEST:
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}: beyond ±{LARGEST:g}, "
                         "no planning figure, and the solver's arithmetic would overflow")
    if (param.min is not None and (x < param.min or (param.above_min and x == param.min))) or (
        param.max is not None and (x > param.max or (param.below_max and x == param.max))
    ):
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
    return x


def check_value(value, param: Param, file, key):
    """Return ``value`` converted to the declared kind, or raise InputError."""
    kind = param.kind
    if value is None and not param.required and param.default is None:
        return None
    if kind == "number":
        return _number(value, param, file, key)
    if kind == "integer":
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:  # 1e4 reads as a float
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
        return int(_number(value, param, file, key))
    if kind == "string":
        if not isinstance(value, str):
            raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
        return value
    if kind == "title":
        return _title(value, param, file, key)
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
        return value
    if kind == "choice":
        if value not in param.choices:
            raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
        return value
    if kind == "date":
        return parse_date(value, param, file, key)
    if kind == "monthday":
        return parse_monthday(value, file, key)
    if kind == "windows":
        return parse_windows(value, param, file, key)
    if kind == "profile":
        return _profile(value, param, file, key)
    raise AssertionError(f"unknown parameter kind {kind}")


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)  # within pandas' clock, with room


def _title(value, param, file, key) -> dict:
    """A title in both report languages: {zh: ..., en: ...}; one text serves both."""
    if isinstance(value, str) and value.strip():
        return {"zh": value, "en": value}
    if (isinstance(value, dict) and set(value) == {"zh", "en"}
            and all(isinstance(v, str) and v.strip() for v in value.values())):
        return dict(value)
    raise InputError(file, key, f"expected {param.expected()}, got {value!r}")


def parse_date(value, param, file, key) -> dt.date:
    """A calendar day; a clock time other than 00:00 is refused, not silently dropped."""
    why = ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError as e:
            why = "" if str(e).startswith("Invalid isoformat") else f" ({e})"
    if isinstance(value, dt.datetime):
        if value.time() != dt.time() or value.tzinfo is not None:
            raise InputError(file, key, f"expected {param.expected()}, got {str(value)!r}: the day starts "
                             "at 00:00 local time, give the date alone")
        value = value.date()
    if not isinstance(value, dt.date) or not FIRST_DATE <= value <= LAST_DATE:
        shown = str(value) if isinstance(value, dt.date) else value
        raise InputError(file, key, f"expected {param.expected()}, got {shown!r}{why}")
    return value


def parse_monthday(value, file, key) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    try:
        if not m:
            raise ValueError
        month, day = int(m.group(1)), int(m.group(2))
        dt.date(2020, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise InputError(file, key, f"expected a day of the year MM-DD, got {value!r}") from None
    return month, day


def parse_windows(value, param, file, key) -> tuple[bool, ...]:
    """['8-14', '20-24'] -> 24 flags, True in hours 8..13 and 20..23 (local time)."""
    if not isinstance(value, list) or not value:
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
    hours = [False] * 24
    for item in value:
        m = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", str(item))
        if not m or not (0 <= int(m.group(1)) < int(m.group(2)) <= 24):
            raise InputError(file, key, f"expected {param.expected()}, got {item!r}")
        for h in range(int(m.group(1)), int(m.group(2))):
            hours[h] = True
    return tuple(hours)


def _profile(value, param, file, key):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ProfileRef(value=_profile_number(value, param, file, key))
    if isinstance(value, list):
        if not value:
            raise InputError(file, key, f"expected {param.expected()}, got an empty list")
        return ProfileRef(values=tuple(_profile_number(v, param, file, f"{key}[{i}]")
                                       for i, v in enumerate(value)))
    if isinstance(value, dict) and "daily" in value:
        hours = value["daily"]
        if set(value) != {"daily"} or not isinstance(hours, list) or len(hours) != 24:
            raise InputError(file, key, f"expected {{daily: [24 values, one per clock hour from "
                             f"0:00]}}, got {value!r}")
        return ProfileRef(daily=tuple(_profile_number(v, param, file, f"{key}.daily[{i}]")
                                      for i, v in enumerate(hours)))
    if isinstance(value, dict):
        unknown = set(value) - {"file", "column", "timezone", "sheet"}
        if unknown or not isinstance(value.get("file"), str) or not isinstance(value.get("column"), str):
            raise InputError(file, key, f"expected {{file: PATH, column: NAME}} (and optionally timezone: "
                             f"NAME, sheet: NAME for .xlsx), got {value!r}")
        sheet = value.get("sheet")
        if sheet is not None and not (isinstance(sheet, str) and value["file"].lower().endswith(".xlsx")):
            raise InputError(file, f"{key}.sheet", f"expected the name of a sheet of an .xlsx file, got "
                             f"{sheet!r} for {value['file']}")
        tz = value.get("timezone")
        if tz is not None:
            try:
                zoneinfo.ZoneInfo(str(tz))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise InputError(file, f"{key}.timezone", f"unknown time zone {tz!r}; expected a name such "
                                 "as UTC or Asia/Shanghai") from None
        return ProfileRef(file=value["file"], column=value["column"], timezone=tz, sheet=sheet)
    raise InputError(file, key, f"expected {param.expected()}, got {value!r}")


def _profile_number(value, param, file, key):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
    lo, hi = profile_bounds(param.profile)
    if value < lo or value > hi:
        raise InputError(file, key, f"expected {param.expected()}, got {value!r}")
    return float(value)


def profile_bounds(kind):
    return {"availability": (0.0, 1.0), "shape": (0.0, LARGEST), "price": (-LARGEST, LARGEST),
            "temperature": (-90.0, 60.0)}[kind]


def unknown_key_message(key, valid):
    near = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.5)
    hint = f"; did you mean {near[0]!r}?" if near else f"; valid keys: {', '.join(sorted(valid))}"
    return f"unknown key{hint}"


def check_section(raw, params: dict[str, Param], file_of, path: str) -> dict:
    """Check one mapping against its declarations; ``file_of(dotted_key)`` names the file."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(file_of(path), path, f"expected a mapping of keys, got {raw!r}")
    def dotted(name):
        return f"{path}.{name}" if path else str(name)

    found = Collector()
    for key in raw:
        if key not in params:
            found.errors.append(InputError(file_of(dotted(key)), dotted(key),
                                           unknown_key_message(key, params)))
    out = {}
    for name, param in params.items():
        key = dotted(name)
        with found.check():
            if name in raw:
                out[name] = check_value(raw[name], param, file_of(key), key)
            elif param.required:
                raise InputError(file_of(path), key, f"missing; expected {param.expected()}")
            else:  # defaults go through the same conversion, so "11-01" becomes (11, 1)
                out[name] = None if param.default is None else check_value(param.default, param,
                                                                           "defaults", key)
    found.raise_any()
    return out


def reference_table(title, params: dict[str, Param]) -> str:
    """A Markdown table of a section's parameters (the scenario reference)."""
    lines = [f"### {title}", "", "| key | unit | default | meaning |", "|---|---|---|---|"]
    for name, p in params.items():
        default = "required" if p.required else ("none" if p.default is None else repr(p.default))
        lines.append(f"| `{name}` | {p.unit} | {default} | {p.doc} Expected: {p.expected()}. |")
    return "\n".join(lines) + "\n"
