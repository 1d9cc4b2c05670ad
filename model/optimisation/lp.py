"""The bridge between the families' declarations and HiGHS.

Families declare variables and constraints here by name (``Wind-p``, ``Bus-balance``: PyPSA's
``Component-attr``), a block of rows at a time from arrays of column numbers (``rows``) or by a
rule evaluated row by row (``con``). Every number that a sweep may change (bounds, costs,
right-hand sides) is passed in as an array, so the built model keeps them by name and a solver
copy can be updated in place. Columns and rows are kept by block (``VarBlock.cols``,
``ConBlock.rows``), so results and duals are read by name.

Two backends compile the same declarations to the same arrays: ``lp_arrays`` straight from the
rules (the default: a Pyomo model of a year costs several times the solve to build and to walk
back into arrays, and leaves a million cyclic objects to the garbage collector), and
``lp_pyomo``, Pyomo components read by Pyomo's standard-form compiler: the model's definition
for users who extend it in Pyomo, and the reference the fast path is tested against.
A third way, record-only, keeps the numbers and builds nothing: the same family code then tells
a built model the numbers of another point (update_numbers).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from . import lp_arrays

INF = float("inf")
BACKENDS = ("arrays", "pyomo")


class StructureChanged(Exception):
    """A point's model differs from a built one in more than its numbers."""
SENSES = ("<=", ">=", "==")


@contextmanager
def gc_paused():
    """A build makes many small objects (rule expressions, variable handles; on the Pyomo path a
    million cyclic ones) that live until it ends: the cyclic collector would only walk them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def linear(coefs, variables):
    """``sum(coefs[k] * variables[k])``, built in one go rather than term by term."""
    if type(variables) is not list:
        variables = list(variables)
    if not variables:
        return 0.0
    if type(variables[0]) is lp_arrays.Col:
        return lp_arrays.Expr([v.i for v in variables], coefs if type(coefs) is list else list(coefs))
    from . import lp_pyomo  # only the Pyomo path pays for importing Pyomo's expression system

    return lp_pyomo.linear(coefs, variables)


def ragged(terms_by_unit: list, n_hours: int) -> list:
    """``LinearProgram.rows`` terms for hourly rows whose units have different terms: from each
    row unit's list of ``(coef, cols)`` (cols (T,), or one column for every hour; coef a number
    or (T,)), the k-th term of every list makes the k-th term, -1 where a list is shorter."""
    out = []
    for k in range(max(map(len, terms_by_unit), default=0)):
        cols = np.full((len(terms_by_unit), n_hours), -1, dtype=np.int64)
        coefs = np.zeros((len(terms_by_unit), n_hours))
        for r, terms in enumerate(terms_by_unit):
            if k < len(terms):
                coefs[r], cols[r] = terms[k]
        out.append((coefs, cols))
    return out


@dataclass
class VarBlock:
    name: str
    units: list
    hourly: bool
    lb: np.ndarray  # (U, T) or (U,)
    ub: np.ndarray
    cost: np.ndarray  # objective coefficient per MWh (or per unit for non-hourly), before weights
    role: str
    items: dict  # index -> variable (a Col, or a Pyomo variable): var()'s lp_arrays.Handles
    index: np.ndarray | None = None  # column number per entry as declared: what ``rows`` takes
    cols: np.ndarray | None = None  # column index per entry, -1 if unused by any row or cost
    weighted: bool = True  # an hourly cost counts once per hour the time step stands for
    component: object = None  # the Pyomo Var, on the Pyomo path

    def objective(self, weights) -> np.ndarray:
        return self.cost * weights if self.hourly and self.weighted else self.cost

    def numbers_into(self, compiled, weights):
        """Write this block's bounds and costs into the compiled columns."""
        keep = self.cols >= 0
        cols = self.cols[keep]
        compiled.col_lower[cols], compiled.col_upper[cols] = self.lb[keep], self.ub[keep]
        compiled.c[cols] = self.objective(weights)[keep]


@dataclass
class ConBlock:
    name: str
    units: list
    hours: list | None
    sense: str
    rhs: np.ndarray
    rows: np.ndarray | None = None  # row index per entry, -1 for a row without variables
    component: object = None  # the Pyomo Constraint, on the Pyomo path

    def args(self) -> list:
        """Each row's index, as a rule takes it: (unit, hour), or (unit,)."""
        if self.hours is None:
            return [(u,) for u in self.units]
        return [(u, t) for u in self.units for t in self.hours]

    def key(self, k: int) -> tuple:
        """The index of row k of the block (``args()[k]``)."""
        if self.hours is None:
            return (self.units[k],)
        return self.units[k // len(self.hours)], self.hours[k % len(self.hours)]

    def bounds_into(self, lower, upper):
        """Write this block's right-hand sides into the compiled row bounds."""
        keep = self.rows >= 0
        rows, rhs = self.rows[keep], self.rhs[keep]
        if self.sense in ("==", ">="):
            lower[rows] = rhs
        if self.sense in ("==", "<="):
            upper[rows] = rhs


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

    def numbers(self) -> dict:
        """A copy of everything but the matrix: what a sweep point may change."""
        return {"c": self.c.copy(), "offset": self.offset, "col_lower": self.col_lower.copy(),
                "col_upper": self.col_upper.copy(), "row_lower": self.row_lower.copy(),
                "row_upper": self.row_upper.copy()}


@dataclass
class LinearProgram:
    n_hours: int
    weights: np.ndarray  # hours each modelled hour stands for
    vars: dict = field(default_factory=dict)
    cons: dict = field(default_factory=dict)
    balance: dict = field(default_factory=lambda: defaultdict(list))
    synchronous: dict = field(default_factory=lambda: defaultdict(list))  # bus -> [(c, var, unit)]
    sync_need: dict = field(default_factory=lambda: defaultdict(list))  # bus -> [(ratio, var, unit)]
    constant: float = 0.0
    compiled: Compiled | None = None
    sent: dict | None = None  # Compiled.numbers() as last handed to a solver (solve.push_numbers)
    hour_index: object = None  # for messages: the local time of each hour (a DatetimeIndex)
    # Record-only: keep the numbers (bounds, costs, right-hand sides) and build nothing. The same
    # family code then tells a built model the numbers of another point (update_numbers).
    record_only: bool = False
    backend: str = "arrays"  # or "pyomo": BACKENDS
    n_declared: int = 0  # columns declared so far (VarBlock.index)
    _impl: object = field(default=None, repr=False)

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"backend {self.backend!r}: expected one of {BACKENDS}")
        if not self.record_only:
            if self.backend == "pyomo":
                from . import lp_pyomo

                self._impl = lp_pyomo.PyomoBackend()
            else:
                self._impl = lp_arrays.ArrayBackend()

    @property
    def hours(self):
        return range(self.n_hours)

    @property
    def model(self):
        """The Pyomo ConcreteModel (on the Pyomo path only)."""
        if self.backend != "pyomo" or self.record_only:
            raise AttributeError("only a Pyomo build has a Pyomo model: build.pyomo_model(scenario)")
        return self._impl.model

    # ---------------------------------------------------------------- declarations
    def var(self, name, units, lb=0.0, ub=INF, cost=0.0, hourly=True, role="", weighted=True):
        """Declare ``name[unit, t]`` (or ``name[unit]``) with bounds and cost from arrays.

        An hourly cost is per MWh, weighted by the hours of each time step; ``weighted=False``
        for a cost per event (a start-up), counted once whatever the step's length.

        Returns a mapping from index to variable (``lp_arrays.Handles``), for constraint rules to
        combine with ``linear`` or ``+ - *``, whose ``index`` holds the block's column numbers for
        ``rows``.
        """
        units = list(units)
        shape = (len(units), self.n_hours) if hourly else (len(units),)
        lb = np.broadcast_to(np.asarray(lb, dtype=float), shape)
        ub = np.broadcast_to(np.asarray(ub, dtype=float), shape)
        cost = np.broadcast_to(np.asarray(cost, dtype=float), shape)
        if np.any(lb > ub + 1e-9):
            raise ValueError(f"{name}: lower bound above upper bound")
        block = VarBlock(name, units, hourly, lb, ub, cost, role, {}, weighted=weighted,
                         index=np.arange(self.n_declared, self.n_declared + lb.size).reshape(shape))
        self.n_declared += lb.size
        self.vars[name] = block
        block.items = self._impl.var(self, block) if self._impl else lp_arrays.Handles(block)
        return block.items

    def con(self, name, units, rule, sense, rhs=0.0, hours=None, hourly=True):
        """Declare ``name[unit, t]``: ``rule(u, t) <sense> rhs``; ``rule`` holds no constant.

        ``hours`` restricts the hours (default: all); ``hourly=False`` indexes by ``units`` alone,
        whose keys may be tuples (a unit and a day, say).
        """
        block = self._con_block(name, units, sense, rhs, hours, hourly)
        if not self.record_only:
            self._impl.con(self, block, block.args(), rule)
        return block

    def rows(self, name, units, terms, sense, rhs=0.0, hours=None, hourly=True):
        """Declare the rows of ``con`` from arrays rather than a rule evaluated row by row:
        ``sum_k coef_k * x[cols_k] <sense> rhs`` with ``terms`` a list of ``(coef, cols)``.

        ``cols`` holds declared column numbers (``Handles.index``; -1: no entry in that row),
        shaped (units, hours) for hourly rows (a (units, 1) array, a daily or one-off variable,
        stands in every hour), else (units,) or (units, k), k entries a row; ``coef`` broadcasts
        to ``cols``. A row's entries are in the order of ``terms``, as a rule's would be: the
        same LP, entry for entry, as the rule that lists its terms in that order.
        """
        block = self._con_block(name, units, sense, rhs, hours, hourly)
        if self.record_only:
            return block
        n = block.rhs.size
        cols, coefs = [np.zeros((n, 0), dtype=np.int64)], [np.zeros((n, 0))]
        for coef, col in terms:
            col = np.broadcast_to(col, block.rhs.shape) if hourly else np.asarray(col)
            width = col.shape[-1] if col.ndim > 1 and not hourly else 1  # entries a row
            cols.append(col.reshape(n, width))
            coef = np.broadcast_to(np.asarray(coef, dtype=float), col.shape)
            coefs.append(coef.reshape(n, width))
        self._impl.rows(self, block, np.hstack(cols).astype(np.int64, copy=False), np.hstack(coefs))
        return block

    def _con_block(self, name, units, sense, rhs, hours, hourly):
        assert sense in SENSES
        units = list(units)
        if hourly:
            hours = list(self.hours if hours is None else hours)
            rhs = np.broadcast_to(np.asarray(rhs, dtype=float), (len(units), len(hours)))
        else:
            hours = None
            rhs = np.broadcast_to(np.asarray(rhs, dtype=float), (len(units),))
        block = ConBlock(name, units, hours, sense, rhs)
        self.cons[name] = block
        return block

    def inject(self, bus, var, unit, coef=1.0):
        """Add ``coef * var[unit, t]`` to the power balance of ``bus`` (withdrawals: coef < 0)."""
        self.balance[bus].append((coef, var, unit))

    def add_synchronous(self, bus, var, unit, coef=1.0):
        """``coef * var[unit, t]`` (``var[unit]`` for a block that is not hourly: spinning in
        every hour) is synchronous capacity at ``bus``, for DC support."""
        self.synchronous[bus].append((coef, var, unit))

    def blocks(self, role):
        return [b for b in self.vars.values() if b.role == role]

    # ---------------------------------------------------------------- objective and compile
    def set_objective(self):
        """Minimise the sum of all declared costs, hourly ones weighted by their hours, plus
        ``constant`` (the array path reads the costs from the blocks when it compiles)."""
        self._impl.objective(self)

    def compile(self) -> Compiled:
        if self.backend == "pyomo":
            self.compiled = Compiled(**self._impl.compile(self))
            return self.compiled
        A = self._impl.compile(self)
        n_row, n_col = A.shape
        c = self.compiled = Compiled(A, np.zeros(n_col), float(self.constant), np.zeros(n_col),
                                     np.zeros(n_col), np.full(n_row, -INF), np.full(n_row, INF))
        for b in self.vars.values():
            b.numbers_into(c, self.weights)
        for b in self.cons.values():
            b.bounds_into(c.row_lower, c.row_upper)
        for terms in (self.balance, self.synchronous, self.sync_need):
            terms.clear()  # they served the declarations; the matrix holds them now
        return c

    def signature(self) -> tuple:
        """What must match for two builds to share a constraint matrix."""
        # The time steps' lengths sit in the matrix (storage balances): merged hours that differ
        # between two points (another weather year segments differently) need their own build.
        return (tuple((b.name, tuple(b.units), b.lb.shape, b.role) for b in self.vars.values()),
                tuple((b.name, tuple(b.units), b.rhs.shape, b.sense) for b in self.cons.values()),
                hash(np.asarray(self.weights, dtype=float).tobytes()))

    def update_numbers(self, shadow: LinearProgram):
        """Take the bounds, costs and right-hand sides of a record-only build of another point."""
        if shadow.signature() != self.signature():
            raise StructureChanged("the point changes the model's structure; it needs its own build")
        c = self.compiled
        for name, b in self.vars.items():
            new = shadow.vars[name]
            b.lb, b.ub, b.cost = new.lb, new.ub, new.cost
            b.numbers_into(c, self.weights)
        for name, b in self.cons.items():
            b.rhs = shadow.cons[name].rhs
            b.bounds_into(c.row_lower, c.row_upper)
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
    # max-export's rows that keep the earlier stages' optima, cost[cols] x <= upper (deleted after
    # the solve), with their duals
    stage_rows: list = field(default_factory=list)  # [(cols, coefs, upper, dual)]
    energy_row_dual: np.ndarray | None = None  # row duals without the target penalty's term
    tie_break: str = ""  # how the tie-break stages ended, what they left open (solve.py, _tie_break)
    tied_options: dict | None = None  # plan mode: column -> what a least-cost plan could build
    ceiling_mwh: float | None = None  # a short target's ceiling, as the target counts export

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
