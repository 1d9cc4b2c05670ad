"""Storage and flexibility, each on a small system whose optimum is derived by hand."""

import numpy as np
import pytest

from tests.conftest import base, coal


def col(result, name):
    return result.report.hourly[name]


def _battery_case(self_discharge):
    """Wind 10 MW available 0.1 in h1 only; the line is closed in h1 and open in h2 (paid 100)."""
    return base(2, wind={"w": {"capacity_mw": 10, "availability": [0.1, 0]}},
                battery={"b": {"power_mw": 10, "energy_mwh": 10, "charge_efficiency": 0.9,
                               "discharge_efficiency": 0.8, "self_discharge_per_h": self_discharge,
                               "throughput_cost_cny_per_mwh": 0}},
                export_lines={"l": {"capacity_mw": 10, "price_cny_per_mwh": 100, "availability": [0, 1]}})


def test_battery_shifts_energy_and_loses_its_round_trip(solve):
    """1 MWh of wind is stored in h1 (0.9 MWh kept) and sent in h2: 0.9 * 0.8 = 0.72 MWh.
    Objective -72 CNY."""
    r = solve(_battery_case(0.0))
    np.testing.assert_allclose(col(r, "Battery-charge[b]"), [1, 0], atol=1e-9)
    np.testing.assert_allclose(col(r, "Battery-discharge[b]"), [0, 0.72], atol=1e-9)
    np.testing.assert_allclose(col(r, "Battery-soc[b]"), [0.9, 0], atol=1e-9)
    s = r.summary
    assert s["export_mwh"] == pytest.approx(0.72)
    assert s["objective_cny"] == pytest.approx(-72)
    assert s["storage"]["b"]["cycles"] == pytest.approx(0.072)
    assert s["balance_max_abs_mw"] < 1e-9


def test_battery_self_discharge(solve):
    """Losing 10% of the store an hour: 0.9 * 0.9 * 0.8 = 0.648 MWh arrives."""
    assert solve(_battery_case(0.1)).summary["export_mwh"] == pytest.approx(0.648)


def _csp_case(storage_hours):
    """CSP 10 MWe, efficiency 0.4, solar multiple 2: field design 50 MWth. The sun shines in h1
    only; the line is closed in h1 and open in h2 and h3 (paid 100)."""
    return base(3, csp={"c": {"turbine_mw": 10, "solar_multiple": 2, "storage_hours": storage_hours,
                              "power_block_efficiency": 0.4, "storage_loss_per_h": 0, "field": [1, 0, 0],
                              "vom_cny_per_mwh": 0}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100, "availability": [0, 1, 1]}})


def test_csp_delivers_at_night_from_storage(solve):
    """50 MWh_th collected in h1 and stored (5 h = 125 MWh_th of room) make 0.4 * 50 = 20 MWh at
    night, 10 MW an hour (the turbine's limit). Objective -2,000."""
    r = solve(_csp_case(5))
    np.testing.assert_allclose(col(r, "CSP-p[c]"), [0, 10, 10], atol=1e-9)
    s = r.summary
    assert s["generation_mwh"]["csp"] == pytest.approx(0.4 * col(r, "CSP-field[c]").sum())
    assert s["objective_cny"] == pytest.approx(-2000)
    assert s["csp_heat_dumped_mwh_th"] == pytest.approx(0, abs=1e-9)


def test_csp_dumps_heat_when_storage_is_full(solve):
    """With 1 h of storage (25 MWh_th) only 25 of the 50 MWh_th can wait for the night: 10 MWh
    of electricity, 25 MWh_th dumped; never more than efficiency times collected heat."""
    r = solve(_csp_case(1))
    s = r.summary
    assert s["generation_mwh"]["csp"] == pytest.approx(10)
    assert s["csp_heat_dumped_mwh_th"] == pytest.approx(25)
    assert s["generation_mwh"]["csp"] <= 0.4 * col(r, "CSP-field[c]").sum() + 1e-9


def test_pumped_hydro_waits_for_its_in_service_date(solve):
    """Two days from 1 January; the plant enters service on 2 January. Wind 10 MW blows all the
    time, the line (20 MW, paid 100) is open only in odd hours. Day 1: 12 * 10 = 120 MWh exported.
    Day 2: even hours pump 10 MW (7.5 MWh kept at cycle efficiency 0.75), odd hours send wind
    10 + turbine 7.5: 12 * 17.5 = 210 MWh. Export 330 MWh."""
    data = base(48, wind={"w": {"capacity_mw": 10, "availability": 1}},
                pumped_hydro={"p": {"pump_mw": 10, "turbine_mw": 10, "reservoir_mwh": 100,
                                    "cycle_efficiency": 0.75, "vom_cny_per_mwh": 0, "in_service": "2019-01-02"}},
                export_lines={"l": {"capacity_mw": 20, "price_cny_per_mwh": 100, "availability": [0, 1] * 24}})
    r = solve(data)
    for q in ("charge", "discharge", "soc"):
        assert np.all(col(r, f"PumpedHydro-{q}[p]")[:24] == 0)
    assert r.summary["export_mwh"] == pytest.approx(330)
    assert r.summary["storage"]["p"]["charge_mwh"] == pytest.approx(120)
    assert r.summary["storage"]["p"]["discharge_mwh"] == pytest.approx(90)


def _heating_case(boiler_mw):
    """Four January hours at -2 degC (18 degC base: 20 degree-hours each), heat 10 MWth an hour;
    boilers may run only in hours 0-1; wind 20 MW; no line."""
    return base(4, wind={"w": {"capacity_mw": 20, "availability": 1}},
                heating={"h": {"annual_heat_mwh": 87600, "temperature": -2, "boiler_mw": boiler_mw, "cop": 1,
                               "storage_mwh_th": 100, "storage_loss_per_h": 0, "allowed_hours": ["0-2"]}})


def test_heating_is_met_from_storage_when_boilers_are_off(solve):
    """The 40 MWh_th of the four hours is made in hours 0-1 (wind 20 MW each) and hours 2-3 draw
    on the store: boilers off, store empties from 20 to 0, no heat unserved."""
    r = solve(_heating_case(30))
    np.testing.assert_allclose(col(r, "Heating-heat_demand[h]"), [10] * 4)
    p = col(r, "Heating-p[h]")
    assert p[2:] == pytest.approx([0, 0], abs=1e-9)
    assert p.sum() == pytest.approx(40)
    np.testing.assert_allclose(col(r, "Heating-soc[h]")[1:], [20, 10, 0], atol=1e-9)
    s = r.summary
    assert s["heating_electricity_mwh"] == pytest.approx(40)
    assert s["heating_unserved_mwh_th"] == pytest.approx(0, abs=1e-9)


def test_heating_unserved_when_boilers_are_too_small(solve):
    """Boilers of 15 MW make 30 of the 40 MWh_th: 10 MWh_th unserved, priced at the VOLL."""
    s = solve(_heating_case(15)).summary
    assert s["heating_unserved_mwh_th"] == pytest.approx(10)
    assert s["objective_cny"] == pytest.approx(10 * 10000)


def _sync_case(coal_availability, hydro_mw=0):
    """Wind 1,000 MW, coal 500 MW at 300 CNY/MWh with 50% minimum load, DC line 1,000 MW paid 100
    needing 0.5 MW of synchronous capacity per MW of flow. One hour, no demand."""
    data = base(1, wind={"w": {"capacity_mw": 1000, "availability": 1}},
                coal={"c": coal(500, 300, min_stable_load=0.5, availability=coal_availability)},
                export_lines={"dc": {"capacity_mw": 1000, "price_cny_per_mwh": 100, "sync_support_ratio": 0.5}})
    if hydro_mw:
        data["hydro"] = {"h": {"capacity_mw": hydro_mw, "availability": 1}}
    return data


def test_dc_line_needs_committed_coal(solve):
    """Flow f <= 2 u and coal output p >= 0.5 u: profit 100 f - 300 p = 50 u at f = 2 u, so the
    whole 500 MW is committed, burning 250 MW: f = 1,000 (wind 750). Objective -25,000."""
    r = solve(_sync_case(1))
    assert col(r, "Line-flow[dc]")[0] == pytest.approx(1000)
    assert col(r, "Coal-u[c]")[0] == pytest.approx(500)
    assert col(r, "Coal-p[c]")[0] == pytest.approx(250)
    assert r.summary["objective_cny"] == pytest.approx(-25000)
    assert r.summary["sync_support_binding_hours"] == {"jiuquan": 1}


def test_dc_line_is_capped_when_coal_is_decommitted(solve):
    """With the coal unit out, nothing spins: the DC line carries nothing, although 1,000 MW of
    wind is there. 100 MW of hydro would let it carry 200 MW."""
    assert solve(_sync_case(0)).summary["export_mwh"] == pytest.approx(0, abs=1e-9)
    assert solve(_sync_case(0, hydro_mw=100)).summary["export_mwh"] == pytest.approx(200)


def test_direct_purchase_moves_within_the_day(solve):
    """A 10 MW flat contract (240 MWh a day) with all of it shiftable and a 50 MW cap. Wind 48 MW
    blows in hours 10-14 only (240 MWh); imports cost 400. The whole day's draw moves into the
    windy hours: no imports. With nothing shiftable, the 19 calm hours import 190 MWh."""
    wind = [0.0] * 10 + [1.0] * 5 + [0.0] * 9
    data = base(24, wind={"w": {"capacity_mw": 48, "availability": wind}},
                direct_purchase={"dp": {"annual_mwh": 87600, "shiftable": 1, "max_mw": 50}},
                imports={"grid": {"capacity_mw": 100, "price_cny_per_mwh": 400}})
    r = solve(data)
    draw = col(r, "DirectPurchase-p[dp]")
    assert draw.sum() == pytest.approx(240)
    np.testing.assert_allclose(draw[10:15], 48, atol=1e-9)
    assert r.summary["import_mwh"] == pytest.approx(0, abs=1e-9)
    assert r.summary["direct_purchase_mwh"] == pytest.approx(240)
    data["direct_purchase"]["dp"]["shiftable"] = 0
    assert solve(data).summary["import_mwh"] == pytest.approx(190)


def test_tie_break_needs_no_solve_when_nothing_is_drawn(solve):
    """The same battery, the wind now in h2, when the line is open: 1 MWh sent straight out,
    nothing stored (storing would lose 28% of it). Nothing is drawn, so the least-cost dispatch
    is the tie-break's optimum too (no dispatch draws less than nothing) and is kept without a
    solve; objective -100. With wind in h1 the battery must draw and the tie-break solves."""
    data = _battery_case(0.0)
    data["wind"]["w"]["availability"] = [0, 0.1]
    r = solve(data)
    np.testing.assert_allclose(col(r, "Battery-charge[b]"), [0, 0], atol=1e-12)
    assert r.summary["export_mwh"] == pytest.approx(1)
    assert r.summary["objective_cny"] == pytest.approx(-100)
    assert r.summary["tie_break"] == "nothing to break: nothing drawn into stores or boilers"
    assert solve(_battery_case(0.0)).summary["tie_break"] == "optimal"


def test_implied_optimum_only_when_the_point_proves_it():
    """min c'x >= c'l when c >= 0, so a point at its lower bounds on every costed column is
    optimal; a costed column above its bound, a negative cost or an unbounded column proves
    nothing."""
    from types import SimpleNamespace

    from model.optimisation.solve import implied_optimum

    lp = SimpleNamespace(compiled=SimpleNamespace(col_lower=np.array([0.0, 2.0, 0.0, -np.inf])))
    x = np.array([0.0, 2.0, 5.0, 1.0])
    assert implied_optimum(np.array([1.0, 3.0, 0.0, 0.0]), x, lp) == pytest.approx(6.0)
    assert implied_optimum(np.array([1.0, 0.0, 1.0, 0.0]), x, lp) is None
    assert implied_optimum(np.array([1.0, -1.0, 0.0, 0.0]), x, lp) is None
    assert implied_optimum(np.array([0.0, 0.0, 0.0, 1.0]), x, lp) is None
