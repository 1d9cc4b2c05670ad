"""Time aggregation (segments of adjacent hours within each day): cases whose answer is known."""

import numpy as np
import pandas as pd
import pytest
import yaml

from model.analyses.pipeline import run
from model.errors import InputError
from model.inputs import aggregation
from tests.conftest import ROOT, base, coal, flat_demand, write_scenario

DAY = [0] * 8 + [1] * 8 + [0] * 8  # sun from 08:00 to 16:00


def sunny_days(per_day=None):
    """Two days: 50 MW of demand, 100 MW of PV by day, a lossless battery, coal at 200 CNY/MWh.
    By day PV covers the demand and puts 8 x 50 = 400 MWh into the battery; the 16 night hours
    need 800 MWh, 400 from the battery and 400 from coal: 2 x 400 x 200 = 160,000 CNY."""
    data = base(48, pv={"s": {"capacity_mw": 100, "availability": DAY * 2}},
                coal={"k": coal(100, 200)}, demand={"d": flat_demand(50)},
                battery={"b": {"power_mw": 100, "energy_mwh": 1000, "charge_efficiency": 1,
                               "discharge_efficiency": 1, "self_discharge_per_h": 0,
                               "throughput_cost_cny_per_mwh": 0}})
    if per_day:
        data["time"]["segments_per_day"] = per_day
    return data


def test_piecewise_constant_days_aggregate_exactly(solve):
    hourly = solve(sunny_days()).summary
    merged = solve(sunny_days(3))
    s = merged.summary
    assert hourly["objective_cny"] == pytest.approx(160_000)
    assert s["objective_cny"] == pytest.approx(160_000)
    assert s["time_steps"] == 6 and s["hours"] == 48
    assert merged.built.ctx.weights.tolist() == [8.0] * 6  # tsam found the sunrise and sunset
    assert s["generation_mwh"]["coal"] == pytest.approx(800)
    # The tie-break stage may trade 1e-9 of the cost (1.6e-4 CNY here) for less charging: 1e-6 MWh.
    assert s["generation_mwh"]["pv"] == pytest.approx(1600) and s["curtailment_mwh"]["pv"] == pytest.approx(0, abs=1e-5)


def test_hourly_outputs_of_a_merged_run_have_every_hour(tmp_path):
    out = tmp_path / "run"
    run(write_scenario(tmp_path, sunny_days(3)), out=out)
    df = pd.read_parquet(out / "hourly.parquet")
    assert len(df) == 48
    assert df["time_step"].tolist() == list(np.repeat(np.arange(6), 8))
    assert df["PV-p[s]"].sum() == pytest.approx(1600)  # 2 days x 8 h x 100 MW
    monthly = pd.read_csv(out / "monthly.csv")
    assert monthly["hours"].sum() == 48 and monthly["generation_coal_mwh"].sum() == pytest.approx(800)


def test_twenty_four_segments_are_the_hourly_model(solve):
    data = yaml.safe_load((ROOT / "tests" / "scenarios" / "rich_day.yaml").read_text(encoding="utf-8"))
    hourly = solve(data).summary
    data["time"]["segments_per_day"] = 24
    merged = solve(data).summary
    assert merged["time_steps"] == 24
    assert merged["objective_cny"] == pytest.approx(hourly["objective_cny"], rel=1e-9)
    assert merged["export_mwh"] == pytest.approx(hourly["export_mwh"], rel=1e-9)


def test_a_start_up_costs_once_however_long_the_step(solve):
    """Demand 0 for 12 hours, then 100 MW for 12: the coal unit (minimum load 50%) starts once a
    day: 100 MW x 1,000 CNY/MW + 1,200 MWh x 200 CNY/MWh = 340,000 CNY, hourly or in 2 segments."""
    def case(per_day=None):
        data = base(24, coal={"k": coal(100, 200, min_stable_load=0.5, startup_cost_cny_per_mw=1000)},
                    demand={"d": {"annual_mwh": 50 * 8760, "profile": [0] * 12 + [1] * 12}})
        if per_day:
            data["time"]["segments_per_day"] = per_day
        return data
    assert solve(case()).summary["objective_cny"] == pytest.approx(340_000)
    merged = solve(case(2)).summary
    assert merged["objective_cny"] == pytest.approx(340_000)
    assert merged["cost_cny"]["startup"] == pytest.approx(100_000)


def test_ramps_over_merged_steps_are_a_relaxation(solve):
    """A line ramping at most 10 MW/h between steps of 12 hours may change its mean flow by
    10 x (12 + 12) / 2 = 120 MW: the flow follows the wind's 0 -> 100 MW step in full."""
    data = base(24, wind={"w": {"capacity_mw": 100, "availability": [0] * 12 + [1] * 12}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100, "ramp_mw_per_h": 10}})
    hourly = solve(data).summary
    data["time"]["segments_per_day"] = 2
    merged = solve(data).summary
    assert merged["export_mwh"] == pytest.approx(1200)
    assert hourly["export_mwh"] < merged["export_mwh"]  # hourly ramps lose the ramp-up hours


def test_segments_stay_within_days_and_cover_every_hour():
    rng = np.random.default_rng(1)
    features = pd.DataFrame({"a": rng.random(24 * 5), "b": rng.random(24 * 5), "flat": 1.0})
    steps = aggregation.segment_days(features, 5)
    assert len(steps) == 120 and steps[0] == 0 and np.all(np.diff(steps) >= 0)
    assert steps[-1] + 1 == 25  # 5 steps a day
    day = np.arange(120) // 24
    assert all(len(set(day[steps == s])) == 1 for s in range(25))


def test_segments_need_whole_days(tmp_path):
    data = sunny_days(3)
    data["time"]["hours"] = 30
    data["pv"]["s"]["availability"] = 0.5
    with pytest.raises(InputError) as err:
        run(write_scenario(tmp_path, data), write=False)
    assert "time.segments_per_day" in str(err.value) and "whole days" in str(err.value)


def test_re_solving_a_merged_model_matches_a_fresh_build(tmp_path):
    """A new capacity keeps the segments, so the built model is re-solved in place; new profiles
    segment differently, so the point is built afresh. Both agree with a fresh build."""
    from model.inputs import scenario
    from model.optimisation.resolve import Resolver

    data = yaml.safe_load((ROOT / "tests" / "scenarios" / "rich_day.yaml").read_text(encoding="utf-8"))
    data["time"]["segments_per_day"] = 6
    path = write_scenario(tmp_path, data)
    resolver = Resolver()
    resolver.solve(scenario.load(path))
    for override, reused in ((("wind.w.capacity_mw", 600), True),
                             (("wind.w.availability", [0.5] * 12 + [0.9] * 12), False)):
        point = resolver.solve(scenario.load(path, [override]))
        fresh = run(path, overrides=[override], write=False).summary
        assert point.reused is reused
        assert point.solution.objective == pytest.approx(fresh["objective_cny"], rel=1e-7)
