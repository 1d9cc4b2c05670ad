"""The bridge between the Pyomo model and HiGHS.

Families declare variables and constraints here by name (``Wind-p``, ``Bus-balance``: PyPSA's
``Component-attr``). Every number that a sweep may change (bounds, costs, right-hand sides) is
passed in as an array, so the built model keeps them by name and a solver copy can be updated in
place. Pyomo's ``LinearStandardFormCompiler`` turns the model into sparse arrays; columns and rows
are matched back to names by object identity, so results and duals are read by name.

Why not a Pyomo solver interface: the row-by-row handoff of ``appsi_highs`` costs several times
the solve on a year of hours; compiling once and passing arrays is the fast path.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

INF = float("inf")


class StructureChanged(Exception):
    """A point's model differs from a built one in more than its numbers."""
SENSES = ("<=", ">=", "==")


@contextmanager
def gc_paused():
    """Pyomo creates millions of small objects; the cyclic collector only slows the build."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def linear(coefs, variables):
    """A linear expression built directly, without Pyomo's operator overloading."""
    return LinearExpression(linear_coefs=list(coefs), linear_vars=list(variables))


@dataclass
class VarBlock:
    name: str
    units: list
    hourly: bool
    lb: np.ndarray  # (U, T) or (U,)
    ub: np.ndarray
    cost: np.ndarray  # objective coefficient per MWh (or per unit for non-hourly), before weights
    role: str
    component: pyo.Var | None  # None in a record-only build
    items: dict  # index -> Pyomo variable, what var() returned
    cols: np.ndarray | None = None  # column index per entry, -1 if the compiler dropped it
    weighted: bool = True  # an hourly cost counts once per hour the time step stands for

    def objective(self, weights) -> np.ndarray:
        return self.cost * weights if self.hourly and self.weighted else self.cost


@dataclass
class ConBlock:
    name: str
    units: list
    hours: list | None
    sense: str
    rhs: np.ndarray
    component: pyo.Constraint | None  # None in a record-only build
    rows: np.ndarray | None = None


@dataclass
class Compiled:
    """The LP as arrays: min c x + offset, row_lower <= A x <= row_upper, col_lower <= x <= col_upper."""

    A: object  # scipy CSC matrix
    c: np.ndarray
    offset: float
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray

    @property
    def shape(self):
        return self.A.shape


@dataclass
class LinearProgram:
    n_hours: int
    weights: np.ndarray  # hours each modelled hour stands for
    model: pyo.ConcreteModel = field(default_factory=lambda: pyo.ConcreteModel(name="hexi"))
    vars: dict = field(default_factory=dict)
    cons: dict = field(default_factory=dict)
    balance: dict = field(default_factory=lambda: defaultdict(list))
    synchronous: dict = field(default_factory=lambda: defaultdict(list))  # bus -> [(coef, var, unit, hourly)]
    sync_need: dict = field(default_factory=lambda: defaultdict(list))  # bus -> [(ratio, var, unit)]
    constant: float = 0.0
    compiled: Compiled | None = None
    hour_index: object = None  # for messages: the local time of each hour (a DatetimeIndex)
    # Record-only: keep the numbers (bounds, costs, right-hand sides) and build nothing. The same
    # family code then tells a built model the numbers of another point (update_numbers).
    record_only: bool = False

    @property
    def hours(self):
        return range(self.n_hours)

    # ---------------------------------------------------------------- declarations
    def var(self, name, units, lb=0.0, ub=INF, cost=0.0, hourly=True, role="", weighted=True):
        """Declare ``name[unit, t]`` (or ``name[unit]``) with bounds and cost from arrays.

        An hourly cost is per MWh, weighted by the hours of each time step; ``weighted=False``
        for a cost per event (a start-up), counted once whatever the step's length.

        Returns a plain dict from index to Pyomo variable: constraint rules look variables up
        hundreds of thousands of times, and a dict does it ten times faster than the component.
        """
        units = list(units)
        shape = (len(units), self.n_hours) if hourly else (len(units),)
        lb = np.broadcast_to(np.asarray(lb, dtype=float), shape)
        ub = np.broadcast_to(np.asarray(ub, dtype=float), shape)
        cost = np.broadcast_to(np.asarray(cost, dtype=float), shape)
        if np.any(lb > ub + 1e-9):
            raise ValueError(f"{name}: lower bound above upper bound")
        if self.record_only:
            self.vars[name] = VarBlock(name, units, hourly, lb, ub, cost, role, None, {}, weighted=weighted)
            return {}
        pos = {u: i for i, u in enumerate(units)}
        lo = np.where(np.isfinite(lb), lb, np.nan).tolist()
        hi = np.where(np.isfinite(ub), ub, np.nan).tolist()
        if hourly:
            def bounds(m, u, t):
                i = pos[u]
                return _none(lo[i][t]), _none(hi[i][t])
            comp = pyo.Var(units, list(self.hours), bounds=bounds, dense=True)
        else:
            def bounds(m, u):
                return _none(lo[pos[u]]), _none(hi[pos[u]])
            comp = pyo.Var(units, bounds=bounds, dense=True)
        self.model.add_component(name, comp)
        items = dict(comp.items())
        self.vars[name] = VarBlock(name, units, hourly, lb, ub, cost, role, comp, items, weighted=weighted)
        return items

    def con(self, name, units, rule, sense, rhs=0.0, hours=None, hourly=True):
        """Declare ``name[unit, t]``: ``rule(u, t) <sense> rhs``; ``rule`` holds no constant.

        ``hours`` restricts the hours (default: all); ``hourly=False`` indexes by ``units`` alone,
        whose keys may be tuples (a unit and a day, say).
        """
        assert sense in SENSES
        units = list(units)
        if hourly:
            hours = list(self.hours if hours is None else hours)
            rhs = np.broadcast_to(np.asarray(rhs, dtype=float), (len(units), len(hours)))
            hpos = {t: j for j, t in enumerate(hours)}
        else:
            rhs = np.broadcast_to(np.asarray(rhs, dtype=float), (len(units),))
        if self.record_only:
            self.cons[name] = ConBlock(name, units, hours if hourly else None, sense, rhs, None)
            return None
        upos = {u: i for i, u in enumerate(units)}
        r = rhs.tolist()

        def bounded(body, b):
            if sense == "<=":
                return (None, body, b)
            if sense == ">=":
                return (b, body, None)
            return (b, body, b)

        if hourly:
            comp = pyo.Constraint(units, hours, rule=lambda m, u, t: bounded(rule(u, t), r[upos[u]][hpos[t]]))
        else:  # keys may be tuples, which Pyomo passes to the rule as separate arguments
            def one(m, *k):
                key = k[0] if len(k) == 1 else k
                return bounded(rule(key), r[upos[key]])
            comp = pyo.Constraint(units, rule=one)
        self.model.add_component(name, comp)
        self.cons[name] = ConBlock(name, units, hours if hourly else None, sense, rhs, comp)
        return comp

    def inject(self, bus, var, unit, coef=1.0):
        """Add ``coef * var[unit, t]`` to the power balance of ``bus`` (withdrawals: coef < 0)."""
        self.balance[bus].append((coef, var, unit))

    def add_synchronous(self, bus, var, unit, coef=1.0, hourly=True):
        """``coef * var[unit, t]`` (``var[unit]`` if not ``hourly``: spinning in every hour) is
        synchronous capacity at ``bus``, for DC support."""
        self.synchronous[bus].append((coef, var, unit, hourly))

    def blocks(self, role):
        return [b for b in self.vars.values() if b.role == role]

    # ---------------------------------------------------------------- objective and compile
    def set_objective(self):
        """Minimise the sum of all declared costs, hourly ones weighted by their hours."""
        coefs, variables = [], []
        for b in self.vars.values():
            c = b.objective(self.weights)
            if not np.any(c):
                continue
            nz = np.flatnonzero(c)
            data = list(b.component.values())
            coefs.extend(c.ravel()[nz].tolist())
            variables.extend(data[i] for i in nz)
        self.model.add_component("System-cost", pyo.Objective(expr=linear(coefs, variables) + self.constant))

    def compile(self) -> Compiled:
        info = LinearStandardFormCompiler().write(self.model, mixed_form=True)
        n_col = len(info.columns)
        col_lower = np.zeros(n_col)
        col_upper = np.zeros(n_col)
        find_col = _Positions(info.columns)
        for b in self.vars.values():
            b.cols = find_col(b.component.values(), b.lb.size).reshape(b.lb.shape)
            keep = b.cols >= 0
            col_lower[b.cols[keep]] = b.lb[keep]
            col_upper[b.cols[keep]] = b.ub[keep]
        find_row = _Positions(r.constraint for r in info.rows)
        for b in self.cons.values():
            b.rows = find_row(b.component.values(), b.rhs.size).reshape(b.rhs.shape)
        sense = np.fromiter((r.bound_type for r in info.rows), dtype=np.int8, count=len(info.rows))
        rhs = np.asarray(info.rhs, dtype=float)
        c = np.asarray(info.c.todense()).ravel() if info.c.shape[0] else np.zeros(n_col)
        offset = float(np.asarray(info.c_offset).ravel()[0]) if info.objectives else 0.0
        self.compiled = Compiled(
            A=info.A.tocsc(), c=c, offset=offset, col_lower=col_lower, col_upper=col_upper,
            row_lower=np.where(sense <= 0, rhs, -INF), row_upper=np.where(sense >= 0, rhs, INF),
        )
        return self.compiled


    def signature(self) -> tuple:
        """What must match for two builds to share a constraint matrix."""
        # The time steps' lengths sit in the matrix (storage balances): merged hours that differ
        # between two points (another weather year segments differently) need their own build.
        return (tuple((b.name, tuple(b.units), b.lb.shape, b.role) for b in self.vars.values()),
                tuple((b.name, tuple(b.units), b.rhs.shape, b.sense) for b in self.cons.values()),
                hash(np.asarray(self.weights, dtype=float).tobytes()))

    def update_numbers(self, shadow: "LinearProgram"):
        """Take the bounds, costs and right-hand sides of a record-only build of another point."""
        if shadow.signature() != self.signature():
            raise StructureChanged("the point changes the model's structure; it needs its own build")
        c = self.compiled
        for name, b in self.vars.items():
            new = shadow.vars[name]
            b.lb, b.ub, b.cost = new.lb, new.ub, new.cost
            keep = b.cols >= 0
            cols = b.cols[keep]
            c.col_lower[cols], c.col_upper[cols] = b.lb[keep], b.ub[keep]
            c.c[cols] = b.objective(self.weights)[keep]
        for name, b in self.cons.items():
            b.rhs = shadow.cons[name].rhs
            keep = b.rows >= 0
            rows, rhs = b.rows[keep], b.rhs[keep]
            if b.sense in ("==", ">="):
                c.row_lower[rows] = rhs
            if b.sense in ("==", "<="):
                c.row_upper[rows] = rhs
        self.constant = c.offset = shadow.constant

    # ---------------------------------------------------------------- names of rows and columns
    def row_name(self, row: int) -> str:
        return self._name_of(row, self.cons.values(), "rows")

    def col_name(self, col: int) -> str:
        return self._name_of(col, self.vars.values(), "cols")

    def _name_of(self, k, blocks, attr):
        for b in blocks:
            hit = np.argwhere(getattr(b, attr) == k)
            if hit.size:
                i = hit[0]
                unit = b.units[i[0]]
                if len(i) == 1:
                    return f"{b.name}[{unit}]"
                t = i[1] if attr == "cols" or b.hours is None else b.hours[i[1]]
                hour = t if self.hour_index is None else f"{self.hour_index[t]:%Y-%m-%d %H:00}"
                return f"{b.name}[{unit}, {hour}]"
        return f"{attr[:-1]} {k}"


class _Positions:
    """Position of Pyomo objects in the compiler's column or row list, matched by identity in
    numpy (sorted ids and a binary search) rather than a Python dict lookup per entry."""

    def __init__(self, objects):
        ids = np.fromiter(map(id, objects), dtype=np.int64)
        self.order = np.argsort(ids)
        self.sorted = ids[self.order]

    def __call__(self, objects, count) -> np.ndarray:
        ids = np.fromiter(map(id, objects), dtype=np.int64, count=count)
        at = np.minimum(np.searchsorted(self.sorted, ids), max(len(self.sorted) - 1, 0))
        if not len(self.sorted):
            return np.full(count, -1, dtype=np.int64)
        return np.where(self.sorted[at] == ids, self.order[at], -1)


def _none(x):
    return None if x != x else x  # NaN stands for an infinite bound


@dataclass
class Solution:
    """Primal values and duals of a solved LP, read by component name."""

    lp: LinearProgram
    x: np.ndarray
    row_dual: np.ndarray
    col_dual: np.ndarray
    objective: float
    status: str
    solver: dict = field(default_factory=dict)  # HiGHS's solution statuses and settings
    # max-export's stage-2 row c1[cols] x <= upper (deleted after the solve) and its dual
    stage_row: tuple | None = None  # (cols, coefs, upper, dual)

    def value(self, name):
        b = self.lp.vars[name]
        # A column the compiler dropped appears nowhere, so any value within its bounds is optimal.
        dropped = np.clip(0.0, b.lb, b.ub)
        return np.where(b.cols >= 0, self.x[np.maximum(b.cols, 0)], dropped)

    def dual(self, name):
        b = self.lp.cons[name]
        return np.where(b.rows >= 0, self.row_dual[np.maximum(b.rows, 0)], 0.0)

    def reduced_cost(self, name):
        b = self.lp.vars[name]
        return np.where(b.cols >= 0, self.col_dual[np.maximum(b.cols, 0)], 0.0)
