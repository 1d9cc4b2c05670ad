"""A real install: ``pip install .`` into a clean venv, then ``hexi run`` from another folder
solves the bundled default scenario (the check a user outside the repository makes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_installed_hexi_runs_the_bundled_default(tmp_path):
    env_dir, work, src = tmp_path / "venv", tmp_path / "elsewhere", tmp_path / "src"
    # setuptools builds in the source tree (build/): a copy keeps the checkout as it is
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "results", "build", "*.egg-info",
                                                             "__pycache__", ".pytest_cache", "bench"))
    venv.create(env_dir, with_pip=True)
    work.mkdir()
    py = env_dir / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "--quiet", "-c", ROOT / "requirements.lock",
                    f"{src}[report]"], check=True, cwd=work, timeout=900)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    hexi = env_dir / "bin" / "hexi"
    run = subprocess.run([hexi, "run", "--set", "time.hours=48", "--no-report"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    summary = json.loads((work / "results" / "gansu_2019" / "summary.json").read_text())
    assert summary["checks"]["ok"] and summary["hours"] == 48
    init = subprocess.run([hexi, "init", "project"], cwd=work, env=env, capture_output=True, text=True)
    assert init.returncode == 0 and (work / "project" / "scenarios" / "gansu_2019.yaml").is_file()
    assert subprocess.run([py, "-m", "model", "--version"], cwd=work, env=env, capture_output=True,
                          text=True).stdout.strip().startswith("python -m model ")
