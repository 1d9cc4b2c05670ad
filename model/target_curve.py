"""The cost of the export target: least cost and marginal cost against the target level.

One model is built; each level changes only the target's right-hand side, so it is re-solved in
place from the previous basis (model/resolve.py). In plan mode the cost includes the annualised
investment the level needs; the marginal cost is the target's shadow price. A level the system
cannot reach shows the shortfall penalty as its marginal cost and a shortfall above zero.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import scenario
from .charts import style
from .errors import SolveError
from .output import atomic_dir
from .pipeline import finish
from .resolve import Resolver


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
                     "shortfall_mwh": s["shortfall_mwh"], "export_counted_twh": s["target_counted_mwh"] / 1e6,
                     "investment_cny": s["cost_cny"].get("investment", 0.0), "reused_model": point.reused,
                     "solve_s": s["solve_s"],
                     "objective_includes_export_revenue": s["objective_includes_export_revenue"],
                     **added})
    return pd.DataFrame(rows)


def chart(table: pd.DataFrame, out: Path, lang: str) -> dict:
    import matplotlib.pyplot as plt

    style.setup(lang)
    zh = lang == "zh"
    fig, ax = plt.subplots(figsize=(9, 4.8))
    x = table["target_twh"] * (10 if zh else 1)
    total, = ax.plot(x, table["objective_cny"] / 1e8, marker="o", color=style.COLORS["export"],
                     label="系统总成本（左轴）" if zh else "Total cost (left)")
    ax.set_xlabel("外送目标（亿千瓦时）" if zh else "Export target (TWh)")
    if table["objective_includes_export_revenue"].all():
        ax.set_ylabel("系统总成本（亿元，扣除外送收入）" if zh else "Total cost less export revenue (100 million CNY)")
    else:
        ax.set_ylabel("系统总成本（亿元，含年化投资）" if zh
                      else "Total cost incl. annualised investment (100 million CNY)")
    twin = ax.twinx()
    marginal, = twin.step(x, table["marginal_cost_cny_per_mwh"], where="mid", color=style.COLORS["target"],
                          linestyle="--", label="边际成本（右轴）" if zh else "Marginal cost (right)")
    twin.set_ylabel("边际成本（元/兆瓦时）" if zh else "Marginal cost (CNY/MWh)")
    ax.legend(handles=[total, marginal], loc="upper left", frameon=False)
    ax.set_title("外送目标的成本曲线" if zh else "The cost of the export target")
    return style.save(fig, out, "target_curve")


def write(table: pd.DataFrame, folder: Path, lang: str, with_chart=True) -> Path:
    with atomic_dir(folder, "target-curve") as tmp:
        table.to_csv(tmp / "target_curve.csv", index=False)
        if with_chart:
            chart(table, tmp, lang)
    return folder
