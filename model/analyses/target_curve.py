"""The cost of the export target: least cost and marginal cost against the target level.

One model is built; each level changes only the target's right-hand side, so it is re-solved in
place from the previous basis (model/optimisation/resolve.py). In plan mode the cost includes the annualised
investment the level needs; the marginal cost is the target's shadow price. A level the system
cannot reach shows the shortfall penalty as its marginal cost and a shortfall above zero.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SolveError
from ..inputs import scenario
from ..optimisation.resolve import Resolver
from ..outputs import quantities as qty
from ..outputs.output import atomic_dir
from ..plotting import style
from .pipeline import finish


def levels(start: float, stop: float, step: float) -> list[float]:
    n = int(np.floor((stop - start) / step + 1e-9)) + 1
    return [round(start + i * step, 9) for i in range(max(n, 0))]


def curve(path, targets_twh, mode=None, overrides=()) -> pd.DataFrame:
    resolver = Resolver()
    rows = []
    for t in targets_twh:
        sc = scenario.load(path, [*overrides, ("target.export_twh", float(t))])
        point = resolver.solve(sc, mode or ("plan" if sc.values["mode"] == "plan" else "target"))
        s = finish(point.built, point.solution, point.timings, None).summary
        if not s["checks"]["ok"]:  # a curve is quoted whole: no level may be unchecked
            problems = "; ".join(s["checks"]["problems"])
            raise SolveError(f"target {t} TWh failed the self-check: {problems}")
        added = {f"added.{a['unit']}.{a['dimension']}": a["added"] for a in s["additions"]}
        rows.append({"target_twh": t, "objective_cny": s["objective_cny"],
                     "marginal_cost_cny_per_mwh": s["target_price_cny_per_mwh"],
                     "shortfall_mwh": s["shortfall_mwh"], "export_counted_twh": s["target_counted_mwh"] / qty.TWH,
                     "investment_cny": s["cost_cny"].get("investment", 0.0), "reused_model": point.reused,
                     "solve_s": s["solve_s"],
                     "objective_includes_export_revenue": s["objective_includes_export_revenue"],
                     "scenario": s["scenario"], "title_zh": s["title"]["zh"], "title_en": s["title"]["en"],
                     "mode": s["mode"], "hours": s["hours"], "time_steps": s["time_steps"],
                     "segments_per_day": s["segments_per_day"],
                     **added})
    return pd.DataFrame(rows)


def chart(table: pd.DataFrame, out: Path, lang: str) -> dict:
    import matplotlib.pyplot as plt

    style.setup(lang)
    zh = lang == "zh"
    fig, ax = plt.subplots(figsize=(9, 4.8))
    x = qty.value("energy", table["target_twh"] * qty.TWH, lang)
    total, = ax.plot(x, qty.value("money", table["objective_cny"], lang), marker="o", color=style.COLORS["export"],
                     label="系统总成本（左轴）" if zh else "Total cost (left)")
    ax.set_xlabel(qty.header("外送目标" if zh else "Export target", "energy", lang))
    money = qty.unit("money", lang)
    if table["objective_includes_export_revenue"].all():
        ax.set_ylabel(f"系统总成本（{money}，扣除外送收入）" if zh else f"Total cost less export revenue ({money})")
    else:
        ax.set_ylabel(f"系统总成本（{money}，含年化投资）" if zh
                      else f"Total cost incl. annualised investment ({money})")
    twin = ax.twinx()
    marginal, = twin.step(x, table["marginal_cost_cny_per_mwh"], where="mid", color=style.COLORS["target"],
                          linestyle="--", label="边际成本（右轴）" if zh else "Marginal cost (right)")
    twin.set_ylabel("边际成本（元/兆瓦时）" if zh else "Marginal cost (CNY/MWh)")
    ax.legend(handles=[total, marginal], loc="upper left", frameon=False)
    ax.set_title("外送目标的成本曲线" if zh else "The cost of the export target")
    fig.supxlabel(resolution_note(table, lang), x=0.01, ha="left", fontsize=8.5, color="#555555")
    return style.save(fig, out, "target_curve")


def resolution_note(table: pd.DataFrame, lang: str) -> str:
    """Whether the curve's hours were merged (time aggregation), which its costs depend on."""
    k = table["segments_per_day"].iloc[0] if "segments_per_day" in table else None
    hours, steps = int(table["hours"].iloc[0]), int(table["time_steps"].iloc[0])
    if k is not None and not pd.isna(k):
        return (f"时间聚合：每日{int(k)}段，{hours:,}小时合并为{steps:,}个时段（快速估算，成本与逐时计算略有出入）"
                if lang == "zh" else f"Time aggregation: {int(k)} segments a day, {hours:,} hours merged into "
                f"{steps:,} time steps (a fast estimate; costs differ somewhat from the hourly run)")
    return (f"逐时计算：{hours:,}小时，未做时间聚合" if lang == "zh"
            else f"Hourly: {hours:,} hours, no time aggregation")


def write(table: pd.DataFrame, folder: Path, lang: str, with_chart=True) -> Path:
    with atomic_dir(folder, "target-curve") as tmp:
        table.to_csv(tmp / "target_curve.csv", index=False)
        if with_chart:
            chart(table, tmp / "charts" / lang, lang)
    return folder
