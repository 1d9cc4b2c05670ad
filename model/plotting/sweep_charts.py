"""Charts of a sweep, drawn from the table it wrote (points.parquet) and its design (sweep.json).

``draw_sweep(sweep_dir, out_dir, lang)`` draws, by design:

    grid of two parameters      heatmap     export at each pair of values, the cells that reach the
                                            target framed and the target's contour drawn
    one-at-a-time               tornado     the swing of export around the base (point 0), key by key
    weather years (the design,  exceedance  export over weather years: P50, P90 and the chance of
    or a grid over them)                    reaching the target, one curve for each other setting
    latin-hypercube             exceedance  the same over the samples, and
                                scatter     export against each parameter
    any other grid              scatter

Export is the target's measure (``target_counted_mwh``), in 亿千瓦时 or TWh. Failed points are
left out, and a note on the chart says how many.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import PercentFormatter

from ..outputs import quantities
from ..outputs.reports import names
from . import style
from .run_charts import (
    DARK_EXPORT,
    SERIES_COLORS,
    energy_text,
    finish,
    labeller,
    legend_above,
    line_name,
    measure_label,
    new_figure,
    number,
    report_energy,
    target_line,
    text,
)

# Labels the shared style does not have: (Chinese, English), with {placeholders}.
TEXT = {
    "title_heatmap": ("不同{x}和{y}下的{measure}", "{measure} by {x} and {y}"),
    "title_tornado": ("各参数对{measure}的影响", "What moves {measure_lower}: one parameter at a time"),
    "title_weather": ("{measure}的气象年超越概率", "{measure} over weather years: exceedance"),
    "title_samples": ("{measure}的超越概率（{n}个抽样方案）", "{measure} over {n} samples: exceedance"),
    "title_scatter": ("{measure}与各参数", "{measure} against each parameter"),
    "heatmap_key": ("粗框：达到目标；虚线：目标等值线（格间插值）",
                    "Framed cells reach the target; dashed: where export equals the target, interpolated"),
    "failed_cell": ("失败", "failed"),
    "low": ("参数取低值", "Parameter low"),
    "high": ("参数取高值", "Parameter high"),
    "tornado_key": ("条形从基准方案的{measure}出发，按影响幅度排序；条端数字为参数取值",
                    "Bars start at the base point's export and are sorted by swing; the numbers at the bar ends "
                    "are the parameter's values"),
    "chance": ("达到{target}目标的概率为{chance:.0%}（{n}个{what}中{k}个）",
               "Chance of reaching the {target} target: {chance:.0%} ({k} of {n} {what})"),
    "weather_years": ("气象年", "weather years"),
    "group_chance": ("{group}：{chance}", "{group}: {chance}"),
    "samples": ("方案", "points"),
    "quantiles": ("P50 {p50}，P90 {p90}", "P50 {p50}, P90 {p90}"),
    "p_key": ("P50：一半情形高于此值；P90：九成情形高于此值",
              "P50: exceeded in half the cases; P90: exceeded in nine cases out of ten"),
    "year_key": ("点旁小字为气象年编号", "The small numbers are the weather years"),
    "reached": ("达到目标", "Target reached"),
    "missed": ("未达到目标", "Target missed"),
    "sweep_source": ("方案集 {name}（{design}），{n}个方案", "Sweep {name} ({design}), {n} points"),
    "failed_note": ("已排除{n}个失败方案", "{n} failed points left out"),
    "weather_year": ("气象年", "Weather year"),
    "year_value": ("气象年{year}", "weather year {year}"),
    "target_basis": ("目标{target}，按{measure}计", "Target {target}, counted as {measure_lower}"),
}

# What a scenario key's last part means; "section.field" entries override the field alone.
FIELDS = {
    "capacity_mw": ("装机", "capacity"), "export_lines.capacity_mw": ("输电能力", "capacity"),
    "annual_mwh": ("年电量", "annual energy"), "sync_support_ratio": ("同步支撑比例", "synchronous support ratio"),
    "price_cny_per_mwh": ("电价", "price"), "heat_min_load": ("最小供热负荷率", "minimum heat load"),
    "operating_limit_mw": ("运行限额", "operating limit"), "min_load": ("最小负荷率", "minimum load"),
    "power_mw": ("功率", "power"), "duration_h": ("储能时长", "duration"),
    "fuel_price_cny_per_tce": ("燃料价格", "fuel price"), "export_twh": ("电量", "energy"),
    "annual_heat_mwh": ("年供热量", "annual heat"), "imports.capacity_mw": ("最大购电功率", "import limit"),
}
# Keys of the scenario's own sections (target, system, plan), whole.
TOP_KEYS = {"target.export_twh": ("外送目标", "Export target"), "target.net_of_imports": ("目标扣除省网购电",
            "Target net of imports"), "system.voll_cny_per_mwh": ("缺电损失价值", "Value of lost load"),
            "plan.discount_rate": ("折现率", "Discount rate"),
            "target.shortfall_penalty_cny_per_mwh": ("目标缺口罚金", "Target shortfall penalty")}
# Scenario sections whose names style.LABELS holds under another key.
SECTIONS = {"imports": "import", "export_lines": "export"}
LOW_COLOR, HIGH_COLOR, MISSED_COLOR = "#fdb863", "#e66101", "#9e9e9e"
word = labeller(TEXT)


# ------------------------------------------------------------------ the sweep's files
@dataclass
class SweepFiles:
    folder: Path
    design: dict
    points: pd.DataFrame

    @property
    def ok(self) -> pd.DataFrame:
        return self.points[self.points["status"] == "ok"]

    @property
    def failed(self) -> int:
        return int((self.points["status"] != "ok").sum())

    @property
    def parameters(self) -> list[str]:
        return list(self.design["parameters"])  # a mapping of keys to values, or (weather-years) a list of keys

    @property
    def target_mwh(self) -> float:
        return float(self.ok["target_mwh"].median())

    @cached_property
    def basis(self) -> str | None:
        """The target's measure, from the record of a finished point (the table does not carry it)."""
        for key in self.ok["hash"]:
            record = self.folder / "points" / f"{key}.json"
            if record.exists():
                return json.loads(record.read_text(encoding="utf-8"))["summary"]["target_basis"]
        return None


def load_sweep(sweep_dir) -> SweepFiles:
    folder = Path(sweep_dir)
    design = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    return SweepFiles(folder, design, pd.read_parquet(folder / "points.parquet"))


def notes_for(sweep: SweepFiles, lang: str, *first: str) -> list[str]:
    """The chart's own notes, then the failed points left out, then where the numbers come from."""
    notes = list(first)
    if sweep.failed:
        notes.append(word("failed_note", lang, n=sweep.failed))
    notes.append(word("sweep_source", lang, name=(sweep.design.get("title") or {}).get(lang, sweep.design["name"]),
                      design=names.design(sweep.design["design"], lang),
                      n=len(sweep.points)))
    return notes


def counted(rows: pd.DataFrame, lang: str) -> np.ndarray:
    """The target's measure of each point, in the report's energy unit."""
    return style.energy(rows["target_counted_mwh"].to_numpy(dtype=float), lang)


# ------------------------------------------------------------------ parameters in words and units
def param_name(key: str, lang: str) -> str:
    """wind.jiuquan_wind.capacity_mw as 风电装机 / Wind capacity; unknown keys as themselves."""
    if key == "weather_year":
        return word("weather_year", lang)
    if key in TOP_KEYS:
        return names.pick(TOP_KEYS[key], lang)
    parts = key.split(".")
    if len(parts) != 3:
        return key
    section, unit, field = parts
    meaning = FIELDS.get(f"{section}.{field}") or FIELDS.get(field)
    if section == "export_lines":
        who = line_name(unit, lang)
    else:
        who = style.label(SECTIONS.get(section, section), lang)
    if meaning is None:
        return f"{who} {field}"
    return f"{who}{meaning[0]}" if lang == "zh" else f"{who} {meaning[1]}"


def param_scale(key: str, lang: str):
    """(function to the report's unit, unit text) for a scenario key, from the unit in its name."""
    if key.endswith("_cny_per_mwh"):
        return (lambda v: v), quantities.unit("price", lang)
    for suffix, name, factor in (("heat_mwh", "heat", 1.0), ("_mwh", "energy", 1.0), ("_twh", "energy", quantities.TWH),
                                 ("_mw", "power", 1.0)):
        if key.endswith(suffix):
            return (lambda v, n=name, f=factor: quantities.value(n, v * f, lang)), quantities.unit(name, lang)
    if key.endswith("_rate"):
        return (lambda v: 100 * v), "%"
    return (lambda v: v), ""


def param_label(key: str, lang: str) -> str:
    """An axis label: the parameter's name and its unit."""
    _, unit = param_scale(key, lang)
    if not unit:
        return param_name(key, lang)
    return f"{param_name(key, lang)}（{unit}）" if lang == "zh" else f"{param_name(key, lang)} ({unit})"


def is_number(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def param_number(key: str, value, lang: str) -> str:
    """A value in the report's unit; a choice (solver.method: ipm) as written."""
    if not is_number(value):
        return str(value)
    convert, _ = param_scale(key, lang)
    return number(convert(value), lang, ".4g")


def param_value(key: str, value, lang: str) -> str:
    """A value with its unit, as written at a bar's end: 900万千瓦, 9 GW, 气象年2."""
    if key == "weather_year":
        return word("year_value", lang, year=int(value))
    _, unit = param_scale(key, lang)
    return f"{param_number(key, value, lang)}{'' if lang == 'zh' or not unit else ' '}{unit}"


# ------------------------------------------------------------------ grid of two: heatmap
def heatmap(sweep: SweepFiles, out_dir, lang: str) -> dict:
    """The first parameter across, the second up, each cell coloured and labelled with its export."""
    kx, ky = sweep.parameters
    xs, ys = pd.unique(sweep.points[kx]), pd.unique(sweep.points[ky])  # the sweep file's order
    values = np.full((len(ys), len(xs)), np.nan)
    reached = np.zeros_like(values, dtype=bool)
    ok = sweep.ok
    ix = ok[kx].map({v: i for i, v in enumerate(xs)}).to_numpy()
    iy = ok[ky].map({v: i for i, v in enumerate(ys)}).to_numpy()
    values[iy, ix] = counted(ok, lang)
    reached[iy, ix] = ok["target_reached"].astype(bool).to_numpy()
    target = style.energy(sweep.target_mwh, lang)
    measure = measure_label(sweep.basis, lang)
    fig, ax = new_figure(size=(9, 6))
    # centred on the target: blue cells reach it, red ones fall short, the deeper the further
    spread = max(np.nanmax(np.abs(values - target)), 1e-9)
    image = ax.imshow(values, cmap="RdBu", norm=Normalize(target - spread, target + spread), origin="lower",
                      aspect="auto")
    annotate_cells(ax, image, values, reached, target, spread, lang)
    target_contour(ax, values, target)
    ax.set_xticks(range(len(xs)), [param_number(kx, v, lang) for v in xs])
    ax.set_yticks(range(len(ys)), [param_number(ky, v, lang) for v in ys])
    ax.set_xlabel(param_label(kx, lang))
    ax.set_ylabel(param_label(ky, lang))
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=style.label("energy", lang))
    title = word("title_heatmap", lang, x=param_name(kx, lang), y=param_name(ky, lang), measure=measure)
    notes = notes_for(sweep, lang, word("heatmap_key", lang), target_text(sweep, lang))
    return finish(fig, out_dir, "heatmap", title, notes)


def annotate_cells(ax, image, values, reached, target: float, spread: float, lang: str):
    """Each cell's value written in it (white on deep colours), cells reaching the target framed."""
    for (iy, ix), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.text(ix, iy, word("failed_cell", lang), ha="center", va="center", color="#555555", fontsize=10)
            continue
        deep = abs(value - target) > 0.6 * spread
        # a halo of the cell's own colour parts the target contour where it crosses the number
        halo = [patheffects.withStroke(linewidth=6, foreground=image.cmap(image.norm(value)))]
        ax.text(ix, iy, report_energy(value, lang), ha="center", va="center", fontsize=12, zorder=5,
                color="white" if deep else "black", path_effects=halo)
        if reached[iy, ix]:
            ax.add_patch(Rectangle((ix - 0.5, iy - 0.5), 1, 1, fill=False, ec="black", lw=2.4))


def target_contour(ax, values, target: float):
    """The dashed line where export equals the target, interpolated between cell centres."""
    finite = values[np.isfinite(values)]
    if min(values.shape) < 2 or not (finite.min() < target < finite.max()):
        return
    # no inline label: it would sit on a cell's value; the note under the chart names the line
    ax.contour(np.ma.masked_invalid(values), levels=[target], colors="black", linestyles="--", linewidths=1.5)


def target_text(sweep: SweepFiles, lang: str) -> str:
    measure = measure_label(sweep.basis, lang)
    return word("target_basis", lang, target=energy_text(sweep.target_mwh, lang), measure=measure,
                measure_lower=measure.lower())


# ------------------------------------------------------------------ one at a time: tornado
@dataclass
class Swing:
    key: str
    low: float
    high: float
    at_low: float  # the target's measure with the key at its low value, report units
    at_high: float

    @property
    def size(self) -> float:
        return abs(self.at_high - self.at_low)


def swings(ok: pd.DataFrame, keys: list[str], lang: str) -> list[Swing]:
    """Each key's points at its lowest and highest value, smallest swing first (drawn at the bottom)."""
    found = []
    for key in keys:
        rows = ok[(ok["point"] != 0) & ok[key].notna()]
        if rows.empty:
            continue
        if pd.api.types.is_numeric_dtype(rows[key]):
            low, high = rows.loc[rows[key].idxmin()], rows.loc[rows[key].idxmax()]
        else:  # choices have no order but the sweep file's: its first and last
            low, high = rows.iloc[0], rows.iloc[-1]
        found.append(Swing(key, low[key], high[key], *counted(pd.DataFrame([low, high]), lang)))
    return sorted(found, key=lambda s: s.size)


def tornado(sweep: SweepFiles, out_dir, lang: str) -> dict | None:
    """Bars from the base point's export to the export with each key at its low and high value;
    None when the base point failed (there is nothing to swing around)."""
    ok = sweep.ok
    base_rows = ok[ok["point"] == 0]
    if base_rows.empty:
        return None
    base = counted(base_rows, lang)[0]
    bars = swings(ok, sweep.parameters, lang)
    fig, ax = new_figure(size=(10.5, 1.6 + 0.62 * len(bars)))
    for y, swing in enumerate(bars):
        for value, result, color, offset in ((swing.low, swing.at_low, LOW_COLOR, -0.2),
                                             (swing.high, swing.at_high, HIGH_COLOR, 0.2)):
            ax.barh(y + offset, result - base, left=base, height=0.38, color=color)
            # the value goes beyond the bar's end; a bar of (almost) no length puts low left, high right
            still = abs(result - base) < 1e-3 * abs(base)
            right = (result > base) if not still else color == HIGH_COLOR
            ax.annotate(param_value(swing.key, value, lang), (result, y + offset), xytext=(4 if right else -4, 0),
                        textcoords="offset points", ha="left" if right else "right", va="center", fontsize=8.5)
    labels = [param_name(s.key, lang) for s in bars]
    # the scenario key only where two parameters would read alike (two wind farms' capacities)
    labels = [f"{n}\n{s.key}" if labels.count(n) > 1 else n for n, s in zip(labels, bars)]
    ax.set_yticks(range(len(bars)), labels, fontsize=8.5)
    ax.axvline(base, color="black", lw=1.2)
    ax.annotate(text("base_value", lang, value=report_energy(base, lang)), (base, 1),
                xycoords=("data", "axes fraction"), xytext=(-3, -3), textcoords="offset points", ha="right",
                va="top", fontsize=9)
    target_line(ax, sweep.target_mwh, lang, vertical=True)
    widen_for_labels(ax)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(style.label("energy", lang))
    legend_above(ax, [Patch(color=LOW_COLOR, label=word("low", lang)),
                      Patch(color=HIGH_COLOR, label=word("high", lang))])
    measure = measure_label(sweep.basis, lang)
    title = word("title_tornado", lang, measure=measure, measure_lower=measure.lower())
    notes = notes_for(sweep, lang, word("tornado_key", lang, measure=measure), target_text(sweep, lang))
    return finish(fig, out_dir, "tornado", title, notes)


def widen_for_labels(ax, share=0.12):
    """Room at both ends of the value axis for the labels written beyond the bars."""
    lo, hi = ax.get_xlim()
    pad = (hi - lo) * share
    ax.set_xlim(lo - pad, hi + pad)


# ------------------------------------------------------------------ exceedance and scatter
def exceedance(sweep: SweepFiles, out_dir, lang: str) -> dict:
    """Export sorted from highest to lowest against the share of cases exceeding it; one curve for
    each setting of the parameters other than the weather year."""
    over_years = "weather_year" in sweep.parameters
    by = [k for k in sweep.parameters if k != "weather_year"] if over_years else []
    groups = list(sweep.ok.groupby(by)) if by else [(None, sweep.ok)]
    label_years = over_years and len(groups) == 1  # with several curves the numbers would collide
    fig, ax = new_figure(size=(10, 5.6))
    chances = []
    for i, (setting, rows) in enumerate(groups):
        color = DARK_EXPORT if len(groups) == 1 else SERIES_COLORS[i % len(SERIES_COLORS)]
        label = setting_text(by, setting, lang) if by else None
        exceedance_curve(ax, rows, color, label, lang, label_years)
        chance = chance_text(rows, sweep.target_mwh, over_years, lang)
        chances.append(word("group_chance", lang, group=label, chance=chance) if label else chance)
    target_line(ax, sweep.target_mwh, lang)
    # lower left: falling curves leave that corner empty
    ax.text(0.02, 0.04, "\n".join(chances), transform=ax.transAxes, ha="left", va="bottom", fontsize=10.5,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": style.COLORS["target"], "lw": 1})
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(-0.02, 1.02)  # whole markers at 0% and 100%
    ax.set_xlabel(style.label("probability", lang))
    ax.set_ylabel(style.label("energy", lang))
    if by:
        legend_above(ax, ax.get_legend_handles_labels()[0], 3)
    measure = measure_label(sweep.basis, lang)
    title = word("title_weather" if over_years else "title_samples", lang, measure=measure, n=len(sweep.ok))
    keys = [word("p_key", lang)] + ([word("year_key", lang)] if label_years else [])
    notes = notes_for(sweep, lang, *keys, target_text(sweep, lang))
    return finish(fig, out_dir, "exceedance", title, notes)


def exceedance_curve(ax, rows: pd.DataFrame, color: str, label: str | None, lang: str, years: bool):
    """One curve with P50 and P90 marked; ``years``: each point labelled with its weather year.

    The i-th highest of n values is drawn at exceedance i/(n-1), the plotting position of numpy's
    linear quantiles: so P50 and P90 (the quantiles 0.5 and 0.1, as in the meeting report and the
    sweep's summary line) lie on the curve."""
    order = np.argsort(-counted(rows, lang), kind="stable")
    values = counted(rows, lang)[order]
    share = np.linspace(0.0, 1.0, len(values))
    p50, p90 = np.quantile(values, 0.5), np.quantile(values, 0.1)
    quantiles = word("quantiles", lang, p50=report_energy(p50, lang), p90=report_energy(p90, lang))
    ax.plot(share, values, marker="o", ms=4.5, lw=1.6, color=color, label=f"{label}  {quantiles}" if label else None)
    for p, value, name in ((0.5, p50, "P50"), (0.9, p90, "P90")):
        ax.plot([p], [value], marker="D", ms=9, color=color, mec="black", zorder=4)
        ax.annotate(f"{name} {report_energy(value, lang)}", (p, value), xytext=(-8, -14),
                    textcoords="offset points", ha="right", fontsize=10, color="black")
    if years:
        for x, y, year in zip(share, values, rows["weather_year"].to_numpy()[order]):
            ax.annotate(f"{int(year)}", (x, y), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=7, color="#666666", zorder=5, path_effects=[patheffects.withStroke(
                            linewidth=2.5, foreground="white")])


def chance_text(rows: pd.DataFrame, target_mwh: float, over_years: bool, lang: str) -> str:
    """The share of points (or weather years) that reach the target, as a sentence."""
    reached = rows["target_reached"].astype(bool)
    return word("chance", lang, target=energy_text(target_mwh, lang), chance=reached.mean(), n=len(rows),
                k=int(reached.sum()), what=word("weather_years" if over_years else "samples", lang))


def setting_text(keys: list[str], setting, lang: str) -> str:
    """One curve's setting of the other parameters: 风电装机 1200万千瓦, ..."""
    values = setting if isinstance(setting, tuple) else (setting,)
    return ", ".join(f"{param_name(k, lang)} {param_value(k, v, lang)}" for k, v in zip(keys, values))


def scatter(sweep: SweepFiles, out_dir, lang: str) -> dict:
    """Export against each parameter, one panel a parameter, points reaching the target coloured."""
    keys = sweep.parameters
    ncols = min(3, len(keys))
    nrows = -(-len(keys) // ncols)
    fig, axes = new_figure(nrows, ncols, size=(3.8 * ncols + 1.2, 3.4 * nrows + 1.2), sharey=True, squeeze=False)
    ok = sweep.ok
    reached = ok["target_reached"].astype(bool).to_numpy()
    colors = np.where(reached, HIGH_COLOR, MISSED_COLOR)
    for ax, key in zip(axes.flat, keys):
        ax.scatter(scatter_positions(ax, sweep, key, lang), counted(ok, lang), c=colors, s=26,
                   edgecolors="white", linewidths=0.5)
        ax.axhline(style.energy(sweep.target_mwh, lang), color=style.COLORS["target"], ls="--", lw=1.2)
        ax.set_xlabel(param_label(key, lang))
    for ax in axes.flat[len(keys):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(style.label("energy", lang))
    kinds = (("reached", HIGH_COLOR, reached.any()), ("missed", MISSED_COLOR, not reached.all()))
    handles = [Line2D([], [], ls="", marker="o", color=color, label=word(key, lang))
               for key, color, present in kinds if present]
    handles.append(Line2D([], [], ls="--", color=style.COLORS["target"],
                          label=text("target_value", lang, value=energy_text(sweep.target_mwh, lang))))
    legend_above(axes[0, 0] if ncols == 1 else axes[0, ncols // 2], handles)
    measure = measure_label(sweep.basis, lang)
    notes = notes_for(sweep, lang, target_text(sweep, lang))
    return finish(fig, out_dir, "scatter", word("title_scatter", lang, measure=measure), notes)


def scatter_positions(ax, sweep: SweepFiles, key: str, lang: str) -> np.ndarray:
    """Where the finished points sit along ``key``: its value in the report's unit, or for a
    choice (solver.method) its place in the sweep file's order, the choices named on the axis."""
    values = sweep.ok[key]
    if pd.api.types.is_numeric_dtype(values):
        convert, _ = param_scale(key, lang)
        return convert(values.to_numpy(dtype=float))
    choices = list(pd.unique(sweep.points[key].dropna()))
    ax.set_xticks(range(len(choices)), [str(c) for c in choices])
    ax.set_xlim(-0.5, len(choices) - 0.5)
    return values.map({c: i for i, c in enumerate(choices)}).to_numpy(dtype=float)


def charts_for(sweep: SweepFiles) -> list:
    """The chart functions that suit the sweep's design."""
    design, keys = sweep.design["design"], sweep.parameters
    if design == "one-at-a-time":
        return [tornado]
    if "weather_year" in keys:
        return [exceedance]
    if design == "grid" and len(keys) == 2:
        return [heatmap]
    if design == "latin-hypercube":
        return [exceedance, scatter]
    return [scatter]


def draw_sweep(sweep_dir, out_dir, lang: str = "zh") -> list[dict]:
    """The charts of a sweep folder, written to ``out_dir`` as PNG and SVG; one dict a chart
    (name, title, png, svg). A sweep with no finished point has no charts."""
    style.setup(lang)
    sweep = load_sweep(sweep_dir)
    if sweep.ok.empty:
        return []
    charts = [draw(sweep, out_dir, lang) for draw in charts_for(sweep)]
    return [c for c in charts if c is not None]
