"""Each kind of bad input gives exit code 2 and one line naming the file and key; nothing is written."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from model.cli import main
from tests.conftest import ROOT, base, write_scenario

GOOD = base(3, wind={"w": {"capacity_mw": 100, "availability": [0.2, 1.0, 0.5]}},
            demand={"d": {"annual_mwh": 1000, "profile": 1}},
            export_lines={"l": {"capacity_mw": 80, "price_cny_per_mwh": 200}})


def with_key(dotted, value, data=None):
    data = yaml.safe_load(yaml.safe_dump(GOOD if data is None else data))
    node = data
    *path, last = dotted.split(".")
    for k in path:
        node = node.setdefault(k, {})
    node[last] = value
    return data


def run_cli(tmp_path, capsys, path, *extra):
    out = tmp_path / "out"
    code = main([str(path), "--out", str(out), *extra])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ")
    assert not out.exists()
    return err


def profile_file(tmp_path, values, name="p.csv", stamps=True):
    df = pd.DataFrame({"wind": values})
    if stamps:
        df.insert(0, "timestamp", pd.date_range("2019-01-01", periods=len(values), freq="h", tz="Asia/Shanghai"))
    df.to_csv(tmp_path / name, index=False)
    return {"file": name, "column": "wind"}


CASES = {
    "unknown key, with a suggestion": (with_key("wind.w.capacity", 5), ["wind.w.capacity", "capacity_mw"]),
    "unknown section, with a suggestion": (with_key("export_line", {}), ["export_line", "export_lines"]),
    "wrong type": (with_key("wind.w.capacity_mw", "abc"), ["wind.w.capacity_mw", "a number (MW)"]),
    "wrong unit": (with_key("wind.w.capacity_mw", "8 GW"), ["wind.w.capacity_mw", "'8 GW'"]),
    "negative capacity": (with_key("wind.w.capacity_mw", -5), ["wind.w.capacity_mw", ">= 0"]),
    "availability above 1 inline": (with_key("wind.w.availability", [0.2, 1.5, 0.1]),
                                    ["wind.w.availability[1]", "1.5"]),
    "inline profile of the wrong length": (with_key("wind.w.availability", [0.2, 0.1]),
                                           ["wind.w.availability", "2 values, expected 3"]),
    "loss of 1 or more": (with_key("export_lines.l.loss", 1.0), ["export_lines.l.loss", "exclusive"]),
    "heating season date that does not parse": (with_key("chp", {"h": {"capacity_mw": 10,
                                                                       "heat_season_start": "11-31"}}),
                                                ["chp.h.heat_season_start", "MM-DD"]),
    "unknown bus": (with_key("wind.w.bus", "dunhuang"), ["wind.w.bus", "unknown bus 'dunhuang'"]),
    "wrong mode": (with_key("mode", "maximum"), ["mode", "'max-export'"]),
    "zero hours": (with_key("time.hours", 0), ["time.hours", ">= 1"]),
    "bad date": (with_key("time.start", "2019-13-01"), ["time.start", "YYYY-MM-DD"]),
    "unit that is not a mapping": (with_key("wind.w", 5), ["wind.w", "mapping"]),
    "efficiency above 1": (with_key("battery", {"b": {"power_mw": 10, "duration_h": 4, "charge_efficiency": 1.2}}),
                           ["battery.b.charge_efficiency", "above 0 to 1"]),
    "efficiency of 0": (with_key("pumped_hydro", {"p": {"pump_mw": 1, "turbine_mw": 1, "reservoir_mwh": 6,
                                                        "cycle_efficiency": 0}}),
                        ["pumped_hydro.p.cycle_efficiency", "above 0 to 1"]),
    "negative storage hours": (with_key("battery", {"b": {"power_mw": 10, "duration_h": -4}}),
                               ["battery.b.duration_h", ">= 0"]),
    "negative CSP storage hours": (with_key("csp", {"c": {"turbine_mw": 10, "field": 0.5, "storage_hours": -1}}),
                                   ["csp.c.storage_hours", ">= 0"]),
    "battery energy given twice": (with_key("battery", {"b": {"power_mw": 10, "duration_h": 4, "energy_mwh": 40}}),
                                   ["battery.b", "exactly one of energy_mwh and duration_h"]),
    "heating season end that does not parse": (
        with_key("heating", {"h": {"annual_heat_mwh": 10, "temperature": -5, "boiler_mw": 5,
                                   "heat_season_end": "31-03"}}), ["heating.h.heat_season_end", "MM-DD"]),
    "heating hours backwards": (
        with_key("heating", {"h": {"annual_heat_mwh": 10, "temperature": -5, "boiler_mw": 5,
                                   "allowed_hours": ["14-8"]}}), ["heating.h.allowed_hours", "'14-8'"]),
    "in-service date that does not parse": (
        with_key("battery", {"b": {"power_mw": 10, "duration_h": 4, "in_service": "next year"}}),
        ["battery.b.in_service", "YYYY-MM-DD"]),
    "shiftable share above 1": (with_key("direct_purchase", {"dp": {"annual_mwh": 10, "shiftable": 1.5}}),
                                ["direct_purchase.dp.shiftable", "from 0 to 1"]),
    "temperature profile with an absurd value": (
        with_key("heating", {"h": {"annual_heat_mwh": 10, "temperature": [-5, 300, -5], "boiler_mw": 5}}),
        ["heating.h.temperature[1]", "degrees Celsius"]),
}


@pytest.mark.parametrize("case", CASES)
def test_scenario_errors(case, tmp_path, capsys):
    data, expected = CASES[case]
    path = write_scenario(tmp_path, data)
    err = run_cli(tmp_path, capsys, path)
    assert str(path) in err
    for text in expected:
        assert text in err


def test_malformed_yaml(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nwind: {w: [1, 2\n", encoding="utf-8")
    err = run_cli(tmp_path, capsys, path)
    assert "bad.yaml" in err and "not valid YAML at line" in err


def test_missing_scenario_file(tmp_path, capsys):
    err = run_cli(tmp_path, capsys, tmp_path / "nope.yaml")
    assert "nope.yaml" in err and "file not found" in err


def test_extends_cycle(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    err = run_cli(tmp_path, capsys, tmp_path / "a.yaml")
    assert "extends" in err and "cycle" in err and "a.yaml -> b.yaml -> a.yaml" in err


def test_error_names_the_file_that_set_the_key(tmp_path, capsys):
    write_scenario(tmp_path, with_key("wind.w.capacity_mw", -1), "parent.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nname: child\n", encoding="utf-8")
    err = run_cli(tmp_path, capsys, child)
    assert "parent.yaml: wind.w.capacity_mw" in err


@pytest.mark.parametrize("values, stamps, expected", [
    ([0.1, np.nan, 0.2], True, ["wind", "row 3", "expected a number"]),
    ([0.1, 1.2, 0.2], True, ["wind", "row 3", "outside [0, 1]"]),
    ([0.1, 0.2], True, ["wind", "no value for 2019-01-01 02:00"]),
    ([0.1, 0.2, 0.3, 0.4], False, ["wind", "has 4 rows, expected 3"]),
])
def test_profile_file_errors(values, stamps, expected, tmp_path, capsys):
    ref = profile_file(tmp_path, values, stamps=stamps)
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, with_key("wind.w.availability", ref)))
    assert "p.csv" in err
    for text in expected:
        assert text in err


def test_missing_profile_file_and_column(tmp_path, capsys):
    path = write_scenario(tmp_path, with_key("wind.w.availability", {"file": "none.csv", "column": "wind"}))
    assert "profile file not found" in run_cli(tmp_path, capsys, path)
    ref = profile_file(tmp_path, [0.1, 0.2, 0.3])
    ref["column"] = "wnd"
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, with_key("wind.w.availability", ref)))
    assert "no such column" in err and "did you mean 'wind'" in err


def test_bad_set_override(tmp_path, capsys):
    path = write_scenario(tmp_path, GOOD)
    assert "--set" in run_cli(tmp_path, capsys, path, "--set", "wind.w.capacity_mw")
    assert "wind.w.capacity_mw" in run_cli(tmp_path, capsys, path, "--set", "wind.w.capacity_mw=-3")


def test_command_line_exit_code_and_no_traceback(tmp_path):
    path = write_scenario(tmp_path, with_key("wind.w.capacity_mw", -5))
    proc = subprocess.run([sys.executable, "run.py", str(path), "--out", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_validate_accepts_good_and_rejects_bad(tmp_path, capsys):
    good = write_scenario(tmp_path, GOOD, "good.yaml")
    assert main(["validate", str(good)]) == 0
    assert "ok: " in capsys.readouterr().out
    bad = write_scenario(tmp_path, with_key("wind.w.capacity_mw", -5), "bad.yaml")
    assert main(["validate", str(good), str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
