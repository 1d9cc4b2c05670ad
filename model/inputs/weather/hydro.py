"""Run-of-river hydro availability in Jiuquan: snow- and glacier-melt rivers of the Qilian Shan.

All figures are assumptions. The rivers (Shule, Beida, Taolai) run low and partly frozen in
winter and peak with the summer melt and rain, June to August. Relative mid-month shape, January
to December,

    0.45 0.45 0.50 0.65 0.90 1.35 1.60 1.55 1.20 0.85 0.60 0.50,

interpolated between mid-months and scaled so the expected annual full-load hours are 3,500 h
(assumption). Weather noise is multiplicative and log-normal with mean 1:

    a(t) = min(1, shape(t) exp(s_y y + s_d x(t) - (s_y^2 + s_d^2) / 2)),

y a standard-normal draw for the whole year (wet and dry years, s_y = 0.08) and x a daily AR(1)
with lag-1 correlation 0.9 (rivers change slowly), s_d = 0.10, set at noon and interpolated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .stochastic import ar1
from .timebase import daily_to_hourly, days_in_year, monthly_table

MONTHLY_SHAPE = (0.45, 0.45, 0.50, 0.65, 0.90, 1.35, 1.60, 1.55, 1.20, 0.85, 0.60, 0.50)
TARGET_FLH = 3500.0
YEAR_LOG_SD = 0.08
DAY_LOG_SD = 0.10
DAY_TO_DAY = 0.9


def seasonal_availability(index: pd.DatetimeIndex) -> np.ndarray:
    """The noiseless seasonal shape, summing to the target full-load hours over the year."""
    shape = monthly_table(index, MONTHLY_SHAPE)
    return shape * TARGET_FLH / shape.sum()


def hydro_availability(rng: np.random.Generator, index: pd.DatetimeIndex, seasonal) -> np.ndarray:
    year = rng.standard_normal()
    days = daily_to_hourly(ar1(rng, days_in_year(index), DAY_TO_DAY), index)
    noise = np.exp(YEAR_LOG_SD * year + DAY_LOG_SD * days - (YEAR_LOG_SD**2 + DAY_LOG_SD**2) / 2.0)
    return np.clip(seasonal * noise, 0.0, 1.0)
