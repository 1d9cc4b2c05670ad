"""The meeting report: HTML and Excel open, say the answer first, and agree with summary.json."""

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from model.analyses.pipeline import run
from model.analyses.sweeps import runner
from model.cli import main
from model.outputs import meeting_report
from model.outputs.reports import run_tables
from tests.conftest import ROOT
from tests.test_sweeps import base_copy, sweep_file


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "rich"
    run(ROOT / "tests" / "scenarios" / "rich_day.yaml", out=out)
    return out


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.images, self.answer, self._in_answer = [], 0, "", False
        self._code = False  # inside <style> or <script>: not text a reader sees

    def handle_starttag(self, tag, attrs):
        self._code = tag in ("style", "script")
        attrs = dict(attrs)
        self.images += tag == "img" and attrs.get("src", "").startswith("data:image/png;base64,")
        self._in_answer = attrs.get("class") == "answer"

    def handle_endtag(self, tag):
        self._in_answer = self._code = False

    def handle_data(self, data):
        if self._code:
            return
        self.text.append(data)
        if self._in_answer:
            self.answer += data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_run_report_html_and_excel_hold_the_run_figures(run_dir, lang):
    paths = meeting_report.report(run_dir, lang)
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    page = _Page()
    page.feed(paths["html"].read_text(encoding="utf-8"))
    assert page.images >= 4  # charts embedded: the file opens offline
    counted = s["target_counted_mwh"] / (1e5 if lang == "zh" else 1e6)
    share = s["target_counted_mwh"] / s["target_mwh"]
    assert f"{counted:.1f}" in page.answer if lang == "zh" else f"{counted:.2f}" in page.answer
    assert f"{share:.1%}" in page.answer
    assert ("缺口" in page.answer) if lang == "zh" else ("short" in page.answer)
    sheets = pd.read_excel(paths["xlsx"], sheet_name=None)
    key = sheets["关键指标" if lang == "zh" else "Key figures"]
    values = dict(zip(key.iloc[:, 0], key.iloc[:, 1]))
    export = values["外送电量" if lang == "zh" else "Export"]
    assert float(export) == pytest.approx(s["export_mwh"] / (1e5 if lang == "zh" else 1e6), abs=0.006)
    month = sheets["分月" if lang == "zh" else "By month"]
    assert month.iloc[:, 1].sum() == pytest.approx(s["export_mwh"] / (1e5 if lang == "zh" else 1e6), abs=0.05)
    assert (run_dir / "report" / "charts").is_dir()


def test_both_languages_live_side_by_side(run_dir):
    meeting_report.report(run_dir, "zh")
    meeting_report.report(run_dir, "en")
    names = {p.name for p in (run_dir / "report").iterdir()}
    assert {"report_zh.html", "report_zh.xlsx", "report_en.html", "report_en.xlsx"} <= names


def test_sweep_report(tmp_path):
    base_copy(tmp_path)
    path = sweep_file(tmp_path, {"name": "rep", "base": "base.yaml", "design": "one-at-a-time",
                                 "parameters": {"wind.w.capacity_mw": [600, 1200], "pv.p.capacity_mw": [100, 500]}})
    out = runner.run(path, workers=1, out_root=tmp_path / "out", echo=lambda *a: None)
    paths = meeting_report.report(out.folder, "zh")
    page = _Page()
    page.feed(paths["html"].read_text(encoding="utf-8"))
    assert page.images >= 1 and "5个方案" in page.answer
    points = pd.read_excel(paths["xlsx"], sheet_name="方案")
    assert len(points) == 5


def test_report_command_and_a_folder_that_is_neither(run_dir, tmp_path, capsys):
    assert main(["report", str(run_dir), "--lang", "en"]) == 0
    assert "report_en.html" in capsys.readouterr().out
    assert main(["report", str(tmp_path)]) == 2
    assert re.search(r"expected a run folder", capsys.readouterr().err)


def test_compare_command(run_dir, tmp_path, capsys):
    other = tmp_path / "bigger_ac"
    run(ROOT / "tests" / "scenarios" / "rich_day.yaml", out=other, overrides=[("export_lines.ac.capacity_mw", 800)])
    assert main(["compare", str(run_dir), str(other), "--out", str(tmp_path / "cmp"), "--lang", "en"]) == 0
    # runs of one scenario are named by what they change, not by their folders
    assert "Of 2 runs, rich_day (ac capacity 0.8 GW) exports most" in capsys.readouterr().out
    table = pd.read_excel(tmp_path / "cmp" / "report" / "report_en.xlsx", sheet_name="Comparison")
    export = table.set_index(table.columns[0]).loc["Export"]
    summaries = [json.loads((d / "summary.json").read_text(encoding="utf-8")) for d in (run_dir, other)]
    assert export["Unit"] == "TWh"
    assert export.iloc[1:3].astype(float).tolist() == pytest.approx([s["export_mwh"] / 1e6 for s in summaries],
                                                                      abs=0.006)
    diff = export["rich_day (ac capacity 0.8 GW) less base"]
    assert diff == pytest.approx((summaries[1]["export_mwh"] - summaries[0]["export_mwh"]) / 1e6, abs=0.006)


def test_compare_against_a_named_base(run_dir, tmp_path, capsys):
    other = tmp_path / "bigger_ac"
    run(ROOT / "tests" / "scenarios" / "rich_day.yaml", out=other, overrides=[("export_lines.ac.capacity_mw", 800)])
    assert main(["compare", str(run_dir), str(other), "--base", str(other), "--out", str(tmp_path / "cmp")]) == 0
    table = pd.read_excel(tmp_path / "cmp" / "report" / "report_zh.xlsx", sheet_name="情景比较")
    assert list(table.columns[:2]) == ["指标", "单位"] and "基准" in table.columns[2]  # the base comes first
    assert "单位" in table.columns and table.columns[-1].endswith("较基准")


def test_compare_refuses_a_week_against_a_day_unless_asked(run_dir, tmp_path, capsys):
    short = tmp_path / "short"
    run(ROOT / "tests" / "scenarios" / "three_hour.yaml", out=short)
    assert main(["compare", str(run_dir), str(short), "--out", str(tmp_path / "cmp")]) == 2
    err = capsys.readouterr().err
    assert "different periods" in err and len(err.strip().splitlines()) == 1
    assert main(["compare", str(run_dir), str(short), "--mixed-periods", "--out", str(tmp_path / "cmp")]) == 0
    page = (tmp_path / "cmp" / "report" / "report_zh.html").read_text(encoding="utf-8")
    assert 'class="warn"' in page and "计算期不同" in page


def test_compare_accepts_sweep_points(tmp_path, capsys):
    base_copy(tmp_path)
    path = sweep_file(tmp_path, {"name": "pts", "base": "base.yaml", "design": "grid",
                                 "parameters": {"wind.w.capacity_mw": [600, 1200]}})
    out = runner.run(path, workers=1, out_root=tmp_path / "out", echo=lambda *a: None)
    points = sorted((out.folder / "points").glob("*.json"))
    assert len(points) == 2
    assert main(["compare", str(points[0].with_suffix("")), str(points[1]), "--out", str(tmp_path / "cmp")]) == 0
    table = pd.read_excel(tmp_path / "cmp" / "report" / "report_zh.xlsx", sheet_name="情景比较")
    assert any("方案" in str(c) for c in table.columns[2:])  # points are named by their number, not hash
    assert not any(p.stem in " ".join(map(str, table.columns)) for p in points)


# ------------------------------------------------------------------ what a meeting sees
RAW = re.compile(r"\bNone\b|\bnan\b|\d\.\d{4,}|e[+-]\d\d")


def _text(path) -> str:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return " ".join(page.text)


def test_chinese_report_shows_no_raw_machine_output(run_dir):
    text = _text(meeting_report.report(run_dir, "zh")["html"])
    body = text
    assert not RAW.search(body), RAW.search(body)
    assert "Optimal" not in body and "模式 target" not in body
    assert "情景说明与主要假设" in body and "来源：hexi-power" in body


def test_report_order_answer_key_chart_limits_tables(run_dir):
    html = meeting_report.report(run_dir, "zh")["html"].read_text(encoding="utf-8")
    spots = [html.index(x) for x in ('class="answer"', "<figure>", "<h2>主要制约", "<h2>关键指标", "<h2>分月",
                                     'id="viewer"', "<h2>情景说明与主要假设", "来源：hexi-power")]
    assert spots == sorted(spots)


def test_gap_months_in_calendar_order():
    monthly = pd.DataFrame({"month": ["2019-08", "2019-09", "2019-10", "2019-11"],
                            "export_total_mwh": [5.0, 1.0, 2.0, 9.0], "target_path_mwh": [9.0] * 4})
    assert meeting_report.gap_months(monthly) == ["2019-08", "2019-09", "2019-10"]


def test_monthly_progress_is_cumulative_and_has_units(run_dir):
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    monthly = pd.read_csv(run_dir / "monthly.csv")
    t = run_tables.monthly_table(monthly, s, "zh")
    assert all("（" in c for c in t.frame.columns[1:])
    progress = t.frame[[c for c in t.frame.columns if c.startswith("目标进度")][0]]
    assert progress.iloc[-1] == pytest.approx(s["target_counted_mwh"] / s["target_mwh"], rel=1e-6)


def _plan_summary():
    add = lambda unit, family, dim, added, uom, cost: {  # noqa: E731
        "unit": unit, "family": family, "dimension": dim, "existing": 0.0, "added": added,
        "unit_of_measure": uom, "annualised_cost_cny": cost}
    return {"additions": [add("dunhuang_csp_new", "CSP", "turbine", 100.0, "MW", 2e7),
                          add("yumen_changma_new", "PumpedHydro", "power", 0.0, "MW", 0.0),
                          add("jiuquan_new_battery", "Battery", "energy", 800.0, "MWh", 1e7)]}


def test_additions_table_reads_as_the_other_tables():
    t = run_tables.additions_table(_plan_summary(), "zh")
    text = t.frame.to_string()
    assert "dunhuang" not in text and "PumpedHydro" not in text and "capacity" not in text
    assert len(t.frame) == 3 and t.frame.iloc[-1, 0] == "合计"  # two additions (no zero row) and a total
    assert t.frame.iloc[0, 2] == 10.0 and t.frame.iloc[0, 3] == "万千瓦"  # 100 MW = 10 万千瓦
    assert t.frame.iloc[-1, 4] == pytest.approx(0.3)  # 亿元


def test_unserved_heat_is_said():
    s = {"unserved_mwh": 0.0, "heating_unserved_mwh_th": 14523.0, "mode": "max-export"}
    assert "供暖" in meeting_report.warnings(s, "zh")[0] and "1,452.3" in meeting_report.warnings(s, "zh")[0]
    assert "heat" in meeting_report.warnings(s, "en")[0]


def test_english_co2_in_proper_units(run_dir):
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    t = run_tables.key_figures(s, "en").frame.set_index("Figure")
    assert t.loc["CO2 emissions", "Unit"] == "Mt"


def test_charts_per_language(run_dir):
    meeting_report.report(run_dir, "zh")
    zh = (run_dir / "report" / "charts" / "zh" / "export_vs_target.png").read_bytes()
    meeting_report.report(run_dir, "en")
    assert (run_dir / "report" / "charts" / "zh" / "export_vs_target.png").read_bytes() == zh
    assert (run_dir / "report" / "charts" / "en" / "export_vs_target.png").exists()


def test_workbook_is_formatted(run_dir):
    from openpyxl import load_workbook

    paths = meeting_report.report(run_dir, "zh", hourly_sheet=True)
    book = load_workbook(paths["xlsx"])
    key = book["关键指标"]
    assert key.freeze_panes == "A2" and key["A1"].font.bold
    rates = [row for row in key.iter_rows(min_row=2) if row[0].value in ("弃风率", "弃光率")]
    assert rates and all(isinstance(r[1].value, float) and r[1].number_format == "0.0%" for r in rates)
    month = book["分月"]
    assert month["A2"].is_date and "亿千瓦时" in month["B1"].value and month["B2"].number_format == "#,##0.00"
    assert month.column_dimensions["A"].width > 8
    assert {"主要假设", "分通道", "储能", "主要制约", "逐时结果"} <= set(book.sheetnames)
    assert book["逐时结果"].max_row == 24 + 1  # rich_day is one day


def test_summary_carries_title_and_provenance(run_dir):
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert s["title"] == {"zh": "rich_day", "en": "rich_day"}
    p = s["provenance"]
    assert p["tool_version"] and len(p["scenario_sha256"]) == 64 and p["run_date"].endswith("Z")


def test_every_bundled_scenario_has_a_title_in_both_languages():
    from model.inputs import scenario

    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        title = scenario.load(path).values["title"]
        assert title and re.search(r"[\u4e00-\u9fff]", title["zh"]) and title["en"].isascii(), path


def test_no_display_scale_outside_the_quantities_table():
    """1e4 and 1e8 (万, 亿) live in model/outputs/quantities.py alone."""
    for path in (ROOT / "model").rglob("*.py"):
        if path.name in ("quantities.py", "yaml_text.py", "schema.py"):  # the last two: parsing, not display
            continue
        assert not re.search(r"\b1e[48]\b", path.read_text(encoding="utf-8")), path


def test_target_curve_report(tmp_path, capsys):
    folder = tmp_path / "tc"
    assert main(["target-curve", str(ROOT / "tests" / "scenarios" / "rich_day.yaml"), "--from", "0.02", "--to",
                 "0.04", "--step", "0.02", "--out", str(folder)]) == 0
    text = _text(folder / "report" / "report_zh.html")
    assert "外送目标的成本曲线" in text and "逐时计算" in text  # the chart and page say the hours were not merged
    assert (folder / "report" / "charts" / "zh" / "target_curve.png").exists()
