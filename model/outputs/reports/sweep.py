"""The meeting report of a sweep: what the swept parameters do to export, designed for reading.

The page: the answer (median and P90 of export as the target counts it, how many points reach
the target), the sweep's charts, a spread table (P90, P50 and the range of each KPI), then one
row a point with the swept parameters first, in display units, and the KPIs after them.
"""

from __future__ import annotations

import json
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from ...plotting import style
from ...plotting.sweep_charts import param_label, param_scale
from .. import provenance
from .. import quantities as qty
from . import names, page
from .tables import Table, shown

# The KPIs of a point, in the order a meeting reads them: (column, zh, en, quantity).
KPIS = (
    ("target_counted_mwh", "计入目标的外送电量", "Export as the target counts it", "energy"),
    ("shortfall_mwh", "缺口", "Shortfall", "energy"),
    ("curtailment_rate.wind", "弃风率", "Wind curtailment rate", "rate"),
    ("curtailment_rate.pv", "弃光率", "PV curtailment rate", "rate"),
    ("import_mwh", "省网购电", "Imports", "energy"),
    ("co2_t", "二氧化碳排放", "CO2 emissions", "co2"),
    ("target_price_cny_per_mwh", "目标影子价格", "Target price", "price"),
)


_w = names.say


def sweep_answer(points: pd.DataFrame, design: dict, lang: str) -> str:
    ok = points[points["status"] == "ok"]
    counted = ok["target_counted_mwh"]
    p50, p90 = counted.median(), counted.quantile(0.1)
    reached = ok["target_reached"].astype(bool)
    title = _title(design, lang)
    if lang == "zh":
        return (
            f"{title}（{len(ok)}个方案）：外送电量中位数（P50）{qty.text('energy', p50, 'zh', 1)}，"
            f"P90为{qty.text('energy', p90, 'zh', 1)}，{reached.sum()}个方案（{reached.mean():.0%}）达到目标。"
        )
    return (
        f"{title} ({len(ok)} points): median export (P50) {qty.text('energy', p50, 'en')}, P90 "
        f"{qty.text('energy', p90, 'en')}; {reached.sum()} points ({reached.mean():.0%}) reach the target."
    )


def _title(design: dict, lang: str) -> str:
    return (design.get("title") or {}).get(lang) or design["name"]


def parameters_of(points: pd.DataFrame, design: dict) -> list[str]:
    return [k for k in design.get("parameters") or [] if k in points.columns]


def points_table(points: pd.DataFrame, design: dict, lang: str) -> Table:
    """One row a point: swept parameters first, in display units, then the KPIs."""
    cols, kinds = {_w(lang, "方案", "Point"): points["point"] + 1}, {}
    base = _w(lang, "基准值", "base value")  # a point that leaves the parameter as the base has it
    for key in parameters_of(points, design):
        convert, _ = param_scale(key, lang)
        cols[param_label(key, lang)] = [
            base if _missing(v) else float(f"{convert(v):.4g}") if _number(v) else v for v in points[key]
        ]
        kinds[param_label(key, lang)] = None
    for column, zh, en, kind in KPIS:
        if column in points.columns and points[column].notna().any():
            header = qty.header(_w(lang, zh, en), kind, lang)
            cols[header] = [None if pd.isna(v) else shown(kind, float(v), lang) for v in points[column]]
            kinds[header] = kind
    reached = _w(lang, "达到目标", "Target reached")
    cols[reached] = [
        _w(lang, "是" if r else "否", "yes" if r else "no") if s == "ok" else _w(lang, "失败", "failed")
        for r, s in zip(points["target_reached"], points["status"])
    ]
    frame = pd.DataFrame(cols)
    return Table(_w(lang, "各方案结果", "Points"), frame, kinds, sheet=_w(lang, "方案", "Points"))


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))


def spread_table(points: pd.DataFrame, lang: str) -> Table:
    """Each KPI over the points that solved: P90 (exceeded in nine cases of ten), P50, min, max."""
    ok = points[points["status"] == "ok"]
    heads = [
        _w(lang, "指标", "Figure"),
        _w(lang, "单位", "Unit"),
        "P90",
        "P50",
        _w(lang, "最小", "Min"),
        _w(lang, "最大", "Max"),
    ]
    rows, kinds = [], []
    for column, zh, en, kind in KPIS:
        v = (
            pd.to_numeric(ok.get(column), errors="coerce").dropna()
            if column in ok.columns
            else pd.Series(dtype=float)
        )
        if v.empty:
            continue
        rows.append(
            [
                _w(lang, zh, en),
                qty.unit(kind, lang) if kind != "rate" else "",
                *(shown(kind, float(x), lang) for x in (v.quantile(0.1), v.median(), v.min(), v.max())),
            ]
        )
        kinds.append(kind)
    frame = pd.DataFrame(rows, columns=heads)
    return Table(
        _w(
            lang,
            "结果分布（P50：一半方案高于此值；P90：九成方案高于此值）",
            "Spread (P50: half the points are above; P90: nine in ten are above)",
        ),
        frame,
        {h: kinds for h in heads[2:]},
        sheet=_w(lang, "结果分布", "Spread"),
    )


def sweep_report(sweep_dir, lang="zh") -> dict:
    from ...plotting.sweep_charts import draw_sweep

    sweep_dir = Path(sweep_dir)
    points = pd.read_parquet(sweep_dir / "points.parquet")
    design = json.loads((sweep_dir / "sweep.json").read_text(encoding="utf-8"))
    style.setup(lang)
    failed = int((points["status"] != "ok").sum())
    how = names.design(design["design"], lang)
    title = f"{_title(design, lang)}{_w(lang, '：敏感性分析', ': sensitivity sweep')}"
    answer = sweep_answer(points, design, lang)
    tables = [spread_table(points, lang), points_table(points, design, lang)]
    swept = (
        "、".join(param_label(k, lang) for k in parameters_of(points, design))
        if lang == "zh"
        else ", ".join(param_label(k, lang) for k in parameters_of(points, design))
    )
    note = _w(
        lang,
        f"设计：{how}；变动参数：{swept or '气象年'}；失败方案{failed}个。",
        f"Design: {how}; swept: {swept or 'weather years'}; {failed} failed points.",
    )

    def build(charts_dir):
        charts = draw_sweep(sweep_dir, charts_dir, lang)
        blocks = [page.h("h1", title), page.h("p", note, "sub"), page.h("p", answer, "answer")]
        blocks += [page.figure(c) for c in charts[:1]] + [page.table(tables[0], lang)]
        blocks += [page.figure(c) for c in charts[1:]] + [page.table(tables[1], lang)]
        blocks.append(
            page.h("p", provenance.line(provenance.stamp(date_key="report_date"), lang), "note prov")
        )
        return blocks, answer

    return page.write(sweep_dir, lang, title, build, lambda: tables)
