"""What the least cost leaves open in thermal output and DC support, decided by documented rules
(model/optimisation/ties.py, stage 5; model/optimisation/network.py, the support's binding
hours). Every expected figure is derived by hand in the docstring; no losses unless said. On
the context model's day: tests/test_cross_bus.py."""

import numpy as np
import pytest

from model.inputs import scenario
from model.optimisation import network
from model.optimisation import solve as solver
from model.optimisation.build import build
from tests.conftest import base, coal, flat_demand, write_scenario


def hourly(r, col):
    return np.asarray(r.report.hourly[col])


def two_plants(reverse=False, loss=0.0):
    """Buses a - h - b in a chain, 200 MW of demand at h; coal 100 MW at a and 300 MW at b, both
    at 200 CNY/MWh, no minimum load; corridors a -> h and b -> h of 500 MW. ``reverse``: buses,
    units and corridors declared the other way round."""
    buses = {"a": {}, "h": {}, "b": {}}
    units = {"ca": {"bus": "a", **coal(100, 200)}, "cb": {"bus": "b", **coal(300, 200)}}
    corridors = {"ah": {"from_bus": "a", "to_bus": "h", "capacity_mw": 500, "loss": loss},
                 "bh": {"from_bus": "b", "to_bus": "h", "capacity_mw": 500, "loss": loss}}
    if reverse:
        buses, units, corridors = (dict(reversed(list(d.items()))) for d in (buses, units, corridors))
    return base(1, buses=buses, coal=units, corridors=corridors,
                demand={"d": {"bus": "h", **flat_demand(200)}})


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("presolve", ["on", "off"])
def test_equal_cost_units_share_in_proportion_to_capacity(tmp_path, reverse, presolve):
    """Every split of the 200 MW between a and b costs 40,000 CNY and sends 200 MW over the
    corridors (stage 4 is flat), so without stage 5 the simplex returns a vertex: a at 0 or at
    its 100 MW. Stage 5's a_b p_a - a_a p_b (a = 1/4 and 3/4) is 0 only at p_a / 100 = p_b / 300,
    so each runs at half its capacity: 50 and 150 MW, the corridors 50 and 150."""
    from model.analyses.pipeline import run

    path = write_scenario(tmp_path, two_plants(reverse))
    r = run(path, overrides=[("solver.presolve", presolve)], write=False)
    assert hourly(r, "Coal-p[ca]")[0] == pytest.approx(50, abs=1e-6)
    assert hourly(r, "Coal-p[cb]")[0] == pytest.approx(150, abs=1e-6)
    assert hourly(r, "Corridor-forward[ah]")[0] == pytest.approx(50, abs=1e-6)
    assert r.summary["objective_cny"] == pytest.approx(40000, rel=1e-12)  # on the optimal face
    assert r.summary["tie_break"] == "optimal" and r.summary["checks"]["ok"]


def test_equal_cost_units_with_losses_share_what_reaches_the_demand(solve):
    """With 2% lost on each corridor, 200 / 0.98 MW must be sent, any split costing the same:
    each unit runs at 200 / 0.98 / 400 of its capacity, a at 51.0204, b at 153.0612 MW."""
    r = solve(two_plants(loss=0.02))
    assert hourly(r, "Coal-p[ca]")[0] == pytest.approx(100 * 200 / 0.98 / 400, abs=1e-6)
    assert hourly(r, "Coal-p[cb]")[0] == pytest.approx(300 * 200 / 0.98 / 400, abs=1e-6)


def test_a_cheaper_unit_is_not_shared(solve):
    """b at 199 CNY/MWh is cheaper: it serves all 200 MW (the stage pairs only units of one
    cost), a stays at 0."""
    data = two_plants()
    data["coal"]["cb"] = {"bus": "b", **coal(300, 199)}
    r = solve(data)
    assert hourly(r, "Coal-p[ca]")[0] == pytest.approx(0, abs=1e-6)
    assert hourly(r, "Coal-p[cb]")[0] == pytest.approx(200, abs=1e-6)


def _support_case():
    """Wind 1,000 MW, hydro 100 MW (synchronous), a DC line of 1,000 MW paid 100 needing 0.5 MW
    of synchronous capacity per MW of flow, no demand; three hours. h1: the support allows 200
    MW and the line carries 200 (hydro 100, wind 100): held. h2: no wind, hydro's 100 MW is all
    there is to send; the support would allow 200: not held (slack 50 MW). h3: the line is
    available at 20% (200 MW), the support allows 200 too: both hold the flow, and the row's
    dual may be 0 or not (the value of the flow can sit on either bound): held, by the flow."""
    return base(3, wind={"w": {"capacity_mw": 1000, "availability": [1, 0, 1]}},
                hydro={"h": {"capacity_mw": 100, "availability": 1}},
                export_lines={"dc": {"capacity_mw": 1000, "price_cny_per_mwh": 100,
                                     "sync_support_ratio": 0.5, "availability": [1, 1, 0.2]}})


def test_support_binding_hours_are_read_from_the_dispatch(tmp_path):
    """The hours of _support_case held by the support: h1 and h3, 2 h, from the flows and the
    capacity spinning alone. With every dual set to 0 the count stays: no dual is read."""
    built = build(scenario.load(write_scenario(tmp_path, _support_case())))
    sol, _ = solver.solve(built.lp, built.ctx)
    np.testing.assert_allclose(sol.value("Line-flow")[0], [200, 100, 200], atol=1e-6)
    np.testing.assert_array_equal(network.support_binding(sol)[0], [True, False, True])
    sol.row_dual = np.zeros_like(sol.row_dual)
    np.testing.assert_array_equal(network.support_binding(sol)[0], [True, False, True])


@pytest.mark.parametrize("settings", [[], [("solver.presolve", "off")], [("solver.method", "ipm")]])
def test_support_binding_hours_in_the_summary(solve, settings):
    """The summary's count of _support_case is 2 h whatever the solver's settings."""
    r = solve(_support_case(), overrides=settings)
    assert r.summary["sync_support_binding_hours"] == {"jiuquan": 2}


@pytest.mark.parametrize("presolve", ["on", "off"])
def test_parallel_corridors_share_in_proportion_to_capacity(solve, presolve):
    """Coal 1,000 MW at a serves 200 MW of demand at b over two lossless corridors: c1 a -> b
    of 100 MW, and c2 declared b -> a whose reverse (a -> b) is 300 MW. Every split costs the
    same and sends 200 MW (stage 4 sees only the sum); stage 6's |a_2 F_1 - a_1 F_2| (a = 1/4
    and 3/4) is 0 only at F_1 = 50, F_2 = 150. A third corridor losing 10% is dearer: unused."""
    data = base(1, buses={"a": {}, "b": {}}, coal={"c": {"bus": "a", **coal(1000, 100)}},
                corridors={"c1": {"from_bus": "a", "to_bus": "b", "capacity_mw": 100},
                           "c2": {"from_bus": "b", "to_bus": "a", "capacity_mw": 10,
                                  "capacity_reverse_mw": 300},
                           "c3": {"from_bus": "a", "to_bus": "b", "capacity_mw": 500, "loss": 0.1}},
                demand={"d": {"bus": "b", **flat_demand(200)}})
    r = solve(data, overrides=[("solver.presolve", presolve)])
    assert hourly(r, "Corridor-forward[c1]")[0] == pytest.approx(50, abs=1e-6)
    assert hourly(r, "Corridor-reverse[c2]")[0] == pytest.approx(150, abs=1e-6)
    assert hourly(r, "Corridor-forward[c2]")[0] == pytest.approx(0, abs=1e-6)
    assert hourly(r, "Corridor-forward[c3]")[0] == pytest.approx(0, abs=1e-6)
    assert r.summary["objective_cny"] == pytest.approx(20000, rel=1e-12)
    assert r.summary["tie_break"] == "optimal" and r.summary["checks"]["ok"]


def test_thermal_stage_needs_no_solve_when_the_face_fixes_every_unit(tmp_path):
    """two_plants with 500 MW of demand: both units run at their 100 and 300 MW, 100 MW unserved
    at the VOLL, so each unit's reduced cost (200 - 10,000) fixes it at its bound on the least
    cost's face: every row of stage 5 is a constant, and the stage is left without a solve."""
    data = two_plants()
    data["demand"]["d"] = {"bus": "h", **flat_demand(500)}
    built = build(scenario.load(write_scenario(tmp_path, data)))
    sol, _ = solver.solve(built.lp, built.ctx)
    np.testing.assert_allclose(sol.value("Coal-p")[:, 0], [100, 300], atol=1e-6)
    record = {r["stage"]: r for r in sol.solver["tie_break_stages"]}
    assert record["thermal"]["status"] == "implied: no thermal output left to share"
    assert record["thermal"]["iterations"] == 0
