"""PyPSA out: an exported system solved in PyPSA has this model's optimum (the check an outside
engineer would run). Skipped only where the `pypsa` extra is not installed; make installs it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.cli import main
from tests.conftest import base, coal, write_scenario

pypsa = pytest.importorskip("pypsa")

H = 48
rng = np.random.default_rng(17)
wind = np.round(rng.uniform(0, 1, H), 3).tolist()
pv = np.round(np.clip(np.sin(np.arange(H) % 24 / 24 * 2 * np.pi - np.pi / 2), 0, 1), 3).tolist()
price = np.round(300 + 150 * rng.uniform(0, 1, H), 1).tolist()
SYSTEM = base(
    H,
    buses={"jiuquan": {}, "jiayuguan": {}},
    wind={"w": {"capacity_mw": 900, "availability": wind, "vom_cny_per_mwh": 2}},
    pv={"s": {"capacity_mw": 400, "availability": pv, "bus": "jiayuguan"}},
    coal={"c": coal(500, 250, min_stable_load=0, startup_cost_cny_per_mw=0, availability=0.9),
          "c2": coal(300, 330, min_stable_load=0, startup_cost_cny_per_mw=0, bus="jiayuguan")},
    battery={"b": {"power_mw": 100, "energy_mwh": 400, "charge_efficiency": 0.92,
                   "discharge_efficiency": 0.9, "self_discharge_per_h": 0.001,
                   "throughput_cost_cny_per_mwh": 5}},
    demand={"d": {"annual_mwh": 400 * 8760, "profile": 1},
            "d2": {"annual_mwh": 300 * 8760, "profile": pv, "bus": "jiayuguan"}},
    imports={"grid": {"capacity_mw": 200, "price_cny_per_mwh": 420}},
    export_lines={"dc": {"capacity_mw": 800, "price_cny_per_mwh": price, "loss": 0.05,
                         "tariff_cny_per_mwh": 40, "min_load": 0.2}},
    corridors={"k": {"from_bus": "jiayuguan", "to_bus": "jiuquan", "capacity_mw": 250, "loss": 0.02}},
    system={"curtailment_penalty_cny_per_mwh": 10},
)


def test_pypsa_round_trip_matches_the_objective(tmp_path, capsys):
    path = write_scenario(tmp_path, SYSTEM)
    assert main([str(path), "--out", str(tmp_path / "run"), "--no-report"]) == 0
    ours = json.loads((tmp_path / "run" / "summary.json").read_text())["objective_cny"]
    assert main(["export", "pypsa", str(tmp_path / "run"), "--out", str(tmp_path / "net")]) == 0
    assert "network.nc" in capsys.readouterr().out
    n = pypsa.Network(str(tmp_path / "net" / "network.nc"))
    assert len(n.snapshots) == H and set(n.storage_units.index) == {"battery:b"}
    status, _ = n.optimize(solver_name="highs", include_objective_constant=False)
    assert status == "ok"
    theirs = n.objective + n.meta["objective_constant_cny"]
    assert theirs == pytest.approx(ours, rel=1e-6)
    assert "nothing" in (tmp_path / "net" / "notes.txt").read_text()


def test_what_pypsa_cannot_say_is_listed(tmp_path):
    data = json.loads(json.dumps(SYSTEM))
    data["export_lines"]["dc"]["sync_support_ratio"] = 0.2
    data["mode"] = "target"
    data["coal"]["c"]["min_stable_load"] = 0.4
    assert main(["export", "pypsa", str(write_scenario(tmp_path, data)), "--out", str(tmp_path / "n")]) == 0
    notes = (tmp_path / "n" / "notes.txt").read_text()
    assert "synchronous support" in notes and "export target" in notes and "commitment" in notes
    n = pypsa.Network(str(tmp_path / "n" / "network.nc"))
    assert "export_target" in n.global_constraints.index
