"""Heat from a CSP tower's heliostat field at Dunhuang, as a fraction of its design output.

The model, all of it an assumption (a stand-in for a ray-traced efficiency matrix, which the
published plants do not release):

Cosine efficiency. A heliostat reflects the sun onto the receiver; its mirror's normal bisects
the sun direction s and the direction r from the heliostat to the receiver, so its cosine
efficiency is cos(theta) = sqrt((1 + s . r) / 2). The field is represented by 36 heliostat
positions on a ring around the tower, each seeing the receiver 25 deg above the horizon, and
weighted 1 + 0.5 cos(phi) by their azimuth phi from north: a surround field with more mirrors to
the north, where the sun's light reflects at small angles. The field's cosine efficiency is the
weighted mean.

Blocking and shading between heliostats grow as the sun sinks:
    f_bs = 1 - exp(-alpha / 6 deg),  alpha the solar elevation (0.8 at 10 deg, 0.99 at 28 deg).

Other optical losses (mirror reflectivity and soiling, atmospheric attenuation, spillage) are
taken as constant, so they cancel in the ratio to the design point.

Receiver. It loses a fixed 8 % of its design heat input (radiation and convection from a hot
receiver hardly depend on the light on it), so weak light gives no net heat.

    q = DNI eta(t) / (DNI_d eta_d),   field = clip((q - 0.08) / (1 - 0.08), 0, 1),

eta(t) = cosine efficiency x f_bs at the hour's mean sun position; the design point is DNI_d =
900 W/m2 at solar noon on the March equinox at Dunhuang (zenith = latitude, sun due south).
Above the design input the field defocuses heliostats, hence the cap at 1. The column is heat
delivered to the heat-transfer fluid; storage, dumping when storage is full, and the power block
are the dispatch model's to represent.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .sites import SOLAR_SITE

HELIOSTAT_POSITIONS = 36
RECEIVER_ELEVATION_DEG = 25.0
NORTH_BIAS = 0.5
BLOCKING_SCALE_DEG = 6.0
RECEIVER_LOSS = 0.08
DESIGN_DNI_W_M2 = 900.0
DESIGN_ZENITH_DEG = SOLAR_SITE.latitude  # solar noon at the equinox: declination 0
DESIGN_AZIMUTH_DEG = 180.0


def unit_vectors(elevation_deg, azimuth_deg) -> np.ndarray:
    """East, north, up components of directions given by elevation and azimuth (from north)."""
    elevation, azimuth = np.radians(elevation_deg), np.radians(azimuth_deg)
    return np.stack([np.cos(elevation) * np.sin(azimuth), np.cos(elevation) * np.cos(azimuth),
                     np.sin(elevation)], axis=-1)


@lru_cache(maxsize=1)
def heliostat_field() -> tuple[np.ndarray, np.ndarray]:
    """Directions from the representative heliostats to the receiver, and their weights."""
    position_azimuth = np.arange(HELIOSTAT_POSITIONS) * 360.0 / HELIOSTAT_POSITIONS
    # A heliostat at azimuth phi from the tower looks back towards phi + 180 deg.
    to_receiver = unit_vectors(np.full(HELIOSTAT_POSITIONS, RECEIVER_ELEVATION_DEG), position_azimuth + 180.0)
    weights = 1.0 + NORTH_BIAS * np.cos(np.radians(position_azimuth))
    return to_receiver, weights / weights.sum()


def optical_efficiency(zenith_deg, azimuth_deg) -> np.ndarray:
    """Relative field efficiency eta: cosine efficiency times blocking and shading; 0 at night."""
    elevation = 90.0 - np.asarray(zenith_deg, dtype=float)
    to_receiver, weights = heliostat_field()
    sun = unit_vectors(elevation, azimuth_deg)
    cosine = np.sqrt(np.clip((1.0 + sun @ to_receiver.T) / 2.0, 0.0, 1.0)) @ weights
    blocking = 1.0 - np.exp(-np.maximum(elevation, 0.0) / BLOCKING_SCALE_DEG)
    return cosine * blocking


def field_output(dni, zenith_deg, azimuth_deg) -> np.ndarray:
    """Net heat from the field as a fraction of its design output, in [0, 1]."""
    design = DESIGN_DNI_W_M2 * optical_efficiency(DESIGN_ZENITH_DEG, DESIGN_AZIMUTH_DEG)
    absorbed = np.asarray(dni) * optical_efficiency(zenith_deg, azimuth_deg) / design
    return np.clip((absorbed - RECEIVER_LOSS) / (1.0 - RECEIVER_LOSS), 0.0, 1.0)
