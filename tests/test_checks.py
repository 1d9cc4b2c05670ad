"""The self-check cannot be fooled: a real optimum passes, and every corrupted or non-optimal
solution (a NaN, a nudged value, a wrong objective, a basis stopped early, another point's
optimum) fails with a named problem; printing such a run's summary never crashes."""

import dataclasses

import numpy as np
import pytest

from model.cli import main
from model.inputs import scenario
from model.optimisation import checks, solve
from model.optimisation.build import build
from model.optimisation.resolve import Resolver
from model.outputs import results
from tests.conftest import ROOT

RICH = ROOT / "tests" / "scenarios" / "rich_day.yaml"


def solved(mode="dispatch", overrides=()):
    return Resolver().solve(scenario.load(RICH, list(overrides)), mode)


@pytest.fixture(scope="module")
def optimum():
    return solved()


def check(point, sol=None, rep=None):
    sol = sol or point.solution
    rep = rep or results.collect(point.built, sol)
    return checks.run_checks(point.built.lp, sol, rep)


def problems(result) -> str:
    assert result["ok"] is False
    return "; ".join(result["problems"])


@pytest.mark.parametrize("mode", ["dispatch", "target", "max-export", "plan"])
def test_a_real_optimum_passes(mode):
    result = check(solved(mode))
    assert result["ok"], result["problems"]
    # the tie-break stage may spend up to its tolerance of the least cost (model/optimisation/solve.py)
    assert result["duality_gap_rel"] < 2 * solve.TIE_BREAK_TOLERANCE
    assert result["objective_error_rel"] < 1e-12
    assert result["solver"]["primal_status"] == result["solver"]["dual_status"] == "Feasible"


@pytest.mark.parametrize("field, where", [
    ("x", "the primal values"), ("row_dual", "the row duals"), ("col_dual", "the reduced costs"),
    ("objective", "the objective")])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_the_solution_fails(optimum, field, where, bad):
    value = getattr(optimum.solution, field)
    if np.ndim(value):
        value = value.copy()
        value[len(value) // 2] = bad
    else:
        value = bad
    result = check(optimum, dataclasses.replace(optimum.solution, **{field: value}))
    assert f"NaN or infinity in {where}" in problems(result)


def test_nan_in_a_reported_flow_fails(optimum):
    rep = results.collect(optimum.built, optimum.solution)
    column = next(iter(rep.hourly))
    rep.hourly[column] = np.where(np.arange(rep.n) == 1, np.nan, rep.hourly[column])
    assert f"the reported {column}" in problems(check(optimum, rep=rep))


def test_a_nudged_solution_fails(optimum):
    x = optimum.solution.x * (1 + 1e-3)
    text = problems(check(optimum, dataclasses.replace(optimum.solution, x=x)))
    assert "a constraint is violated" in text


def test_a_wrong_objective_fails(optimum):
    wrong = dataclasses.replace(optimum.solution, objective=optimum.solution.objective * (1 + 1e-5))
    assert "the reported objective differs from c x + offset" in problems(check(optimum, wrong))


def test_another_points_optimum_is_feasible_but_fails(optimum):
    """The optimum of other fuel prices satisfies every row and bound of this point and its
    objective is made consistent: only the duals show that it is not this point's optimum."""
    other = solved(overrides=[("coal.k.fuel_price_cny_per_tce", 2000)]).solution
    c = optimum.built.lp.compiled
    foreign = dataclasses.replace(optimum.solution, x=other.x, row_dual=other.row_dual,
                                  col_dual=other.col_dual,
                                  objective=float(c.c @ other.x) + c.offset)
    result = check(optimum, foreign)
    text = problems(result)
    assert "not optimal" in text
    assert not any(word in text for word in ("violated", "outside its bounds", "objective differs"))


@pytest.fixture(scope="module")
def day():
    return build(scenario.load(RICH))


def stopped_points(point, limit_key, limits, **options):
    """The points HiGHS holds when an iteration limit stops it (presolve off, so that each is the
    model's own point), each passed off as optimal; until a limit lets it reach the optimum."""
    for limit in limits:
        h = solve.new_highs(point.ctx.values["solver"])
        solve.handoff(h, point.lp)
        for key, value in {"presolve": "off", limit_key: limit, **options}.items():
            h.setOptionValue(key, value)
        h.run()
        if h.modelStatusToString(h.getModelStatus()) != "Iteration limit reached":
            return
        yield dataclasses.replace(solve.read_solution(h, point.lp), status="Optimal")


@pytest.mark.parametrize("trust_highs", [True, False],
                         ids=["with-highs-report", "own-certificate-only"])
def test_a_feasible_basis_stopped_early_fails(day, trust_highs):
    """Primal simplex stopped in phase 2: every row and bound holds, the objective is c x, and
    only optimality is missing. It fails on HiGHS's dual status, and on the recomputed duals alone
    when HiGHS's report is withheld."""
    stops = stopped_points(day, "simplex_iteration_limit", range(25, 5000, 25), solver="simplex",
                           simplex_strategy=4)  # primal simplex: feasible once out of phase 1
    sol = next((s for s in stops if s.solver["primal_status"] == "Feasible"), None)
    assert sol is not None, "primal simplex never stopped at a feasible, non-optimal basis"
    if not trust_highs:
        sol = dataclasses.replace(sol, solver={})
    result = checks.run_checks(day.lp, sol, results.collect(day, sol))
    text = problems(result)
    assert "not optimal: a dual has the wrong sign" in text
    assert ("HiGHS calls the dual solution 'Infeasible'" in text) == trust_highs
    assert max(result["row_violation_rel"], result["bound_violation_rel"]) < 1e-9


def test_interior_points_stopped_early_fail_unless_optimal_within_tolerance(day):
    """Interior point without crossover, stopped after 1, 2, ... iterations: each point fails the
    check or is the optimum within the stated tolerance; and some that HiGHS calls feasible
    (both solutions) fail on the duality gap alone."""
    optimum = Resolver().solve(scenario.load(RICH)).solution.objective
    caught_alone = []  # iteration counts
    for iterations, sol in enumerate(stopped_points(day, "ipm_iteration_limit", range(1, 100),
                                                    solver="ipx", run_crossover="off"), 1):
        result = checks.run_checks(day.lp, sol, results.collect(day, sol))
        if result["ok"]:
            assert sol.objective == pytest.approx(optimum, rel=checks.GAP_TOLERANCE)
        highs_content = sol.solver["primal_status"] == sol.solver["dual_status"] == "Feasible"
        if highs_content and "not optimal: the duality gap" in "; ".join(result["problems"]):
            caught_alone.append(iterations)
    assert caught_alone


def test_highs_reporting_infeasibility_fails(optimum):
    report = dict(optimum.solution.solver, max_primal_infeasibility=1e3,
                  max_dual_infeasibility=float("nan"))
    text = problems(check(optimum, dataclasses.replace(optimum.solution, solver=report)))
    assert "HiGHS reports a primal infeasibility of 1e+03" in text
    assert "HiGHS reports a dual infeasibility of nan" in text


def test_max_export_is_checked_with_its_second_stage_row():
    """Stage 2's optimum is optimal only with the row that holds stage 1's export: the check
    must use it (dropping it shows wrong-signed duals), and the row must not let cost buy export."""
    point = solved("max-export")
    assert check(point)["ok"]
    text = problems(check(point, dataclasses.replace(point.solution, stage_rows=[])))
    assert "not optimal" in text


def test_max_export_does_not_depend_on_a_cost_offset():
    """A curtailment penalty puts a constant into the objective; stage 1's row must leave it out,
    or stage 2 trades export for cost (HiGHS's objective includes the constant)."""
    plain = solved("max-export")
    penalised = solved("max-export", [("system.curtailment_penalty_cny_per_mwh", 500)])
    assert penalised.built.lp.compiled.offset > 0
    export = [results.summary(p.built, p.solution, results.collect(p.built, p.solution),
                              check(p), {})["export_mwh"] for p in (plain, penalised)]
    assert export[1] == pytest.approx(export[0], rel=1e-7)


@pytest.fixture
def nan_solutions(monkeypatch):
    """Every solve from here on returns NaN values and objective."""
    real = solve.solve_loaded

    def corrupted(h, lp, ctx, *more):
        sol, seconds = real(h, lp, ctx, *more)
        return dataclasses.replace(sol, x=np.full_like(sol.x, np.nan), objective=np.nan), seconds

    monkeypatch.setattr(solve, "solve_loaded", corrupted)


def test_a_run_with_nan_fails_and_prints(tmp_path, nan_solutions, capsys):
    """NaN in the solution: exit 1 with the summary printed, its numbers as nan, never a crash;
    no meeting report of it, now or later, alone or compared."""
    out_dir = tmp_path / "out"
    assert main([str(RICH), "--out", str(out_dir)]) == 1
    out = capsys.readouterr().out
    assert "THE SELF-CHECK FAILED" in out and "NaN or infinity in the primal values" in out
    assert "Export              nan TWh" in out
    assert not (out_dir / "report").exists(), "a run that failed its check gets no meeting report"
    compare = ["compare", str(out_dir), "--out", str(tmp_path / "c")]
    for command in (["report", str(out_dir)], compare):
        assert main(command) == 2
        assert "failed its self-check" in capsys.readouterr().err


def test_a_target_curve_with_an_unchecked_level_fails(tmp_path, nan_solutions, capsys):
    out_dir = tmp_path / "curve"
    command = ["target-curve", str(RICH), "--from", "20", "--to", "22", "--out", str(out_dir)]
    assert main(command) == 1
    assert "target 20.0 TWh failed the self-check: NaN or infinity" in capsys.readouterr().err
    assert not out_dir.exists()
