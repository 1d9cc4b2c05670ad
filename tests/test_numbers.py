"""Issue 12, numbers that mean what they say: the curtailment rule, the target price when the
target is out of reach (tests/test_small.py), a ceiling that sheds no load, runs that re-run
from their inputs/, storage machines shared by pumping and generating, and ties in plan mode.
Every expected figure is derived by hand in the test's docstring."""

import numpy as np
import pytest

from model.analyses.pipeline import finish, run
from model.inputs import scenario
from model.optimisation.resolve import Resolver
from tests.conftest import ROOT, base, coal, flat_demand, target_twh


def hourly(result, col):
    return np.asarray(result.report.hourly[col])


def used_share(result, family, unit):
    p = hourly(result, f"{family}-p[{unit}]")
    c = hourly(result, f"{family}-curtailment[{unit}]")
    return np.divide(p, p + c, out=np.ones_like(p), where=(p + c) > 1e-9)


def three_farms(order=("w1", "w2"), **extra):
    farms = {"w1": {"capacity_mw": 100, "availability": [0.8, 0.4]},
             "w2": {"capacity_mw": 50, "availability": [0.4, 0.2]}}
    return base(2, wind={k: farms[k] for k in order}, pv={"p": {"capacity_mw": 100, "availability": [0.0, 0.6]}},
                demand={"d": flat_demand(20)}, export_lines={"l": {"capacity_mw": 60, "price_cny_per_mwh": 100}},
                **extra)


# ------------------------------------------------------------------ 1. the curtailment rule
def test_pro_rata_two_wind_farms_and_a_pv_plant(solve):
    """Available: w1 80, 40; w2 20, 10; PV 0, 60 MW. Demand 20 + line 60 = 80 MW can be used.
    h1: 100 available, 20 curtailed: fraction 0.2 for every unit: w1 64, w2 16, PV 0.
    h2: 110 available, 30 curtailed: fraction 3/11: w1 40 * 8/11 = 29.09, w2 10 * 8/11 = 7.27,
    PV 60 * 8/11 = 43.64. Wind curtailed 20 + 30 * 50/110 = 33.64 of 150 MWh: 弃风率 22.42%;
    PV 30 * 60/110 = 16.36 of 60 MWh: 弃光率 27.27%. The order of the farms in the file does not
    matter."""
    for order in (("w1", "w2"), ("w2", "w1")):
        r = solve(three_farms(order))
        s = r.summary
        assert s["curtailment_rule"] == "pro_rata"
        np.testing.assert_allclose(hourly(r, "Wind-p[w1]"), [64, 320 / 11], atol=1e-6)
        np.testing.assert_allclose(hourly(r, "Wind-p[w2]"), [16, 80 / 11], atol=1e-6)
        np.testing.assert_allclose(hourly(r, "PV-p[p]"), [0, 480 / 11], atol=1e-6)
        assert s["curtailment_rate"]["wind"] == pytest.approx((20 + 30 * 50 / 110) / 150)
        assert s["curtailment_rate"]["pv"] == pytest.approx((30 * 60 / 110) / 60)
        np.testing.assert_allclose(hourly(r, "VRE-curtailed_fraction[jiuquan]"), [0.2, 3 / 11], atol=1e-9)
        assert s["checks"]["ok"]


def test_free_rule_leaves_the_split_open_but_not_the_total(solve):
    """curtailment_rule free: the same 50 MWh are curtailed (20 + 30), split as the solver
    likes among the three units."""
    data = three_farms(system={"curtailment_rule": "free"})
    s = solve(data).summary
    assert sum(s["curtailment_mwh"].values()) == pytest.approx(50)
    assert "VRE-curtailed_fraction[jiuquan]" not in solve(data).report.hourly


def test_pro_rata_holds_in_plan_mode(solve):
    """PV 100 MW exists (available 1, 0); wind may be built (available 1, 1); the line takes 100
    MW; target 150 MWh. h1: the line is full with PV alone, so wind exports only in h2: N = 50 MW.
    h1: 150 MW available, 100 used: every unit keeps 2/3: PV 66.67, wind 33.33. h2: wind 50.
    弃风率 16.67 / 100 = 16.67%, 弃光率 33.33 / 100 = 33.33%: the capacity is a variable, the rule
    still holds (the pool's bound is a row in the new capacity)."""
    data = base(2, pv={"p": {"capacity_mw": 100, "availability": [1, 0]}},
                wind={"w": {"capacity_mw": 0, "availability": [1, 1], "build_max_mw": 100}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 0}},
                target={"export_twh": target_twh(150, 2), "shortfall_penalty_cny_per_mwh": 1e6})
    data["mode"] = "plan"
    r = solve(data)
    s = r.summary
    assert s["additions"][0]["added"] == pytest.approx(50)
    np.testing.assert_allclose(hourly(r, "PV-p[p]"), [200 / 3, 0], atol=1e-6)
    np.testing.assert_allclose(hourly(r, "Wind-p[w]"), [100 / 3, 50], atol=1e-6)
    assert s["curtailment_rate"]["wind"] == pytest.approx(1 / 6)
    assert s["curtailment_rate"]["pv"] == pytest.approx(1 / 3)
    assert s["checks"]["ok"]


def test_pro_rata_holds_with_merged_hours(solve):
    """A day of two wind farms and a PV plant in 3 segments: in every time step both farms and
    the plant keep the same share of what they could produce."""
    t = np.arange(24)
    sun = np.clip(np.sin((t - 6) / 12 * np.pi), 0, 1).round(3).tolist()
    wind = (0.5 + 0.4 * np.cos(t / 24 * 2 * np.pi)).round(3).tolist()
    data = base(24, wind={"w1": {"capacity_mw": 100, "availability": wind},
                          "w2": {"capacity_mw": 40, "availability": wind[::-1]}},
                pv={"p": {"capacity_mw": 120, "availability": sun}}, demand={"d": flat_demand(20)},
                export_lines={"l": {"capacity_mw": 60, "price_cny_per_mwh": 100}})
    data["time"]["segments_per_day"] = 3
    r = solve(data)
    assert r.summary["time_steps"] == 3 and sum(r.summary["curtailment_mwh"].values()) > 100
    shares = [used_share(r, "Wind", "w1"), used_share(r, "Wind", "w2"), used_share(r, "PV", "p")]
    for f, a in zip(shares[1:], ("Wind-p[w2]", "PV-p[p]")):
        live = (hourly(r, a) + hourly(r, a.replace("-p[", "-curtailment["))) > 1e-9
        np.testing.assert_allclose(f[live], shares[0][live], atol=1e-9)


def test_pro_rata_over_a_declared_group_of_buses(solve):
    """Wind 100 MW at bus a, PV 100 MW at bus b, a 100 MW corridor b -> a, a 60 MW line at a;
    one hour, all available. 200 MW could be produced, 60 used. With a and b in one curtailment
    group both keep 30%: wind 30, PV 30 (the corridor carries 30). Without the group each bus is
    its own pool and the split between them would be open."""
    data = base(1, buses={"a": {"curtailment_group": "hexi"}, "b": {"curtailment_group": "hexi"}},
                wind={"w": {"bus": "a", "capacity_mw": 100, "availability": 1}},
                pv={"p": {"bus": "b", "capacity_mw": 100, "availability": 1}},
                corridors={"ab": {"from_bus": "b", "to_bus": "a", "capacity_mw": 100}},
                export_lines={"l": {"bus": "a", "capacity_mw": 60, "price_cny_per_mwh": 100}})
    r = solve(data)
    assert hourly(r, "Wind-p[w]")[0] == pytest.approx(30)
    assert hourly(r, "PV-p[p]")[0] == pytest.approx(30)
    assert r.summary["curtailment_rate"]["wind"] == pytest.approx(0.7)
    assert r.summary["curtailment_rate"]["pv"] == pytest.approx(0.7)


# ------------------------------------------------------------------ 3. the ceiling sheds nothing
def heat_case(**extra):
    """One hour: wind 100 MW, a 100 MW line at 100 CNY/MWh, and clean heating of 20 MWth
    (annual 175,200 MWh_th at a constant 0 degC: 18 degree hours every hour, so each hour gets
    a 8,760th) from a 50 MW boiler with COP 1 and no store."""
    return base(1, wind={"w": {"capacity_mw": 100, "availability": 1}},
                heating={"h": {"annual_heat_mwh": 20 * 8760, "temperature": 0.0, "boiler_mw": 50, "cop": 1.0,
                               "storage_mwh_th": 0}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100}}, **extra)


def test_max_export_never_sheds_heat_for_export(solve):
    """Shedding the 20 MWth of heat would free 20 MW for the line (100 instead of 80), and stage
    one used to take it. The ceiling serves all local load first: heat 20, export 80."""
    s = solve(heat_case(), mode="max-export").summary
    assert s["heating_unserved_mwh_th"] == pytest.approx(0, abs=1e-6)
    assert s["export_mwh"] == pytest.approx(80)
    assert s["target_ceiling_mwh"] == pytest.approx(80)


def test_ceiling_is_what_max_export_gives_when_the_target_run_sheds_heat(solve):
    """Target 150 MWh at a 2,000 CNY/MWh penalty, heat valued at only 1,000 CNY/MWh lost: the
    target run sheds the 20 MWth of heat and counts 100 MWh, but the ceiling serves all local
    load first: 80 MWh, as max-export gives (a ceiling taken from the target run's own export,
    or one that skipped max-export's stage 0, would say 100)."""
    data = heat_case(system={"voll_cny_per_mwh": 1000}, target={"export_twh": target_twh(150, 1)})
    s = solve(data, mode="target").summary
    assert s["heating_unserved_mwh_th"] == pytest.approx(20)
    assert s["target_counted_mwh"] == pytest.approx(100)
    assert s["target_ceiling_mwh"] == pytest.approx(80)
    assert solve(data, mode="max-export").summary["target_ceiling_mwh"] == pytest.approx(80)


def test_ceiling_is_what_max_export_gives_when_export_costs_more_than_the_penalty(solve):
    """Wind 40 MW and a 50 MW coal unit at 3,000 CNY/MWh behind a 100 MW line, target 150 MWh at
    a 2,000 CNY/MWh penalty: the target run leaves coal off (each MWh would cost more than the
    penalty it saves) and counts 40 MWh; the ceiling runs coal too: 90 MWh, as max-export gives."""
    data = base(1, mode="target", wind={"w": {"capacity_mw": 40, "availability": 1}},
                coal={"c": coal(50, 3000)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100}},
                target={"export_twh": target_twh(150, 1)})
    s = solve(data).summary
    assert s["target_counted_mwh"] == pytest.approx(40)
    assert s["target_ceiling_mwh"] == pytest.approx(90)
    assert solve(data, mode="max-export").summary["target_ceiling_mwh"] == pytest.approx(90)


def test_max_export_stages_most_export_then_least_cost(solve):
    """One hour: wind 60 MW, coal c1 50 MW at 300 CNY/MWh and c2 50 MW at 500, demand 20 MW, a
    100 MW line at 100 CNY/MWh. Dispatch exports the wind alone (40 MWh: coal costs more than
    the line pays). Max-export fills the line: 100 MWh, from 80 MW beyond the wind's 60 less
    demand, the cheaper coal first: c1 50, c2 10; cost 50 x 300 + 10 x 500 - 100 x 100 = 10,000
    CNY (each stage within 1e-9 of the one before)."""
    data = base(1, wind={"w": {"capacity_mw": 60, "availability": 1}},
                coal={"c1": coal(50, 300), "c2": coal(50, 500)}, demand={"d": flat_demand(20)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100}})
    assert solve(data).summary["export_mwh"] == pytest.approx(40)
    r = solve(data, mode="max-export")
    s = r.summary
    assert s["export_mwh"] == pytest.approx(100) and s["target_ceiling_mwh"] == pytest.approx(100)
    assert hourly(r, "Coal-p[c1]")[0] == pytest.approx(50)
    assert hourly(r, "Coal-p[c2]")[0] == pytest.approx(10)
    assert s["objective_cny"] == pytest.approx(10000)
    assert s["checks"]["ok"]


def test_max_export_ceiling_equals_the_target_runs_ceiling(solve):
    """The same three stages reach the same ceiling whichever basis they start from: max-export
    mode runs its most-export stage afresh (model/optimisation/solve.py, _max_export_stages),
    a short target's ceiling runs it from the least-cost basis. The Jiuquan-only winter week
    with a 100 TWh target (out of reach)."""
    path = ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml"
    short = [("target.export_twh", 100)]
    target = run(path, mode="target", write=False, overrides=short).summary
    ceiling = run(path, mode="max-export", write=False, overrides=short).summary
    assert target["target_status"] == "out_of_reach"
    assert ceiling["target_ceiling_mwh"] == pytest.approx(target["target_ceiling_mwh"], rel=1e-8)
    assert ceiling["target_ceiling_mwh"] > target["target_counted_mwh"]
    assert target["checks"]["ok"] and ceiling["checks"]["ok"]


# ------------------------------------------------------------------ 5. storage machines
def phs_case():
    """One hour (the year wraps, so what is pumped is generated in the same hour: x = 0.75 c).
    Wind 200 MW; a DC line of 200 MW at 100 CNY/MWh needing 1 MW of synchronous capacity per MW
    of flow; the only synchronous machine is a 50 MW pumped-hydro plant (pump 50, turbine 50)."""
    return base(1, wind={"w": {"capacity_mw": 200, "availability": 1}},
                pumped_hydro={"ph": {"pump_mw": 50, "turbine_mw": 50, "reservoir_mwh": 100, "cycle_efficiency": 0.75}},
                export_lines={"dc": {"capacity_mw": 200, "price_cny_per_mwh": 100, "sync_support_ratio": 1.0}})


def test_pumped_hydro_cannot_pump_and_generate_beyond_its_machines(solve):
    """Before, pumping 50 and generating 37.5 at once counted 87.5 MW of support. The machines
    row c / 50 + x / 50 <= 1 with x = 0.75 c gives 1.75 c = 50: c = 28.57, x = 21.43, and what
    spins, c + x = 50 MW, carries 50 MW of DC flow: export 50 MWh."""
    r = solve(phs_case())
    c, x = hourly(r, "PumpedHydro-charge[ph]")[0], hourly(r, "PumpedHydro-discharge[ph]")[0]
    assert c == pytest.approx(50 / 1.75) and x == pytest.approx(0.75 * 50 / 1.75)
    assert c / 50 + x / 50 <= 1 + 1e-9
    assert r.summary["export_mwh"] == pytest.approx(50)


def test_pumped_hydro_with_a_smaller_pump_counts_what_spins_once(solve):
    """Pump 25, turbine 50: rho = 2, machines 2 c + x <= 50, support 2 c + x (turbine MW
    spinning). x = 0.75 c: 2.75 c = 50, c = 18.18, x = 13.64, support 50: export 50 MWh."""
    data = phs_case()
    data["pumped_hydro"]["ph"]["pump_mw"] = 25
    r = solve(data)
    c = hourly(r, "PumpedHydro-charge[ph]")[0]
    assert c == pytest.approx(50 / 2.75)
    assert r.summary["export_mwh"] == pytest.approx(50)


def test_a_battery_does_not_charge_and_discharge_at_once(solve):
    """A 50 MW battery: charge + discharge <= 50 in every hour. Two hours, wind 100 then 0, a
    line of 100 MW at 100 in h1 and 200 in h2 (efficiencies 1, no wear): store 50 in h1 and sell
    it in h2; never both in one hour."""
    data = base(2, wind={"w": {"capacity_mw": 150, "availability": [1, 0]}},
                battery={"b": {"power_mw": 50, "energy_mwh": 100, "charge_efficiency": 1, "discharge_efficiency": 1,
                               "self_discharge_per_h": 0, "throughput_cost_cny_per_mwh": 0}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": [100, 200]}})
    r = solve(data)
    c, x = hourly(r, "Battery-charge[b]"), hourly(r, "Battery-discharge[b]")
    assert np.all(c + x <= 50 + 1e-6)
    np.testing.assert_allclose(c, [50, 0], atol=1e-6)
    np.testing.assert_allclose(x, [0, 50], atol=1e-6)


# ------------------------------------------------------------------ 6. ties in plan mode
def tie_case(second_capital=5000.0):
    """No wind yet; farms a and b may each be built up to 100 MW, both blowing at half capacity.
    A 100 MWh target over 2 hours needs 100 MW in all. At equal cost any split of the 100 MW
    between a and b is a least-cost plan: a tie. With b dearer only a is built."""
    wind = {u: {"capacity_mw": 0, "availability": 0.5, "build_max_mw": 100} for u in ("a", "b")}
    wind["b"]["capital_cost_cny_per_kw"] = second_capital
    data = base(2, wind=wind, export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 0}},
                target={"export_twh": target_twh(100, 2), "shortfall_penalty_cny_per_mwh": 1e6})
    data["mode"] = "plan"
    return data


@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_ties_in_plan_mode_are_reported_as_ties(solve, method):
    data = tie_case()
    data["solver"] = {"method": method}
    s = solve(data).summary
    assert sum(a["added"] for a in s["additions"]) == pytest.approx(100)
    ties = s["plan_ties"]
    assert ties["tied"], ties
    assert "tie" in ties["note"]


def test_no_tie_when_one_option_is_dearer(solve):
    s = solve(tie_case(second_capital=6000.0)).summary
    added = {a["unit"]: a["added"] for a in s["additions"]}
    assert added["a"] == pytest.approx(100) and added["b"] == pytest.approx(0, abs=1e-6)
    assert not s["plan_ties"]["tied"]


# ------------------------------------------------------------------ 4. inputs/ re-run the run
def _rerun(folder):
    return run(folder / "inputs" / "scenario.yaml", write=False).summary


def test_inputs_rerun_a_week_to_the_same_objective(tmp_path):
    """The winter week: demand, direct purchase and heating are scaled by figures of the whole
    year (the shape's mean, the heating degree hours); inputs/scenario.yaml carries the scaled
    annual figures, so the re-run from inputs/ draws the same MW and costs the same."""
    out = tmp_path / "week"
    first = run(ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml", out=out).summary
    again = _rerun(out)
    assert again["objective_cny"] == pytest.approx(first["objective_cny"], rel=1e-9)
    assert again["heating_heat_mwh_th"] == pytest.approx(first["heating_heat_mwh_th"], rel=1e-9)
    assert again["local_demand_mwh"] == pytest.approx(first["local_demand_mwh"], rel=1e-9)


@pytest.mark.slow
def test_inputs_rerun_a_merged_year_to_the_same_objective(tmp_path):
    out = tmp_path / "merged"
    first = run(ROOT / "scenarios" / "jiuquan_2019.yaml", out=out, overrides=[("time.segments_per_day", 4)]).summary
    again = _rerun(out)
    assert again["time_steps"] == first["time_steps"]
    assert again["objective_cny"] == pytest.approx(first["objective_cny"], rel=1e-9)


def test_inputs_rerun_a_sweep_point_to_the_same_objective(tmp_path):
    """A sweep point solved in place in a built model (its numbers changed, not rebuilt), written
    as a sweep worker writes it, re-runs from its inputs/ to the same objective."""
    path = ROOT / "scenarios" / "jiuquan_2019_winter_week.yaml"
    resolver = Resolver()
    resolver.solve(scenario.load(path))
    point = resolver.solve(scenario.load(path, [("wind.*.capacity_mw", 12000), ("weather_year", 3)]))
    assert point.reused
    out = tmp_path / "point"
    first = finish(point.built, point.solution, point.timings, out).summary
    again = _rerun(out)
    assert again["objective_cny"] == pytest.approx(first["objective_cny"], rel=1e-9)
