"""Writing only ever into a folder the tool owns: refused before solving, replaced whole and
atomically, recovered after a crash, serialised, and one line (exit 1) when the disk says no."""

import errno
import os
import socket
import subprocess
import sys
import time

import pytest

from model.analyses import pipeline
from model.analyses.sweeps.store import Store
from model.cli import main
from model.outputs import output, results
from tests.conftest import ROOT, write_scenario
from tests.test_bad_input import GOOD, with_key


@pytest.fixture
def scenario_file(tmp_path):
    return write_scenario(tmp_path, GOOD)


@pytest.fixture
def no_solve(monkeypatch):
    """Refusals must come before the solve: a solve here fails the test."""
    class Refused:
        def __init__(self, *a):
            pass

        def solve(self, *a):
            raise AssertionError("solved before refusing")
    monkeypatch.setattr(pipeline, "Resolver", Refused)


def refused(capsys, argv, code=2):
    assert main(argv) == code
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    return err


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def debris(folder, name, kind, pid, host=None):
    return folder / f".{name}.{kind}-{pid}@{host or socket.gethostname()}"


def hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != output.MARKER)


# ------------------------------------------------------------------ what may be replaced
def test_a_users_folder_is_refused_before_solving(tmp_path, capsys, scenario_file, no_solve):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "会议纪要.docx").write_bytes(b"minutes")
    err = refused(capsys, [str(scenario_file), "--out", str(mine), "--no-report"])
    assert str(mine) in err and "not written by this tool" in err and output.MARKER in err
    assert [p.name for p in mine.iterdir()] == ["会议纪要.docx"] and hidden(tmp_path) == []


def test_a_file_at_out_is_refused_and_left_alone(tmp_path, capsys, scenario_file, no_solve):
    target = tmp_path / "out"
    target.write_text("notes")
    assert "is a file" in refused(capsys, [str(scenario_file), "--out", str(target)])
    assert target.read_text() == "notes" and hidden(tmp_path) == []


@pytest.mark.parametrize("where", [".", "..", "ROOT"])
def test_the_working_folder_and_the_repository_are_refused(where, tmp_path, capsys, scenario_file,
                                                           no_solve, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    out = str(ROOT) if where == "ROOT" else where
    err = refused(capsys, [str(scenario_file), "--out", out])
    assert "holds the working directory" in err or "not written by this tool" in err
    assert work.exists() and (ROOT / "README.md").exists()


def test_an_empty_folder_is_accepted_and_stamped(tmp_path, scenario_file):
    (tmp_path / "out").mkdir()
    assert main([str(scenario_file), "--out", str(tmp_path / "out"), "--no-report"]) == 0
    assert output.owned(tmp_path / "out") and (tmp_path / "out" / "summary.json").exists()


def test_compare_and_target_curve_refuse_a_users_folder(tmp_path, capsys, scenario_file):
    run_dir = tmp_path / "run"
    assert main([str(scenario_file), "--out", str(run_dir), "--no-report"]) == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    assert "not written by this tool" in refused(capsys, ["compare", str(run_dir), "--out", str(mine)])
    target = write_scenario(tmp_path, with_key("mode", "target"), "t.yaml")
    err = refused(capsys, ["target-curve", str(target), "--from", "0", "--to", "0", "--out", str(mine)])
    assert str(mine) in err and [p.name for p in mine.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("name", ["/some/dir", "../../x", "", ".", "..", "a/b", ".hidden", "x" * 65, 7])
def test_an_unsafe_name_is_refused_naming_file_and_key(name, tmp_path, capsys, no_solve, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "earlier.txt").write_text("an earlier run")
    path = write_scenario(tmp_path, with_key("name", name))
    err = refused(capsys, [str(path)])
    assert f"{path}: name: expected" in err
    assert (tmp_path / "results" / "earlier.txt").exists()


def test_names_in_any_script_and_from_the_file_name(tmp_path, capsys):
    path = write_scenario(tmp_path, with_key("name", "酒泉_2019-v1.2"))
    assert main(["validate", str(path)]) == 0 and "酒泉_2019-v1.2" in capsys.readouterr().out
    data = with_key("name", None)
    del data["name"]
    spaced = write_scenario(tmp_path, data, "my case.yaml")
    assert "the file name 'my case'" in refused(capsys, ["validate", str(spaced)])


def test_a_sweep_name_and_folder_are_checked(tmp_path, capsys):
    base = write_scenario(tmp_path, GOOD, "base.yaml")
    sweep = tmp_path / "s.yaml"
    sweep.write_text(f"name: ../x\nbase: {base.name}\ndesign: grid\nparameters: {{wind.w.capacity_mw: [1]}}\n")
    assert "s.yaml: name: expected a folder name" in refused(capsys, ["sweep", str(sweep), "--out", str(tmp_path)])
    sweep.write_text(f"name: mine\nbase: {base.name}\ndesign: grid\nparameters: {{wind.w.capacity_mw: [1]}}\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "points.csv").write_text("a user's table")
    err = refused(capsys, ["sweep", str(sweep), "--out", str(tmp_path), "--workers", "1"])
    assert "mine" in err and "not written by this tool" in err
    assert (tmp_path / "mine" / "points.csv").read_text() == "a user's table"


# ------------------------------------------------------------------ the swap
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2 exchange", "two renames"])
def test_a_second_run_replaces_a_stamped_folder_whole(exchange, tmp_path, scenario_file, monkeypatch):
    if not exchange:
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    (out / "stale.txt").write_text("from the first run")
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    assert not (out / "stale.txt").exists() and output.owned(out) and (out / "summary.json").exists()
    assert hidden(tmp_path) == []


def test_every_folder_the_tool_writes_is_stamped(tmp_path, scenario_file):
    out = tmp_path / "out"
    assert main([str(scenario_file), "--out", str(out), "--lang", "en"]) == 0
    assert main(["compare", str(out), "--out", str(tmp_path / "cmp"), "--lang", "en"]) == 0
    target = write_scenario(tmp_path, with_key("mode", "target"), "t.yaml")
    assert main(["target-curve", str(target), "--from", "0", "--to", "0", "--out", str(tmp_path / "tc"),
                 "--lang", "en"]) == 0
    for folder in (out, out / "report", tmp_path / "cmp", tmp_path / "cmp" / "report", tmp_path / "tc"):
        assert output.owned(folder), folder
        assert (folder / output.MARKER).read_text().startswith("hexi-power ")


def test_a_crash_between_the_renames_is_recovered(tmp_path, scenario_file):
    """The two-rename swap crashed after moving the old folder aside: the next run puts it back
    before it starts, then replaces it as usual; debris of dead processes goes, a live one's stays."""
    out = tmp_path / "out"
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    pid = dead_pid()
    os.rename(out, debris(tmp_path, "out", "old", pid))
    tmp = debris(tmp_path, "out", "tmp", f"x1y2-{pid}")
    tmp.mkdir()
    (tmp / output.MARKER).write_text("hexi-power half-written")
    live = debris(tmp_path, "out", "tmp", f"abcd-{os.getppid()}")
    other_host = debris(tmp_path, "out", "tmp", f"abcd-{pid}", host="another-machine")
    live.mkdir(), other_host.mkdir()
    output.prepare(out)
    assert (out / "summary.json").exists() and output.owned(out)
    assert hidden(tmp_path) == sorted([live.name, other_host.name])
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    assert hidden(tmp_path) == sorted([live.name, other_host.name])


def test_sweep_point_debris_of_dead_workers_is_cleaned(tmp_path):
    store = Store(tmp_path / "sw")
    store.open()
    pid = dead_pid()
    stale = [debris(store.points, "0123abcd.json", "tmp", f"k2j3-{pid}"),
             debris(store.folder, "points.csv", "tmp", f"k2j3-{pid}")]
    for path in stale:
        path.write_text("{half")
    point_dir = debris(store.points, "0123abcd", "tmp", f"q9-{pid}")
    point_dir.mkdir()
    (point_dir / output.MARKER).write_text("hexi-power")
    users = store.points / "notes.txt"
    users.write_text("kept")
    Store(tmp_path / "sw").open()
    assert not any(p.exists() for p in [*stale, point_dir]) and users.exists()
    assert output.owned(store.folder)


def test_two_writers_of_one_folder_are_serialised(tmp_path, scenario_file):
    """While another writer holds the lock, a run finishes its folder beside the target and waits;
    the target keeps the earlier results until the lock is free, then both end well."""
    out = tmp_path / "out"
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    (out / "earlier.txt").write_text("first")
    with output._locked(tmp_path):
        proc = subprocess.Popen([sys.executable, "run.py", str(scenario_file), "--out", str(out), "--no-report"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = []
        while not ready and proc.poll() is None:
            time.sleep(0.05)
            ready = [p for p in tmp_path.glob(".out.tmp-*") if (p / "summary.json").exists()]
        assert ready and (out / "earlier.txt").exists()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert not (out / "earlier.txt").exists() and hidden(tmp_path) == []


# ------------------------------------------------------------------ the disk says no
def test_a_read_only_folder_fails_in_one_line_before_solving(tmp_path, capsys, scenario_file, monkeypatch):
    out = tmp_path / "out"
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    before = (out / "summary.json").read_bytes()
    monkeypatch.setattr(pipeline, "Resolver", None)  # a solve would fail loudly

    def read_only(*a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    monkeypatch.setattr(output.tempfile, "mkdtemp", read_only)
    err = refused(capsys, [str(scenario_file), "--out", str(out)], code=1)
    assert str(out) in err and "Read-only file system" in err and "as they were" in err
    assert (out / "summary.json").read_bytes() == before


def test_a_full_disk_while_writing_keeps_the_earlier_results(tmp_path, capsys, scenario_file, monkeypatch):
    out = tmp_path / "out"
    assert main([str(scenario_file), "--out", str(out), "--no-report"]) == 0
    before = (out / "summary.json").read_bytes()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(results, "write_summary", full)
    err = refused(capsys, [str(scenario_file), "--out", str(out)], code=1)
    assert "No space left on device" in err
    assert (out / "summary.json").read_bytes() == before and hidden(tmp_path) == []


def test_an_input_error_found_while_solving_leaves_no_folder(tmp_path, capsys):
    """A missing profile file shows only when the model is built, after the folder was checked:
    the check must not have made the folders above it."""
    data = with_key("wind.w.availability", {"file": "none.csv", "column": "wind"})
    out = tmp_path / "a" / "b" / "out"
    assert "profile file not found" in refused(capsys, [str(write_scenario(tmp_path, data)), "--out", str(out)])
    assert not (tmp_path / "a").exists()
