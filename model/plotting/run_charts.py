"""Charts of one run, drawn from the files the run wrote, so that any results folder can be charted.

``draw_run(run_dir, out_dir, lang)`` reads summary.json, monthly.csv and hourly.parquet and draws,
in the work report's units (亿千瓦时, 万千瓦, 元/兆瓦时; TWh, GW, CNY/MWh in English):

    export_vs_target   export by month against the monthly path to the target, both cumulated
    dispatch_winter    the hourly balance of a typical winter week and of a typical summer week
    dispatch_summer    (``dispatch``: the whole run, when it is two weeks or shorter)
    curtailment        curtailed wind and PV energy by month, with 弃风率 and 弃光率
    export_by_line     export by month and line, imports that the target deducts below zero
    storage            state of charge of each store (only when the run has storage)
    duration_curves    total export and bus price, hours sorted from highest to lowest

Export is measured as the target measures it (``target_basis`` in the summary: net of imports by
default), so the charts agree with the headline of the meeting report.

The first part of the module holds what the sweep and comparison charts share: labels that
style.LABELS lacks, number formats, the target measure, and making and saving a figure.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.ticker import PercentFormatter

from ..outputs.reports import names
from . import style

# ------------------------------------------------------------------ shared: words and numbers
# Labels the shared style does not have: (Chinese, English), with {placeholders}.
TEXT = {
    "measure_net": ("外送电量（扣除省网购电）", "Export net of imports"),
    "measure_gross": ("外送电量", "Export"),
    "measure_counted": ("计入目标的外送电量", "Export as the target counts it"),
    "unit_energy": ("亿千瓦时", "TWh"),
    "unit_power": ("万千瓦", "GW"),
    "unit_price": ("元/兆瓦时", "CNY/MWh"),
    "target_value": ("目标 {value}", "Target {value}"),
    "base_value": ("基准 {value}", "Base {value}"),
    "cumulative_energy": ("累计电量（亿千瓦时）", "Cumulative energy (TWh)"),
    "monthly_measure": ("月度{measure}", "{measure}, monthly"),
    "cumulative_measure": ("累计{measure}", "{measure}, cumulative"),
    "target_path": ("目标月度进度", "Target, monthly path"),
    "target_cumulative": ("目标累计进度", "Target, cumulative path"),
    "target_summary": ("计算期{measure}{counted}，目标{target}，完成{share:.1%}，{gap}",
                       "{measure} {counted} over the run against a target of {target}: {share:.1%}, {gap}"),
    "shortfall": ("缺口{value}", "{value} short"),
    "surplus": ("超出{value}", "{value} above"),
    "pro_rata": ("（全年目标{annual}按计算期{hours}小时折算）", " (the annual {annual} pro rata to {hours} hours)"),
    "title_export": ("逐月外送电量与目标进度", "Monthly export against the target path"),
    "title_dispatch_winter": ("冬季典型周电力平衡（{span}）", "Power balance, typical winter week ({span})"),
    "title_dispatch_summer": ("夏季典型周电力平衡（{span}）", "Power balance, typical summer week ({span})"),
    "title_dispatch_typical": ("典型周电力平衡（{span}）", "Power balance, typical week ({span})"),
    "title_dispatch": ("逐时电力平衡（{span}）", "Hourly power balance ({span})"),
    "week_choice": ("典型周：该季节外送电量最接近中位数的一周", "Typical week: the week of the season whose "
                    "export is nearest the season's median week"),
    "span": ("{first}至{last}", "{first} – {last}"),
    "storage": ("储能放电", "Storage discharging"),
    "storage_charge": ("储能充电", "Storage charging"),
    "curtailed": ("弃风弃光", "Curtailed wind and PV"),
    "demand_and_export": ("本地用电+外送", "Local demand + export"),
    "title_curtailment": ("逐月弃风弃光电量与弃风率、弃光率", "Curtailed wind and PV by month, with curtailment rates"),
    "curtailed_wind": ("弃风电量", "Curtailed wind"),
    "curtailed_pv": ("弃光电量", "Curtailed PV"),
    "curtailment_rate": ("弃电率（%）", "Curtailment rate (%)"),
    "annual_rates": ("{period}弃风率{wind:.1%}，弃光率{pv:.1%}", "{period}: wind {wind:.1%}, PV {pv:.1%} curtailed"),
    "year": ("全年", "Whole year"),
    "run": ("计算期", "Whole run"),
    "title_lines": ("分通道逐月外送电量", "Monthly export by line"),
    "imports_deducted": ("省网购电（目标中扣除）", "Imports (deducted by the target)"),
    "title_storage": ("储能电量变化", "Storage state of charge"),
    "storage_capacity": ("库容 {value}", "capacity {value}"),
    "daily_range": ("日内最高—最低", "daily high to low"),
    "daily_mean": ("日均", "daily mean"),
    "hourly": ("逐时", "hourly"),
    "title_duration": ("外送电力与节点电价持续曲线", "Duration curves of export and bus price"),
    "export_total": ("外送电力合计", "Total export"),
    "export_panel": ("外送电力", "Export"),
    "price_panel": ("节点电价", "Bus price"),
    "price_panel_of": ("节点电价（{bus}）", "Bus price ({bus})"),
    "duration_hours": ("小时数（按大小排序）", "Hours, highest first"),
    "price_of": ("{bus}节点电价", "Price at {bus}"),
    "price_note": ("目标模式下节点电价含外送目标的影子价格（{price:.0f}元/兆瓦时）",
                   "In target mode the bus price includes the target's shadow price ({price:,.0f} CNY/MWh)"),
    "source": ("情景 {scenario}，{first}至{last}，{hours}小时", "Scenario {scenario}, {first} to {last}, {hours:,} hours"),
    "merged": ("（时间聚合：每日{k}段，曲线为时段均值）", " (time aggregation: {k} segments a day; curves show segment means)"),
}

# Names of the export lines of the bundled scenarios; other lines show their own id.
LINE_NAMES = {"qishao_dc": ("祁韶直流", "Qishao DC"), "hexi_750kv": ("河西750千伏", "Hexi 750 kV")}

# Lines and groups need colours beyond the technology colours of style: a few that sit well with
# the orange of export, so that a chart of lines still reads as "export".
SERIES_COLORS = ("#e66101", "#fdb863", "#5e3c99", "#b2abd2", "#1b7837", "#a6dba0")
DARK_EXPORT = "#a63603"  # cumulative export and demand + export: export's colour, darker to stand out from bars
PALE_STORAGE = "#c2a5cf"
LAYER_COLORS = {"storage": style.COLORS["battery"]}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def text(key: str, lang: str, **values) -> str:
    """A label of this module (or else of style) in ``lang``, with ``values`` filled in."""
    if key in TEXT:
        return pick(TEXT[key], lang).format(**values)
    return style.label(key, lang)


def labeller(table: dict):
    """The label function of a chart module: its own ``table`` first, then this module's and style's."""
    def label(key: str, lang: str, **values) -> str:
        if key in table:
            return pick(table[key], lang).format(**values)
        return text(key, lang, **values)
    return label


def number(value, lang: str, spec: str) -> str:
    """A number as each language writes it: 1045 in Chinese, 1,045 in English."""
    return format(value, spec if lang == "zh" else "," + spec)


def energy_value(mwh, lang: str) -> str:
    """An energy as a meeting reads it: 245.6 (亿千瓦时) or 24.56 (TWh)."""
    return report_energy(style.energy(mwh, lang), lang)


def report_energy(value, lang: str) -> str:
    """A value already in the report's energy unit, to the precision a meeting reads."""
    return number(value, lang, ".1f" if lang == "zh" else ".2f")


def energy_text(mwh, lang: str) -> str:
    """An energy with its unit: 245.6亿千瓦时, 24.56 TWh."""
    return f"{energy_value(mwh, lang)}{'' if lang == 'zh' else ' '}{text('unit_energy', lang)}"


def measure_label(basis: str | None, lang: str) -> str:
    """What the target counts: export net of imports, all export, or (basis unknown) the target's measure."""
    if basis is None:
        return text("measure_counted", lang)
    return text("measure_net" if "net" in basis else "measure_gross", lang)


def line_name(line: str, lang: str) -> str:
    return pick(LINE_NAMES[line], lang) if line in LINE_NAMES else line


# ------------------------------------------------------------------ shared: figures
def new_figure(nrows=1, ncols=1, size=(10, 5.2), **kw):
    # constrained layout keeps room for the legends placed outside the axes
    return plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kw)


def legend_above(ax, handles, max_cols: int = 6):
    """The legend between the title and the axes, where it hides no data; long ones in two rows."""
    ncols = len(handles) if len(handles) <= max_cols else -(-len(handles) // 2)
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=ncols)


def target_line(ax, mwh, lang: str, vertical=False):
    """The target as a dashed red line labelled with its value, at the far end of the axis."""
    value = style.energy(mwh, lang)
    label = text("target_value", lang, value=energy_value(mwh, lang))
    if vertical:
        ax.axvline(value, color=style.COLORS["target"], ls="--", lw=1.4, zorder=3)
        ax.annotate(label, (value, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                    textcoords="offset points", ha="left", va="top", color=style.COLORS["target"], fontsize=9)
    else:  # labelled at the right end, where falling curves (exceedance, duration) have left room
        ax.axhline(value, color=style.COLORS["target"], ls="--", lw=1.4, zorder=3)
        ax.annotate(label, (1, value), xycoords=("axes fraction", "data"), xytext=(-3, 3),
                    textcoords="offset points", ha="right", va="bottom", color=style.COLORS["target"], fontsize=9)
        low, high = ax.get_ylim()
        ax.set_ylim(low, max(high, value + 0.08 * (value - low)))  # the label stays inside the axes


def finish(fig, out_dir, name: str, title: str, notes=()) -> dict:
    """Title the figure, add the notes under it in small grey type, write PNG and SVG."""
    fig.suptitle(title, fontsize=14)
    if notes:
        # as the figure's x label, so that the layout keeps room for it under the axes
        fig.supxlabel("\n".join(notes), x=0.01, ha="left", fontsize=8.5, color="#555555")
    paths = style.save(fig, out_dir, name)
    return {"name": name, "title": title, "png": paths["png"], "svg": paths["svg"]}


def month_axis(ax, months, lang: str):
    """Months ("2019-01") as 1月...12月 or Jan...Dec, one tick a bar; room for at least four bars,
    so that a short run's one or two bars are not drawn a page wide."""
    ax.set_xticks(np.arange(len(months)), [month_text(m, lang) for m in months])
    middle, half = (len(months) - 1) / 2, max(len(months), 4) / 2
    ax.set_xlim(middle - half, middle + half)
    ax.set_xlabel(style.label("month", lang))


def month_text(month: str, lang: str) -> str:
    index = int(month[5:7])
    return f"{index}月" if lang == "zh" else calendar.month_abbr[index]


def day_text(ts: pd.Timestamp, lang: str) -> str:
    return f"{ts.month}月{ts.day}日" if lang == "zh" else f"{ts.day} {calendar.month_abbr[ts.month]}"


# ------------------------------------------------------------------ shared: a run's files
@dataclass
class RunFiles:
    folder: Path
    summary: dict
    monthly: pd.DataFrame

    @cached_property
    def hourly(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "hourly.parquet")

    @property
    def basis(self) -> str:
        return self.summary["target_basis"]


def load_run(run_dir) -> RunFiles:
    folder = Path(run_dir)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return RunFiles(folder, summary, pd.read_csv(folder / "monthly.csv"))


def counted_monthly(run: RunFiles) -> pd.Series:
    """Export by month as the target counts it: less imports when the target is net of them."""
    export = run.monthly["export_total_mwh"]
    if "net" not in run.basis:
        return export
    return export - monthly_imports(run.monthly)


def monthly_imports(monthly: pd.DataFrame) -> pd.Series:
    return monthly.filter(regex=r"^import_.*_mwh$").sum(axis=1)


def source_note(run: RunFiles, lang: str) -> str:
    s = run.summary
    first, last = (pd.Timestamp(t) for t in s["period"])
    note = text("source", lang, scenario=names.title(s, lang), first=first.date(), last=last.date(), hours=s["hours"])
    if s.get("segments_per_day"):  # merged hours: the curves are step means, say so under every chart
        note += text("merged", lang, k=s["segments_per_day"])
    return note


# ------------------------------------------------------------------ hourly quantities
# Generation in stacking order: steady sources at the bottom, the variable ones above.
GENERATION = {"hydro": "Hydro-p", "chp": "CHP-p", "coal": "Coal-p", "csp": "CSP-p", "wind": "Wind-p", "pv": "PV-p"}
# Supply stacks generation, storage and imports on top. Batteries and pumped hydro are one layer:
# in a week's balance they play one part, and two purples would only be told apart by the legend.
SUPPLY = (*((tech, (prefix,)) for tech, prefix in GENERATION.items()),
          ("storage", ("Battery-discharge", "PumpedHydro-discharge")), ("import", ("Import-p",)))
DEMAND = ("Demand-p", "DirectPurchase-p", "Heating-p")
CHARGE = ("Battery-charge", "PumpedHydro-charge")
CURTAILED = ("Wind-curtailment", "PV-curtailment", "Hydro-curtailment")
SOC_PREFIX = {"battery": "Battery", "pumped_hydro": "PumpedHydro"}
WEEK = 168
SEASONS = {"winter": (12, 1, 2), "summer": (6, 7, 8)}


def hourly_sum(hourly: pd.DataFrame, *prefixes: str) -> pd.Series:
    """One quantity summed over its units (``Line-flow`` over every line); zero if the run has none."""
    columns = [c for c in hourly.columns if c.split("[")[0] in prefixes]
    return hourly[columns].sum(axis=1)


def units_of(hourly: pd.DataFrame, prefix: str) -> list[str]:
    """The units of one quantity: ``Bus-price[jiuquan]`` gives jiuquan."""
    return [c[len(prefix) + 1:-1] for c in hourly.columns if c.startswith(prefix + "[")]


def hours_since_start(timestamps: pd.Series) -> np.ndarray:
    return ((timestamps - timestamps.iloc[0]) / pd.Timedelta(hours=1)).to_numpy()


def time_axis(ax, timestamps: pd.Series, lang: str):
    """Ticks a reader can place: clock hours within two days, days within a month, months beyond."""
    x = hours_since_start(timestamps)
    span = x[-1]
    if span <= 48:
        at = (timestamps.dt.hour % 3 == 0).to_numpy()
        labels = [f"{t.hour:02d}:00" for t in timestamps[at]]
        ax.set_xlabel(day_text(timestamps.iloc[0], lang))
    elif span <= 31 * 24:
        at = (timestamps.dt.hour == 0).to_numpy()
        labels = [day_text(t, lang) for t in timestamps[at]]
    else:
        at = ((timestamps.dt.hour == 0) & (timestamps.dt.day == 1)).to_numpy()
        labels = [month_text(f"{t:%Y-%m}", lang) for t in timestamps[at]]
    ax.set_xticks(x[at], labels)
    ax.set_xlim(0, max(span, 1))


def typical_week(hourly: pd.DataFrame, months) -> pd.DataFrame | None:
    """The week of ``months``, from a midnight, whose export is nearest the median of those weeks'."""
    if len(hourly) < WEEK:
        return None
    ts = hourly["timestamp"]
    weekly = np.convolve(hourly_sum(hourly, "Line-flow").to_numpy(), np.ones(WEEK), "valid")
    end = ts.shift(-(WEEK - 1))
    starts = ((ts.dt.hour == 0) & ts.dt.month.isin(months) & end.dt.month.isin(months)
              & (end - ts == pd.Timedelta(hours=WEEK - 1))).to_numpy()[:len(weekly)]
    candidates = np.flatnonzero(starts)
    if not len(candidates):
        return None
    chosen = candidates[np.argmin(np.abs(weekly[candidates] - np.median(weekly[candidates])))]
    return hourly.iloc[chosen:chosen + WEEK]


def dispatch_windows(hourly: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(name, hours) of the weeks to draw: the whole run if two weeks or less, else a typical week
    of winter and of summer (or of the whole run, if it covers neither season)."""
    if len(hourly) <= 2 * WEEK:
        return [("dispatch", hourly)]
    weeks = [(f"dispatch_{season}", typical_week(hourly, months)) for season, months in SEASONS.items()]
    weeks = [(name, week) for name, week in weeks if week is not None]
    return weeks or [("dispatch_typical", typical_week(hourly, range(1, 13)))]


# ------------------------------------------------------------------ the charts
def export_vs_target(run: RunFiles, out_dir, lang: str) -> dict:
    """Monthly export as bars against the monthly path to the target; both cumulated on a second axis."""
    s, monthly = run.summary, run.monthly
    counted = counted_monthly(run)
    measure = measure_label(run.basis, lang)
    x = np.arange(len(monthly))
    fig, ax = new_figure()
    ax.bar(x, style.energy(counted, lang), width=0.62, color=style.COLORS["export"],
           label=text("monthly_measure", lang, measure=measure))
    ax.hlines(style.energy(monthly["target_path_mwh"], lang), x - 0.4, x + 0.4, color=style.COLORS["target"],
              lw=2.2, label=text("target_path", lang), zorder=3)
    ax.set_ylabel(style.label("energy", lang))
    month_axis(ax, monthly["month"], lang)
    handles = ax.get_legend_handles_labels()[0]
    if len(monthly) > 1:  # a one-month run's cumulative line would repeat its bar
        handles += cumulative_axis(ax, x, counted.cumsum(), monthly["target_cumulative_mwh"], measure, lang)
    legend_above(ax, handles)
    notes = [target_note(s, measure, lang), source_note(run, lang)]
    return finish(fig, out_dir, "export_vs_target", text("title_export", lang), notes)


def cumulative_axis(ax, x, counted_cum: pd.Series, target_cum: pd.Series, measure: str, lang: str) -> list:
    """Both cumulative totals on a second axis, their year-end values written at the line ends."""
    right = ax.twinx()
    right.grid(False)
    right.plot(x, style.energy(counted_cum, lang), marker="o", ms=4, color=DARK_EXPORT, lw=2,
               label=text("cumulative_measure", lang, measure=measure))
    right.plot(x, style.energy(target_cum, lang), ls="--", color=style.COLORS["target"], lw=1.6,
               label=text("target_cumulative", lang))
    ends = sorted(((series.iloc[-1], color) for series, color in
                   ((counted_cum, DARK_EXPORT), (target_cum, style.COLORS["target"]))), key=lambda e: e[0])
    for (value, color), va in zip(ends, ("top", "bottom")):  # the lower total under its line, the higher above
        right.annotate(energy_value(value, lang), (x[-1], style.energy(value, lang)), xytext=(5, 0),
                       textcoords="offset points", va=va, color=color, fontsize=9)
    low, high = ax.get_xlim()
    ax.set_xlim(low, high + 0.6)  # room for those totals inside the axes
    right.set_ylim(0, None)
    right.set_ylabel(text("cumulative_energy", lang))
    return right.get_legend_handles_labels()[0]


def target_note(s: dict, measure: str, lang: str) -> str:
    """The run's export against its target in one line; a short run's target is the year's pro rata."""
    gap = s["target_mwh"] - s["target_counted_mwh"]
    gap_text = text("shortfall" if gap > 0 else "surplus", lang, value=energy_text(abs(gap), lang))
    line = text("target_summary", lang, measure=measure, counted=energy_text(s["target_counted_mwh"], lang),
                target=energy_text(s["target_mwh"], lang), share=s["target_counted_mwh"] / s["target_mwh"],
                gap=gap_text)
    if s["hours"] < 8760:
        annual = s["target_mwh"] * 8760 / s["hours"]
        line += text("pro_rata", lang, annual=energy_text(annual, lang), hours=s["hours"])
    return line


def dispatch_charts(run: RunFiles, out_dir, lang: str) -> list[dict]:
    """The hourly balance of each week to draw (see dispatch_windows), titled with its dates."""
    charts = []
    for name, week in dispatch_windows(run.hourly):
        first, last = (day_text(t, lang) for t in week["timestamp"].iloc[[0, -1]])
        span = first if first == last else text("span", lang, first=first, last=last)
        title = text(f"title_{name}", lang, span=span)
        notes = [text("week_choice", lang)] if name != "dispatch" else []
        charts.append(dispatch_chart(week, out_dir, name, title, notes + [source_note(run, lang)], lang))
    return charts


def dispatch_chart(week: pd.DataFrame, out_dir, name: str, title: str, notes: list, lang: str) -> dict:
    """Generation stacked by technology, curtailment hatched above it, charging below zero, and
    local demand and demand plus export as lines."""
    x = hours_since_start(week["timestamp"])
    fig, ax = new_figure(size=(11, 5.4))
    layers = [(key, style.power(hourly_sum(week, *prefixes), lang).to_numpy()) for key, prefixes in SUPPLY]
    layers = [(key, y) for key, y in layers if y.max() > 0]
    stack = np.vstack([y for _, y in layers])
    ax.stackplot(x, stack, colors=[LAYER_COLORS.get(k, style.COLORS.get(k)) for k, _ in layers],
                 labels=[text(k, lang) for k, _ in layers], lw=0)
    top = stack.sum(axis=0)
    curtailed = style.power(hourly_sum(week, *CURTAILED), lang).to_numpy()
    if curtailed.max() > 0:
        ax.fill_between(x, top, top + curtailed, facecolor="#fff3c4", edgecolor="#d8a200", hatch="////", lw=0,
                        label=text("curtailed", lang))
    charging = style.power(hourly_sum(week, *CHARGE), lang).to_numpy()
    if charging.max() > 0:
        ax.fill_between(x, 0, -charging, facecolor=PALE_STORAGE, lw=0, label=text("storage_charge", lang))
        ax.axhline(0, color="#333333", lw=0.6)
    demand = style.power(hourly_sum(week, *DEMAND), lang).to_numpy()
    export = style.power(hourly_sum(week, "Line-flow"), lang).to_numpy()
    halo = [patheffects.withStroke(linewidth=3.2, foreground="white")]  # legible over dark coal and CHP
    ax.plot(x, demand, color=style.COLORS["demand"], lw=1.6, label=style.label("demand", lang), path_effects=halo)
    ax.plot(x, demand + export, color=DARK_EXPORT, lw=1.6, ls="--", label=text("demand_and_export", lang),
            path_effects=halo)
    ax.set_ylabel(style.label("power", lang))
    time_axis(ax, week["timestamp"], lang)
    legend_above(ax, ax.get_legend_handles_labels()[0], 8)
    return finish(fig, out_dir, name, title, notes)


def curtailment(run: RunFiles, out_dir, lang: str) -> dict | None:
    """Curtailed wind and PV by month as bars, 弃风率 and 弃光率 as lines; None if nothing is curtailed."""
    monthly, s = run.monthly, run.summary
    techs = [t for t in ("wind", "pv") if f"curtailment_{t}_mwh" in monthly]
    if not techs or monthly[[f"curtailment_{t}_mwh" for t in techs]].to_numpy().sum() <= 0:
        return None
    x = np.arange(len(monthly))
    width = 0.8 / len(techs)
    fig, ax = new_figure()
    right = ax.twinx()
    right.grid(False)
    for i, tech in enumerate(techs):
        curtailed, available = monthly[f"curtailment_{tech}_mwh"], monthly[f"available_{tech}_mwh"]
        ax.bar(x + (i - (len(techs) - 1) / 2) * width, style.energy(curtailed, lang), width, color=style.COLORS[tech],
               alpha=0.55, label=text(f"curtailed_{tech}", lang))
        rate = (curtailed / available.where(available > 0)).fillna(0.0)
        right.plot(x, rate, marker="o", ms=5, color=style.COLORS[tech], lw=2, mec="white",
                   label=style.label(f"curtailment_rate_{tech}", lang))
    ax.set_ylabel(style.label("energy", lang))
    month_axis(ax, monthly["month"], lang)
    right.yaxis.set_major_formatter(PercentFormatter(1.0))
    right.set_ylim(0, None)
    right.set_ylabel(text("curtailment_rate", lang))
    legend_above(ax, ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0])
    rates = s["curtailment_rate"]
    period = text("year" if s["hours"] >= 8760 else "run", lang)
    notes = [text("annual_rates", lang, period=period, wind=rates.get("wind", 0.0), pv=rates.get("pv", 0.0)),
             source_note(run, lang)]
    return finish(fig, out_dir, "curtailment", text("title_curtailment", lang), notes)


def export_by_line(run: RunFiles, out_dir, lang: str) -> dict:
    """Monthly export stacked by line; imports the target deducts drawn below zero, so the net is visible."""
    monthly, s = run.monthly, run.summary
    x = np.arange(len(monthly))
    fig, ax = new_figure()
    bottom = np.zeros(len(monthly))
    for i, (line, total) in enumerate(s["export_by_line_mwh"].items()):
        values = style.energy(monthly[f"export_{line}_mwh"], lang).to_numpy()
        ax.bar(x, values, 0.62, bottom=bottom, color=SERIES_COLORS[i % len(SERIES_COLORS)],
               label=f"{line_name(line, lang)}  {energy_text(total, lang)}")
        bottom += values
    imports = monthly_imports(monthly)
    if "net" in run.basis and imports.sum() > 0:
        ax.bar(x, -style.energy(imports, lang), 0.62, color=style.COLORS["import"],
               label=f"{text('imports_deducted', lang)}  {energy_text(imports.sum(), lang)}")
        ax.axhline(0, color="#333333", lw=0.6)
    ax.set_ylabel(style.label("energy", lang))
    month_axis(ax, monthly["month"], lang)
    legend_above(ax, ax.get_legend_handles_labels()[0], 3)
    return finish(fig, out_dir, "export_by_line", text("title_lines", lang), [source_note(run, lang)])


def storage(run: RunFiles, out_dir, lang: str) -> dict | None:
    """One panel a store: its state of charge over the run against its capacity; None without storage.
    A store of no size (a plan's build option left unbuilt) has nothing to show."""
    stores = {u: spec for u, spec in (run.summary.get("storage") or {}).items() if spec["energy_mwh"] > 0}
    if not stores:
        return None
    fig, axes = new_figure(len(stores), 1, size=(10, 2.6 + 2.2 * len(stores)), sharex=True, squeeze=False)
    families = [spec["family"] for spec in stores.values()]
    for ax, (unit, spec) in zip(axes[:, 0], stores.items()):
        soc = run.hourly[f"{SOC_PREFIX[spec['family']]}-soc[{unit}]"]
        name = style.label(spec["family"], lang)
        soc_panel(ax, run.hourly["timestamp"], soc, spec["energy_mwh"], lang)
        # the family names a store, unless two stores share one
        ax.set_title(name if families.count(spec["family"]) == 1 else f"{name} {unit}", fontsize=11, loc="left")
        ax.set_ylabel(style.label("soc", lang))
    time_axis(axes[-1, 0], run.hourly["timestamp"], lang)
    legend_above(axes[0, 0], axes[0, 0].get_legend_handles_labels()[0])
    return finish(fig, out_dir, "storage", text("title_storage", lang), [source_note(run, lang)])


def soc_panel(ax, timestamps: pd.Series, soc_mwh: pd.Series, capacity_mwh: float, lang: str):
    """A long run as each day's high-low band and mean (8,760 hourly points would be a blur);
    a short one hour by hour."""
    # 万千瓦时 and GWh stand to MWh as 万千瓦 and GW to MW: style.power converts both
    soc = style.power(soc_mwh, lang)
    x = hours_since_start(timestamps)
    if x[-1] > 31 * 24:
        day = timestamps.dt.floor("D")
        daily = pd.DataFrame({"x": x, "soc": soc.to_numpy()}).groupby(day.to_numpy())
        band = daily.agg(x=("x", "first"), low=("soc", "min"), high=("soc", "max"), mean=("soc", "mean"))
        ax.fill_between(band["x"], band["low"], band["high"], color=PALE_STORAGE, lw=0, label=text("daily_range", lang))
        ax.plot(band["x"], band["mean"], color=style.COLORS["battery"], lw=1.2, label=text("daily_mean", lang))
    else:
        ax.plot(x, soc, color=style.COLORS["battery"], lw=1.4, label=text("hourly", lang))
    capacity = style.power(capacity_mwh, lang)
    ax.axhline(capacity, color="#555555", ls=":", lw=1.2)
    ax.annotate(text("storage_capacity", lang, value=number(capacity, lang, ".4g")), (1, capacity),
                xycoords=("axes fraction", "data"), xytext=(-3, 3), textcoords="offset points", ha="right",
                va="bottom", fontsize=8.5, color="#555555")
    ax.set_ylim(0, capacity * 1.15)


def duration_curves(run: RunFiles, out_dir, lang: str) -> dict:
    """Export (total and by line) and each bus price, every hour sorted from highest to lowest."""
    hourly, s = run.hourly, run.summary
    fig, (left, right) = new_figure(1, 2, size=(11, 4.8))
    duration_panel(left, style.power(hourly_sum(hourly, "Line-flow"), lang), text("export_total", lang), DARK_EXPORT,
                   2.2, lang)
    for i, line in enumerate(units_of(hourly, "Line-flow")):
        duration_panel(left, style.power(hourly[f"Line-flow[{line}]"], lang), line_name(line, lang),
                       SERIES_COLORS[i % len(SERIES_COLORS)], 1.2, lang)
    left.set_ylabel(style.label("power", lang))
    left.set_ylim(0, None)
    left.set_title(text("export_panel", lang), loc="left", fontsize=11)
    left.legend(loc="best")
    buses = units_of(hourly, "Bus-price")
    for i, bus in enumerate(buses):
        duration_panel(right, hourly[f"Bus-price[{bus}]"], text("price_of", lang, bus=names.bus(bus, lang)),
                       SERIES_COLORS[(2 + i) % len(SERIES_COLORS)], 1.8, lang)
    right.set_ylabel(style.label("price", lang))
    if len(buses) == 1:  # the panel's title names the one bus; a legend would only sit on the curve
        right.set_title(text("price_panel_of", lang, bus=names.bus(buses[0], lang)), loc="left", fontsize=11)
    else:
        right.set_title(text("price_panel", lang), loc="left", fontsize=11)
        right.legend(loc="best")
    notes = [source_note(run, lang)]
    if s["mode"] == "target" and (s.get("target_price_cny_per_mwh") or 0) > 0:
        notes.insert(0, text("price_note", lang, price=s["target_price_cny_per_mwh"]))
    return finish(fig, out_dir, "duration_curves", text("title_duration", lang), notes)


def duration_panel(ax, values: pd.Series, label: str, color: str, lw: float, lang: str):
    """One duration curve: the hours' values from highest to lowest."""
    ordered = np.sort(values.to_numpy())[::-1]
    ax.plot(np.arange(1, len(ordered) + 1), ordered, color=color, lw=lw, label=label)
    ax.set_xlim(0, len(ordered))
    ax.set_xlabel(text("duration_hours", lang))


def draw_run(run_dir, out_dir, lang: str = "zh") -> list[dict]:
    """Every chart of a run folder, written to ``out_dir`` as PNG and SVG; one dict a chart
    (name, title, png, svg). Charts without data (storage, curtailment) are left out."""
    style.setup(lang)
    run = load_run(run_dir)
    charts = [export_vs_target(run, out_dir, lang), *dispatch_charts(run, out_dir, lang),
              curtailment(run, out_dir, lang), export_by_line(run, out_dir, lang), storage(run, out_dir, lang),
              duration_curves(run, out_dir, lang)]
    return [c for c in charts if c is not None]
