"""Hand the compiled LP to HiGHS as arrays, solve it in the scenario's mode, read values and duals."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager

import highspy
import numpy as np

from . import modes
from .errors import SolveError
from .lp import LinearProgram, Solution

# Relative slack on the stage-1 optimum in max-export: enough for HiGHS's tolerances, small
# enough that stage 2 cannot buy cost savings with export (3e-2 MWh on a 30 TWh year).
LEXICOGRAPHIC_TOLERANCE = 1e-9
TIE_BREAK_TOLERANCE = 1e-9


@contextmanager
def _stdout_silenced():
    """HiGHS prints its banner from C++ on construction, before any option can switch it off."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def new_highs(options: dict, log=False) -> highspy.Highs:
    with _stdout_silenced():
        h = highspy.Highs()
    h.setOptionValue("output_flag", bool(log))
    h.setOptionValue("solver", options["method"])
    h.setOptionValue("time_limit", float(options["time_limit_s"]))
    if options["threads"]:
        h.setOptionValue("threads", int(options["threads"]))
    return h


def handoff(h: highspy.Highs, lp: LinearProgram):
    c = lp.compiled
    hl = highspy.HighsLp()
    n_row, n_col = c.shape
    hl.num_col_, hl.num_row_ = n_col, n_row
    hl.col_cost_, hl.offset_ = c.c, c.offset
    hl.col_lower_, hl.col_upper_ = c.col_lower, c.col_upper
    hl.row_lower_, hl.row_upper_ = c.row_lower, c.row_upper
    hl.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    hl.a_matrix_.num_col_, hl.a_matrix_.num_row_ = n_col, n_row
    hl.a_matrix_.start_ = c.A.indptr.astype(np.int32)
    hl.a_matrix_.index_ = c.A.indices.astype(np.int32)
    hl.a_matrix_.value_ = c.A.data
    h.passModel(hl)


def push_numbers(h: highspy.Highs, lp: LinearProgram):
    """Send the LP's current bounds, costs and right-hand sides to a loaded HiGHS model; HiGHS
    keeps its basis, so the next run starts warm."""
    c = lp.compiled
    n_row, n_col = c.shape
    cols = np.arange(n_col, dtype=np.int32)
    rows = np.arange(n_row, dtype=np.int32)
    h.changeColsBounds(n_col, cols, c.col_lower, c.col_upper)
    h.changeColsCost(n_col, cols, c.c)
    h.changeRowsBounds(n_row, rows, c.row_lower, c.row_upper)
    h.changeObjectiveOffset(c.offset)


def _run(h: highspy.Highs, lp: LinearProgram, stage: str):
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolveError(f"HiGHS stopped {stage}with status '{h.modelStatusToString(status)}'. "
                         + diagnose(h, lp, status))


def solve(lp: LinearProgram, ctx, log=False) -> tuple[Solution, float]:
    """Solve in ``ctx.mode``; returns the solution and the solver's own time in seconds."""
    h = new_highs(ctx.values["solver"], log)
    handoff(h, lp)
    return solve_loaded(h, lp, ctx)


def solve_loaded(h: highspy.Highs, lp: LinearProgram, ctx) -> tuple[Solution, float]:
    """Solve an LP already handed to ``h``."""
    t0 = time.perf_counter()
    if ctx.mode == "max-export":
        n = lp.compiled.shape[1]
        idx = np.arange(n, dtype=np.int32)
        _max_export_stages(h, lp, ctx)
        h.changeColsCost(n, idx, lp.compiled.c)
        h.changeObjectiveOffset(lp.compiled.offset)
        _run(h, lp, "in stage 2 of max-export (least cost) ")
    else:
        _run(h, lp, "")
    sol = h.getSolution()
    n_row = lp.compiled.shape[0]
    solution = Solution(lp, np.asarray(sol.col_value), np.asarray(sol.row_dual)[:n_row],
                        np.asarray(sol.col_dual), h.getInfo().objective_function_value,
                        h.modelStatusToString(h.getModelStatus()))
    solution.energy_row_dual = _energy_prices(h, lp, solution) if h.getNumRow() == n_row else None
    solution.x = _tie_break(h, lp, solution)  # within max-export's stages, which it keeps
    if h.getNumRow() > n_row:  # leave the model as it was handed over
        h.deleteRows(h.getNumRow() - n_row, np.arange(n_row, h.getNumRow(), dtype=np.int32))
    solution.tied_options = _tied_options(h, lp, solution) if ctx.mode == "plan" else None
    solution.ceiling_mwh = _ceiling(h, lp, ctx, solution)
    solve_s = time.perf_counter() - t0
    return solution, solve_s


def _max_export_stages(h: highspy.Highs, lp: LinearProgram, ctx) -> float:
    """Run max-export's stages 0 and 1 (modes.max_export_stages), each kept by an added row;
    returns the ceiling, in the target's measure (MWh). The caller restores costs and rows."""
    n = lp.compiled.shape[1]
    idx = np.arange(n, dtype=np.int32)
    z = 0.0
    for label, cost in modes.max_export_stages(lp, ctx):
        h.changeColsCost(n, idx, cost)
        h.changeObjectiveOffset(0.0)
        _run(h, lp, f"in {label} ")
        z = h.getInfo().objective_function_value
        nz = np.flatnonzero(cost).astype(np.int32)
        if nz.size:  # keep this stage's optimum in the next ones
            h.addRow(-highspy.kHighsInf, z + LEXICOGRAPHIC_TOLERANCE * max(1.0, abs(z)), len(nz), nz, cost[nz])
    return -z


def _ceiling(h: highspy.Highs, lp: LinearProgram, ctx, solution: Solution):
    """When a target or plan run falls short: the most it could export as the target counts it,
    serving all local load, at any cost (max-export's stages on the same model); else None."""
    if "System-shortfall" not in lp.vars or solution.value("System-shortfall")[0] <= 1e-6 * max(1.0, modes.target_mwh(ctx)):
        return None
    n_row, n = lp.compiled.shape
    method = h.getOptionValue("solver")
    method = method[1] if isinstance(method, tuple) else method
    h.setOptionValue("solver", "simplex")
    try:
        return _max_export_stages(h, lp, ctx)
    finally:
        if h.getNumRow() > n_row:
            h.deleteRows(h.getNumRow() - n_row, np.arange(n_row, h.getNumRow(), dtype=np.int32))
        h.changeColsCost(n, np.arange(n, dtype=np.int32), lp.compiled.c)
        h.changeObjectiveOffset(lp.compiled.offset)
        h.setOptionValue("solver", method)


def _tied_options(h: highspy.Highs, lp: LinearProgram, solution: Solution) -> dict:
    """Unbuilt build options that a least-cost plan could build instead: each candidate (left at 0
    with a zero reduced cost) is tried in one LP that builds as much of them as it can, each as a
    share of its limit, at the least cost (kept within LEXICOGRAPHIC_TOLERANCE). A zero reduced
    cost alone does not make a tie (a basic option at 0 has one too); a least-cost plan that
    builds the option does. Returns {column: MW or MWh it could build}."""
    c = lp.compiled
    cand = []
    for b in lp.blocks("investment"):
        values, rc = solution.value(b.name), solution.reduced_cost(b.name)
        for i in range(len(b.units)):
            if (b.cols[i] >= 0 and values[i] <= 1e-6 * max(1.0, b.ub[i]) and np.isfinite(b.ub[i]) and b.ub[i] > 0
                    and abs(rc[i]) <= 1e-6 * max(1.0, abs(b.cost[i]))):
                cand.append((int(b.cols[i]), float(b.ub[i])))
    if not cand:
        return {}
    n_row, n = c.shape
    idx = np.arange(n, dtype=np.int32)
    z = float(c.c @ solution.x)
    nz = np.flatnonzero(c.c).astype(np.int32)
    cost = np.zeros(n)
    for j, ub in cand:
        cost[j] = -1.0 / ub
    method = h.getOptionValue("solver")
    method = method[1] if isinstance(method, tuple) else method
    h.setOptionValue("solver", "simplex")
    h.addRow(-highspy.kHighsInf, z + LEXICOGRAPHIC_TOLERANCE * max(1.0, abs(z)), len(nz), nz, c.c[nz])
    h.changeColsCost(n, idx, cost)
    h.changeObjectiveOffset(0.0)
    try:
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return {}
        x = np.asarray(h.getSolution().col_value)
        # the cost slack alone buys about 1e-9 of the cost: a tie builds a visible share of the limit
        return {j: float(x[j]) for j, ub in cand if x[j] > 1e-4 * ub}
    finally:
        h.deleteRows(h.getNumRow() - n_row, np.arange(n_row, h.getNumRow(), dtype=np.int32))
        h.changeColsCost(n, idx, c.c)
        h.changeObjectiveOffset(c.offset)
        h.setOptionValue("solver", method)


def _tie_break(h: highspy.Highs, lp: LinearProgram, solution: Solution) -> np.ndarray:
    """The primal of the tie-break stage (modes.TIE_BREAK_ROLES): the least-cost optimum that draws
    the least into stores and boilers. Simplex from the optimal basis; duals are kept from before."""
    cost = modes.tie_break_cost(lp)
    nz_t = np.flatnonzero(cost).astype(np.int32)
    solution.tie_break = "nothing to break: no stores or boilers"
    if not nz_t.size:
        return solution.x
    c = lp.compiled.c
    n = len(c)
    idx = np.arange(n, dtype=np.int32)
    z = float(c @ solution.x)
    nz = np.flatnonzero(c).astype(np.int32)
    # The slack lets the tie-break trade at most this share of the cost for less drawn (0.3 CNY
    # on the default year); tighter rows (1e-12) stall HiGHS's simplex on some scenarios.
    h.addRow(-highspy.kHighsInf, z + TIE_BREAK_TOLERANCE * max(1.0, abs(z)), len(nz), nz, c[nz])
    method = h.getOptionValue("solver")
    method = method[1] if isinstance(method, tuple) else method
    h.setOptionValue("solver", "simplex")
    h.changeColsCost(n, idx, cost)
    h.changeObjectiveOffset(0.0)
    try:
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.asarray(h.getSolution().col_value)
            solution.tie_break = "optimal"
        else:  # said in the summary, never silent: the least-cost solution stands as solved
            x = solution.x
            solution.tie_break = f"not solved ({h.modelStatusToString(status)}): the least-cost solution is kept"
    finally:
        h.deleteRows(1, np.array([h.getNumRow() - 1], dtype=np.int32))
        h.changeColsCost(n, idx, c)
        h.changeObjectiveOffset(lp.compiled.offset)
        h.setOptionValue("solver", method)
    return x


def _energy_prices(h: highspy.Highs, lp: LinearProgram, solution: Solution):
    """Row duals without the target's penalty term (None when the penalty plays no part).

    When the target is short, System-shortfall is basic and its penalty P flows into every dual:
    y = B^-T c_B = B^-T (c_B without P) + B^-T (P e_shortfall). The second part is the target's
    term (in an hour whose marginal MWh is exported it is P); the first is the marginal cost of
    energy with the same basis. Read from the optimal basis, before any later stage moves it."""
    if "System-shortfall" not in lp.vars:
        return None
    col = int(lp.vars["System-shortfall"].cols[0])
    status, basic = h.getBasicVariables()
    basic = np.asarray(basic)
    where = np.flatnonzero(basic == col)
    if col < 0 or not where.size:
        return None
    rhs = np.zeros(len(basic))
    rhs[where[0]] = lp.compiled.c[col]
    status, term = h.getBasisTransposeSolve(rhs)
    n_row = lp.compiled.shape[0]
    return solution.row_dual - np.asarray(term)[:n_row]


def diagnose(h: highspy.Highs, lp: LinearProgram, status) -> str:
    """Name the constraints and hours behind an infeasibility, from HiGHS's irreducible subset."""
    if status not in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "No solution to report; raise solver.time_limit_s or check the scenario's costs."
    try:
        ok, iis = h.getIis()
        rows, cols = list(iis.row_index_), list(iis.col_index_)
    except Exception:  # an IIS is a diagnosis aid; its absence must not hide the infeasibility
        rows, cols = [], []
    if not rows and not cols:
        return "HiGHS found no irreducible infeasible subset to show."
    names = [lp.row_name(r) for r in rows[:8]] + [lp.col_name(c) + " (bounds)" for c in cols[:8]]
    more = len(rows) + len(cols) - len(names)
    return ("These constraints cannot hold together: " + ", ".join(names)
            + (f" and {more} more" if more > 0 else "") + ".")
