"""What every family needs while it prepares, builds and reports: time, buses, profiles."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .profiles import TIMEZONE, ProfileStore
from .scenario import Scenario


@dataclass
class Context:
    scenario: Scenario
    mode: str
    index: pd.DatetimeIndex  # hour-beginning, local time
    weights: np.ndarray  # hours each modelled hour stands for
    profiles: ProfileStore
    demand: dict = field(default_factory=dict)  # bus -> fixed withdrawals (MW): the Bus-balance rhs

    @classmethod
    def create(cls, scenario: Scenario, mode: str | None = None) -> "Context":
        time = scenario.values["time"]
        index = pd.date_range(pd.Timestamp(time["start"]), periods=time["hours"], freq="h", tz=TIMEZONE)
        ctx = cls(scenario, mode or scenario.values["mode"], index, np.ones(len(index)), ProfileStore(index))
        ctx.demand = {b: np.zeros(len(index)) for b in ctx.buses}
        return ctx

    @property
    def values(self) -> dict:
        return self.scenario.values

    @property
    def buses(self) -> list:
        return list(self.values["buses"])

    @property
    def n(self) -> int:
        return len(self.index)

    @property
    def hours_in_year(self) -> int:
        return 8784 if calendar.isleap(self.index[0].year) else 8760

    @property
    def year_fraction(self) -> float:
        """Share of a year the run covers: annual targets and quotas apply pro rata."""
        return float(self.weights.sum()) / self.hours_in_year

    def profile(self, spec, kind: str, key: str, with_mean=False):
        values, mean = self.profiles.get(spec, kind, key, self.scenario.file_of)
        return (values, mean) if with_mean else values

    def days(self) -> tuple[np.ndarray, list]:
        """Each hour's day number and the days' dates (YYYY-MM-DD), in order."""
        codes, uniques = pd.factorize(self.index.normalize())
        return codes, list(uniques.strftime("%Y-%m-%d"))

    def profile_source(self, key: str):
        """The whole source of a profile already loaded under ``key`` (a Series by time)."""
        return self.profiles.sources[key]

    def in_service(self, date) -> np.ndarray:
        """1 from the in-service date on (0 before it); all ones when there is no date."""
        if date is None:
            return np.ones(self.n)
        return np.asarray(self.index >= pd.Timestamp(date).tz_localize(TIMEZONE), dtype=float)

    def check_bus(self, bus: str, key: str):
        if bus not in self.values["buses"]:
            raise InputError(self.scenario.file_of(key), key,
                             f"unknown bus {bus!r}; buses: {', '.join(self.buses)}")

    def season(self, start: tuple, end: tuple, index=None) -> np.ndarray:
        """True in the hours between two (month, day) dates, inclusive; wraps over the new year."""
        index = self.index if index is None else index
        md = index.month * 100 + index.day
        a, b = start[0] * 100 + start[1], end[0] * 100 + end[1]
        inside = (md >= a) & (md <= b) if a <= b else (md >= a) | (md <= b)
        return np.asarray(inside)
