"""What families report after a solve: hourly columns, hourly quantities by category, bus injections.

Categories (``generation``, ``curtailment``, ``export``...) hold hourly arrays by name; totals and
monthly sums are their hour-weighted sums, so summary.json and monthly.csv always agree. The
signed injections by bus are what the energy-balance check adds up, independently of the LP.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Report:
    n: int
    hourly: dict = field(default_factory=dict)  # column -> array (T,)
    units: dict = field(default_factory=dict)  # column -> unit
    series: dict = field(default_factory=lambda: defaultdict(dict))  # category -> name -> array (T,)
    injections: dict = field(default_factory=lambda: defaultdict(list))  # bus -> [(column, array)]
    capacity_mw: dict = field(default_factory=lambda: defaultdict(float))  # carrier -> MW
    scalars: dict = field(default_factory=dict)  # extra summary entries

    def column(self, name: str, values, unit: str = "MW"):
        self.hourly[name] = np.asarray(values, dtype=float)
        self.units[name] = unit

    def add(self, category: str, name: str, values):
        """Accumulate an hourly quantity (MW, CNY/h or t/h) under ``category``/``name``."""
        values = np.asarray(values, dtype=float)
        prev = self.series[category].get(name)
        self.series[category][name] = values if prev is None else prev + values

    def inject(self, bus: str, column: str, values):
        """Signed power into ``bus`` (withdrawals negative), for the energy-balance check."""
        self.injections[bus].append((column, np.asarray(values, dtype=float)))

    def total(self, category: str, weights) -> dict:
        return {k: float(np.dot(weights, v)) for k, v in self.series.get(category, {}).items()}
