"""The command line: every command listed, shared options, validate listing every error, the
JSON Schema against every shipped scenario, Excel in, CSV out, progress lines."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import openpyxl
import pandas as pd
import pytest
import yaml

from model import cli, progress
from model.cli import main
from model.inputs import yaml_text
from tests.conftest import ROOT, base, write_scenario

GOOD = base(3, wind={"w": {"capacity_mw": 100, "availability": [0.2, 1.0, 0.5]}},
            demand={"d": {"annual_mwh": 1000, "profile": 1}},
            export_lines={"l": {"capacity_mw": 80, "price_cny_per_mwh": 200}})


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert all(c.name in out for c in cli.COMMANDS)


@pytest.mark.parametrize("command", [c for c in cli.COMMANDS])
def test_common_options_are_shared(command, capsys):
    with pytest.raises(SystemExit):
        main([command.name, "--help"])
    out = capsys.readouterr().out
    expected = {"scenario": ["--set", "--overlay"], "out": ["--out"], "report": ["--lang", "--no-report"],
                "lang": ["--lang"], "quiet": ["--quiet"]}
    for group in command.parents:
        assert all(flag in out for flag in expected[group]), (command.name, group)
    assert "--lang" not in out or "language of" in out  # help text wherever it appears


def test_validate_lists_every_error_of_every_file(tmp_path, capsys):
    bad1 = dict(GOOD, wind={"w": {"capacity_mw": -5, "availability": 2}}, colour="red")
    bad2 = dict(GOOD, export_lines={"l": {"capacity_mw": "lots", "price_cny_per_mwh": 200}})
    files = [write_scenario(tmp_path, bad1, "bad1.yaml"), write_scenario(tmp_path, GOOD, "good.yaml"),
             write_scenario(tmp_path, bad2, "bad2.yaml")]
    assert main(["validate", *map(str, files)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 4 and all(line.startswith("error: ") for line in err), err
    assert sum("bad1.yaml" in line for line in err) == 3 and "bad2.yaml" in err[3]
    assert "colour" in err[0] and "capacity_mw" in err[1] and "availability" in err[2]
    assert "ok: " in captured.out and "4 errors in 2 of 3 files" in captured.out


def test_a_run_keeps_one_line_with_the_count(tmp_path, capsys):
    bad = dict(GOOD, wind={"w": {"capacity_mw": -5, "availability": 2}})
    assert main([str(write_scenario(tmp_path, bad)), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "and 1 more" in err


def test_validate_knows_a_sweep_file(tmp_path, capsys):
    sweep = ROOT / "scenarios" / "sweeps" / "tornado.yaml"
    assert main(["validate", str(sweep)]) == 0
    assert "sweep tornado" in capsys.readouterr().out
    write_scenario(tmp_path, GOOD, "base.yaml")
    bad = {"base": "base.yaml", "design": "grid", "parameters": {"wind.w.capacity_mw": [10, -1, -2]}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "point 1" in err[0] and "point 2" in err[1]


def _shipped():
    return sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "scenarios" / "levers").glob("*.yaml"))


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: p.name)
def test_json_schema_accepts_every_shipped_scenario(path, capsys):
    assert main(["schema", "--json"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(json.dumps(yaml_text.load(path.read_text(encoding="utf-8")), default=str))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_json_schema_rejects_what_the_loader_refuses():
    from model.inputs.json_schema import scenario_schema

    v = jsonschema.Draft202012Validator(scenario_schema())
    assert not v.is_valid(dict(GOOD, colour="red"))
    assert not v.is_valid(dict(GOOD, wind={"w": {"capacity_mw": -5, "availability": 1}}))
    assert not v.is_valid(dict(GOOD, wind={"w": {"capacity_mw": 5, "availability": 1, "colour": 1}}))
    assert v.is_valid(GOOD)


def _book(path, sheet, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_profile_from_an_xlsx_sheet_and_column(tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.title = "notes"
    ws = wb.create_sheet("wind")
    ws.append(["hour", "availability"])
    for h, v in enumerate([0.2, 1.0, 0.5]):
        ws.append([h, v])
    wb.save(tmp_path / "w.xlsx")
    data = dict(GOOD, wind={"w": {"capacity_mw": 100, "availability": {"file": "w.xlsx", "sheet": "wind",
                                                                        "column": "availability"}}})
    inline = main([str(write_scenario(tmp_path, GOOD, "a.yaml")), "--out", str(tmp_path / "a"), "--no-report"])
    book = main([str(write_scenario(tmp_path, data, "b.yaml")), "--out", str(tmp_path / "b"), "--no-report"])
    assert inline == book == 0
    a, b = (json.loads((tmp_path / d / "summary.json").read_text())["objective_cny"] for d in "ab")
    assert a == pytest.approx(b, rel=1e-12)
    data["wind"]["w"]["availability"]["sheet"] = "windd"
    assert main(["validate", str(write_scenario(tmp_path, data, "c.yaml"))]) == 2
    assert "no such sheet; sheets: notes, wind" in capsys.readouterr().err


def test_overlay_workbook(tmp_path, capsys):
    book = _book(tmp_path / "bureau.xlsx", "overlay", [["section", "unit", "capacity_mw", "price_cny_per_mwh"],
                                                       ["wind", "w", 50, None],
                                                       ["export_lines", "l", None, 250]])
    path = write_scenario(tmp_path, GOOD)
    assert main([str(path), "--overlay", str(book), "--out", str(tmp_path / "o"), "--no-report"]) == 0
    resolved = yaml.safe_load((tmp_path / "o" / "inputs" / "scenario.yaml").read_text(encoding="utf-8"))
    assert resolved["wind"]["w"]["capacity_mw"] == 50
    profiles = pd.read_parquet(tmp_path / "o" / "inputs" / "profiles.parquet")
    assert (profiles["export_lines.l.price_cny_per_mwh"] == 250).all()
    capsys.readouterr()
    bad = _book(tmp_path / "bad.xlsx", "overlay", [["section", "unit", "capacity_mw"], ["wind", "w", -1]])
    assert main(["validate", str(path), "--overlay", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "bad.xlsx (overlay!C2)" in err and "capacity_mw" in err


def test_hourly_csv_on_request(tmp_path):
    path = write_scenario(tmp_path, GOOD)
    assert main([str(path), "--out", str(tmp_path / "o"), "--no-report", "--csv"]) == 0
    csv = pd.read_csv(tmp_path / "o" / "hourly.csv", encoding="utf-8-sig")
    parquet = pd.read_parquet(tmp_path / "o" / "hourly.parquet")
    assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet) == 3


def test_progress_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    path = str(write_scenario(tmp_path, GOOD))
    assert main([path, "--out", str(tmp_path / "o"), "--no-report"]) == 0
    err = capsys.readouterr().err
    assert all(stage in err for stage in ("loading", "building", "solving", "writing")), err
    assert main([path, "--out", str(tmp_path / "o"), "--no-report", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("CI", "true")
    assert main([path, "--out", str(tmp_path / "o"), "--no-report"]) == 0
    assert capsys.readouterr().err == ""
    progress.configure(False)


def test_sweep_estimates_from_solved_points_only(monkeypatch):
    from model.analyses.sweeps import runner

    clock = iter([0.0, 100.0, 110.0, 120.0])  # a slow start-up, then 10 s a point
    monkeypatch.setattr(runner.time, "perf_counter", lambda: next(clock))
    p = runner.Progress(total=5, done=0)
    p.update(True)
    assert p.left(100.0) == "estimating time left"
    p.update(True)
    assert p.left(110.0) == "~00:30 left"


def test_init_copies_the_example_project(tmp_path, monkeypatch, capsys):
    assert main(["init", str(tmp_path / "p")]) == 0
    for name in ("gansu_2019.yaml", "jiuquan_2019.yaml", "levers/hunan_receiving_end.yaml"):
        assert (tmp_path / "p" / "scenarios" / name).is_file()
    assert len(list((tmp_path / "p" / "data" / "weather").glob("*.parquet"))) == 30
    assert main(["init", str(tmp_path / "p")]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    from model import project

    assert project.default_scenario() == ROOT / "scenarios" / "gansu_2019.yaml"
    monkeypatch.chdir(tmp_path / "p")  # the copy is a project: its own default, which loads
    assert project.default_scenario().resolve() == (tmp_path / "p" / "scenarios" / "gansu_2019.yaml").resolve()
    assert main(["validate", str(project.default_scenario())]) == 0


def test_a_closed_pipe_is_no_traceback():
    """`hexi schema --json | head -c 100`: the reader closes early; no BrokenPipeError traceback."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "schema", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
