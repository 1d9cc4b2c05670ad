"""Scenario files: YAML in, ``extends`` applied, every key checked against its declaration.

A scenario may ``extends: other.yaml`` (relative to itself), or a list of files merged in order,
and override any key; ``key: null`` removes an inherited key (for example a unit). Profile file
paths are relative to the file that names them. Each key remembers the file that set it, so an
error names the right file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from ..components import FAMILIES
from ..errors import Collector, InputError
from ..outputs.output import folder_name
from . import settings, yaml_text
from .schema import check_section, unknown_key_message

_UNIT_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def is_name(text) -> bool:
    """A unit's (or a measure's) name: letters, digits and _ only."""
    return isinstance(text, str) and bool(text) and not set(text) - _UNIT_NAME_CHARS


@dataclass
class Scenario:
    path: Path
    raw: dict  # merged YAML, before checking (used to write the resolved scenario)
    origins: dict  # dotted key -> file that set it
    values: dict = field(default_factory=dict)  # checked, typed, defaults filled

    @property
    def name(self) -> str:
        return self.values["name"]

    def file_of(self, key: str) -> str:
        """The file that set ``key`` or its nearest parent; the top file otherwise."""
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            f = self.origins.get(".".join(parts[:n]))
            if f:
                return f
        return str(self.path)


def read_yaml(path: Path) -> dict:
    if path.is_dir():
        raise InputError(path, None, "is a folder; expected a YAML file")
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: a byte-order mark some editors add
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, None, f"cannot be read: {e}") from None
    try:
        data = yaml_text.load(text)
    except (yaml.YAMLError, ValueError) as e:
        raise InputError(path, None, f"not valid YAML{yaml_text.problem(e)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(path, None, f"expected a mapping of keys at the top level, got {type(data).__name__}")
    return data


def _absolute_profile_paths(node, base: Path):
    """Profile references ``{file, column}`` are relative to the file that writes them."""
    if isinstance(node, dict):
        if isinstance(node.get("file"), str) and "column" in node:
            node["file"] = str((base / node["file"]).resolve())
        for v in node.values():
            _absolute_profile_paths(v, base)
    elif isinstance(node, list):
        for v in node:
            _absolute_profile_paths(v, base)


def _leaves(node, prefix, out, file):
    out[prefix] = file
    if isinstance(node, dict) and not ("file" in node and "column" in node):
        for k, v in node.items():
            _leaves(v, f"{prefix}.{k}" if prefix else str(k), out, file)


def merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if v is None and k in out:
            del out[k]
        elif isinstance(v, dict) and isinstance(out.get(k), dict) and not ("file" in v and "column" in v):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def read_merged(path) -> tuple[dict, dict]:
    """A scenario file (or a lever overlay) with its ``extends`` merged, profile paths made
    absolute: (raw, origins), origins the file that set each dotted key."""
    return _load_raw(Path(path), ())


def overlay(data: dict, folder: Path, file: str) -> tuple[dict, dict]:
    """Scenario keys written inside another file (a measures file's inline overlay): a copy with
    profile paths taken relative to ``folder``, and origins naming ``file``."""
    data, origins = copy.deepcopy(data), {}
    _absolute_profile_paths(data, folder)
    _leaves(data, "", origins, file)
    origins.pop("", None)
    return data, origins


def from_raw(path, raw: dict, origins: dict, overrides=(), source="--set") -> Scenario:
    """A scenario from merged keys (``raw`` is changed in place): ``overrides`` as in load, then
    every key checked."""
    for key, value, *where in overrides:
        set_key(raw, key, value, origins, where[0] if where else source)
    scenario = Scenario(path=Path(path).resolve(), raw=raw, origins=origins)
    scenario.values = check(scenario)
    return scenario


def _load_raw(path: Path, chain: tuple) -> tuple[dict, dict]:
    path = path.resolve()
    if path in chain:
        cycle = " -> ".join(p.name for p in (*chain, path))
        raise InputError(chain[-1], "extends", f"cycle of extends: {cycle}")
    data = read_yaml(path)
    _absolute_profile_paths(data, path.parent)
    origins: dict = {}
    parents = data.pop("extends", None)
    if parents is None:
        parents = []
    elif isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        raise InputError(path, "extends", f"expected a scenario file or a list of them, got {parents!r}")
    base: dict = {}
    for parent in parents:  # later files override earlier ones, and this file overrides them all
        parent_path = path.parent / parent
        if not parent_path.exists():
            raise InputError(path, "extends", f"file not found: {parent_path}")
        more, more_origins = _load_raw(parent_path, (*chain, path))
        base = merge(base, more)
        origins.update(more_origins)
    _leaves(data, "", origins, str(path))
    origins.pop("", None)
    return merge(base, data), origins


def set_key(raw: dict, dotted: str, value, origins: dict, source: str):
    """Override one key (``a.b.c``; ``*`` matches every unit of a section), as --set and sweeps do."""
    parts = dotted.split(".")

    def walk(node, i, path):
        key = parts[i]
        if i == len(parts) - 1:
            node[key] = copy.deepcopy(value)
            origins[".".join(path + [key])] = source
            return
        if key == "*":
            if not isinstance(node, dict) or not node:
                raise InputError(source, dotted, "'*' matches nothing here")
            for k in node:
                walk(node[k], i + 1, path + [k])
            return
        if key not in node:  # a unit or section --set creates is --set's to answer for
            origins[".".join(path + [key])] = source
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise InputError(source, dotted, f"{'.'.join(path + [key])} is not a mapping")
        walk(child, i + 1, path + [key])

    walk(raw, 0, [])


def load(path, overrides=(), source="--set") -> Scenario:
    """Read, merge and check a scenario. ``overrides``: ``(dotted_key, value)`` pairs, which errors
    blame on ``source`` (--set, or the sweep file that varies them), or ``(key, value, source)``
    (a workbook's cell)."""
    raw, origins = read_merged(path)
    return from_raw(path, raw, origins, overrides, source)


def check(scenario: Scenario) -> dict:
    raw, file_of = scenario.raw, scenario.file_of
    families = {f.key: f for f in FAMILIES}
    valid = set(settings.TOP) | set(settings.SECTIONS) | {"buses"} | set(families)
    found = Collector()  # every error of the file, in the order a single error was found before
    for key in raw:
        if key not in valid:
            found.errors.append(InputError(file_of(key), key, unknown_key_message(key, valid)))
    top = {k: v for k, v in raw.items() if k in settings.TOP}
    try:
        values = check_section(top, settings.TOP, file_of, "")
    except InputError as e:  # the sections' profile file names need the weather year
        found.errors.append(e)
        found.raise_any()
    with found.check():
        _fill_file_names(raw, "", values["weather_year"], file_of)
    if values["name"] is None:
        values["name"] = scenario.path.stem
    with found.check():
        folder_name(values["name"], file_of("name"), "name" if "name" in raw else None)
    for section, params in settings.SECTIONS.items():
        with found.check():
            values[section] = check_section(raw.get(section), params, file_of, section)
    with found.check():
        values["buses"] = _units(raw.get("buses", {"jiuquan": {}}), settings.BUS, file_of, "buses")
        if not values["buses"]:
            raise InputError(file_of("buses"), "buses", "expected at least one bus")
    for key, family in families.items():
        with found.check():
            values[key] = _units(raw.get(key), family.params, file_of, key)
    with found.check():
        _method_installed(values.get("solver", {}).get("method"), file_of)
    found.raise_any()
    return values


def _method_installed(method, file_of):
    if method != "hipo":
        return
    from ..optimisation.solve import hipo_available  # asks HiGHS itself, which needs an instance

    if not hipo_available():
        raise InputError(file_of("solver.method"), "solver.method",
                         "hipo needs highspy-extras, which is not installed beside this highspy "
                         f"{metadata.version('highspy')}: `make setup` installs it (or `pip install "
                         f"highspy-extras=={metadata.version('highspy')}`); or choose ipm")


def _fill_file_names(node, key, weather_year, file_of):
    """Put the weather year into profile file names such as ``jiuquan_w{weather_year:02d}.parquet``."""
    if not isinstance(node, dict):
        return
    if isinstance(node.get("file"), str) and "column" in node:
        if "{" in node["file"]:
            if weather_year is None and "weather_year" in node["file"]:
                raise InputError(file_of(key), f"{key}.file", "names {weather_year}, but the scenario sets no "
                                 "weather_year")
            try:
                node["file"] = node["file"].format(weather_year=weather_year)
            except (KeyError, IndexError, ValueError) as e:
                raise InputError(file_of(key), f"{key}.file", f"cannot fill the file name template: {e}") from None
        return
    for k, v in node.items():
        _fill_file_names(v, f"{key}.{k}" if key else str(k), weather_year, file_of)


def _units(raw, params, file_of, section) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(file_of(section), section, "expected a mapping of unit names to their parameters, "
                         f"got {raw!r}")
    out, found = {}, Collector()
    for name, spec in raw.items():
        key = f"{section}.{name}"
        with found.check():
            if not is_name(name):
                raise InputError(file_of(key), key, "unit names use letters, digits and _ only")
            out[name] = check_section(spec, params, file_of, key)
    found.raise_any()
    return out
