"""Small systems whose optimum is derived by hand in each test's docstring."""

import numpy as np
import pytest

from tests.conftest import base, coal, flat_demand, target_twh


def hourly(result, column):
    return result.report.hourly[column]


def test_three_hours_wind_coal_line_limit(solve):
    """Demand 50 MW; wind 100 MW available 20/100/50 MW; coal 100 MW at 150 CNY/MWh; line 80 MW
    paid 200 CNY/MWh. Export pays more than coal costs, so the line runs full where it can:
    h1: wind 20 + coal 100 = 120 -> export 70 (coal at its cap); h2: wind 100 + coal 30 -> 80;
    h3: wind 50 + coal 80 -> 80. Objective 210 * 150 - 230 * 200 = -14,500 CNY."""
    data = base(3, wind={"w": {"capacity_mw": 100, "availability": [0.2, 1.0, 0.5]}},
                coal={"c": coal(100, 150)}, demand={"d": flat_demand(50)},
                export_lines={"l": {"capacity_mw": 80, "price_cny_per_mwh": 200}})
    r = solve(data)
    s = r.summary
    assert s["objective_cny"] == pytest.approx(-14500, abs=1e-6)
    np.testing.assert_allclose(hourly(r, "Coal-p[c]"), [100, 30, 80], atol=1e-6)
    np.testing.assert_allclose(hourly(r, "Line-flow[l]"), [70, 80, 80], atol=1e-6)
    np.testing.assert_allclose(hourly(r, "Wind-p[w]"), [20, 100, 50], atol=1e-6)
    assert s["export_mwh"] == pytest.approx(230)
    assert s["line_hours_at_limit"] == {"l": 2}
    assert s["balance_max_abs_mw"] < 1e-6


def test_commitment_keeps_coal_on_through_windy_hours(solve):
    """Export pays 100 < coal's 150 CNY/MWh, so coal only covers demand: 30 MW in h1. Restarting
    after a stop costs 1,000 CNY/MW, far more than keeping 30 MW committed, which forces
    p >= 0.5 * 30 = 15 MW in h2 and h3 (the year wraps, so h3 -> h1 would be a restart too).
    Wind is all used: export 65 in h2 and 15 in h3. Objective 60 * 150 - 80 * 100 = 1,000."""
    data = base(3, wind={"w": {"capacity_mw": 100, "availability": [0.2, 1.0, 0.5]}},
                coal={"c": coal(100, 150, min_stable_load=0.5, startup_cost_cny_per_mw=1000)},
                demand={"d": flat_demand(50)},
                export_lines={"l": {"capacity_mw": 80, "price_cny_per_mwh": 100}})
    r = solve(data)
    assert r.summary["objective_cny"] == pytest.approx(1000, abs=1e-6)
    np.testing.assert_allclose(hourly(r, "Coal-p[c]"), [30, 15, 15], atol=1e-6)
    np.testing.assert_allclose(hourly(r, "Coal-u[c]"), [30, 30, 30], atol=1e-6)
    np.testing.assert_allclose(hourly(r, "Line-flow[l]"), [0, 65, 15], atol=1e-6)


def _target_case(penalty):
    """Wind 50 MW in h1 only, coal 100 MW at 150, line 100 MW paid 100, no demand, 2 hours."""
    return base(2, wind={"w": {"capacity_mw": 50, "availability": [1, 0]}}, coal={"c": coal(100, 150)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100}},
                target={"export_twh": target_twh(120, 2), "shortfall_penalty_cny_per_mwh": penalty})


def test_target_price_is_the_marginal_cost_of_export(solve):
    """Without a target only the 50 MWh of wind is exported. A target of 120 MWh needs 70 MWh of
    coal that costs 150 and earns 100: the target price is 50 CNY/MWh.
    Objective 70 * 150 - 120 * 100 = -1,500."""
    r = solve(_target_case(penalty=2000), mode="target")
    s = r.summary
    assert s["target_mwh"] == pytest.approx(120)
    assert s["export_mwh"] == pytest.approx(120)
    assert s["shortfall_mwh"] == pytest.approx(0, abs=1e-6)
    assert s["target_price_cny_per_mwh"] == pytest.approx(50)
    assert s["objective_cny"] == pytest.approx(-1500)
    assert s["target_reached"]


def test_target_shortfall_when_the_penalty_is_cheaper(solve):
    """With a penalty of 40 < 50 CNY/MWh it is cheaper to fall short: shortfall 70 MWh.
    Objective -50 * 100 + 70 * 40 = -2,200. The row's dual is the penalty, 40: not a price. The
    target is within reach (ceiling h1 50 wind + 50 coal, h2 100 coal = 200 MWh >= 120), so the
    status is "short", not "out of reach"."""
    s = solve(_target_case(penalty=40), mode="target").summary
    assert s["shortfall_mwh"] == pytest.approx(70)
    assert s["target_price_cny_per_mwh"] is None
    assert s["target_row_dual_cny_per_mwh"] == pytest.approx(40)
    assert s["target_status"] == "short"
    assert s["target_ceiling_mwh"] == pytest.approx(200)
    assert s["objective_cny"] == pytest.approx(-2200)
    assert not s["target_reached"]


def test_target_out_of_reach_has_no_price_and_states_the_ceiling(solve):
    """Target 300 MWh on the same system: the ceiling is 200 MWh (h1 wind 50 + coal 50, h2 coal
    100, the line's 100 MW), so it is out of reach by 100 MWh. The target row's dual is the
    penalty 2,000, which is not shown as a price. The bus duals: h1, coal at 50 of its 100 MW is
    marginal: 150, no target term. h2: coal is at its limit and the line's 100 MW carries it, so
    one more MWh of demand is taken from export, worth 100 + the penalty 2,000 = 2,100: the bus
    price without the target's term is 100, the term 2,000 is kept apart (Bus-target_term)."""
    data = _target_case(penalty=2000)
    data["target"]["export_twh"] = target_twh(300, 2)
    r = solve(data, mode="target")
    s = r.summary
    assert s["shortfall_mwh"] == pytest.approx(100)
    assert s["target_status"] == "out_of_reach"
    assert s["target_price_cny_per_mwh"] is None
    assert s["target_ceiling_mwh"] == pytest.approx(200)
    assert "out of reach" in s["target_price_reason"] and "100.0 MWh below the target" in s["target_price_reason"]
    np.testing.assert_allclose(hourly(r, "Bus-price[jiuquan]"), [150, 100], atol=1e-6)
    np.testing.assert_allclose(hourly(r, "Bus-target_term[jiuquan]"), [0, 2000], atol=1e-6)
    assert s["mean_price_cny_per_mwh"]["jiuquan"] == pytest.approx(125)


def test_target_at_the_edge_is_flagged(solve):
    """Target exactly 200 MWh, the ceiling: met with no shortfall, but one more MWh would be
    short. With a penalty of 2,000 the dual sits at the penalty (or at any value up to it): at
    the penalty it is flagged "at_edge" with no price; below it the price is the marginal cost
    of the target, 150 - 100 = 50 (coal exported)."""
    data = _target_case(penalty=2000)
    data["target"]["export_twh"] = target_twh(200, 2)
    s = solve(data, mode="target").summary
    assert s["shortfall_mwh"] == pytest.approx(0, abs=1e-6)
    assert s["target_status"] in ("at_edge", "binding")
    if s["target_status"] == "at_edge":
        assert s["target_price_cny_per_mwh"] is None and "edge" in s["target_price_reason"]
    else:
        assert 50 - 1e-6 <= s["target_price_cny_per_mwh"] < 2000


def test_dispatch_mode_reports_shortfall_without_a_price(solve):
    s = solve(_target_case(penalty=2000), mode="dispatch").summary
    assert s["export_mwh"] == pytest.approx(50)
    assert s["shortfall_mwh"] == pytest.approx(70)
    assert s["target_price_cny_per_mwh"] is None


def test_max_export_is_the_ceiling_at_least_cost(solve):
    """Max export: h1 wind 50 + coal 50, h2 coal 100: 200 MWh, the line's limit. Stage 2 keeps
    200 MWh at least cost: coal 150 MWh. Objective 150 * 150 - 200 * 100 = 2,500."""
    r = solve(_target_case(penalty=2000), mode="max-export")
    assert r.summary["export_mwh"] == pytest.approx(200)
    assert r.summary["objective_cny"] == pytest.approx(2500)
    np.testing.assert_allclose(hourly(r, "Coal-p[c]"), [50, 100], atol=1e-4)


def test_max_export_ceiling_is_net_of_imports(solve):
    """Demand 30 MW and imports at 10 CNY/MWh. h1: wind 50 + coal 100 - 30 fills the 100 MW line;
    h2: coal 100 - 30 = 70. Importing 30 MW in h2 adds 30 MWh of export and 30 of imports: the
    city's ceiling, measured as the target measures it (net of imports), is 170 MWh either way.
    Stage 2 may then pass provincial power through where it is cheaper (here it earns 100 - 10),
    but every MWh imported is matched by one more exported: net export stays 170."""
    data = _target_case(penalty=2000)
    data["demand"] = {"d": flat_demand(30)}
    data["imports"] = {"grid": {"capacity_mw": 50, "price_cny_per_mwh": 10}}
    s = solve(data, mode="max-export").summary
    assert s["net_export_mwh"] == pytest.approx(170, abs=1e-4)
    assert s["target_counted_mwh"] == pytest.approx(170, abs=1e-4)
    assert s["export_mwh"] == pytest.approx(170 + s["import_mwh"], abs=1e-4)


def test_imports_do_not_count_toward_the_target(solve):
    """Same system in target mode, target 170 MWh net of imports. Importing at 10 to free coal
    would add export without adding net export, so the net export is exactly 170 with no
    shortfall, and any import is matched by extra export."""
    data = _target_case(penalty=2000)
    data["demand"] = {"d": flat_demand(30)}
    data["imports"] = {"grid": {"capacity_mw": 50, "price_cny_per_mwh": 10}}
    data["target"]["export_twh"] = target_twh(170, 2)
    s = solve(data, mode="target").summary
    assert s["target_counted_mwh"] == pytest.approx(170)
    assert s["net_export_mwh"] == pytest.approx(170)
    assert s["shortfall_mwh"] == pytest.approx(0, abs=1e-6)


def test_two_buses_with_a_lossy_corridor(solve):
    """Bus a: wind 100 MW. Bus b: demand 60 MW and coal at 150. Corridor a->b 50 MW, 10% loss:
    b receives 45 MW, coal makes 15 MW, 50 MW of wind is curtailed. Objective 15 * 150 = 2,250.
    Prices: 150 at b (coal is marginal), 0 at a (wind is curtailed)."""
    data = base(1, buses={"a": {}, "b": {}},
                wind={"w": {"bus": "a", "capacity_mw": 100, "availability": 1}},
                coal={"c": coal(100, 150, bus="b")}, demand={"d": {**flat_demand(60), "bus": "b"}},
                corridors={"ab": {"from_bus": "a", "to_bus": "b", "capacity_mw": 50, "loss": 0.1}})
    r = solve(data)
    s = r.summary
    assert s["objective_cny"] == pytest.approx(2250)
    assert hourly(r, "Corridor-forward[ab]")[0] == pytest.approx(50)
    assert hourly(r, "Coal-p[c]")[0] == pytest.approx(15)
    assert s["curtailment_mwh"]["wind"] == pytest.approx(50)
    assert hourly(r, "Bus-price[b]")[0] == pytest.approx(150)
    assert hourly(r, "Bus-price[a]")[0] == pytest.approx(0, abs=1e-9)
    assert s["balance_max_abs_mw"] < 1e-6


def test_dc_schedule_blocks_hold_the_flow(solve):
    """Wind 100 MW available 1/0/1/0, coal at 150, line paid 100 in 2-hour blocks. Hourly, only
    wind is exported (objective -20,000). In blocks the flow must be equal in both hours, and
    exporting 100 MW all the time (wind, then coal) earns 200 * 100 - 100 * 150 per block:
    flow 100 throughout, objective -10,000."""
    data = base(4, wind={"w": {"capacity_mw": 100, "availability": [1, 0, 1, 0]}},
                coal={"c": coal(100, 150)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100}})
    assert solve(data).summary["objective_cny"] == pytest.approx(-20000)
    data["export_lines"]["l"]["block_hours"] = 2
    r = solve(data)
    assert r.summary["objective_cny"] == pytest.approx(-10000)
    np.testing.assert_allclose(hourly(r, "Line-flow[l]"), [100] * 4, atol=1e-6)


def test_line_ramp_and_minimum_load(solve):
    """Wind 100 MW available 1/0/1, no demand, coal at 150, line paid 100 with a 40 MW/h ramp and
    a 20 MW minimum (20%). Flow in h2 can only come from coal and loses 50 per MWh; flows in h1
    and h3 come from wind and earn 100. The ramp (the year wraps, h3 -> h1) keeps f2 >= f1 - 40
    and f2 >= f3 - 40, the minimum f2 >= 20. With f1 = f3 = x >= 60: profit 200 x - 50 (x - 40),
    rising in x, so x = 100, f2 = 60. Objective 60 * 150 - 260 * 100 = -17,000."""
    data = base(3, wind={"w": {"capacity_mw": 100, "availability": [1, 0, 1]}},
                coal={"c": coal(100, 150)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100, "ramp_mw_per_h": 40,
                                    "min_load": 0.2}})
    r = solve(data)
    np.testing.assert_allclose(hourly(r, "Line-flow[l]"), [100, 60, 100], atol=1e-6)
    assert r.summary["objective_cny"] == pytest.approx(-17000)


def test_chp_must_run_in_the_heating_season(solve):
    """1 January is in the heating season: the 100 MW CHP unit must make 60 MW although it costs
    150 and export earns 1. Demand 50 + line 100 absorb 150 MW: CHP 60 + wind 90, so 10 MW of
    the 100 MW of wind is curtailed. On 1 July the CHP unit stays off and all wind is used."""
    data = base(1, wind={"w": {"capacity_mw": 100, "availability": 1}},
                chp={"h": coal(100, 150, heat_min_load=0.6)},
                demand={"d": flat_demand(50)},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 1}})
    r = solve(data)
    assert hourly(r, "CHP-p[h]")[0] == pytest.approx(60)
    assert r.summary["curtailment_mwh"]["wind"] == pytest.approx(10)
    data["time"]["start"] = "2019-07-01"  # outside the season the CHP unit stays off
    r = solve(data)
    assert hourly(r, "CHP-p[h]")[0] == pytest.approx(0, abs=1e-6)
    assert r.summary["curtailment_mwh"]["wind"] == pytest.approx(0, abs=1e-6)


def test_infeasibility_names_the_constraints_and_the_hour(tmp_path, capsys):
    """CHP must make 60 MW, but demand (10 MW) and the line (20 MW) absorb only 30: no solution.
    The message names the balance, the bounds involved and the hour; nothing is written."""
    from model.cli import main
    from tests.conftest import write_scenario

    data = base(2, chp={"h": coal(100, 150, heat_min_load=0.6)}, demand={"d": flat_demand(10)},
                export_lines={"l": {"capacity_mw": 20, "price_cny_per_mwh": 100}})
    out = tmp_path / "out"
    assert main([str(write_scenario(tmp_path, data)), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Infeasible" in err and "Bus-balance[jiuquan, 2019-01-01 0" in err and "CHP-p[h, " in err
    assert "Traceback" not in err and not out.exists()
