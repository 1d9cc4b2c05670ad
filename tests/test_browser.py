"""Each kind of report opened in a real browser (headless Chromium over the DevTools protocol):
it renders without console errors, requests nothing beyond its own file and data: URLs, the
hourly viewer responds, and no text a reader sees shows None, nan, more than three decimals or
an internal id. Screenshots are kept as test artefacts (in BROWSER_ARTEFACTS, else pytest's
temporary folder), never in the repository."""

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from model.analyses import backcast
from model.analyses.pipeline import run
from model.analyses.sweeps import runner
from model.cli import main
from model.outputs import meeting_report
from tests.browser import CHROMIUM, Browser
from tests.conftest import ROOT
from tests.test_sweeps import base_copy, sweep_file

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser)")

# What a reader must never see: machine words, long decimals, exponent notation, ids.
RAW = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bundefined\b|\d\.\d{4,}|\d[eE][+-]\d")
INTERNAL = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b(?:PumpedHydro|DirectPurchase|Line-flow|Bus-price)\b")
# Words a Chinese page may hold: units and names the work report writes in Latin letters too.
LATIN_OK = {"CO", "P50", "P90", "hexi-power", "MW", "kV"}

TEXT_NODES = """(() => {
  const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode, p = n.parentElement;
    if (!n.textContent.trim() || p.closest('script,style')) continue;
    out.push({text: n.textContent.trim(), prov: !!p.closest('.prov'),
              quoted: !!p.closest('[lang=en]') && document.documentElement.lang !== 'en'});
  }
  return out;
})()"""


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory):
    folder = Path(os.environ.get("BROWSER_ARTEFACTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """One page of each kind: a run, a plan, a sweep, a comparison, a target curve, a backcast."""
    tmp = tmp_path_factory.mktemp("pages")
    week = run(ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml", out=tmp / "week")
    plan = run(
        ROOT / "scenarios" / "jiuquan_2019_plan.yaml",
        out=tmp / "plan",
        overrides=[("time.start", "2019-07-01"), ("time.hours", 48), ("solver.method", "choose")],
    )
    other = run(
        ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml",
        out=tmp / "week_dc",
        overrides=[("export_lines.qishao_dc.sync_support_ratio", 0.15)],
    )
    base_copy(tmp)
    path = sweep_file(
        tmp,
        {
            "name": "web",
            "title": {"zh": "测试日敏感性", "en": "Test day sweep"},
            "base": "base.yaml",
            "design": "one-at-a-time",
            "parameters": {"wind.w.capacity_mw": [600, 1200], "pv.p.capacity_mw": [100, 500]},
        },
    )
    sweep = runner.run(path, workers=1, out_root=tmp / "sweeps", echo=lambda *a: None)
    assert (
        main(
            [
                "target-curve",
                str(ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml"),
                "--from",
                "24",
                "--to",
                "32",
                "--step",
                "4",
                "--out",
                str(tmp / "curve"),
                "--no-report",
            ]
        )
        == 0
    )
    assert main(["compare", str(week.folder), str(other.folder), "--out", str(tmp / "cmp")]) == 0
    out = {}
    for kind, folder in (
        ("run", week.folder),
        ("plan", plan.folder),
        ("sweep", sweep.folder),
        ("target-curve", tmp / "curve"),
    ):
        for lang in ("zh", "en"):
            out[kind, lang] = meeting_report.report(folder, lang)["html"]
    out["compare", "zh"] = tmp / "cmp" / "report" / "report_zh.html"
    # the backcast's page from its real figures (their sources and bands), with stand-in model
    # values: solving the two context years would take minutes
    rows = [{"figure": f.id, "published": f.published,
             "low": 0.07 if isinstance(f.low, str) else f.low, "high": f.high,
             "model": f.high if isinstance(f.low, str) else (f.low + f.high) / 2,
             "within": True, "source": f.source} for f in backcast.FIGURES]
    (tmp / "backcast").mkdir()
    pd.DataFrame(rows).to_csv(tmp / "backcast" / "backcast.csv", index=False)
    for lang in ("zh", "en"):
        out["backcast", lang] = meeting_report.report(tmp / "backcast", lang)["html"]
    return out


KINDS = [
    ("run", "zh"),
    ("run", "en"),
    ("plan", "zh"),
    ("plan", "en"),
    ("sweep", "zh"),
    ("sweep", "en"),
    ("compare", "zh"),
    ("target-curve", "zh"),
    ("target-curve", "en"),
    ("backcast", "zh"),
    ("backcast", "en"),
]


@pytest.mark.parametrize("kind,lang", KINDS)
def test_report_in_a_browser(browser, pages, artefacts, kind, lang):
    tab = browser.open(pages[kind, lang])
    try:
        tab.screenshot(artefacts / f"{kind}_{lang}_first_screen.png")
        if kind in ("run", "plan"):  # the viewer: pick each series, zoom in and out
            views = tab.evaluate("window.hexiViewer.views")
            assert {"dispatch", "export", "price"} <= set(views)
            for i in range(len(views)):
                tab.evaluate(f"window.hexiViewer.select({i})")
            lo, hi = tab.evaluate("window.hexiViewer.zoom(0.5), window.hexiViewer.range()")
            assert 0 <= lo < hi
        assert tab.errors() == []
        external = [u for u in tab.requests() if not u.startswith(("file:", "data:"))]
        assert external == []
        nodes = tab.evaluate(TEXT_NODES)
        shown = [n["text"] for n in nodes]
        assert shown, "the page shows no text"
        bad = [t for t in shown if RAW.search(t)]
        assert bad == [], bad[:5]
        ids = [n["text"] for n in nodes if not (n["quoted"] or n["prov"]) and INTERNAL.search(n["text"])]
        assert ids == [], ids[:5]
        if lang == "zh":
            latin = {
                w
                for n in nodes
                if not (n["quoted"] or n["prov"])  # a commit and a hash are ids by nature
                for w in re.findall(r"[A-Za-z][A-Za-z0-9-]{2,}", n["text"])
            }
            assert latin - LATIN_OK == set()
        tab.screenshot(artefacts / f"{kind}_{lang}_page.png", full=True)
    finally:
        tab.close()
