"""Sweeps: designs, a real Dask LocalCluster, kill and resume, failures, changed inputs, and the
in-place update of a built model against a rebuild for every parameter that allows it."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import yaml

from model.analyses.pipeline import run
from model.analyses.sweeps import design, runner
from model.analyses.sweeps.store import Store
from model.components import FAMILIES
from model.inputs import scenario
from model.inputs.schema import ProfileRef
from model.optimisation import solve
from model.optimisation.build import structure_key
from model.optimisation.resolve import Resolver
from tests.conftest import ROOT

RICH = ROOT / "tests" / "scenarios" / "rich_day.yaml"


def sweep_file(tmp_path, body: dict, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return path


def base_copy(tmp_path):
    """The rich test day, copied so that a test may change it."""
    target = tmp_path / "base.yaml"
    target.write_text(RICH.read_text(encoding="utf-8"), encoding="utf-8")
    return target


# ------------------------------------------------------------------ re-solve equals rebuild
def _perturbed(value, param):
    """A different valid value of a number parameter."""
    new = value * 1.2 + 1.0
    if param.max is not None and new >= param.max:
        new = value * 0.8
    return new


def _non_structural_numbers():
    sc = scenario.load(RICH)
    cases = []
    for family in FAMILIES:
        for unit, spec in sc.values[family.key].items():
            for name, param in family.params.items():
                if param.structural or name == "in_service":
                    continue
                value = spec[name]
                if param.kind == "number" and value is not None:
                    cases.append((f"{family.key}.{unit}.{name}", _perturbed(value, param)))
                elif param.kind == "profile" and isinstance(value, ProfileRef) and value.value is not None:
                    cases.append((f"{family.key}.{unit}.{name}", value.value * 0.9))
    cases += [("system.voll_cny_per_mwh", 8000), ("system.curtailment_penalty_cny_per_mwh", 15),
              ("target.export_twh", 25), ("target.shortfall_penalty_cny_per_mwh", 900)]
    return cases


CASES = _non_structural_numbers()


def test_the_property_test_covers_every_family():
    families = {key.split(".")[0] for key, _ in CASES}
    assert families >= {f.key for f in FAMILIES}
    assert len(CASES) > 40


@pytest.fixture(scope="module")
def resolver():
    r = Resolver()
    r.solve(scenario.load(RICH))
    return r


@pytest.mark.parametrize("key, value", CASES, ids=[k for k, _ in CASES])
def test_updating_numbers_in_place_equals_a_rebuild(resolver, key, value):
    """For every non-structural parameter: the built model, updated in place and re-solved from
    its last basis, reaches the rebuilt model's optimum, with the same constraint matrix."""
    sc = scenario.load(RICH, [(key, value)])
    assert structure_key(sc) == resolver.key
    point = resolver.solve(sc)
    assert point.reused
    fresh = run(RICH, write=False, overrides=[(key, value)])
    assert point.solution.objective == pytest.approx(fresh.summary["objective_cny"], rel=1e-7, abs=1e-3)
    a, b = canonical(point.built.lp), canonical(fresh.built.lp)
    assert (a["A"] != b["A"]).nnz == 0
    for k in ("c", "col_lower", "col_upper", "row_lower", "row_upper"):
        np.testing.assert_allclose(a[k], b[k], err_msg=k)


def canonical(lp):
    """The compiled LP with rows and columns in declaration order (the compiler numbers columns
    in the order it meets them, which depends on the objective)."""
    cols = np.concatenate([b.cols.ravel() for b in lp.vars.values()])
    rows = np.concatenate([b.rows.ravel() for b in lp.cons.values()])
    c = lp.compiled
    return {"A": c.A[rows][:, cols], "c": c.c[cols], "col_lower": c.col_lower[cols],
            "col_upper": c.col_upper[cols], "row_lower": c.row_lower[rows], "row_upper": c.row_upper[rows]}


def test_a_structural_change_is_rebuilt(resolver):
    sc = scenario.load(RICH, [("battery.b.charge_efficiency", 0.8)])
    assert structure_key(sc) != resolver.key
    assert not resolver.solve(sc).reused


# ------------------------------------------------------------------ designs
def test_designs(tmp_path):
    base = str(RICH)
    grid = design.load(sweep_file(tmp_path, {"base": base, "design": "grid",
                                             "parameters": {"a.b": [1, 2, 3], "c.d": [4, 5]}}))
    assert len(grid.points) == 6 and grid.points[1] == {"a.b": 1, "c.d": 5}
    oat = design.load(sweep_file(tmp_path, {"base": base, "design": "one-at-a-time",
                                            "parameters": {"a.b": [1, 2], "c.d": [4, 5]}}))
    assert oat.points == [{}, {"a.b": 1}, {"a.b": 2}, {"c.d": 4}, {"c.d": 5}]
    lhs = {"base": base, "design": "latin-hypercube", "points": 8, "seed": 3, "parameters": {"a.b": [10, 20]}}
    first = design.load(sweep_file(tmp_path, lhs)).points
    assert first == design.load(sweep_file(tmp_path, lhs)).points
    values = sorted(p["a.b"] for p in first)
    assert all(10 <= v <= 20 for v in values)
    assert all(10 + 1.25 * i <= v <= 10 + 1.25 * (i + 1) for i, v in enumerate(values))  # one per stratum
    years = design.load(sweep_file(tmp_path, {"base": base, "design": "weather-years", "years": {"from": 1, "to": 5}}))
    assert [p["weather_year"] for p in years.points] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("body, key", [
    ({"design": "grid", "parameters": {"a": [1]}}, "base"),
    ({"base": "base.yaml", "design": "grdi", "parameters": {"a": [1]}}, "design"),
    ({"base": "base.yaml", "design": "grid", "parameters": {"a": 5}}, "parameters.a"),
    ({"base": "base.yaml", "design": "latin-hypercube", "points": 4, "parameters": {"a": [3, 1]}}, "parameters.a"),
    ({"base": "base.yaml", "design": "grid", "parameters": {"a": [1]}, "worker": 3}, "worker"),
])
def test_bad_sweep_files(tmp_path, capsys, body, key):
    from model.cli import main
    base_copy(tmp_path)
    assert main(["sweep", str(sweep_file(tmp_path, body)), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"s.yaml: {key}:" in err and "Traceback" not in err


# ------------------------------------------------------------------ running
@pytest.fixture(scope="module")
def cluster_sweep(tmp_path_factory):
    """Four points on a LocalCluster of two worker processes, one of them failing (a negative
    capacity) and one infeasible (a CHP must-run no sink can take)."""
    tmp = tmp_path_factory.mktemp("sweep")
    base = base_copy(tmp)
    body = {"name": "cl", "base": "base.yaml", "design": "grid", "cold_check_every": 2, "outputs": "full",
            "parameters": {"wind.w.capacity_mw": [600, 900, -5]}}
    out = runner.run(sweep_file(tmp, body), workers=2, out_root=tmp / "out", echo=lambda *a: None)
    return out, base


def test_sweep_through_a_local_cluster_matches_direct_runs(cluster_sweep):
    out, base = cluster_sweep
    df = out.table
    assert list(df["point"]) == [0, 1, 2] and out.total == 3
    for _, row in df[df["status"] == "ok"].iterrows():
        direct = run(base, write=False, overrides=[("wind.w.capacity_mw", row["wind.w.capacity_mw"])]).summary
        assert row["export_mwh"] == pytest.approx(direct["export_mwh"], rel=1e-6)
        assert row["objective_cny"] == pytest.approx(direct["objective_cny"], rel=1e-7)
    assert (out.folder / "points.parquet").exists() and (out.folder / "points.csv").exists()
    ok = df[df["status"] == "ok"]
    assert all((out.folder / "points" / h / "summary.json").exists() for h in ok["hash"])
    assert pd.read_parquet(out.folder / "points.parquet").shape[0] == 3
    checked = df["cold_check_rel_diff"].dropna()
    assert len(checked) == 1 and checked.iloc[0] < 1e-7


def test_a_failing_point_is_recorded_and_the_sweep_goes_on(cluster_sweep):
    df = cluster_sweep[0].table
    bad = df[df["wind.w.capacity_mw"] == -5].iloc[0]
    assert bad["status"] == "failed" and "wind.w.capacity_mw" in bad["error"] and ">= 0" in bad["error"]
    assert (df["status"] == "ok").sum() == 2


def test_an_infeasible_point_is_recorded(tmp_path):
    """Forcing the DC line to its full 800 MW needs 240 MW spinning at the west bus, which has
    only 50 MW of CSP: no solution, and the record says why."""
    base_copy(tmp_path)
    body = {"name": "inf", "base": "base.yaml", "design": "grid",
            "parameters": {"export_lines.dc.min_load": [0.1, 1.0]}}
    out = runner.run(sweep_file(tmp_path, body), workers=1, out_root=tmp_path / "out", echo=lambda *a: None)
    df = out.table.set_index("export_lines.dc.min_load")
    assert df.loc[0.1, "status"] == "ok"
    assert df.loc[1.0, "status"] == "failed" and "Infeasible" in df.loc[1.0, "error"]
    assert "Bus-sync_support[west" in df.loc[1.0, "error"]
    assert not [p for p in (out.folder / "points").iterdir() if p.is_dir()]  # records only, by default


def test_a_changed_input_is_noticed_not_mixed(tmp_path):
    base = base_copy(tmp_path)
    body = {"name": "ch", "base": "base.yaml", "design": "grid", "parameters": {"wind.w.capacity_mw": [700, 900]}}
    path = sweep_file(tmp_path, body)
    notes = []
    first = runner.run(path, workers=1, out_root=tmp_path / "out", echo=notes.append)
    again = runner.run(path, workers=1, out_root=tmp_path / "out", echo=notes.append)
    assert first.ran == 2 and again.ran == 0
    base.write_text(base.read_text(encoding="utf-8").replace("annual_mwh: 2628000", "annual_mwh: 2000000"),
                    encoding="utf-8")
    changed = runner.run(path, workers=1, out_root=tmp_path / "out", echo=notes.append)
    assert changed.ran == 2 and changed.stale == 2
    assert any("come from other inputs" in n for n in notes)
    assert set(changed.table["hash"]).isdisjoint(first.table["hash"])
    assert (changed.table["objective_cny"] != first.table["objective_cny"]).all()


def test_kill_and_resume_loses_and_repeats_nothing(tmp_path):
    """SIGKILL the whole sweep (the command and its workers) after some points; the same command
    again runs only the missing points and leaves the finished ones untouched."""
    base_copy(tmp_path)
    values = [0.30, 0.32, 0.34, 0.36, 0.38, 0.40, 0.42, 0.44]  # structural: every point is built
    path = sweep_file(tmp_path, {"name": "k", "base": "base.yaml", "design": "grid",
                                 "parameters": {"coal.k.min_stable_load": values}})
    out = tmp_path / "out"
    cmd = [sys.executable, str(ROOT / "run.py"), "sweep", str(path), "--workers", "1", "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    points = out / "k" / "points"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(points.glob("*.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in points.glob("*.json")}
    assert 2 <= len(before) < len(values), "the sweep should have been stopped part-way"
    result = runner.run(path, workers=1, out_root=out, echo=lambda *a: None)
    assert result.ran == len(values) - len(before)
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in points.glob("*.json")}
    assert all(after[name] == before[name] for name in before)
    assert len(after) == len(values) and result.ok == len(values)
    assert sorted(result.table["coal.k.min_stable_load"]) == values
    assert len(Store(out / "k").records()) == len(values)


def test_a_point_survives_its_worker_dying(tmp_path):
    """SIGKILL a worker process of a running cluster mid-sweep: its point is retried on a worker
    that lives, and every point ends in the table exactly once."""
    import threading

    from dask.distributed import Client

    base_copy(tmp_path)
    values = [0.30, 0.32, 0.34, 0.36, 0.38, 0.40]
    path = sweep_file(tmp_path, {"name": "die", "base": "base.yaml", "design": "grid",
                                 "parameters": {"coal.k.min_stable_load": values}})
    with runner.local_cluster(2) as cluster, \
            Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        result = {}
        thread = threading.Thread(target=lambda: result.update(out=runner.run(
            path, scheduler=cluster.scheduler_address, out_root=tmp_path / "out", echo=lambda *a: None)))
        thread.start()
        points = tmp_path / "out" / "die" / "points"
        deadline = time.time() + 60
        while time.time() < deadline and not list(points.glob("*.json")):
            time.sleep(0.02)
        os.kill(pids[0], signal.SIGKILL)
        thread.join(timeout=180)
    out = result["out"]
    assert out.ok == len(values) and out.failed == 0
    assert sorted(out.table["coal.k.min_stable_load"]) == values


# ------------------------------------------------------------------ solver settings, equal points
def test_a_re_solved_point_takes_its_own_solver_settings():
    """time_limit_s and threads are not structural: a point re-solved in place pushes its own
    values into the loaded HiGHS model (the time limit counted from the start of its solve)."""
    r = Resolver()
    r.solve(scenario.load(RICH, [("solver.time_limit_s", 100), ("solver.threads", 1)]))
    point = r.solve(scenario.load(RICH, [("solver.time_limit_s", 7), ("solver.threads", 2)]))
    assert point.reused
    assert solve.option(r.h, "threads") == 2
    assert solve.option(r.h, "time_limit") - r.h.getRunTime() <= 7 < solve.option(r.h, "time_limit")
    assert point.solution.solver["time_limit_s"] == pytest.approx(7)
    assert point.solution.solver["threads"] == 2


def test_a_model_re_solved_past_its_time_limit_still_solves():
    """HiGHS sums a model's run time over its runs: solved again and again (from no basis, as a
    sweep's cold check does) until that sum is three times the limit of one solve, every solve
    must still finish, each with the limit to itself (one solve takes a twentieth of it)."""
    limit = 0.1
    r = Resolver()
    r.solve(scenario.load(RICH, [("solver.time_limit_s", limit)]))
    for _ in range(1000):
        r.resolve_cold()  # raises SolveError on 'Time limit reached'
        if r.h.getRunTime() > 3 * limit:
            break
    assert r.h.getRunTime() > 3 * limit


def test_a_sweep_gives_each_point_its_solver_settings(tmp_path):
    base_copy(tmp_path)
    body = {"name": "opts", "base": "base.yaml", "design": "grid",
            "parameters": {"solver.time_limit_s": [100, 200], "solver.threads": [1, 2]}}
    out = runner.run(sweep_file(tmp_path, body), workers=1, out_root=tmp_path / "out",
                     echo=lambda *a: None)
    assert out.ok == 4
    for record in Store(out.folder).records().values():
        used = record["summary"]["checks"]["solver"]
        assert used["time_limit_s"] == pytest.approx(record["parameters"]["solver.time_limit_s"])
        assert used["threads"] == record["parameters"]["solver.threads"]
    assert out.table["reused_model"].sum() == 3  # one build, re-solved in place with new settings


def test_points_with_equal_inputs_each_get_a_row(tmp_path):
    """One at a time with the base's own value among the values: that point's inputs equal the
    base's, so it is solved once, but both points have their row (the tornado needs it)."""
    base_copy(tmp_path)
    body = {"name": "eq", "base": "base.yaml", "design": "one-at-a-time",
            "parameters": {"wind.w.capacity_mw": [600, 900]}}  # 900 MW: the base's own value
    path = sweep_file(tmp_path, body)
    out = runner.run(path, workers=1, out_root=tmp_path / "out", echo=lambda *a: None)
    df = out.table
    assert list(df["point"]) == [0, 1, 2] and out.total == 3 and out.ok == 3 and out.ran == 2
    assert df.loc[0, "hash"] == df.loc[2, "hash"] and df.loc[2, "wind.w.capacity_mw"] == 900
    assert df.loc[0, "objective_cny"] == df.loc[2, "objective_cny"]
    assert pd.read_parquet(out.folder / "points.parquet").shape[0] == 3
    again = runner.run(path, workers=1, out_root=tmp_path / "out", echo=lambda *a: None)
    assert again.ran == 0 and list(again.table["point"]) == [0, 1, 2]
