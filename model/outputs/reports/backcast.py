"""The backcast's page: each published figure, its band and the model's value (model/analyses/backcast.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import provenance
from . import names, page
from .tables import Table

_w = names.say

# figure id -> (中文, English, quantity); the ids are backcast.FIGURES'
LABELS = {
    "gansu_2019_wind_curtailment": ("甘肃2019年弃风率", "Gansu 2019 wind curtailment", "rate"),
    "gansu_2019_pv_curtailment": ("甘肃2019年弃光率", "Gansu 2019 PV curtailment", "rate"),
    "gansu_2019_combined_curtailment": ("甘肃2019年风光合计弃电率", "Gansu 2019 wind and PV "
                                        "curtailment", "rate"),
    "gansu_2019_wind_hours": ("甘肃2019年风电利用小时", "Gansu 2019 wind full-load hours", "hours"),
    "gansu_2019_pv_hours": ("甘肃2019年光伏利用小时", "Gansu 2019 PV full-load hours", "hours"),
    "gansu_2020_combined_curtailment": ("甘肃2020年风光合计弃电率（样本外检验）", "Gansu 2020 wind "
                                        "and PV curtailment (out of sample)", "rate"),
    "jiuquan_2019_combined_curtailment": ("酒泉2019年风光合计弃电率（不低于全省）", "Jiuquan 2019 "
                                          "wind and PV curtailment (at least Gansu's)", "rate"),
    "qishao_2019_renewable_share": ("祁韶直流2019年新能源占比", "Qishao DC 2019 renewable share",
                                    "rate"),
}


def backcast_table(table: pd.DataFrame, lang: str) -> Table:
    kinds = [LABELS[f][2] for f in table["figure"]]
    columns = [_w(lang, "指标", "Figure"), _w(lang, "公布值", "Published"),
               _w(lang, "区间下限", "Band low"), _w(lang, "区间上限", "Band high"),
               _w(lang, "模型值", "Model"), _w(lang, "是否在区间内", "Within"),
               _w(lang, "来源", "Source")]
    frame = pd.DataFrame({
        columns[0]: [LABELS[f][0 if lang == "zh" else 1] for f in table["figure"]],
        columns[1]: table["published"], columns[2]: table["low"], columns[3]: table["high"],
        columns[4]: table["model"],
        columns[5]: [_w(lang, "是", "yes") if v else _w(lang, "否", "no") for v in table["within"]],
        columns[6]: table["source"],
    })
    return Table(_w(lang, "回测：模型与公布数据", "Backcast: the model against published figures"),
                 frame, {c: kinds for c in columns[1:5]}, sheet=_w(lang, "回测", "Backcast"),
                 quoted=columns[6])


def backcast_report(folder, lang="zh") -> dict:
    folder = Path(folder)
    table = pd.read_csv(folder / "backcast.csv")
    within = int(table["within"].sum())
    answer = _w(lang, f"{len(table)}个公布数据中{within}个落在区间内（2019、2020年甘肃背景模型，经济调度）。",
                f"{within} of {len(table)} published figures within their band (the 2019 and 2020 "
                "Gansu context, economic dispatch).")
    note = _w(lang, "只调整了不确定的假设（调整前后的取值见数据说明），未改动任何公布数据；2020年为样本外检验。",
              "Only assumptions were tuned (data/README.md), no published figure; 2020 is the "
              "out-of-sample check.")
    title = _w(lang, "回测：2019、2020年甘肃背景模型", "Backcast: the 2019 and 2020 Gansu context")
    t = backcast_table(table, lang)

    def build(charts_dir):
        blocks = [page.h("h1", title), page.h("p", answer, "answer"), page.table(t, lang),
                  page.h("p", note, "note"),
                  page.h("p", provenance.line(provenance.stamp(date_key="report_date"), lang),
                         "note prov")]
        return blocks, answer

    return page.write(folder, lang, title, build, lambda: [t])
