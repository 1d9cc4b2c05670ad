"""Every run-specific word of the reports from one place: a run's title, its mode and the names
of its buses, so a renamed folder or a new scenario is named alike in tables, charts and pages."""

from __future__ import annotations

from pathlib import Path

MODES = {
    "dispatch": ("经济调度", "cost-optimal dispatch"),
    "target": ("含外送目标的调度", "dispatch with the target"),
    "max-export": ("最大外送能力", "maximum export"),
    "plan": ("规划（最低成本新增装机）", "plan (least-cost additions)"),
}
BUS_NAMES = {"jiuquan": ("酒泉", "Jiuquan")}
DESIGNS = {
    "grid": ("网格", "grid"),
    "one-at-a-time": ("逐一变动", "one at a time"),
    "latin-hypercube": ("拉丁超立方抽样", "Latin hypercube samples"),
    "weather-years": ("多气象年", "weather years"),
}


def say(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def pick(pair, lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def title(s: dict, lang: str) -> str:
    """The scenario's title (scenario file ``title:``), its name where it has none."""
    t = s.get("title") or {}
    return t.get(lang) or s["scenario"]


def mode(s: dict, lang: str) -> str:
    return pick(MODES.get(s["mode"], (s["mode"], s["mode"])), lang)


# Component families by their prefix in hourly.parquet and plan additions, as style labels them.
FAMILY_LABELS = {
    "Wind": "wind",
    "PV": "pv",
    "Battery": "battery",
    "PumpedHydro": "pumped_hydro",
    "CSP": "csp",
    "Heating": "heating",
    "Hydro": "hydro",
    "Coal": "coal",
    "CHP": "chp",
}


def family(name: str, lang: str) -> str:
    from ...plotting import style

    return style.label(FAMILY_LABELS.get(name, name), lang)


def unit_names(columns, lang: str) -> dict:
    """A display name for each unit of hourly.parquet's columns (``Battery-soc[jiuquan_new_battery]``
    gives 电化学储能): its family's, numbered where a family has several units."""
    units = {}
    for c in columns:
        if "[" in c and c.endswith("]"):
            prefix, unit = c[:-1].split("[", 1)
            units.setdefault(unit, prefix.split("-")[0])
    out, seen = {}, {}
    for fam in units.values():
        seen[fam] = seen.get(fam, 0) + 1
    count = dict.fromkeys(seen, 0)
    for unit, fam in units.items():
        count[fam] += 1
        out[unit] = family(fam, lang) + (f" {count[fam]}" if seen[fam] > 1 else "")
    return out


def design(name: str, lang: str) -> str:
    return pick(DESIGNS.get(name, (name, name)), lang)


def bus(name: str, lang: str) -> str:
    return pick(BUS_NAMES[name], lang) if name in BUS_NAMES else name


def run_names(summaries: list[dict], folders: list[Path], lang: str) -> list[str]:
    """A name each for runs side by side: their titles, the folder names where titles repeat
    (runs of one scenario with other --set values)."""
    titles = [title(s, lang) for s in summaries]
    if len(set(titles)) == len(titles):
        return titles
    return [
        f"{t}（{Path(f).name}）" if lang == "zh" else f"{t} ({Path(f).name})" for t, f in zip(titles, folders)
    ]
