"""The tie-break stages after the least cost (model/optimisation/ties.py): curtailment shared
across buses, spill, transport. Every expected figure is derived by hand in the docstring; one
hour, all availabilities 1, no losses unless said, so curtailed MWh = MW."""

import highspy
import numpy as np
import pytest

from model.inputs import scenario
from model.optimisation import solve as solver
from model.optimisation.build import build
from tests.conftest import ROOT, base, write_scenario


def hourly(r, col):
    return float(np.asarray(r.report.hourly[col])[0])


def chain(jh=200.0, hg=200.0, reverse=False):
    """Buses j - h - g in a chain: wind 100 MW at j and at h, PV 100 MW at g, a 90 MW line at g.
    ``reverse``: buses and units declared the other way round (the answer must not move)."""
    buses = {"j": {}, "h": {}, "g": {}}
    wind = {"wj": {"bus": "j", "capacity_mw": 100, "availability": 1},
            "wh": {"bus": "h", "capacity_mw": 100, "availability": 1}}
    corridors = {"jh": {"from_bus": "j", "to_bus": "h", "capacity_mw": jh},
                 "hg": {"from_bus": "h", "to_bus": "g", "capacity_mw": hg}}
    if reverse:
        buses, wind, corridors = (dict(reversed(list(d.items()))) for d in (buses, wind, corridors))
    return base(1, buses=buses, wind=wind, pv={"pg": {"bus": "g", "capacity_mw": 100, "availability": 1}},
                corridors=corridors, export_lines={"l": {"bus": "g", "capacity_mw": 90, "price_cny_per_mwh": 100}})


def curtailed(r):
    return [hourly(r, c) for c in ("Wind-curtailment[wj]", "Wind-curtailment[wh]", "PV-curtailment[pg]")]


def test_two_buses_uncongested_share_one_fraction(solve):
    """Wind 100 MW at a, PV 100 MW at b, a 100 MW corridor b -> a, a 60 MW line at a. 200 MW
    could be produced, 60 used: each bus keeps 30%, curtails 70 MW; the corridor carries 30.
    (Any split of the 140 MW curtailed was optimal; the stage's |0.5 c_a - 0.5 c_b| is 0 only
    at c_a = c_b.)"""
    data = base(1, buses={"a": {}, "b": {}}, wind={"w": {"bus": "a", "capacity_mw": 100, "availability": 1}},
                pv={"p": {"bus": "b", "capacity_mw": 100, "availability": 1}},
                corridors={"ba": {"from_bus": "b", "to_bus": "a", "capacity_mw": 100}},
                export_lines={"l": {"bus": "a", "capacity_mw": 60, "price_cny_per_mwh": 100}})
    r = solve(data)
    assert hourly(r, "Wind-curtailment[w]") == pytest.approx(70, abs=1e-6)
    assert hourly(r, "PV-curtailment[p]") == pytest.approx(70, abs=1e-6)
    assert hourly(r, "Corridor-forward[ba]") == pytest.approx(30, abs=1e-6)
    assert r.summary["objective_cny"] == pytest.approx(-6000, rel=1e-12)  # on the optimal face
    assert r.summary["tie_break"] == "optimal" and r.summary["checks"]["ok"]


def test_two_buses_behind_a_corridor_at_its_limit(solve):
    """As above with a 10 MW corridor: b can send 10, so b uses 10 and curtails 90; a uses the
    other 50 of the line and curtails 50. The stage's 0.5 |c_a - c_b| = 0.5 |2 p_b - 60| falls
    until p_b reaches the corridor's 10: unique."""
    data = base(1, buses={"a": {}, "b": {}}, wind={"w": {"bus": "a", "capacity_mw": 100, "availability": 1}},
                pv={"p": {"bus": "b", "capacity_mw": 100, "availability": 1}},
                corridors={"ba": {"from_bus": "b", "to_bus": "a", "capacity_mw": 10}},
                export_lines={"l": {"bus": "a", "capacity_mw": 60, "price_cny_per_mwh": 100}})
    r = solve(data)
    assert hourly(r, "Wind-curtailment[w]") == pytest.approx(50, abs=1e-6)
    assert hourly(r, "PV-curtailment[p]") == pytest.approx(90, abs=1e-6)


@pytest.mark.parametrize("reverse", [False, True])
def test_three_buses_uncongested(solve, reverse):
    """Chain j - h - g, corridors 200 MW: 300 MW could be produced, 90 used: every bus keeps 30
    and curtails 70; h sends 60 to g, j sends 30 to h. The same declared the other way round."""
    r = solve(chain(reverse=reverse))
    np.testing.assert_allclose(curtailed(r), [70, 70, 70], atol=1e-6)
    assert hourly(r, "Corridor-forward[jh]") == pytest.approx(30, abs=1e-6)
    assert hourly(r, "Corridor-forward[hg]") == pytest.approx(60, abs=1e-6)


@pytest.mark.parametrize("reverse", [False, True])
def test_three_buses_behind_a_limit_share_the_rest_equally(solve, reverse):
    """j - h at 10 MW: j uses 10, curtails 90; h and g share the other 80 of the line at one
    fraction: each uses 40, curtails 60; h sends 50 to g. The mean deviation from the
    province's fraction (210 / 300 = 0.7) would leave it open: j is 20 above its share, and any
    c_h + c_g = 120 with both at most 70 (c_h from 50 to 70) puts h and g 20 below in all."""
    r = solve(chain(jh=10, reverse=reverse))
    np.testing.assert_allclose(curtailed(r), [90, 60, 60], atol=1e-6)
    assert hourly(r, "Corridor-forward[hg]") == pytest.approx(50, abs=1e-6)


def test_three_buses_the_receiving_side_curtails_less(solve):
    """h - g at 20 MW: g gets 20 from h, so g uses 70 of its PV (curtails 30) and j and h share
    the 20 at one fraction: each uses 10, curtails 90. With s = p_j + p_h, the terms with g are
    (c_j - c_g) + (c_h - c_g) = 180 - 3 s, least at s = 20; then |c_j - c_h| is least at 10, 10."""
    r = solve(chain(hg=20))
    np.testing.assert_allclose(curtailed(r), [90, 90, 30], atol=1e-6)
    assert hourly(r, "Corridor-forward[jh]") == pytest.approx(10, abs=1e-6)


def test_no_surplus_burnt_in_flows_both_ways(solve):
    """Wind 100 MW at a and at b, a 100 MW corridor each way with 10% loss, a 60 MW line at a.
    Equal fractions: b sends x, p_a + 0.9 x = 60, p_b = x = p_a: x = 60 / 1.9 = 31.58, each
    curtails 68.42. Sending y back as well (a: p_a + 0.9 x - y = 60, b: p_b = x - 0.9 y) keeps
    the fractions equal with p = 60 / 1.9 + 0.1 y for any y: the transport stage takes y = 0."""
    data = base(1, buses={"a": {}, "b": {}},
                wind={"wa": {"bus": "a", "capacity_mw": 100, "availability": 1},
                      "wb": {"bus": "b", "capacity_mw": 100, "availability": 1}},
                corridors={"ba": {"from_bus": "b", "to_bus": "a", "capacity_mw": 100, "loss": 0.1}},
                export_lines={"l": {"bus": "a", "capacity_mw": 60, "price_cny_per_mwh": 100}})
    r = solve(data)
    assert hourly(r, "Corridor-forward[ba]") == pytest.approx(60 / 1.9, abs=1e-6)
    assert hourly(r, "Corridor-reverse[ba]") == pytest.approx(0, abs=1e-6)
    assert hourly(r, "Wind-curtailment[wa]") == pytest.approx(100 - 60 / 1.9, abs=1e-6)
    assert hourly(r, "Wind-curtailment[wb]") == pytest.approx(100 - 60 / 1.9, abs=1e-6)


def test_water_is_spilled_only_where_wind_cannot_be_curtailed(solve):
    """Wind 100 MW and run-of-river hydro 50 MW at one bus, a 100 MW line: 50 MW must be
    curtailed, wind or water, at the same cost; the spill stage takes it from wind."""
    data = base(1, wind={"w": {"capacity_mw": 100, "availability": 1}},
                hydro={"r": {"capacity_mw": 50, "availability": 1}},
                export_lines={"l": {"capacity_mw": 100, "price_cny_per_mwh": 100}})
    r = solve(data)
    assert hourly(r, "Hydro-curtailment[r]") == pytest.approx(0, abs=1e-6)
    assert hourly(r, "Wind-curtailment[w]") == pytest.approx(50, abs=1e-6)


def test_free_rule_is_left_as_it_was(solve):
    """curtailment_rule free: no share stage; the total curtailed is still 210 MWh."""
    data = chain(jh=10)
    data["system"] = {"curtailment_rule": "free"}
    r = solve(data)
    assert sum(curtailed(r)) == pytest.approx(210, abs=1e-6)


def test_the_share_stage_can_be_switched_off_and_says_so(solve):
    """system.share_curtailment_across_buses false: the 210 MWh are still curtailed, the split
    across buses is the solver's, and the summary says it is left open."""
    data = chain(jh=10)
    data["system"] = {"share_curtailment_across_buses": False}
    r = solve(data)
    assert sum(curtailed(r)) == pytest.approx(210, abs=1e-6)
    # nothing flows at the least cost (g's PV serves the line), so no stage needs a solve
    assert r.summary["tie_break"] == ("nothing to break: no corridor flow; left open: the split of "
                                      "curtailment across buses (system.share_curtailment_across_buses false)")
    assert solve(chain(jh=10)).summary["tie_break"] == "optimal"


# ------------------------------------------------------------------ the context model's day
DAY = [("time.hours", 24), ("time.start", "2019-04-01"), ("weather_year", 2)]  # the target is met


def _least_cost(path, overrides) -> float:
    """The least cost by a plain HiGHS solve of the same LP, no stages."""
    built = build(scenario.load(path, overrides))
    h = solver.new_highs(built.ctx.values["solver"])
    solver.handoff(h, built.lp)
    h.run()
    return h.getInfo().objective_function_value


@pytest.mark.parametrize("settings", [[("solver.presolve", "off")], [("solver.method", "ipm")]])
def test_context_day_curtailment_is_the_same_whatever_the_solver(solve, settings):
    """1 April, weather year 2: the target is met, so where wind is curtailed was a tie (presolve
    on and off gave the same cost, 15,962,305.06 CNY, and Jiuquan's wind curtailed 8,636 against
    9,273 MWh). Now presolve and the method change no bus's curtailment, and the cost stays the
    least (the stages run on the optimal face: to 1e-10, HiGHS's tolerances). Jiuquan's CHP and
    Gansu's security units (both 0.31 tce/MWh, each one corridor from Hexi) could trade output,
    and the counted export moved with it (92,268.2 MWh with presolve, 92,076.8 without and by
    interior point); stage 5 shares their output: 92,127.9 MWh, every thermal unit's output and
    corridor flow the same whatever the solver."""
    from model.analyses.pipeline import run

    path = ROOT / "scenarios" / "gansu_2019.yaml"
    ref, other = run(path, overrides=DAY, write=False), run(path, overrides=DAY + settings, write=False)
    assert ref.summary["target_status"] == "met"
    cols = [c for c in ref.report.hourly if "curtailment[" in c]
    assert len(cols) == 8
    for c in cols:
        a, b = np.asarray(ref.report.hourly[c]), np.asarray(other.report.hourly[c])
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-3, err_msg=c)
    assert np.sum(ref.report.hourly["Wind-curtailment[jiuquan_wind]"]) == pytest.approx(6827.7, abs=0.1)
    for c in [c for c in ref.report.hourly if c.startswith(("CHP-p[", "Coal-p[", "Corridor-"))]:
        a, b = np.asarray(ref.report.hourly[c]), np.asarray(other.report.hourly[c])
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-3, err_msg=c)
    assert ref.summary["target_counted_mwh"] == pytest.approx(92106.9, abs=0.1)
    counted = [r.summary["target_counted_mwh"] for r in (ref, other)]
    assert counted[1] == pytest.approx(counted[0], abs=1e-3)
    low = _least_cost(path, DAY)
    for r in (ref, other):
        assert r.summary["checks"]["ok"] and r.summary["tie_break"] == "optimal"
        assert r.summary["objective_cny"] == pytest.approx(low, rel=1e-10)  # on the optimal face


def test_stage_columns_leave_the_solver_as_it_was(tmp_path):
    """The share stage's columns and rows are gone after the solve: the same model re-solves
    to the same answer (a sweep re-solves points in place)."""
    built = build(scenario.load(write_scenario(tmp_path, chain(jh=10))))
    h = solver.new_highs(built.ctx.values["solver"])
    solver.handoff(h, built.lp)
    first, _ = solver.solve_loaded(h, built.lp, built.ctx)
    assert (h.getNumCol(), h.getNumRow()) == (built.lp.compiled.shape[1], built.lp.compiled.shape[0])
    again, _ = solver.solve_loaded(h, built.lp, built.ctx)
    np.testing.assert_allclose(again.x, first.x, atol=1e-9)


def test_each_stage_runs_on_the_face_of_the_one_before():
    """min x1 + x2 s.t. x1 + x2 >= 1, 0 <= x <= 1: every point with x1 + x2 = 1 is optimal (the
    row's dual is 1, both reduced costs 0), so its face fixes the row at 1 and no column. Then min
    x1 there: x = (0, 1), x1's reduced cost 1, so its face fixes x1 at 0. Then min -x1: on that
    face x1 stays 0 (without it, 1). The bounds are given back when the block ends."""
    h = solver.new_highs({"method": "simplex", "presolve": "off", "time_limit_s": 60, "threads": 1})
    h.addVars(2, np.zeros(2), np.ones(2))
    h.addRow(1.0, highspy.kHighsInf, 2, np.array([0, 1], dtype=np.int32), np.ones(2))
    answers, fixed = [], []
    with solver._narrowed(h) as narrow:
        for cost in ([1.0, 1.0], [1.0, 0.0], [-1.0, 0.0]):
            solver._set_cost(h, np.array(cost), 0.0)
            h.run()
            sol = h.getSolution()
            answers.append(list(sol.col_value))
            changed = solver._face_of(h, sol, np.array(cost))
            fixed.append((list(changed[0][0]), list(changed[1][0])))
            narrow(changed)
    assert fixed[:2] == [([], [0]), ([0], [])]  # the row, then x1
    np.testing.assert_allclose(answers[1:], [[0, 1], [0, 1]], atol=1e-12)
    lp = h.getLp()
    assert list(lp.col_upper_) == [1.0, 1.0] and list(lp.row_upper_) == [highspy.kHighsInf]
