"""Charts: every chart of a run, a sweep of each design and a comparison renders in both languages
to PNG and SVG, every piece of text in the Noto Sans CJK SC font, with no glyph missing."""

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.text import Text

from model.analyses.pipeline import run
from model.analyses.sweeps import runner
from model.plotting import run_charts, style
from model.plotting.compare import draw_comparison
from model.plotting.run_charts import counted_monthly, draw_run, load_run, typical_week
from model.plotting.sweep_charts import draw_sweep, load_sweep, swings
from tests.conftest import ROOT

RICH = ROOT / "tests" / "scenarios" / "rich_day.yaml"
WEEK = ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml"

# One small sweep of each design on the rich test day; w.capacity_mw -5 is refused, so the grid
# has failed points to leave out.
SWEEPS = {
    "grid": {"design": "grid",
             "parameters": {"wind.w.capacity_mw": [600, -5], "export_lines.dc.capacity_mw": [600, 800]}},
    "oat": {"design": "one-at-a-time",
            "parameters": {"wind.w.capacity_mw": [600, 1200], "pv.p.capacity_mw": [100, 400]}},
    "years": {"design": "weather-years", "years": [1, 2, 3]},
    "lhs": {"design": "latin-hypercube", "points": 4, "seed": 1,
            "parameters": {"wind.w.capacity_mw": [600, 1200], "imports.g.price_cny_per_mwh": [300, 500]}},
    # a choice, not a number, as the swept parameter
    "choice": {"design": "grid", "parameters": {"solver.method": ["simplex", "ipm"]}},
    "choice_grid": {"design": "grid", "parameters": {"solver.method": ["simplex", "ipm"],
                                                     "wind.w.capacity_mw": [600, 900]}},
    "choice_oat": {"design": "one-at-a-time", "parameters": {"solver.method": ["simplex", "ipm"],
                                                             "wind.w.capacity_mw": [600]}},
}
EXPECTED = {"grid": {"heatmap"}, "oat": {"tornado"}, "years": {"exceedance"},
            "lhs": {"exceedance", "scatter"}, "choice": {"scatter"}, "choice_grid": {"heatmap"},
            "choice_oat": {"tornado"}}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The rich day (two buses, storage, curtailment) and the default winter week (one bus, no storage)."""
    tmp = tmp_path_factory.mktemp("runs")
    return {"rich": run(RICH, out=tmp / "rich").folder, "week": run(WEEK, out=tmp / "week").folder}


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    """The sweeps through the runner, on one single-worker cluster shared to save its start-up."""
    tmp = tmp_path_factory.mktemp("sweeps")
    folders = {}
    with runner.local_cluster(1) as cluster:
        for name, body in SWEEPS.items():
            path = tmp / f"{name}.yaml"
            path.write_text(yaml.safe_dump({"name": name, "base": str(RICH), **body}), encoding="utf-8")
            folders[name] = runner.run(path, scheduler=cluster.scheduler_address, out_root=tmp / "out",
                                       echo=lambda *a: None).folder
    return folders


@pytest.fixture
def drawn(monkeypatch, caplog):
    """Draw with every warning an error and font messages captured; record each figure's texts as
    it is saved (style.save closes the figure)."""
    texts = {}
    save = style.save

    def recording_save(fig, folder, name):
        texts[name] = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        return save(fig, folder, name)

    monkeypatch.setattr(style, "save", recording_save)
    caplog.set_level(logging.WARNING, logger="matplotlib.font_manager")

    def draw(function, *args):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            charts = function(*args)
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], "font warnings while drawing"
        return charts, texts

    return draw


def check_files_and_fonts(charts, texts):
    assert charts
    for chart in charts:
        assert chart["title"]
        for ext in ("png", "svg"):
            assert chart[ext].exists() and chart[ext].stat().st_size > 5000, chart[ext]
        fonts = {str(font_manager.findfont(t.get_fontproperties(), fallback_to_default=False))
                 for t in texts[chart["name"]]}
        assert fonts == {style.font_path()}, (chart["name"], fonts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_run_charts(runs, drawn, tmp_path, lang):
    rich, texts = drawn(draw_run, runs["rich"], tmp_path / "rich", lang)
    check_files_and_fonts(rich, texts)
    assert [c["name"] for c in rich] == ["export_vs_target", "dispatch", "curtailment", "export_by_line", "storage",
                                         "duration_curves"]
    week, texts = drawn(draw_run, runs["week"], tmp_path / "week", lang)
    check_files_and_fonts(week, texts)
    assert "storage" not in {c["name"] for c in week}  # the default fleet has no storage
    units = {"zh": ("亿千瓦时", "万千瓦"), "en": ("TWh", "GW")}[lang]
    words = " ".join(t.get_text() for name in ("export_vs_target", "dispatch") for t in texts[name])
    assert all(unit in words for unit in units)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sweep_charts(sweeps, drawn, tmp_path, lang):
    for name, folder in sweeps.items():
        charts, texts = drawn(draw_sweep, folder, tmp_path / name, lang)
        check_files_and_fonts(charts, texts)
        assert {c["name"] for c in charts} == EXPECTED[name]
        words = {w for chart in charts for t in texts[chart["name"]] for w in t.get_text().split()}
        if name.startswith("choice"):  # the choices are named on the chart
            assert {"simplex", "ipm"} <= words, name
        if name == "grid":
            note = {"zh": "已排除2个失败方案", "en": "2 failed points left out"}[lang]
            assert any(note in t.get_text() for t in texts["heatmap"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison(runs, drawn, tmp_path, lang):
    charts, texts = drawn(draw_comparison, [runs["rich"], runs["week"]], tmp_path, lang)
    check_files_and_fonts(charts, texts)
    assert [c["name"] for c in charts] == ["comparison_export", "comparison_mix"]
    assert any(("利用小时" if lang == "zh" else "Full-load hours") in t.get_text() for t in texts["comparison_mix"])


def test_a_missing_glyph_would_fail_the_tests(drawn, tmp_path):
    """The check bites: a character in neither font warns, and the warning is an error."""
    style.setup("zh")

    def draw_unknown_glyph():
        fig, ax = plt.subplots()
        ax.set_title("\U0001f600")  # an emoji: in neither Noto Sans CJK nor DejaVu Sans
        style.save(fig, tmp_path, "emoji")

    with pytest.raises(UserWarning, match="missing from font"):
        drawn(draw_unknown_glyph)
    plt.close("all")  # the warning stopped the save before it closed the figure


def test_monthly_export_counts_as_the_target_does(runs):
    """Net of imports by month adds up to the summary's target measure."""
    for folder in runs.values():
        r = load_run(folder)
        assert counted_monthly(r).sum() == pytest.approx(r.summary["target_counted_mwh"], rel=1e-6)


def test_typical_week_is_a_whole_week_of_its_season():
    """Export peaks in one January week and one July week; the typical weeks are the median ones."""
    ts = pd.date_range("2019-01-01", "2019-12-31 23:00", freq="h", tz="Asia/Shanghai")
    flow = np.where(ts.month.isin([1, 7]) & (ts.day >= 8) & (ts.day <= 14), 100.0, 10.0)
    hourly = pd.DataFrame({"timestamp": ts, "Line-flow[a]": flow})
    for months in ((12, 1, 2), (6, 7, 8)):
        week = typical_week(hourly, months)
        assert len(week) == 168 and week["timestamp"].iloc[0].hour == 0
        assert set(week["timestamp"].dt.month) <= set(months)
        assert week["Line-flow[a]"].max() == 10.0  # an ordinary week, not the peak one
    assert run_charts.dispatch_windows(hourly.iloc[:300])[0][0] == "dispatch"  # two weeks or less: all of it


def test_tornado_bars_are_sorted_by_swing(sweeps):
    sweep = load_sweep(sweeps["oat"])
    rows = swings(sweep.ok, sweep.parameters, "en")
    assert [r.size for r in rows] == sorted(r.size for r in rows)
    assert {r.key for r in rows} == set(SWEEPS["oat"]["parameters"])
    assert all(r.low < r.high for r in rows)
