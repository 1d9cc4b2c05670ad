"""Where a result comes from: tool version, git commit, run date and the scenario's hash.

Written into summary.json and shown at the foot of every report, so a figure quoted in a meeting
can be traced to the code and the input that made it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import subprocess
from functools import lru_cache
from pathlib import Path

from .. import __version__

ROOT = Path(__file__).resolve().parent.parent


def _git(*args) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=5,
                          check=True).stdout.strip()


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    """The checkout's commit (with "+changes" when the work tree differs); None outside git."""
    try:
        head = _git("rev-parse", "--short=10", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+changes" if dirty else "") if head else None


def scenario_hash(raw: dict) -> str:
    """sha256 of the merged scenario (the file with everything it extends and every --set)."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(raw: dict | None = None, date_key: str = "run_date") -> dict:
    """``date_key``: run_date for a run; report_date for a page made of many runs' files."""
    out = {
        "tool": "hexi-power",
        "tool_version": __version__,
        "git_commit": git_commit(),
        date_key: dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if raw is not None:
        out["scenario_sha256"] = scenario_hash(raw)
    return out


def line(p: dict, lang: str) -> str:
    """The provenance in one line of a report's foot."""
    commit = p.get("git_commit") or ("未知" if lang == "zh" else "unknown")
    if commit.endswith("+changes"):
        commit = commit[:-8] + ("（含未提交的修改）" if lang == "zh" else " with uncommitted changes")
    date = p.get("run_date") or p.get("report_date")
    when = (
        ("计算日期" if "run_date" in p else "报告日期")
        if lang == "zh"
        else ("run on" if "run_date" in p else "reported on")
    )
    sha = (p.get("scenario_sha256") or "")[:12]
    if lang == "zh":
        return (
            f"来源：hexi-power {p['tool_version']}，代码版本 {commit}，{when} {date[:10]}"
            + (f"，情景文件哈希 {sha}" if sha else "")
            + "。"
        )
    return (
        f"Provenance: hexi-power {p['tool_version']}, commit {commit}, {when} {date[:10]}"
        + (f", scenario hash {sha}" if sha else "")
        + "."
    )


# The main assumptions a report lists, with their sources (scenario keys, shell patterns).
MAIN = (
    "weather_year",
    "target.export_twh",
    "target.net_of_imports",
    "system.voll_cny_per_mwh",
    "*.*.capacity_mw",
    "export_lines.*.sync_support_ratio",
    "demand.*.annual_mwh",
    "direct_purchase.*.annual_mwh",
    "heating.*.annual_heat_mwh",
    "imports.*.price_cny_per_mwh",
    "export_lines.*.price_cny_per_mwh",
    "plan.discount_rate",
)


def main_sources(scenario) -> dict:
    return {k: v for k, v in sources(scenario).items() if any(fnmatch.fnmatchcase(k, p) for p in MAIN)}


def sources(scenario) -> dict:
    """The comment beside each key in the scenario's files (the figure's source or "assumption"),
    by dotted key: ``target.export_twh: work report 2019: ...``. Later files (the extending one)
    win, as their values do."""
    found = {}
    for path in dict.fromkeys(scenario.origins.values()):
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        stack = []  # (indent, key)
        for line in lines:
            body, _, comment = line.partition(" #")
            key = body.strip().split(":", 1)[0]
            if not body.strip() or body.lstrip().startswith("#") or ":" not in body or " " in key:
                continue
            indent = len(body) - len(body.lstrip())
            stack = [(i, k) for i, k in stack if i < indent] + [(indent, key)]
            if comment.strip():
                found[".".join(k for _, k in stack)] = comment.strip()
    return found
