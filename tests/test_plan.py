"""Plan mode and the target curve, on systems whose cheapest additions are derived by hand."""

import numpy as np
import pytest

from model.analyses import target_curve
from tests.conftest import base, target_twh, write_scenario

BATTERY = {"power_mw": 0, "energy_mwh": 0, "charge_efficiency": 1, "discharge_efficiency": 1,
           "self_discharge_per_h": 0, "throughput_cost_cny_per_mwh": 0, "build_power_max_mw": 500,
           "build_energy_max_mwh": 500, "capital_cost_power_cny_per_kw": 100, "capital_cost_energy_cny_per_kwh": 100,
           "fixed_om_power_cny_per_kw_yr": 0, "fixed_om_energy_cny_per_kwh_yr": 0, "lifetime_years": 10}
# At a 0% discount rate a 10-year asset costs a tenth of its capital a year; over 2 of 8,760 hours:
PER_MW = 100 * 1000 / 10 * 2 / 8760  # CNY per MW (or MWh) of new battery, 2.283


def storage_case(target_mwh):
    """200 MW of wind blow in hour 1 only; the line takes 100 MW; only a battery can carry wind
    into hour 2."""
    data = base(2, wind={"w": {"capacity_mw": 200, "availability": [1, 0]}}, battery={"b": dict(BATTERY)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 0}},
                target={"export_twh": target_twh(target_mwh, 2), "shortfall_penalty_cny_per_mwh": 10000},
                plan={"discount_rate": 0})
    data["mode"] = "plan"
    return data


def test_only_storage_relieves_the_line(solve):
    """A 150 MWh target: the line sends 100 MWh in hour 1; the other 50 MWh must wait in a battery
    of 50 MW and 50 MWh. Cost 100 x 2.283 = 228.3 CNY; one more MWh of target needs 1 MW and 1 MWh
    more: 4.566 CNY/MWh."""
    s = solve(storage_case(150)).summary
    added = {a["dimension"]: a["added"] for a in s["additions"]}
    assert added == pytest.approx({"power": 50, "energy": 50})
    assert s["objective_cny"] == pytest.approx(100 * PER_MW)
    assert s["target_price_cny_per_mwh"] == pytest.approx(2 * PER_MW)
    assert s["cost_cny"]["investment"] == pytest.approx(100 * PER_MW)
    assert s["storage"]["b"]["energy_mwh"] == pytest.approx(50)


def test_build_limits_do_nothing_outside_plan_mode(solve):
    s = solve(storage_case(150), mode="target").summary
    assert s["additions"] == [] and s["shortfall_mwh"] == pytest.approx(50)


def test_new_wind_at_its_annualised_cost(solve):
    """No wind yet; 100 MW may be built at 5,000 CNY/kW, 20 years, 6%, fixed O&M 100 CNY/kW-yr;
    it blows at half capacity. A 100 MWh target over 2 hours needs all 100 MW."""
    data = base(2, wind={"w": {"capacity_mw": 0, "availability": 0.5, "build_max_mw": 100}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 0}},
                target={"export_twh": target_twh(100, 2), "shortfall_penalty_cny_per_mwh": 1e6})
    data["mode"] = "plan"
    s = solve(data).summary
    crf = 0.06 * 1.06 ** 20 / (1.06 ** 20 - 1)
    per_mw = (5000 * 1000 * crf + 100 * 1000) * 2 / 8760
    assert s["additions"][0]["added"] == pytest.approx(100)
    assert s["objective_cny"] == pytest.approx(100 * per_mw)
    assert s["capacity_mw"]["wind"] == pytest.approx(100) and s["generation_mwh"]["wind"] == pytest.approx(100)


def test_target_curve_is_monotone_and_re_solves_one_model(tmp_path):
    path = write_scenario(tmp_path, storage_case(150))
    levels = target_curve.levels(target_twh(40, 2), target_twh(240, 2), target_twh(20, 2))
    table = target_curve.curve(path, levels)
    assert len(table) == 11
    assert np.all(np.diff(table["objective_cny"]) >= -1e-6)
    priced = table["marginal_cost_cny_per_mwh"].dropna()
    assert np.all(np.diff(priced) >= -1e-6)
    # Beyond the ceiling (200 MWh) the target row's dual is the penalty, not a cost: no price.
    assert table.loc[table["shortfall_mwh"] > 1e-6, "marginal_cost_cny_per_mwh"].isna().all()
    assert table["reused_model"].iloc[1:].all()
    by_level = table.set_index(table["target_twh"].round(6))
    assert by_level.loc[round(target_twh(80, 2), 6), "marginal_cost_cny_per_mwh"] == pytest.approx(0)
    assert by_level.loc[round(target_twh(160, 2), 6), "marginal_cost_cny_per_mwh"] == pytest.approx(2 * PER_MW)
    assert by_level.loc[round(target_twh(240, 2), 6), "shortfall_mwh"] == pytest.approx(40)


def _cheap(dims):
    """Capital 100 CNY per kW or kWh, 10 years, no O&M: 2.283 CNY per MW(h) over 2 hours at 0%."""
    out = {"lifetime_years": 10}
    for d in dims:
        per = "kwh" if d in ("energy", "storage") else "kw"
        out[f"capital_cost_{d}_cny_per_{per}"] = 100
        out[f"fixed_om_{d}_cny_per_{per}_yr"] = 0
    return out


def test_pumped_hydro_power_and_reservoir(solve):
    """Cycle efficiency 0.5: 50 MWh sent in hour 2 needs 100 MWh pumped in hour 1, so 100 MW of
    pump-turbine and a 50 MWh reservoir: 150 x 2.283 = 342.5 CNY. One more MWh needs 2 MW more
    and 1 MWh more: 3 x 2.283 = 6.849 CNY/MWh."""
    data = storage_case(150)
    data["wind"]["w"]["capacity_mw"] = 300
    del data["battery"]
    data["pumped_hydro"] = {"p": {"pump_mw": 0, "turbine_mw": 0, "reservoir_mwh": 0, "cycle_efficiency": 0.5,
                                  "vom_cny_per_mwh": 0, "build_power_max_mw": 500, "build_energy_max_mwh": 500,
                                  **_cheap(["power", "energy"])}}
    s = solve(data).summary
    added = {a["dimension"]: a["added"] for a in s["additions"]}
    assert added == pytest.approx({"power": 100, "energy": 50})
    assert s["objective_cny"] == pytest.approx(150 * PER_MW)
    assert s["target_price_cny_per_mwh"] == pytest.approx(3 * PER_MW)


def test_csp_storage_carries_the_sun_into_the_night(solve):
    """A 10 MW CSP plant (efficiency 0.5) with no storage; sun in hour 1, line open in hour 2 only.
    8 MWh at night needs 16 MWh of heat stored: 16 x 2.283 = 36.5 CNY; each further MWh needs
    2 MWh of storage: 4.566 CNY/MWh."""
    data = base(2, csp={"c": {"turbine_mw": 10, "solar_multiple": 2.5, "storage_hours": 0,
                              "power_block_efficiency": 0.5,
                              "storage_loss_per_h": 0, "field": [1, 0], "vom_cny_per_mwh": 0,
                              "build_storage_max_mwh": 100, **_cheap(["storage"])}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 0, "availability": [0, 1]}},
                target={"export_twh": target_twh(8, 2), "shortfall_penalty_cny_per_mwh": 10000},
                plan={"discount_rate": 0})
    data["mode"] = "plan"
    s = solve(data).summary
    assert [(a["dimension"], a["added"]) for a in s["additions"]] == [("storage", pytest.approx(16))]
    assert s["objective_cny"] == pytest.approx(16 * PER_MW)
    assert s["target_price_cny_per_mwh"] == pytest.approx(2 * PER_MW)


def test_additions_in_the_meeting_report(tmp_path):
    import pandas as pd

    from model.analyses.pipeline import run
    from model.outputs import meeting_report

    out = tmp_path / "plan"
    run(write_scenario(tmp_path, storage_case(150)), out=out)
    paths = meeting_report.report(out, "en")
    table = pd.read_excel(paths["xlsx"], sheet_name="Additions")
    built = table[table["Addition"] != "Total"]
    assert sorted(zip(built["Addition"].str.split().str[-1], built["Added"], built["Unit"])) == [
        ("energy", 0.05, "GWh"), ("power", 0.05, "GW")]  # 50 MWh and 50 MW, in the report's units
    assert table["Addition"].iloc[-1] == "Total"


PER_MW_3H = 100 * 1000 / 10 * 3 / 8760  # 100 CNY/kW(h), 10 years, 0%: CNY per MW(h) over 3 hours


def test_condensers_let_a_dc_line_carry_more(solve):
    """A DC line needs 0.5 MW spinning per MW sent and nothing spins. 1,500 MWh in 3 hours is
    cheapest as 500 MW every hour, held up by 250 MW of condensers: 250 x 3.425 = 856.2 CNY.
    One more MWh: 1/3 MW more flow an hour, 1/6 MW more condenser: 0.571 CNY/MWh."""
    data = base(3, wind={"w": {"capacity_mw": 1000, "availability": 1}},
                export_lines={"l": {"capacity_mw": 1000, "sync_support_ratio": 0.5, "price_cny_per_mwh": 0,
                                    "build_condenser_max_mw": 1000, **_cheap(["condenser"])}},
                target={"export_twh": target_twh(1500, 3), "shortfall_penalty_cny_per_mwh": 10000},
                plan={"discount_rate": 0})
    data["mode"] = "plan"
    s = solve(data).summary
    assert [(a["dimension"], a["added"]) for a in s["additions"]] == [("condenser", pytest.approx(250))]
    assert s["objective_cny"] == pytest.approx(250 * PER_MW_3H)
    assert s["target_price_cny_per_mwh"] == pytest.approx(PER_MW_3H / 6)
    assert s["export_mwh"] == pytest.approx(1500)


def test_boilers_and_heat_storage_meet_a_cold_hour(solve):
    """90 MWh of heat in the third hour only, no boilers yet, free electricity. Boilers alone:
    90 MW. Cheaper: 30 MW running all three hours and 60 MWh of store (a tenth the cost per unit):
    30 x 3.425 + 60 x 0.342 = 123.3 CNY."""
    heating = {"annual_heat_mwh": 90 * 2920, "temperature": [18, 18, 8], "boiler_mw": 0, "cop": 1,
               "storage_mwh_th": 0, "storage_loss_per_h": 0, "build_boiler_max_mw": 500,
               "build_storage_max_mwh": 500, **_cheap(["boiler", "storage"])}
    heating["capital_cost_storage_cny_per_kwh"] = 10
    data = base(3, wind={"w": {"capacity_mw": 1000, "availability": 1}}, heating={"h": heating},
                target={"export_twh": 0}, plan={"discount_rate": 0})
    data["mode"] = "plan"
    s = solve(data).summary
    added = {a["dimension"]: a["added"] for a in s["additions"]}
    assert added == pytest.approx({"boiler": 30, "storage": 60})
    assert s["objective_cny"] == pytest.approx(30 * PER_MW_3H + 60 * PER_MW_3H / 10)
    assert s["heating_unserved_mwh_th"] == pytest.approx(0)


def test_least_cost_plan_builds_for_the_target_not_for_revenue(solve):
    """Wind at half capacity, up to 200 MW buildable, and a line paying 1,000 CNY/MWh. The least
    cost of a 100 MWh target (over 2 hours) is 100 MW; counting revenue, all 200 MW pay."""
    data = base(2, wind={"w": {"capacity_mw": 0, "availability": 0.5, "build_max_mw": 200}},
                export_lines={"l": {"capacity_mw": 500, "price_cny_per_mwh": 1000}},
                target={"export_twh": target_twh(100, 2), "shortfall_penalty_cny_per_mwh": 1e6})
    data["mode"] = "plan"
    least = solve(data).summary
    assert least["additions"][0]["added"] == pytest.approx(100)
    assert least["objective_cny"] == pytest.approx(least["cost_cny"]["investment"])
    assert least["export_revenue_cny"]["l"] == pytest.approx(100 * 1000)  # reported, not optimised
    data["plan"] = {"count_export_revenue": True}
    profit = solve(data).summary
    assert profit["additions"][0]["added"] == pytest.approx(200)
    assert profit["objective_cny"] == pytest.approx(profit["cost_cny"]["investment"] - 200 * 1000)


@pytest.mark.filterwarnings("error")
def test_an_unbuilt_store_is_left_out_of_the_storage_chart(tmp_path):
    from model.analyses.pipeline import run
    from model.plotting import run_charts

    out = tmp_path / "plan"
    run(write_scenario(tmp_path, storage_case(100)), out=out)  # the line alone carries 100 MWh
    assert run_charts.storage(run_charts.load_run(out), tmp_path, "en") is None


def test_the_optimal_face_holds_the_least_cost_plans_and_no_dearer_one():
    """solve._on_optimal_face: four spring days of the bundled plan, hourly. On the face every
    point costs the least cost (min and max of the cost over it agree), and for any objective r
    its least over the face is the least over the plans within e of the least cost (a row on
    the cost, as the stages after the optimum used before) as e goes to 0: that least falls
    linearly in e near 0 (an LP's value function), so V(0) = 2 V(e) - V(2e)."""
    import highspy

    from model.inputs import scenario
    from model.optimisation import build as builder
    from model.optimisation import solve
    from tests.conftest import ROOT

    built = builder.build(scenario.load(ROOT / "tests" / "scenarios" / "plan_days.yaml"))
    lp, c = built.lp, built.lp.compiled
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, lp)
    h.run()
    sol = solve.read_solution(h, lp)
    z = sol.objective

    def least(objective, slack=None):
        with solve._restored(h, lp, basis=True), solve._on_optimal_face(h, lp, sol, slack is None):
            if slack is not None:
                solve._keep(h, c.c, z - c.offset, slack)
            solve._set_cost(h, objective, 0.0)
            h.run()
            assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            x = np.asarray(h.getSolution().col_value)
        return float(objective @ x), float(c.c @ x) + c.offset

    for sign in (1, -1):
        assert least(sign * c.c)[1] == pytest.approx(z, rel=1e-12)
    rng = np.random.default_rng(1)
    for _ in range(3):
        r = rng.uniform(-1, 1, c.shape[1])
        on_face, cost = least(r)
        assert cost == pytest.approx(z, rel=1e-12)
        e = least(r, 1e-12)[0]
        assert on_face == pytest.approx(2 * e - least(r, 2e-12)[0], rel=1e-7)
        assert on_face >= e - 1e-9 * abs(e)  # the face is inside the plans within e
