"""Plan mode by Benders decomposition (solver.plan_method benders, model/optimisation/decomposition.py): the
same LP as the monolithic solve, so the same least cost, builds, prices and ties."""

import numpy as np
import pytest

from model.analyses.pipeline import run
from model.errors import SolveError
from model.inputs import scenario
from model.optimisation import build as builder
from model.optimisation import decomposition, solve
from tests.conftest import ROOT
from tests.test_numbers import tie_case
from tests.test_plan import PER_MW, storage_case

DAYS = ROOT / "tests" / "scenarios" / "plan_days.yaml"


def _both(**kw):
    return {m: run(DAYS, write=False, overrides=[("solver.plan_method", m)], **kw).summary
            for m in ("monolithic", "benders")}


def test_four_days_hourly_agree_with_the_monolithic_plan():
    s = _both()
    mono, dec = s["monolithic"], s["benders"]
    assert dec["checks"]["ok"], dec["checks"]["problems"]
    assert dec["objective_cny"] == pytest.approx(mono["objective_cny"], rel=1e-6)
    for a, b in zip(mono["additions"], dec["additions"], strict=True):
        assert (a["unit"], a["dimension"]) == (b["unit"], b["dimension"])
        assert b["added"] == pytest.approx(a["added"], abs=1e-3)
    assert dec["target_price_cny_per_mwh"] == pytest.approx(mono["target_price_cny_per_mwh"], rel=1e-6)
    report = dec["checks"]["solver"]
    assert report["method"] == "benders" and report["benders_gap"] <= 1e-7


def test_storage_sized_by_hand(solve):
    """test_plan.storage_case: 50 MW and 50 MWh of battery, 100 x 2.283 CNY, target price 2 x 2.283."""
    data = storage_case(150)
    data["solver"] = {"plan_method": "benders"}
    s = solve(data).summary
    assert {a["dimension"]: a["added"] for a in s["additions"]} == pytest.approx({"power": 50, "energy": 50})
    assert s["objective_cny"] == pytest.approx(100 * PER_MW, rel=1e-6)
    assert s["target_price_cny_per_mwh"] == pytest.approx(2 * PER_MW, rel=1e-6)
    assert s["checks"]["ok"]


def test_a_short_target_has_the_same_shortfall_and_ceiling(solve):
    """storage_case(250): the line and a full battery carry 200 MWh, 50 short (model/optimisation/modes.py);
    the bus prices may differ (model/optimisation/decomposition.py: energy prices when the target is short)."""
    out = {}
    for method in ("monolithic", "benders"):
        data = storage_case(250)
        data["solver"] = {"plan_method": method}
        out[method] = solve(data).summary
    mono, dec = out["monolithic"], out["benders"]
    assert dec["checks"]["ok"]
    for key in ("objective_cny", "shortfall_mwh", "target_ceiling_mwh"):
        assert dec[key] == pytest.approx(mono[key], rel=1e-6)
    assert dec["target_status"] == mono["target_status"] == "out_of_reach"


@pytest.mark.parametrize("capital, tied", [(5000.0, True), (6000.0, False)])
def test_ties_as_the_monolithic_plan_reports_them(solve, capital, tied):
    data = tie_case(capital)
    data["solver"] = {"plan_method": "benders"}
    s = solve(data).summary
    assert sum(a["added"] for a in s["additions"]) == pytest.approx(100)
    assert s["plan_ties"]["tied"] is tied


def _loaded():
    built = builder.build(scenario.load(DAYS))
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, built.lp)
    h.setOptionValue("presolve", "off")
    return built.lp, h


def test_every_cut_bounds_the_least_cost_from_below():
    """f(y') >= f(y) + g (y' - y) at points across the build limits: a wrong sign or scale of
    the subgradient (the fixed build columns' reduced costs) breaks it."""
    lp, h = _loaded()
    cols, lower, upper = decomposition.build_columns(lp)
    rng = np.random.default_rng(3)
    points = [lower + rng.random(cols.size) * (upper - lower) for _ in range(5)]
    cuts = [decomposition._evaluate(h, cols, y, lp)[0] for y in points]
    for a in cuts:
        for b in cuts:
            assert b.f >= a.f + a.g @ (b.y - a.y) - 1e-7 * abs(b.f)


def test_a_loop_stopped_short_is_an_error_with_its_gap(solve, monkeypatch):
    monkeypatch.setattr(decomposition, "MAX_ITERATIONS", 2)
    with pytest.raises(SolveError, match="gap"):
        run(DAYS, write=False, overrides=[("solver.plan_method", "benders")])


def test_benders_only_on_request_and_in_plan_mode():
    built = builder.build(scenario.load(DAYS))
    assert not decomposition.chosen(built.lp, built.ctx)  # the default: monolithic
    built.ctx.values["solver"]["plan_method"] = "benders"
    assert decomposition.chosen(built.lp, built.ctx)
    target = builder.build(scenario.load(DAYS, [("solver.plan_method", "benders")]), "target")
    assert not decomposition.chosen(target.lp, target.ctx)


def test_the_first_plan_is_the_merged_plan_within_the_limits():
    built = builder.build(scenario.load(DAYS))
    cols, lower, upper = decomposition.build_columns(built.lp)
    y = decomposition.merged_start(built.ctx)
    assert y.shape == cols.shape and np.all(y >= lower - 1e-6) and np.all(y <= upper + 1e-6)
    assert np.any(y > 1.0)  # it builds something: the battery and condensers of the hourly plan


@pytest.mark.parametrize("dispatch", ["simplex", "ipm"])
def test_a_looser_gap_is_proven_against_the_monolithic_least_cost(dispatch):
    """benders(gap_tolerance=...), as bench/bench_plan.py --gap measures it: its bounds hold the
    monolithic least cost, its best plan costs at most the stated share above it, and it stops
    sooner than the exact loop."""
    lp, h = _loaded()
    h.run()
    optimum = h.getInfo().objective_function_value
    exact = decomposition.benders(h, lp)
    loose = decomposition.benders(h, lp, gap_tolerance=1e-2, dispatch=dispatch)
    assert loose.gap <= 1e-2 and loose.iterations < exact.iterations
    assert loose.lower <= optimum * (1 + 1e-9) and loose.upper >= optimum * (1 - 1e-9)
    assert loose.upper - optimum <= 1e-2 * loose.upper
    assert exact.upper == pytest.approx(optimum, rel=1e-6)
