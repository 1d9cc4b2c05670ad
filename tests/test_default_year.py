"""The Jiuquan-only year (scenarios/jiuquan_2019.yaml, the quick view; the default is the Gansu
context, tests/test_context.py) over the full year: a few solves, checked for consistency."""

import numpy as np
import pandas as pd
import pytest

from model.analyses.pipeline import run
from tests.conftest import ROOT

DEFAULT = ROOT / "scenarios" / "jiuquan_2019.yaml"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    out = tmp_path_factory.mktemp("default") / "jiuquan_2019"
    return run(DEFAULT, out=out), out


@pytest.mark.slow
def test_default_year_closes_its_energy_balance(year):
    result, out = year
    s = result.summary
    assert s["status"] == "Optimal" and s["mode"] == "target" and s["hours"] == 8760
    assert s["checks"]["ok"], s["checks"]["problems"]
    assert s["balance_max_abs_mw"] < 1e-3
    supply = (sum(s["generation_mwh"].values()) + s["import_mwh"] + s["unserved_mwh"]
              + sum(s["storage_discharge_mwh"].values()))
    use = s["local_demand_mwh"] + s["export_mwh"] + sum(s["storage_charge_mwh"].values())
    assert supply == pytest.approx(use, rel=1e-9)
    for tech, rate in s["curtailment_rate"].items():
        assert 0 <= rate <= 1
        assert s["generation_mwh"][tech] + s["curtailment_mwh"][tech] == pytest.approx(s["available_mwh"][tech])
    assert len(pd.read_parquet(out / "hourly.parquet")) == 8760
    monthly = pd.read_csv(out / "monthly.csv")
    assert len(monthly) == 12
    assert monthly["export_total_mwh"].sum() == pytest.approx(s["export_mwh"])


@pytest.mark.slow
def test_default_year_target_price_is_consistent(year):
    """The default year falls short of 28 TWh: the target row's dual is then the penalty, which
    is no price: the price is null, the status says out of reach, by how much and the ceiling;
    the bus price carries no penalty (it was 2,072 CNY/MWh on average with it)."""
    s = year[0].summary
    penalty = 2000.0
    if s["shortfall_mwh"] > 1e-3:
        assert s["target_price_cny_per_mwh"] is None
        assert s["target_row_dual_cny_per_mwh"] == pytest.approx(penalty)
        assert s["target_status"] == "out_of_reach"
        assert s["target_counted_mwh"] - 1e-6 * s["target_mwh"] <= s["target_ceiling_mwh"] < s["target_mwh"]
        assert s["mean_price_cny_per_mwh"]["jiuquan"] < penalty / 2
    else:
        assert 0 <= s["target_price_cny_per_mwh"] <= penalty
    assert s["target_counted_mwh"] + s["shortfall_mwh"] >= s["target_mwh"] * (1 - 1e-9)


@pytest.mark.slow
def test_default_year_curtailment_rates_do_not_depend_on_the_method(year):
    """The pro-rata rule and the tie-break stage (least drawn into stores and boilers) leave no
    choice to the solver: simplex and interior point give the same 弃风率 and 弃光率 to 0.01 pp
    (measured: within 0.001 pp, total curtailment equal to 0.1 MWh)."""
    simplex = year[0].summary
    assert simplex["curtailment_rule"] == "pro_rata"
    ipm = run(DEFAULT, write=False, overrides=[("solver.method", "ipm")]).summary
    assert ipm["objective_cny"] == pytest.approx(simplex["objective_cny"], rel=1e-8)
    for tech in ("wind", "pv"):
        assert abs(ipm["curtailment_rate"][tech] - simplex["curtailment_rate"][tech]) < 1e-4
    assert sum(ipm["curtailment_mwh"].values()) == pytest.approx(sum(simplex["curtailment_mwh"].values()), abs=10)
    assert simplex["curtailment_rate"]["pv"] > 0  # PV shares the curtailment (it was 0.0% under simplex)


@pytest.mark.slow
def test_default_year_modes_are_ordered(year):
    """The ceiling is at least what the target run reaches, which is at least plain dispatch,
    measured the way the target counts it (export net of imports)."""
    target = year[0].summary
    ceiling = run(DEFAULT, mode="max-export", write=False).summary
    dispatch = run(DEFAULT, mode="dispatch", write=False).summary
    tol = 1e-6 * target["target_mwh"]
    assert ceiling["net_export_mwh"] >= target["target_counted_mwh"] - tol
    assert target["target_counted_mwh"] >= dispatch["target_counted_mwh"] - tol
    assert ceiling["checks"]["ok"] and dispatch["checks"]["ok"]


@pytest.mark.slow
def test_default_year_dc_line_is_held_by_synchronous_support(year):
    """In 2019 nothing large spins at Jiuquan but the CHP plant and hydro: in the hours counted
    as the support binding, the DC flow is exactly their spinning capacity over the 0.2 ratio,
    and in every other hour below it (network.support_binding). The Changle coal
    units lift that limit, and the line then carries the receiving end's annual volume
    (levers/hunan_receiving_end.yaml, 20 TWh) instead of whatever coal could fill."""
    result = year[0]
    s, hourly = result.summary, result.report.hourly
    assert s["sync_support_binding_hours"]["jiuquan"] > 1000
    spinning = hourly["CHP-u[guodian_jiuquan]"] + hourly["Hydro-p[jiuquan_hydro]"]
    slack = spinning - 0.2 * hourly["Line-flow[qishao_dc]"]
    binding = slack <= 1e-6 * np.maximum(1.0, spinning)
    assert s["sync_support_binding_hours"]["jiuquan"] == int(binding.sum())
    assert slack[~binding].min() > 0.01  # the rest are not near the limit either
    changle = run(ROOT / "scenarios" / "jiuquan_2019_changle_coal.yaml", write=False).summary
    assert changle["export_by_line_mwh"]["qishao_dc"] == pytest.approx(20e6, rel=1e-9)
    assert changle["sync_support_binding_hours"]["jiuquan"] < s["sync_support_binding_hours"]["jiuquan"]


@pytest.mark.slow
def test_default_year_in_six_segments_a_day_is_within_its_stated_error(year):
    """Time aggregation's stated error on the default (README, "Time aggregation"): with 6 segments
    a day, export net of imports within 1% of the hourly year, curtailment within 20%, hours with
    DC support binding within 3%, CO2 within 1%. Merging hours smooths the wind within each day,
    so the merged run curtails less and exports a little more: a known, one-sided bias."""
    hourly = year[0].summary
    merged = run(DEFAULT, overrides=[("time.segments_per_day", 6)], write=False).summary
    assert merged["time_steps"] == 365 * 6 and merged["checks"]["ok"]
    assert merged["net_export_mwh"] == pytest.approx(hourly["net_export_mwh"], rel=0.01)
    assert merged["net_export_mwh"] >= hourly["net_export_mwh"]
    curtailed = [sum(s["curtailment_mwh"].values()) for s in (hourly, merged)]
    assert curtailed[1] == pytest.approx(curtailed[0], rel=0.2)
    assert merged["sync_support_binding_hours"]["jiuquan"] == pytest.approx(
        hourly["sync_support_binding_hours"]["jiuquan"], rel=0.03)
    assert merged["co2_t"] == pytest.approx(hourly["co2_t"], rel=0.01)
