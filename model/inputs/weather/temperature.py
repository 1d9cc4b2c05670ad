"""Hourly air temperature at Jiuquan city: seasonal cycle, diurnal cycle, day-to-day anomaly.

    T(t) = S(t) + A(day) D(t) + a(t)                                                  [deg C]

Seasonal cycle S (assumption: typical climate normals for Jiuquan, January mean -9 C, July
mean +22 C, annual mean 7.5 C):

    S(t) = mu - a1 cos(2 pi (d - 14.5) / D) + a2 cos(4 pi (d - 14.5) / D),

coldest in mid-January; d is the day of the year (0 = 1 January), D its length. mu, a1 and a2
solve three linear equations: the expected January and July means and the expected annual mean
hit the three normals exactly in the calendar year asked for (the semi-annual term lets the
annual mean differ from the midpoint of January and July, 6.5 C).

Diurnal cycle D (assumption): -1 at sunrise, +1 at 2.5 h after solar transit, joined by two
half-cosines (a short warming, a long night cooling); sunrise and transit at Jiuquan from pvlib's
geometric sun times, so winter mornings bottom out later (sunrise about 08:50 Beijing time in
January). Half-range (assumption; the Hexi corridor's dry air gives large daily ranges):

    A = 3 C + (8 C - 3 C) s,

s the day's clear fraction: the mean of 1 - C over its daylight hours, C the Dunhuang cloud
fraction (sky.py) standing in for Jiuquan's, 350 km east. A clear day swings 16 C, an overcast
one 6 C.

Anomaly a (assumption): one value a day, an AR(1) with lag-1 correlation 0.75 and standard
deviation 3 + 1 cos(2 pi (d - 14.5) / D) C (4 C in winter, when cold waves come through, 2 C in
summer), set at local noon and interpolated linearly between noons.

The same air temperature drives the wind turbines' air density (wind.py) and the PV cells
(pv.py), moved to their elevations with the standard-atmosphere lapse rate of 6.5 K/km
(windpowerlib.temperature.linear_gradient).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from windpowerlib.temperature import linear_gradient

from .sites import CITY_SITE, Site
from .stochastic import ar1
from .timebase import (
    HOURS_PER_DAY,
    annual_cosine,
    daily_mean,
    daily_to_hourly,
    days_in_year,
    local_hour,
    month_means,
    year_phase,
)

JANUARY_MEAN_C = -9.0
JULY_MEAN_C = 22.0
ANNUAL_MEAN_C = 7.5
COLDEST_DAY = 14.5  # mid-January, 0-based
HALF_RANGE_OVERCAST_C = 3.0
HALF_RANGE_CLEAR_C = 8.0
WARMEST_AFTER_TRANSIT_H = 2.5
ANOMALY_SD_C = 3.0
ANOMALY_SD_SEASONAL_C = 1.0
ANOMALY_DAY_TO_DAY = 0.75
SCREEN_HEIGHT_M = 2.0  # thermometers stand 2 m above ground


@dataclass(frozen=True)
class TemperatureClimate:
    """The deterministic parts of a calendar year's temperature at Jiuquan."""

    seasonal: np.ndarray  # S(t)
    diurnal_shape: np.ndarray  # D(t)
    expected: np.ndarray  # E[T(t)]


def sun_hours(index: pd.DatetimeIndex, site: Site = CITY_SITE) -> tuple[np.ndarray, np.ndarray]:
    """Local clock hour of sunrise and of solar transit, each day, interpolated hour by hour."""
    noons = index[12::HOURS_PER_DAY]
    day_of_year = noons.day_of_year.to_numpy()
    sunrise, _, transit = pvlib.solarposition.sun_rise_set_transit_geometric(
        noons, site.latitude, site.longitude,
        pvlib.solarposition.declination_spencer71(day_of_year),
        pvlib.solarposition.equation_of_time_spencer71(day_of_year))

    def clock(times):
        return times.hour.to_numpy() + times.minute.to_numpy() / 60.0 + times.second.to_numpy() / 3600.0

    return daily_to_hourly(clock(sunrise), index), daily_to_hourly(clock(transit), index)


def diurnal_shape(hour, coldest_hour, warmest_hour) -> np.ndarray:
    """-1 at the coldest hour, +1 at the warmest, two half-cosines in between."""
    since_coldest = (hour - coldest_hour) % HOURS_PER_DAY
    warming = warmest_hour - coldest_hour
    return np.where(since_coldest < warming,
                    -np.cos(np.pi * since_coldest / warming),
                    np.cos(np.pi * (since_coldest - warming) / (HOURS_PER_DAY - warming)))


def half_range(clear_fraction) -> np.ndarray:
    """Half the daily temperature range (C): clear days swing more."""
    return HALF_RANGE_OVERCAST_C + (HALF_RANGE_CLEAR_C - HALF_RANGE_OVERCAST_C) * np.asarray(clear_fraction)


def day_clear_fraction(clear_fraction, daylight, index: pd.DatetimeIndex) -> np.ndarray:
    """Each day's mean clear fraction over its daylight hours, interpolated hour by hour."""
    return daily_to_hourly(daily_mean(clear_fraction, index, weights=daylight), index)


def seasonal_cycle(index: pd.DatetimeIndex, expected_diurnal) -> np.ndarray:
    """S(t) such that January, July and the year have the normal mean temperatures."""
    phase = year_phase(index)
    n_days = days_in_year(index)
    basis = np.column_stack([np.ones(len(index)), -annual_cosine(phase, COLDEST_DAY, n_days),
                             annual_cosine(phase, COLDEST_DAY, n_days, harmonic=2)])
    # Rows: January mean, July mean, annual mean of S; the diurnal term's own means move to the right.
    rows = np.vstack([month_means(basis[:, j], index)[[0, 6]] for j in range(3)]).T
    rows = np.vstack([rows, basis.mean(axis=0)])
    diurnal_months = month_means(expected_diurnal, index)[[0, 6]]
    targets = np.array([JANUARY_MEAN_C - diurnal_months[0], JULY_MEAN_C - diurnal_months[1],
                        ANNUAL_MEAN_C - expected_diurnal.mean()])
    return basis @ np.linalg.solve(rows, targets)


def temperature_climate(index: pd.DatetimeIndex, expected_clear_fraction, daylight) -> TemperatureClimate:
    sunrise, transit = sun_hours(index)
    shape = diurnal_shape(local_hour(index), sunrise, transit + WARMEST_AFTER_TRANSIT_H)
    expected_diurnal = half_range(day_clear_fraction(expected_clear_fraction, daylight, index)) * shape
    seasonal = seasonal_cycle(index, expected_diurnal)
    return TemperatureClimate(seasonal=seasonal, diurnal_shape=shape, expected=seasonal + expected_diurnal)


def anomaly(rng: np.random.Generator, index: pd.DatetimeIndex) -> np.ndarray:
    n_days = days_in_year(index)
    noons = np.arange(n_days) + 0.5
    spread = ANOMALY_SD_C + ANOMALY_SD_SEASONAL_C * annual_cosine(noons, COLDEST_DAY, n_days)
    return daily_to_hourly(spread * ar1(rng, n_days, ANOMALY_DAY_TO_DAY), index)


def air_temperature(climate: TemperatureClimate, rng: np.random.Generator, clear_fraction,
                    daylight, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly air temperature at Jiuquan (C) for one weather year."""
    amplitude = half_range(day_clear_fraction(clear_fraction, daylight, index))
    return climate.seasonal + amplitude * climate.diurnal_shape + anomaly(rng, index)


def city_to(temperature_c, altitude_m: float) -> np.ndarray:
    """Jiuquan screen temperature (C) moved to another altitude by the standard lapse rate."""
    return np.asarray(linear_gradient(np.asarray(temperature_c),
                                      CITY_SITE.altitude_m + SCREEN_HEIGHT_M, altitude_m))
