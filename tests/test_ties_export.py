"""What the least cost leaves open among export lines, decided by documented rules
(model/optimisation/ties.py, stages 7 and 8), and interior point without presolve, after which
HiGHS 1.15.1 segfaulted reading the basis (solve.penalty_term). Every expected figure is derived
by hand in the docstring. One bus, one hour, coal at 100 CNY/MWh the only supply, plan mode's
least cost (revenue not in the objective): each line's flow costs nothing, so the target fixes
the total sent and every split of it costs the same 100 CNY/MWh."""

import json
import subprocess
import sys

import pytest

from model.optimisation import solve as solver
from tests.conftest import ROOT, base, coal, target_twh, write_scenario

METHODS = ["simplex", "ipm", pytest.param("hipo", marks=pytest.mark.skipif(
    not solver.hipo_available(), reason="highspy-extras (HiPO) is not installed"))]
# Run in a fresh process: an interior-point run without presolve killed the process (SIGSEGV)
# before penalty_term handed HiGHS its basis back, which would take pytest down with it.
SUMMARY = """import json, sys
from model.analyses.pipeline import run
s = run(sys.argv[1], overrides=[tuple(o) for o in json.loads(sys.argv[2])], write=False).summary
print(json.dumps(s, default=str))"""


def summary(tmp_path, data, overrides=()) -> dict:
    path = write_scenario(tmp_path, data)
    done = subprocess.run([sys.executable, "-c", SUMMARY, str(path), json.dumps(list(overrides))],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    return json.loads(done.stdout.splitlines()[-1])


def lines_case(lines: dict, target_mwh: float, reverse=False, mode="plan", cost=100) -> dict:
    """``lines`` at the one bus, coal 1,000 MW at ``cost`` CNY/MWh, ``target_mwh`` in one hour."""
    if reverse:
        lines = dict(reversed(list(lines.items())))
    data = base(1, coal={"c": coal(1000, cost)}, export_lines=lines,
                target={"export_twh": target_twh(target_mwh, 1), "shortfall_penalty_cny_per_mwh": 10000})
    data["mode"] = mode
    return data


# Qishao's and the Hexi 750 kV's losses, prices and tariffs (scenarios/jiuquan_2019.yaml): far
# nets (1 - 0.07) 450 - 60 = 358.5 CNY/MWh, near (1 - 0.03) 307.8 - 20 = 278.566.
FAR = {"capacity_mw": 500, "loss": 0.07, "price_cny_per_mwh": 450, "tariff_cny_per_mwh": 60}
NEAR = {"capacity_mw": 300, "loss": 0.03, "price_cny_per_mwh": 307.8, "tariff_cny_per_mwh": 20}


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("presolve", ["on", "off"])
@pytest.mark.parametrize("method", METHODS)
def test_export_goes_by_the_lines_that_lose_least(tmp_path, method, presolve, reverse):
    """400 MWh to send: every split costs 40,000 CNY. Stage 7 minimises 0.07 far + 0.03 near
    with far + near = 400 and near <= 300: near at its 300 MW, far 100; lost 0.03 x 300 + 0.07
    x 100 = 16 MWh. Far earns more (358.5 against 278.6 CNY/MWh), which the least cost leaves
    out: reported revenue 100 x 358.5 + 300 x 278.566 = 119,419.8 CNY."""
    s = summary(tmp_path, lines_case({"far": FAR, "near": NEAR}, 400, reverse),
                [("solver.method", method), ("solver.presolve", presolve)])
    assert s["checks"]["ok"], s["checks"]["problems"]
    assert s["export_by_line_mwh"]["near"] == pytest.approx(300, abs=1e-6)
    assert s["export_by_line_mwh"]["far"] == pytest.approx(100, abs=1e-6)
    assert s["export_loss_mwh"] == pytest.approx(16, abs=1e-6)
    assert s["objective_cny"] == pytest.approx(40000, rel=1e-9)
    assert sum(s["export_revenue_cny"].values()) == pytest.approx(100 * 358.5 + 300 * 278.566)
    assert s["tie_break"] == "optimal"


def test_where_revenue_is_in_the_objective_it_decides(solve):
    """Target mode counts revenue, and coal at 300 CNY/MWh: far nets 358.5, so it sends its 500
    MW (more than the 400 MWh target), whatever it loses; near's 278.6 does not pay for the coal,
    so it sends nothing, though it loses less. Lost 0.07 x 500 = 35 MWh."""
    s = solve(lines_case({"far": FAR, "near": NEAR}, 400, mode="target", cost=300)).summary
    assert s["export_by_line_mwh"]["far"] == pytest.approx(500, abs=1e-6)
    assert s["export_by_line_mwh"]["near"] == pytest.approx(0, abs=1e-6)
    assert s["export_loss_mwh"] == pytest.approx(35, abs=1e-6)


EQUAL = {"a": {"capacity_mw": 300, "loss": 0.03}, "b": {"capacity_mw": 200, "loss": 0.03,
                                                          "availability": 0.5},
         "c": {"capacity_mw": 500, "loss": 0.07}}


@pytest.mark.parametrize("presolve", ["on", "off"])
@pytest.mark.parametrize("method", METHODS)
def test_lines_of_one_loss_share_in_proportion_to_their_available_capacity(tmp_path, method,
                                                                          presolve):
    """200 MWh to send. Stage 7 leaves c (7%) unused and a + b = 200 (3%), flat between them;
    stage 8's |a_b f_a - a_a f_b| over their available 300 and 0.5 x 200 = 100 MW (a = 3/4 and
    1/4) is 0 only at f_a / 300 = f_b / 100: 150 and 50 MW; lost 0.03 x 200 = 6 MWh."""
    s = summary(tmp_path, lines_case(EQUAL, 200),
                [("solver.method", method), ("solver.presolve", presolve)])
    assert s["checks"]["ok"], s["checks"]["problems"]
    assert s["export_by_line_mwh"] == pytest.approx({"a": 150, "b": 50, "c": 0}, abs=1e-6)
    assert s["export_loss_mwh"] == pytest.approx(6, abs=1e-6)
    assert [r["stage"] for r in s["checks"]["solver"]["tie_break_stages"]] == ["export", "lines"]
    assert s["tie_break"] == "optimal"


def test_an_extendable_line_leaves_its_group_open(solve):
    """b may be extended (plan mode, build_max_mw): its available MW is a variable, so stage 8
    has no shares to split a + b = 200 by; the group is left out and the summary says so.
    Stage 7 still keeps c unused (lost 0.03 x 200 = 6 MWh); nothing is built (a and b carry
    the 200 MW as they are)."""
    lines = {**EQUAL, "b": {**EQUAL["b"], "build_max_mw": 100, "capital_cost_cny_per_kw": 100,
                            "fixed_om_cny_per_kw_yr": 0, "lifetime_years": 10}}
    s = solve(lines_case(lines, 200)).summary
    assert s["export_by_line_mwh"]["c"] == pytest.approx(0, abs=1e-6)
    assert s["export_loss_mwh"] == pytest.approx(6, abs=1e-6)
    assert s["additions"][0]["added"] == pytest.approx(0, abs=1e-6)
    assert [r["stage"] for r in s["checks"]["solver"]["tie_break_stages"]] == ["export"]
    assert s["tie_break"] == ("optimal; left open: the split of export among a, b at jiuquan (one "
                              "loss, 0.03; b may be extended: its available MW is not data)")
