"""The fast path: the families' declarations compiled straight to sparse arrays, without Pyomo.

``lp.var`` hands rules ``Col`` handles in place of Pyomo variables, and a rule's body (built by
``linear`` or with ``+ - *`` on handles) is an ``Expr``: a few parallel lists, appended to the
matrix's triplets as each row is declared. Nothing here outlives the build but flat lists and
arrays, so the model is not millions of cyclic objects for the garbage collector to walk.

The compiled LP equals, entry for entry, what Pyomo's ``LinearStandardFormCompiler`` makes of
the same declarations (``lp_pyomo``; tests/test_build_paths.py): rows in declaration order, and
columns as that compiler numbers them: whole variable blocks in the order the objective and then
the rows first meet them, less the columns no row or cost uses. Matching its numbering keeps
the solver's path, and hence the vertex it picks among equal optima, the same on both paths.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp


class _Linear:
    """``+ - *`` and ``/`` by a number, for columns and expressions alike: each makes a new
    Expr (``_fresh``: this one times k) and adds the other operand into it."""

    __slots__ = ()
    __array_ufunc__ = None  # a numpy scalar times a Col or Expr defers to __rmul__ here

    def __add__(self, other):
        return self._fresh(1.0)._add(other, 1.0)

    __radd__ = __add__  # sum() starts from 0

    def __sub__(self, other):
        return self._fresh(1.0)._add(other, -1.0)

    def __rsub__(self, other):
        return self._fresh(-1.0)._add(other, 1.0)

    def __neg__(self):
        return self._fresh(-1.0)

    def __mul__(self, k):
        return self._fresh(_number(k))

    __rmul__ = __mul__

    def __truediv__(self, k):
        return self._fresh(1.0 / _number(k))


class Col(_Linear):
    """One column: what a variable block's mapping holds on the array path."""

    __slots__ = ("i",)

    def __init__(self, i):
        self.i = i

    def _fresh(self, k):
        return Expr([self.i], [k])

    def __repr__(self):
        return f"Col({self.i})"


class Expr(_Linear):
    """A linear expression: ``sum(coefs[k] * x[cols[k]]) + const``."""

    __slots__ = ("cols", "coefs", "const")

    def __init__(self, cols, coefs, const=0.0):
        self.cols, self.coefs, self.const = cols, coefs, const

    def _fresh(self, k):
        return Expr(self.cols[:], [k * c for c in self.coefs], k * self.const)

    def _add(self, other, sign):
        """Add ``sign * other`` in place: only on an Expr just made by ``_fresh``."""
        kind = type(other)
        if kind is Col:
            self.cols.append(other.i)
            self.coefs.append(sign)
        elif kind is Expr:
            self.cols.extend(other.cols)
            self.coefs.extend(other.coefs if sign == 1.0 else [sign * c for c in other.coefs])
            self.const += sign * other.const
        else:
            self.const += sign * _number(other)
        return self


def _number(k) -> float:
    try:
        return float(k)
    except TypeError:
        raise TypeError(f"the model is linear: {k!r} cannot multiply a variable") from None


class ArrayBackend:
    """Columns numbered as declared; rows' triplets gathered as their rules are evaluated."""

    def __init__(self):
        self.n_cols = 0
        self.starts = []  # each variable block's first column
        self.cols = []  # column of each entry, in row order
        self.coefs = []
        self.row_ends = []  # entries so far at the end of each row

    def var(self, lp, block):
        size = block.lb.size
        first = self.n_cols
        self.starts.append(first)
        self.n_cols += size
        block.cols = np.arange(first, first + size).reshape(block.lb.shape)
        keys = itertools.product(block.units, lp.hours) if block.hourly else block.units
        return dict(zip(keys, map(Col, range(first, first + size))))

    def con(self, lp, block, args, rule):
        """Evaluate ``rule(*a)`` for each row's arguments; a row without variables is left out
        if its bound holds (as Pyomo's compiler does) and an error if not."""
        cols, coefs, ends = self.cols, self.coefs, self.row_ends
        rows = []
        rhs = block.rhs.ravel().tolist()
        for k, key in enumerate(args):
            e = rule(*key)
            kind = type(e)
            if kind is Col:
                e = e._fresh(1.0)
            elif kind is not Expr:
                e = Expr([], [], _number(e))
            if e.const:
                raise ValueError(f"{block.name}[{key}]: a rule holds no constant; put it in rhs")
            if not e.cols:
                if not _holds(0.0, block.sense, rhs[k]):
                    raise ValueError(f"{block.name}[{key}] has no variables and cannot hold")
                rows.append(-1)
                continue
            cols.extend(e.cols)
            coefs.extend(e.coefs)
            rows.append(len(ends))
            ends.append(len(cols))
        block.rows = np.array(rows, dtype=np.int64).reshape(block.rhs.shape)

    def objective(self, lp):
        """Nothing to do before compiling: the costs sit in the variable blocks."""

    def compile(self, lp):
        n_row, n_col = len(self.row_ends), self.n_cols
        indptr = np.zeros(n_row + 1, dtype=np.int64)
        indptr[1:] = self.row_ends
        cols = np.array(self.cols, dtype=np.int64)
        A = sp.csr_matrix((np.array(self.coefs, dtype=float), cols, indptr), shape=(n_row, n_col)).tocsc()
        A.sum_duplicates()
        A.eliminate_zeros()
        blocks = list(lp.vars.values())
        c = np.concatenate([b.objective(lp.weights).ravel() for b in blocks]) if blocks else np.zeros(0)
        # The compiler's column order: blocks as first met, by the objective and then the rows.
        block_of = np.searchsorted(self.starts, np.concatenate([np.flatnonzero(c), cols]), side="right") - 1
        met, first = np.unique(block_of, return_index=True)
        order = met[np.argsort(first)]
        perm = np.concatenate([blocks[k].cols.ravel() for k in order]) if order.size else np.zeros(0, int)
        used = (np.diff(A.indptr) > 0) | (c != 0)
        perm = perm[used[perm]]
        number = np.full(n_col, -1, dtype=np.int64)
        number[perm] = np.arange(perm.size)
        for b in blocks:
            b.cols = number[b.cols]
        self.cols = self.coefs = self.row_ends = None  # the triplets now live in A
        return A[:, perm]


def _holds(value, sense, rhs):
    return {"<=": value <= rhs, ">=": value >= rhs, "==": value == rhs}[sense]
