"""One look for every chart: the Chinese font, colours by technology, labels in two languages.

The font is Noto Sans CJK SC from the ``mplfonts`` package (SIL Open Font License), installed by
the project's setup with the other dependencies, so no machine needs a manual step. It is an
OpenType-CFF font, which matplotlib cannot embed in PDF; print charts are SVG with glyphs drawn
as paths, which open anywhere and need no font.

Units follow the work report: energy in 亿千瓦时 (1 = 0.1 TWh = 100,000 MWh), power in 万千瓦
(1 = 10 MW), 弃风率 and 弃光率 for curtailment rates, 利用小时 for full-load hours.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

import matplotlib

matplotlib.use("Agg")  # charts are files; no screen needed

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from ..outputs import quantities  # noqa: E402

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_NAME = "Noto Sans CJK SC"
LANGS = ("zh", "en")

COLORS = {
    "wind": "#2b83ba", "pv": "#fdae61", "hydro": "#1a9641", "csp": "#d7191c", "coal": "#4d4d4d",
    "chp": "#878787", "battery": "#7b3294", "pumped_hydro": "#5e3c99", "import": "#bababa",
    "export": "#e66101", "curtailment": "#fee08b", "demand": "#000000", "target": "#d7191c",
    "heating": "#f46d43", "direct_purchase": "#74add1",
}

LABELS = {
    "wind": ("风电", "Wind"), "pv": ("光伏", "PV"), "hydro": ("水电", "Hydro"), "csp": ("光热", "CSP"),
    "coal": ("煤电", "Coal"), "chp": ("热电联产", "CHP"), "battery": ("电化学储能", "Battery"),
    "pumped_hydro": ("抽水蓄能", "Pumped hydro"), "import": ("省网购电", "Imports"),
    "export": ("外送电量", "Export"), "curtailment": ("弃电", "Curtailment"), "demand": ("本地用电", "Local demand"),
    "target": ("外送目标", "Export target"), "heating": ("清洁供暖", "Clean heating"),
    "direct_purchase": ("直购电", "Direct purchase"), "local": ("一般负荷", "Base load"),
    "month": ("月份", "Month"), "energy": ("电量（亿千瓦时）", "Energy (TWh)"),
    "power": ("出力（万千瓦）", "Power (GW)"), "price": ("电价（元/兆瓦时）", "Price (CNY/MWh)"),
    "curtailment_rate_wind": ("弃风率", "Wind curtailment rate"),
    "curtailment_rate_pv": ("弃光率", "PV curtailment rate"),
    "utilisation_hours": ("利用小时", "Full-load hours"), "cumulative": ("累计", "Cumulative"),
    "hours": ("小时", "Hours"), "soc": ("储能电量（万千瓦时）", "Stored energy (GWh)"),
    "probability": ("超越概率", "Exceedance probability"),
}


def label(key: str, lang: str) -> str:
    zh, en = LABELS.get(key, (key, key))
    return zh if lang == "zh" else en


def energy(mwh, lang: str):
    """MWh in the report's unit: 亿千瓦时 in Chinese, TWh in English."""
    return quantities.value("energy", mwh, lang)


def power(mw, lang: str):
    """MW in the report's unit: 万千瓦 in Chinese, GW in English."""
    return quantities.value("power", mw, lang)


@cache
def font_path() -> str:
    return str(importlib.resources.files("mplfonts") / "fonts" / FONT_FILE)


def setup(lang: str):
    """Register the CJK font and set the house style; call before drawing."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}; expected one of {LANGS}")
    font_manager.fontManager.addfont(font_path())
    plt.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_NAME, "DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK font has no U+2212 minus sign
        "svg.fonttype": "path",
        "figure.dpi": 110, "savefig.dpi": 150, "savefig.bbox": "tight",
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
        "axes.titlesize": 13, "axes.labelsize": 11, "legend.fontsize": 9, "legend.frameon": False,
    })


def save(fig, folder, name: str) -> dict:
    """Write ``name``.png (slides) and ``name``.svg (print); close the figure."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for ext in ("png", "svg"):
        path = folder / f"{name}.{ext}"
        fig.savefig(path)
        paths[ext] = path
    plt.close(fig)
    return paths
