"""The measures analysis (model/analyses/measures.py): contributions derived by hand, the waterfall's sum,
measures switched off being the base, and bad measures files."""

from __future__ import annotations

import json
import math

import pytest
import yaml

from model.analyses import measures
from model.cli import main
from model.inputs import measures_file, scenario
from model.optimisation.resolve import Resolver
from model.plotting.measures import waterfall_bars
from tests.conftest import ROOT, base, write_scenario

HOURS = 24

# One bus, no local load. Wind 100 MW always available; one export line of 300 MW. The target is
# out of reach, so target mode exports all it can (the shortfall penalty outbids nothing: wind
# and lines cost nothing).
#   A: 400 MW more wind. Alone: min(500, 300) = 300 MW, +200 MW.
#   B: a second 300 MW line. Alone: min(100, 600) = 100 MW, +0.
#   A and B: min(500, 600) = 500 MW, +400 MW.
# alone A 200, B 0; in order A then B: steps 200, 200; last added A 400, B 200;
# Shapley (both orders): A (200 + 400) / 2 = 300, B (0 + 200) / 2 = 100: they sum to 400.
CASE = base(
    HOURS,
    mode="target",
    target={"export_twh": 28},
    wind={"w": {"capacity_mw": 100, "availability": 1.0}},
    export_lines={"l1": {"capacity_mw": 300}},
)
MW = HOURS / 1e6  # TWh per MW held over the run


def plan_file(tmp_path, items=None, **top):
    data = {
        "name": "two",
        "interaction_share": 0.2,
        "shapley_orders": 2,
        **top,
        "measures": items
        or [
            {
                "id": "more_wind",
                "title": {"zh": "风电", "en": "Wind"},
                "capital_cost_cny": 1.0e6,
                "lifetime_years": 1,
                "overlay": {"wind": {"w2": {"capacity_mw": 400, "availability": 1.0}}},
            },
            {
                "id": "second_line",
                "title": {"zh": "线路", "en": "Line"},
                "overlay": {"export_lines": {"l2": {"capacity_mw": 300}}},
            },
        ],
    }
    path = tmp_path / "measures.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def analysed(tmp_path):
    scenario = write_scenario(tmp_path, CASE)
    plan = measures_file.load(plan_file(tmp_path))
    return measures.run(scenario, plan), scenario, plan


def test_hand_derived_contributions(analysed):
    out, _, _ = analysed
    t = out["table"].set_index("measure")
    expect = {"more_wind": (200, 200, 400, 300), "second_line": (0, 200, 200, 100)}
    for m, (alone, step, last, shapley) in expect.items():
        assert t.loc[m, "alone_twh"] == pytest.approx(alone * MW, abs=1e-9)
        assert t.loc[m, "step_twh"] == pytest.approx(step * MW, abs=1e-9)
        assert t.loc[m, "last_added_twh"] == pytest.approx(last * MW, abs=1e-9)
        assert t.loc[m, "shapley_twh"] == pytest.approx(shapley * MW, abs=1e-9)
        assert t.loc[m, "alone_yi_kwh"] == pytest.approx(alone * MW * 10, abs=1e-8)
    assert out["base"]["export_mwh"] == pytest.approx(100 * HOURS)
    assert out["all"]["export_mwh"] == pytest.approx(500 * HOURS)
    # 2 orders of 2 measures: every set was solved already, so Shapley took no new solve
    assert out["solves"] == 4 and out["shapley_solves"] == 0
    assert out["rebuilds"] == 1  # one model; every other set re-solved in place


def test_cost_is_the_system_cost_not_the_penalty(analysed):
    """Export lifts the shortfall penalty by 2000 CNY/MWh; the cost per MWh does not see it."""
    out, _, _ = analysed
    t = out["table"].set_index("measure")
    annuity = 1.0e6 * 0.06 / (1 - 1.06**-1)  # plan.discount_rate default 0.06, one year
    assert t.loc["more_wind", "net_operating_cost_change_cny_per_yr"] == pytest.approx(
        0.0, abs=1e-3
    )
    assert t.loc["more_wind", "cost_cny_per_yr"] == pytest.approx(annuity)
    # a year's cost over a year's added export: 200 MW for 8,760 hours
    assert t.loc["more_wind", "cost_cny_per_mwh_added_export"] == pytest.approx(
        annuity / (200 * 8760)
    )
    assert math.isnan(t.loc["second_line", "cost_cny_per_mwh_added_export"])  # adds nothing alone


def test_waterfall_sums_to_the_all_measures_run(analysed):
    out, _, plan = analysed
    s = measures.summary(out, plan)
    bars = waterfall_bars(out["table"], s)
    level = s["base"]["export_mwh"] + sum(
        b["height"] for b in bars if b["kind"] in ("step", "later")
    )
    assert level == pytest.approx(s["all"]["export_mwh"], rel=1e-12)
    assert bars[-2]["key"] == "all" and bars[-2]["height"] == pytest.approx(
        s["all"]["export_mwh"], rel=1e-12
    )
    gap = bars[-1]
    assert gap["key"] == "gap"
    assert gap["bottom"] + gap["height"] == pytest.approx(s["base"]["target_mwh"])


def test_measures_switched_off_are_the_base(tmp_path):
    """A measure's units kept but switched off (OFF, in_service) solve as the base without them."""
    from model.analyses.pipeline import finish

    gansu = ROOT / "scenarios" / "gansu_2019.yaml"
    plan = measures_file.load(ROOT / measures.BUNDLED)
    over = [("time.hours", 48)]
    sets = measures.Sets(gansu, plan, over)
    off = Resolver().solve(sets.scenario(set()))
    plain = Resolver().solve(scenario.load(gansu, over))
    a = finish(off.built, off.solution, off.timings, None).summary
    b = finish(plain.built, plain.solution, plain.timings, None).summary
    assert a["objective_cny"] == pytest.approx(b["objective_cny"], rel=1e-9)
    assert a["target_counted_mwh"] == pytest.approx(b["target_counted_mwh"], rel=1e-9, abs=1e-3)


def test_cli_writes_table_charts_and_page(tmp_path, capsys):
    scenario = write_scenario(tmp_path, CASE)
    out = tmp_path / "out"
    code = main(
        [
            "measures",
            str(scenario),
            "--measures",
            str(plan_file(tmp_path)),
            "--out",
            str(out),
            "--lang",
            "en",
            "-q",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert (out / "measures.csv").is_file() and (out / "sets.csv").is_file()
    assert (out / "report" / "charts" / "en" / "measures_waterfall.png").is_file()
    assert (out / "report" / "charts" / "en" / "measures_supply.png").is_file()
    page = (out / "report" / "report_en.html").read_text(encoding="utf-8")
    assert "cannot be closed this year" in page
    s = json.loads((out / "measures.json").read_text(encoding="utf-8"))
    assert s["solves"] == 4 and s["segments_per_day"] is None  # hourly: no aggregation to state


BAD = [
    ({"measures": []}, "measures"),
    ({"measures": [{"title": "x", "overlay": {"wind": {}}}]}, "measures[0].id"),
    ({"measures": [{"id": "a", "overlay": {}}]}, "measures[0]"),
    ({"measures": [{"id": "a", "levers": "missing.yaml"}]}, "missing.yaml"),
    (
        {
            "measures": [
                {"id": "a", "overlay": {"wind": {"w": {"capacity_mw": 1}}}, "in_service": "soon"}
            ]
        },
        "measures[0].in_service",
    ),
    (
        {"measures": [{"id": "a", "overlay": {"x": 1}}, {"id": "a", "overlay": {"x": 1}}]},
        "measures[1].id",
    ),
    ({"interaction_share": 2, "measures": [{"id": "a", "overlay": {"x": 1}}]}, "interaction_share"),
    (
        {"measures": [{"id": "a", "overlay": {"wind": {"w": {"capacity_mw": -5}}}}]},
        "wind.w.capacity_mw",
    ),
]


@pytest.mark.parametrize("data,key", BAD)
def test_bad_measures_file_is_one_line_and_exit_2(tmp_path, capsys, data, key):
    scenario = write_scenario(tmp_path, CASE)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["measures", str(scenario), "--measures", str(path), "--out", str(out), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ") and key in err
    assert not out.exists()


def test_validate_knows_measures_files(capsys, monkeypatch):
    from model import project

    monkeypatch.setattr(project, "DEFAULT_SCENARIO", ROOT / "scenarios" / "gansu_2019.yaml")
    assert main(["validate", str(ROOT / measures.BUNDLED), "--set", "time.hours=24"]) == 0
    assert "measures work_report_2019: 13 measures" in capsys.readouterr().out


def test_weather_years_give_p50_p90_and_match_a_fresh_run(tmp_path):
    """Two weather years on the context model: P50 is their mean, P90 the 10th percentile, and the
    second year's contributions (re-solved on the first year's models) are those of its own run."""
    gansu = ROOT / "scenarios" / "gansu_2019.yaml"
    items = [
        {
            "id": "more_wind",
            "overlay": {
                "wind": {
                    "jiuquan_wind_phase2": {
                        "capacity_mw": 1000,
                        "availability": {
                            "file": str(ROOT / "data/weather/jiuquan_w{weather_year:02d}.parquet"),
                            "column": "wind",
                        },
                    }
                }
            },
        },
        {"id": "volume", "overlay": {"export_lines": {"qishao_dc": {"volume_max_twh": 25}}}},
    ]
    plan = measures_file.load(plan_file(tmp_path, items))
    # A day on which the target is short in both years: the penalty then pins the counted export.
    # On a day that meets it (1 April), where wind is curtailed, Jiuquan or the rest of Hexi, is a
    # tie, and the counted export moved by 1 GWh between presolve on and off (issue 12 note).
    over = [("time.hours", 24), ("time.start", "2019-08-15")]
    out = measures.across_weather(gansu, plan, [1, 2], over)
    per = out["per_year"].pivot(index="measure", columns="weather_year", values="alone_twh")
    t = out["table"].set_index("measure")
    for m in ("more_wind", "volume"):
        a, b = per.loc[m, 1], per.loc[m, 2]
        assert t.loc[m, "alone_p50_twh"] == pytest.approx((a + b) / 2)
        assert t.loc[m, "alone_p90_twh"] == pytest.approx(min(a, b) + 0.1 * abs(b - a))
    fresh = measures.run(gansu, plan, [*over, ("weather_year", 2)])["table"].set_index("measure")
    assert per.loc["more_wind", 2] == pytest.approx(fresh.loc["more_wind", "alone_twh"], abs=1e-7)
    assert per.loc["more_wind", 1] != pytest.approx(per.loc["more_wind", 2], abs=1e-6)


def test_bad_weather_years_exit_2(tmp_path, capsys):
    scenario = write_scenario(tmp_path, CASE)
    code = main(
        [
            "measures",
            str(scenario),
            "--measures",
            str(plan_file(tmp_path)),
            "--weather-years",
            "3-x",
            "--out",
            str(tmp_path / "out"),
            "-q",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("error: --weather-years") and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


# Three measures on CASE: v(S) = min(100 + 400 A + 200 C, 300 + 300 B) MW (wind against lines).
V3 = {"": 100, "A": 300, "B": 100, "C": 300, "AB": 500, "AC": 300, "BC": 300, "ABC": 600}
# The six orders' marginals by hand: A 200, 200, 400, 300, 0, 300; B 200, 300, 0, 0, 300, 0;
# C 100, 0, 100, 200, 200, 200 (orders ABC, ACB, BAC, BCA, CAB, CBA).
SHAPLEY3 = {"A": 1400 / 6, "B": 800 / 6, "C": 800 / 6}
THREE = [
    {"id": "A", "overlay": {"wind": {"w2": {"capacity_mw": 400, "availability": 1.0}}}},
    {"id": "B", "overlay": {"export_lines": {"l2": {"capacity_mw": 300}}}},
    {"id": "C", "overlay": {"wind": {"w3": {"capacity_mw": 200, "availability": 1.0}}}},
]


def test_shapley_over_every_order_is_exact(tmp_path):
    scenario = write_scenario(tmp_path, CASE)
    plan = measures_file.load(plan_file(tmp_path, THREE, shapley_orders=6))
    out = measures.run(scenario, plan)
    t = out["table"].set_index("measure")
    assert out["shapley_exact"] and sorted(out["flagged"]) == ["A", "B", "C"]
    for m, value in SHAPLEY3.items():
        assert t.loc[m, "shapley_twh"] == pytest.approx(value * MW, abs=1e-9)
        assert t.loc[m, "shapley_se_twh"] == 0.0
    assert t["shapley_twh"].sum() == pytest.approx((600 - 100) * MW, abs=1e-9)


def test_sampled_shapley_is_the_mean_over_antithetic_pairs_with_its_standard_error(tmp_path):
    scenario = write_scenario(tmp_path, CASE)
    plan = measures_file.load(plan_file(tmp_path, THREE, shapley_orders=4, seed=7))
    out = measures.run(scenario, plan)
    t = out["table"].set_index("measure")
    perms, exact = measures.orders(3, 4, 7)
    assert not exact and len(perms) == 4
    assert perms[1] == perms[0][::-1] and perms[3] == perms[2][::-1]
    names = "ABC"
    for i, m in enumerate(names):
        gains = []
        for p in perms:
            ahead = "".join(sorted(names[j] for j in p[: p.index(i)]))
            gains.append(V3["".join(sorted(ahead + m))] - V3[ahead])
        pairs = [(gains[0] + gains[1]) / 2, (gains[2] + gains[3]) / 2]
        se = abs(pairs[0] - pairs[1]) / 2  # std (ddof 1) of two values over sqrt(2)
        assert t.loc[m, "shapley_twh"] == pytest.approx(sum(gains) / 4 * MW, abs=1e-9)
        assert t.loc[m, "shapley_se_twh"] == pytest.approx(se * MW, abs=1e-9)


def test_sets_are_solved_nearest_first_by_the_cost_of_switching(tmp_path):
    """From the base, sets {A, B}, {C}, {B}, {A}. Unit costs: C (1, first of the nearest), then B
    (2, before A as given), {A, B} (1), A. B ten times dearer: C (1), A (2), {A, B} (10), B (1):
    B is switched on once and off once instead of three times."""
    plan = measures_file.load(plan_file(tmp_path, THREE))
    sets = [{0, 1}, {2}, {1}, {0}]
    for cost, expect in ((None, ["C", "B", "AB", "A"]), ([1, 10, 1], ["C", "A", "AB", "B"])):
        a = measures.Analysis(write_scenario(tmp_path, CASE), plan)
        a.v = lambda key: a.order.append(key)  # noqa: B023  records the order, solves nothing
        a.solve_all(sets, cost)
        assert ["".join("ABC"[i] for i in sorted(k)) for k in a.order] == expect


def test_shapley_orders_from_the_command_line(tmp_path, capsys):
    scenario = write_scenario(tmp_path, CASE)
    path = plan_file(tmp_path, THREE, shapley_orders=6)
    args = ["measures", str(scenario), "--measures", str(path), "--no-report", "-q"]
    assert main([*args, "--shapley-orders", "4", "--out", str(tmp_path / "a")]) == 0
    s = json.loads((tmp_path / "a" / "measures.json").read_text(encoding="utf-8"))
    assert s["shapley_orders"] == 4 and not s["shapley_exact"]
    capsys.readouterr()
    assert main([*args, "--shapley-orders", "3", "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err.startswith("error: --shapley-orders") and "even" in err and len(err.splitlines()) == 1
    )
    assert not (tmp_path / "b").exists()


def test_json_schema_of_measures_files(capsys):
    import jsonschema

    from model.inputs import yaml_text

    assert main(["schema", "--json", "--measures"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    text = (ROOT / measures.BUNDLED).read_text(encoding="utf-8")
    bundled = json.loads(json.dumps(yaml_text.load(text), default=str))
    v.validate(bundled)
    assert not v.is_valid(dict(bundled, shapley_orders=3))
    assert not v.is_valid({"measures": [{"id": "a"}]})  # changes nothing
    assert not v.is_valid(
        {"measures": [{"id": "a", "overlay": {"wind": {"w": {"capacity_mw": -1}}}}]}
    )
    assert not v.is_valid({"measures": [{"id": "a", "colour": 1, "overlay": {"demand": {}}}]})


def test_a_unit_switched_on_restarts_from_zero_not_full_output(tmp_path):
    """A unit switched off sits fixed at [0, 0], which HiGHS may mark "at upper"; switched on, it
    would start at full output in every hour. push_numbers puts each such column at the bound
    nearer its old value (0), and the warm re-solve reaches a fresh solve's optimum."""
    import highspy

    from model.optimisation import build as builder
    from model.optimisation import solve

    phs = {"pump_mw": 50, "turbine_mw": 50, "reservoir_mwh": 200, "in_service": measures.NEVER}
    case = base(
        HOURS,
        wind={"w": {"capacity_mw": 300, "availability": [1.0, 0.1] * (HOURS // 2)}},
        demand={"d": {"annual_mwh": 100 * 8760}},
        export_lines={"l1": {"capacity_mw": 150, "price_cny_per_mwh": 300}},
        pumped_hydro={"p": phs},
    )
    off = write_scenario(tmp_path, case, "off.yaml")
    on = write_scenario(
        tmp_path, {"extends": "off.yaml", "pumped_hydro": {"p": {"in_service": None}}}, "on.yaml"
    )
    r = Resolver()
    r.solve(scenario.load(off))
    cols = r.built.lp.vars["PumpedHydro-discharge"].cols[0]
    upper = highspy.HighsBasisStatus.kUpper
    before = [r.h.getBasis().col_status[j] for j in cols]
    assert upper in before  # what the rule is for
    point, shadow = builder.numbers(scenario.load(on))
    r.built.lp.update_numbers(shadow)
    solve.push_numbers(r.h, r.built.lp)
    after = r.h.getBasis().col_status
    assert all(after[j] != upper for j in cols)
    warm = r.solve(scenario.load(on)).solution.objective
    cold = Resolver().solve(scenario.load(on)).solution.objective
    assert warm == pytest.approx(cold, rel=1e-9)
