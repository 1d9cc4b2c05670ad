"""The meeting report of a run or a sweep: one self-contained HTML file (charts embedded, opens
offline) and an Excel workbook of the tables, in Chinese (default) or English.

The first screen says the answer in one sentence: how much is exported as the target counts it,
what share of the target that is, in which months the gap lies, and what holds export back.
Everything comes from the files the run or sweep wrote, so any results folder can be reported.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import pandas as pd

from .charts import style
from .errors import InputError
from .output import atomic_dir, claim

REPORT = "report"


# ------------------------------------------------------------------ the answer in one sentence
def binding_limit(s: dict, lang: str) -> str:
    """What holds export back, judged from the run's own figures."""
    sync = max(s.get("sync_support_binding_hours", {}).values(), default=0)
    lines = s.get("line_hours_at_limit", {})
    line, line_h = max(lines.items(), key=lambda kv: kv[1], default=(None, 0))
    curtailed = sum(s["curtailment_mwh"].values())
    if sync and sync >= line_h:
        return (f"直流外送受同步电源支撑不足制约（{sync:,}小时）" if lang == "zh"
                else f"the DC line's synchronous support ({sync:,} hours binding)")
    if line and line_h >= 500:
        return (f"{line}通道满载{line_h:,}小时" if lang == "zh" else f"line {line} at its limit for {line_h:,} hours")
    if curtailed < 0.01 * sum(s["available_mwh"].values()):
        return ("电源不足：无风少光时段无电可送" if lang == "zh"
                else "too little generation: calm, dark hours have nothing to send")
    return "调节能力不足" if lang == "zh" else "a lack of flexibility"


def gap_months(monthly: pd.DataFrame, n=3) -> list[str]:
    """The months furthest below their share of the target, worst first."""
    short = (monthly["target_path_mwh"] - monthly["export_total_mwh"]).sort_values(ascending=False)
    return [monthly.loc[i, "month"] for i in short.index[:n] if short[i] > 0]


def headline(s: dict, monthly: pd.DataFrame, lang: str) -> str:
    counted, target = s["target_counted_mwh"], s["target_mwh"]
    share = counted / target if target else 0.0
    months = gap_months(monthly)
    if lang == "zh":
        text = (f"{s['scenario']}：外送电量（{'扣除省网购电' if 'net' in s['target_basis'] else '全口径'}）"
                f"{style.energy(counted, 'zh'):.1f}亿千瓦时，为{style.energy(target, 'zh'):.0f}亿千瓦时目标的{share:.1%}")
        if s["target_reached"]:
            return text + "，目标可以实现。"
        where = f"；缺口主要在{'、'.join(m[-2:].lstrip('0') + '月' for m in months)}" if months else ""
        reach = (f"，本模式下目标不可及（外送上限{style.energy(s['target_ceiling_mwh'], 'zh'):.1f}亿千瓦时）"
                 if s.get("target_status") == "out_of_reach" and s.get("target_ceiling_mwh") is not None else "")
        return text + f"，缺口{style.energy(s['shortfall_mwh'], 'zh'):.1f}亿千瓦时{where}{reach}；主要制约：{binding_limit(s, 'zh')}。"
    text = (f"{s['scenario']}: {s['target_basis']} of {style.energy(counted, 'en'):.2f} TWh, "
            f"{share:.1%} of the {style.energy(target, 'en'):.0f} TWh target")
    if s["target_reached"]:
        return text + ": the target is reached."
    where = f"; the gap lies mostly in {', '.join(months)}" if months else ""
    reach = (f"; out of reach in this mode (ceiling {style.energy(s['target_ceiling_mwh'], 'en'):.2f} TWh)"
             if s.get("target_status") == "out_of_reach" and s.get("target_ceiling_mwh") is not None else "")
    return text + f", {style.energy(s['shortfall_mwh'], 'en'):.2f} TWh short{where}{reach}; binding limit: {binding_limit(s, 'en')}."


# ------------------------------------------------------------------ tables
def key_figures(s: dict, lang: str) -> pd.DataFrame:
    zh = lang == "zh"

    def e(mwh):
        return round(style.energy(mwh, lang), 2)

    unit = "亿千瓦时" if zh else "TWh"
    rows = [
        ("外送电量" if zh else "Export", e(s["export_mwh"]), unit),
        ("计入目标的外送电量" if zh else "Export as the target counts it", e(s["target_counted_mwh"]), unit),
        ("外送目标" if zh else "Target", e(s["target_mwh"]), unit),
        ("缺口" if zh else "Shortfall", e(s["shortfall_mwh"]), unit),
        target_price_row(s, lang),
        *([("外送上限（计入目标口径）" if zh else "Ceiling (as the target counts export)", e(s["target_ceiling_mwh"]), unit)]
          if s.get("target_ceiling_mwh") is not None else []),
        ("本地用电" if zh else "Local consumption", e(s["local_demand_mwh"]), unit),
        ("省网购电" if zh else "Imports", e(s["import_mwh"]), unit),
        ("二氧化碳排放" if zh else "CO2", round(s["co2_t"] / 1e4, 1), "万吨" if zh else "10 kt"),
    ]
    for tech, key in (("wind", "curtailment_rate_wind"), ("pv", "curtailment_rate_pv")):
        if tech in s["curtailment_rate"]:
            rows.append((style.label(key, lang), f"{s['curtailment_rate'][tech]:.1%}", ""))
    return pd.DataFrame(rows, columns=["指标", "数值", "单位"] if zh else ["Figure", "Value", "Unit"])


def target_price_row(s: dict, lang: str) -> tuple:
    """The target's price only where it is a marginal cost; otherwise what the target's state is.
    A shortfall penalty is not a price, so it is never shown as one."""
    zh = lang == "zh"
    status, price = s.get("target_status"), s["target_price_cny_per_mwh"]
    label = "目标影子价格" if zh else "Target price"
    if price is not None:
        return (label, round(price, 1), "元/兆瓦时" if zh else "CNY/MWh")
    gap = style.energy(s["shortfall_mwh"], lang)
    words = {
        "out_of_reach": (f"目标不可及：缺口{gap:.1f}亿千瓦时（无价格：罚金不是成本）" if zh
                         else f"out of reach: {gap:.2f} TWh short (no price: a penalty is not a cost)"),
        "short": (f"未达目标：缺口{gap:.1f}亿千瓦时，超出部分成本高于罚金（无价格）" if zh
                  else f"short by {gap:.2f} TWh: each further MWh costs more than the penalty (no price)"),
        "at_edge": ("恰在上限：再多一兆瓦时即不可及（无单一价格）" if zh
                    else "at the edge: met exactly, one MWh more is out of reach (no single price)"),
    }
    return (label, words.get(status, "无目标" if zh else "no target"), "")


def technology_table(s: dict, lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = []
    for tech, mw in s["capacity_mw"].items():
        rows.append({
            ("技术" if zh else "Technology"): style.label(tech, lang),
            ("装机（万千瓦）" if zh else "Capacity (GW)"): round(style.power(mw, lang), 2),
            ("发电量（亿千瓦时）" if zh else "Generation (TWh)"): round(style.energy(s["generation_mwh"].get(tech, 0), lang), 2),
            (style.label("utilisation_hours", lang)): round(s["utilisation_hours"].get(tech, 0)),
            ("弃电率" if zh else "Curtailment rate"): (f"{s['curtailment_rate'][tech]:.1%}" if tech in s["curtailment_rate"] else ""),
        })
    return pd.DataFrame(rows)


def additions_table(s: dict, lang: str) -> pd.DataFrame:
    """Plan mode: what is built, and what it costs a year (annualised capital and fixed O&M)."""
    zh = lang == "zh"
    rows = [{("单元" if zh else "Unit"): a["unit"], ("类型" if zh else "Kind"): a["family"],
             ("容量项" if zh else "Dimension"): a["dimension"], ("现有" if zh else "Existing"): round(a["existing"], 1),
             ("新增" if zh else "Added"): round(a["added"], 1), ("单位" if zh else "Unit of measure"): a["unit_of_measure"],
             ("年化成本（万元）" if zh else "Annualised cost (CNY million)"):
                 round(a["annualised_cost_cny"] / (1e4 if zh else 1e6), 1)}
            for a in s.get("additions", [])]
    return pd.DataFrame(rows)


def monthly_table(monthly: pd.DataFrame, s: dict, lang: str) -> pd.DataFrame:
    """By month, in the target's own measure (export net of imports unless the scenario says not)."""
    zh = lang == "zh"
    imports = monthly[[c for c in monthly.columns if c.startswith("import_")]].sum(axis=1)
    counted = monthly["export_total_mwh"] - (imports if "net" in s["target_basis"] else 0.0)
    cols = {("月份" if zh else "Month"): monthly["month"],
            ("外送电量" if zh else "Export"): monthly["export_total_mwh"],
            ("省网购电" if zh else "Imports"): imports,
            ("计入目标" if zh else "Counted"): counted,
            ("目标进度" if zh else "Target path"): monthly["target_path_mwh"],
            ("累计计入" if zh else "Counted, cumulative"): counted.cumsum(),
            ("累计目标" if zh else "Target, cumulative"): monthly["target_cumulative_mwh"]}
    for c in monthly.columns:
        if c.startswith("curtailment_") and c.endswith("_mwh"):
            cols[f"{style.label(c[12:-4], lang)}{'弃电' if zh else ' curtailed'}"] = monthly[c]
    out = pd.DataFrame(cols)
    for c in out.columns[1:]:
        out[c] = style.energy(out[c], lang).round(2)
    return out


# ------------------------------------------------------------------ HTML and Excel
CSS = """body{font-family:'Report CJK','Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222}h1{font-size:1.5em}.answer{font-size:1.25em;background:#fff4e5;border-left:6px solid #e66101;padding:.8em 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}img{max-width:100%}
.note{color:#666;font-size:.9em}"""


def _img(path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img src="data:image/png;base64,{data}" alt="">'


def _font_face(text: str) -> str:
    """The report's font, cut down to the characters it uses and embedded, so the page shows
    Chinese on a machine without a Chinese font (tens of kB instead of the font's 16 MB)."""
    from fontTools import subset

    options = subset.Options()
    font = subset.load_font(style.font_path(), options)
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f"@font-face{{font-family:'Report CJK';src:url(data:font/otf;base64,{data}) format('opentype')}}"


def _html(title: str, answer: str, tables: list, charts: list, note: str, lang: str) -> str:
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="answer">{html.escape(answer)}</p>']
    for caption, df in tables:
        body += [f"<h2>{html.escape(caption)}</h2>", df.to_html(index=False, border=0, na_rep="")]
    for c in charts:
        body.append(f"<figure>{_img(c['png'])}<figcaption>{html.escape(c['title'])}</figcaption></figure>")
    body.append(f'<p class="note">{html.escape(note)}</p></body></html>')
    text = html.unescape(" ".join(body[:1] + [title, answer, note] + [c["title"] for c in charts]
                                  + [df.to_string() + caption for caption, df in tables]))
    head = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
            f"<title>{html.escape(title)}</title><style>{_font_face(text)}{CSS}</style></head><body>"]
    return "\n".join(head + body)


def _excel(path: Path, tables: list):
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for caption, df in tables:
            df.to_excel(xl, sheet_name=caption[:31], index=False)
            _as_text(xl.book[caption[:31]])


def _as_text(sheet):
    """openpyxl makes any text that starts with '=' a formula; names, descriptions and error
    messages come from users' files, so every cell is kept as the text it is."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _write(folder: Path, lang: str, title: str, answer: str, tables: list, draw, note: str) -> dict:
    target = folder / REPORT
    with atomic_dir(target, "report") as tmp:
        charts = draw(tmp / "charts")
        (tmp / f"report_{lang}.html").write_text(_html(title, answer, tables, charts, note, lang), encoding="utf-8")
        _excel(tmp / f"report_{lang}.xlsx", tables)
        for old in (target.glob("report_*") if target.exists() else []):  # keep the other language's files
            if not (tmp / old.name).exists():
                (tmp / old.name).write_bytes(old.read_bytes())
    return {"html": target / f"report_{lang}.html", "xlsx": target / f"report_{lang}.xlsx", "answer": answer}


def run_report(run_dir, lang="zh") -> dict:
    from .charts.run_charts import draw_run

    run_dir = Path(run_dir)
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    monthly = pd.read_csv(run_dir / "monthly.csv")
    style.setup(lang)
    zh = lang == "zh"
    tables = [("关键指标" if zh else "Key figures", key_figures(s, lang)),
              ("分技术" if zh else "By technology", technology_table(s, lang)),
              ("分月" if zh else "By month", monthly_table(monthly, s, lang))]
    if s.get("additions"):
        tables.insert(1, ("新增装机" if zh else "Additions", additions_table(s, lang)))
    title = f"{s['scenario']} {'外送电量分析' if zh else 'export analysis'}"
    k = s.get("segments_per_day")
    merged = ((f"（时间聚合：每日{k}段，共{s['time_steps']}个时段，为快速估算）" if zh else
               f" (time aggregation: {k} segments a day, {s['time_steps']} time steps, for fast estimates)")
              if k else "")
    note = (f"模式 {s['mode']}，{s['hours']} 小时{merged}，求解状态 {s['status']}；能量平衡最大残差 {s['balance_max_abs_mw']:.1e} MW。"
            if zh else f"Mode {s['mode']}, {s['hours']} hours{merged}, solver status {s['status']}; largest energy-balance "
            f"residual {s['balance_max_abs_mw']:.1e} MW.")
    note += " " + curtailment_note(s, lang)
    ties = s.get("plan_ties") or {}
    if ties.get("tied"):
        note += ((" 规划并列：" + "、".join(t["option"] for t in ties["interchangeable"])
                  + "可按相同最低成本替代部分已建选项，本方案是多个最低成本方案之一。") if zh else
                 " Plan tie: " + ties["note"] + ".")
    if s.get("target_price_reason") and s.get("target_price_cny_per_mwh") is None and s.get("target_status") != "no_target":
        note += (" 目标价格：" if zh else " Target price: ") + s["target_price_reason"] + "."
    return _write(run_dir, lang, title, headline(s, monthly, lang), tables,
                  lambda out: draw_run(run_dir, out, lang), note)


def curtailment_note(s: dict, lang: str) -> str:
    """How 弃风率 and 弃光率 were shared out (system.curtailment_rule)."""
    if s.get("curtailment_rule", "pro_rata") == "pro_rata":
        return ("弃电分摊规则：同一节点（或同一弃电分组）同一时段内，各风电、光伏场站按可发电量同比例弃电；"
                "在等成本的调度中，取储能与电采暖用电最少者，弃电量即真正的富余电量。" if lang == "zh" else
                "Curtailment rule: within a bus (or curtailment group) and time step every wind and PV plant is "
                "curtailed by the same fraction of what it could produce; among equal-cost dispatches the one "
                "drawing least into stores and boilers is taken, so curtailment is what is really surplus.")
    return ("弃电分摊规则：自由（最优解允许的任意分摊，弃风率与弃光率不唯一）。" if lang == "zh" else
            "Curtailment rule: free (any split the optimum allows; 弃风率 and 弃光率 are not unique).")


def sweep_answer(points: pd.DataFrame, design: dict, lang: str) -> str:
    ok = points[points["status"] == "ok"]
    counted = ok["target_counted_mwh"]
    p50, p90 = counted.median(), counted.quantile(0.1)
    reached = ok["target_reached"].astype(bool)
    if lang == "zh":
        return (f"{design['name']}（{len(ok)}个方案）：外送电量中位数{style.energy(p50, 'zh'):.1f}亿千瓦时，"
                f"P90为{style.energy(p90, 'zh'):.1f}亿千瓦时，{reached.sum()}个方案（{reached.mean():.0%}）达到目标。")
    return (f"{design['name']} ({len(ok)} points): median export {style.energy(p50, 'en'):.2f} TWh, P90 "
            f"{style.energy(p90, 'en'):.2f} TWh; {reached.sum()} points ({reached.mean():.0%}) reach the target.")


def sweep_report(sweep_dir, lang="zh") -> dict:
    from .charts.sweep_charts import draw_sweep

    sweep_dir = Path(sweep_dir)
    points = pd.read_parquet(sweep_dir / "points.parquet")
    design = json.loads((sweep_dir / "sweep.json").read_text(encoding="utf-8"))
    style.setup(lang)
    zh = lang == "zh"
    failed = int((points["status"] != "ok").sum())
    note = (f"设计：{design['design']}；失败方案{failed}个。" if zh else f"Design: {design['design']}; {failed} failed points.")
    return _write(sweep_dir, lang, f"{design['name']} {'敏感性分析' if zh else 'sensitivity sweep'}",
                  sweep_answer(points, design, lang), [("方案" if zh else "Points", points)],
                  lambda out: draw_sweep(sweep_dir, out, lang), note)


def comparison_table(summaries: list[dict], names: list[str], lang: str) -> pd.DataFrame:
    """Key figures of several runs side by side, one column a run (named by its folder)."""
    columns = []
    for s, name in zip(summaries, names):
        figures = key_figures(s, lang)
        columns.append(figures.set_index(figures.columns[0]).iloc[:, 0].rename(name))
    return pd.concat(columns, axis=1).reset_index()


def compare_report(run_dirs, out, lang="zh") -> dict:
    """Several runs side by side: one report in ``out``."""
    from .charts.compare import draw_comparison

    run_dirs = [Path(d) for d in run_dirs]
    for d in run_dirs:
        if not (d / "summary.json").exists():
            raise InputError(d, None, "expected a run folder (with summary.json)")
    summaries = [json.loads((d / "summary.json").read_text(encoding="utf-8")) for d in run_dirs]
    style.setup(lang)
    zh = lang == "zh"
    names = [d.name if [e.name for e in run_dirs].count(d.name) == 1 else str(d) for d in run_dirs]
    table = comparison_table(summaries, names, lang)
    counted = [s["target_counted_mwh"] for s in summaries]
    best = max(range(len(names)), key=counted.__getitem__)
    value = style.energy(counted[best], lang)
    answer = (f"{len(run_dirs)}个情景中，{names[best]}外送电量最高（{value:.1f}亿千瓦时）。" if zh else
              f"Of {len(run_dirs)} scenarios, {names[best]} exports most ({value:.2f} TWh).")
    out = claim(Path(out), "compare")
    return _write(out, lang, "情景比较" if zh else "Scenario comparison", answer,
                  [("情景比较" if zh else "Comparison", table)],
                  lambda charts: draw_comparison(run_dirs, charts, lang),
                  "，".join(str(d) for d in run_dirs) if zh else ", ".join(str(d) for d in run_dirs))


def backcast_report(folder, lang="zh") -> dict:
    """The backcast's page: each published figure, its band and the model's value."""
    folder = Path(folder)
    table = pd.read_csv(folder / "backcast.csv")
    zh = lang == "zh"
    within = int(table["within"].sum())
    answer = (f"{len(table)}个公布数据中{within}个落在区间内（2019、2020年甘肃背景模型，经济调度）。" if zh
              else f"{within} of {len(table)} published figures within their band (the 2019 and "
                   f"2020 Gansu context, economic dispatch).")
    note = ("只调整了假设（data/README.md），未改动任何公布数据。" if zh
            else "Only assumptions were tuned (data/README.md); no published figure was changed.")
    return _write(folder, lang, "回测" if zh else "Backcast", answer,
                  [("回测" if zh else "Backcast", table)], lambda out: [], note)


def report(folder, lang="zh") -> dict:
    """Report on a run folder, a sweep folder or a backcast folder, whichever ``folder`` is."""
    folder = Path(folder)
    if (folder / "backcast.csv").exists():
        return backcast_report(folder, lang)
    if (folder / "points.parquet").exists():
        return sweep_report(folder, lang)
    if (folder / "summary.json").exists():
        return run_report(folder, lang)
    raise InputError(folder, None, "expected a run folder (with summary.json) or a sweep folder (with points.parquet)")
