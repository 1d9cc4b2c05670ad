"""Helpers: write a scenario to a temporary file and solve it without writing results."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from model.analyses.pipeline import run

ROOT = Path(__file__).resolve().parents[1]


def write_scenario(tmp_path: Path, data: dict, name="case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def base(hours, **sections) -> dict:
    """A one-bus scenario of ``hours`` hours from 2019-01-01, no curtailment penalty."""
    data = {"name": "case", "mode": "dispatch", "time": {"start": "2019-01-01", "hours": hours}}
    data.update(sections)
    return data


def coal(capacity, cost_cny_per_mwh, **extra):
    """A coal unit whose energy cost is exactly ``cost_cny_per_mwh`` (heat rate 1 tce/MWh)."""
    return {"capacity_mw": capacity, "heat_rate_tce_per_mwh": 1.0, "fuel_price_cny_per_tce": cost_cny_per_mwh,
            "vom_cny_per_mwh": 0, "startup_cost_cny_per_mw": 0, "min_stable_load": 0, **extra}


def flat_demand(mw, hours_in_year=8760):
    return {"annual_mwh": mw * hours_in_year, "profile": 1}


def target_twh(mwh, hours, hours_in_year=8760):
    """The annual target whose pro-rata share over ``hours`` is ``mwh``."""
    return mwh / 1e6 * hours_in_year / hours


@pytest.fixture
def solve(tmp_path):
    def _solve(data, mode=None, **kw):
        return run(write_scenario(tmp_path, data), mode=mode, write=False, **kw)
    return _solve
