"""The hourly time base of a weather year, and moves between hourly and daily resolution.

Every profile is indexed by hour-beginning local timestamps in Asia/Shanghai (UTC+8, China has no
daylight saving time): the row stamped 13:00 stands for the hour 13:00-14:00. Physical quantities
that change within the hour (solar geometry, the diurnal cycles) are evaluated at mid-hour, so
the value represents the hour's mean. Any calendar year works; a leap year has 8,784 hours.

Daily quantities (a day's weather anomaly, its sunrise) are placed at local noon of their day and
interpolated linearly in between, so nothing steps at midnight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TIMEZONE = "Asia/Shanghai"
HOURS_PER_DAY = 24


def hourly_index(calendar_year: int) -> pd.DatetimeIndex:
    """Hour-beginning local timestamps of the calendar year."""
    return pd.date_range(f"{calendar_year}-01-01", f"{calendar_year + 1}-01-01", freq="h",
                         tz=TIMEZONE, inclusive="left", name="timestamp")


def mid_hour(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The middle of each hour, where hour-mean geometry is evaluated."""
    return index + pd.Timedelta(minutes=30)


def days_in_year(index: pd.DatetimeIndex) -> int:
    return len(index) // HOURS_PER_DAY


def day_number(index: pd.DatetimeIndex) -> np.ndarray:
    """0-based day of the year of each hour."""
    return index.day_of_year.to_numpy() - 1


def local_hour(index: pd.DatetimeIndex) -> np.ndarray:
    """Local clock time at mid-hour, in hours (0.5 ... 23.5)."""
    return index.hour.to_numpy() + 0.5


def year_phase(index: pd.DatetimeIndex) -> np.ndarray:
    """Fractional day of the year at mid-hour (0 = 1 January 00:00)."""
    return day_number(index) + local_hour(index) / HOURS_PER_DAY


def annual_cosine(days, peak_day: float, n_days: int, harmonic: int = 1) -> np.ndarray:
    """cos with `harmonic` cycles a year, equal to 1 on `peak_day`."""
    return np.cos(2.0 * np.pi * harmonic * (np.asarray(days, dtype=float) - peak_day) / n_days)


def daily_to_hourly(daily: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    """Linear interpolation of one value a day, set at local noon, to every mid-hour."""
    noons = np.arange(len(daily)) + 0.5
    return np.interp(year_phase(index), noons, daily)


def daily_mean(hourly: np.ndarray, index: pd.DatetimeIndex, weights=None) -> np.ndarray:
    """Mean of an hourly series over each local day, optionally weighted (e.g. daylight only)."""
    day = day_number(index)
    weights = np.ones(len(index)) if weights is None else np.asarray(weights, dtype=float)
    total = np.bincount(day, weights=weights * hourly, minlength=days_in_year(index))
    count = np.bincount(day, weights=weights, minlength=days_in_year(index))
    return total / np.maximum(count, np.finfo(float).tiny)


def monthly_table(index: pd.DatetimeIndex, table) -> np.ndarray:
    """A 12-value table (January ... December), set at mid-month and interpolated hour by hour.

    Interpolation is periodic over the year, so December runs smoothly into January.
    """
    year = index[0].year
    starts = pd.date_range(f"{year}-01-01", periods=12, freq="MS")
    mid_month = starts.day_of_year.to_numpy() - 1 + starts.days_in_month.to_numpy() / 2.0
    return np.interp(year_phase(index), mid_month, np.asarray(table, dtype=float),
                     period=days_in_year(index))


def month_means(hourly: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    """Mean of an hourly series over each calendar month, January first."""
    month = index.month.to_numpy() - 1
    return np.bincount(month, weights=hourly, minlength=12) / np.bincount(month, minlength=12)
