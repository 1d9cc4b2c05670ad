"""The tables of a run's report, in display units: key figures, plan additions, technologies,
months, lines, storage, the binding limits and the main assumptions with their sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ...plotting import style
from ...plotting.run_charts import line_name
from .. import quantities as qty
from . import names, page
from .tables import MONTH, Table, shown

_words = names.say


def counted_monthly(monthly: pd.DataFrame, s: dict | None) -> pd.Series:
    """Monthly export in the target's measure (net of imports unless the scenario says not)."""
    imports = monthly[[c for c in monthly.columns if c.startswith("import_")]].sum(axis=1)
    net = s is None or "net" in s["target_basis"]
    return monthly["export_total_mwh"] - (imports if net else 0.0)


def key_figures(s: dict, lang: str) -> Table:
    zh = lang == "zh"
    rows = [
        (_words(lang, "外送电量", "Export"), s["export_mwh"], "energy"),
        (
            _words(lang, "计入目标的外送电量", "Export as the target counts it"),
            s["target_counted_mwh"],
            "energy",
        ),
        (_words(lang, "外送目标", "Target"), s["target_mwh"], "energy"),
        (_words(lang, "缺口", "Shortfall"), s["shortfall_mwh"], "energy"),
        target_price_row(s, lang),
    ]
    if s.get("target_ceiling_mwh") is not None:
        rows.append(
            (
                _words(lang, "外送上限（计入目标口径）", "Ceiling (as the target counts export)"),
                s["target_ceiling_mwh"],
                "energy",
            )
        )
    rows += [
        (_words(lang, "本地用电", "Local consumption"), s["local_demand_mwh"], "energy"),
        (_words(lang, "省网购电", "Imports"), s["import_mwh"], "energy"),
        (_words(lang, "二氧化碳排放", "CO2 emissions"), s["co2_t"], "co2"),
    ]
    for tech, key in (("wind", "curtailment_rate_wind"), ("pv", "curtailment_rate_pv")):
        if tech in s["curtailment_rate"]:
            rows.append((style.label(key, lang), s["curtailment_rate"][tech], "rate"))
    kinds = [k for *_, k in rows]
    frame = pd.DataFrame(
        {
            _words(lang, "指标", "Figure"): [r[0] for r in rows],
            _words(lang, "数值", "Value"): [shown(k, v, lang) if k else v for _, v, k in rows],
            _words(lang, "单位", "Unit"): [qty.unit(k, lang) if k and k != "rate" else "" for k in kinds],
        }
    )
    return Table("关键指标" if zh else "Key figures", frame, {frame.columns[1]: kinds})


def target_price_row(s: dict, lang: str) -> tuple:
    """The target's price only where it is a marginal cost; otherwise what the target's state is.
    A shortfall penalty is not a price, so it is never shown as one."""
    zh = lang == "zh"
    status, price = s.get("target_status"), s["target_price_cny_per_mwh"]
    label = "目标影子价格" if zh else "Target price"
    if price is not None:
        return (label, price, "price")
    gap = qty.text("energy", s["shortfall_mwh"], lang)
    words = {
        "out_of_reach": (
            f"目标不可及：缺口{gap}（无价格：罚金不是成本）"
            if zh
            else f"out of reach: {gap} short (no price: a penalty is not a cost)"
        ),
        "short": (
            f"未达目标：缺口{gap}，超出部分成本高于罚金（无价格）"
            if zh
            else f"short by {gap}: each further MWh costs more than the penalty (no price)"
        ),
        "at_edge": (
            "恰在上限：再多一兆瓦时即不可及（无单一价格）"
            if zh
            else "at the edge: met exactly, one MWh more is out of reach (no single price)"
        ),
    }
    return (label, words.get(status, "无目标" if zh else "no target"), None)


def technology_table(s: dict, lang: str) -> Table:
    cols = {
        "tech": _words(lang, "技术", "Technology"),
        "cap": qty.header(_words(lang, "装机", "Capacity"), "power", lang),
        "gen": qty.header(_words(lang, "发电量", "Generation"), "energy", lang),
        "hours": qty.header(style.label("utilisation_hours", lang), "hours", lang),
        "rate": qty.header(_words(lang, "弃电率", "Curtailment rate"), "rate", lang),
    }
    rows = [
        {
            cols["tech"]: style.label(tech, lang),
            cols["cap"]: shown("power", mw, lang),
            cols["gen"]: shown("energy", s["generation_mwh"].get(tech, 0), lang),
            cols["hours"]: shown("hours", s["utilisation_hours"].get(tech, 0), lang),
            cols["rate"]: s["curtailment_rate"].get(tech),
        }
        for tech, mw in s["capacity_mw"].items()
    ]
    kinds = {cols["cap"]: "power", cols["gen"]: "energy", cols["hours"]: "hours", cols["rate"]: "rate"}
    return Table(
        _words(lang, "分技术", "By technology"), pd.DataFrame(rows, columns=list(cols.values())), kinds
    )


# What a plan's additions are, in display terms: the family's name and the dimension's.
DIMENSIONS = {
    "capacity": ("装机", "capacity"),
    "power": ("功率", "power"),
    "energy": ("储能容量", "energy"),
    "turbine": ("汽轮发电机组", "power block"),
    "field": ("集热场（热功率）", "solar field (heat)"),
    "storage": ("储热", "heat storage"),
    "boiler": ("电锅炉", "electric boilers"),
    "condenser": ("同步调相机", "synchronous condensers"),
}
HEAT = {("CSP", "storage"), ("Heating", "storage")}


def addition_name(a: dict, lang: str) -> str:
    if a["family"] == "Line":
        who = line_name(a["unit"], lang)
    else:
        who = names.family(a["family"], lang)
    dim = names.pick(DIMENSIONS.get(a["dimension"], (a["dimension"], a["dimension"])), lang)
    return f"{who}{dim}" if lang == "zh" else f"{who} {dim}"


def addition_kind(a: dict) -> str:
    """The display quantity of an addition: power, stored energy, or stored heat."""
    if a["unit_of_measure"] == "MW":
        return "power"
    return "heat" if (a["family"], a["dimension"]) in HEAT else "energy_small"


def additions_table(s: dict, lang: str) -> Table:
    """Plan mode: what is built (rows that add nothing left out), and what it costs a year
    (annualised capital and fixed O&M), with a total."""
    rows = [a for a in s.get("additions", []) if a["added"] > 1e-6]
    cols = [
        _words(lang, "新增项目", "Addition"),
        _words(lang, "现有", "Existing"),
        _words(lang, "新增", "Added"),
        _words(lang, "单位", "Unit"),
        qty.header(_words(lang, "年化成本", "Annualised cost"), "money", lang),
    ]
    out, kinds = [], []
    for a in rows:
        kind = addition_kind(a)
        out.append(
            [
                addition_name(a, lang),
                shown(kind, a["existing"], lang),
                shown(kind, a["added"], lang),
                qty.unit(kind, lang),
                shown("money", a["annualised_cost_cny"], lang),
            ]
        )
        kinds.append(kind)
    out.append(
        [
            _words(lang, "合计", "Total"),
            None,
            None,
            "",
            shown("money", sum(a["annualised_cost_cny"] for a in rows), lang),
        ]
    )
    kinds.append(None)
    frame = pd.DataFrame(out, columns=cols)
    return Table(
        _words(lang, "新增装机", "Additions"), frame, {cols[1]: kinds, cols[2]: kinds, cols[4]: "money"}
    )


def monthly_table(monthly: pd.DataFrame, s: dict, lang: str) -> Table:
    """By month, in the target's own measure, with the cumulative progress towards the target."""
    imports = monthly[[c for c in monthly.columns if c.startswith("import_")]].sum(axis=1)
    counted = counted_monthly(monthly, s)
    e = lambda label: qty.header(label, "energy", lang)  # noqa: E731
    cols = {
        _words(lang, "月份", "Month"): monthly["month"],
        e(_words(lang, "外送电量", "Export")): shown("energy", monthly["export_total_mwh"], lang),
        e(_words(lang, "省网购电", "Imports")): shown("energy", imports, lang),
        e(_words(lang, "计入目标", "Counted")): shown("energy", counted, lang),
        e(_words(lang, "累计计入", "Counted, cumulative")): shown("energy", counted.cumsum(), lang),
        e(_words(lang, "累计目标", "Target, cumulative")): shown(
            "energy", monthly["target_cumulative_mwh"], lang
        ),
    }
    target = s["target_mwh"]
    progress = qty.header(
        _words(lang, "目标进度（累计完成占全期目标）", "Progress (cumulative share of the target)"),
        "rate",
        lang,
    )
    cols[progress] = counted.cumsum() / target if target else None
    for c in monthly.columns:
        if c.startswith("curtailment_") and c.endswith("_mwh"):
            cols[e(f"{style.label(c[12:-4], lang)}{'弃电' if lang == 'zh' else ' curtailed'}")] = shown(
                "energy", monthly[c], lang
            )
    frame = pd.DataFrame(cols)
    kinds = {c: "energy" for c in frame.columns[1:]}
    kinds.update({frame.columns[0]: MONTH, progress: "rate"})
    return Table(_words(lang, "分月", "By month"), frame, kinds)


def lines_table(s: dict, lang: str) -> Table:
    cols = [
        _words(lang, "通道", "Line"),
        qty.header(_words(lang, "额定容量", "Rating"), "power", lang),
        qty.header(_words(lang, "外送电量", "Export"), "energy", lang),
        qty.header(_words(lang, "利用率", "Utilisation"), "rate", lang),
        qty.header(_words(lang, "满载", "At its limit"), "hours", lang),
    ]
    rating = s.get("line_rating_mw", {})
    rows = [
        [
            line_name(k, lang),
            shown("power", rating[k], lang) if k in rating else None,
            shown("energy", v, lang),
            s["line_utilisation"].get(k),
            s["line_hours_at_limit"].get(k),
        ]
        for k, v in s["export_by_line_mwh"].items()
    ]
    return Table(
        _words(lang, "分通道", "By line"),
        pd.DataFrame(rows, columns=cols),
        dict(zip(cols[1:], ("power", "energy", "rate", "hours"))),
    )


def storage_table(s: dict, lang: str, unit_names: dict) -> Table | None:
    if not s.get("storage"):
        return None
    cols = [
        _words(lang, "储能", "Store"),
        qty.header(_words(lang, "放电量", "Discharged"), "energy_small", lang),
        _words(lang, "等效满充放次数", "Full cycles"),
    ]
    rows = [
        [unit_names.get(unit, unit), shown("energy_small", st["discharge_mwh"], lang), round(st["cycles"])]
        for unit, st in s["storage"].items()
    ]
    return Table(
        _words(lang, "储能", "Storage"),
        pd.DataFrame(rows, columns=cols),
        {cols[1]: "energy_small", cols[2]: "count"},
    )


def limits_table(s: dict, lang: str) -> Table:
    """The binding limits: how long each line is full, how long the DC line lacks synchronous
    support, how much wind and PV is curtailed, whether demand or heat goes unserved."""
    rows = [
        (_words(lang, f"{line_name(k, lang)}满载", f"{line_name(k, lang)} at its limit"), h, "hours")
        for k, h in s["line_hours_at_limit"].items()
    ]
    rows += [
        (
            _words(
                lang,
                f"{names.bus(b, lang)}同步电源支撑不足",
                f"Synchronous support short at {names.bus(b, lang)}",
            ),
            h,
            "hours",
        )
        for b, h in s.get("sync_support_binding_hours", {}).items()
    ]
    rows += [
        (style.label(f"curtailment_rate_{t}", lang), r, "rate")
        for t, r in s["curtailment_rate"].items()
        if t in ("wind", "pv")
    ]
    if s.get("unserved_mwh", 0) > 0.5:
        rows.append((_words(lang, "本地缺电", "Unserved demand"), s["unserved_mwh"], "energy_small"))
    if s.get("heating_unserved_mwh_th", 0) > 0.5:
        rows.append((_words(lang, "供暖缺口", "Unserved heat"), s["heating_unserved_mwh_th"], "heat"))
    kinds = [k for *_, k in rows]
    frame = pd.DataFrame(
        {
            _words(lang, "制约因素", "Limit"): [r[0] for r in rows],
            _words(lang, "数值", "Value"): [shown(k, v, lang) for _, v, k in rows],
            _words(lang, "单位", "Unit"): [qty.unit(k, lang) if k != "rate" else "" for k in kinds],
        }
    )
    return Table(_words(lang, "主要制约", "Binding limits"), frame, {frame.columns[1]: kinds})


def assumptions_table(s: dict, run_dir: Path, lang: str) -> Table:
    """The main assumptions: each value as the run used it, with the source its scenario file
    gives beside it (in the file's words)."""
    from ...plotting.sweep_charts import param_name, param_scale

    resolved = _resolved(run_dir)
    rows = []
    for key, source in s.get("sources", {}).items():
        value = _get(resolved, key)
        if isinstance(value, (dict, list)) or value is None:
            continue
        if isinstance(value, bool):
            value = _words(lang, "是" if value else "否", "yes" if value else "no")
        if not isinstance(value, str):
            value = param_scale(key, lang)[0](value)
            value = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
        rows.append([param_name(key, lang), value, param_scale(key, lang)[1], source])
    cols = [
        _words(lang, "假设", "Assumption"),
        _words(lang, "取值", "Value"),
        _words(lang, "单位", "Unit"),
        _words(lang, "来源（情景文件注释原文）", "Source (as the scenario file says)"),
    ]
    return Table(
        _words(lang, "情景说明与主要假设", "Scenario and main assumptions"),
        pd.DataFrame(rows, columns=cols),
        sheet=_words(lang, "主要假设", "Assumptions"),
        quoted=cols[3],
    )


def _resolved(run_dir: Path) -> dict:
    path = run_dir / "inputs" / "scenario.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def _get(tree: dict, key: str):
    for part in key.split("."):
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def scenario_block(s: dict, assumptions: Table, lang: str) -> list[str]:
    """情景说明与主要假设: weather year, line ratings, the target's basis, the main assumptions."""
    basis = (
        (
            "外送电量扣除省网购电计入目标（假设：工作报告指本市自身电源外送）"
            if "net" in s["target_basis"]
            else "外送电量全口径计入目标"
        )
        if lang == "zh"
        else (
            "export net of imports counts towards the target (assumption: the work report means the city's own output)"
            if "net" in s["target_basis"]
            else "all export counts towards the target"
        )
    )
    weather = s.get("weather_year")
    ratings = "，".join(
        f"{line_name(k, lang)} {qty.text('power', v, lang)}" for k, v in s.get("line_rating_mw", {}).items()
    )
    if lang == "zh":
        items = [
            f"计算方式：{names.mode(s, 'zh')}；{s['period'][0][:10]}至{s['period'][1][:10]}，共{s['hours']:,}小时"
            + (f"（每日{s['segments_per_day']}段时间聚合，快速估算）" if s.get("segments_per_day") else "")
            + "。",
            f"气象年：{weather if weather is not None else '情景给定的出力曲线'}。",
            f"外送通道额定容量：{ratings}。",
            f"目标口径：{basis}。",
        ]
    else:
        items = [
            f"Method: {names.mode(s, 'en')}; {s['period'][0][:10]} to {s['period'][1][:10]}, {s['hours']:,} hours"
            + (
                f" (time aggregation, {s['segments_per_day']} segments a day: a fast estimate)"
                if s.get("segments_per_day")
                else ""
            )
            + ".",
            f"Weather year: {weather if weather is not None else 'the profiles the scenario gives'}.",
            f"Line ratings: {ratings.replace('，', ', ')}.",
            f"Target basis: {basis}.",
        ]
        if s.get("description"):
            items.insert(0, s["description"])
    out = [page.h("h2", assumptions.caption), "<ul>" + "".join(page.h("li", i) for i in items) + "</ul>"]
    return out + [page.tables.to_html(assumptions, lang)]


def run_tables(s: dict, monthly: pd.DataFrame, lang: str, unit_names: dict) -> list[Table]:
    tables = [
        key_figures(s, lang),
        technology_table(s, lang),
        monthly_table(monthly, s, lang),
        lines_table(s, lang),
    ]
    if s.get("additions"):
        tables.insert(1, additions_table(s, lang))
    store = storage_table(s, lang, unit_names)
    return tables + ([store] if store is not None else [])


def hourly_table(run_dir: Path, hourly: pd.DataFrame, lang: str) -> Table:
    """The hourly results as the run wrote them, the unit in each header, one row an hour."""
    units = pd.read_csv(run_dir / "hourly_columns.csv").set_index("column")["unit"].to_dict()
    frame = hourly.copy()
    numbers = frame.select_dtypes("number").columns
    frame[numbers] = frame[numbers].round(3)
    if frame["timestamp"].dt.tz is not None:  # Excel has no time zones: local time, as the run counts
        frame["timestamp"] = frame["timestamp"].dt.tz_localize(None)
    frame.columns = [f"{c} ({units[c]})" if c in units else c for c in frame.columns]
    return Table(_words(lang, "逐时结果", "Hourly"), frame)
