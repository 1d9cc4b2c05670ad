"""Statistics of a weather year, and their summary across weather years.

Per year (one row of statistics.csv):
    *_flh_h                 annual full-load hours: the sum of the hourly availability (h)
    wind_speed_mean_ms      mean fleet hub-height speed (m/s)
    sunshine_h              hours with DNI >= 120 W/m2 (WMO sunshine definition)
    dni_kwh_per_m2, ghi_kwh_per_m2   annual irradiation (kWh/m2)
    wind_pv_correlation     Pearson correlation of the hourly wind and pv columns
    wind_hexi_correlation, wind_gansu_correlation   Pearson correlation of each region's hourly
                            wind with Jiuquan's
    temperature_january_c, temperature_july_c   monthly mean air temperature at Jiuquan (C)
    heating_degree_hours_kh sum of max(0, 18 C - T) over 1 Jan-31 Mar and 1 Nov-31 Dec of the
                            calendar year, the heating season's two ends (K h)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .regions import COLUMNS as REGION_COLUMNS
from .sky import sunshine_hours

FLH_COLUMNS = ("wind", "wind_best_site", "pv", "pv_tracking", "csp_field", "hydro", *REGION_COLUMNS)
HEATING_BASE_C = 18.0
HEATING_MONTHS = (1, 2, 3, 11, 12)


def year_statistics(frame: pd.DataFrame) -> dict:
    month = frame["timestamp"].dt.month
    temperature = frame["temperature"].astype(float)
    heating = month.isin(HEATING_MONTHS)
    return {
        **{f"{name}_flh_h": float(frame[name].astype(float).sum()) for name in FLH_COLUMNS},
        "wind_speed_mean_ms": float(frame["wind_speed_hub"].astype(float).mean()),
        "sunshine_h": sunshine_hours(frame["dni"]),
        "dni_kwh_per_m2": float(frame["dni"].astype(float).sum()) / 1000.0,
        "ghi_kwh_per_m2": float(frame["ghi"].astype(float).sum()) / 1000.0,
        "wind_pv_correlation": float(np.corrcoef(frame["wind"], frame["pv"])[0, 1]),
        **{f"wind_{r}_correlation": float(np.corrcoef(frame["wind"], frame[f"wind_{r}"])[0, 1])
           for r in ("hexi", "gansu")},
        "temperature_january_c": float(temperature[month == 1].mean()),
        "temperature_july_c": float(temperature[month == 7].mean()),
        "heating_degree_hours_kh": float((HEATING_BASE_C - temperature[heating]).clip(lower=0.0).sum()),
    }


def summarise(statistics: pd.DataFrame) -> pd.DataFrame:
    """Mean, min, median and max of each statistic across weather years."""
    return statistics.drop(columns="weather_year").agg(["mean", "min", "median", "max"]).T


def median_wind_year(statistics: pd.DataFrame) -> int:
    """The weather year whose fleet wind full-load hours are closest to the median."""
    distance = (statistics["wind_flh_h"] - statistics["wind_flh_h"].median()).abs()
    return int(statistics.loc[distance.idxmin(), "weather_year"])
