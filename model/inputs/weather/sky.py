"""Sunlight at Dunhuang: solar geometry, haze, a stochastic cloud model, and GHI/DNI/DHI.

Every parameter here is an assumption unless a source is named.

Clear sky. pvlib's solar position (NREL SPA) at mid-hour, and the Ineichen-Perez clear-sky model
(pvlib.clearsky.ineichen) with the monthly Linke turbidity climatology that ships with pvlib, at
the Dunhuang site (sites.py), air pressure from its elevation by the standard atmosphere.

Haze. With pvlib's turbidity alone a cloudless year at Dunhuang has 3,477 kWh/m2 of DNI, and the
sunshine calibration below then leaves about 2,550 kWh/m2 a year, above the 1,700-2,300 kWh/m2
that Solargis gives for the best regions of western China (Gansu included; solarpaces.org,
"Steps for Solar Resource Assessment in CSP Projects: China"; not in FACTS). What is missing is
dust and haze, frequent in the Hexi corridor: they dim the beam while the sun still shines. Each
day's Linke turbidity is the climatology times a haze factor

    H = 1.5 exp(0.3 x),  x a daily standard-normal AR(1) with lag-1 correlation 0.6,

constant over the local day (its step falls at midnight, in the dark). The median 1.5 and the
spread are set by hand to bring the annual DNI into that range; they are not calibrated at run
time.

Clouds. A latent standard-normal process z with two memories (stochastic.two_timescale):
synoptic, e-folding 48 h, 70 % of the variance, and local, e-folding 3 h. It runs day and night,
so a cloudy evening often brings a cloudy morning. The cloud fraction of the hour is

    C = clip((z + m(t) - theta) / w, 0, 1),   m(t) = 0.35 cos(2 pi (d - 195.5) / D),

clear below z = theta - m and overcast above theta - m + w, with w = 1.2; d is the day of the
year (0 = 1 January) and D its length. m shifts the climate towards clouds in mid-July (the far
edge of the East Asian monsoon brings most of the Hexi corridor's little rain in summer) and
towards clear skies in mid-January. The clear-sky index follows Kasten and Czeplak (1980, Solar
Energy 24, 177):

    kc = GHI / GHI_clear = 1 - 0.75 C^3.4.

Decomposition. DNI from GHI by DIRINDEX (Perez et al. 2002; pvlib.irradiance.dirindex): the DIRINT
model scaled by the ratio of the clear-sky DNI to DIRINT's estimate of it, so a clear hour keeps
its Ineichen clear-sky DNI (plain DIRINT gives 3,140 instead of 3,477 kWh/m2 for a cloudless,
haze-free year). DIRINT's delta-kt' term is off: it would read the synthetic hour-to-hour
variability as if it were measured, and without it DNI is a function of the hour, the haze and
kc alone, which the calibration needs. DHI = GHI - DNI cos(zenith).

Sunshine. An hour is a sunshine hour when its DNI is at least 120 W/m2 (the WMO definition of
sunshine duration; the hour's mean stands for the whole hour, so sunrise and broken-cloud hours
are counted whole or not at all). Calibration: theta is set so that the EXPECTED number of
sunshine hours in the calendar year is 3,300 (FACTS: Jiuquan, over 3,300 sunshine hours a year).
DNI falls as C rises, so hour t under haze H is sunny when C <= C*(t, H), the cloud fraction at
which its DNI drops to 120 W/m2, that is when z <= theta - m(t) + w C*(t, H). The expectation

    E[sunshine hours] = sum over t of E_H[ Phi(theta - m(t) + w C*(t, H)) ]

is evaluated with equiprobable quantiles of H and solved for theta. Each weather year's sunshine
then varies naturally around 3,300 h.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pvlib
from scipy.optimize import brentq
from scipy.special import ndtr

from .sites import SOLAR_SITE, Site
from .stochastic import ar1, normal_nodes, two_timescale_parts
from .timebase import annual_cosine, day_number, days_in_year, mid_hour, year_phase

HAZE_MEDIAN = 1.5
HAZE_LOG_SD = 0.3
HAZE_DAY_TO_DAY = 0.6
CLOUD_SLOW_HOURS = 48.0
CLOUD_FAST_HOURS = 3.0
CLOUD_SLOW_SHARE = 0.7
CLOUD_BAND_WIDTH = 1.2
CLOUD_SEASONAL_SHIFT = 0.35
CLOUDIEST_DAY = 195.5  # mid-July, 0-based
KASTEN_A, KASTEN_B = 0.75, 3.4
SUNSHINE_DNI_W_M2 = 120.0  # WMO
SUNSHINE_TARGET_H = 3300.0  # FACTS: Jiuquan
BISECTION_STEPS = 20  # 2^-20: C* to 1e-6
HAZE_NODES = 7
CLOUD_NODES = 200


@dataclass(frozen=True)
class SolarGeometry:
    """Hour-mean sun position and the inputs of the clear-sky model, over the year's hours."""

    times: pd.DatetimeIndex  # mid-hour
    zenith: np.ndarray
    apparent_zenith: np.ndarray
    azimuth: np.ndarray
    airmass: np.ndarray  # absolute (pressure-corrected)
    linke_turbidity: np.ndarray  # climatology
    dni_extra: np.ndarray
    altitude_m: float
    pressure_pa: float

    @property
    def daylight(self) -> np.ndarray:
        return self.apparent_zenith < 90.0


@dataclass(frozen=True)
class ClearSky:
    ghi: np.ndarray
    dni: np.ndarray


@dataclass(frozen=True)
class Irradiance:
    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray


def solar_geometry(index: pd.DatetimeIndex, site: Site = SOLAR_SITE) -> SolarGeometry:
    times = mid_hour(index)
    position = pvlib.solarposition.get_solarposition(times, site.latitude, site.longitude,
                                                     altitude=site.altitude_m)
    pressure = float(pvlib.atmosphere.alt2pres(site.altitude_m))
    relative = pvlib.atmosphere.get_relative_airmass(position["apparent_zenith"])
    return SolarGeometry(
        times=times,
        zenith=position["zenith"].to_numpy(),
        apparent_zenith=position["apparent_zenith"].to_numpy(),
        azimuth=position["azimuth"].to_numpy(),
        airmass=pvlib.atmosphere.get_absolute_airmass(relative, pressure).to_numpy(),
        linke_turbidity=pvlib.clearsky.lookup_linke_turbidity(
            times, site.latitude, site.longitude).to_numpy(),
        dni_extra=pvlib.irradiance.get_extra_radiation(times).to_numpy(),
        altitude_m=site.altitude_m,
        pressure_pa=pressure,
    )


def haze_factor(rng: np.random.Generator, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly multiplier on the Linke turbidity, constant over each local day."""
    daily = HAZE_MEDIAN * np.exp(HAZE_LOG_SD * ar1(rng, days_in_year(index), HAZE_DAY_TO_DAY))
    return daily[day_number(index)]


def clear_sky(geometry: SolarGeometry, haze) -> ClearSky:
    """Ineichen-Perez clear-sky GHI and DNI (W/m2) with the turbidity scaled by the haze."""
    with np.errstate(divide="ignore", invalid="ignore"):  # night hours: airmass is NaN
        clear = pvlib.clearsky.ineichen(geometry.apparent_zenith, geometry.airmass,
                                        geometry.linke_turbidity * haze,
                                        altitude=geometry.altitude_m,
                                        dni_extra=geometry.dni_extra)
    return ClearSky(ghi=np.nan_to_num(clear["ghi"]), dni=np.nan_to_num(clear["dni"]))


def cloud_shift(index: pd.DatetimeIndex) -> np.ndarray:
    """Seasonal shift m(t) of the latent cloud variable: positive is cloudier."""
    return CLOUD_SEASONAL_SHIFT * annual_cosine(year_phase(index), CLOUDIEST_DAY, days_in_year(index))


def cloud_parts(rng: np.random.Generator, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """The synoptic and local parts of the cloud latent; other regions share the synoptic one."""
    return two_timescale_parts(rng, hours, CLOUD_SLOW_HOURS, CLOUD_FAST_HOURS)


def cloud_fraction(latent, shift, clear_threshold: float) -> np.ndarray:
    return np.clip((latent + shift - clear_threshold) / CLOUD_BAND_WIDTH, 0.0, 1.0)


def clear_sky_index(cloud) -> np.ndarray:
    """Kasten-Czeplak: GHI as a fraction of the clear-sky GHI."""
    return 1.0 - KASTEN_A * np.asarray(cloud) ** KASTEN_B


def irradiance(geometry: SolarGeometry, clear: ClearSky, cloud) -> Irradiance:
    """GHI, DNI and DHI (W/m2, hour means) under the given clear sky and cloud fraction."""
    ghi = clear_sky_index(cloud) * clear.ghi
    dni = pvlib.irradiance.dirindex(ghi, clear.ghi, clear.dni, geometry.zenith, geometry.times,
                                    pressure=geometry.pressure_pa, use_delta_kt_prime=False)
    cos_zenith = np.cos(np.radians(geometry.zenith))
    # The beam's horizontal share cannot exceed the GHI it was split from.
    beam_limit = np.where(cos_zenith > 0.0, ghi / np.maximum(cos_zenith, 1e-6), 0.0)
    dni = np.clip(np.nan_to_num(np.asarray(dni, dtype=float)), 0.0, beam_limit)
    return Irradiance(ghi=ghi, dni=dni, dhi=np.maximum(ghi - dni * cos_zenith, 0.0))


def sunshine_hours(dni) -> int:
    return int(np.count_nonzero(np.asarray(dni) >= SUNSHINE_DNI_W_M2))


def sunshine_cloud_limit(geometry: SolarGeometry, clear: ClearSky) -> np.ndarray:
    """C*(t): the largest cloud fraction that still leaves DNI >= 120 W/m2.

    -inf where even a cloudless sky gives less (night, low sun), +inf where even an overcast
    one gives more, so that Phi(theta - m + w C*) is the probability of sunshine in every case.
    """
    limit = np.full(len(geometry.times), -np.inf)
    # Only hours sunny under a cloudless sky can be sunshine hours; bisect over those alone.
    candidates = irradiance(geometry, clear, 0.0).dni >= SUNSHINE_DNI_W_M2
    day = _take(geometry, candidates)
    day_clear = ClearSky(ghi=clear.ghi[candidates], dni=clear.dni[candidates])
    low, high = np.zeros(day.zenith.size), np.ones(day.zenith.size)
    for _ in range(BISECTION_STEPS):  # every hour's interval halves at once
        middle = 0.5 * (low + high)
        sunny = irradiance(day, day_clear, middle).dni >= SUNSHINE_DNI_W_M2
        low, high = np.where(sunny, middle, low), np.where(sunny, high, middle)
    sunny_overcast = irradiance(day, day_clear, 1.0).dni >= SUNSHINE_DNI_W_M2
    limit[candidates] = np.where(sunny_overcast, np.inf, low)
    return limit


def _take(geometry: SolarGeometry, hours) -> SolarGeometry:
    """The geometry at the given hour positions (a mask, or indices that may repeat)."""
    return replace(geometry, times=geometry.times[hours], zenith=geometry.zenith[hours],
                   apparent_zenith=geometry.apparent_zenith[hours], azimuth=geometry.azimuth[hours],
                   airmass=geometry.airmass[hours], linke_turbidity=geometry.linke_turbidity[hours],
                   dni_extra=geometry.dni_extra[hours])


def haze_cloud_limits(geometry: SolarGeometry) -> np.ndarray:
    """C*(t, H) at equiprobable quantiles of the haze factor: shape (nodes, hours)."""
    nodes = HAZE_MEDIAN * np.exp(HAZE_LOG_SD * normal_nodes(HAZE_NODES))
    # One long series of all nodes' hours: a few large pvlib calls instead of many small ones.
    stacked = _take(geometry, np.tile(np.arange(len(geometry.times)), HAZE_NODES))
    haze = np.repeat(nodes, len(geometry.times))
    return sunshine_cloud_limit(stacked, clear_sky(stacked, haze)).reshape(HAZE_NODES, -1)


def expected_sunshine_hours(cloud_limits, shift, clear_threshold: float) -> float:
    """E[sunshine hours] = sum over hours of the mean over haze nodes of Phi(theta - m + w C*)."""
    return float(ndtr(clear_threshold - shift + CLOUD_BAND_WIDTH * cloud_limits).mean(axis=0).sum())


def calibrate_clear_threshold(cloud_limits, shift, target_h: float = SUNSHINE_TARGET_H) -> float:
    """theta giving the target expected sunshine hours (sunshine rises with theta)."""
    return brentq(lambda theta: expected_sunshine_hours(cloud_limits, shift, theta) - target_h,
                  -8.0, 8.0, xtol=1e-10)


def expected_clear_fraction(shift, clear_threshold: float) -> np.ndarray:
    """E[1 - C] hour by hour, over the latent variable's standard-normal distribution."""
    nodes = normal_nodes(CLOUD_NODES)
    cloud = cloud_fraction(nodes[None, :], np.asarray(shift)[:, None], clear_threshold)
    return 1.0 - cloud.mean(axis=1)
