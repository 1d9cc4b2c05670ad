"""Hand the compiled LP to HiGHS as arrays, solve it in the scenario's mode, read values and duals."""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
import time
from contextlib import contextmanager

import highspy
import numpy as np
import scipy.sparse as sp

from .. import progress
from ..errors import SolveError
from . import decomposition, modes, ties
from .lp import LinearProgram, Solution

# Relative slack on the stage-1 optimum in max-export: enough for HiGHS's tolerances, small
# enough that stage 2 cannot buy cost savings with export (3e-2 MWh on a 30 TWh year).
LEXICOGRAPHIC_TOLERANCE = 1e-9
TIE_BREAK_TOLERANCE = 1e-9
# A reduced cost (relative to its column's cost) or row dual beyond this is not 0. On the plan at
# 6 segments a day none lies between 1e-12 and 1e-7 (the duals' noise and the smallest real ones);
# at 1e-6 the face would take in rows whose duals are real and the least cost would slip.
FACE_TOLERANCE = 1e-9


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
    progress.attach(h, log)
    apply_options(h, options)
    return h


_scheduler_threads = None  # the thread count HiGHS's process-wide scheduler was last set up for

# solver.method -> HiGHS's solver option. HiGHS's own "ipm" is HiPO wherever highspy-extras is
# installed and IPX elsewhere; ipm stays IPX, so a scenario's method means one solver everywhere.
HIGHS_SOLVER = {"ipm": "ipx"}


@functools.cache
def hipo_available() -> bool:
    """HiGHS refuses solver=hipo unless highspy-extras (HiPO's BLAS and orderings) is installed."""
    with _stdout_silenced():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h.setOptionValue("solver", "hipo") == highspy.HighsStatus.kOk


def apply_options(h: highspy.Highs, options: dict) -> float:
    """Give ``h`` a point's solver settings, before each solve: a re-solved sweep point must not
    run under the settings of the point before it. Returns HiGHS's run time at the start."""
    global _scheduler_threads
    h.setOptionValue("solver", HIGHS_SOLVER.get(options["method"], options["method"]))
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
    """``solver.presolve``, with auto resolved: on (the measurements: model/inputs/settings.py, SOLVER)."""
    return "on" if options["presolve"] == "auto" else options["presolve"]


def handoff(h: highspy.Highs, lp: LinearProgram):
    """Pass the compiled LP to ``h`` as arrays: highspy copies them whole, where setting a
    HighsLp's fields converts them entry by entry (0.024 against 0.197 s CPU on the 2019
    context year). Every column continuous (integrality 0: HiGHS then treats it as an LP)."""
    c = lp.compiled
    n_row, n_col = c.shape
    status = h.passModel(n_col, n_row, c.A.nnz, int(highspy.MatrixFormat.kColwise),
                         int(highspy.ObjSense.kMinimize), c.offset, c.c, c.col_lower,
                         c.col_upper, c.row_lower, c.row_upper, c.A.indptr.astype(np.int32),
                         c.A.indices.astype(np.int32), c.A.data,
                         np.zeros(n_col, dtype=np.int32))
    assert status != highspy.HighsStatus.kError, "HiGHS refused the compiled LP"
    lp.sent = c.numbers()


def push_numbers(h: highspy.Highs, lp: LinearProgram):
    """Send the bounds, costs and right-hand sides that changed since ``lp`` was handed to ``h``
    (or last pushed); HiGHS keeps its basis, so the next run starts warm. Sending every entry
    of a year costs half a warm solve; a sweep point changes a few blocks."""
    c, sent = lp.compiled, lp.sent
    cols = np.flatnonzero((c.col_lower != sent["col_lower"]) | (c.col_upper != sent["col_upper"]))
    rows = np.flatnonzero((c.row_lower != sent["row_lower"]) | (c.row_upper != sent["row_upper"]))
    basis = _nonbasic_kept(h, lp, cols, rows)
    h.changeColsBounds(cols.size, cols.astype(np.int32), c.col_lower[cols], c.col_upper[cols])
    h.changeRowsBounds(rows.size, rows.astype(np.int32), c.row_lower[rows], c.row_upper[rows])
    if basis is not None:
        h.setBasis(basis)
    cols = np.flatnonzero(c.c != sent["c"])
    h.changeColsCost(cols.size, cols.astype(np.int32), c.c[cols])
    h.changeObjectiveOffset(c.offset)
    lp.sent = c.numbers()


_LOWER, _UPPER = highspy.HighsBasisStatus.kLower, highspy.HighsBasisStatus.kUpper


def _nonbasic_kept(h: highspy.Highs, lp: LinearProgram, cols, rows):
    """The basis with each nonbasic column or row whose bounds change put at the new bound nearer
    its old value, or None when none needs it. HiGHS keeps a nonbasic's side (lower or upper)
    when its bounds change, and a unit switched off sits fixed at [0, 0], often "at upper": once
    switched on (a measure's pumped storage, 0 -> 1,200 MW every hour) it would start at full
    output in every hour, thousands of primal infeasibilities from a basis that was optimal but
    for it. Measured on the 2019 context year (bench/bench_measures.py): README, the measures."""
    if not cols.size and not rows.size:
        return None
    basis = h.getBasis()
    if not basis.valid:
        return None
    c, sent = lp.compiled, lp.sent
    changed = False
    for status_name, index, old_lo, old_up, lo, up in (
            ("col_status", cols, sent["col_lower"], sent["col_upper"], c.col_lower, c.col_upper),
            ("row_status", rows, sent["row_lower"], sent["row_upper"], c.row_lower, c.row_upper)):
        status = getattr(basis, status_name)
        was = np.fromiter((int(status[j]) for j in index), dtype=np.int8, count=index.size)
        at_lower, at_upper = was == int(_LOWER), was == int(_UPPER)
        value = np.where(at_lower, old_lo[index], old_up[index])
        new_lo, new_up = lo[index], up[index]
        with np.errstate(invalid="ignore"):  # inf - inf where a bound stays infinite
            lower_nearer = np.isfinite(new_lo) & (~np.isfinite(new_up)
                                                  | (np.abs(value - new_lo) <= np.abs(value - new_up)))
        flip = np.flatnonzero((at_lower & ~lower_nearer) | (at_upper & lower_nearer))
        if flip.size:
            for k in flip.tolist():
                status[index[k]] = _LOWER if lower_nearer[k] else _UPPER
            setattr(basis, status_name, status)
            changed = True
    return basis if changed else None


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


def solve_loaded(h: highspy.Highs, lp: LinearProgram, ctx, ceiling=True) -> tuple[Solution, float]:
    """Solve an LP already handed to ``h``; ``h`` is left as it was handed over, for the next
    point, even after a failure. ``ceiling``: find the ceiling of a short target run (else its
    ``ceiling_mwh`` is None, "not known", for analyses that read only the run's own export)."""
    run_time = apply_options(h, ctx.values["solver"])
    t0 = time.perf_counter()
    if decomposition.chosen(lp, ctx):
        return decomposition.solve_plan(h, lp, ctx, run_time), time.perf_counter() - t0
    with _restored(h, lp):
        rows = []
        if ctx.mode == "max-export":
            rows, _ = _max_export_stages(h, lp, ctx)
            _set_cost(h, lp.compiled.c, lp.compiled.offset)
            _run(h, lp, "in stage 2 of max-export (least cost) ")
        else:
            _run(h, lp, "")
        solution = read_solution(h, lp, run_time, rows)
        solution.energy_row_dual = None if rows else _energy_prices(h, lp, solution)
        solution.x = _tie_break(h, lp, ctx, solution, after_stages=bool(rows))  # keeps max-export's
        # what the reported dispatch costs: the least cost, to the face's tolerance
        solution.objective = float(lp.compiled.c @ solution.x) + lp.compiled.offset
    solution.tied_options = _tied_options(h, lp, solution) if ctx.mode == "plan" else None
    solution.ceiling_mwh = _ceiling(h, lp, ctx, solution) if ceiling else None
    return solution, time.perf_counter() - t0


@contextmanager
def _restored(h: highspy.Highs, lp: LinearProgram, basis=False):
    """Whatever a stage adds (rows, costs, another method), ``h`` gets the LP's own back; with
    ``basis``, also the basis it had on entry. Deleting a stage's row can leave HiGHS without a
    valid basis: the ceiling then ran from scratch (27 s CPU on the 2019 context year against 2 s
    from the least-cost basis), and so would the next sweep point."""
    c = lp.compiled
    n_row, n_col = c.shape
    method, strategy = option(h, "solver"), option(h, "simplex_strategy")
    saved = h.getBasis() if basis else None
    try:
        yield
    finally:
        h.setOptionValue("simplex_strategy", strategy)
        if h.getNumRow() > n_row:
            h.deleteRows(h.getNumRow() - n_row, np.arange(n_row, h.getNumRow(), dtype=np.int32))
        if h.getNumCol() > n_col:  # a tie-break stage's |gap| columns
            h.deleteCols(h.getNumCol() - n_col, np.arange(n_col, h.getNumCol(), dtype=np.int32))
        _set_cost(h, c.c, c.offset)
        h.setOptionValue("solver", method)
        if saved is not None and saved.valid and h.getNumRow() == len(saved.row_status):
            h.setBasis(saved)


def _set_cost(h: highspy.Highs, cost: np.ndarray, offset: float):
    n = len(cost)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeObjectiveOffset(offset)


def _keep(h: highspy.Highs, cost: np.ndarray, z: float, tolerance: float) -> tuple:
    """Add the row cost x <= z (within ``tolerance`` of it), so later stages keep this optimum;
    returns it as (cols, coefs, upper)."""
    nz = np.flatnonzero(cost).astype(np.int32)
    upper = z + tolerance * max(1.0, abs(z))
    h.addRow(-highspy.kHighsInf, upper, len(nz), nz, cost[nz])
    return nz, cost[nz], upper


def _max_export_stages(h: highspy.Highs, lp: LinearProgram, ctx, warm=False, x=None) -> tuple[list, float]:
    """Run max-export's stages before the least-cost one (modes.max_export_stages), each optimum
    kept by an added row. Returns those rows and the ceiling in the target's measure (MWh).
    ``x``: a point of the LP (the least-cost optimum) that may prove the stages' optima
    (implied_optimum: the first one's when it serves all local load), which then need no solve.

    ``warm``: each stage starts from the basis before it (the ceiling, from the least-cost
    optimum: 0.3 + 1.4 s CPU on the 2019 context year). Otherwise the most-export stage starts
    afresh, with presolve: from the load-serving stage's basis (a degenerate vertex of an
    objective that prices nothing but shedding) it ran over 3 min CPU on that year without
    finishing, against 5 s afresh; the least-cost stage after it stays warm (15 s, against 61 s
    afresh and over 150 s by primal simplex). On the Jiuquan-only year the most-export stage
    takes 1.0 s afresh against 0.7 s warm: a loss there, under a tenth of that run."""
    rows, z = [], 0.0
    for k, (label, cost) in enumerate(modes.max_export_stages(lp, ctx)):
        # x is a point of every stage so far only while each was proven by it
        z = implied_optimum(cost, x, lp) if x is not None else None
        if z is None:
            x = None
            if k and not warm:
                h.clearSolver()
            _set_cost(h, cost, 0.0)  # the offset would sit in HiGHS's objective, not the row's body
            _run(h, lp, f"in {label} ")
            z = h.getInfo().objective_function_value
        if np.any(cost):
            rows.append(_keep(h, cost, z, LEXICOGRAPHIC_TOLERANCE))
    return rows, -z


def _ceiling(h: highspy.Highs, lp: LinearProgram, ctx, solution: Solution):
    """When a target or plan run falls short: the most it could export as the target counts it,
    serving all local load, at any cost (max-export's stages on the same model); else None."""
    if "System-shortfall" not in lp.vars:
        return None
    if solution.value("System-shortfall")[0] <= 1e-6 * max(1.0, modes.target_mwh(ctx)):
        return None
    with _restored(h, lp, basis=True):
        h.setOptionValue("solver", "simplex")
        # HiGHS's own choice of simplex variant took 0.25 s CPU against 0.56 for the serial dual
        # (its default) on the default year, from the least-cost basis; the tie-break is the
        # other way round (1.0 against 0.65 s), so it keeps the default.
        h.setOptionValue("simplex_strategy", 0)
        return _max_export_stages(h, lp, ctx, warm=True, x=solution.x)[1]


def _tied_options(h: highspy.Highs, lp: LinearProgram, solution: Solution) -> dict:
    """Unbuilt build options that a least-cost plan could build instead: each candidate (left at 0
    with a zero reduced cost) is tried in one LP that builds as much of them as it can, each as a
    share of its limit, on the optimal face (_on_optimal_face: at the least cost). A zero reduced
    cost alone does not make a tie (a basic option at 0 has one too); a least-cost plan that
    builds the option does. Returns {column: MW or MWh it could build}."""
    c = lp.compiled
    cand = tie_candidates(lp, solution)
    if not cand:
        return {}
    cost = np.zeros(c.shape[1])
    for j, ub in cand:
        cost[j] = -1.0 / ub
    with _restored(h, lp, basis=True), _on_optimal_face(h, lp, solution):
        h.setOptionValue("solver", "simplex")
        _set_cost(h, cost, 0.0)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return {}
        x = np.asarray(h.getSolution().col_value)
    # a tie builds a visible share of the limit, not the face's tolerances' worth
    return {j: float(x[j]) for j, ub in cand if x[j] > 1e-4 * ub}


def tie_candidates(lp: LinearProgram, solution: Solution) -> list[tuple[int, float]]:
    """Build options left at 0 with a zero reduced cost: (column, build limit)."""
    cand = []
    for b in lp.blocks("investment"):
        values, rc = solution.value(b.name), solution.reduced_cost(b.name)
        for i in range(len(b.units)):
            if (b.cols[i] >= 0 and values[i] <= 1e-6 * max(1.0, b.ub[i]) and np.isfinite(b.ub[i])
                    and b.ub[i] > 0 and abs(rc[i]) <= 1e-6 * max(1.0, abs(b.cost[i]))):
                cand.append((int(b.cols[i]), float(b.ub[i])))
    return cand


def implied_optimum(cost: np.ndarray, x: np.ndarray, lp: LinearProgram) -> float | None:
    """min cost'x over the LP (with any rows a stage adds that ``x`` satisfies), when ``x``
    proves it without a solve: no column costs less than nothing, and each one that costs
    something sits at its lower bound in ``x`` (within 1e-9), so no point can cost less than
    ``x``. None when ``x`` proves nothing (then the stage needs its solve)."""
    nz = np.flatnonzero(cost)
    lower = lp.compiled.col_lower[nz]
    if np.any(cost[nz] < 0) or not np.all(np.isfinite(lower)):
        return None
    if np.any(x[nz] > lower + 1e-9 * np.maximum(1.0, np.abs(lower))):
        return None
    return float(cost @ x)


def _tie_break(h: highspy.Highs, lp: LinearProgram, ctx, solution: Solution, after_stages=False,
               face=True) -> np.ndarray:
    """The primal of the tie-break stages (model/optimisation/ties.py): each minimises its own
    objective on the optimal face of the stages before it. The least cost's face comes from its
    duals (_on_optimal_face); ``face=False`` (the decomposition, whose duals are the cuts', not a
    vertex's) keeps the least cost by a row instead. Each stage is solved by simplex from the
    last basis, and its own vertex's duals and reduced costs narrow the face for the next one
    (_face_of): no stage can trade what a stage before it reached, and no cost row is
    left for the simplex to stall on. Duals are kept from the least-cost solve. Each stage's
    status, CPU seconds and simplex iterations go to ``solution.solver["tie_break_stages"]``.

    The stages before the first with |gap| rows (draw and spill; in the Jiuquan-only plan, with
    no such stage, export too) by the simplex variant that suits the vertex they start from
    (that stage and all after it by the primal), measured on the face from one least-cost
    vertex, interleaved: after a dual simplex least cost the serial dual (HiGHS's default;
    Jiuquan-only year 0.19 s CPU against 0.67-0.84 s by the primal; the 2019 context year a tie,
    1.2 against 1.1-1.3 s), after interior point and crossover the primal (the hourly plan by
    HiPO: draw 0.45-0.58 s and 30 iterations against 19.6 s and 10,300 by the dual, spill
    0.13-0.15 against 6.1-6.8 s; the Jiuquan-only year by IPX 0.12 against 0.19-0.24 s); HiGHS's
    choice ``after_stages`` (max-export's): 4.4 against 29.5 s on the context year (measured
    with the cost row, before the face)."""
    todo, note = ties.stages(lp, ctx), ties.left_open(lp, ctx)
    if not todo:
        solution.tie_break = "nothing to break" + (f"; left open: {note}" if note else "")
        return solution.x
    c = lp.compiled.c
    n_col = len(c)
    x, record = solution.x, []
    solution.solver["tie_break_stages"] = record
    crossed = solution.solver.get("ipm_iterations", 0) > 0  # h's info is gone once a bound moves
    with _restored(h, lp, basis=True), _on_optimal_face(h, lp, solution, face), _narrowed(h) as narrow:
        if not face:
            # The slack lets the stages trade at most this share of the cost; tighter rows
            # (1e-12) stall HiGHS's simplex on some scenarios.
            _keep(h, c, float(c @ x), TIE_BREAK_TOLERANCE)
        h.setOptionValue("solver", "simplex")
        strategy = 0 if after_stages else 4 if crossed else option(h, "simplex_strategy")
        for k, stage in enumerate(todo):
            t, last = time.process_time(), k == len(todo) - 1
            if stage.prune:
                stage = _pruned(h, stage)
                if not stage.gaps.shape[0]:  # every row constant on this face: nothing to move
                    record.append({"stage": stage.label, "status": "implied: " + stage.nothing,
                                   "cpu_s": time.process_time() - t, "iterations": 0})
                    continue
            cost = _stage_columns(h, stage, x)
            if stage.gaps is None and implied_optimum(stage.cost, x, lp) is not None:
                # x proves the stage's optimum: its face is its costed columns at their bounds
                if not last:
                    narrow(_fixed_at_lower(h, stage.cost))
                record.append({"stage": stage.label, "status": "implied: " + stage.nothing,
                               "cpu_s": time.process_time() - t, "iterations": 0})
                continue
            _set_cost(h, cost, 0.0)
            # From the share stage on, the primal simplex: the last optimum is a feasible start
            # (the |gap| columns take up the new rows' activity); see the README's Speed.
            if stage.gaps is not None:
                strategy = 4
            h.setOptionValue("simplex_strategy", strategy)
            h.run()
            status = h.getModelStatus()
            record.append({"stage": stage.label, "status": h.modelStatusToString(status),
                           "cpu_s": time.process_time() - t,
                           "iterations": int(h.getInfo().simplex_iteration_count)})
            if status != highspy.HighsModelStatus.kOptimal:
                # said in the summary, never silent: the stages before stand as solved
                solution.tie_break = (f"stage {stage.label} not solved ({h.modelStatusToString(status)}): "
                                      "the solution of the stages before it is kept")
                return x
            sol = h.getSolution()
            x = np.asarray(sol.col_value)[:n_col]
            if not last:
                narrow(_face_of(h, sol, cost))
    if all(r["status"].startswith("implied") for r in record):
        solution.tie_break = "nothing to break: " + "; ".join(s.nothing for s in todo)
    else:
        solution.tie_break = "optimal"
    if note:
        solution.tie_break += f"; left open: {note}"
    return x


@contextmanager
def _narrowed(h: highspy.Highs):
    """Yields ``narrow(changes)``, which records bounds a stage fixed ((cols, lower, upper),
    (rows, lower, upper): those before); every one is given back when the block ends."""
    done = []
    try:
        yield done.append
    finally:
        for (cols, col_lower, col_upper), (rows, row_lower, row_upper) in reversed(done):
            h.changeColsBounds(cols.size, cols, col_lower, col_upper)
            h.changeRowsBounds(rows.size, rows, row_lower, row_upper)


def _face_of(h: highspy.Highs, sol, cost: np.ndarray) -> tuple:
    """Restrict ``h`` to the optimal face of its last run (objective ``cost``, solution ``sol``
    of a simplex vertex); returns the bounds it changed, as they were."""
    return _fix_face(h, cost, np.asarray(sol.col_value), np.asarray(sol.col_dual),
                     np.asarray(sol.row_value), np.asarray(sol.row_dual))


def _fixed_at_lower(h: highspy.Highs, cost: np.ndarray) -> tuple:
    """Fix the columns with a cost at their lower bounds; returns the bounds changed, as they were."""
    held = h.getLp()
    col_lower, col_upper = np.asarray(held.col_lower_), np.asarray(held.col_upper_)
    cols = np.flatnonzero(cost).astype(np.int32)
    cols = cols[col_lower[cols] < col_upper[cols]]
    h.changeColsBounds(cols.size, cols, col_lower[cols], col_lower[cols])
    empty = np.zeros(0, dtype=np.int32)
    return (cols, col_lower[cols], col_upper[cols]), (empty, np.zeros(0), np.zeros(0))


@contextmanager
def _on_optimal_face(h: highspy.Highs, lp: LinearProgram, solution: Solution, on=True):
    """``h``'s LP restricted to its optimal face, the set of all its least-cost solutions, while
    the block runs; its bounds back after (_fix_face). Every point of it costs the least cost
    (c x = the dual bound), so no row on the cost is needed: the stages after the optimum ran
    184 s (tie-break) and over 1,000 s (tied options) on the hourly plan with one, whose slack
    (1e-9 of the cost) they could trade."""
    if not on:
        yield
        return
    c, x = lp.compiled, solution.x
    dual = np.append(solution.row_dual, [r[3] for r in solution.stage_rows])
    activity = np.append(c.A @ x, [float(r[1] @ x[r[0]]) for r in solution.stage_rows])
    assert activity.size == h.getNumRow()
    (cols, col_lower, col_upper), (rows, row_lower, row_upper) = _fix_face(
        h, c.c, x, solution.col_dual, activity, dual)
    try:
        yield
    finally:
        h.changeColsBounds(cols.size, cols, col_lower, col_upper)
        h.changeRowsBounds(rows.size, rows, row_lower, row_upper)


def _fix_face(h: highspy.Highs, cost, x, col_dual, activity, row_dual) -> tuple:
    """Restrict ``h``'s LP (objective ``cost``) to its optimal face, given one optimal point
    (``x``, its rows' ``activity``) and one optimal dual (``col_dual``, ``row_dual``). A feasible
    point is optimal if and only if it is complementary to one optimal dual (any one), so the
    face is: every column whose reduced cost is not 0 fixed at the bound it sits at, every row
    whose dual is not 0 fixed at its active bound, all else as it was. "Not 0": beyond
    FACE_TOLERANCE, the reduced costs relative to the column's cost. Returns the bounds it
    changed, as they were: ((cols, lower, upper), (rows, lower, upper))."""
    held = h.getLp()
    col_lower, col_upper = np.asarray(held.col_lower_), np.asarray(held.col_upper_)
    row_lower, row_upper = np.asarray(held.row_lower_), np.asarray(held.row_upper_)
    cols = np.flatnonzero((np.abs(col_dual) > FACE_TOLERANCE * np.maximum(1.0, np.abs(cost)))
                          & (col_lower < col_upper))
    at = _active_bound(x[cols], col_lower[cols], col_upper[cols])
    keep = np.isfinite(at)
    cols, at = cols[keep].astype(np.int32), at[keep]
    rows = np.flatnonzero((np.abs(row_dual) > FACE_TOLERANCE) & (row_lower < row_upper))
    rat = _active_bound(activity[rows], row_lower[rows], row_upper[rows])
    keep = np.isfinite(rat)
    rows, rat = rows[keep].astype(np.int32), rat[keep]
    h.changeColsBounds(cols.size, cols, at, at)
    h.changeRowsBounds(rows.size, rows, rat, rat)
    return (cols, col_lower[cols], col_upper[cols]), (rows, row_lower[rows], row_upper[rows])


def _pruned(h: highspy.Highs, stage):
    """``stage`` without the |gap| rows whose columns are all fixed in ``h`` (each a constant)."""
    held = h.getLp()
    n = stage.gaps.shape[1]
    free = (np.asarray(held.col_lower_)[:n] < np.asarray(held.col_upper_)[:n]).astype(float)
    keep = np.flatnonzero(abs(stage.gaps) @ free > 0)
    return dataclasses.replace(stage, gaps=stage.gaps[keep], weight=stage.weight[keep])


def _stage_columns(h: highspy.Highs, stage, x: np.ndarray) -> np.ndarray:
    """Add a stage's |gap| columns and rows to ``h`` (gap = over - under, both >= 0, each at
    the gap's weight), in a basis where they take up the rows' activity at ``x``; returns the
    stage's cost over all of ``h``'s columns."""
    n = h.getNumCol()
    cost = np.zeros(n)
    cost[:len(stage.cost)] = stage.cost
    if stage.gaps is None or not stage.gaps.shape[0]:
        return cost
    k = stage.gaps.shape[0]
    activity = stage.gaps @ x
    h.addCols(2 * k, np.repeat(stage.weight, 2), np.zeros(2 * k), np.full(2 * k, highspy.kHighsInf),
              0, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    extra = sp.csr_matrix((np.tile([-1.0, 1.0], k), np.arange(n, n + 2 * k), np.arange(0, 2 * k + 1, 2)),
                          shape=(k, n + 2 * k))
    gaps = sp.hstack([stage.gaps, sp.csr_matrix((stage.gaps.shape[0], n + 2 * k - stage.gaps.shape[1]))])
    rows = (gaps.tocsr() + extra).tocsr()
    rows.sort_indices()
    h.addRows(k, np.zeros(k), np.zeros(k), rows.nnz, rows.indptr.astype(np.int32),
              rows.indices.astype(np.int32), rows.data)
    basis = h.getBasis()
    if basis.valid:
        basic, lower = highspy.HighsBasisStatus.kBasic, highspy.HighsBasisStatus.kLower
        cols, row_status = list(basis.col_status), list(basis.row_status)
        over = activity > 0
        cols[n::2] = [basic if o else lower for o in over]
        cols[n + 1::2] = [lower if o else basic for o in over]
        row_status[-k:] = [lower] * k
        basis.col_status, basis.row_status = cols, row_status
        h.setBasis(basis)
    return np.concatenate([cost, np.repeat(stage.weight, 2)])


def _active_bound(value: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """The bound each value sits at (the nearer one)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(value - lower) <= np.abs(value - upper), lower, upper)


def read_solution(h: highspy.Highs, lp: LinearProgram, run_time=0.0, stage_rows=()) -> Solution:
    """What ``h`` holds after a run, as it stands: the self-check judges it, not the status.
    ``stage_rows``: max-export's extra rows (cols, coefs, upper), which sit after the LP's rows."""
    sol = h.getSolution()
    n_row = lp.compiled.shape[0]
    row_dual = np.asarray(sol.row_dual)
    return Solution(lp, np.asarray(sol.col_value), row_dual[:n_row], np.asarray(sol.col_dual),
                    h.getInfo().objective_function_value, h.modelStatusToString(h.getModelStatus()),
                    solver=_report(h, run_time),
                    stage_rows=[(*row, float(row_dual[n_row + k])) for k, row in enumerate(stage_rows)])


def _report(h: highspy.Highs, run_time: float) -> dict:
    """HiGHS's own verdict on the solution, and the settings it ran with, for the self-check and
    the sweep's records."""
    info = h.getInfo()
    return {"primal_status": h.solutionStatusToString(info.primal_solution_status),
            "dual_status": h.solutionStatusToString(info.dual_solution_status),
            "max_primal_infeasibility": float(info.max_primal_infeasibility),
            "max_dual_infeasibility": float(info.max_dual_infeasibility),
            "simplex_iterations": int(info.simplex_iteration_count),
            "ipm_iterations": int(info.ipm_iteration_count),
            "method": option(h, "solver"), "threads": option(h, "threads"),
            "time_limit_s": option(h, "time_limit") - run_time}


def _energy_prices(h: highspy.Highs, lp: LinearProgram, solution: Solution):
    """Row duals without the target's penalty term (None when the penalty plays no part).

    When the target is short, System-shortfall is basic and its penalty P flows into every dual:
    y = B^-T c_B = B^-T (c_B without P) + B^-T (P e_shortfall). The second part is the target's
    term (in an hour whose marginal MWh is exported it is P); the first is the marginal cost of
    energy with the same basis. Read from the optimal basis, before any later stage moves it."""
    term = penalty_term(h, lp)
    return None if term is None else solution.row_dual - term


def penalty_term(h: highspy.Highs, lp: LinearProgram):
    """B^-T (P e_shortfall) of _energy_prices, from ``h``'s basis; None when the shortfall is
    not basic (or the mode has none)."""
    if "System-shortfall" not in lp.vars:
        return None
    col = int(lp.vars["System-shortfall"].cols[0])
    if h.getInfo().ipm_iteration_count:
        # After interior point and crossover HiGHS 1.15.1 may hold the basis without the simplex
        # solver's factor of it (presolve off, or nothing for presolve to reduce: no simplex
        # runs after the crossover), and getBasicVariables then segfaults; handing the basis
        # back makes it factor the basis first (tests/test_ties_export.py).
        h.setBasis(h.getBasis())
    status, basic = h.getBasicVariables()
    basic = np.asarray(basic)
    where = np.flatnonzero(basic == col)
    if col < 0 or not where.size:
        return None
    rhs = np.zeros(len(basic))
    rhs[where[0]] = lp.compiled.c[col]
    status, term = h.getBasisTransposeSolve(rhs)
    return np.asarray(term)[:lp.compiled.shape[0]]


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
