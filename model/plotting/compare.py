"""Several runs side by side, drawn from the summary.json of each run folder.

``draw_comparison(run_dirs, out_dir, lang)`` draws:

    comparison_export   each run's export as its target counts it, against its target
    comparison_mix      generation by technology, 弃风率 and 弃光率, and the 利用小时 of wind and PV

Runs of different lengths compare fairly: each is set against its own (pro-rata) target.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from ..outputs.reports.names import run_names
from . import style
from .run_charts import (
    GENERATION,
    RunFiles,
    energy_text,
    finish,
    labeller,
    legend_above,
    load_run,
    measure_label,
    new_figure,
    number,
    report_energy,
)

# Labels the shared style does not have: (Chinese, English), with {placeholders}.
TEXT = {
    "title_export": ("各情景{measure}与目标", "{measure} against the target, by scenario"),
    "title_mix": ("各情景发电结构、弃风弃光与利用小时", "Generation, curtailment and full-load hours by scenario"),
    "generation": ("发电量（亿千瓦时）", "Generation (TWh)"),
    "rates": ("弃风率、弃光率", "Curtailment rates"),
    "hours_panel": ("利用小时（小时）", "Full-load hours (h)"),
    "own_targets": ("各情景计算期长短不同，目标均按各自计算期折算",
                    "The runs cover different periods; each is set against its own pro-rata target"),
    "scenarios": ("情景：{names}", "Scenarios: {names}"),
}

RENEWABLES = ("wind", "pv")
word = labeller(TEXT)


def common_measure(runs: list[RunFiles], lang: str) -> str:
    """The target's measure, when every run counts the same way; else the general term."""
    bases = {r.basis for r in runs}
    return measure_label(bases.pop() if len(bases) == 1 else None, lang)


def run_rows(ax, names: list[str]) -> np.ndarray:
    """One row a run, the first on top."""
    y = np.arange(len(names))[::-1]
    ax.set_yticks(y, names)
    ax.grid(axis="y", visible=False)
    return y


def export_comparison(runs: list[RunFiles], names: list[str], out_dir, lang: str) -> dict:
    measure = common_measure(runs, lang)
    fig, ax = new_figure(size=(10, 1.9 + 0.65 * len(runs)))
    y = run_rows(ax, names)
    counted = np.array([style.energy(r.summary["target_counted_mwh"], lang) for r in runs])
    targets = np.array([style.energy(r.summary["target_mwh"], lang) for r in runs])
    ax.barh(y, counted, height=0.55, color=style.COLORS["export"])
    ax.vlines(targets, y - 0.38, y + 0.38, color=style.COLORS["target"], lw=2.6, zorder=3)
    for row, value, target in zip(y, counted, targets):
        ax.annotate(f"{report_energy(value, lang)}（{value / target:.0%}）" if lang == "zh"
                    else f"{report_energy(value, lang)} ({value / target:.0%})",
                    (max(value, target), row), xytext=(6, 0), textcoords="offset points", va="center", fontsize=10)
    ax.set_xlim(0, max(counted.max(), targets.max()) * 1.22)  # room for the labels
    ax.set_xlabel(style.label("energy", lang))
    target_label = style.label("target", lang)
    if len(set(targets)) == 1:
        target_label += f"（{energy_text(runs[0].summary['target_mwh'], lang)}）" if lang == "zh" else \
            f" ({energy_text(runs[0].summary['target_mwh'], lang)})"
    legend_above(ax, [Patch(color=style.COLORS["export"], label=measure),
                      Line2D([], [], color=style.COLORS["target"], lw=2.6, label=target_label)])
    notes = [word("own_targets", lang)] if len({r.summary["hours"] for r in runs}) > 1 else []
    notes.append(word("scenarios", lang, names=", ".join(names)))
    return finish(fig, out_dir, "comparison_export", word("title_export", lang, measure=measure), notes)


def mix_comparison(runs: list[RunFiles], names: list[str], out_dir, lang: str) -> dict:
    fig, (mix, rates, hours) = new_figure(1, 3, size=(14, 2.4 + 0.65 * len(runs)), sharey=True,
                                          width_ratios=[2.2, 1, 1])
    y = run_rows(mix, names)
    generation_panel(mix, runs, y, lang)
    renewable_panel(rates, runs, y, lambda s, t: s["curtailment_rate"].get(t, 0.0), lambda v: f"{v:.1%}", lang)
    rates.xaxis.set_major_formatter(PercentFormatter(1.0))
    rates.set_xlabel(word("rates", lang))
    renewable_panel(hours, runs, y, lambda s, t: s["utilisation_hours"].get(t, 0.0),
                    lambda v: number(v, lang, ".0f"), lang, legend=False)  # the panel beside it has the legend
    hours.set_xlabel(word("hours_panel", lang))
    notes = [word("scenarios", lang, names=", ".join(names))]
    return finish(fig, out_dir, "comparison_mix", word("title_mix", lang), notes)


def generation_panel(ax, runs: list[RunFiles], y, lang: str):
    """Generation by technology, stacked, in the order of the dispatch charts."""
    techs = [t for t in GENERATION if any(r.summary["generation_mwh"].get(t, 0) > 0 for r in runs)]
    left = np.zeros(len(runs))
    for tech in techs:
        values = np.array([style.energy(r.summary["generation_mwh"].get(tech, 0.0), lang) for r in runs])
        ax.barh(y, values, left=left, height=0.6, color=style.COLORS[tech], label=style.label(tech, lang))
        left += values
    ax.set_xlabel(word("generation", lang))
    legend_above(ax, ax.get_legend_handles_labels()[0])


def renewable_panel(ax, runs: list[RunFiles], y, value_of, fmt, lang: str, legend=True):
    """Wind and PV side by side in each run's row, each bar labelled with its value."""
    for offset, tech in zip((0.17, -0.17), RENEWABLES):
        values = np.array([value_of(r.summary, tech) for r in runs])
        ax.barh(y + offset, values, height=0.32, color=style.COLORS[tech], label=style.label(tech, lang))
        for row, value in zip(y + offset, values):
            ax.annotate(fmt(value), (value, row), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_xlim(0, ax.get_xlim()[1] * 1.25)  # room for the labels
    if legend:
        legend_above(ax, ax.get_legend_handles_labels()[0])


def draw_comparison(run_dirs, out_dir, lang: str = "zh", names=None, summaries=None) -> list[dict]:
    """Charts comparing the runs in ``run_dirs``, written to ``out_dir`` as PNG and SVG; one dict a
    chart (name, title, png, svg). ``names``: the runs' names, as the report's table has them;
    ``summaries``: the runs' summaries, where a run is a sweep point's record, not a folder."""
    style.setup(lang)
    runs = ([RunFiles(Path(d), s, None) for d, s in zip(run_dirs, summaries)] if summaries is not None
            else [load_run(d) for d in run_dirs])
    names = names or run_names([r.summary for r in runs], [r.folder for r in runs], lang)
    return [export_comparison(runs, names, out_dir, lang), mix_comparison(runs, names, out_dir, lang)]
