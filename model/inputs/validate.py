"""``hexi validate``: check files without solving, and list every error of every file.

A file's kind is told by its keys: a sweep names its ``base:`` scenario and a ``design:``;
anything else is a scenario. A new kind of file (measures, say) is one more entry in KINDS.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import Collector, InputError
from . import scenario as scenario_mod


def _scenario(path, overrides) -> str:
    from ..optimisation.build import prepare

    sc = scenario_mod.load(path, overrides)
    built = prepare(sc)
    units = sum(len(sc.values[key]) for key in built.data)
    for warning in built.ctx.profiles.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    steps = f" in {built.ctx.n} time steps" if built.ctx.aggregated else ""
    return (f"{sc.name}: {len(built.ctx.hourly_index)} h{steps} from {built.ctx.index[0]:%Y-%m-%d}, "
            f"{units} units, mode {built.ctx.mode}")


def _sweep(path, overrides) -> str:
    """The sweep file, its base with profiles, then every point's keys (without profiles: a point
    changes numbers, not files, unless it varies the weather year, which loads them)."""
    from ..analyses.sweeps import design

    sweep = design.load(path)
    found = Collector()
    base = [*sweep.fixed.items(), *overrides]
    with found.check():
        _scenario(sweep.base, base)
    found.raise_any()  # a bad base would fail every point again
    for i, params in enumerate(sweep.points):
        try:
            scenario_mod.load(sweep.base, [*base, *params.items()], source=str(sweep.path))
        except InputError as e:
            found.errors += [InputError(sweep.path, f"point {i}", f"{one.key}: {one.message}")
                             for one in getattr(e, "errors", [e])]
    found.raise_any()
    return f"sweep {sweep.name}: {sweep.design}, {len(sweep.points)} points on {Path(sweep.base).name}"


def _measures(path, overrides) -> str:
    """The measures file, then the default scenario with every measure on (profiles loaded)."""
    from .. import project
    from ..analyses import measures
    from ..optimisation.build import prepare
    from . import measures_file

    plan = measures_file.load(path)
    base = project.default_scenario()
    sets = measures.Sets(base, plan, overrides)
    prepare(sets.scenario(set(range(len(plan.measures)))))
    return f"measures {plan.spec['name']}: {len(plan.measures)} measures on {Path(base).name}"


KINDS = (  # (kind, recognised by, checked by)
    ("measures", lambda raw: "measures" in raw, _measures),
    ("sweep", lambda raw: "base" in raw and "design" in raw, _sweep),
    ("scenario", lambda raw: True, _scenario),
)


def check_file(path, overrides) -> str:
    raw = scenario_mod.read_yaml(Path(path))
    check = next(check for _, recognised, check in KINDS if recognised(raw))
    return check(path, overrides)


def validate_files(paths, overrides) -> int:
    """Print ``ok:`` a good file, and every error of the others on stderr; exit code 2 if any."""
    bad = errors = 0
    for path in paths:
        try:
            print(f"ok: {path} ({check_file(path, overrides)})")
        except InputError as e:
            found = getattr(e, "errors", [e])
            bad, errors = bad + 1, errors + len(found)
            for one in found:
                print(f"error: {_line(one)}", file=sys.stderr)
    if bad:
        print(f"{errors} error{'s' * (errors > 1)} in {bad} of {len(paths)} files")
    return 2 if bad else 0


def _line(error: InputError) -> str:
    """One error's own line, without the count an InputErrors adds to its first."""
    return str(InputError(error.file, error.key, error.message))
