"""Random building blocks: per-year random streams, persistent Gaussian processes, Weibull maps.

Seeds. Weather year k (1, 2, ...) draws from ``numpy.random.SeedSequence(base_seed,
spawn_key=(k,))``; each weather process then has its own child stream, fixed by its position in
STREAMS. So a weather year is reproducible on its own, years are statistically independent, and
adding a process at the end of STREAMS leaves the draws of the others unchanged.

Persistence. A stationary standard-normal AR(1) process with lag-1 correlation phi is

    x[0] = e[0],  x[t] = phi x[t-1] + sqrt(1 - phi^2) e[t],  e ~ iid N(0, 1),

so every x[t] is N(0, 1) from the first step. Weather has two memories: synoptic systems that
last days and local fluctuations that last hours. A two-timescale process adds two independent
AR(1) processes with e-folding times tau_slow and tau_fast (phi = exp(-1/tau), tau in steps),

    z = sqrt(s) x_slow + sqrt(1 - s) x_fast,

which is still N(0, 1) at every step, with autocorrelation s phi_slow^L + (1 - s) phi_fast^L at
lag L. Mapping z through the normal CDF keeps that persistence and gives any marginal; for a
Weibull distribution of shape k and unit scale,

    W = (-ln(1 - Phi(z)))^(1/k) = (-ln(Q(z)))^(1/k),  Q(z) = erfc(z / sqrt 2) / 2,

whose mean is Gamma(1 + 1/k).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter
from scipy.special import erfc, ndtri

# Appended streams leave the earlier ones, and so the earlier columns, unchanged.
STREAMS = ("clouds", "wind", "temperature", "hydro", "haze", "regions")


def year_streams(base_seed: int, weather_year: int) -> dict[str, np.random.Generator]:
    """One independent generator per weather process of weather year `weather_year`."""
    year_sequence = np.random.SeedSequence(base_seed, spawn_key=(weather_year,))
    return {name: np.random.default_rng(child)
            for name, child in zip(STREAMS, year_sequence.spawn(len(STREAMS)))}


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary standard-normal AR(1) series of length n with lag-1 correlation phi."""
    shocks = rng.standard_normal(n)
    # The first value keeps unit variance; later shocks are scaled so the variance stays 1.
    shocks[1:] *= np.sqrt(1.0 - phi**2)
    return lfilter([1.0], [1.0, -phi], shocks)


def two_timescale(rng: np.random.Generator, n: int, slow_steps: float, fast_steps: float,
                  slow_share: float) -> np.ndarray:
    """Standard-normal series with a slow (synoptic) and a fast (local) memory."""
    slow, fast = two_timescale_parts(rng, n, slow_steps, fast_steps)
    return combine(slow, fast, slow_share)


def two_timescale_parts(rng: np.random.Generator, n: int, slow_steps: float,
                        fast_steps: float) -> tuple[np.ndarray, np.ndarray]:
    """The slow and the fast AR(1) series of two_timescale, in the order they are drawn."""
    return ar1(rng, n, np.exp(-1.0 / slow_steps)), ar1(rng, n, np.exp(-1.0 / fast_steps))


def combine(slow, fast, slow_share: float) -> np.ndarray:
    return np.sqrt(slow_share) * slow + np.sqrt(1.0 - slow_share) * fast


def lagged(rng: np.random.Generator, series: np.ndarray, lag: int, phi: float) -> np.ndarray:
    """series[t - lag], the hours before the first continued backwards by the same AR(1).

    A stationary AR(1) is reversible in time, so x[-k] = phi x[-k + 1] + sqrt(1 - phi^2) e is the
    process run backwards, and the lagged series is still N(0, 1) at every step.
    """
    if lag == 0:
        return series.copy()
    before = np.empty(lag)
    previous = series[0]
    shocks = rng.standard_normal(lag) * np.sqrt(1.0 - phi**2)
    for k in range(lag):
        previous = phi * previous + shocks[k]
        before[k] = previous
    return np.concatenate([before[::-1], series[:-lag]])


def unit_weibull(z: np.ndarray, shape: float) -> np.ndarray:
    """Standard-normal values mapped to a Weibull distribution of unit scale."""
    # erfc keeps the upper tail exact where 1 - CDF would round to zero.
    return (-np.log(0.5 * erfc(np.asarray(z) / np.sqrt(2.0)))) ** (1.0 / shape)


def normal_nodes(count: int) -> np.ndarray:
    """Equiprobable standard-normal quantiles: a deterministic stand-in for a large sample.

    The mean of f over these nodes approximates E[f(Z)] with the kinks of power curves and
    thresholds handled as well as by a sample, without sampling noise.
    """
    return ndtri((np.arange(count) + 0.5) / count)
