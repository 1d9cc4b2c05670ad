"""Wind and sun for the rest of Hexi and the Gansu main grid, and Yellow River hydro.

Every figure is an assumption unless a source is named. The Jiuquan columns (wind.py, sky.py)
are left as they are; each region gets its own wind and PV columns, correlated with Jiuquan's as
neighbouring sites are.

Fronts. Cold fronts and the cloud bands of synoptic systems cross the Hexi corridor from the west
(north-west) at about FRONT_SPEED_KMH = 40 km/h. A region at great-circle distance d from the
Jiuquan site (Guazhou for wind, Dunhuang for sun) sees the same synoptic systems L = round(d / 40)
hours later, weakened with distance. Its latent variable is

    z_r(t) = sqrt(s) (rho S(t - L) + sqrt(1 - rho^2) S_r(t)) + sqrt(1 - s) F_r(t),
    rho = exp(-d / CORRELATION_LENGTH_KM),  CORRELATION_LENGTH_KM = 1,500 km,

S the Jiuquan synoptic part (the same draw as Jiuquan's column), S_r and F_r the region's own
synoptic and local parts (fresh draws of the same memories), s the synoptic share of the process
(wind.SLOW_SHARE, sky.CLOUD_SLOW_SHARE). z_r is N(0, 1) at every hour, so the marginals, and hence
the calibrations by expectation in wind.py and sky.py, carry over unchanged. The hours before the
year's first are the AR(1) run backwards (stochastic.lagged).

Wind. The Jiuquan fleet curve, modulation and air density (assumption: the regions' wind farms
stand at a similar 1,500-1,800 m), with the fleet's mean speed set so the expected available
full-load hours are the region's WIND_FLH (below). Those targets are set so that the Gansu fleet
of the 2019 context scenario (Jiuquan 9.2 GW at 2,200 h, rest of Hexi 2.35 GW, main grid 1.3 GW)
expects about 1,925 h available (FACTS, derived: Gansu 2019 about 1,780 h generated, 7.6 %
curtailed): (1,925 x 12.85 - 2,200 x 9.2) / 3.65 = 1,230 h for the two regions together; the
targets below give 1,250 h.

Sun. pvlib geometry and clear sky at the region's site, the Dunhuang haze of the same day
(assumption: dust is regional), clouds from z_r with the threshold calibrated to the region's
SUNSHINE_H (sky.calibrate_clear_threshold), then the same fixed-tilt PV chain as Jiuquan's `pv`,
with the Jiuquan air temperature moved to the site's altitude. The sunshine targets are climate
normals as remembered (assumption; ranges in data/README.md).

Yellow River hydro. The Gansu main grid's cascade (Liujiaxia, Yanguoxia, Bapanxia, Daxia...):
flood season July-September, low flow in late winter, flattened by the upstream reservoirs
(Longyangxia); mid-month shape Jan-Dec below, scaled to YELLOW_RIVER_FLH expected full-load
hours, with hydro.py's wet/dry-year and daily noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import asin, cos, exp, radians, sin, sqrt

import numpy as np
import pandas as pd

from . import hydro, pv, sky, wind
from .sites import SOLAR_SITE, WIND_SITE, Site
from .stochastic import combine, lagged, two_timescale_parts, unit_weibull
from .temperature import SCREEN_HEIGHT_M, city_to
from .timebase import monthly_table

FRONT_SPEED_KMH = 40.0
CORRELATION_LENGTH_KM = 1500.0
EARTH_RADIUS_KM = 6371.0
YELLOW_RIVER_SHAPE = (0.75, 0.70, 0.75, 0.85, 1.00, 1.10, 1.30, 1.35, 1.30, 1.10, 0.85, 0.80)
YELLOW_RIVER_FLH = 3700.0


@dataclass(frozen=True)
class Region:
    key: str  # column suffix: wind_<key>, pv_<key>
    site: Site
    wind_flh: float  # expected available full-load hours of its wind fleet
    sunshine_h: float  # expected sunshine hours


# Zhangye stands for the rest of Hexi (Jiayuguan, Zhangye, Jinchang, Wuwei), Baiyin for the main
# grid's wind and PV (Baiyin, Dingxi, Lanzhou new area); coordinates and heights approximate.
REGIONS = (
    Region("hexi", Site("Zhangye", 38.93, 100.45, 1480.0), 1300.0, 2900.0),
    Region("gansu", Site("Baiyin", 36.55, 104.17, 1700.0), 1150.0, 2450.0),
)
COLUMNS = (*(f"{kind}_{r.key}" for r in REGIONS for kind in ("wind", "pv")), "hydro_yellow_river")


def distance_km(a: Site, b: Site) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = radians(a.latitude), radians(b.latitude)
    dp, dl = p2 - p1, radians(b.longitude - a.longitude)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * asin(sqrt(h))


def lag_hours(origin: Site, site: Site) -> int:
    return int(round(distance_km(origin, site) / FRONT_SPEED_KMH))


def synoptic_correlation(origin: Site, site: Site) -> float:
    return exp(-distance_km(origin, site) / CORRELATION_LENGTH_KM)


@dataclass(frozen=True)
class RegionClimate:
    region: Region
    geometry: sky.SolarGeometry
    clear_threshold: float
    expected_sunshine_h: float
    wind_scale: float


def region_climate(region: Region, index: pd.DatetimeIndex, cloud_shift, fleet_curve,
                   modulation, density) -> RegionClimate:
    geometry = sky.solar_geometry(index, region.site)
    limits = sky.haze_cloud_limits(geometry)
    threshold = sky.calibrate_clear_threshold(limits, cloud_shift, region.sunshine_h)
    return RegionClimate(region, geometry, threshold,
                         sky.expected_sunshine_hours(limits, cloud_shift, threshold),
                         wind.calibrate_scale(fleet_curve, modulation, density, region.wind_flh))


def yellow_river_seasonal(index: pd.DatetimeIndex) -> np.ndarray:
    shape = monthly_table(index, YELLOW_RIVER_SHAPE)
    return shape * YELLOW_RIVER_FLH / shape.sum()


def _regional_latent(rng, synoptic, origin: Site, site: Site, slow_hours, fast_hours, slow_share):
    """z_r of the module docstring: Jiuquan's synoptic part lagged, mixed with the region's own."""
    own_slow, own_fast = two_timescale_parts(rng, len(synoptic), slow_hours, fast_hours)
    rho = synoptic_correlation(origin, site)
    shared = lagged(rng, synoptic, lag_hours(origin, site), np.exp(-1.0 / slow_hours))
    return combine(rho * shared + np.sqrt(1.0 - rho**2) * own_slow, own_fast, slow_share)


def region_columns(rng: np.random.Generator, climates, index: pd.DatetimeIndex, wind_synoptic,
                   cloud_synoptic, haze, cloud_shift, temperature, fleet_curve, modulation,
                   density) -> dict:
    """The regions' columns of one weather year; draws from `rng` in a fixed order."""
    columns = {}
    for rc in climates:
        region = rc.region
        z_wind = _regional_latent(rng, wind_synoptic, WIND_SITE, region.site, wind.SLOW_HOURS,
                                  wind.FAST_HOURS, wind.SLOW_SHARE)
        z_cloud = _regional_latent(rng, cloud_synoptic, SOLAR_SITE, region.site,
                                   sky.CLOUD_SLOW_HOURS, sky.CLOUD_FAST_HOURS, sky.CLOUD_SLOW_SHARE)
        speed = rc.wind_scale * unit_weibull(z_wind, wind.WEIBULL_SHAPE) * modulation
        cloud = sky.cloud_fraction(z_cloud, cloud_shift, rc.clear_threshold)
        sun = sky.irradiance(rc.geometry, sky.clear_sky(rc.geometry, haze), cloud)
        air = city_to(temperature, region.site.altitude_m + SCREEN_HEIGHT_M)
        module_wind = wind.to_height(speed, wind.HUB_HEIGHT_M, pv.MODULE_WIND_HEIGHT_M)
        columns[f"wind_{region.key}"] = wind.output(fleet_curve, speed, density)
        columns[f"pv_{region.key}"] = pv.pv_output(pv.fixed_orientation(len(index)), rc.geometry,
                                                   sun, air, module_wind)
    columns["hydro_yellow_river"] = hydro.hydro_availability(rng, index,
                                                             yellow_river_seasonal(index))
    return columns
