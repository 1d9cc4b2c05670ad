"""Plan mode by Benders decomposition over the build options (solver.plan_method benders).

The plan LP is  min c_y y + c_x x  over the few build columns y (model/optimisation/expansion.py) and the
hourly dispatch x. With y fixed, what is left is the dispatch LP, always feasible (shortfall and
unserved load are slacks); its least cost f(y), build cost included, is convex and piecewise
linear in y, and the reduced cost g of the fixed y columns is a subgradient:

    f(y') >= f(y) + g (y' - y)          (a cut; g = c_y - B' pi, pi the dispatch LP's row duals)

The master is  min theta  s.t. theta >= f_k + g_k (y - y_k) for every cut k, y within its build
limits: a small LP whose optimum is a lower bound LB on the plan's least cost; the best f(y_k)
is an upper bound UB. The next y is the level method's (Lemarechal, Nemirovskii and Nesterov,
1995): the y nearest the best so far whose model is at most LB + LEVEL_SHARE (UB - LB), which
keeps steps short where the cuts are few and stabilises Kelley's cutting planes; while that
point lies further than a radius from the best (a share of each build limit, INITIAL_RADIUS at
first), the step is the model's least point within the radius instead, and the radius doubles
after such a step gains and halves after one loses: dispatch LPs far from the last basis cost
as much as a cold solve. The first y is the plan at MERGED_SEGMENTS a day. The loop stops
when (UB - LB) <= GAP_TOLERANCE x max(1, |UB|); a loop stopped short of it (MAX_ITERATIONS, or
the time limit) is an error that says its gap, never an optimum.

The dispatch LP is solved in the HiGHS instance that holds the whole plan LP, y fixed by its
column bounds; each new y changes only those bounds, so the dual simplex restarts from the
last basis.

The solution is a full solution of the plan LP: the primal is the best y and its dispatch; the
duals are the master's convex combination of the cuts' duals, pi = sum_k l_k pi_k with l_k the
master's duals (l >= 0, sum l = 1). Each pi_k is dual feasible for the dispatch LP, whose
feasible duals do not depend on y, so pi is too; the y columns' reduced costs are sum_k l_k g_k,
which the master's optimality makes consistent with its bounds, and the dual bound of pi is at
least LB. So the duality gap the self-check recomputes is at most UB - LB: the certificate of
the monolithic LP, at the stated gap.

What the LP leaves open, the documented rules decide as in a monolithic run:

- the tie-break stages (model/optimisation/ties.py) run on the final dispatch: the best y
  stays fixed and, among its dispatches within TIE_BREAK_TOLERANCE of its least cost (kept by a
  row: the cuts' duals are not a vertex's, so the optimal face of the monolithic run is not
  at hand), the one that draws the least into stores and boilers; each later stage on the
  optimal face of the one before (the monolithic stages could also move y along a tie in the
  builds; the tied options below report whether there is one);
- the tied options (solve._tied_options: unbuilt options that a least-cost plan could build
  instead) are asked of the cuts: the most of the candidates, each as a share of its limit,
  over y whose model keeps the least cost (within LEXICOGRAPHIC_TOLERANCE); a master's answer
  is checked by the dispatch LP at its y and, where f is dearer, that y's cut joins and the
  master is solved again. The cuts bound f from below, so the answer is exact when it stands.

Not the same as a monolithic run: energy prices when the target is short (solve._energy_prices,
the duals less the shortfall penalty's part). That part is read from a basis; each cut's basis
has the builds fixed, so the prices here are the cuts' short-run ones, combined, where the
monolithic basis may hold a build and so price its cost (on test_plan.storage_case(250) the
mean price is 0 here, 2.28 CNY/MWh there). Objective, builds, shortfall and ceiling agree.
"""

from __future__ import annotations

import dataclasses
import time
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

from .. import progress
from ..errors import SolveError
from . import solve
from .lp import Solution

GAP_TOLERANCE = 1e-7  # (UB - LB) / max(1, |UB|): the plan's least cost within 1e-6 of the LP's
MAX_ITERATIONS = 300
MERGED_SEGMENTS = 6  # the first y: the plan at this many segments a day (16 s on the year)
MERGED_FROM_HOURS = 168  # shorter runs start from nothing built: their dispatch is as cheap
INITIAL_RADIUS = 0.05  # the steps' first bound, a share of each build limit (see benders)
LEVEL_SHARE = 0.3  # Lemarechal et al.'s usual share; 0.5 took as many iterations on a month


@dataclass
class Cut:
    y: np.ndarray
    f: float
    g: np.ndarray
    row_dual: np.ndarray
    penalty_term: np.ndarray | None  # the shortfall penalty's part of row_dual (solve.penalty_term)


@dataclass
class Result:
    y: np.ndarray
    x: np.ndarray  # the best y's full primal
    lower: float
    upper: float
    weights: np.ndarray  # the master's duals on the cuts
    cuts: list
    iterations: int

    @property
    def gap(self) -> float:
        return (self.upper - self.lower) / max(1.0, abs(self.upper))


def build_columns(lp):
    """The build columns, their limits and costs: (cols, lower, upper)."""
    cols, lower, upper = [], [], []
    for b in lp.blocks("investment"):
        keep = b.cols >= 0
        cols.append(b.cols[keep])
        lower.append(np.broadcast_to(b.lb, b.cols.shape)[keep])
        upper.append(np.broadcast_to(b.ub, b.cols.shape)[keep])
    return (np.concatenate(cols).astype(np.int32), np.concatenate(lower).astype(float),
            np.concatenate(upper).astype(float))


class Master:
    """min theta over y within its build limits, theta above every cut: Kelley's LP, whose
    optimum bounds the plan's least cost from below. Solved in O(1) units, so that HiGHS's
    tolerances (1e-7 absolute after its scaling) do not blur a bound of 1e9 CNY at 1e-6:
    u = (y - lower) / span and t = (theta - ref) / scale, ref and scale from the first cut."""

    def __init__(self, lower, upper):
        n = lower.size
        self.n, self.lower, self.span = n, lower, np.maximum(upper - lower, 1e-9)
        self.ref = self.scale = None
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("solver", "simplex")
        self.h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        self.h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        inf = highspy.kHighsInf
        self.h.addVars(n + 1, np.append(np.zeros(n), -inf), np.append(np.ones(n), inf))
        self.h.changeColCost(n, 1.0)

    def add(self, cut: Cut):
        if self.ref is None:
            self.ref, self.scale = cut.f, max(1.0, abs(cut.f))
        a = cut.g * self.span / self.scale  # t - a u >= (f - ref) / scale - a u_k
        u_k = (cut.y - self.lower) / self.span
        self.h.addRow((cut.f - self.ref) / self.scale - float(a @ u_k), highspy.kHighsInf, self.n + 1,
                      np.arange(self.n + 1, dtype=np.int32), np.append(-a, 1.0))

    def cap(self, theta):
        """theta <= ``theta``: the cost a tied plan may have (_tied_options)."""
        self.h.changeColBounds(self.n, -highspy.kHighsInf, (theta - self.ref) / self.scale)

    def solve_within(self, centre, radius):
        """The model's least y within ``radius`` (a share of each limit) of ``centre``."""
        n, idx = self.n, np.arange(self.n, dtype=np.int32)
        u = (centre - self.lower) / self.span
        self.h.changeColsBounds(n, idx, np.maximum(u - radius, 0.0), np.minimum(u + radius, 1.0))
        try:
            return self.solve()[0]
        finally:
            self.h.changeColsBounds(n, idx, np.zeros(n), np.ones(n))

    def solve(self):
        """(y, theta, the cuts' duals)."""
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolveError("the plan's decomposition: its master LP ended "
                             + self.h.modelStatusToString(self.h.getModelStatus()))
        sol = self.h.getSolution()
        x = np.asarray(sol.col_value)
        y = self.lower + self.span * np.clip(x[:self.n], 0.0, 1.0)
        return y, self.ref + self.scale * float(x[self.n]), np.asarray(sol.row_dual).copy()


def _evaluate(h, cols, y, lp):
    """f(y) and its cut, from the dispatch LP with the build columns fixed at y; the primal."""
    h.changeColsBounds(cols.size, cols, y, y)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolveError(f"HiGHS stopped a dispatch of the plan's decomposition with status "
                         f"'{h.modelStatusToString(status)}'. " + solve.diagnose(h, lp, status))
    sol = h.getSolution()
    cut = Cut(y.copy(), h.getInfo().objective_function_value, np.asarray(sol.col_dual)[cols].copy(),
              np.asarray(sol.row_dual).copy(), solve.penalty_term(h, lp))
    return cut, np.asarray(sol.col_value)


class Level:
    """The level projection: the y nearest the centre whose cutting-plane model is at most the
    level, nearest in the largest share of a build limit by which any y moves (an LP: HiGHS's
    QP solver failed on the tight levels of the last iterations). Solved in those shares,
    u = (y - lower) / span, with each cut's row scaled to unit length; columns u, then t."""

    def __init__(self, lower, upper):
        n = lower.size
        self.n, self.lower, self.span = n, lower, np.maximum(upper - lower, 1e-9)
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        self.h.addVars(n + 1, np.zeros(n + 1), np.append(np.ones(n), 1.0))
        self.h.changeColCost(n, 1.0)
        inf = highspy.kHighsInf
        for j in range(n):  # |u_j - centre_j| <= t: rows 2j (u - t <= c) and 2j + 1 (u + t >= c)
            both = np.array([j, n], dtype=np.int32)
            self.h.addRow(-inf, 0.0, 2, both, np.array([1.0, -1.0]))
            self.h.addRow(0.0, inf, 2, both, np.array([1.0, 1.0]))
        self.rows = []  # (scale, offset): scale x (g span) u <= scale x (level - offset)

    def add(self, cut: Cut):
        coefs = cut.g * self.span
        scale = 1.0 / max(np.linalg.norm(coefs), 1e-12)
        # f + g (y - y_k) = f + g (lower - y_k) + (g span) u
        self.rows.append((scale, cut.f + float(cut.g @ (self.lower - cut.y))))
        self.h.addRow(-highspy.kHighsInf, highspy.kHighsInf, self.n, np.arange(self.n, dtype=np.int32),
                      coefs * scale)

    def solve(self, centre, level, radius):
        """None when no y within ``radius`` of ``centre`` reaches the level."""
        n, m = self.n, len(self.rows)
        self.h.changeColBounds(n, 0.0, radius)
        u0 = (centre - self.lower) / self.span
        inf = np.full(n, highspy.kHighsInf)
        self.h.changeRowsBounds(n, np.arange(0, 2 * n, 2, dtype=np.int32), -inf, u0)
        self.h.changeRowsBounds(n, np.arange(1, 2 * n, 2, dtype=np.int32), u0, inf)
        scale, offset = np.array(self.rows).T
        self.h.changeRowsBounds(m, np.arange(2 * n, 2 * n + m, dtype=np.int32),
                                np.full(m, -highspy.kHighsInf), scale * (level - offset))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        u = np.asarray(self.h.getSolution().col_value)[:n]
        return self.lower + self.span * np.clip(u, 0, 1)


def benders(h, lp, start=None, deadline=np.inf, say=None, gap_tolerance=GAP_TOLERANCE,
            dispatch="simplex") -> Result:
    """Least-cost build columns and dispatch, in ``h`` (which holds ``lp``), from ``start``
    (default: nothing built), to a proven relative gap of ``gap_tolerance``; each dispatch by
    ``dispatch``: simplex (from the last basis) or ipm (interior point and crossover, cold).
    Leaves ``h`` holding the dispatch LP at the best y."""
    cols, lower, upper = build_columns(lp)
    y = np.clip(lower if start is None else start, lower, upper)
    master, level = Master(lower, upper), Level(lower, upper)
    cuts = []
    best, best_x, lb, gap = None, None, -np.inf, np.inf
    radius, boxed = INITIAL_RADIUS, False
    for k in range(1, MAX_ITERATIONS + 1):
        t = time.process_time()
        # No basis yet (or cold by choice): interior point and crossover leave one ...
        if k == 1 or dispatch == "ipm":
            h.setOptionValue("solver", "ipx")  # IPX, as measured; HiGHS's "ipm" may be HiPO
            h.setOptionValue("presolve", "on")
            _evaluate(h, cols, y, lp)
        # ... from which the simplex restarts, here and after each move: its vertex's duals
        # make exact cuts (the interior point's tolerances would leave a cut 1e-7 too high)
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("presolve", "off")
        cut, x = _evaluate(h, cols, y, lp)
        cuts.append(cut)
        master.add(cut)
        level.add(cut)
        if boxed:  # the region grows while its steps gain, and shrinks when they lose
            radius = min(1.0, 2 * radius) if cut.f < best.f else radius / 2
        if best is None or cut.f < best.f:
            best, best_x = cut, x
        y_lb, theta, weights = master.solve()
        lb = max(lb, theta)
        gap = (best.f - lb) / max(1.0, abs(best.f))
        if say:
            say(f"benders {k}: UB {best.f:.10g}, LB {lb:.10g}, gap {gap:.1e}, "
                f"{h.getInfo().simplex_iteration_count} simplex iterations, "
                f"{time.process_time() - t:.1f} s CPU")
        if gap <= gap_tolerance or h.getRunTime() > deadline:
            break
        y = level.solve(best.y, lb + LEVEL_SHARE * (best.f - lb), radius)
        boxed = y is None
        if boxed:  # out of reach: the model's least within the radius (a trust region)
            y = master.solve_within(best.y, radius)
    # The model's own least point is a vertex of the cuts, often the LP's vertex itself, where
    # the best so far sits within the gap of it (an option at 1e-4 MW instead of 0): it is
    # taken if it costs no more.
    if np.max(np.abs(y_lb - best.y)) > 0:
        cut, x = _evaluate(h, cols, y_lb, lp)
        cuts.append(cut)
        if cut.f <= best.f:
            best, best_x = cut, x
    return Result(best.y, best_x, lb, best.f, weights, cuts, k)


def chosen(lp, ctx) -> bool:
    """solver.plan_method benders, on a plan that has build options."""
    return (ctx.values["solver"]["plan_method"] == "benders" and ctx.mode == "plan"
            and bool(lp.blocks("investment")))


@contextmanager
def _build_bounds_kept(h, cols, lower, upper):
    """The build columns get their own bounds back, and presolve its setting, however it ends."""
    presolve = solve.option(h, "presolve")
    try:
        yield
    finally:
        h.changeColsBounds(cols.size, cols, lower, upper)
        h.setOptionValue("presolve", presolve)


def merged_start(ctx) -> np.ndarray | None:
    """The builds of the same plan at MERGED_SEGMENTS a day (time.segments_per_day): the first
    y, near the hourly plan's (pumped hydro 29% low on the full year), so the dispatch LPs
    that follow restart from bases that need few pivots. None if that LP has no optimum."""
    from . import build as builder  # build imports the families; solve must not need them

    values = {**ctx.scenario.values, "time": {**ctx.values["time"], "segments_per_day": MERGED_SEGMENTS}}
    merged = builder.build(dataclasses.replace(ctx.scenario, values=values), ctx.mode)
    h = solve.new_highs(merged.ctx.values["solver"])
    solve.handoff(h, merged.lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value)
    return x[build_columns(merged.lp)[0]]


def solve_plan(h, lp, ctx, run_time: float) -> Solution:
    """The plan's least-cost stage by decomposition, its tie-break and its tied options: what
    solve.solve_loaded does for every other run, on the same LP."""
    cols, lower, upper = build_columns(lp)
    c = lp.compiled
    with solve._restored(h, lp), _build_bounds_kept(h, cols, lower, upper):
        deadline = run_time + float(ctx.values["solver"]["time_limit_s"])
        t = time.process_time()
        hourly_days = not ctx.aggregated and ctx.n % 24 == 0
        start = merged_start(ctx) if hourly_days and ctx.n >= MERGED_FROM_HOURS else None
        result = benders(h, lp, start, deadline=deadline, say=progress.stage)
        least_cost_cpu = time.process_time() - t
        if result.gap > GAP_TOLERANCE:
            raise SolveError(f"the plan's decomposition stopped after {result.iterations} "
                             f"iterations with a gap of {result.gap:.2e} between its bounds, above "
                             f"{GAP_TOLERANCE:g}: no least-cost plan to report. Raise "
                             "solver.time_limit_s or set solver.plan_method: monolithic.")
        if not np.array_equal(result.cuts[-1].y, result.y):  # h holds the best y's basis
            _evaluate(h, cols, result.y, lp)
        solution = solve.read_solution(h, lp, run_time)
        w = np.clip(result.weights, 0.0, None)
        w /= w.sum()
        solution.row_dual = sum(wk * cut.row_dual for wk, cut in zip(w, result.cuts) if wk > 0)
        solution.col_dual = c.c - c.A.T @ solution.row_dual
        solution.objective = result.upper
        terms = [(wk, cut.penalty_term) for wk, cut in zip(w, result.cuts) if wk > 0]
        solution.energy_row_dual = (None if all(t is None for _, t in terms) else solution.row_dual
                                    - sum(wk * t for wk, t in terms if t is not None))
        solution.solver.update({"method": "benders", "benders_iterations": result.iterations,
                                "benders_gap": result.gap, "benders_lower_cny": result.lower,
                                "least_cost_cpu_s": least_cost_cpu})
        t = time.process_time()
        solution.x = solve._tie_break(h, lp, ctx, solution, face=False)  # the best y stays fixed
        solution.objective = float(c.c @ solution.x) + c.offset
        solution.solver["tie_break_cpu_s"] = time.process_time() - t
        solution.tied_options = _tied_options(h, lp, solution, result, cols, lower, upper)
        solution.solver["tied_options_cpu_s"] = time.process_time() - t - solution.solver["tie_break_cpu_s"]
    solution.ceiling_mwh = solve._ceiling(h, lp, ctx, solution)
    return solution


def _tied_options(h, lp, solution, result, cols, lower, upper) -> dict:
    """solve._tied_options's question, asked of the build columns alone: the most of the
    candidates (each as a share of its limit) that a y with f(y) within LEXICOGRAPHIC_TOLERANCE
    of the least cost builds. The cuts bound f from below, so the master's answer is at least
    the true one; it is the true one once f at the master's y keeps that cost; else that y's
    cut joins and the master is solved again."""
    cand = solve.tie_candidates(lp, solution)
    if not cand:
        return {}
    where = {j: k for k, j in enumerate(cols)}
    span = np.maximum(upper - lower, 1e-9)  # the master works in shares of each limit
    share = np.zeros(cols.size)
    for j, ub in cand:
        share[where[j]] = -1.0 / ub
    z = max(solution.objective, result.upper)
    most = z + solve.LEXICOGRAPHIC_TOLERANCE * max(1.0, abs(z))
    master = Master(lower, upper)
    n = cols.size
    for cut in result.cuts:
        master.add(cut)
    master.h.changeColsCost(n + 1, np.arange(n + 1, dtype=np.int32), np.append(share * span, 0.0))
    master.cap(most)
    for _ in range(MAX_ITERATIONS):
        y, _, _ = master.solve()
        cut, _ = _evaluate(h, cols, y, lp)
        if cut.f <= most:
            return {j: float(y[where[j]]) for j, ub in cand if y[where[j]] > 1e-4 * ub}
        master.add(cut)
    solution.solver["tied_options"] = f"not settled in {MAX_ITERATIONS} iterations"
    return {}
