"""Tables for the generator's printout and data/README.md: calibration targets against results."""

from __future__ import annotations

from math import gamma
from pathlib import Path

import numpy as np
import pandas as pd

from . import hydro, regions, sky, temperature, wind
from .files import statistics_path, weather_path
from .timebase import month_means

CSP_SOLAR_MULTIPLES = (2.5, 3.0)


def calibration_table(climate, statistics: pd.DataFrame) -> pd.DataFrame:
    """One row per calibrated or checked figure: target, source, expectation, and the years' spread."""
    speed_mean_factor = gamma(1.0 + 1.0 / wind.WEIBULL_SHAPE)
    to_70m = wind.to_height(1.0, wind.HUB_HEIGHT_M, wind.REFERENCE_HEIGHT_M)
    best_over_fleet = climate.best_site_scale / climate.fleet_scale
    month = month_means(climate.temperature.expected, climate.index)

    def expected_flh(curve, scale):
        return wind.expected_full_load_hours(curve, scale, climate.wind_modulation, climate.expected_density)

    rows = [
        ("sunshine hours (h)", sky.SUNSHINE_TARGET_H, "FACTS: Jiuquan, over 3,300 h",
         climate.expected_sunshine_h, statistics["sunshine_h"]),
        ("wind_best_site mean speed at 70 m (m/s)", wind.BEST_SITE_MEAN_SPEED_MS, "FACTS: Yumen wind farm",
         climate.best_site_scale * speed_mean_factor * to_70m,
         statistics["wind_speed_mean_ms"] * best_over_fleet * to_70m),
        ("wind_best_site power density at 70 m (W/m2)", wind.BEST_SITE_POWER_DENSITY_W_M2,
         "FACTS: Yumen wind farm (check only)", expected_power_density_70m(climate), None),
        ("wind full-load hours (h)", wind.FLEET_TARGET_FLH, "assumption: 1,770 h generated / (1 - 19 %)",
         expected_flh(climate.fleet_curve, climate.fleet_scale), statistics["wind_flh_h"]),
        ("wind fleet mean speed at hub (m/s)", np.nan, "result of the calibration",
         climate.fleet_scale * speed_mean_factor, statistics["wind_speed_mean_ms"]),
        ("wind_best_site full-load hours (h)", 3200.0, "FACTS: about 3,200 h at the best sites (check only)",
         expected_flh(climate.farm_curve, climate.best_site_scale), statistics["wind_best_site_flh_h"]),
        ("hydro full-load hours (h)", hydro.TARGET_FLH, "assumption",
         climate.hydro_seasonal.sum(), statistics["hydro_flh_h"]),
        ("temperature, January mean (C)", temperature.JANUARY_MEAN_C, "assumption: climate normal",
         month[0], statistics["temperature_january_c"]),
        ("temperature, July mean (C)", temperature.JULY_MEAN_C, "assumption: climate normal",
         month[6], statistics["temperature_july_c"]),
        ("pv full-load hours (h)", np.nan, "no target: pvlib chain, not rescaled", np.nan, statistics["pv_flh_h"]),
        ("pv_tracking full-load hours (h)", np.nan, "no target: pvlib chain, not rescaled", np.nan,
         statistics["pv_tracking_flh_h"]),
        ("csp_field full-load hours (h)", np.nan, "no target: check 1,500-2,200 h", np.nan,
         statistics["csp_field_flh_h"]),
        *[(f"csp_field FLH x SM {multiple:g} / hours of the year", np.nan,
           "FACTS plants: 0.45-0.55 electric, after storage and dumping losses", np.nan,
           statistics["csp_field_flh_h"] * multiple / len(climate.index)) for multiple in CSP_SOLAR_MULTIPLES],
        *[row for rc in climate.regions for row in _region_rows(climate, rc, statistics)],
        ("hydro_yellow_river full-load hours (h)", regions.YELLOW_RIVER_FLH, "assumption",
         regions.yellow_river_seasonal(climate.index).sum(),
         statistics["hydro_yellow_river_flh_h"]),
    ]
    return pd.DataFrame([_row(*row) for row in rows])


def _region_rows(climate, rc, statistics):
    key = rc.region.key
    return [
        (f"wind_{key} full-load hours (h)", rc.region.wind_flh,
         "assumption: Gansu 2019 about 1,925 h available (FACTS, derived) with the 2019 fleet",
         wind.expected_full_load_hours(climate.fleet_curve, rc.wind_scale, climate.wind_modulation,
                                       climate.expected_density), statistics[f"wind_{key}_flh_h"]),
        (f"{rc.region.site.name} sunshine hours (h)", rc.region.sunshine_h, "assumption",
         rc.expected_sunshine_h, None),
        (f"pv_{key} full-load hours (h)", np.nan, "no target: pvlib chain, not rescaled", np.nan,
         statistics[f"pv_{key}_flh_h"]),
        (f"wind_{key} correlation with wind", np.nan, "result: lagged shared synoptic part", np.nan,
         statistics[f"wind_{key}_correlation"]),
    ]


def _row(name, target, source, expected, achieved) -> dict:
    spread = {} if achieved is None else {"mean": achieved.mean(), "min": achieved.min(),
                                          "median": achieved.median(), "max": achieved.max()}
    return {"figure": name, "target": target, "source": source, "expected": expected,
            **{key: spread.get(key, np.nan) for key in ("mean", "min", "median", "max")}}


def expected_power_density_70m(climate) -> float:
    """E[0.5 rho v^3] of the best site at 70 m: c^3 Gamma(1 + 3/k) E[rho m^3] / 2."""
    scale_70m = wind.to_height(climate.best_site_scale, wind.HUB_HEIGHT_M, wind.REFERENCE_HEIGHT_M)
    cubic = gamma(1.0 + 3.0 / wind.WEIBULL_SHAPE) * np.mean(climate.expected_density * climate.wind_modulation**3)
    return 0.5 * scale_70m**3 * cubic


def files_table(out_dir: Path, years: int) -> str:
    """Sizes of the files written, one line each, with the folder's total."""
    paths = [weather_path(out_dir, k) for k in range(1, years + 1)] + [statistics_path(out_dir)]
    sizes = [path.stat().st_size for path in paths]
    lines = [f"{path.name:<24} {size / 1e3:8.1f} kB" for path, size in zip(paths, sizes)]
    return "\n".join([*lines, f"{'total':<24} {sum(sizes) / 1e6:8.2f} MB"])
