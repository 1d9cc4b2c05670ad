"""Hub-height wind speed and wind-farm output for the Guazhou/Yumen wind base.

Every parameter is an assumption unless a source is named.

Speed. One latent standard-normal process z with two memories (stochastic.two_timescale):
synoptic, e-folding 48 h, 60 % of the variance (fronts and cold-air outbreaks that sweep the Hexi
corridor every few days), and local, e-folding 8 h. Hub-height speed at hour t:

    v(t) = c W(z(t)) m(t),   W = Weibull of shape k = 2 and unit scale (stochastic.unit_weibull),

    m(t) = M(month) (1 + 0.12 cos(2 pi (h - 18) / 24)) / mean over the year,

M interpolated between mid-month values (Jan-Dec 0.97, 1.02, 1.12, 1.15, 1.12, 1.02, 0.94, 0.87,
0.85, 0.92, 0.98, 0.98: windy spring March-May, calm late summer) and a diurnal peak at 18:00
local (the corridor's afternoon and evening winds); h is the local mid-hour clock time. As m has
mean 1 and is independent of z, the expected mean speed is c Gamma(1 + 1/k).

Height. Power law v(H) = v(70 m) (H / 70 m)^0.14 (shear exponent 0.14), hub height 85 m.

Turbine. windpowerlib's bundled (offline) power curve of the GE 2.5xl, type "GE100/2500": 2.5 MW,
100 m rotor, 318 W/m2 of swept area, close to the 1.5 MW machines with 77-82 m rotors (284-322
W/m2) that make up most of the Jiuquan fleet. Output as a fraction of its 2.5 MW rating.

Air density at hub height from the site pressure (standard atmosphere at 1,500 m) and the
Jiuquan temperature moved to hub altitude (temperature.py), by windpowerlib.density.ideal_gas;
the power curve is read at the IEC 61400-12-1 density-normalised speed
v (rho / 1.225 kg/m3)^(1/3). (windpowerlib's own density correction loops over time steps in
Python; this normalisation is the standard's, and vectorised.)

Farm losses:
    wake: windpowerlib's "dena_mean" wind-efficiency curve (mean of 12 German wind farms, dena
          grid study II), which slows the free-stream speed by 0.5-6 % depending on speed;
          it costs about 7 % of the energy at the best site;
    availability: 0.97 (technical availability of the turbines);
    electrical: 0.98 (collection grid and substation transformer);
    so a farm delivers at most 0.97 x 0.98 = 0.95 of its rating.

Two columns:
    wind_best_site: one farm at the Yumen/Guazhou best sites; c set so that the expected mean
        speed at 70 m is 7.89 m/s (FACTS: Yumen wind farm, 7.89 m/s at 70 m, 427 W/m2).
    wind: the Jiuquan fleet, spread over some 200 km: the farm curve smoothed by a Gaussian of
        standard deviation 0.6 + 0.2 v m/s for the spatial spread of speeds over the fleet
        (Staffell and Pfenninger 2016; windpowerlib.power_curves.smooth_power_curve); c set so
        that the EXPECTED available full-load hours over weather years are 2,200 h (assumption:
        Gansu's 2018 fleet generated about 1,770 h, not in FACTS and unverified, with 19 %
        wind curtailment (FACTS), so 1,770 / 0.81 = 2,185, about 2,200 h were available).
        The output is never rescaled: only the fleet's mean speed is set.

Calibration by expectation. The expected full-load hours are the sum over the year's hours of
E[P(c W(Z) m(t), rho(t))], Z standard normal, evaluated at equiprobable quantiles of Z and the
expected air density; c is found by root finding. Each weather year then varies naturally
around the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import gamma

import numpy as np
import pandas as pd
import pvlib
from scipy.optimize import brentq
from windpowerlib import WindTurbine
from windpowerlib.density import ideal_gas
from windpowerlib.power_curves import smooth_power_curve
from windpowerlib.power_output import power_curve
from windpowerlib.wake_losses import reduce_wind_speed

from .sites import WIND_SITE
from .stochastic import normal_nodes, two_timescale_parts, unit_weibull
from .temperature import city_to
from .timebase import local_hour, monthly_table

TURBINE_TYPE = "GE100/2500"
HUB_HEIGHT_M = 85.0
WEIBULL_SHAPE = 2.0
SHEAR_EXPONENT = 0.14
SLOW_HOURS = 48.0
FAST_HOURS = 8.0
SLOW_SHARE = 0.6
MONTHLY_FACTOR = (0.97, 1.02, 1.12, 1.15, 1.12, 1.02, 0.94, 0.87, 0.85, 0.92, 0.98, 0.98)
DIURNAL_AMPLITUDE = 0.12
DIURNAL_PEAK_HOUR = 18.0
WAKE_CURVE = "dena_mean"
AVAILABILITY = 0.97
ELECTRICAL_EFFICIENCY = 0.98
STANDARD_DENSITY = 1.225  # kg/m3, the density of published power curves
CURVE_STEP_MS = 0.25
CURVE_TOP_MS = 40.0
REFERENCE_HEIGHT_M = 70.0
BEST_SITE_MEAN_SPEED_MS = 7.89  # FACTS: Yumen wind farm, at 70 m
BEST_SITE_POWER_DENSITY_W_M2 = 427.0  # FACTS: Yumen wind farm, at 70 m (reference only)
FLEET_TARGET_FLH = 2200.0  # assumption, see the module docstring
SPEED_NODES = 200


@dataclass(frozen=True)
class Curve:
    """Output (fraction of rating) against density-normalised hub-height speed (m/s)."""

    speed: np.ndarray
    output: np.ndarray

    def __call__(self, normalised_speed) -> np.ndarray:
        return np.asarray(power_curve(normalised_speed, self.speed, self.output))


@lru_cache(maxsize=1)
def turbine() -> WindTurbine:
    """The turbine from windpowerlib's bundled library (read from the installed files)."""
    return WindTurbine(hub_height=HUB_HEIGHT_M, turbine_type=TURBINE_TYPE)


def farm_curve() -> Curve:
    """One wind farm: the turbine behind the wake speed deficit, times availability and grid."""
    machine = turbine()
    speed = np.arange(0.0, CURVE_TOP_MS + CURVE_STEP_MS / 2, CURVE_STEP_MS)
    waked = np.asarray(reduce_wind_speed(speed, wind_efficiency_curve_name=WAKE_CURVE))
    single = power_curve(waked, machine.power_curve["wind_speed"].to_numpy(),
                         machine.power_curve["value"].to_numpy()) / machine.nominal_power
    return Curve(speed, np.clip(single, 0.0, 1.0) * AVAILABILITY * ELECTRICAL_EFFICIENCY)


def fleet_curve(farm: Curve) -> Curve:
    """The fleet: the farm curve smoothed over the spatial spread of speeds."""
    smoothed = smooth_power_curve(pd.Series(farm.speed), pd.Series(farm.output),
                                  standard_deviation_method="Staffell_Pfenninger")
    return Curve(smoothed["wind_speed"].to_numpy(), smoothed["value"].to_numpy())


def modulation(index: pd.DatetimeIndex) -> np.ndarray:
    """m(t): seasonal times diurnal multiplier on speed, mean 1 over the year."""
    diurnal = 1.0 + DIURNAL_AMPLITUDE * np.cos(2.0 * np.pi * (local_hour(index) - DIURNAL_PEAK_HOUR) / 24.0)
    shape = monthly_table(index, MONTHLY_FACTOR) * diurnal
    return shape / shape.mean()


def wind_parts(rng: np.random.Generator, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """The synoptic and local parts of the latent speed; other regions share the synoptic one."""
    return two_timescale_parts(rng, hours, SLOW_HOURS, FAST_HOURS)


def hub_speed(latent, scale: float, speed_modulation) -> np.ndarray:
    """v(t) = c W(z) m(t) in m/s."""
    return scale * unit_weibull(latent, WEIBULL_SHAPE) * speed_modulation


def to_height(speed, from_m: float, to_m: float):
    """Power-law shear."""
    return speed * (to_m / from_m) ** SHEAR_EXPONENT


def hub_density(temperature_c) -> np.ndarray:
    """Air density at hub height (kg/m3) from the Jiuquan air temperature."""
    hub_temperature_k = city_to(temperature_c, WIND_SITE.altitude_m + HUB_HEIGHT_M) + 273.15
    ground_pressure = pvlib.atmosphere.alt2pres(WIND_SITE.altitude_m)
    return np.asarray(ideal_gas(ground_pressure, 0.0, HUB_HEIGHT_M, hub_temperature_k))


def output(curve: Curve, speed, density) -> np.ndarray:
    """Output as a fraction of rating, read at the density-normalised speed."""
    return curve(speed * (np.asarray(density) / STANDARD_DENSITY) ** (1.0 / 3.0))


def best_site_scale() -> float:
    """c such that the expected mean speed at 70 m is the published 7.89 m/s."""
    return to_height(BEST_SITE_MEAN_SPEED_MS, REFERENCE_HEIGHT_M, HUB_HEIGHT_M) / gamma(1.0 + 1.0 / WEIBULL_SHAPE)


def expected_full_load_hours(curve: Curve, scale: float, speed_modulation, density) -> float:
    """E[annual full-load hours] over weather years: the sum of each hour's expected output."""
    quantiles = unit_weibull(normal_nodes(SPEED_NODES), WEIBULL_SHAPE)
    speed = scale * quantiles[None, :] * np.asarray(speed_modulation)[:, None]
    return float(output(curve, speed, np.asarray(density)[:, None]).mean(axis=1).sum())


def calibrate_scale(curve: Curve, speed_modulation, density, target_flh: float = FLEET_TARGET_FLH) -> float:
    """c giving the target expected full-load hours (output rises with c over this range)."""
    return brentq(lambda c: expected_full_load_hours(curve, c, speed_modulation, density) - target_flh,
                  1.0, 20.0, xtol=1e-8)

