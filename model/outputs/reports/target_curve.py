"""The report of a target curve: what each level of the export target costs, and the marginal
cost of one more MWh of target, in the work report's units."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...plotting import style
from .. import provenance
from .. import quantities as qty
from . import names, page
from .tables import Table, shown

_w = names.say


def curve_table(table: pd.DataFrame, lang: str) -> Table:
    e, m, p = (
        qty.header(_w(lang, zh, en), k, lang)
        for zh, en, k in (
            ("外送目标", "Export target", "energy"),
            ("系统总成本", "Total cost", "money"),
            ("边际成本", "Marginal cost", "price"),
        )
    )
    short = qty.header(_w(lang, "缺口", "Shortfall"), "energy", lang)
    invest = qty.header(_w(lang, "新增装机年化投资", "Annualised investment"), "money", lang)
    frame = pd.DataFrame(
        {
            e: shown("energy", table["target_twh"] * qty.TWH, lang),
            m: shown("money", table["objective_cny"], lang),
            p: [
                None if pd.isna(v) else shown("price", float(v), lang)
                for v in table["marginal_cost_cny_per_mwh"]
            ],
            short: shown("energy", table["shortfall_mwh"], lang),
            invest: shown("money", table["investment_cny"], lang),
        }
    )
    return Table(
        _w(lang, "各目标水平的成本", "Cost by target level"),
        frame,
        {e: "energy", m: "money", p: "price", short: "energy", invest: "money"},
    )


def answer(table: pd.DataFrame, lang: str) -> str:
    """The highest level met without shortfall, and its marginal cost."""
    met = table[table["shortfall_mwh"] <= 1e-6 * table["target_twh"] * qty.TWH]
    if met.empty:
        return _w(lang, "所有目标水平均不可及。", "No target level of the curve is reached.")
    top = met.iloc[-1]
    level = qty.text("energy", top["target_twh"] * qty.TWH, lang, 0 if lang == "zh" else 1)
    price = top["marginal_cost_cny_per_mwh"]
    cost = qty.text("price", price, lang) if not pd.isna(price) else _w(lang, "无价格", "no price")
    return _w(
        lang,
        f"外送目标最高可达{level}，此时再多一兆瓦时目标的边际成本为{cost}。",
        f"The target can be met up to {level}; one more MWh of target then costs {cost}.",
    )


def target_curve_report(folder, lang="zh") -> dict:
    from ...analyses.target_curve import chart, resolution_note

    folder = Path(folder)
    table = pd.read_csv(folder / "target_curve.csv")
    style.setup(lang)
    name = table[f"title_{lang}"].iloc[0] if f"title_{lang}" in table else folder.name
    title = f"{name}{_w(lang, '：外送目标的成本曲线', ': the cost of the export target')}"
    t = curve_table(table, lang)
    text = answer(table, lang)

    def build(charts_dir):
        c = chart(table, charts_dir, lang)
        c = {"png": c["png"], "title": _w(lang, "外送目标的成本曲线", "The cost of the export target")}
        blocks = [
            page.h("h1", title),
            page.h("p", resolution_note(table, lang), "sub"),
            page.h("p", text, "answer"),
            page.figure(c),
            page.table(t, lang),
            page.h("p", provenance.line(provenance.stamp(date_key="report_date"), lang), "note prov"),
        ]
        return blocks, text

    return page.write(folder, lang, title, build, lambda: [t])
