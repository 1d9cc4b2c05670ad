"""The meeting report: HTML and Excel open, say the answer first, and agree with summary.json."""

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from model import meeting_report
from model.cli import main
from model.pipeline import run
from model.sweeps import runner
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

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.images += tag == "img" and attrs.get("src", "").startswith("data:image/png;base64,")
        self._in_answer = attrs.get("class") == "answer"

    def handle_endtag(self, tag):
        self._in_answer = False

    def handle_data(self, data):
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
    assert "Of 2 scenarios, bigger_ac exports most" in capsys.readouterr().out
    table = pd.read_excel(tmp_path / "cmp" / "report" / "report_en.xlsx", sheet_name="Comparison")
    export = table.set_index(table.columns[0]).loc["Export"].astype(float).tolist()
    expected = [json.loads((d / "summary.json").read_text(encoding="utf-8"))["export_mwh"] / 1e6
                for d in (run_dir, other)]
    assert export == pytest.approx(expected, abs=0.006)
