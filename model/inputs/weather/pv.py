"""PV output at Dunhuang through pvlib: plane of array, optics, cell temperature, PVWatts DC and AC.

Every figure is an assumption unless a source is named. Output is the AC power as a fraction of
the DC nameplate (Chinese installed PV capacity is counted in DC peak watts), before curtailment.

Mounting:
    fixed: tilt 36 deg (the latitude, 40.06 deg, less 4 deg, as Chinese parks trim tilt towards
        the long summer days), facing due south;
    tracking: horizontal single axis running north-south, +/-60 deg, backtracking at a ground
        coverage ratio of 0.35 (pvlib.tracking.singleaxis).
    Ground albedo 0.25 (gravel desert).

Plane of array: pvlib.irradiance.get_total_irradiance with the Hay-Davies sky model (circumsolar
brightening, which matters under the clear skies of the Gobi). Optics: the beam through the
"physical" glass incidence-angle modifier (pvlib.iam.physical); sky and ground diffuse through
Marion's integrals of the same modifier (pvlib.iam.marion_diffuse), tabulated every 5 deg of tilt.
Spectral effects are not modelled.

Cell temperature: Sandia (SAPM) model, open-rack glass/polymer modules
(pvlib.temperature.sapm_cell), with the Jiuquan air temperature moved to Dunhuang's altitude by
the standard lapse rate (Dunhuang is 340 m lower, about 2.2 C warmer) and the wind base's
hub-height speed brought down to 10 m by the power law of wind.py.

DC and AC (PVWatts, pvlib.pvsystem.pvwatts_dc and pvlib.inverter.pvwatts):
    P_dc = E_eff / 1000 (1 + gamma (T_cell - 25)) (1 - L / 100),   gamma = -0.40 %/K (poly-Si)
    L from pvlib.pvsystem.pvwatts_losses: soiling 4 % (desert dust between cleanings), shading
        1 % (utility rows), snow 0, mismatch 2 %, wiring 2 % (DC and AC cabling and the step-up
        transformer), connections 0.5 %, light-induced degradation 1.5 %, nameplate 1 %,
        age 2.5 % (a fleet about five years old at 0.5 %/yr), availability 2 %: 15.4 % in all
        (the losses compound);
    inverter: PVWatts efficiency curve, nominal 0.97 (central inverters), DC/AC ratio 1.0
        (Chinese parks before 2020 were built close to 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pvlib

from .sky import Irradiance, SolarGeometry

FIXED_TILT_DEG = 36.0
FIXED_AZIMUTH_DEG = 180.0
TRACKER_MAX_ANGLE_DEG = 60.0
TRACKER_GCR = 0.35
ALBEDO = 0.25
GAMMA_PDC = -0.0040
LOSSES_PERCENT = dict(soiling=4.0, shading=1.0, snow=0.0, mismatch=2.0, wiring=2.0,
                      connections=0.5, lid=1.5, nameplate_rating=1.0, age=2.5, availability=2.0)
INVERTER_EFFICIENCY = 0.97
DC_AC_RATIO = 1.0
MODULE_WIND_HEIGHT_M = 10.0  # the height SAPM's wind speed refers to
IAM_TILT_STEP_DEG = 5.0


@dataclass(frozen=True)
class Orientation:
    """Module orientation hour by hour (degrees)."""

    tilt: np.ndarray
    azimuth: np.ndarray


def fixed_orientation(hours: int) -> Orientation:
    return Orientation(np.full(hours, FIXED_TILT_DEG), np.full(hours, FIXED_AZIMUTH_DEG))


def tracking_orientation(geometry: SolarGeometry) -> Orientation:
    track = pvlib.tracking.singleaxis(geometry.apparent_zenith, geometry.azimuth, axis_tilt=0.0,
                                      axis_azimuth=180.0, max_angle=TRACKER_MAX_ANGLE_DEG,
                                      backtrack=True, gcr=TRACKER_GCR)
    # At night the tracker stows flat; pvlib leaves NaN there.
    return Orientation(np.nan_to_num(np.asarray(track["surface_tilt"], dtype=float)),
                       np.nan_to_num(np.asarray(track["surface_azimuth"], dtype=float), nan=180.0))


def effective_irradiance(orientation: Orientation, geometry: SolarGeometry, sun: Irradiance):
    """(Irradiance reaching the cells after the glass, POA global), both W/m2."""
    poa = pvlib.irradiance.get_total_irradiance(
        orientation.tilt, orientation.azimuth, geometry.apparent_zenith, geometry.azimuth,
        sun.dni, sun.ghi, sun.dhi, dni_extra=geometry.dni_extra, albedo=ALBEDO, model="haydavies")
    aoi = pvlib.irradiance.aoi(orientation.tilt, orientation.azimuth, geometry.apparent_zenith,
                               geometry.azimuth)
    beam_iam = np.nan_to_num(pvlib.iam.physical(aoi))
    sky_iam, ground_iam = diffuse_iam(orientation.tilt)
    effective = (np.nan_to_num(poa["poa_direct"]) * beam_iam
                 + np.nan_to_num(poa["poa_sky_diffuse"]) * sky_iam
                 + np.nan_to_num(poa["poa_ground_diffuse"]) * ground_iam)
    return np.maximum(effective, 0.0), np.nan_to_num(np.asarray(poa["poa_global"], dtype=float))


def diffuse_iam(tilt) -> tuple[np.ndarray, np.ndarray]:
    """Marion's sky and ground diffuse modifiers at the given tilts, from a table over tilt."""
    grid, sky, ground = _diffuse_iam_table()
    return np.interp(tilt, grid, sky), np.interp(tilt, grid, ground)


@lru_cache(maxsize=1)
def _diffuse_iam_table():
    # marion_diffuse integrates over the sky dome for every tilt it is given: called with the
    # tracker's 8,760 hourly tilts it runs out of memory, so tabulate and interpolate.
    grid = np.arange(0.0, 90.0 + IAM_TILT_STEP_DEG, IAM_TILT_STEP_DEG)
    table = pvlib.iam.marion_diffuse("physical", grid)
    return grid, table["sky"], table["ground"]


def ac_fraction(effective, poa_global, air_temperature_c, wind_speed_10m) -> np.ndarray:
    """AC output as a fraction of the DC nameplate."""
    cell = pvlib.temperature.sapm_cell(
        poa_global, air_temperature_c, wind_speed_10m,
        **pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"])
    dc = pvlib.pvsystem.pvwatts_dc(effective, cell, pdc0=1.0, gamma_pdc=GAMMA_PDC)
    dc = dc * (1.0 - pvlib.pvsystem.pvwatts_losses(**LOSSES_PERCENT) / 100.0)
    inverter_dc_rating = 1.0 / DC_AC_RATIO / INVERTER_EFFICIENCY
    ac = pvlib.inverter.pvwatts(np.asarray(dc, dtype=float), inverter_dc_rating,
                                eta_inv_nom=INVERTER_EFFICIENCY)
    return np.clip(ac, 0.0, 1.0)


def pv_output(orientation: Orientation, geometry: SolarGeometry, sun: Irradiance,
              air_temperature_c, wind_speed_10m) -> np.ndarray:
    effective, poa_global = effective_irradiance(orientation, geometry, sun)
    return ac_fraction(effective, poa_global, air_temperature_c, wind_speed_10m)
