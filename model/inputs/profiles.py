"""Hourly profiles: constants, inline lists, a day's 24 hours (``{daily: [...]}``, by local
clock hour, the same every day), or a column of a CSV or Parquet file.

A file is read as it is, renewables.ninja downloads included (``#`` comment lines, a UTC ``time``
column). Its clock is the first of the columns ``timestamp``, ``time``, ``datetime``; a file with
a clock serves any window of its hours (the scenario's ``time`` picks the rows):

- timestamps with an offset or zone are converted to Asia/Shanghai; naive ones are read in the
  reference's ``timezone``, else in UTC if the file's header says so, else assumed to be local
  time, with a warning;
- values finer than hourly are averaged to hours, with a message; coarser ones are refused;
- a repeated or missing hour, including the ones daylight-saving changes make in foreign data,
  is an error naming the file, the column and the row.

A file without a clock must have a row per modelled hour, in order, or an ``hour`` column
numbering them from 0. Every failure is one line naming the file, the column and the row.
"""

from __future__ import annotations

import difflib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .schema import PROFILE_KINDS, ProfileRef, profile_bounds

TIMEZONE = "Asia/Shanghai"
TIME_COLUMN = "timestamp"  # the clock this model writes
CLOCK_COLUMNS = (TIME_COLUMN, "time", "datetime")
HOUR_COLUMN = "hour"


@dataclass
class _Table:
    frame: pd.DataFrame
    path: Path
    header: str  # comment lines above a CSV's header, lower case
    first_row: int  # the row number a person sees for the first data row

    def row(self, i: int) -> str:
        return f"row {self.first_row + i}"


# Parsed files by (path, modification time, size): a sweep worker reads each file once.
_TABLES: dict = {}
_TABLES_KEPT = 64
# Profiles taken from those files (checked, on the clock, over the modelled hours) by file key,
# reference, kind and hours: the measures analysis prepares about 40 a set, twice (every hour,
# then the merged steps), 18% of a set's CPU at six segments a day before this.
_PROFILES: dict = {}
_PROFILES_KEPT = 512


class ProfileStore:
    """Reads the profiles of one run and remembers every profile used, for ``inputs/``."""

    def __init__(self, index: pd.DatetimeIndex):
        self.index = index
        self.used: dict[str, np.ndarray] = {}
        self.sources: dict[str, pd.Series] = {}  # key -> the whole source, for annual normalisations
        self.warnings: list[str] = []
        self._hours = (str(index.tz), len(index), hash(index.asi8.tobytes()))

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
        elif ref.daily is not None:
            values = np.asarray(ref.daily, dtype=float)[self.index.hour]
        else:
            values = self._from_file(ref, kind, key, file_of)
        self.sources.setdefault(key, pd.Series(values, index=self.index))
        self.used[key] = values
        return values, float(self.sources[key].mean())

    def _warn(self, message: str):
        if message not in self.warnings:
            self.warnings.append(message)

    # ------------------------------------------------------------------ reading
    def _read(self, path: Path, key, file_of, sheet=None) -> _Table:
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise InputError(file_of(key), f"{key}.file", f"profile file not found: {path}") from None
        except OSError as e:  # a name too long, a folder that cannot be entered...
            raise InputError(file_of(key), f"{key}.file",
                             f"cannot read {str(path)[:120]}: {e.strerror}") from None
        cache_key = (str(path), sheet, stat.st_mtime_ns, stat.st_size)
        cached = _TABLES.get(cache_key)
        if cached is not None:
            return cached, cache_key
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".parquet", ".xlsx"):
            raise InputError(file_of(key), f"{key}.file", f"expected a .csv, .parquet or .xlsx file, got "
                             f"{path.name}")
        try:
            if suffix == ".xlsx":
                table = _Table(_sheet(path, sheet), path, "", 2)  # row 1 holds the column names
            elif suffix == ".parquet":
                table = _Table(pd.read_parquet(path), path, "", 1)
            else:
                header = _comment_lines(path)
                frame = pd.read_csv(path, skiprows=len(header), encoding="utf-8-sig")
                table = _Table(frame, path, "\n".join(header).lower(), len(header) + 2)
        except (OSError, ValueError, UnicodeDecodeError, ImportError) as e:
            raise InputError(path, None, f"cannot be read as a table: {e}") from None
        if len(_TABLES) >= _TABLES_KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[cache_key] = table
        return table, cache_key

    def _from_file(self, ref, kind, key, file_of):
        """A file's profile; one read before (the same file unchanged, the same reference, kind
        and hours) is copied, with the warnings it gave. Copies: a family may scale its own."""
        table, table_key = self._read(Path(ref.file), key, file_of, ref.sheet)
        memo = (table_key, ref, kind, self._hours)
        if memo not in _PROFILES:
            warnings, self.warnings = self.warnings, []
            try:
                values = self._checked(table, ref, kind, key)
                found = (values.copy(), self.sources.pop(key, None), self.warnings)
            finally:
                self.warnings = warnings
            if len(_PROFILES) >= _PROFILES_KEPT:
                _PROFILES.pop(next(iter(_PROFILES)))
            _PROFILES[memo] = found
        values, source, warnings = _PROFILES[memo]
        if source is not None:
            self.sources[key] = source.copy()
        for w in warnings:
            self._warn(w)
        return values.copy()

    def _checked(self, table, ref, kind, key):
        df, path = table.frame, table.path
        if ref.column not in df.columns:
            near = difflib.get_close_matches(ref.column, [str(c) for c in df.columns], n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; columns: {', '.join(map(str, df.columns))}"
            raise InputError(path, ref.column, f"no such column (named by {key}){hint}")
        col = pd.to_numeric(df[ref.column], errors="coerce")
        bad = np.flatnonzero(~np.isfinite(col.to_numpy(dtype=float, na_value=np.nan)))
        if bad.size:
            raise InputError(path, ref.column, f"{table.row(bad[0])}: expected a number, got "
                             f"{df[ref.column].iloc[bad[0]]!r} (named by {key})")
        lo, hi = profile_bounds(kind)
        out = np.flatnonzero(((col < lo) | (col > hi)).to_numpy())
        if out.size:
            raise InputError(path, ref.column, f"{table.row(out[0])}: {col.iloc[out[0]]:g} is outside "
                             f"[{lo:g}, {hi:g}]; expected {PROFILE_KINDS[kind]} (named by {key})")
        values = col.to_numpy(dtype=float)
        clock = next((c for c in CLOCK_COLUMNS if c in df.columns), None)
        if clock is not None:
            return self._on_clock(table, clock, values, ref, key)
        if HOUR_COLUMN in df.columns:
            return self._by_hour_number(table, values, ref)
        if len(values) != len(self.index):
            raise InputError(path, ref.column, f"has {len(values)} rows, expected {len(self.index)} "
                             f"(time.hours), or a '{TIME_COLUMN}' column that covers the modelled hours")
        return values

    def _by_hour_number(self, table, values, ref):
        hours = pd.to_numeric(table.frame[HOUR_COLUMN], errors="coerce").to_numpy()
        n = len(self.index)
        expected = np.arange(n)
        order = np.argsort(hours, kind="stable")
        if len(hours) != n or not np.array_equal(hours[order], expected):
            seen = pd.Series(hours)
            dup = np.flatnonzero(seen.duplicated().to_numpy())
            if dup.size:
                raise InputError(table.path, HOUR_COLUMN, f"{table.row(dup[0])}: hour {hours[dup[0]]:g} repeated")
            missing = np.setdiff1d(expected, hours)
            first = f"hour {missing[0]} is missing" if missing.size else f"hours run past {n - 1}"
            raise InputError(table.path, HOUR_COLUMN, f"expected hours 0 to {n - 1} once each; {first}")
        return values[order]

    def _on_clock(self, table, clock, values, ref, key):
        path = table.path
        column = table.frame[clock]
        try:
            # Parquet keeps timestamps typed; parsing them again costs 0.1 s a profile.
            typed = pd.api.types.is_datetime64_any_dtype(column)
            stamps = pd.DatetimeIndex(column if typed else pd.to_datetime(column, format="mixed"))
        except (ValueError, TypeError):
            try:  # offsets that differ from row to row (foreign daylight saving) parse only via UTC
                stamps = pd.DatetimeIndex(pd.to_datetime(table.frame[clock], format="mixed", utc=True))
            except (ValueError, TypeError) as e:
                raise InputError(path, clock, f"cannot parse timestamps: {e}") from None
        if stamps.tz is None:
            stamps = self._localise(table, clock, stamps, ref)
        stamps = stamps.tz_convert(TIMEZONE)
        if stamps.has_duplicates:
            dup = np.flatnonzero(stamps.duplicated())[0]
            raise InputError(path, clock, f"{table.row(dup)}: hour {stamps[dup]} repeated (a daylight-saving "
                             "change in the source's clock?)")
        series = pd.Series(values, index=stamps).sort_index()
        series = self._to_hours(series, table, clock, ref)
        self.sources[key] = series
        window = series.reindex(self.index)
        missing = np.flatnonzero(window.isna().to_numpy())
        if missing.size:
            raise InputError(path, ref.column, f"has no value for {self.index[missing[0]]} "
                             f"({missing.size} modelled hours missing; the file covers {series.index[0]} "
                             f"to {series.index[-1]}; named by {key})")
        return window.to_numpy()

    def _localise(self, table, clock, stamps, ref):
        """Give naive timestamps a zone: the reference's, UTC if the file says so, else local."""
        if ref.timezone:
            zone = ref.timezone
        elif "utc" in table.header:
            zone = "UTC"
        else:
            zone = TIMEZONE
            self._warn(f"{table.path}: {clock}: timestamps carry no time zone; assumed {TIMEZONE} "
                       "(give timezone: NAME in the profile reference to say otherwise)")
        local = stamps.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        bad = np.flatnonzero(local.isna() & ~stamps.isna())
        if bad.size:
            raise InputError(table.path, clock, f"{table.row(bad[0])}: {stamps[bad[0]]} is repeated or skipped "
                             f"by a daylight-saving change in {zone}; give UTC times or times with an offset")
        return local

    def _to_hours(self, series, table, clock, ref):
        if len(series) < 2:
            return series
        step = pd.Series(series.index).diff().dropna().min()
        hour = pd.Timedelta(hours=1)
        if step == hour:
            return series
        if step > hour:
            raise InputError(table.path, clock, f"values are {step} apart; expected hourly or finer values")
        if hour % step:
            raise InputError(table.path, clock, f"values are {step} apart, which does not divide an hour")
        self._warn(f"{table.path}: {ref.column}: {step}-step values averaged to hourly means")
        counts = series.resample("h").count()
        short = counts[counts < hour // step]
        if len(short):
            raise InputError(table.path, ref.column, f"the hour from {short.index[0]} has {int(short.iloc[0])} of "
                             f"{hour // step} values")
        return series.resample("h").mean()

    def table(self) -> pd.DataFrame:
        """Every profile used, one column a scenario key, for ``inputs/profiles.parquet``."""
        df = pd.DataFrame(self.used)
        df.insert(0, TIME_COLUMN, self.index)
        return df


def _sheet(path: Path, sheet: str | None) -> pd.DataFrame:
    """One sheet of a workbook (the first if ``sheet`` is None), its first row the column names."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise InputError(path, None, f"cannot be read as an Excel workbook: {e}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(path, sheet, f"no such sheet; sheets: {', '.join(book.sheetnames)}")
        rows = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        names = next(rows, None) or ()
        return pd.DataFrame(list(rows), columns=[str(n) for n in names])
    finally:
        book.close()


def _comment_lines(path: Path) -> list[str]:
    """The ``#`` lines above a CSV's header (renewables.ninja puts its metadata there)."""
    lines = []
    with open(path, encoding="utf-8-sig") as fh:  # -sig: Excel and some editors add a byte-order mark
        for line in fh:
            if not line.startswith("#"):
                break
            lines.append(line.rstrip("\n"))
    return lines
