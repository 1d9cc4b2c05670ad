"""The fast path: the families' declarations compiled straight to sparse arrays, without Pyomo.

The families declare their rows a block at a time (``lp.rows``): each term of a block's rows is
an array of column numbers and one of coefficients, and the block's triplets are those arrays
read row by row, with no Python work per row. A rule (``lp.con``, for rows one writes by hand)
gets ``Col`` handles in place of Pyomo variables from ``lp.var``'s mapping, made as it asks for
them, and its body (built by ``linear`` or with ``+ - *`` on handles) is an ``Expr``: a few
parallel lists, appended to the triplets as each row is evaluated. Nothing here outlives the
build but arrays, so the model is not millions of cyclic objects for the garbage collector to
walk. On the 2019 context year the declarations took 0.6-1.0 s CPU by rules evaluated row by
row and a handle per column, and take 0.03 s by row blocks (README, "Speed").

The compiled LP equals, entry for entry, what Pyomo's ``LinearStandardFormCompiler`` makes of
the same declarations (``lp_pyomo``; tests/test_build_paths.py): rows in declaration order, and
columns as that compiler numbers them: whole variable blocks in the order the objective and then
the rows first meet them, less the columns no row or cost uses. Matching its numbering keeps
the solver's path, and hence the vertex it picks among equal optima, the same on both paths.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

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


class Handles(Mapping):
    """What ``lp.var`` returns: index -> variable, for rules, and the block's column numbers as
    declared (``index``), for ``lp.rows``. A variable is made when a rule asks for it (``make``
    of its column number: a Col, or the Pyomo variable), not one per column up front: the
    families declare their rows by ``lp.rows``, and a year's handles cost a tenth of its build."""

    def __init__(self, block, make=None):
        self.block = block
        self.make = make or Col
        self._position = {u: i for i, u in enumerate(block.units)}

    def __getitem__(self, key):
        if not self.block.hourly:
            return self.make(int(self.block.index[self._position[key]]))
        unit, t = key
        row = self.block.index[self._position[unit]]
        if not 0 <= t < row.size:
            raise KeyError(key)
        return self.make(int(row[t]))

    def __iter__(self):
        units = self.block.units
        if self.block.hourly:
            return itertools.product(units, range(self.block.index.shape[1]))
        return iter(units)

    def __len__(self):
        return self.block.index.size

    @property
    def index(self) -> np.ndarray:
        return self.block.index

    def of(self, unit) -> np.ndarray:
        """The declared column numbers of one unit: (T,), or () for a block that is not hourly."""
        return self.block.index[self.block.units.index(unit)]


class ArrayBackend:
    """Columns numbered as declared; rows' triplets gathered, a block of rows at a time, as their
    rules are evaluated (``con``) or their arrays are given (``rows``)."""

    def __init__(self):
        self.starts = []  # each variable block's first column
        self.cols = []  # per block of rows: the column of each entry, in row order
        self.coefs = []
        self.row_ends = []  # per block of rows: the entries so far at the end of each row
        self.n_rows = self.n_entries = 0

    def var(self, lp, block):
        self.starts.append(block.index.flat[0] if block.index.size else lp.n_declared)
        block.cols = block.index
        return Handles(block)

    def con(self, lp, block, args, rule):
        """Evaluate ``rule(*a)`` for each row's arguments; a row without variables is left out
        if its bound holds (as Pyomo's compiler does) and an error if not."""
        cols, coefs, ends = [], [], []
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
                _check_empty(block, key, rhs[k])
                rows.append(-1)
                continue
            cols.extend(e.cols)
            coefs.extend(e.coefs)
            rows.append(self.n_rows + len(ends))
            ends.append(len(cols))
        block.rows = np.array(rows, dtype=np.int64).reshape(block.rhs.shape)
        self._append(np.array(cols, dtype=np.int64), np.array(coefs, dtype=float),
                     np.array(ends, dtype=np.int64))

    def rows(self, lp, block, cols, coefs):
        """The rows of ``cols`` and ``coefs`` (N, J): row k's entries are its columns >= 0, in
        order; a row with none is left out (or an error) as in ``con``."""
        present = cols >= 0
        counts = present.sum(axis=1)
        empty = counts == 0
        rhs = block.rhs.ravel()
        for k in np.flatnonzero(empty):
            _check_empty(block, block.key(int(k)), rhs[k])
        rows = np.full(counts.size, -1, dtype=np.int64)
        rows[~empty] = self.n_rows + np.arange(counts.size - empty.sum())
        block.rows = rows.reshape(block.rhs.shape)
        self._append(cols[present], coefs[present], np.cumsum(counts[~empty]))

    def _append(self, cols, coefs, ends):
        self.cols.append(cols)
        self.coefs.append(coefs)
        self.row_ends.append(ends + self.n_entries)
        self.n_rows += ends.size
        self.n_entries += cols.size

    def objective(self, lp):
        """Nothing to do before compiling: the costs sit in the variable blocks."""

    def compile(self, lp):
        n_row, n_col = self.n_rows, lp.n_declared
        indptr = np.zeros(n_row + 1, dtype=np.int64)
        indptr[1:] = np.concatenate(self.row_ends) if self.row_ends else []
        cols = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        coefs = np.concatenate(self.coefs) if self.coefs else np.zeros(0)
        A = sp.csr_matrix((coefs, cols, indptr), shape=(n_row, n_col)).tocsc()
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


def _check_empty(block, key, rhs):
    if not _holds(0.0, block.sense, rhs):
        raise ValueError(f"{block.name}[{key}] has no variables and cannot hold")


def _holds(value, sense, rhs):
    return {"<=": value <= rhs, ">=": value >= rhs, "==": value == rhs}[sense]
