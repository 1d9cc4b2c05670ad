"""The output contract: files, keys, re-runnable inputs, atomic replacement, self-checks that bite."""

import json

import numpy as np
import pandas as pd
import pytest

from model.analyses.pipeline import run
from model.errors import ResourceError
from model.optimisation import checks
from model.outputs import results
from tests.conftest import ROOT, base, coal, flat_demand, write_scenario

REQUIRED_KEYS = {
    "scenario", "mode", "status", "objective_cny", "hours", "export_mwh", "export_by_line_mwh", "target_mwh",
    "shortfall_mwh", "target_price_cny_per_mwh", "curtailment_mwh", "curtailment_rate", "generation_mwh",
    "unserved_mwh", "balance_max_abs_mw", "build_s", "solve_s",
}

CASE = base(3, wind={"w": {"capacity_mw": 100, "availability": [0.2, 1.0, 0.5]}},
            coal={"c": coal(100, 150)}, demand={"d": flat_demand(50)},
            export_lines={"l": {"capacity_mw": 80, "price_cny_per_mwh": 200}})


@pytest.fixture
def written(tmp_path):
    out = tmp_path / "out"
    result = run(write_scenario(tmp_path, CASE), out=out)
    return result, out


def test_files_and_summary_keys(written):
    result, out = written
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert REQUIRED_KEYS <= set(summary)
    assert summary["status"] == "Optimal" and summary["hours"] == 3
    hourly = pd.read_parquet(out / "hourly.parquet")
    assert len(hourly) == 3
    assert str(hourly["timestamp"].dt.tz) == "Asia/Shanghai"
    assert hourly["timestamp"].iloc[0] == pd.Timestamp("2019-01-01 00:00", tz="Asia/Shanghai")
    np.testing.assert_allclose(hourly["Line-flow[l]"], [70, 80, 80], atol=1e-6)
    columns = pd.read_csv(out / "hourly_columns.csv")
    assert set(columns["column"]) == set(hourly.columns) - {"timestamp"}
    monthly = pd.read_csv(out / "monthly.csv")
    assert monthly["export_total_mwh"].sum() == pytest.approx(summary["export_mwh"])
    assert monthly["generation_wind_mwh"].sum() == pytest.approx(summary["generation_mwh"]["wind"])


def test_inputs_folder_reruns_to_the_same_answer(written, tmp_path):
    result, out = written
    profiles = pd.read_parquet(out / "inputs" / "profiles.parquet")
    np.testing.assert_allclose(profiles["wind.w.availability"], [0.2, 1.0, 0.5])
    again = run(out / "inputs" / "scenario.yaml", write=False)
    assert again.summary["objective_cny"] == pytest.approx(result.summary["objective_cny"])


def test_a_second_run_replaces_the_folder_whole(written, tmp_path):
    result, out = written
    (out / "stale.txt").write_text("from an older run")
    run(write_scenario(tmp_path, CASE), out=out)
    assert not (out / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args):
        raise OSError("disk full")
    monkeypatch.setattr(results, "write_run", broken)
    out = tmp_path / "out"
    with pytest.raises(ResourceError, match="disk full"):
        run(write_scenario(tmp_path, CASE), out=out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_checks_catch_a_wrong_solution(written):
    """The self-check is independent of the solver: a perturbed solution must fail it."""
    result, _ = written
    built = result.built
    from model.optimisation.solve import solve
    sol, _ = solve(built.lp, built.ctx)
    assert checks.run_checks(built.lp, sol, results.collect(built, sol))["ok"]
    col = built.lp.vars["VRE-p"].cols[0, 1]  # wind and PV pooled at the bus (curtailment_rule pro_rata)
    sol.x[col] += 5.0
    bad = checks.run_checks(built.lp, sol, results.collect(built, sol))
    assert not bad["ok"]
    assert bad["balance_max_abs_mw"] == pytest.approx(5.0)
    assert any("energy balance" in p for p in bad["problems"])
    sol.x[col] += 1000.0  # now also above its availability bound
    problems = checks.run_checks(built.lp, sol, results.collect(built, sol))["problems"]
    assert any("outside its bounds" in p for p in problems)


def test_set_override_and_wildcard(tmp_path):
    path = write_scenario(tmp_path, CASE)
    r = run(path, write=False, overrides=[("export_lines.*.capacity_mw", 60)])
    assert r.summary["export_mwh"] == pytest.approx(180)


def test_week_of_a_year_long_profile(tmp_path):
    """A week taken from the year-long profiles by timestamp, its demand pro rata."""
    r = run(ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml", write=False)
    s = r.summary
    annual = r.built.ctx.values["demand"]["jiuquan_base"]["annual_mwh"]
    assert s["hours"] == 168 and s["period"][0].startswith("2019-01-07T00:00:00+08:00")
    assert s["checks"]["ok"]
    assert s["target_mwh"] == pytest.approx(28e6 * 168 / 8760)
    profile = pd.read_parquet(ROOT / "data" / "weather" / "jiuquan_w01.parquet")
    week = profile["load"].iloc[6 * 24: 13 * 24]
    assert s["local_demand_by_type_mwh"]["local"] == pytest.approx(annual / 8760 * week.sum() / profile["load"].mean())
