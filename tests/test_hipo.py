"""solver.method hipo (HiGHS's HiPO interior point, from highspy-extras): the same plan as IPX
where it is installed, and one clear input error where it is not."""

from __future__ import annotations

import pytest

from model.analyses.pipeline import run
from model.cli import main
from model.optimisation import solve
from tests.conftest import ROOT

DAYS = ROOT / "tests" / "scenarios" / "plan_days.yaml"


@pytest.mark.skipif(not solve.hipo_available(), reason="highspy-extras (HiPO) is not installed")
def test_hipo_plans_as_ipx_does():
    s = {m: run(DAYS, write=False, overrides=[("solver.method", m)]).summary for m in ("ipm", "hipo")}
    ipx, hipo = s["ipm"], s["hipo"]
    assert hipo["checks"]["ok"], hipo["checks"]["problems"]
    assert (ipx["checks"]["solver"]["method"], hipo["checks"]["solver"]["method"]) == ("ipx", "hipo")
    assert hipo["objective_cny"] == pytest.approx(ipx["objective_cny"], rel=1e-6)
    for a, b in zip(ipx["additions"], hipo["additions"], strict=True):
        assert (a["unit"], a["dimension"]) == (b["unit"], b["dimension"])
        assert b["added"] == pytest.approx(a["added"], abs=1e-3)
    assert hipo["target_price_cny_per_mwh"] == pytest.approx(ipx["target_price_cny_per_mwh"], rel=1e-6)


def test_hipo_without_highspy_extras_is_an_input_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(solve, "hipo_available", lambda: False)
    code = main([str(DAYS), "--set", "solver.method=hipo", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert "--set: solver.method: hipo needs highspy-extras" in err and "make setup" in err
    assert not (tmp_path / "o").exists()
