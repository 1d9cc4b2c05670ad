"""The three places whose weather the profiles describe.

Coordinates are from shared/FACTS.md; elevations are assumptions (approximate ground heights of
the places, not in FACTS) used for air pressure and density.

- Wind: the Guazhou/Yumen wind base, at Changle, Guazhou (40.66 N, 96.51 E; FACTS: Changle coal
  plant); elevation 1,500 m (assumption: the gobi wind farms of Guazhou and Yumen lie at about
  1,200-2,000 m).
- Sun: Dunhuang, the PV parks and the CSP towers (40.06 N, 94.43 E; FACTS: Shouhang Dunhuang
  100 MW tower); elevation 1,140 m (assumption: the Dunhuang oasis).
- City: Jiuquan (39.68 N, 98.51 E; FACTS: Guodian Jiuquan CHP), for air temperature and load;
  elevation 1,480 m (assumption).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str
    latitude: float
    longitude: float
    altitude_m: float


WIND_SITE = Site("Changle, Guazhou", 40.66, 96.51, 1500.0)
SOLAR_SITE = Site("Dunhuang", 40.06, 94.43, 1140.0)
CITY_SITE = Site("Jiuquan", 39.68, 98.51, 1480.0)
