"""The array path and the Pyomo path compile the same declarations to the same LP.

The array path (the default) never builds Pyomo components; the Pyomo path builds a ConcreteModel
and lets Pyomo's LinearStandardFormCompiler read it. Equal matrices, costs, offsets, bounds and
right-hand sides, and equal row and column numbers by block, for every bundled scenario (years
cut to 48 hours, one segmented; the full default year once) say that the fast path is the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from model.cli import main
from model.inputs import scenario
from model.optimisation import build as builder
from model.optimisation.lp import Compiled, LinearProgram, linear
from model.optimisation.lp_arrays import Col
from model.optimisation.solve import TIE_BREAK_TOLERANCE, solve
from tests.conftest import ROOT

SHORT = [("time.hours", 48)]
CASES = ([(p, SHORT) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
         + [(p, []) for p in sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))]
         + [(ROOT / "scenarios" / "jiuquan_2019_plan.yaml",
             [("time.hours", 72), ("time.segments_per_day", 4)]),
            (ROOT / "scenarios" / "jiuquan_2019_all_levers.yaml", [*SHORT, ("mode", "max-export")])])


def both(path, overrides, mode=None):
    sc = scenario.load(path, overrides)
    return builder.build(sc, mode, backend="arrays").lp, builder.build(sc, mode, backend="pyomo").lp


def assert_same_lp(fast, ref):
    a, b = fast.compiled, ref.compiled
    assert a.shape == b.shape
    assert (a.A != b.A).nnz == 0
    for name in Compiled.__dataclass_fields__:
        if name != "A":
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for kind in ("vars", "cons"):
        assert list(getattr(fast, kind)) == list(getattr(ref, kind))
    for name, block in fast.vars.items():
        np.testing.assert_array_equal(block.cols, ref.vars[name].cols, err_msg=name)
    for name, block in fast.cons.items():
        np.testing.assert_array_equal(block.rows, ref.cons[name].rows, err_msg=name)


@pytest.mark.parametrize("path, overrides", CASES,
                         ids=[f"{Path(p).stem}{'-' + str(o[-1][1]) if o else ''}" for p, o in CASES])
def test_array_build_equals_the_pyomo_build(path, overrides):
    assert_same_lp(*both(path, overrides))


def test_the_default_year_is_the_same_lp_on_both_paths():
    assert_same_lp(*both(ROOT / "scenarios" / "jiuquan_2019.yaml", []))


def test_names_and_solutions_agree():
    fast, ref = both(ROOT / "tests" / "scenarios" / "rich_day.yaml", [])
    n_row, n_col = fast.compiled.shape
    assert [fast.row_name(r) for r in range(n_row)] == [ref.row_name(r) for r in range(n_row)]
    assert [fast.col_name(c) for c in range(n_col)] == [ref.col_name(c) for c in range(n_col)]


def test_the_pyomo_model_solves_through_a_pyomo_solver_to_the_same_objective():
    pyo = pytest.importorskip("pyomo.environ")
    path = ROOT / "tests" / "scenarios" / "rich_day.yaml"
    sc = scenario.load(path)
    built = builder.build(sc)
    ours, _ = solve(built.lp, built.ctx)
    model = builder.pyomo_model(sc)
    result = pyo.SolverFactory("appsi_highs").solve(model)
    assert str(result.solver.termination_condition) == "optimal"
    # the reported dispatch (the tie-break's) may cost up to TIE_BREAK_TOLERANCE above the least
    # cost, which Pyomo's solve reports; 0.08 CNY of 83 million on this day
    least = pyo.value(model.component("System-cost"))
    assert least - 1e-6 <= ours.objective <= least + 2 * TIE_BREAK_TOLERANCE * abs(least) + 1e-6
    assert model.component("Bus-balance") is not None and model.component("VRE-p") is not None


def test_rules_may_use_operators_on_columns():
    a, b = Col(0), Col(1)
    e = np.float64(2.0) * (a - b) + sum([a, b]) / 2 - b
    assert e.cols == [0, 1, 0, 1, 1] and e.coefs == [2.0, -2.0, 0.5, 0.5, -1.0] and e.const == 0.0
    with pytest.raises(TypeError, match="linear"):
        a * b


def test_a_rule_with_a_constant_or_without_variables():
    lp = LinearProgram(2, np.ones(2))
    x = lp.var("X-p", ["u"])
    with pytest.raises(ValueError, match="rhs"):
        lp.con("X-bad", ["u"], lambda u, t: x[u, t] - 1.0, "<=")
    lp.con("X-empty", ["u"], lambda u, t: linear([], []), "<=", 1.0)  # holds: left out
    assert (lp.cons["X-empty"].rows == -1).all()
    with pytest.raises(ValueError, match="cannot hold"):
        lp.con("X-never", ["u"], lambda u, t: linear([], []), ">=", 1.0)


def test_run_pyomo_solves_through_the_pyomo_build(tmp_path, capsys):
    path = str(ROOT / "tests" / "scenarios" / "rich_day.yaml")
    for flag, out in (([], "fast"), (["--pyomo"], "ref")):
        assert main([path, *flag, "--no-report", "--out", str(tmp_path / out)]) == 0
    fast, ref = (json.loads((tmp_path / d / "summary.json").read_text(encoding="utf-8"))
                 for d in ("fast", "ref"))
    assert fast["objective_cny"] == ref["objective_cny"] and fast["lp_size"] == ref["lp_size"]


def test_handoff_gives_highs_the_compiled_lp():
    """HiGHS holds exactly the compiled arrays after the handoff, every column continuous."""
    import highspy

    from model.optimisation import solve as solving

    lp = builder.build(scenario.load(ROOT / "scenarios" / "jiuquan_2019_plan.yaml", SHORT)).lp
    c, h = lp.compiled, highspy.Highs()
    h.setOptionValue("output_flag", False)
    solving.handoff(h, lp)
    held = h.getLp()
    for name, ref in (("col_cost_", c.c), ("col_lower_", c.col_lower), ("col_upper_", c.col_upper),
                      ("row_lower_", c.row_lower), ("row_upper_", c.row_upper)):
        np.testing.assert_array_equal(np.asarray(getattr(held, name)), ref, err_msg=name)
    m = held.a_matrix_
    np.testing.assert_array_equal(np.asarray(m.start_), c.A.indptr)
    np.testing.assert_array_equal(np.asarray(m.index_), c.A.indices)
    np.testing.assert_array_equal(np.asarray(m.value_), c.A.data)
    assert held.offset_ == c.offset
    assert all(v == highspy.HighsVarType.kContinuous for v in held.integrality_)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().mip_node_count == -1  # solved as an LP, not a MIP
