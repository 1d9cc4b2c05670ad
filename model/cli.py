"""The command line: ``hexi COMMAND ...`` (``python -m model``, ``python run.py``).

``hexi SCENARIO.yaml`` without a command runs it, as ``run.py SCENARIO.yaml`` always did.
Commands are entries of :data:`COMMANDS`; their common options come from shared parent parsers.

Exit codes: 0 done; 1 solver failure or a failed self-check; 2 bad input (one line, no traceback,
nothing written).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import __version__, progress, project
from .errors import InputError, ResourceError, SolveError
from .inputs import scenario as scenario_mod
from .inputs import yaml_text
from .inputs.settings import MODES
from .outputs import quantities

SCHEDULER_TIMEOUT_S = 5
MAX_LEVELS = 1000  # target levels of one curve: each is a solve


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors in one line like every other input error (exit code 2)."""

    def error(self, message):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} -h)\n")


def _parse_set(items):
    pairs = []
    for item in items or ():
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise InputError("--set", item, "expected KEY=VALUE, for example "
                             "export_lines.qishao_dc.capacity_mw=6000")
        try:
            pairs.append((key.strip(), yaml_text.load(text)))
        except (yaml.YAMLError, ValueError) as e:
            what = f"cannot read the value {text[:60]!r}{yaml_text.problem(e)}"
            raise InputError("--set", key, what) from None
    return pairs


def _overrides(args):
    """``--overlay`` workbooks first, then ``--set``: the command line's last word wins."""
    pairs = []
    for book in getattr(args, "overlay", None) or ():
        from .inputs.xlsx import overlay

        pairs += overlay(book)
    return pairs + _parse_set(args.set)


# ------------------------------------------------------------------ shared options
def _parents():
    quiet = _Parser(add_help=False)
    quiet.add_argument("--quiet", "-q", action="store_true",
                       help="no progress lines (they show only on a terminal, never when CI is set)")
    scen = _Parser(add_help=False)
    scen.add_argument("--set", action="append", metavar="KEY=VALUE",
                      help="override a scenario key, e.g. --set coal.*.fuel_price_cny_per_tce=800 "
                      "(repeatable)")
    scen.add_argument("--overlay", action="append", metavar="BOOK.xlsx",
                      help="an Excel workbook of capacities and prices per unit, applied before "
                      "--set (repeatable; see README)")
    out = _Parser(add_help=False)
    out.add_argument("--out", help="results folder (default: under results/, named after the "
                     "scenario, sweep or command)")
    lang = _Parser(add_help=False)
    lang.add_argument("--lang", choices=("zh", "en"), default="zh",
                      help="language of reports and charts (default: zh)")
    rep = _Parser(add_help=False, parents=[lang])
    rep.add_argument("--no-report", action="store_true",
                     help="skip the meeting report (target-curve: the chart)")
    return {"quiet": quiet, "scenario": scen, "out": out, "lang": lang, "report": rep}


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    parents: tuple  # names of the shared option groups it takes
    arguments: Callable  # adds the command's own arguments to its parser
    handler: Callable  # args -> exit code


# ------------------------------------------------------------------ run
def _run_arguments(p):
    p.add_argument("scenario", nargs="?", default=None,
                   help=f"scenario YAML file (default: {project.DEFAULT_SCENARIO}, or the bundled "
                   "one outside a project folder)")
    p.add_argument("--mode", choices=MODES, help="override the scenario's mode")
    p.add_argument("--log", action="store_true", help="show the HiGHS log")
    p.add_argument("--pyomo", action="store_true",
                   help="build through a Pyomo model (the reference path; same LP, slower)")
    p.add_argument("--csv", action="store_true",
                   help="also write hourly.csv (for Excel or WPS) beside hourly.parquet")


def _report(folder, lang):
    from .outputs.meeting_report import report

    _print_report(report(folder, lang))


def _print_report(paths):
    print(f"Report          {paths['html']} and {paths['xlsx'].name}\n{paths['answer']}")


def cmd_run(args):
    from .analyses.pipeline import run  # heavy imports only when solving

    overrides = _overrides(args) + ([("solver.model_build", "pyomo")] if args.pyomo else [])
    scenario = args.scenario or project.default_scenario()
    result = run(scenario, mode=args.mode, out=args.out, overrides=overrides, log=args.log,
                 csv=args.csv)
    for warning in result.summary["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(format_summary(result.summary, result.folder))
    ok = result.summary["checks"]["ok"]
    if not args.no_report and ok:  # see _refuse_unchecked
        progress.stage("writing the meeting report")
        _report(result.folder, args.lang)
    return 0 if ok else 1


# ------------------------------------------------------------------ validate
def _validate_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario or sweep files (a sweep file is recognised by its base: key)")


def cmd_validate(args):
    from .inputs.validate import validate_files

    return validate_files(args.files, _overrides(args))


# ------------------------------------------------------------------ sweep
def _sweep_arguments(p):
    p.add_argument("sweep", help="sweep file (YAML)")
    p.add_argument("--workers", type=int, help="local worker processes (default: one a core)")
    p.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")


def cmd_sweep(args):
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers", None, f"expected a whole number >= 1, got {args.workers}")
    from .analyses.sweeps import runner

    overrides = _overrides(args)
    if args.scheduler:
        _check_scheduler(args.scheduler)
    out = runner.run(args.sweep, workers=args.workers, scheduler=args.scheduler,
                     out_root=args.out or runner.SWEEPS, overrides=overrides)
    print(format_sweep(out))
    if not args.no_report and out.ok:
        _report(out.folder, args.lang)
    return 0 if out.failed == 0 else 1


def _check_scheduler(address: str):
    """Fail in one line, within seconds, when nothing listens at ``--scheduler``."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location)
    except (ValueError, TypeError):
        raise InputError("--scheduler", None, "expected an address such as tcp://10.0.0.5:8786, "
                         f"got {address!r}") from None
    if scheme not in ("tcp", "tls"):
        return  # other transports (inproc, ucx) are Dask's to check
    try:
        socket.create_connection((host, int(port)), timeout=SCHEDULER_TIMEOUT_S).close()
    except (OSError, OverflowError, ValueError) as e:
        reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
        raise ResourceError(f"--scheduler {address}", f"no Dask scheduler answers there ({reason}); "
                            "start one with `dask scheduler`, or leave out --scheduler to use this "
                            "machine") from None


# ------------------------------------------------------------------ report, compare
def _report_arguments(p):
    p.add_argument("folder", help="results/<run>, results/sweeps/<sweep> or a target-curve folder")
    p.add_argument("--hourly", action="store_true", help="add the hourly results to the workbook "
                   "(a sheet of 8,760 rows for a year)")


def cmd_report(args):
    _refuse_unchecked(args.folder)
    from .outputs.meeting_report import report

    _print_report(report(args.folder, args.lang, hourly_sheet=args.hourly))
    return 0


def _refuse_unchecked(folder):
    """A meeting report is for quoting: none of a run that failed its self-check."""
    summary = Path(folder) / "summary.json"
    if summary.is_file() and not json.loads(summary.read_text(encoding="utf-8"))["checks"]["ok"]:
        raise InputError(summary, "checks", "this run failed its self-check: its results are not "
                         "for a meeting report")


def format_sweep(out) -> str:
    df = out.table
    lines = [f"{out.total} points: {out.ok} ok, {out.failed} failed ({out.ran} solved now); "
             f"table: {out.folder}/points.parquet and points.csv"]
    ok = df[df["status"] == "ok"] if len(df) else df
    if len(ok):
        twh = ok["target_counted_mwh"] / 1e6
        lines.append(f"export as the target counts it: min {twh.min():.2f}, P90 {twh.quantile(0.1):.2f} (exceeded "
                     f"in 90% of points), median {twh.median():.2f}, max {twh.max():.2f} TWh; target reached in "
                     f"{int(ok['target_reached'].astype(bool).sum())} of {len(ok)} points")
        lines.append(f"time a point: build {ok['build_s'].median():.2f} s, solve {ok['solve_s'].median():.2f} s "
                     f"(medians); model re-used in {ok['reused_model'].astype(bool).mean():.0%} of points")
    for _, row in df[df["status"] != "ok"].head(5).iterrows():
        lines.append(f"failed point {row['point']}: {row['error']}")
    return "\n".join(lines)


def _compare_arguments(p):
    p.add_argument("runs", nargs="+", help="run folders (results/<name>) or sweep points "
                   "(results/sweeps/<sweep>/points/<hash>)")
    p.add_argument("--base", metavar="RUN", help="the run the others are set against (default: "
                   "the first)")
    p.add_argument("--mixed-periods", action="store_true", help="compare runs of different periods "
                   "(a week against a year) anyway; the report then warns at the top")


def cmd_compare(args):
    for folder in [*args.runs, *([args.base] if args.base else [])]:
        _refuse_unchecked(folder)
    from .outputs.reports.compare import compare_report

    _print_report(compare_report(args.runs, args.out or str(Path("results") / "compare"), args.lang,
                                 base=args.base, mixed_periods=args.mixed_periods))
    return 0


# ------------------------------------------------------------------ target-curve
def _curve_arguments(p):
    p.add_argument("scenario")
    p.add_argument("--from", dest="start", type=float, default=20.0, help="lowest target, TWh (default 20)")
    p.add_argument("--to", dest="stop", type=float, default=36.0, help="highest target, TWh (default 36)")
    p.add_argument("--step", type=float, default=2.0, help="step, TWh (default 2)")
    p.add_argument("--mode", choices=("target", "plan"), help="default: plan if the scenario says so, else target")


def cmd_target_curve(args):
    finite = all(math.isfinite(x) for x in (args.start, args.stop, args.step))
    if not finite or args.step <= 0 or args.stop < args.start:
        raise InputError("--from/--to/--step", "", "expected finite numbers (TWh), --from <= --to and a "
                         f"positive --step; got {args.start:g}, {args.stop:g}, {args.step:g}")
    if (args.stop - args.start) / args.step >= MAX_LEVELS:
        raise InputError("--from/--to/--step", "", f"gives more than {MAX_LEVELS} target levels; take a "
                         "larger --step")
    from .analyses import target_curve
    from .outputs import output

    overrides = _overrides(args)
    name = scenario_mod.load(args.scenario, overrides).name
    folder = output.prepare(Path(args.out or Path("results") / f"{name}_target_curve"))
    table = target_curve.curve(args.scenario, target_curve.levels(args.start, args.stop, args.step), args.mode,
                               overrides)
    target_curve.write(table, folder, args.lang, with_chart=not args.no_report)
    shown = table[["target_twh", "objective_cny", "marginal_cost_cny_per_mwh", "shortfall_mwh"]].copy()
    shown["objective_cny"] = quantities.rounded("money", shown["objective_cny"], "zh")
    shown = shown.rename(columns={"objective_cny": "cost_100m_cny"})
    print(shown.to_string(index=False))
    chart = "" if args.no_report else f" and charts/{args.lang}/target_curve.png"
    print(f"Results         {folder}/target_curve.csv{chart}")
    if not args.no_report:
        _report(folder, args.lang)
    return 0


# ------------------------------------------------------------------ backcast
def cmd_backcast(args):
    from .analyses import backcast

    frame = backcast.run(Path(args.out or "results/backcast"), _overrides(args),
                         None if args.no_report else args.lang)
    print(frame.to_string(index=False, float_format="{:.4g}".format))
    print(f"{int(frame['within'].sum())} of {len(frame)} figures within their band; "
          f"{Path(args.out or 'results/backcast') / 'backcast.csv'}")
    return 0 if frame["within"].all() else 1


# ------------------------------------------------------------------ measures
def _measures_arguments(p):
    p.add_argument("scenario", nargs="?", default=None,
                   help=f"base scenario (default: {project.DEFAULT_SCENARIO})")
    p.add_argument("--measures", metavar="FILE", help="measures file (default: the work report's, "
                   "scenarios/measures/work_report_2019.yaml)")
    p.add_argument("--mode", choices=MODES, help="override the scenario's mode")
    p.add_argument("--weather-years", metavar="YEARS", help="also each contribution's P50 and P90 "
                   "over these weather years, e.g. 1-10 (the first year's analysis is the table)")
    p.add_argument("--shapley-orders", metavar="N", type=int, default=None,
                   help="the measures file's shapley_orders, replaced (run.py schema)")
    p.add_argument("--workers", type=int, help="worker processes, each solving a share of the "
                   "sets on its own models (default: one a core)")


def cmd_measures(args):
    from .analyses import measures
    from .inputs import measures_file

    if args.workers is not None and args.workers < 1:
        raise InputError("--workers", None, f"expected a whole number >= 1, got {args.workers}")
    plan = measures_file.load(args.measures or project.bundled(measures.BUNDLED), args.shapley_orders)
    scenario = args.scenario or project.default_scenario()
    workers = args.workers or os.cpu_count()
    overrides = _overrides(args)
    echo = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    folder = output_folder(args.out or Path("results") / f"measures_{plan.spec['name']}")
    if args.weather_years:
        years = measures.parse_years(args.weather_years)
        out = measures.across_weather(scenario, plan, years, overrides, args.mode, echo, workers)
    else:
        out = measures.run(scenario, plan, overrides, args.mode, echo, workers)
    measures.write(out, plan, folder, None if args.no_report else args.lang)
    print(measures.format_table(out))
    print(f"Results         {folder}/measures.csv, sets.csv, measures.json")
    if not args.no_report:
        _report(folder, args.lang)
    return 0


def output_folder(path) -> Path:
    from .outputs import output

    return output.prepare(Path(path))


# ------------------------------------------------------------------ schema, init
def _schema_arguments(p):
    p.add_argument("--json", action="store_true",
                   help="a JSON Schema of scenario files (for editors: VS Code's YAML extension)")
    p.add_argument("--measures", action="store_true",
                   help="with --json: of measures files (scenarios/measures/) instead")


def cmd_schema(args):
    if args.json:
        from .inputs.json_schema import measures_schema, scenario_schema

        schema = measures_schema() if args.measures else scenario_schema()
        print(json.dumps(schema, indent=2, ensure_ascii=False))
        return 0
    from .components import FAMILIES
    from .inputs.schema import reference_table
    from .inputs.settings import BUS, SECTIONS, TOP

    parts = [reference_table("top level", TOP)]
    parts += [reference_table(name, params) for name, params in SECTIONS.items()]
    parts.append(reference_table("buses.<name>", BUS))
    parts += [reference_table(f"{f.key}.<name> — {f.doc}", f.params) for f in FAMILIES]
    print("\n".join(parts))
    return 0


def _export_arguments(p):
    p.add_argument("format", choices=("pypsa",), help="pypsa: a PyPSA network (netCDF)")
    p.add_argument("source", help="a scenario file, or a run's results folder")
    p.add_argument("--mode", choices=MODES, help="override the scenario's mode")


def cmd_export(args):
    from .optimisation.build import prepare
    from .outputs import output, pypsa_export

    source = Path(args.source)
    path = source / "inputs" / "scenario.yaml" if source.is_dir() else source
    built = prepare(scenario_mod.load(path, _overrides(args)), args.mode)
    folder = output.prepare(Path(args.out or Path("results") / f"{built.ctx.values['name']}_pypsa"))
    with output.atomic_dir(folder, "pypsa") as tmp:
        net = pypsa_export.export(built, tmp)
    print(f"PyPSA network   {folder}/network.nc ({len(net.generators)} generators, {len(net.links)} "
          f"links, {len(net.storage_units)} storage units); not expressed: {folder}/notes.txt")
    return 0


def _init_arguments(p):
    p.add_argument("folder", help="a new or empty folder")


def cmd_init(args):
    folder = project.init(args.folder)
    print(f"Project         {folder}/ (scenarios/, data/weather/); next: cd {args.folder} && hexi run")
    return 0


COMMANDS = (
    Command("run", "solve one scenario (the default command)", ("scenario", "out", "report", "quiet"),
            _run_arguments, cmd_run),
    Command("validate", "check scenario and sweep files and their profiles, no solve; lists every "
            "error", ("scenario", "quiet"), _validate_arguments, cmd_validate),
    Command("sweep", "run a batch of variants of a scenario (see scenarios/sweeps/); finished points "
            "are kept", ("scenario", "out", "report", "quiet"), _sweep_arguments, cmd_sweep),
    Command("target-curve", "least cost and marginal cost of the export target against its level",
            ("scenario", "out", "report", "quiet"), _curve_arguments, cmd_target_curve),
    Command("report", "write the meeting report (HTML, Excel) of a run or sweep folder",
            ("lang", "quiet"), _report_arguments, cmd_report),
    Command("compare", "compare runs side by side: charts, HTML and Excel in one folder",
            ("out", "lang", "quiet"), _compare_arguments, cmd_compare),
    Command("backcast", "solve the 2019 and 2020 Gansu context scenarios in dispatch mode against "
            "the published figures (results/backcast/backcast.csv)",
            ("scenario", "out", "report", "quiet"), lambda p: None, cmd_backcast),
    Command("measures", "what each measure of a measures file adds to export: alone, one after "
            "another, last added; waterfall, supply curve and report page",
            ("scenario", "out", "report", "quiet"), _measures_arguments, cmd_measures),
    Command("schema", "print the scenario parameter reference (Markdown, or --json)", (),
            _schema_arguments, cmd_schema),
    Command("export", "write the system for another tool: a PyPSA network (netCDF)",
            ("scenario", "out", "quiet"), _export_arguments, cmd_export),
    Command("init", "copy the bundled example project (scenarios, weather years) into a folder",
            ("quiet",), _init_arguments, cmd_init),
)


def parser(prog="hexi") -> _Parser:
    parents = _parents()
    top = _Parser(prog=prog, description="Hourly dispatch and export model of the Jiuquan clean-power "
                  f"base. `{prog} SCENARIO.yaml` is `{prog} run SCENARIO.yaml`.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for c in COMMANDS:
        p = sub.add_parser(c.name, help=c.help, description=c.help[0].upper() + c.help[1:] + ".",
                           parents=[parents[name] for name in c.parents])
        c.arguments(p)
        p.set_defaults(handler=c.handler)
    return top


def _fmt_twh(mwh):
    return f"{mwh / 1e6:7.2f} TWh"


# Summary keys that are null by design (not in target mode, no weather year, no aggregation...).
OPTIONAL = {"target_price_cny_per_mwh", "export_share_of_target", "weather_year",
            "segments_per_day"}


def _missing_as_nan(x):
    """summary.json writes NaN and infinity as null; printed, they read as nan, never a crash."""
    if isinstance(x, dict):
        return {k: _missing_as_nan(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_missing_as_nan(v) for v in x]
    return float("nan") if x is None else x


def format_summary(s: dict, folder) -> str:
    """The short labelled summary printed after a run."""
    s = {k: v if k in OPTIONAL else _missing_as_nan(v) for k, v in s.items()}
    weather = f", weather year {s['weather_year']}" if s["weather_year"] is not None else ""
    merged = (f" merged into {s['time_steps']} time steps ({s['segments_per_day']} a day)"
              if s.get("segments_per_day") else "")
    lines = [f"Scenario {s['scenario']} ({s['mode']} mode): {s['hours']} h{merged} from "
             f"{s['period'][0][:10]}{weather}, solver status {s['status']}"]
    share = s["export_share_of_target"]
    lines.append(f"Export          {_fmt_twh(s['export_mwh'])} = {s['export_yi_kwh']:.1f} 亿千瓦时")
    lines.append(f"Target          {s['target_twh']:.2f} TWh of {s['target_basis']}: "
                 f"{s['target_counted_mwh'] / 1e6:.2f} TWh counted"
                 + (f", {share:.1%} reached" if share is not None else ""))
    for line, mwh in s["export_by_line_mwh"].items():
        lines.append(f"  {line:<14}{_fmt_twh(mwh)}  ({s['line_utilisation'][line]:.0%} of rating, "
                     f"at its limit {s['line_hours_at_limit'][line]} h)")
    price, ceiling = s["target_price_cny_per_mwh"], s.get("target_ceiling_mwh")
    if price is not None:
        priced = f"; target price {price:,.1f} CNY/MWh"
    elif s.get("target_status") in ("out_of_reach", "short") and ceiling is not None:
        reach = "out of reach in this mode" if s["target_status"] == "out_of_reach" else "short"
        priced = f"; {reach}: ceiling {ceiling / 1e6:.2f} TWh, no target price (a penalty is not one)"
    else:
        priced = ""
    lines.append(f"Shortfall       {_fmt_twh(s['shortfall_mwh'])}{priced}")
    curt = ", ".join(f"{k} {s['curtailment_rate'][k]:.1%} ({v / 1e6:.2f} TWh)" for k, v in s["curtailment_mwh"].items())
    lines.append(f"Curtailment     {curt or 'none'}")
    gen = ", ".join(f"{k} {v / 1e6:.2f}" for k, v in s["generation_mwh"].items())
    lines.append(f"Generation      {gen} (TWh)")
    by_type = ", ".join(f"{k} {v / 1e6:.2f}" for k, v in s["local_demand_by_type_mwh"].items())
    by_type = f" ({by_type} TWh)" if by_type else ""
    lines.append(f"Local use       {_fmt_twh(s['local_demand_mwh'])}{by_type}; imports "
                 f"{s['import_mwh'] / 1e6:.2f} TWh; unserved {s['unserved_mwh']:,.0f} MWh"
                 + (f", heat unserved {s['heating_unserved_mwh_th']:,.0f} MWh_th"
                    if s["heating_unserved_mwh_th"] > 0.5 else ""))
    for unit, st in s["storage"].items():
        lines.append(f"Storage         {unit}: {st['discharge_mwh'] / 1e6:.3f} TWh out, {st['cycles']:.0f} full cycles")
    for a in s["additions"]:
        lines.append(f"New capacity    {a['unit']} {a['dimension']}: +{a['added']:,.1f} {a['unit_of_measure']} "
                     f"({quantities.value('money', a['annualised_cost_cny'], 'zh'):,.3f} 亿元 a year, annualised)")
    for bus, hours in s["sync_support_binding_hours"].items():
        lines.append(f"DC support      synchronous capacity at {bus} limits DC export in {hours} h "
                     "(the flow at all the support allows)")
    basis = ("cost minus export revenue" if s["objective_includes_export_revenue"]
             else "cost; export revenue not counted")
    lines.append(f"Cost            objective {quantities.value('money', s['objective_cny'], 'zh'):,.2f} 亿元 "
                 f"({basis}); "
                 f"CO2 {s['co2_t'] / 1e6:.2f} Mt")
    c = s["checks"]
    state = "OK" if c["ok"] else "FAILED: " + "; ".join(c["problems"])
    lines.append(f"Checks          energy balance max residual {c['balance_max_abs_mw']:.2g} MW: {state}")
    lines.append(f"Time            build {s['build_s']:.2f} s (of which handoff {s['handoff_s']:.2f} s), "
                 f"solve {s['solve_s']:.2f} s" + (f", write {s['write_s']:.2f} s" if "write_s" in s else ""))
    if folder is not None:
        lines.append(f"Results         {folder}/")
    if not c["ok"]:
        lines.append("!" * 72 + "\nTHE SELF-CHECK FAILED: do not quote these results.\n" + "!" * 72)
    return "\n".join(lines)


def main(argv=None, prog="hexi") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    names = {c.name for c in COMMANDS}
    if not argv or (argv[0] not in names and argv[0] not in ("-h", "--help", "--version")):
        argv = ["run", *argv]  # `hexi SCENARIO.yaml`, as `run.py SCENARIO.yaml` always was
    try:
        args = parser(prog).parse_args(argv)
        progress.configure(getattr(args, "quiet", False))
        return args.handler(args)
    except InputError as e:
        for line in getattr(e, "lines", [str(e)]):
            print(f"error: {line}", file=sys.stderr)
        return 2
    except SolveError as e:
        print(f"solver: {e}", file=sys.stderr)
        return 1
    except ResourceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `hexi schema --json | head`: the reader has what it wanted
        # Python would flush stdout again at exit and fail once more; send that flush nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
