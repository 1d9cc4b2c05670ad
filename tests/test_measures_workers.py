"""The measures analysis on several workers (model/analyses/measures.py: shares, Team) and the
measures file's resolution (time_segments_per_day)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
import yaml

from model.analyses import measures
from model.cli import main
from model.inputs import measures_file
from tests.conftest import ROOT, write_scenario
from tests.test_measures import CASE, THREE, plan_file

S = frozenset


def test_shares_deal_each_half_of_the_dearest_measure_by_hand():
    """B (10) is dearest to switch. Off B, nearest first from the base: {}, {A}, {A,C}, {C}; on
    B: {B}, {A,B}, {A,B,C}, {B,C}. Each cut in two runs of two; worker k takes the k-th of
    each: two sets with B each."""
    sets = [S(), S({0}), S({1}), S({2}), S({0, 1}), S({0, 2}), S({1, 2}), S({0, 1, 2})]
    got = measures.shares(sets, [1, 10, 1], 2)
    assert got == [
        [S(), S({0}), S({1}), S({0, 1})],
        [S({0, 2}), S({2}), S({0, 1, 2}), S({1, 2})],
    ]
    # seven sets: worker 2's run with B on is the shorter, so it is dealt a run off B first
    got = measures.shares(sets[:-1], [1, 10, 1], 2)
    assert got == [[S({0, 2}), S({2}), S({1}), S({0, 1})], [S(), S({0}), S({1, 2})]]
    assert measures.shares(sets, [1, 10, 1], 1) == [sets]


@pytest.mark.parametrize("workers", [1, 2, 3, 5])
def test_shares_are_a_partition_that_splits_the_dearest_measure_evenly(workers):
    rng = np.random.default_rng(3)
    every = [S(c) for k in range(6) for c in itertools.combinations(range(5), k)]
    sets = [every[i] for i in rng.choice(len(every), 20, replace=False)]
    cost = [3, 1, 40, 2, 5]  # measure 2 dearest
    got = measures.shares(sets + sets[:4], cost, workers)  # repeats are dealt once
    assert len(got) == workers
    dealt = [k for share in got for k in share]
    assert sorted(dealt, key=sorted) == sorted(set(sets), key=sorted)
    on = [sum(2 in k for k in share) for share in got]
    off = [sum(2 not in k for k in share) for share in got]
    assert max(on) - min(on) <= 1 and max(off) - min(off) <= 1
    assert max(map(len, got)) - min(map(len, got)) <= 1
    assert measures.shares(sets, cost, workers) == got  # a function of its inputs


# Columns of sets.csv that say how a set was solved (by which worker, from which basis), not
# what it is: the only ones that may differ with the number of workers.
RUN_COLUMNS = ["worker", "reused_model", "cpu_s", "solve_s", "simplex_iterations"]


def _tables(folder):
    return (
        pd.read_csv(folder / "measures.csv"),
        pd.read_csv(folder / "sets.csv").drop(columns=RUN_COLUMNS),
    )


def _same(a: pd.DataFrame, b: pd.DataFrame):
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for c in a.columns:
        if a[c].dtype.kind == "f":
            np.testing.assert_allclose(b[c], a[c], rtol=1e-6, atol=1e-6, err_msg=c)
        else:
            assert a[c].equals(b[c]), c


def test_one_and_two_workers_give_the_same_tables(tmp_path):
    """Four of the work report's measures on two days of the context model (pumped storage, a
    structural one, the Qishao volume limit, with its own model): every set's figures and the
    table are the same whether one process solves the sets or two share them."""
    gansu = ROOT / "scenarios" / "gansu_2019.yaml"
    plan = measures_file.load(ROOT / measures.BUNDLED)
    keep = ("wind_phase2", "receiving_markets", "battery", "pumped_storage")
    plan.measures = [m for m in plan.measures if m.id in keep]
    over = [("time.hours", 48), ("time.start", "2019-08-15")]
    outs = {}
    for w in (1, 2):
        outs[w] = measures.run(gansu, plan, over, workers=w)
        measures.write(outs[w], plan, tmp_path / f"w{w}", None)
    assert outs[2]["workers"] == 2 and {r["worker"] for r in outs[2]["sets"]} == {0, 1}
    assert outs[1]["solves"] == outs[2]["solves"] == outs[2]["runs"] - 1  # the base, twice
    assert outs[1]["shapley_solves"] > 0  # the Shapley step ran on both workers too
    for a, b in zip(_tables(tmp_path / "w1"), _tables(tmp_path / "w2"), strict=True):
        _same(a, b)


def test_resolution_key_is_applied_and_command_line_wins(tmp_path):
    scenario = write_scenario(tmp_path, CASE)
    plan = measures_file.load(plan_file(tmp_path, THREE, time_segments_per_day=2))
    assert measures.run(scenario, plan)["base"]["segments_per_day"] == 2
    hourly = measures.run(scenario, plan, [("time.segments_per_day", None)])
    assert hourly["base"]["segments_per_day"] is None
    assert "solved at every hour" in measures.format_table(hourly)


def test_cli_states_the_resolution(tmp_path, capsys):
    scenario = write_scenario(tmp_path, CASE)
    path = plan_file(tmp_path, THREE, time_segments_per_day=4)
    out = tmp_path / "out"
    args = ["measures", str(scenario), "--measures", str(path), "--workers", "1"]
    assert main([*args, "--out", str(out), "--no-report", "-q"]) == 0
    assert "solved at 4 segments a day" in capsys.readouterr().out
    assert json.loads((out / "measures.json").read_text(encoding="utf-8"))["segments_per_day"] == 4


@pytest.mark.parametrize("value", [0, 25, "six", 2.5, [6]])
def test_bad_resolution_is_one_line_naming_the_file_and_key(tmp_path, capsys, value):
    scenario = write_scenario(tmp_path, CASE)
    path = plan_file(tmp_path, THREE, time_segments_per_day=value)
    out = tmp_path / "out"
    code = main(["measures", str(scenario), "--measures", str(path), "--out", str(out), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"error: {path}") and "time_segments_per_day" in err
    assert not out.exists()


def test_resolution_that_does_not_fit_the_run_blames_the_measures_file(tmp_path, capsys):
    """Six segments a day need whole days: 36 hours are not, and the error says whose key."""
    data = yaml.safe_load(yaml.safe_dump(CASE))
    data["time"]["hours"] = 36
    scenario = write_scenario(tmp_path, data)
    path = plan_file(tmp_path, THREE, time_segments_per_day=6)
    code = main(["measures", str(scenario), "--measures", str(path), "--workers", "1", "-q",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert str(path) in err and "time_segments_per_day" in err and "whole days" in err


def test_bad_workers_exit_2(tmp_path, capsys):
    scenario = write_scenario(tmp_path, CASE)
    code = main(["measures", str(scenario), "--measures", str(plan_file(tmp_path)),
                 "--workers", "0", "-q", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("error: --workers") and len(err.splitlines()) == 1
