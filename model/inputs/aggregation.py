"""Time aggregation: the hours of each day merged into a few segments of adjacent hours (tsam).

Every day is kept, in its place, so whatever links days is as in the full year: the reservoir of
pumped hydro and heat stores filling over weeks, the heating season, in-service dates, the
direct-purchase contracts by day, the annual target and quotas. Only the resolution within a day
is lost. tsam chooses each day's segment boundaries by constrained agglomerative clustering of the
run's own profiles (wind, PV, CSP field, demand shapes, temperature, prices): calm nights become
one long segment, the morning ramp of PV keeps several short ones.

A time step then stands for ``w`` hours (``Context.weights``); a variable is the segment's mean
power, a state (state of charge, heat in store) is the state at the segment's end. Inter-temporal
rows use the durations: storage ``soc[t] = (1 - loss)^w soc[t-1] + w (charge - discharge)``,
ramps ``|p[t] - p[t-1]| <= r (w[t-1] + w[t]) / 2`` (the most the means of two adjacent segments
of a ramp-limited path can differ), start-ups counted once per segment.

Why segments and not typical days: Jiuquan's export question is a question about seasons (the
pumped-hydro reservoir, the CHP heating season, calm autumn months) and about the target summed
over the year; typical days need extra linking variables for each of these and still lose the
order of weather systems. Segments within each day keep all of it with fewer assumptions.
"""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pandas as pd

_CACHE: dict[str, np.ndarray] = {}


def segment_days(features: pd.DataFrame, per_day: int) -> np.ndarray:
    """The time step (0, 1, ...) of each hour: ``per_day`` segments of adjacent hours a day.

    ``features``: hourly columns (any scale; tsam normalises each) over whole days from 00:00.
    """
    n = len(features)
    days = n // 24
    varying = features.loc[:, features.nunique() > 1]
    key = hashlib.sha256(np.ascontiguousarray(varying.to_numpy(dtype=float)).tobytes()
                         + f"{per_day}|{list(varying.columns)}".encode()).hexdigest()
    if key not in _CACHE:
        _CACHE[key] = _segments(varying, per_day, days)
    return _CACHE[key]


def _segments(varying: pd.DataFrame, per_day: int, days: int) -> np.ndarray:
    day = np.repeat(np.arange(days), 24)
    if per_day >= 24:
        within = np.tile(np.arange(24), days)
    elif varying.shape[1] == 0 or days == 0:
        # Nothing varies: any split is exact; equal lengths keep the steps tidy.
        within = np.tile(np.arange(24) * per_day // 24, days)
    else:
        within = _tsam_segments(varying, per_day, days)
    label = day * 24 + within
    return np.concatenate([[0], np.cumsum(label[1:] != label[:-1])]).astype(np.int64)


def _tsam_segments(varying: pd.DataFrame, per_day: int, days: int) -> np.ndarray:
    import tsam  # 1 s to import (scikit-learn): only aggregated runs pay it

    frame = varying.reset_index(drop=True)
    frame.index = pd.date_range("2001-01-01", periods=len(frame), freq="h")  # tsam wants a plain clock
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tsam.aggregate(
            frame, n_clusters=days, period_duration=24,
            # As many clusters as days: every day is its own period; only the segmentation acts.
            cluster=tsam.ClusterConfig(method="hierarchical", representation="mean"),
            segments=tsam.SegmentConfig(n_segments=per_day), preserve_column_means=False)
    assigned = result.assignments
    if len(set(result.cluster_assignments)) != days:
        raise RuntimeError("tsam merged days; expected one cluster per day")
    return assigned["segment_idx"].to_numpy()


def starts(segment_of: np.ndarray) -> np.ndarray:
    """The first hour of each time step."""
    return np.flatnonzero(np.r_[True, segment_of[1:] != segment_of[:-1]])


def mean_over(values: np.ndarray, first_hours: np.ndarray, durations: np.ndarray) -> np.ndarray:
    """Each time step's mean of hourly ``values`` (last axis: hours)."""
    values = np.asarray(values, dtype=float)
    return np.add.reduceat(values, first_hours, axis=-1) / durations
