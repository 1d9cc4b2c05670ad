"""Hourly profiles: constants, inline lists, or a column of a CSV or Parquet file.

A file with a ``timestamp`` column covers any window of its hours (the scenario's ``time`` picks
the rows); a file without one must have exactly one row per modelled hour. Every failure is one
line naming the file, the column and, where it helps, the row.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .schema import PROFILE_KINDS, ProfileRef, profile_bounds

TIMEZONE = "Asia/Shanghai"
TIME_COLUMN = "timestamp"


class ProfileStore:
    """Loads each file once per run and remembers every profile used, for ``inputs/``."""

    def __init__(self, index: pd.DatetimeIndex):
        self.index = index
        self._files: dict[str, pd.DataFrame] = {}
        self.used: dict[str, np.ndarray] = {}
        self.sources: dict[str, pd.Series] = {}  # key -> the whole source, for annual normalisations

    def get(self, ref: ProfileRef, kind: str, key: str, file_of) -> tuple[np.ndarray, float]:
        """The profile over the modelled hours and its mean over its whole source."""
        n = len(self.index)
        if ref.value is not None:
            values = np.full(n, ref.value)
        elif ref.values is not None:
            if len(ref.values) != n:
                raise InputError(file_of(key), key, f"has {len(ref.values)} values, expected {n} "
                                 "(one per modelled hour, time.hours)")
            values = np.asarray(ref.values, dtype=float)
        else:
            values = self._from_file(ref, kind, key, file_of)
        self.sources.setdefault(key, pd.Series(values, index=self.index))
        self.used[key] = values
        return values, float(self.sources[key].mean())

    def _read(self, path: Path, key, file_of) -> pd.DataFrame:
        cached = self._files.get(str(path))
        if cached is not None:
            return cached
        if not path.exists():
            raise InputError(file_of(key), f"{key}.file", f"profile file not found: {path}")
        try:
            if path.suffix.lower() == ".parquet":
                df = pd.read_parquet(path)
            elif path.suffix.lower() == ".csv":
                df = pd.read_csv(path)
            else:
                raise InputError(file_of(key), f"{key}.file", f"expected a .csv or .parquet file, got {path.name}")
        except InputError:
            raise
        except Exception as e:  # pandas raises many types for a malformed file
            raise InputError(path, None, f"cannot be read as a table: {e}") from None
        self._files[str(path)] = df
        return df

    def _from_file(self, ref, kind, key, file_of):
        path = Path(ref.file)
        df = self._read(path, key, file_of)
        if ref.column not in df.columns:
            near = difflib.get_close_matches(ref.column, [str(c) for c in df.columns], n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; columns: {', '.join(map(str, df.columns))}"
            raise InputError(path, ref.column, f"no such column (named by {key}){hint}")
        col = pd.to_numeric(df[ref.column], errors="coerce")
        bad = np.flatnonzero(col.isna().to_numpy())
        if bad.size:
            raise InputError(path, ref.column, f"row {bad[0] + 2}: expected a number, got "
                             f"{df[ref.column].iloc[bad[0]]!r} (named by {key})")
        lo, hi = profile_bounds(kind)
        out = np.flatnonzero(((col < lo) | (col > hi)).to_numpy())
        if out.size:
            raise InputError(path, ref.column, f"row {out[0] + 2}: {col.iloc[out[0]]:g} is outside "
                             f"[{lo:g}, {hi:g}]; expected {PROFILE_KINDS[kind]} (named by {key})")
        if TIME_COLUMN in df.columns:
            return self._window(df, col, path, ref, key)
        if len(col) != len(self.index):
            raise InputError(path, ref.column, f"has {len(col)} rows, expected {len(self.index)} "
                             f"(time.hours), or a '{TIME_COLUMN}' column that covers the modelled hours")
        return col.to_numpy(dtype=float)

    def _window(self, df, col, path, ref, key):
        try:
            stamps = pd.DatetimeIndex(pd.to_datetime(df[TIME_COLUMN]))
        except (ValueError, TypeError) as e:
            raise InputError(path, TIME_COLUMN, f"cannot parse timestamps: {e}") from None
        stamps = stamps.tz_localize(TIMEZONE) if stamps.tz is None else stamps.tz_convert(TIMEZONE)
        if stamps.has_duplicates:
            dup = np.flatnonzero(stamps.duplicated())[0]
            raise InputError(path, TIME_COLUMN, f"row {dup + 2}: duplicated hour {stamps[dup]}")
        self.sources[key] = pd.Series(col.to_numpy(dtype=float), index=stamps)
        series = self.sources[key].reindex(self.index)
        missing = np.flatnonzero(series.isna().to_numpy())
        if missing.size:
            raise InputError(path, ref.column, f"has no value for {self.index[missing[0]]} "
                             f"({missing.size} modelled hours missing; named by {key})")
        return series.to_numpy()

    def table(self) -> pd.DataFrame:
        """Every profile used, one column a scenario key, for ``inputs/profiles.csv``."""
        df = pd.DataFrame(self.used)
        df.insert(0, TIME_COLUMN, self.index.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)$", r":\1", regex=True))
        return df
