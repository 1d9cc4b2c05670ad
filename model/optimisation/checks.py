"""Every run checks itself, from the solution alone, without trusting the solver's status:

- every number is finite: values, duals, objective and the reported flows;
- the energy balance recomputed from the reported flows;
- the LP's bounds and rows against the solution (primal feasibility);
- the objective equals c x + offset recomputed from the solution;
- optimality, by an LP's certificate recomputed from the arrays: the reduced costs
  d = c - A'y (HiGHS's signs: a positive dual holds at a lower bound) have the sign their
  bounds allow (dual feasibility), and the duals times the distances from their bounds sum to
  a negligible share of the objective (complementary slackness, the duality gap);
- HiGHS's own verdict: both solutions feasible and its largest infeasibilities within tolerance.

A failed check is printed loudly and the run exits 1.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

BALANCE_TOLERANCE_MW = 1e-3
FEASIBILITY_TOLERANCE = 1e-5  # relative to the size of the bound
OBJECTIVE_TOLERANCE = 1e-7  # relative to 1 + sum |c_j x_j| + |offset|
DUAL_TOLERANCE = 1e-6  # a wrong-signed dual, relative to 1 + the largest cost
GAP_TOLERANCE = 1e-6  # the duality gap, relative to 1 + sum |c_j x_j| + |offset|
SOLVER_TOLERANCE = 1e-6  # HiGHS's largest infeasibility, relative to 1 + the largest bound or cost


def energy_balance(rep) -> tuple[float, dict]:
    """Largest hourly residual of sum of injections at a bus (MW), overall and by bus."""
    by_bus = {}
    for bus, parts in rep.injections.items():
        residual = np.sum([v for _, v in parts], axis=0)
        by_bus[bus] = float(np.max(np.abs(residual))) if np.size(residual) else 0.0
    return (max(by_bus.values()) if by_bus else 0.0), by_bus


def _violation(value, lower, upper):
    scale = 1.0 + np.abs(_finite(lower)) + np.abs(_finite(upper))
    excess = np.maximum(lower - value, 0.0) + np.maximum(value - upper, 0.0)
    return float(np.max(excess / scale)) if excess.size else 0.0


def _finite(a):
    return np.where(np.isfinite(a), a, 0.0)


def _largest(a) -> float:
    return float(np.max(np.abs(a))) if np.size(a) else 0.0


def not_finite(sol, rep) -> list[str]:
    """What holds NaN or an infinity: parts of the solution, then reported columns."""
    parts = {"the primal values": sol.x, "the row duals": sol.row_dual,
             "the reduced costs": sol.col_dual, "the objective": [sol.objective]}
    bad = [f"{name} ({int(np.sum(~np.isfinite(v)))} entries)" for name, v in parts.items()
           if not np.all(np.isfinite(v))]
    reported = dict(rep.hourly)
    for category, by_name in rep.series.items():
        reported.update({f"{category}/{name}": v for name, v in by_name.items()})
    for bus, parts in rep.injections.items():
        reported.update({f"{bus} injection {column}": v for column, v in parts})
    bad += [f"the reported {name}" for name, v in reported.items() if not np.all(np.isfinite(v))]
    return bad


def with_stage_rows(c, sol):
    """The LP the solution is optimal for: in max-export, the arrays with the stages' extra rows."""
    A, lower, upper, y = c.A, c.row_lower, c.row_upper, sol.row_dual
    for cols, coefs, bound, dual in sol.stage_rows:
        row = sp.csr_matrix((coefs, (np.zeros(len(cols), dtype=int), cols)), shape=(1, c.shape[1]))
        A = sp.vstack([A, row]).tocsc()
        lower, upper = np.append(lower, -np.inf), np.append(upper, bound)
        y = np.append(y, dual)
    return A, lower, upper, y


def optimality(c, sol, A, row_lower, row_upper, y) -> tuple[float, float]:
    """(largest wrong-signed dual relative to 1 + max |c|, duality gap relative to the
    objective's terms), recomputed from the arrays of ``with_stage_rows``."""
    d = c.c - A.T @ y
    activity = A @ sol.x
    wrong, gap = [], 0.0
    for dual, value, lower, upper in ((y, activity, row_lower, row_upper),
                                      (d, sol.x, c.col_lower, c.col_upper)):
        up, down = np.maximum(dual, 0.0), np.maximum(-dual, 0.0)
        # a positive dual needs a finite lower bound, a negative one a finite upper bound
        wrong.append(np.where(np.isfinite(lower), 0.0, up)
                     + np.where(np.isfinite(upper), 0.0, down))
        gap += float(np.sum(up * np.abs(value - _finite(lower)) * np.isfinite(lower)))
        gap += float(np.sum(down * np.abs(_finite(upper) - value) * np.isfinite(upper)))
    return max(map(_largest, wrong)) / (1.0 + _largest(c.c)), gap / _terms(c, sol.x)


def objective_error(c, sol) -> float:
    """The reported objective against c x + offset, relative to the objective's terms."""
    return abs(sol.objective - (float(c.c @ sol.x) + c.offset)) / _terms(c, sol.x)


def _terms(c, x) -> float:
    """The objective's size, which no cancellation between costs and revenues can make small."""
    return 1.0 + float(np.sum(np.abs(c.c * x))) + abs(c.offset)


def solver_problems(c, report: dict) -> list[str]:
    """HiGHS's statuses and largest infeasibilities, as it reports them."""
    if not report:
        return []
    problems = [f"HiGHS calls the {kind} solution '{report[f'{kind}_status']}'"
                for kind in ("primal", "dual") if report[f"{kind}_status"] != "Feasible"]
    bounds = np.concatenate([c.col_lower, c.col_upper, c.row_lower, c.row_upper])
    scales = {"primal": 1.0 + _largest(_finite(bounds)), "dual": 1.0 + _largest(c.c)}
    for kind, scale in scales.items():
        value = report[f"max_{kind}_infeasibility"]
        if not value <= SOLVER_TOLERANCE * scale:  # also NaN
            problems.append(f"HiGHS reports a {kind} infeasibility of {value:.3g}")
    return problems


def run_checks(lp, sol, rep) -> dict:
    c = lp.compiled
    unfinite = not_finite(sol, rep)
    if unfinite:  # nothing below means anything on such numbers
        nan = float("nan")
        more = f" and {len(unfinite) - 6} more" if len(unfinite) > 6 else ""
        return {"ok": False, "problems": ["NaN or infinity in " + ", ".join(unfinite[:6]) + more],
                "balance_max_abs_mw": nan, "balance_by_bus_mw": {}, "bound_violation_rel": nan,
                "row_violation_rel": nan, "objective_error_rel": nan, "dual_infeasibility_rel": nan,
                "duality_gap_rel": nan, "solver": sol.solver}
    balance, by_bus = energy_balance(rep)
    bounds = _violation(sol.x, c.col_lower, c.col_upper)
    A, row_lower, row_upper, y = with_stage_rows(c, sol)
    rows = _violation(A @ sol.x, row_lower, row_upper)
    objective = objective_error(c, sol)
    dual, gap = optimality(c, sol, A, row_lower, row_upper, y)
    problems = []
    if balance > BALANCE_TOLERANCE_MW:
        worst = max(by_bus, key=by_bus.get)
        problems.append(f"energy balance at bus {worst} is off by {balance:.3g} MW")
    if bounds > FEASIBILITY_TOLERANCE:
        problems.append(f"a variable is outside its bounds by {bounds:.3g} (relative)")
    if rows > FEASIBILITY_TOLERANCE:
        problems.append(f"a constraint is violated by {rows:.3g} (relative)")
    if objective > OBJECTIVE_TOLERANCE:
        problems.append(f"the reported objective differs from c x + offset by {objective:.3g} "
                        "(relative)")
    if dual > DUAL_TOLERANCE:
        problems.append(f"not optimal: a dual has the wrong sign by {dual:.3g} (relative)")
    if gap > GAP_TOLERANCE:
        problems.append(f"not optimal: the duality gap is {gap:.3g} of the objective")
    problems += solver_problems(c, sol.solver)
    return {"ok": not problems, "problems": problems, "balance_max_abs_mw": balance,
            "balance_by_bus_mw": by_bus, "bound_violation_rel": bounds, "row_violation_rel": rows,
            "objective_error_rel": objective, "dual_infeasibility_rel": dual,
            "duality_gap_rel": gap, "solver": sol.solver}
