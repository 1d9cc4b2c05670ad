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
    apply_options(h, options)
    return h


_scheduler_threads = None  # the thread count HiGHS's process-wide scheduler was last set up for


def apply_options(h: highspy.Highs, options: dict) -> float:
    """Give ``h`` a point's solver settings, before each solve: a re-solved sweep point must not
    run under the settings of the point before it. Returns HiGHS's run time at the start."""
    global _scheduler_threads
    h.setOptionValue("solver", options["method"])
    h.setOptionValue("presolve", presolve(options))
    # HiGHS measures time_limit against the object's run time summed over all its runs, so a
    # model re-solved many times would hit a limit meant for one solve: the budget starts now.
    start = h.getRunTime()
    h.setOptionValue("time_limit", start + float(options["time_limit_s"]))
    threads = int(options["threads"])
    h.setOptionValue("threads", threads)
    # The scheduler is global to the process and refuses a run whose count differs from its own.
    if threads != _scheduler_threads:
        highspy.Highs.resetGlobalScheduler(True)
        _scheduler_threads = threads
    return start


def option(h: highspy.Highs, name: str):
    """An option's value (highspy returns (status, value) pairs)."""
    value = h.getOptionValue(name)
    return value[1] if isinstance(value, tuple) else value


def presolve(options: dict) -> str:
    """``solver.presolve``, with auto resolved: presolve barely shrinks these LPs, and the dual
    simplex solved every bundled year in half the CPU time without it; interior point keeps it
    (8% faster with it on the plan at 6 segments a day)."""
    if options["presolve"] != "auto":
        return options["presolve"]
    return "off" if options["method"] in ("choose", "simplex") else "on"


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
    lp.sent = c.numbers()


def push_numbers(h: highspy.Highs, lp: LinearProgram):
    """Send the bounds, costs and right-hand sides that changed since ``lp`` was handed to ``h``
    (or last pushed); HiGHS keeps its basis, so the next run starts warm. Sending every entry
    of a year costs half a warm solve; a sweep point changes a few blocks."""
    c, sent = lp.compiled, lp.sent
    cols = np.flatnonzero((c.col_lower != sent["col_lower"]) | (c.col_upper != sent["col_upper"]))
    h.changeColsBounds(cols.size, cols.astype(np.int32), c.col_lower[cols], c.col_upper[cols])
    cols = np.flatnonzero(c.c != sent["c"])
    h.changeColsCost(cols.size, cols.astype(np.int32), c.c[cols])
    rows = np.flatnonzero((c.row_lower != sent["row_lower"]) | (c.row_upper != sent["row_upper"]))
    h.changeRowsBounds(rows.size, rows.astype(np.int32), c.row_lower[rows], c.row_upper[rows])
    h.changeObjectiveOffset(c.offset)
    lp.sent = c.numbers()


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
    run_time = apply_options(h, ctx.values["solver"])
    t0 = time.perf_counter()
    n_row, n_col = lp.compiled.shape
    try:
        stage_row = None
        if ctx.mode == "max-export":
            stage_row = _lexicographic(h, lp)
        else:
            _run(h, lp, "")
        solve_s = time.perf_counter() - t0
        solution = read_solution(h, lp, run_time, stage_row)
    finally:  # leave the model as it was handed over, for the next point, even after a failure
        if ctx.mode == "max-export":
            h.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), lp.compiled.c)
        if h.getNumRow() > n_row:
            h.deleteRows(h.getNumRow() - n_row, np.arange(n_row, h.getNumRow(), dtype=np.int32))
    return solution, solve_s


def _lexicographic(h: highspy.Highs, lp: LinearProgram):
    """Most export first; then least cost among the dispatches within a hair of that optimum.
    Returns the extra row (cols, coefs, upper), which sits after the LP's rows."""
    c1 = modes.stage_one_cost(lp)
    n = len(c1)
    idx = np.arange(n, dtype=np.int32)
    h.changeColsCost(n, idx, c1)
    _run(h, lp, "in stage 1 of max-export (most export) ")
    # HiGHS's objective includes the offset, the row's body c1 x does not
    z1 = h.getInfo().objective_function_value - lp.compiled.offset
    nz = np.flatnonzero(c1).astype(np.int32)
    stage_row = (nz, c1[nz], z1 + LEXICOGRAPHIC_TOLERANCE * max(1.0, abs(z1)))
    h.addRow(-highspy.kHighsInf, stage_row[2], len(nz), nz, c1[nz])
    h.changeColsCost(n, idx, lp.compiled.c)
    _run(h, lp, "in stage 2 of max-export (least cost) ")
    return stage_row


def read_solution(h: highspy.Highs, lp: LinearProgram, run_time=0.0, stage_row=None) -> Solution:
    """What ``h`` holds after a run, as it stands: the self-check judges it, not the status.
    ``stage_row``: max-export's extra row (cols, coefs, upper), which sits after the LP's rows."""
    sol = h.getSolution()
    n_row = lp.compiled.shape[0]
    row_dual = np.asarray(sol.row_dual)
    return Solution(lp, np.asarray(sol.col_value), row_dual[:n_row], np.asarray(sol.col_dual),
                    h.getInfo().objective_function_value, h.modelStatusToString(h.getModelStatus()),
                    solver=_report(h, run_time),
                    stage_row=None if stage_row is None else (*stage_row, float(row_dual[n_row])))


def _report(h: highspy.Highs, run_time: float) -> dict:
    """HiGHS's own verdict on the solution, and the settings it ran with, for the self-check and
    the sweep's records."""
    info = h.getInfo()
    return {"primal_status": h.solutionStatusToString(info.primal_solution_status),
            "dual_status": h.solutionStatusToString(info.dual_solution_status),
            "max_primal_infeasibility": float(info.max_primal_infeasibility),
            "max_dual_infeasibility": float(info.max_dual_infeasibility),
            "method": option(h, "solver"), "threads": option(h, "threads"),
            "time_limit_s": option(h, "time_limit") - run_time}


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
