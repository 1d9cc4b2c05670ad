"""Runs side by side against a named base: each figure with its unit, its value in every run and
its difference from the base. Runs are run folders or sweep points (a point's folder or record
under results/sweeps/<sweep>/points/). Runs over different periods (a week against a year) are
refused unless asked for, and then the page says so in red at the top.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from ...errors import InputError
from ...plotting import style
from .. import provenance
from .. import quantities as qty
from ..output import check, claim
from . import names, page
from .tables import Table, shown

# The figures compared: (zh, en, quantity, how to get it from a summary).
FIGURES = (
    ("外送电量", "Export", "energy", lambda s: s["export_mwh"]),
    ("计入目标的外送电量", "Export as the target counts it", "energy", lambda s: s["target_counted_mwh"]),
    ("外送目标", "Target", "energy", lambda s: s["target_mwh"]),
    ("缺口", "Shortfall", "energy", lambda s: s["shortfall_mwh"]),
    ("本地用电", "Local consumption", "energy", lambda s: s["local_demand_mwh"]),
    ("省网购电", "Imports", "energy", lambda s: s["import_mwh"]),
    ("弃风率", "Wind curtailment rate", "rate", lambda s: s["curtailment_rate"].get("wind")),
    ("弃光率", "PV curtailment rate", "rate", lambda s: s["curtailment_rate"].get("pv")),
    ("二氧化碳排放", "CO2 emissions", "co2", lambda s: s["co2_t"]),
    (
        "新增装机年化成本",
        "Annualised cost of additions",
        "money",
        lambda s: sum(a["annualised_cost_cny"] for a in s.get("additions") or []),
    ),
)


_w = names.say


def load(path) -> tuple[dict, Path, str | None]:
    """(summary, folder, point label) of a run folder or a sweep point."""
    path = Path(path)
    if (path / "summary.json").exists():
        record = _record_beside(path)
        return json.loads((path / "summary.json").read_text(encoding="utf-8")), path, _point(record)
    record_file = path if path.suffix == ".json" else path.with_name(path.name + ".json")
    if record_file.is_file() and record_file.parent.name == "points":
        record = json.loads(record_file.read_text(encoding="utf-8"))
        if record.get("status") != "ok" or not record.get("summary"):
            raise InputError(
                path, None, f"this sweep point did not solve ({record.get('error') or 'no summary'})"
            )
        return record["summary"], record_file.with_suffix(""), _point(record)
    raise InputError(
        path,
        None,
        "expected a run folder (with summary.json) or a sweep point (results/sweeps/<sweep>/points/<hash>)",
    )


def _record_beside(folder: Path) -> dict | None:
    record = folder.with_name(folder.name + ".json")
    if folder.parent.name == "points" and record.is_file():
        return json.loads(record.read_text(encoding="utf-8"))
    return None


def _point(record: dict | None) -> str | None:
    return None if record is None else str(record["index"] + 1)


def labels(loaded: list, lang: str) -> list[str]:
    """Runs by title; a sweep point as its sweep's point number; where titles repeat (one
    scenario with other --set values), each run also by what its inputs change from the base's."""
    out = []
    for s, _, point in loaded:
        name = names.title(s, lang)
        out.append(name if point is None else _w(lang, f"{name}·方案{point}", f"{name}, point {point}"))
    if len(set(out)) == len(out):
        return out
    base = _inputs(loaded[0][1])
    changes = [_changes(base, _inputs(f), lang) for _, f, _p in loaded]
    out = [f"{n}（{c}）" if lang == "zh" else f"{n} ({c})" if c else n for n, c in zip(out, changes)]
    if len(set(out)) < len(out):
        out = [
            f"{n}（{f.name}）" if lang == "zh" else f"{n} ({f.name})" for n, (_, f, _p) in zip(out, loaded)
        ]
    return out


def _inputs(folder: Path) -> dict:
    """A run's resolved scenario, flattened to dotted keys (scalars only)."""
    path = Path(folder) / "inputs" / "scenario.yaml"
    if not path.is_file():
        return {}
    flat = {}

    def walk(node, prefix):
        for k, v in node.items():
            if isinstance(v, dict):
                walk(v, f"{prefix}{k}.")
            elif not isinstance(v, list):
                flat[f"{prefix}{k}"] = v

    walk(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, "")
    return flat


def _changes(base: dict, inputs: dict, lang: str, most=2) -> str:
    """What ``inputs`` set differently from ``base``: "祁韶直流同步支撑比例 0.15"; the base: "基准"."""
    from ...plotting.sweep_charts import param_name, param_value

    keys = [k for k in inputs if k != "name" and base.get(k) != inputs[k]]
    if not keys:
        return _w(lang, "基准", "base")
    return (
        "，".join(f"{param_name(k, lang)} {param_value(k, inputs[k], lang)}" for k in keys[:most])
        if lang == "zh"
        else ", ".join(f"{param_name(k, lang)} {param_value(k, inputs[k], lang)}" for k in keys[:most])
    )


def comparison_table(summaries: list[dict], run_names: list[str], lang: str) -> Table:
    """One row a figure: its unit, each run's value, and each other run's difference from the
    base (the first run); rates differ in percentage points."""
    cols = {_w(lang, "指标", "Figure"): [], _w(lang, "单位", "Unit"): []}
    kinds = {}
    for name in run_names:
        cols[name] = []
        kinds[name] = []
    diffs = [_w(lang, f"{n}较基准", f"{n} less base") for n in run_names[1:]]
    for d in diffs:
        cols[d], kinds[d] = [], []
    for zh, en, kind, get in FIGURES:
        values = [get(s) for s in summaries]
        if all(v is None for v in values):
            continue
        cols[_w(lang, "指标", "Figure")].append(_w(lang, zh, en))
        cols[_w(lang, "单位", "Unit")].append(qty.unit(kind, lang) if kind != "rate" else "")
        for name, v in zip(run_names, values):
            cols[name].append(None if v is None else shown(kind, v, lang))
            kinds[name].append(kind)
        dkind = "rate_points" if kind == "rate" else kind
        for d, v in zip(diffs, values[1:]):
            cols[d].append(_diff(kind, v, values[0], lang))
            kinds[d].append(dkind)
    return Table(_w(lang, "情景比较", "Comparison"), pd.DataFrame(cols), kinds)


def _diff(kind: str, value, base, lang: str):
    if value is None or base is None:
        return None
    if kind == "rate":  # a difference of shares, shown in percentage points
        return shown("rate_points", value - base, lang)
    return shown(kind, value - base, lang)


def periods(summaries: list[dict], run_names: list[str], mixed: bool) -> str | None:
    """None when every run covers the base's hours; else what differs (refused unless ``mixed``)."""
    base = summaries[0]
    odd = [
        f"{n} ({s['hours']:,} h from {s['period'][0][:10]})"
        for s, n in zip(summaries[1:], run_names[1:])
        if s["hours"] != base["hours"] or s["period"][0][:10] != base["period"][0][:10]
    ]
    if not odd:
        return None
    text = (
        f"the runs cover different periods: base {run_names[0]} has {base['hours']:,} h from "
        f"{base['period'][0][:10]}, against {', '.join(odd)}"
    )
    if not mixed:
        raise InputError("compare", None, text + "; compare runs of the same period, or pass --mixed-periods")
    return text


def compare_report(run_dirs, out, lang="zh", base=None, mixed_periods=False) -> dict:
    """The runs against ``base`` (a run folder or sweep point; default: the first run)."""
    from ...plotting.compare import draw_comparison

    check(Path(out))  # a folder the tool may not write is refused before any work
    paths = [Path(base)] if base is not None else []
    paths += [Path(d) for d in run_dirs if base is None or Path(d).resolve() != Path(base).resolve()]
    loaded = [load(p) for p in paths]
    summaries = [s for s, _, _ in loaded]
    style.setup(lang)
    run_names = labels(loaded, lang)
    mixed = periods(summaries, run_names, mixed_periods)
    table = comparison_table(summaries, run_names, lang)
    counted = [s["target_counted_mwh"] for s in summaries]
    best = max(range(len(run_names)), key=counted.__getitem__)
    diff = counted[best] - counted[0]
    if best == 0:
        answer = _w(
            lang,
            f"{len(loaded)}个情景中，基准{run_names[0]}外送电量最高（{qty.text('energy', counted[0], 'zh', 1)}）。",
            f"Of {len(loaded)} runs, the base {run_names[0]} exports most ({qty.text('energy', counted[0], 'en')}).",
        )
    else:
        answer = _w(
            lang,
            f"{len(loaded)}个情景中，{run_names[best]}外送电量最高（{qty.text('energy', counted[best], 'zh', 1)}），"
            f"比基准{run_names[0]}多{qty.text_fit('energy', diff, 'zh')}。",
            f"Of {len(loaded)} runs, {run_names[best]} exports most ({qty.text('energy', counted[best], 'en')}), "
            f"{qty.text_fit('energy', diff, 'en')} more than the base {run_names[0]}.",
        )
    out = claim(Path(out), "compare")
    title = _w(lang, "情景比较", "Scenario comparison")
    base_line = _w(lang, f"基准：{run_names[0]}；差值均为各情景减基准。",
                   f"Base: {run_names[0]}; differences are each run less the base.")
    warn = (
        _w(
            lang,
            "注意：各情景计算期不同（如一周对一年），电量不可直接比较；目标均按各自计算期折算。",
            "Warning: the runs cover different periods (a week against a year, say); energies do not "
            "compare directly, and each target is pro rata to its own run.",
        )
        if mixed
        else None
    )

    def build(charts_dir):
        charts = draw_comparison([f for _, f, _ in loaded], charts_dir, lang, run_names, summaries)
        blocks = [page.h("h1", title), page.h("p", base_line, "sub"), page.h("p", answer, "answer")]
        blocks += [page.h("p", warn, "warn")] if warn else []
        blocks += [page.figure(charts[0]), page.table(table, lang)] + [page.figure(c) for c in charts[1:]]
        blocks.append(
            page.h(
                "p",
                _w(lang, "结果文件夹：", "Results folders: ") + "; ".join(str(f) for _, f, _p in loaded),
                "note prov",
            )
        )
        blocks.append(
            page.h("p", provenance.line(provenance.stamp(date_key="report_date"), lang), "note prov")
        )
        return blocks, answer + (f" {warn}" if warn else "")

    return page.write(out, lang, title, build, lambda: [table])
