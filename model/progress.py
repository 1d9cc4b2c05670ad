"""Progress of long work on stderr: stages, and the solver's own log lines every few seconds.

Shown on a terminal only: a CI log or a file gets the summary and nothing between, and so does
``--quiet``. Sweep workers are other processes and stay silent; the sweep reports its points.
"""

from __future__ import annotations

import os
import sys
import time

SOLVER_EVERY_S = 3.0  # how often a long solve shows the latest HiGHS log line

_quiet = False
_t0 = time.perf_counter()


def configure(quiet: bool):
    global _quiet, _t0
    _quiet, _t0 = quiet, time.perf_counter()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def silenced() -> bool:
    """``--quiet`` or CI: not even the sweep's point count."""
    return _quiet or in_ci()


def enabled() -> bool:
    return not silenced() and sys.stderr.isatty()


def stage(text: str):
    if enabled():
        print(f"[{time.perf_counter() - _t0:6.1f} s] {text}", file=sys.stderr, flush=True)


class SolverLog:
    """HiGHS log lines, shown at most every SOLVER_EVERY_S: iterations, objective, time."""

    def __init__(self):
        self.last = time.perf_counter()

    def __call__(self, event):
        line = event.message.strip()
        now = time.perf_counter()
        if line and now - self.last >= SOLVER_EVERY_S:
            self.last = now
            stage(f"  HiGHS: {line}")


def attach(h, log: bool):
    """Route HiGHS's log through :class:`SolverLog` when progress shows and ``--log`` is off."""
    if log or not enabled():
        return
    h.setOptionValue("output_flag", True)
    h.setOptionValue("log_to_console", False)
    h.cbLogging.subscribe(SolverLog())
