"""Weather years for Jiuquan: the calibrated climate of a calendar year, and its weather draws.

A Climate holds everything about a calendar year that does not depend on the random draw: the
hours, the sun's path, the calibrated cloud threshold (sky.py) and fleet wind scale (wind.py),
the temperature, hydro and load cycles. It is built once; then weather year k = 1, 2, ... is a
random draw from it with seed (base_seed, k) (stochastic.py). Every weather year is laid on the
same calendar year, so a scenario of that year's fleet can be run under any year's weather.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import csp, hydro, load, pv, regions, sky, wind
from .files import compact, statistics_path, weather_path, write_csv, write_parquet
from .sites import SOLAR_SITE
from .statistics import year_statistics
from .stochastic import combine, year_streams
from .temperature import (
    SCREEN_HEIGHT_M,
    TemperatureClimate,
    air_temperature,
    city_to,
    temperature_climate,
)
from .timebase import hourly_index

DEFAULT_SEED = 2019
DEFAULT_CALENDAR_YEAR = 2019
AVAILABILITY_COLUMNS = ("wind", "wind_best_site", "pv", "pv_tracking", "csp_field", "hydro")
LOAD_COLUMNS = ("load", "load_households", "load_industry")
# The regions' columns come last: the earlier ones stay as they were before regions existed.
COLUMNS = ("timestamp", *AVAILABILITY_COLUMNS, "temperature", *LOAD_COLUMNS,
           "ghi", "dni", "dhi", "wind_speed_hub", *regions.COLUMNS)


@dataclass(frozen=True)
class Climate:
    """A calendar year's hours, sun path, calibrations and deterministic cycles."""

    calendar_year: int
    index: pd.DatetimeIndex
    geometry: sky.SolarGeometry
    cloud_shift: np.ndarray
    clear_threshold: float
    expected_sunshine_h: float
    temperature: TemperatureClimate
    wind_modulation: np.ndarray
    expected_density: np.ndarray
    farm_curve: wind.Curve
    fleet_curve: wind.Curve
    fleet_scale: float
    best_site_scale: float
    tracker: pv.Orientation
    hydro_seasonal: np.ndarray
    loads: dict
    regions: tuple  # regions.RegionClimate, one a region


def build_climate(calendar_year: int = DEFAULT_CALENDAR_YEAR) -> Climate:
    """Solar geometry, calibrations and deterministic cycles of one calendar year."""
    index = hourly_index(calendar_year)
    geometry = sky.solar_geometry(index)
    shift = sky.cloud_shift(index)
    limits = sky.haze_cloud_limits(geometry)
    threshold = sky.calibrate_clear_threshold(limits, shift)
    temperature = temperature_climate(index, sky.expected_clear_fraction(shift, threshold), geometry.daylight)
    modulation = wind.modulation(index)
    density = wind.hub_density(temperature.expected)
    farm = wind.farm_curve()
    fleet = wind.fleet_curve(farm)
    return Climate(
        calendar_year=calendar_year, index=index, geometry=geometry, cloud_shift=shift,
        clear_threshold=threshold,
        expected_sunshine_h=sky.expected_sunshine_hours(limits, shift, threshold),
        temperature=temperature, wind_modulation=modulation, expected_density=density,
        farm_curve=farm, fleet_curve=fleet,
        fleet_scale=wind.calibrate_scale(fleet, modulation, density),
        best_site_scale=wind.best_site_scale(),
        tracker=pv.tracking_orientation(geometry),
        hydro_seasonal=hydro.seasonal_availability(index),
        loads=load.load_shapes(index),
        regions=tuple(regions.region_climate(r, index, shift, fleet, modulation, density)
                      for r in regions.REGIONS),
    )


def generate_year(climate: Climate, weather_year: int, base_seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One weather year: the profile columns (COLUMNS), full precision."""
    index, geometry = climate.index, climate.geometry
    streams = year_streams(base_seed, weather_year)
    cloud_slow, cloud_fast = sky.cloud_parts(streams["clouds"], len(index))
    cloud = sky.cloud_fraction(combine(cloud_slow, cloud_fast, sky.CLOUD_SLOW_SHARE),
                               climate.cloud_shift, climate.clear_threshold)
    haze = sky.haze_factor(streams["haze"], index)
    sun = sky.irradiance(geometry, sky.clear_sky(geometry, haze), cloud)
    temperature = air_temperature(climate.temperature, streams["temperature"], 1.0 - cloud,
                                  geometry.daylight, index)
    wind_slow, wind_fast = wind.wind_parts(streams["wind"], len(index))
    latent = combine(wind_slow, wind_fast, wind.SLOW_SHARE)
    fleet_speed = wind.hub_speed(latent, climate.fleet_scale, climate.wind_modulation)
    density = wind.hub_density(temperature)
    # PV cells feel Dunhuang's air and a 10 m wind from the same weather systems.
    module_air = city_to(temperature, SOLAR_SITE.altitude_m + SCREEN_HEIGHT_M)
    module_wind = wind.to_height(fleet_speed, wind.HUB_HEIGHT_M, pv.MODULE_WIND_HEIGHT_M)
    columns = {
        "timestamp": index,
        "wind": wind.output(climate.fleet_curve, fleet_speed, density),
        "wind_best_site": wind.output(
            climate.farm_curve, wind.hub_speed(latent, climate.best_site_scale, climate.wind_modulation), density),
        "pv": pv.pv_output(pv.fixed_orientation(len(index)), geometry, sun, module_air, module_wind),
        "pv_tracking": pv.pv_output(climate.tracker, geometry, sun, module_air, module_wind),
        "csp_field": csp.field_output(sun.dni, geometry.apparent_zenith, geometry.azimuth),
        "hydro": hydro.hydro_availability(streams["hydro"], index, climate.hydro_seasonal),
        "temperature": temperature,
        **climate.loads,
        "ghi": sun.ghi, "dni": sun.dni, "dhi": sun.dhi,
        "wind_speed_hub": fleet_speed,
        **regions.region_columns(streams["regions"], climate.regions, index, wind_slow, cloud_slow,
                                 haze, climate.cloud_shift, temperature, climate.fleet_curve,
                                 climate.wind_modulation, density),
    }
    return pd.DataFrame({name: columns[name] for name in COLUMNS})


def write_weather_years(climate: Climate, out_dir: Path, years: int,
                        base_seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Write weather years 1..years as Parquet files and their statistics as CSV; return those."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for weather_year in range(1, years + 1):
        frame = compact(generate_year(climate, weather_year, base_seed))
        write_parquet(frame, weather_path(out_dir, weather_year))
        rows.append({"weather_year": weather_year, **year_statistics(frame)})
    statistics = pd.DataFrame(rows)
    write_csv(statistics, statistics_path(out_dir))
    return statistics
