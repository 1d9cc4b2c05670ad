"""Local load shapes of Jiuquan: households, industry, and the base-load mix; each mean 1.0.

All figures are assumptions (FACTS has no Jiuquan load data). The shapes depend on the calendar
only, not on the weather draw: temperature-driven electric heating is modelled separately, by
the dispatch model's clean-heating demand.

Households. Hour-of-day tables (local time) for mid-winter and mid-summer, blended by
w = (1 + cos(2 pi (d - 14.5) / D)) / 2 (1 in mid-January, 0 in mid-July). Winter evenings peak
early and high (dark by 18:30, lighting and cooking together, 19:00-21:00); summer evenings
peak later (21:00-22:00) with a midday bump. Seasonal level
1 + 0.08 cos(annual, peak mid-January) + 0.02 cos(semi-annual): 1.10 in winter, 0.94 in summer,
0.98 in spring and autumn. Weekends 1.04 (people at home).

Industry. Near flat (ferro-alloys, metals, chemicals run around the clock): 1 + 0.015 cos(2 pi
(h - 10) / 24) for day shifts; Saturday 0.98, Sunday 0.96.

Base load = 0.6 industry + 0.4 households (assumption).

Each shape is normalised to mean exactly 1.0 over the calendar year. Public holidays (Spring
Festival) are not modelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .timebase import annual_cosine, days_in_year, local_hour, year_phase

HOUSEHOLD_WINTER = (0.70, 0.62, 0.58, 0.56, 0.56, 0.58, 0.65, 0.78, 0.92, 0.98, 0.98, 1.02,
                    1.08, 1.02, 0.95, 0.93, 0.97, 1.12, 1.38, 1.52, 1.50, 1.38, 1.15, 0.90)
HOUSEHOLD_SUMMER = (0.82, 0.72, 0.66, 0.63, 0.62, 0.64, 0.70, 0.82, 0.92, 0.98, 1.02, 1.08,
                    1.15, 1.14, 1.08, 1.03, 1.02, 1.03, 1.08, 1.15, 1.30, 1.40, 1.30, 1.05)
HOUSEHOLD_ANNUAL = 0.08
HOUSEHOLD_SEMI_ANNUAL = 0.02
HOUSEHOLD_WEEKEND = 1.04
MIDWINTER_DAY = 14.5
INDUSTRY_DAILY = 0.015
INDUSTRY_PEAK_HOUR = 10.0
INDUSTRY_WEEKDAY = (1.0, 1.0, 1.0, 1.0, 1.0, 0.98, 0.96)  # Monday ... Sunday
INDUSTRY_SHARE = 0.6


def unit_mean(series) -> np.ndarray:
    return np.asarray(series) / np.mean(series)


def households(index: pd.DatetimeIndex) -> np.ndarray:
    n_days = days_in_year(index)
    phase = year_phase(index)
    winter = 0.5 * (1.0 + annual_cosine(phase, MIDWINTER_DAY, n_days))
    hour = index.hour.to_numpy()
    daily = winter * np.take(HOUSEHOLD_WINTER, hour) + (1.0 - winter) * np.take(HOUSEHOLD_SUMMER, hour)
    level = (1.0 + HOUSEHOLD_ANNUAL * annual_cosine(phase, MIDWINTER_DAY, n_days)
             + HOUSEHOLD_SEMI_ANNUAL * annual_cosine(phase, MIDWINTER_DAY, n_days, harmonic=2))
    weekly = np.where(index.day_of_week.to_numpy() >= 5, HOUSEHOLD_WEEKEND, 1.0)
    return unit_mean(daily * level * weekly)


def industry(index: pd.DatetimeIndex) -> np.ndarray:
    daily = 1.0 + INDUSTRY_DAILY * np.cos(2.0 * np.pi * (local_hour(index) - INDUSTRY_PEAK_HOUR) / 24.0)
    weekly = np.take(INDUSTRY_WEEKDAY, index.day_of_week.to_numpy())
    return unit_mean(daily * weekly)


def load_shapes(index: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """load_households, load_industry and their mix, load; each with mean 1.0."""
    home, works = households(index), industry(index)
    return {"load": INDUSTRY_SHARE * works + (1.0 - INDUSTRY_SHARE) * home,
            "load_households": home, "load_industry": works}
