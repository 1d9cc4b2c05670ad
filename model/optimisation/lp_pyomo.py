"""The reference path: the same declarations as Pyomo components, compiled by Pyomo.

``build.pyomo_model`` hands the ConcreteModel to users who extend the model in Pyomo or solve it
through a Pyomo solver interface; ``solver.model_build: pyomo`` (``run --pyomo``) solves a run
this way. Every number of the compiled LP (matrix, costs, offset, bounds, right-hand sides) is
read back from Pyomo, so comparing it with the array path (tests/test_build_paths.py) checks
the fast path against Pyomo's own reading of the model.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from .lp_arrays import Handles

INF = float("inf")


class PyomoBackend:
    def __init__(self):
        self.model = pyo.ConcreteModel(name="hexi")
        self.columns = []  # every variable, by declared column number (VarBlock.index)

    def var(self, lp, block):
        lo = np.where(np.isfinite(block.lb), block.lb, np.nan).tolist()
        hi = np.where(np.isfinite(block.ub), block.ub, np.nan).tolist()
        pos = {u: i for i, u in enumerate(block.units)}
        if block.hourly:
            def bounds(m, u, t):
                i = pos[u]
                return _none(lo[i][t]), _none(hi[i][t])
            comp = pyo.Var(block.units, list(lp.hours), bounds=bounds, dense=True)
        else:
            def bounds(m, u):
                return _none(lo[pos[u]]), _none(hi[pos[u]])
            comp = pyo.Var(block.units, bounds=bounds, dense=True)
        self.model.add_component(block.name, comp)
        block.component = comp
        self.columns.extend(comp.values())
        return Handles(block, self.columns.__getitem__)

    def con(self, lp, block, args, rule):
        sense, r = block.sense, dict(zip(args, block.rhs.ravel().tolist()))

        def bounded(key):
            e, b = rule(*key), r[key]
            return (None, e, b) if sense == "<=" else (b, e, None) if sense == ">=" else (b, e, b)

        if block.hours is not None:
            comp = pyo.Constraint(block.units, block.hours, rule=lambda m, u, t: bounded((u, t)))
        else:  # keys may be tuples, which Pyomo passes to the rule as separate arguments
            comp = pyo.Constraint(block.units, rule=lambda m, *k: bounded((k[0] if len(k) == 1 else k,)))
        self.model.add_component(block.name, comp)
        block.component = comp

    def rows(self, lp, block, cols, coefs):
        """``lp.rows``' arrays as a rule, one row's terms from its row of ``cols`` and ``coefs``."""
        args = block.args()
        row = dict(zip(args, range(len(args))))

        def rule(*key):
            k = row[key]
            present = cols[k] >= 0
            if not present.any():
                return 0.0
            return linear(coefs[k][present].tolist(), [self.columns[j] for j in cols[k][present]])

        self.con(lp, block, args, rule)

    def objective(self, lp):
        coefs, variables = [], []
        for b in lp.vars.values():
            c = b.objective(lp.weights).ravel()
            data = list(b.component.values())
            for i in np.flatnonzero(c):
                coefs.append(float(c[i]))
                variables.append(data[i])
        expr = LinearExpression(linear_coefs=coefs, linear_vars=variables) + lp.constant
        self.model.add_component("System-cost", pyo.Objective(expr=expr))

    def compile(self, lp):
        """A, c, offset and the bounds as Pyomo's standard-form compiler reads them."""
        info = LinearStandardFormCompiler().write(self.model, mixed_form=True)
        find_col = _Positions(info.columns)
        for b in lp.vars.values():
            b.cols = find_col(b.component.values(), b.lb.size).reshape(b.lb.shape)
        find_row = _Positions(r.constraint for r in info.rows)
        for b in lp.cons.values():
            b.rows = find_row(b.component.values(), b.rhs.size).reshape(b.rhs.shape)
        n_col = len(info.columns)
        sense = np.fromiter((r.bound_type for r in info.rows), dtype=np.int8, count=len(info.rows))
        rhs = np.asarray(info.rhs, dtype=float)
        c = np.asarray(info.c.todense()).ravel() if info.c.shape[0] else np.zeros(n_col)
        bound = [(v.lb, v.ub) for v in info.columns]
        return {"A": info.A.tocsc(), "c": c, "offset": float(np.asarray(info.c_offset).ravel()[0]),
                "col_lower": np.array([-INF if lo is None else lo for lo, _ in bound], dtype=float),
                "col_upper": np.array([INF if hi is None else hi for _, hi in bound], dtype=float),
                "row_lower": np.where(sense <= 0, rhs, -INF), "row_upper": np.where(sense >= 0, rhs, INF)}


def linear(coefs, variables):
    return LinearExpression(linear_coefs=list(coefs), linear_vars=variables)


class _Positions:
    """Position of Pyomo objects in the compiler's column or row list, matched by identity in
    numpy (sorted ids and a binary search) rather than a Python dict lookup per entry."""

    def __init__(self, objects):
        ids = np.fromiter(map(id, objects), dtype=np.int64)
        self.order = np.argsort(ids)
        self.sorted = ids[self.order]

    def __call__(self, objects, count) -> np.ndarray:
        ids = np.fromiter(map(id, objects), dtype=np.int64, count=count)
        if not len(self.sorted):
            return np.full(count, -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.sorted, ids), len(self.sorted) - 1)
        return np.where(self.sorted[at] == ids, self.order[at], -1)


def _none(x):
    return None if x != x else x  # NaN stands for an infinite bound
