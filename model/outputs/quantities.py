"""Display quantities: the one table of how a figure is shown, for the printout, every report,
chart and workbook.

summary.json and the tables keep base units (MWh, MW, CNY, t, CNY/MWh, shares); a figure is shown
in the work report's units in Chinese (亿千瓦时, 万千瓦, 亿元, 万吨) and in SI multiples in English.
Each quantity has, per language, a label, a unit, a scale (base units per display unit) and the
decimals to show; nothing else divides by 1e4 or 1e8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    unit: str
    scale: float  # base units per display unit
    decimals: int


@dataclass(frozen=True)
class Quantity:
    base: str  # the unit of the stored figure
    zh: Shown
    en: Shown
    label_zh: str
    label_en: str

    def shown(self, lang: str) -> Shown:
        return self.zh if lang == "zh" else self.en


QUANTITIES = {
    "energy": Quantity("MWh", Shown("亿千瓦时", 1e5, 2), Shown("TWh", 1e6, 2), "电量", "Energy"),
    "energy_small": Quantity("MWh", Shown("万千瓦时", 10.0, 1), Shown("GWh", 1e3, 2), "电量", "Energy"),
    "heat": Quantity("MWh_th", Shown("万千瓦时（热）", 10.0, 1), Shown("GWh (heat)", 1e3, 2), "热量", "Heat"),
    "power": Quantity("MW", Shown("万千瓦", 10.0, 1), Shown("GW", 1e3, 2), "容量", "Capacity"),
    "money": Quantity("CNY", Shown("亿元", 1e8, 2), Shown("CNY million", 1e6, 1), "金额", "Amount"),
    "co2": Quantity("t", Shown("万吨", 1e4, 1), Shown("Mt", 1e6, 2), "二氧化碳排放", "CO2 emissions"),
    "price": Quantity("CNY/MWh", Shown("元/兆瓦时", 1.0, 1), Shown("CNY/MWh", 1.0, 1), "价格", "Price"),
    "rate": Quantity("1", Shown("%", 0.01, 1), Shown("%", 0.01, 1), "比率", "Rate"),
    "rate_points": Quantity("1", Shown("个百分点", 0.01, 1), Shown("pp", 0.01, 1), "差值", "Difference"),
    "hours": Quantity("h", Shown("小时", 1.0, 0), Shown("h", 1.0, 0), "小时", "Hours"),
    "count": Quantity("1", Shown("个", 1.0, 0), Shown("", 1.0, 0), "个数", "Count"),
}

TWH = QUANTITIES["energy"].en.scale  # MWh per TWh: the unit the scenario files give targets in


def q(name: str) -> Quantity:
    return QUANTITIES[name]


def unit(name: str, lang: str) -> str:
    return q(name).shown(lang).unit


def value(name: str, x, lang: str):
    """``x`` (base units, a number or a pandas/numpy array) in the display unit of ``lang``."""
    return x / q(name).shown(lang).scale


def rounded(name: str, x, lang: str):
    """``value`` rounded to the quantity's decimals: what a table cell holds."""
    v = value(name, x, lang)
    d = q(name).shown(lang).decimals
    return round(v, d) if isinstance(v, (int, float)) else v.round(d)


def number(name: str, x, lang: str, decimals: int | None = None) -> str:
    """The figure as text, without unit; "–" for a missing one."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    d = q(name).shown(lang).decimals if decimals is None else decimals
    return f"{value(name, x, lang):,.{d}f}"


def text(name: str, x, lang: str, decimals: int | None = None) -> str:
    """The figure with its unit: "12.3亿千瓦时", "1.23 TWh", "4.9%"."""
    u = unit(name, lang)
    sep = "" if lang == "zh" or u == "%" else " "
    return f"{number(name, x, lang, decimals)}{sep}{u}".rstrip()


def text_fit(name: str, x, lang: str) -> str:
    """As ``text``, but a small nonzero figure that would round to nothing is shown in the small
    unit (万千瓦时, GWh) instead of as "0.00"."""
    small = {"energy": "energy_small"}.get(name)
    if small and x and round(value(name, x, lang), q(name).shown(lang).decimals) == 0:
        return text(small, x, lang)
    return text(name, x, lang)


def header(label: str, name: str, lang: str) -> str:
    """A column header with its unit: "外送电量（亿千瓦时）", "Export (TWh)"."""
    u = unit(name, lang)
    if not u or u == "%":  # a rate's cells read 4.4%: the header need not say it again
        return label
    return f"{label}（{u}）" if lang == "zh" else f"{label} ({u})"


def excel_format(name: str, lang: str) -> str:
    """The number format of a workbook cell holding ``rounded`` figures of ``name``."""
    shown = q(name).shown(lang)
    if shown.unit == "%":
        return "0.0%"  # the cell holds the share, as rates are kept
    return "#,##0" + ("." + "0" * shown.decimals if shown.decimals else "")
