"""What every family needs while it prepares, builds and reports: time, buses, profiles."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs import aggregation
from ..inputs.profiles import TIMEZONE, ProfileStore
from ..inputs.scenario import Scenario


@dataclass
class Context:
    scenario: Scenario
    mode: str
    index: pd.DatetimeIndex  # start of each time step (an hour, or a segment), local time
    weights: np.ndarray  # hours each time step stands for
    profiles: ProfileStore  # always hourly
    demand: dict = field(default_factory=dict)  # bus -> fixed withdrawals (MW): the Bus-balance rhs
    hourly_index: pd.DatetimeIndex | None = None  # every modelled hour
    first_hours: np.ndarray | None = None  # first hour of each time step, when hours are merged
    # Scenario keys whose values inputs/scenario.yaml must carry instead of the scenario's, so that
    # inputs/ re-runs the same model: an annual energy scaled by a whole-year figure of a profile's
    # source (its mean, its degree hours) that inputs/profiles.parquet, holding only the modelled
    # hours, does not keep. Families fill it in prepare.
    inputs: dict = field(default_factory=dict)

    @classmethod
    def create(cls, scenario: Scenario, mode: str | None = None) -> Context:
        time = scenario.values["time"]
        index = pd.date_range(pd.Timestamp(time["start"]), periods=time["hours"], freq="h", tz=TIMEZONE)
        ctx = cls(scenario, mode or scenario.values["mode"], index, np.ones(len(index)), ProfileStore(index),
                  hourly_index=index)
        ctx.demand = {b: np.zeros(len(index)) for b in ctx.buses}
        return ctx

    def segmented(self, segment_of: np.ndarray) -> Context:
        """The same run with hours merged into time steps (``segment_of``: each hour's step)."""
        first = aggregation.starts(segment_of)
        durations = np.diff(np.r_[first, len(segment_of)]).astype(float)
        ctx = Context(self.scenario, self.mode, self.hourly_index[first], durations, self.profiles,
                      hourly_index=self.hourly_index, first_hours=first)
        ctx.demand = {b: np.zeros(ctx.n) for b in ctx.buses}
        return ctx

    @property
    def aggregated(self) -> bool:
        return self.first_hours is not None

    def steps(self, hourly: np.ndarray) -> np.ndarray:
        """Hourly values (last axis) as the mean over each time step."""
        if self.first_hours is None:
            return hourly
        return aggregation.mean_over(hourly, self.first_hours, self.weights)

    def expand(self, values: np.ndarray) -> np.ndarray:
        """Time-step values (last axis) repeated over the hours of each step."""
        if self.first_hours is None:
            return values
        return np.repeat(values, self.weights.astype(int), axis=-1)

    def hour_of_day(self, by_hour: np.ndarray) -> np.ndarray:
        """A value for each local hour of the day (24), over the time steps."""
        return self.steps(np.asarray(by_hour, dtype=float)[self.hourly_index.hour.to_numpy()])

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

    def profile(self, spec, kind: str, key: str, with_mean=False, hourly=False):
        """A profile over the time steps (``hourly``: over every hour), and its source's mean."""
        values, mean = self.profiles.get(spec, kind, key, self.scenario.file_of)
        values = values if hourly else self.steps(values)
        return (values, mean) if with_mean else values

    def days(self) -> tuple[np.ndarray, list]:
        """Each hour's day number and the days' dates (YYYY-MM-DD), in order."""
        # Integers, not normalised timestamps: a quarter of the time, paid at every sweep point.
        idx = self.index
        codes, uniques = pd.factorize(np.asarray(idx.year * 10000 + idx.month * 100 + idx.day))
        return codes, [f"{k // 10000:04d}-{k // 100 % 100:02d}-{k % 100:02d}" for k in uniques]

    def window_mean(self, key: str) -> float:
        """Mean of a loaded profile over the modelled hours (what a re-run from inputs/ sees as its source)."""
        return float(np.mean(self.profiles.used[key]))

    def rescale_for_inputs(self, key: str, value: float, source_figure: float, window_figure: float):
        """Record ``key``'s value for inputs/: ``value`` scaled by window_figure / source_figure."""
        self.inputs[key] = float(value * window_figure / source_figure) if source_figure else float(value)

    def profile_source(self, key: str):
        """The whole source of a profile already loaded under ``key`` (a Series by time)."""
        return self.profiles.sources[key]

    def in_service(self, date) -> np.ndarray:
        """1 from the in-service date on (0 before it); all ones when there is no date."""
        if date is None:
            return np.ones(self.n)
        return self.steps(np.asarray(self.hourly_index >= pd.Timestamp(date).tz_localize(TIMEZONE), dtype=float))

    def check_bus(self, bus: str, key: str):
        if bus not in self.values["buses"]:
            raise InputError(self.scenario.file_of(key), key,
                             f"unknown bus {bus!r}; buses: {', '.join(self.buses)}")

    def season(self, start: tuple, end: tuple, index=None) -> np.ndarray:
        """1 in the hours between two (month, day) dates, inclusive, else 0; wraps over the new
        year. Over the time steps, or over ``index`` if given."""
        md = (self.hourly_index if index is None else index)
        md = md.month * 100 + md.day
        a, b = start[0] * 100 + start[1], end[0] * 100 + end[1]
        inside = np.asarray((md >= a) & (md <= b) if a <= b else (md >= a) | (md <= b), dtype=float)
        return inside if index is not None else self.steps(inside)
