"""The Gansu context model: a three-bus case derived by hand, the export cut, the backcast's
line accounting, and the context scenarios' files."""

import numpy as np
import pandas as pd
import pytest

from model.analyses import backcast
from model.inputs import scenario
from tests.conftest import ROOT, base, coal, flat_demand


def three_buses():
    """Jiuquan J (inside the cut) with wind and the DC line, Hexi H, the main grid G with coal.

    Wind at J 100 MW available 100 and 30 MW; DC line 80 MW paid 300 CNY/MWh; coal at G 200 MW
    at 100 CNY/MWh; demand 50 MW at G. Corridor J-H 60 MW each way, 10 % loss; H-G 100 MW
    forward, 50 MW reverse, no loss. The line pays more than coal delivered to J costs
    (100 / 0.9 = 111), so Jiuquan's wind and provincial coal compete for it:
      h1: wind 100: line 80, the other 20 go east (18 reach G), coal 50 - 18 = 32;
      h2: wind 30: the line needs 50 more; H-G reverse carries at most 50 of coal, 45 arrive at
          J, so the line carries 30 + 45 = 75 and coal 50 + 50 = 100.
    Objective (32 + 100) 100 - (80 + 75) 300 = -33,300 CNY. The cut measure: h1 80 + 20 = 100,
    h2 75 - 0.9 x 50 = 30: 130 MWh, Jiuquan's own wind. New energy on the line: all of h1's
    80 MWh and 30 of h2's 75: 110 / 155 = 0.7097.
    """
    return base(2, buses={"j": {"in_export_cut": True}, "h": {}, "g": {}},
                wind={"w": {"bus": "j", "capacity_mw": 100, "availability": [1.0, 0.3]}},
                coal={"c": {**coal(200, 100), "bus": "g"}},
                demand={"d": {**flat_demand(50), "bus": "g"}},
                export_lines={"dc": {"bus": "j", "capacity_mw": 80, "price_cny_per_mwh": 300}},
                corridors={"jh": {"from_bus": "j", "to_bus": "h", "capacity_mw": 60, "loss": 0.1},
                           "hg": {"from_bus": "h", "to_bus": "g", "capacity_mw": 100,
                                  "capacity_reverse_mw": 50}})


def test_three_buses_jiuquan_competes_with_provincial_coal(solve):
    r = solve(three_buses())
    h, s = r.report.hourly, r.summary
    assert s["objective_cny"] == pytest.approx(-33300, abs=1e-6)
    np.testing.assert_allclose(h["Line-flow[dc]"], [80, 75], atol=1e-6)
    np.testing.assert_allclose(h["Coal-p[c]"], [32, 100], atol=1e-6)
    np.testing.assert_allclose(h["Corridor-forward[jh]"], [20, 0], atol=1e-6)
    np.testing.assert_allclose(h["Corridor-reverse[jh]"], [0, 50], atol=1e-6)
    np.testing.assert_allclose(h["Corridor-reverse[hg]"], [0, 50], atol=1e-6)
    assert s["balance_max_abs_mw"] < 1e-6
    assert s["target_counted_mwh"] == pytest.approx(130, abs=1e-6)
    assert s["target_basis"] == "flow out of j net of flows in"
    assert backcast.line_share(r, "dc", None) == pytest.approx(110 / 155, abs=1e-9)


def test_without_a_cut_every_bus_is_inside(solve):
    """No bus flagged: the corridors are internal and the measure is the line's flow, 155 MWh."""
    data = three_buses()
    data["buses"]["j"] = {}
    assert solve(data).summary["target_counted_mwh"] == pytest.approx(155, abs=1e-6)


def test_a_corridor_before_its_in_service_date_carries_nothing(solve):
    """The H-G corridor from the second hour's day on only: with a 2-hour run on 1 January and
    the date 2 January it never runs, so G's demand is met by coal alone and J's surplus wind in
    h1 is curtailed (H has no load); h2's line gets only J's 30 MW."""
    data = three_buses()
    data["corridors"]["hg"]["in_service"] = "2019-01-02"
    h = solve(data).report.hourly
    np.testing.assert_allclose(h["Corridor-forward[hg]"] + h["Corridor-reverse[hg]"], 0, atol=1e-9)
    np.testing.assert_allclose(h["Line-flow[dc]"], [80, 30], atol=1e-6)
    np.testing.assert_allclose(h["Coal-p[c]"], [50, 50], atol=1e-6)


def test_annual_volume_caps_a_line(solve):
    """A volume of 100 MWh over the two hours: the line takes the wind first (h1 80 MWh), then
    20 MWh in h2 from J's 30 MW of wind; coal serves G alone."""
    data = three_buses()
    data["export_lines"]["dc"]["volume_max_twh"] = 100 / 1e6 * 8760 / 2
    h = solve(data).report.hourly
    assert float(h["Line-flow[dc]"].sum()) == pytest.approx(100, abs=1e-6)


@pytest.mark.parametrize("name", ["gansu_2019", "gansu_2020"])
def test_context_scenarios_load(name):
    sc = scenario.load(ROOT / "scenarios" / f"{name}.yaml")
    assert set(sc.values["buses"]) == {"jiuquan", "hexi", "gansu"}


def test_delivery_shape_and_daily_prices(solve):
    """A 24-hour day, one bus: coal 200 MW at 100 CNY/MWh, a line of 100 MW whose receiving end
    pays 300 in hours 8-21 and 50 otherwise (a daily profile), with a delivery shape 1.0 in
    hours 8-21 and 0.5 otherwise. Without the shape the line would run 100 MW for 14 hours only;
    with it the day's level L gives flow L in the day hours and L / 2 at night, worth
    14 (300 - 100) L + 10 (50 - 100) L / 2 = 2,550 L > 0, so L = 100: 1,900 MWh."""
    day = [1.0 if 8 <= h < 22 else 0.5 for h in range(24)]
    price = [300 if 8 <= h < 22 else 50 for h in range(24)]
    data = base(24, coal={"c": coal(200, 100)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": {"daily": price},
                                    "delivery_shape": {"daily": day}}})
    r = solve(data)
    np.testing.assert_allclose(r.report.hourly["Line-flow[l]"], np.array(day) * 100, atol=1e-6)
    assert r.summary["objective_cny"] == pytest.approx(-2550 * 100, abs=1e-6)
    data["export_lines"]["l"].pop("delivery_shape")
    np.testing.assert_allclose(solve(data).report.hourly["Line-flow[l]"],
                               100.0 * (np.array(day) == 1.0), atol=1e-6)


def test_2020_differs_from_2019_only_in_what_changed_in_2020():
    """The out-of-sample year: the third circuits all year, Changle 1-2, the Qinghai-Henan DC's
    room in the Northwest grid, the 2020 fleet; nothing else."""
    old = scenario.load(ROOT / "scenarios" / "gansu_2019.yaml").values
    new = scenario.load(ROOT / "scenarios" / "gansu_2020.yaml").values
    changed = {(section, unit) for section in set(old) | set(new)
               if isinstance(new.get(section), dict)
               for unit in set(old.get(section, {})) | set(new.get(section, {}))
               if old.get(section, {}).get(unit) != new.get(section, {}).get(unit)}
    assert {(s, u) for s, u in changed if s not in ("name", "title", "description")} == {
        ("wind", "jiuquan_wind"), ("pv", "jiuquan_pv"), ("pv", "hexi_pv"), ("coal", "changle_1"),
        ("coal", "changle_2"), ("export_lines", "northwest_qinghai_henan"),
        ("corridors", "jiuquan_hexi_third"), ("corridors", "hexi_gansu_third")}


@pytest.mark.slow
def test_context_year_accounts_for_its_cut_and_lines():
    """The 2019 context over the full year in dispatch mode, as the backcast runs it: the checks
    pass, the target's measure is the Qishao flow plus the corridors' flow out of Jiuquan less
    what they bring in, and the third circuits carry nothing before 19 December 2019."""
    from model.analyses.pipeline import run

    r = run(ROOT / "scenarios" / "gansu_2019.yaml", mode="dispatch", write=False)
    s, h = r.summary, r.report.hourly
    assert s["checks"]["ok"], s["checks"]["problems"]
    assert s["balance_max_abs_mw"] < 1e-3
    out = sum(h[f"Corridor-forward[{c}]"] - 0.98 * h[f"Corridor-reverse[{c}]"]
              for c in ("jiuquan_hexi", "jiuquan_hexi_third"))
    assert s["target_counted_mwh"] == pytest.approx(float((h["Line-flow[qishao_dc]"] + out).sum()),
                                                    rel=1e-9)
    before = r.built.ctx.hourly_index < pd.Timestamp("2019-12-19", tz="Asia/Shanghai")
    for c in ("jiuquan_hexi_third", "hexi_gansu_third"):
        assert np.abs(h[f"Corridor-forward[{c}]"][before]).max() == 0.0
        assert np.abs(h[f"Corridor-reverse[{c}]"][before]).max() == 0.0
    assert 0.0 < backcast.line_share(r, "qishao_dc", None) < 1.0


def test_backcast_page_of_the_meeting_report(tmp_path):
    from model.outputs import meeting_report

    pd.DataFrame([{"figure": "gansu_2019_wind_curtailment", "published": 0.076, "low": 0.056,
                   "high": 0.096, "model": 0.083, "within": True, "source": "s"},
                  {"figure": "gansu_2019_wind_hours", "published": 1780.0, "low": 1600.0,
                   "high": 1960.0, "model": 2000.0, "within": False, "source": "s"}]
                 ).to_csv(tmp_path / "backcast.csv", index=False)
    out = meeting_report.report(tmp_path, "en")
    assert out["answer"].startswith("1 of 2 published figures within their band")
    html = out["html"].read_text(encoding="utf-8")
    assert "Gansu 2019 wind curtailment" in html and "8.3%" in html and "2,000" in html
    zh = meeting_report.report(tmp_path, "zh")["html"].read_text(encoding="utf-8")
    assert "甘肃2019年弃风率" in zh and "gansu_2019" not in zh  # display names, not ids


def test_backcast_folder_follows_the_output_rules(tmp_path):
    """results/backcast is written as a run folder is: a folder the tool did not write is refused
    before any solve, with nothing changed; the tool's own is stamped and replaced whole (what an
    earlier backcast left there goes). Two days of each year keep it quick."""
    from model.errors import InputError
    from model.outputs.output import MARKER, owned

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("a user's file")
    with pytest.raises(InputError, match="not written by this tool"):
        backcast.run(mine, overrides=[("time.hours", 48)], report_lang=None)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]

    out = tmp_path / "backcast"
    frame = backcast.run(out, overrides=[("time.hours", 48)], report_lang=None)
    assert owned(out) and (out / MARKER).read_text().split()[2] == "backcast:"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "backcast.csv", "gansu_2019", "gansu_2020"]
    assert len(pd.read_csv(out / "backcast.csv")) == len(frame)
    (out / "stale.txt").write_text("from an earlier backcast")
    backcast.run(out, overrides=[("time.hours", 48)], report_lang=None)
    assert not (out / "stale.txt").exists() and owned(out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.slow
def test_default_scenario_is_the_context_year_in_target_mode():
    """`hexi run` with no scenario solves the calibrated 2019 context, full year, target mode: 28
    TWh is out of reach, so no target price is shown, and the ceiling (max-export's stages on the
    same model: all local load served, then the most counted export) stands below the target;
    counted export and shortfall make up the target."""
    from model import project
    from model.analyses.pipeline import run

    assert project.default_scenario().resolve() == ROOT / "scenarios" / "gansu_2019.yaml"
    s = run(project.default_scenario(), write=False).summary
    assert s["mode"] == "target" and s["hours"] == 8760 and s["checks"]["ok"], s["checks"]["problems"]
    assert s["target_basis"] == "flow out of jiuquan net of flows in"
    assert s["target_status"] == "out_of_reach" and s["target_price_cny_per_mwh"] is None
    assert s["target_counted_mwh"] + s["shortfall_mwh"] == pytest.approx(28e6, rel=1e-9)
    assert 0.5 * s["target_mwh"] < s["target_ceiling_mwh"] < s["target_mwh"]


@pytest.mark.slow
def test_context_plan_meets_the_target_within_its_build_limits():
    """scenarios/gansu_2019_plan.yaml, the year at two segments a day (a quick check of the
    accounting; January alone cannot reach its share of the target): 28 TWh counted across
    Jiuquan's cut, met exactly (least cost builds nothing beyond it), each addition within its
    limit."""
    from model.analyses.pipeline import run

    path = ROOT / "scenarios" / "gansu_2019_plan.yaml"
    s = run(path, overrides=[("time.segments_per_day", 2)], write=False).summary
    assert s["mode"] == "plan" and s["status"] == "Optimal" and s["checks"]["ok"], s["checks"]
    assert s["target_basis"] == "flow out of jiuquan net of flows in"
    assert s["target_mwh"] == pytest.approx(28e6, rel=1e-12)
    assert s["shortfall_mwh"] == pytest.approx(0, abs=1e-6)
    assert s["target_counted_mwh"] == pytest.approx(s["target_mwh"], rel=1e-7)
    limits = scenario.load(path).values
    key = {("Wind", "capacity"): ("wind", "build_max_mw"), ("PV", "capacity"): ("pv", "build_max_mw"),
           ("Battery", "power"): ("battery", "build_power_max_mw"),
           ("Battery", "energy"): ("battery", "build_energy_max_mwh"),
           ("PumpedHydro", "power"): ("pumped_hydro", "build_power_max_mw"),
           ("PumpedHydro", "energy"): ("pumped_hydro", "build_energy_max_mwh"),
           ("CSP", "turbine"): ("csp", "build_turbine_max_mw"),
           ("CSP", "field"): ("csp", "build_field_max_mw"),
           ("CSP", "storage"): ("csp", "build_storage_max_mwh"),
           ("Heating", "boiler"): ("heating", "build_boiler_max_mw"),
           ("Heating", "storage"): ("heating", "build_storage_max_mwh"),
           ("Line", "condenser"): ("export_lines", "build_condenser_max_mw")}
    assert len(s["additions"]) == len(key)
    for a in s["additions"]:
        family, name = key[(a["family"], a["dimension"])]
        assert -1e-6 <= a["added"] <= limits[family][a["unit"]][name] + 1e-6, a
    assert sum(a["added"] for a in s["additions"]) > 0
