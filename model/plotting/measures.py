"""The measures' charts, from measures.csv and measures.json (model/analyses/measures.py).

measures_waterfall   各项措施对外送电量的贡献（亿千瓦时）: the base, each measure's step in the
                     waterfall's order, the "this year" subtotal, the measures not in service
                     this year (hatched), every measure, and the gap left to the target
measures_supply      cost per MWh of added export (alone) against the export it adds (TWh),
                     cheapest first; measures that add no export or have no known cost are
                     listed under the chart
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from ..outputs import quantities as qty
from . import style

TEXT = {
    "waterfall": ("各项措施对外送电量的贡献（亿千瓦时）", "What each measure adds to export (TWh)"),
    "base": ("基准", "Base"),
    "this_year": ("今年可投运措施合计", "This year's measures"),
    "all": ("全部措施", "Every measure"),
    "gap": ("距目标缺口", "Gap to target"),
    "gap_this_year": ("今年缺口", "Gap this year"),
    "target": ("目标", "Target"),
    "later": (
        "今年不能全年投运（按投运后一年计）",
        "Not in service all this year (a year once running)",
    ),
    "legend_step": ("今年可投运，依次加入", "In service this year, added in turn"),
    "legend_lower": ("减少外送（就地消纳等）", "Lowers export (local use and others)"),
    "legend_total": ("合计", "Totals"),
    "supply": ("各项措施的外送成本曲线", "Supply curve of the measures"),
    "x_supply": ("单独实施新增外送电量（亿千瓦时）", "Export added alone (TWh)"),
    "y_supply": ("每兆瓦时新增外送的成本（元/兆瓦时）", "Cost per MWh of added export (CNY/MWh)"),
    "left_out": ("未列入：", "Not shown: "),
}


def word(key, lang):
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def waterfall_bars(table: pd.DataFrame, s: dict) -> list[dict]:
    """The waterfall as bars (label key or measure, bottom, height in MWh, kind): the steps
    telescope from the base to every measure, so the last total is the all-measures run; a gap
    to the target follows this year's subtotal and every measure's total."""
    order = table.sort_values("waterfall_position")
    target = s["base"]["target_mwh"]
    level = s["base"]["export_mwh"]
    bars = [{"key": "base", "bottom": 0.0, "height": level, "kind": "total"}]

    def subtotal(key, gap_key):
        bars.append({"key": key, "bottom": 0.0, "height": level, "kind": "total"})
        if target > level:
            bars.append({"key": gap_key, "bottom": level, "height": target - level, "kind": "gap"})

    for later in (False, True):
        for _, r in order[order["in_service_this_year"] == (not later)].iterrows():
            step = r["step_twh"] * qty.TWH
            bars.append(
                {
                    "key": r["measure"],
                    "bottom": level,
                    "height": step,
                    "kind": "later" if later else "step",
                }
            )
            level += step
        subtotal(*(("all", "gap") if later else ("this_year", "gap_this_year")))
    return bars


def draw(table: pd.DataFrame, s: dict, out, lang: str) -> list[dict]:
    style.setup(lang)
    return [waterfall(table, s, out, lang), supply(table, out, lang)]


def _name(table, key, lang):
    if key in TEXT:
        return word(key, lang)
    return table.set_index("measure").loc[key, f"title_{lang}"]


COLOURS = {
    "total": "#4d4d4d",
    "step": style.COLORS["export"],
    "later": "#fdb863",
    "gap": "#d7191c",
    "lower": "#5e3c99",
}


def waterfall(table: pd.DataFrame, s: dict, out, lang: str) -> dict:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    bars = waterfall_bars(table, s)
    fig, ax = plt.subplots(figsize=(12, 6))
    digits = 1 if lang == "zh" else 2
    for x, b in enumerate(bars):
        h = qty.value("energy", b["height"], lang)
        bottom = qty.value("energy", b["bottom"], lang)
        kind = "lower" if b["kind"] in ("step", "later") and h < 0 else b["kind"]
        ax.bar(
            x,
            h,
            bottom=bottom,
            color=COLOURS[kind],
            width=0.7,
            edgecolor="white",
            hatch="//" if b["kind"] == "later" else None,
            alpha=0.55 if kind == "gap" else 1,
        )
        shown = round(h, digits) + 0.0  # no "-0.0"
        text = f"{shown:+.{digits}f}" if b["kind"] in ("step", "later") else f"{shown:.{digits}f}"
        ax.text(x, bottom + max(h, 0), text, ha="center", va="bottom", fontsize=8)
    target = qty.value("energy", s["base"]["target_mwh"], lang)
    ax.axhline(target, color=style.COLORS["target"], linestyle="--", linewidth=1)
    ax.text(
        -0.4,
        target,
        f"{word('target', lang)} {target:.{0 if lang == 'zh' else 1}f}",
        ha="left",
        va="bottom",
        color=style.COLORS["target"],
        fontsize=9,
    )
    ax.set_xticks(range(len(bars)))
    ax.set_xticklabels(
        [_name(table, b["key"], lang) for b in bars], rotation=40, ha="right", fontsize=8.5
    )
    ax.set_ylabel(style.label("energy", lang))
    ax.set_ylim(0, target * 1.08)
    ax.grid(axis="x", visible=False)
    handles = [
        Patch(color=COLOURS["step"], label=word("legend_step", lang)),
        Patch(facecolor=COLOURS["later"], hatch="//", edgecolor="white", label=word("later", lang)),
        Patch(color=COLOURS["lower"], label=word("legend_lower", lang)),
        Patch(color=COLOURS["total"], label=word("legend_total", lang)),
        Patch(color=COLOURS["gap"], alpha=0.55, label=word("gap", lang)),
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=5, fontsize=8.5)
    ax.set_title(word("waterfall", lang), pad=28)
    paths = style.save(fig, out, "measures_waterfall")
    return {"name": "measures_waterfall", "png": paths["png"], "title": word("waterfall", lang)}


def supply_points(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Measures with a cost per MWh of added export, cheapest first; the ids left out."""
    ok = table["cost_cny_per_mwh_added_export"].map(lambda v: not pd.isna(v) and math.isfinite(v))
    return table[ok].sort_values("cost_cny_per_mwh_added_export"), table.loc[
        ~ok, "measure"
    ].tolist()


def supply(table: pd.DataFrame, out, lang: str) -> dict:
    import matplotlib.pyplot as plt

    shown, left = supply_points(table)
    fig, ax = plt.subplots(figsize=(10, 5))
    x0 = 0.0
    for _, r in shown.iterrows():
        width = qty.value("energy", r["alone_twh"] * qty.TWH, lang)
        price = r["cost_cny_per_mwh_added_export"]
        ax.bar(
            x0,
            price,
            width=width,
            align="edge",
            edgecolor="white",
            color="#fdb863" if not r["in_service_this_year"] else style.COLORS["export"],
            hatch=None if r["in_service_this_year"] else "//",
        )
        ax.text(
            x0 + width / 2,
            max(price, 0),
            r[f"title_{lang}"],
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=8,
        )
        x0 += width
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(word("x_supply", lang))
    ax.set_ylabel(word("y_supply", lang))
    ax.set_title(word("supply", lang))
    if left:
        titles = table.set_index("measure").loc[left, f"title_{lang}"]
        text = word("left_out", lang) + ("、" if lang == "zh" else ", ").join(titles)
        ax.text(
            0,
            -0.16,
            textwrap.fill(text, 70 if lang == "zh" else 140),
            transform=ax.transAxes,
            va="top",
            fontsize=8.5,
            color="#555555",
        )
    ax.set_xlim(0, max(x0, 1e-9) * 1.02 if x0 > 0 else 1)
    if len(shown):  # room above the bars for their names
        prices = shown["cost_cny_per_mwh_added_export"]
        lo, hi = min(0.0, float(prices.min())), max(0.0, float(prices.max()))
        span = max(hi - lo, 1.0)
        ax.set_ylim(lo - 0.05 * span, hi + 0.45 * span)
    paths = style.save(fig, out, "measures_supply")
    return {"name": "measures_supply", "png": paths["png"], "title": word("supply", lang)}
