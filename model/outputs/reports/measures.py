"""The measures' page of the meeting report: which measures close the gap this year and which
cannot, and why (not in service in time, lowering export by design, or held by a limit), the
waterfall and supply curve, the table, and how the figures were made."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ...plotting import style
from .. import provenance
from .. import quantities as qty
from . import names, page
from .tables import Table

_w = names.say


def _e(mwh, lang):
    return qty.text("energy", mwh, lang, 1 if lang == "zh" else 2)


def _floor(s: dict) -> float:
    from ...analyses.measures import FLOOR_SHARE

    return FLOOR_SHARE * s["base"]["target_mwh"]


FULLY_USED = 0.01  # Jiuquan curtailment below this: its wind and PV are all but fully used


def limit_text(run: dict, lang: str) -> str:
    """What holds export back in a solved set: where Jiuquan's wind and PV are all but fully used,
    generation itself (no line or market can send what is not produced); else the run's binding
    limit (model/outputs/meeting_report.py, binding_limit)."""
    jq = run["jiuquan_curtailment"]
    if jq is not None and jq < FULLY_USED:
        return _w(
            lang,
            f"酒泉风电光伏几乎全部利用（弃电率{jq:.1%}），缺的是电源，只有新增电源才能明显增加外送",
            f"generation: Jiuquan's wind and PV are all but fully used ({jq:.1%} curtailed), and "
            "only new generation adds much export",
        )
    return run[f"limit_{lang}"]


def answer(table: pd.DataFrame, s: dict, lang: str) -> str:
    """One sentence: this year's total against the gap, the measures that help, those that cannot
    (with the reason), and the limit that holds export back with this year's measures."""
    twh = qty.TWH
    floor = _floor(s)
    base, year, target = (
        s["base"]["export_mwh"],
        s["this_year"]["export_mwh"],
        s["base"]["target_mwh"],
    )
    gap = target - base
    now = table[table["in_service_this_year"]]
    helping = now[now["step_twh"] * twh > floor]
    local = table[table["local_use_change_twh"] * twh > floor]
    local = local[local["alone_twh"] * twh < -floor]
    late = table[~table["in_service_this_year"]]
    name = lambda r: r[f"title_{lang}"]  # noqa: E731
    sep = "、" if lang == "zh" else ", "
    helps = sep.join(
        f"{name(r)}{_w(lang, '', ' ')}{_e(r['step_twh'] * twh, lang)}"
        for _, r in helping.iterrows()
    )
    lates = sep.join(
        f"{name(r)}（{r['in_service'][:7]}）"
        if lang == "zh"
        else f"{name(r)} ({r['in_service'][:7]})"
        for _, r in late.iterrows()
    )
    locals_ = sep.join(name(r) for _, r in local.iterrows())
    idle = now[(now["step_twh"].abs() * twh <= floor) & ~now["measure"].isin(local["measure"])]
    idles = sep.join(name(r) for _, r in idle.iterrows())
    limit = limit_text(s["this_year"], lang)
    if year >= target - floor:
        head = _w(
            lang,
            f"今年可投运的措施合计可使外送达到{_e(year, lang)}，可以弥合{_e(gap, lang)}的缺口",
            f"This year's measures bring export to {_e(year, lang)}, closing the {_e(gap, lang)} gap",
        )
    else:
        up = year >= base
        change = _w(
            lang,
            f"合计{'只能增加' if up else '反而减少'}{_e(abs(year - base), lang)}",
            f"{'add only' if up else 'together lower it by'} {_e(abs(year - base), lang)}",
        )
        head = _w(
            lang,
            f"基准外送{_e(base, lang)}，距{_e(target, lang)}目标缺口{_e(gap, lang)}；今年可投运的措施"
            f"{change}（增加外送的：{helps or '无'}），缺口{_e(target - year, lang)}今年无法弥合，"
            f"主要制约：{limit}",
            f"Base export {_e(base, lang)}, {_e(gap, lang)} short of the {_e(target, lang)} target; "
            f"this year's measures {change} (adding export: {helps or 'none'}), leaving "
            f"{_e(target - year, lang)} that cannot be closed this year, held by {limit}",
        )
    parts = [head]
    if idles:
        parts.append(
            _w(
                lang,
                f"{idles}今年可投运但几乎不增加外送（受上述制约）",
                f"{idles} can run this year but add almost nothing (held by the same limit)",
            )
        )
    if lates:
        parts.append(
            _w(lang, f"{lates}今年不能全年投运", f"{lates} are not in service all this year")
        )
    if locals_:
        parts.append(
            _w(
                lang,
                f"{locals_}为就地消纳措施，提高利用率但减少外送",
                f"{locals_} consume locally: they raise utilisation but lower export",
            )
        )
    return _w(lang, "；".join(parts) + "。", "; ".join(parts) + ".")


def measures_table(table: pd.DataFrame, lang: str) -> Table:
    twh = qty.TWH
    cols = {
        _w(lang, "措施", "Measure"): (table[f"title_{lang}"], None),
        _w(lang, "规模", "Size"): (table[f"size_{lang}"], None),
        _w(lang, "投运", "In service"): (table["in_service"].fillna(""), None),
        _w(lang, "今年全年", "All this year"): (
            table["in_service_this_year"].map(
                lambda b: _w(lang, "是", "yes") if b else _w(lang, "否", "no")
            ),
            None,
        ),
        **{
            qty.header(_w(lang, zh, en), "energy", lang): (table[column] * twh, "energy")
            for column, zh, en in (
                ("alone_twh", "单独实施", "Alone"),
                ("step_twh", "依次加入", "Step"),
                ("last_added_twh", "最后加入", "Last added"),
                ("shapley_twh", "沙普利值", "Shapley"),
                ("shapley_se_twh", "沙普利值标准误", "Shapley standard error"),
            )
        },
        _w(lang, "弃风率（单独）", "Wind curtailment (alone)"): (
            table["wind_curtailment_alone"],
            "rate",
        ),
        _w(lang, "弃光率（单独）", "PV curtailment (alone)"): (
            table["pv_curtailment_alone"],
            "rate",
        ),
        _w(lang, "酒泉弃电率（单独）", "Jiuquan curtailment (alone)"): (
            table["jiuquan_curtailment_alone"],
            "rate",
        ),
        qty.header(_w(lang, "本地用电变化", "Local use change"), "energy", lang): (
            table["local_use_change_twh"] * twh,
            "energy",
        ),
        qty.header(_w(lang, "年成本", "Cost a year"), "money", lang): (
            table["cost_cny_per_yr"],
            "money",
        ),
        qty.header(_w(lang, "新增外送单位成本", "Cost per MWh of added export"), "price", lang): (
            table["cost_cny_per_mwh_added_export"],
            "price",
        ),
    }
    if "alone_p50_twh" in table:
        for c, zh, en in (("alone", "单独", "Alone"), ("last_added", "最后加入", "Last added")):
            for p in ("p50", "p90"):
                label = qty.header(
                    _w(lang, f"{zh}{p.upper()}", f"{en} {p.upper()}"), "energy", lang
                )
                cols[label] = (table[f"{c}_{p}_twh"] * twh, "energy")
    frame = pd.DataFrame(
        {
            k: [
                qty.rounded(kind, v, lang) if kind not in (None, "rate") and pd.notna(v) else v
                for v in series
            ]
            for k, (series, kind) in cols.items()
        }
    )
    return Table(
        _w(lang, "各项措施的作用（全年）", "What each measure does (the year)"),
        frame,
        {k: kind for k, (_, kind) in cols.items()},
    )


def sources_table(table: pd.DataFrame, lang: str) -> Table:
    frame = pd.DataFrame(
        {
            _w(lang, "措施", "Measure"): table[f"title_{lang}"],
            _w(lang, "规模来源", "Size: source"): table["source"],
            _w(lang, "投运日期来源", "Date: source"): table["in_service_source"],
            _w(lang, "成本来源", "Cost: source"): table["cost_source"],
            _w(lang, "说明", "Note"): table[f"note_{lang}"].fillna(""),
        }
    )
    return Table(
        _w(lang, "规模、投运日期与成本的来源", "Sources of sizes, dates and costs"), frame, {}
    )


def base_note(s: dict, lang: str) -> str:
    """The base's and this year's rates, so that each measure's row has its reference."""
    b, y = s["base"], s["this_year"]
    r = lambda x: f"{x:.1%}"  # noqa: E731
    return _w(
        lang,
        f"基准：外送{_e(b['export_mwh'], lang)}，弃风率{r(b['wind_curtailment'])}、弃光率"
        f"{r(b['pv_curtailment'])}（全省），酒泉弃电率{r(b['jiuquan_curtailment'])}，本地用电"
        f"{_e(b['local_use_mwh'], lang)}。今年可投运措施合计：外送{_e(y['export_mwh'], lang)}，"
        f"弃风率{r(y['wind_curtailment'])}、弃光率{r(y['pv_curtailment'])}，酒泉弃电率"
        f"{r(y['jiuquan_curtailment'])}，本地用电{_e(y['local_use_mwh'], lang)}。",
        f"Base: export {_e(b['export_mwh'], lang)}, wind curtailment {r(b['wind_curtailment'])}, "
        f"PV {r(b['pv_curtailment'])} (all Gansu), Jiuquan {r(b['jiuquan_curtailment'])}, local use "
        f"{_e(b['local_use_mwh'], lang)}. This year's measures together: export "
        f"{_e(y['export_mwh'], lang)}, wind curtailment {r(y['wind_curtailment'])}, PV "
        f"{r(y['pv_curtailment'])}, Jiuquan {r(y['jiuquan_curtailment'])}, local use "
        f"{_e(y['local_use_mwh'], lang)}.",
    )


def weather_note(s: dict, lang: str) -> str:
    years = s.get("weather_years")
    if not years:
        return _w(
            lang,
            "多气象年P50/P90未计算（--weather-years）。",
            "P50/P90 across weather years: not computed (--weather-years).",
        )
    first = years[0]
    return _w(
        lang,
        f"表中数值为气象年{first}；P50、P90取自{len(years)}个气象年（P90：90%的年份不低于此值）。",
        f"Figures of weather year {first}; P50 and P90 over {len(years)} weather years "
        "(P90: reached or beaten in 90% of the years).",
    )


def method_note(s: dict, lang: str) -> str:
    shap = ", ".join(s["flagged"]) or _w(lang, "无", "none")
    if s.get("shapley_exact"):
        orders_zh, orders_en = "取全部顺序，为精确值", "every order: exact"
    else:
        n = s["shapley_orders"]
        orders_zh = f"抽样{n}种顺序（{n // 2}对互逆顺序），标准误见表"
        orders_en = (
            f"{n} sampled orders, {n // 2} pairs of an order and its reverse; their standard "
            "error in the table"
        )
    return _w(
        lang,
        f"方法：基准与各项措施组合共求解{s['solves']}次（其中沙普利值{s['shapley_solves']}次，"
        f"对单独实施与最后加入相差超过{s['interaction_share']:.0%}的措施：{shap}，{orders_zh}）；"
        f"重建模型{s['rebuilds']}次，其余在原模型上热启动重解（按切换代价由近及远）；CPU {s['cpu_s']:.0f}秒。"
        "外送按目标口径计（酒泉断面净外送）。"
        "成本为真实系统成本（年化投资、固定运维与扣除外送收入后的运行成本变化），不含目标缺口罚金（罚金不是价格）。"
        "今年不能全年投运的措施按全年投运计算其作用（投运后一年），不计入今年合计。"
        + weather_note(s, "zh"),
        f"Method: {s['solves']} solves of the base and sets of measures ({s['shapley_solves']} for the "
        f"Shapley values of the measures whose alone and last-added contributions differ by more than "
        f"{s['interaction_share']:.0%}: {shap}; {orders_en}); {s['rebuilds']} "
        "models built, the other sets re-solved in place, each from the nearest set solved (by "
        f"the measured cost of switching each measure); CPU {s['cpu_s']:.0f} s. "
        "Export as the target counts it (net flow out of Jiuquan). Cost is the real system cost "
        "(annualised capital, fixed O&M and the change of operating cost less export revenue), never the target's "
        "shortfall penalty (a penalty is not a price). Measures not in service all this year are "
        "solved as if in service all year (a year once running) and left out of this year's total. "
        + weather_note(s, "en"),
    )


def measures_report(folder, lang="zh") -> dict:
    from ...plotting.measures import draw

    folder = Path(folder)
    table = pd.read_csv(folder / "measures.csv", keep_default_na=True)
    for col in ("note_zh", "note_en", "size_zh", "size_en", "in_service"):
        table[col] = table[col].fillna("")
    s = json.loads((folder / "measures.json").read_text(encoding="utf-8"))
    style.setup(lang)
    name = (s.get("title") or {}).get(lang) or s["name"]
    text = answer(table, s, lang)
    t, src = measures_table(table, lang), sources_table(table, lang)
    k = s.get("segments_per_day")
    merged = _w(
        lang,
        f"（每日{k}段时间聚合，快速估算；与逐时计算的差别见README“工作报告各项措施”一节）",
        f" (merged into {k} segments a day: a fast estimate; how far it is from every hour: "
        "README, The work report's measures)",
    )
    sub = _w(
        lang,
        f"基准情景：{(s['scenario_title'] or {}).get('zh', s['scenario'])}｜{s['hours']:,}小时",
        f"Base scenario: {(s['scenario_title'] or {}).get('en', s['scenario'])} | {s['hours']:,} hours",
    ) + (merged if k else "")

    def build(charts_dir):
        charts = draw(table, s, charts_dir, lang)
        blocks = [page.h("h1", name), page.h("p", sub, "sub"), page.h("p", text, "answer")]
        blocks += [page.figure(c) for c in charts]
        blocks.append(page.h("p", base_note(s, lang), "note"))
        blocks += [
            page.table(t, lang),
            page.table(src, lang),
            page.h("p", method_note(s, lang), "note"),
            page.h(
                "p", provenance.line(provenance.stamp(date_key="report_date"), lang), "note prov"
            ),
        ]
        return blocks, text

    return page.write(folder, lang, name, build, lambda: [t, src])
