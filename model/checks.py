"""Every run checks itself: the energy balance recomputed from the reported flows, and the LP's
bounds and rows against the solution. A failed check is printed loudly and the run exits 1."""

from __future__ import annotations

import numpy as np

BALANCE_TOLERANCE_MW = 1e-3
FEASIBILITY_TOLERANCE = 1e-5  # relative to the size of the bound


def energy_balance(rep) -> tuple[float, dict]:
    """Largest hourly residual of sum of injections at a bus (MW), overall and by bus."""
    by_bus = {}
    for bus, parts in rep.injections.items():
        residual = np.sum([v for _, v in parts], axis=0)
        by_bus[bus] = float(np.max(np.abs(residual))) if np.size(residual) else 0.0
    return (max(by_bus.values()) if by_bus else 0.0), by_bus


def _violation(value, lower, upper):
    scale = 1.0 + np.abs(np.where(np.isfinite(lower), lower, 0.0)) + np.abs(np.where(np.isfinite(upper), upper, 0.0))
    excess = np.maximum(lower - value, 0.0) + np.maximum(value - upper, 0.0)
    return float(np.max(excess / scale)) if excess.size else 0.0


def run_checks(lp, sol, rep) -> dict:
    c = lp.compiled
    balance, by_bus = energy_balance(rep)
    bounds = _violation(sol.x, c.col_lower, c.col_upper)
    rows = _violation(c.A @ sol.x, c.row_lower, c.row_upper)
    problems = []
    if balance > BALANCE_TOLERANCE_MW:
        worst = max(by_bus, key=by_bus.get)
        problems.append(f"energy balance at bus {worst} is off by {balance:.3g} MW")
    if bounds > FEASIBILITY_TOLERANCE:
        problems.append(f"a variable is outside its bounds by {bounds:.3g} (relative)")
    if rows > FEASIBILITY_TOLERANCE:
        problems.append(f"a constraint is violated by {rows:.3g} (relative)")
    return {"ok": not problems, "problems": problems, "balance_max_abs_mw": balance,
            "balance_by_bus_mw": by_bus, "bound_violation_rel": bounds, "row_violation_rel": rows}
