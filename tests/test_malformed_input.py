"""Malformed input of every kind: exit 2, one line naming the file (or --set), the key and what was
expected; never a traceback, never a hang, nothing written. (tests/test_bad_input.py holds the
classes of bad values; this file the malformed ones of issue 11.)"""

import numpy as np
import pandas as pd
import pytest

from model.cli import main
from model.inputs import scenario
from tests.conftest import write_scenario
from tests.test_bad_input import GOOD, profile_file, run_cli, with_key


def write_text(tmp_path, text, name="case.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("date, why", [("2019-02-29", "day is out of range"), ("2019-13-01", "month must be")])
def test_dates_that_do_not_exist(date, why, tmp_path, capsys):
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, with_key("time.start", date)))
    assert "case.yaml: time.start: expected a date" in err and why in err
    path = write_scenario(tmp_path, GOOD, "good.yaml")
    err = run_cli(tmp_path, capsys, path, "--set", f"time.start={date}")
    assert err.startswith("error: --set: time.start: expected a date YYYY-MM-DD") and why in err
    unquoted = write_text(tmp_path, write_scenario(tmp_path, GOOD).read_text().replace(
        "start: '2019-01-01'", f"start: {date}"), "unquoted.yaml")
    assert why in run_cli(tmp_path, capsys, unquoted)


def test_a_clock_time_in_time_start_is_refused_not_dropped(tmp_path, capsys):
    path = write_scenario(tmp_path, GOOD)
    err = run_cli(tmp_path, capsys, path, "--set", "time.start=2019-01-01 06:00")
    assert "--set: time.start" in err and "00:00" in err
    assert scenario.load(path, [("time.start", "2019-01-01T00:00")]).values["time"]["start"].isoformat() == \
        "2019-01-01"


@pytest.mark.parametrize("key, value, expected", [
    ("time.start", "1000-01-01", "from 1900 to 2100"),
    ("time.hours", 10 ** 9, "<= 87840"),
    ("solver.threads", 100000, "<= 256"),
])
def test_out_of_range_time_and_threads(key, value, expected, tmp_path, capsys):
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, with_key(key, value)))
    assert key in err and expected in err


def test_a_start_outside_the_profile_file_says_what_the_file_covers(tmp_path, capsys):
    data = with_key("wind.w.availability", profile_file(tmp_path, [0.1, 0.2, 0.3]))
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, with_key("time.start", "2030-01-01", data)))
    assert "p.csv: wind: has no value for 2030-01-01" in err and "the file covers 2019-01-01" in err


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000])
def test_deeply_nested_brackets(text, tmp_path, capsys):
    err = run_cli(tmp_path, capsys, write_text(tmp_path, f"name: x\nwind: {text}\n"))
    assert "case.yaml: not valid YAML at line 2" in err and "nested more than" in err
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, GOOD, "good.yaml"), "--set", f"wind={text}")
    assert err.startswith("error: --set: wind: cannot read the value") and "nested" in err


@pytest.mark.parametrize("text, expected", [
    ("1: 2\n", "keys must be text, got 1"),
    ("name: x\ntime: {hours: 3, 7: 1}\n", "keys must be text, got 7"),
    ("on: 3\n", "keys must be text, got True"),
    ("? [1, 2]\n: 3\n", "keys must be text"),
])
def test_keys_that_are_not_text(text, expected, tmp_path, capsys):
    assert expected in run_cli(tmp_path, capsys, write_text(tmp_path, text))


BOMB = "".join(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}" if i else '"lol"'] * 9) + "]\n"
               for i in range(9))


@pytest.mark.parametrize("text, expected", [
    ("name: x\n" + BOMB, "aliases expand to more than"),
    ("name: x\nwind: &w {w: *w}\n", "refers to the structure that contains it"),
    ("name: x\nwind: !!python/object/apply:os.system [ls]\n", "unsupported tag"),
])
def test_alias_bombs_and_strange_tags_are_refused_at_once(text, expected, tmp_path, capsys):
    assert expected in run_cli(tmp_path, capsys, write_text(tmp_path, text))


def test_aliases_and_merge_keys_within_reason_still_work(tmp_path):
    text = write_scenario(tmp_path, GOOD).read_text() + (
        "pv:\n  p0: &pv {capacity_mw: 10, availability: 0.5}\n  p1: {<<: *pv, capacity_mw: 20}\n  p2: *pv\n")
    values = scenario.load(write_text(tmp_path, text, "anchored.yaml")).values["pv"]
    assert [values[p]["capacity_mw"] for p in ("p0", "p1", "p2")] == [10, 20, 10]


def test_duplicate_keys_are_refused_naming_both_lines(tmp_path, capsys):
    text = "name: x\nwind:\n  w: {capacity_mw: 1, availability: 0.5}\nmode: target\nwind:\n  v: {}\n"
    err = run_cli(tmp_path, capsys, write_text(tmp_path, text))
    assert "key 'wind' given twice, at lines 2 and 5" in err
    err = run_cli(tmp_path, capsys, write_text(tmp_path, "name: x\ntime: {hours: 3, hours: 4}\n"))
    assert "key 'hours' given twice" in err


def test_exponent_notation_is_a_number(tmp_path, capsys):
    text = write_scenario(tmp_path, GOOD).read_text().replace("capacity_mw: 100", "capacity_mw: 1e4")
    path = write_text(tmp_path, text, "e.yaml")
    assert scenario.load(path).values["wind"]["w"]["capacity_mw"] == 10000
    assert main([str(path), "--out", str(tmp_path / "o"), "--no-report", "--set", "time.hours=3e0",
                 "--set", "export_lines.l.capacity_mw=8.0E1"]) == 0
    assert scenario.load(path, [("time.hours", 3.0)]).values["time"]["hours"] == 3


def test_set_errors_name_set_and_the_unit(tmp_path, capsys):
    path = write_scenario(tmp_path, GOOD)
    err = run_cli(tmp_path, capsys, path, "--set", "wind.w.capacity_mw=8 GW")
    assert err.startswith("error: --set: wind.w.capacity_mw:") and "plain number in MW" in err
    err = run_cli(tmp_path, capsys, path, "--set", "wind.new.capacity_mw=5")
    assert err.startswith("error: --set: wind.new.availability: missing")
    assert str(path) not in err


@pytest.mark.parametrize("kind", ["demand shape", "price"])
def test_inf_in_a_profile_file(kind, tmp_path, capsys):
    pd.DataFrame({"timestamp": pd.date_range("2019-01-01", periods=3, freq="h", tz="Asia/Shanghai"),
                  "v": [1.0, np.inf, 1.0]}).to_csv(tmp_path / "v.csv", index=False)
    ref = {"file": "v.csv", "column": "v"}
    key = "demand.d.profile" if kind == "demand shape" else "export_lines.l.price_cny_per_mwh"
    err = run_cli(tmp_path, capsys, write_scenario(tmp_path, with_key(key, ref)))
    assert "v.csv: v: row 3: expected a number, got" in err and key in err


# ------------------------------------------------------------------ command-line numbers
@pytest.mark.parametrize("args", [["--step", "nan"], ["--to", "inf"], ["--from=-inf"], ["--step", "1e-9"]])
def test_target_curve_levels_must_be_finite_and_few(args, tmp_path, capsys):
    path = write_scenario(tmp_path, with_key("mode", "target"))
    assert main(["target-curve", str(path), "--out", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: --from/--to/--step:")
    assert not (tmp_path / "out").exists()


def sweep_text(tmp_path, text, name="s.yaml"):
    write_scenario(tmp_path, GOOD, "base.yaml")
    return write_text(tmp_path, "base: base.yaml\n" + text, name)


@pytest.mark.parametrize("text, key, expected", [
    ("design: grid\nparameters: {wind.w.capacity_mw: [abc, 60]}\n", "parameters.wind.w.capacity_mw",
     "expected numbers"),
    ("design: grid\nparameters: {time.hours: [true]}\n", "parameters.time.hours", "expected numbers"),
    ("design: grid\nparameters: {wind.w.capacity_mw: [[1, 2]]}\n", "parameters.wind.w.capacity_mw",
     "single values"),
    ("design: grid\nparameters: {time.start: [[2019-01-01]]}\n", "parameters.time.start", "single values"),
    ("design: grid\nparameters: {wind.w.capacity_mw: [.nan]}\n", "parameters.wind.w.capacity_mw",
     "expected numbers"),
    ("design: grid\nparameters: {time.start: [2019-01-08, 2019-02-29]}\n", "parameters.time.start",
     "got '2019-02-29' (day is out of range for month)"),
    ("design: grid\nparameters: {target.net_of_imports: [true, maybe]}\n", "parameters.target.net_of_imports",
     "true or false"),
    ("design: grid\nparameters: {wind.w.capacity_mw: [50, -5]}\n", None, None),
    ("design: weather-years\nyears: {from: a, to: 3}\n", "years.from", "whole number"),
    ("design: weather-years\nyears: {from: 1, to: 1e9}\n", "years.to", "whole number from 1 to 100,000"),
    ("design: weather-years\nyears: [1, true]\n", "years", "list of weather years"),
    ("design: latin-hypercube\npoints: 1000000000\nparameters: {wind.w.capacity_mw: [1, 2]}\n", "points",
     "whole number"),
    ("design: latin-hypercube\npoints: 2\nseed: x\nparameters: {wind.w.capacity_mw: [1, 2]}\n", "seed",
     "whole number"),
    ("design: latin-hypercube\npoints: 2\nparameters: {wind.w.capacity_mw: [1, .inf]}\n",
     "parameters.wind.w.capacity_mw", "expected numbers"),
    ("design: latin-hypercube\npoints: 2\nparameters: {wind.w.capacity_mw: [5, 1]}\n",
     "parameters.wind.w.capacity_mw", "low < high"),
    (f"design: grid\nparameters: {{wind.w.capacity_mw: {list(range(400))}, "
     f"export_lines.l.capacity_mw: {list(range(400))}}}\n", "parameters", "at most 100,000"),
])
def test_malformed_sweep_files(text, key, expected, tmp_path, capsys):
    path = sweep_text(tmp_path, text)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--no-report"])
    captured = capsys.readouterr()
    err = captured.err.strip()
    if key is None:  # a value out of range is one failed point, recorded with its error
        assert code == 1 and "Traceback" not in err and f"failed point 1: {path}: wind.w.capacity_mw" in captured.out
        return
    assert code == 2 and len(err.splitlines()) == 1, err
    assert f"s.yaml: {key}: " in err and expected in err
    assert not (tmp_path / "out").exists()


def test_a_sweep_base_that_is_a_folder(tmp_path, capsys):
    path = write_text(tmp_path, "base: .\ndesign: grid\nparameters: {wind.w.capacity_mw: [1]}\n", "s.yaml")
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "s.yaml: base: expected a scenario file, got the folder" in capsys.readouterr().err


@pytest.mark.parametrize("workers", ["-1", "0"])
def test_workers_must_be_positive(workers, tmp_path, capsys):
    path = sweep_text(tmp_path, "design: grid\nparameters: {wind.w.capacity_mw: [1]}\n")
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", workers]) == 2
    assert capsys.readouterr().err.strip() == f"error: --workers: expected a whole number >= 1, got {workers}"


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address, code, expected", [
    ("tcp://127.0.0.1:PORT", 1, "no Dask scheduler answers there"),
    ("tcp://no-such-host.invalid:8786", 1, "no Dask scheduler answers there"),
    ("tcp://127.0.0.1", 2, "expected an address such as"),
    ("tcp://127.0.0.1:99999", 1, "no Dask scheduler answers there"),
])
def test_an_unreachable_scheduler_is_one_line(address, code, expected, tmp_path, capsys):
    path = sweep_text(tmp_path, "design: grid\nparameters: {wind.w.capacity_mw: [1]}\n")
    address = address.replace("PORT", str(_free_port()))
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--scheduler", address]) == code
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: --scheduler") and expected in err


def test_a_port_that_answers_but_is_no_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    """A listening socket that never speaks Dask: one line and exit 1 once the connect times out."""
    import socket

    from model.analyses.sweeps import runner
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT_S", 1)
    path = sweep_text(tmp_path, "design: grid\nparameters: {wind.w.capacity_mw: [1]}\n")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--scheduler", address]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: --scheduler"), err
    assert "no Dask scheduler answered" in err


# ------------------------------------------------------------------ Excel
def test_text_in_excel_cells_is_never_a_formula(tmp_path):
    import openpyxl

    from model.outputs.reports import tables
    df = pd.DataFrame({"=HYPERLINK(\"http://x\")": ["=1+1", "+SUM(A1)", "@x", "-2", "plain"], "n": range(5)})
    tables.write_workbook(tmp_path / "t.xlsx", [tables.Table("Points", df, {"n": "count"})], "zh")
    cells = [c for row in openpyxl.load_workbook(tmp_path / "t.xlsx")["Points"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [c.value for c in cells if c.column == 1] == ["=HYPERLINK(\"http://x\")", "=1+1", "+SUM(A1)", "@x",
                                                         "-2", "plain"]


@pytest.mark.parametrize("argv", [["--mode", "foo"], ["validate", "x.yaml", "--set", "-=1"],
                                  ["sweep", "s.yaml", "--workers", "many"]])
def test_option_errors_are_one_line(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 2 and len(err.splitlines()) == 1 and err.startswith("error: hexi")
