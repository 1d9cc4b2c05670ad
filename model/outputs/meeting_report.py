"""The meeting report of a run: one self-contained HTML file and an Excel workbook, in Chinese
(default) or English. Sweeps, comparisons and target curves have theirs in model/outputs/reports/.

The page reads in a meeting's order: the answer in one sentence (how much is exported as the
target counts it, what share of the target that is, in which months the gap lies, what holds
export back), the one key chart, the binding limits, then the tables, the other charts, an
interactive view of the hourly results, the scenario and its main assumptions with their
sources, and where the figures come from. Everything comes from the files the run wrote, so any
results folder can be reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..plotting import style
from ..plotting.run_charts import line_name
from . import provenance
from . import quantities as qty
from .reports import names, page, viewer
from .reports.run_tables import (
    assumptions_table,
    counted_monthly,
    hourly_table,
    limits_table,
    run_tables,
    scenario_block,
)

REPORT = page.REPORT


_words = names.say


# ------------------------------------------------------------------ the answer in one sentence
def binding_limit(s: dict, lang: str) -> str:
    """What holds export back, judged from the run's own figures."""
    sync = max(s.get("sync_support_binding_hours", {}).values(), default=0)
    lines = s.get("line_hours_at_limit", {})
    line, line_h = max(lines.items(), key=lambda kv: kv[1], default=(None, 0))
    curtailed = sum(s["curtailment_mwh"].values())
    if sync and sync >= line_h:
        return _words(
            lang,
            f"直流外送受同步电源支撑不足制约（{sync:,}小时）",
            f"the DC line's synchronous support ({sync:,} hours binding)",
        )
    if line and line_h >= 500:
        return _words(
            lang,
            f"{line_name(line, lang)}通道满载{line_h:,}小时",
            f"{line_name(line, lang)} at its limit for {line_h:,} hours",
        )
    if curtailed < 0.01 * sum(s["available_mwh"].values()):
        return _words(
            lang,
            "电源不足：无风少光时段无电可送",
            "too little generation: calm, dark hours have nothing to send",
        )
    return _words(lang, "调节能力不足", "a lack of flexibility")


def gap_months(monthly: pd.DataFrame, s: dict | None = None, n=3) -> list[str]:
    """The ``n`` months furthest below their share of the target, as the target counts export
    (``s``: the summary; None: net of imports), in calendar order."""
    short = (monthly["target_path_mwh"] - counted_monthly(monthly, s)).sort_values(ascending=False)
    worst = [i for i in short.index[:n] if short[i] > 0]
    return [monthly.loc[i, "month"] for i in sorted(worst)]


def headline(s: dict, monthly: pd.DataFrame, lang: str) -> str:
    counted, target = s["target_counted_mwh"], s["target_mwh"]
    share = counted / target if target else 0.0
    months = gap_months(monthly, s)
    e = lambda mwh: qty.text("energy", mwh, lang, 1 if lang == "zh" else 2)  # noqa: E731
    whole = abs(qty.value("energy", target, lang) - round(qty.value("energy", target, lang))) < 0.05
    goal = qty.text("energy", target, lang, 0 if whole else None)  # 280亿千瓦时; a week's 5.37
    if lang == "zh":
        text = (
            f"{names.title(s, 'zh')}：外送电量（{'扣除省网购电' if 'net' in s['target_basis'] else '全口径'}）"
            f"{e(counted)}，为{goal}目标的{share:.1%}"
        )
        if s["target_reached"]:
            return text + "，目标可以实现" + built(s, "zh") + "。"
        where = f"；缺口主要在{'、'.join(str(int(m[-2:])) + '月' for m in months)}" if months else ""
        reach = (
            f"，本模式下目标不可及（外送上限{e(s['target_ceiling_mwh'])}）"
            if s.get("target_status") == "out_of_reach" and s.get("target_ceiling_mwh") is not None
            else ""
        )
        return text + f"，缺口{e(s['shortfall_mwh'])}{where}{reach}；主要制约：{binding_limit(s, 'zh')}。"
    basis = "export net of imports" if "net" in s["target_basis"] else "export"
    text = f"{names.title(s, 'en')}: {basis} of {e(counted)}, {share:.1%} of the {goal} target"
    if s["target_reached"]:
        return text + ": the target is reached" + built(s, "en") + "."
    where = (
        f"; the gap lies mostly in {', '.join(pd.Timestamp(m + '-01').strftime('%B') for m in months)}"
        if months
        else ""
    )
    reach = (
        f"; out of reach in this mode (ceiling {e(s['target_ceiling_mwh'])})"
        if s.get("target_status") == "out_of_reach" and s.get("target_ceiling_mwh") is not None
        else ""
    )
    return text + f", {e(s['shortfall_mwh'])} short{where}{reach}; binding limit: {binding_limit(s, 'en')}."


def built(s: dict, lang: str, most=3) -> str:
    """Plan mode: what the answer needs built (the costliest additions) and what it costs a year."""
    from .reports.run_tables import addition_kind, addition_name

    added = sorted((a for a in s.get("additions") or [] if a["added"] > 1e-6),
                   key=lambda a: -a["annualised_cost_cny"])
    if not added:
        return ""
    items = [f"{addition_name(a, lang)}{'' if lang == 'zh' else ' '}{qty.text(addition_kind(a), a['added'], lang)}"
             for a in added[:most]]
    more = _words(lang, "等", " and more") if len(added) > most else ""
    cost = qty.text("money", sum(a["annualised_cost_cny"] for a in added), lang)
    return _words(lang, f"，需新增{'、'.join(items)}{more}，年化成本{cost}",
                  f", with {', '.join(items)}{more} built, at {cost} a year")


def warnings(s: dict, lang: str) -> list[str]:
    """What a presenter must say aloud: demand or heat left unserved."""
    out = []
    if s.get("unserved_mwh", 0) > 0.5:
        out.append(
            _words(
                lang,
                f"注意：本地用电有{qty.text('energy_small', s['unserved_mwh'], 'zh')}未能供应。",
                f"Note: {qty.text('energy_small', s['unserved_mwh'], 'en')} of local demand is not served.",
            )
        )
    if s.get("heating_unserved_mwh_th", 0) > 0.5:
        heat = qty.text("heat", s["heating_unserved_mwh_th"], lang)
        out.append(
            _words(
                lang,
                f"注意：清洁供暖有{heat}热负荷未能满足（{names.mode(s, 'zh')}下以外送优先）。",
                f"Note: {heat} of clean-heating demand is not met ({names.mode(s, 'en')} puts export first).",
            )
        )
    return out


# ------------------------------------------------------------------ the page
def notes(s: dict, lang: str) -> str:
    zh = lang == "zh"
    status = {"Optimal": ("求得最优解", "solved to optimality")}.get(s["status"], (s["status"], s["status"]))
    note = (
        f"求解：{names.pick(status, lang)}；能量平衡最大残差{s['balance_max_abs_mw']:.3f}兆瓦（自检通过）。"
        if zh
        else f"Solver: {names.pick(status, lang)}; largest energy-balance residual {s['balance_max_abs_mw']:.3f} MW "
        "(self-check passed)."
    )
    note += " " + curtailment_note(s, lang)
    ties = s.get("plan_ties") or {}
    if ties.get("tied"):
        note += (
            " 规划并列：部分新增选项可按相同最低成本相互替代，本方案是多个最低成本方案之一。"
            if zh
            else " Plan tie: " + ties["note"] + "."
        )
    if (
        not zh
        and s.get("target_price_reason")
        and s.get("target_price_cny_per_mwh") is None
        and s.get("target_status") != "no_target"
    ):
        note += " Target price: " + s["target_price_reason"] + "."
    return note


def curtailment_note(s: dict, lang: str) -> str:
    """How 弃风率 and 弃光率 were shared out (system.curtailment_rule)."""
    if s.get("curtailment_rule", "pro_rata") == "pro_rata":
        return (
            "弃电分摊规则：同一节点（或同一弃电分组）同一时段内，各风电、光伏场站按可发电量同比例弃电；"
            "在等成本的调度中，取储能与电采暖用电最少者，弃电量即真正的富余电量。"
            if lang == "zh"
            else "Curtailment rule: within a bus (or curtailment group) and time step every wind and PV plant is "
            "curtailed by the same fraction of what it could produce; among equal-cost dispatches the one "
            "drawing least into stores and boilers is taken, so curtailment is what is really surplus."
        )
    return (
        "弃电分摊规则：自由分摊（最优解允许的任意分摊，弃风率与弃光率不唯一）。"
        if lang == "zh"
        else "Curtailment rule: free (any split the optimum allows; the wind and PV rates are not unique)."
    )


def run_report(run_dir, lang="zh", hourly_sheet=False) -> dict:
    from ..plotting.run_charts import draw_run

    run_dir = Path(run_dir)
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    monthly = pd.read_csv(run_dir / "monthly.csv")
    hourly = pd.read_parquet(run_dir / "hourly.parquet")
    style.setup(lang)
    tables = run_tables(s, monthly, lang, names.unit_names(hourly.columns, lang))
    limits, assumptions = limits_table(s, lang), assumptions_table(s, run_dir, lang)
    answer = headline(s, monthly, lang)
    title = f"{names.title(s, lang)}{_words(lang, '：外送电量分析', ': export analysis')}"

    def build(charts_dir):
        charts = draw_run(run_dir, charts_dir, lang)
        key = [c for c in charts if c["name"] == "export_vs_target"]
        blocks = [page.h("h1", title), page.h("p", _subtitle(s, lang), "sub"), page.h("p", answer, "answer")]
        blocks += [page.h("p", w, "warn") for w in warnings(s, lang)]
        blocks += [page.figure(c) for c in key]
        blocks += [
            page.h("h2", limits.caption),
            page.h("p", _words(lang, "判断：", "Judgement: ") + binding_limit(s, lang), "note"),
            page.tables.to_html(limits, lang),
        ]
        blocks += [page.table(t, lang) for t in tables]
        blocks += [page.figure(c) for c in charts if c not in key]
        blocks.append(viewer.html(hourly, lang))
        blocks += scenario_block(s, assumptions, lang)
        blocks += [
            page.h("p", notes(s, lang), "note"),
            page.h("p", provenance.line(s["provenance"], lang), "note prov") if s.get("provenance") else "",
        ]
        return blocks, answer

    def sheets():
        out = [*tables, limits, assumptions]
        return out + ([hourly_table(run_dir, hourly, lang)] if hourly_sheet else [])

    return page.write(run_dir, lang, title, build, sheets)


def _subtitle(s: dict, lang: str) -> str:
    first, last = s["period"][0][:10], s["period"][1][:10]
    k = s.get("segments_per_day")
    merged = _words(lang, f"（每日{k}段时间聚合，快速估算）", f" (merged into {k} segments a day: a fast estimate)") if k else ""
    return _words(
        lang,
        f"{names.mode(s, 'zh')}｜{first}至{last}｜{s['hours']:,}小时{merged}",
        f"{names.mode(s, 'en').capitalize()} | {first} to {last} | {s['hours']:,} hours{merged}",
    )


def report(folder, lang="zh", hourly_sheet=False) -> dict:
    """Report on a run, sweep, target-curve or backcast folder, whichever ``folder`` is."""
    from .reports.sweep import sweep_report

    folder = Path(folder)
    if (folder / "backcast.csv").exists():
        from .reports.backcast import backcast_report

        return backcast_report(folder, lang)
    if (folder / "measures.csv").exists():
        from .reports.measures import measures_report

        return measures_report(folder, lang)
    if (folder / "points.parquet").exists():
        return sweep_report(folder, lang)
    if (folder / "summary.json").exists():
        return run_report(folder, lang, hourly_sheet)
    if (folder / "target_curve.csv").exists():
        from .reports.target_curve import target_curve_report

        return target_curve_report(folder, lang)
    raise InputError(
        folder, None, "expected a run folder (with summary.json), a sweep folder (with points.parquet) or a "
        "target-curve folder (with target_curve.csv)"
    )
