"""Where a sweep keeps its points: one file a finished point, written atomically at once.

    results/sweeps/<name>/points/<hash>.json   the point's record (status, error, KPIs, timings)
    results/sweeps/<name>/points/<hash>/       the point's own outputs (summary.json, hourly...)
    results/sweeps/<name>/points.parquet, .csv the tidy table of the current design

A point is keyed by a hash of its resolved inputs: the merged scenario with its overrides, the
contents of every profile file it reads and the model version. Re-running a sweep runs only
points whose record is missing; a changed sweep file, scenario or profile gives new keys, so old
records are never mixed into the table.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from ... import __version__
from ...outputs import output
from ...outputs.output import atomic_file

# The KPIs of summary.json copied into the table, flattened (curtailment_rate.wind...).
KPIS = ("export_mwh", "export_twh", "net_export_mwh", "target_mwh", "target_counted_mwh", "target_reached",
        "shortfall_mwh", "target_price_cny_per_mwh", "objective_cny", "unserved_mwh", "import_mwh",
        "local_demand_mwh", "co2_t", "curtailment_rate", "curtailment_mwh", "generation_mwh", "export_by_line_mwh",
        "sync_support_binding_hours", "balance_max_abs_mw", "build_s", "solve_s")

_file_hashes: dict = {}


def file_digest(path: str) -> str:
    p = Path(path)
    stat = p.stat()
    key = (str(p), stat.st_mtime_ns, stat.st_size)
    if key not in _file_hashes:
        _file_hashes[key] = hashlib.sha256(p.read_bytes()).hexdigest()
    return _file_hashes[key]


def point_hash(raw: dict, mode: str | None) -> str:
    """Hash of a point's resolved inputs (``raw``: the merged scenario with its overrides)."""
    files = sorted(_profile_files(raw))
    text = json.dumps({"scenario": raw, "mode": mode, "version": __version__,
                       "files": {f: file_digest(f) for f in files if Path(f).exists()}},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _profile_files(node):
    if isinstance(node, dict):
        if isinstance(node.get("file"), str) and "column" in node:
            yield node["file"]
        for v in node.values():
            yield from _profile_files(v)


class Store:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.points = self.folder / "points"

    def open(self):
        """Before a sweep runs: the folder is the tool's (or refused), and debris of points whose
        process died is gone."""
        output.claim(self.folder, "sweep")
        self.points.mkdir(exist_ok=True)
        output.clean(self.folder)
        output.clean(self.points)

    def record_path(self, key: str) -> Path:
        return self.points / f"{key}.json"

    def output_dir(self, key: str) -> Path:
        return self.points / key

    def record(self, key: str) -> dict | None:
        """A finished point's record; None if it has none (an unreadable one counts as none, so
        the point runs again)."""
        try:
            return json.loads(self.record_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def records(self) -> dict:
        """Every finished point on disk, by key."""
        found = ((path.stem, self.record(path.stem)) for path in sorted(self.points.glob("*.json")))
        return {key: r for key, r in found if r is not None}

    def write_record(self, record: dict):
        with atomic_file(self.record_path(record["hash"]), encoding="utf-8") as fh:
            json.dump(record, fh, indent=1, ensure_ascii=False, default=str)

    def write_design(self, design: dict):
        """sweep.json: what the sweep varies, for charts and reports."""
        with atomic_file(self.folder / "sweep.json", encoding="utf-8") as fh:
            json.dump(design, fh, indent=1, ensure_ascii=False, default=str)

    def write_table(self, table: pd.DataFrame):
        with atomic_file(self.folder / "points.csv", encoding="utf-8") as fh:
            table.to_csv(fh, index=False)
        with atomic_file(self.folder / "points.parquet", mode="wb") as fh:
            _typed(table).to_parquet(fh, index=False)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Parquet holds one type a column: a parameter whose values mix types (a profile given as a
    number at one point and as a list at another) is written as its JSON text."""
    out = table.copy()
    for name in out.columns[out.dtypes == "object"]:
        kinds = {type(v) for v in out[name] if v is not None and not (isinstance(v, float) and v != v)}
        if len(kinds) > 1 or kinds & {list, dict}:
            out[name] = [None if v is None else json.dumps(v, default=str) for v in out[name]]
    return out


def table(records: list[dict]) -> pd.DataFrame:
    """One row a point: its parameter values, status and KPIs (nested KPIs flattened with dots)."""
    rows = []
    for r in records:
        row = {"point": r["index"], "hash": r["hash"], "status": r["status"], "error": r.get("error")}
        row.update(r["parameters"])
        summary = r.get("summary") or {}
        for k in KPIS:
            value = summary.get(k)
            if isinstance(value, dict):
                row.update({f"{k}.{sub}": v for sub, v in value.items()})
            else:
                row[k] = value
        row.update({"reused_model": r.get("reused"), "elapsed_s": r.get("elapsed_s"),
                    "cold_check_rel_diff": r.get("cold_check_rel_diff")})
        rows.append(row)
    return pd.DataFrame(rows).sort_values("point").reset_index(drop=True)
