"""Benchmark: the measures analysis's sets, one HiGHS run at a time.

    python bench/bench_measures.py [SCENARIO] [--measures FILE] [--set KEY=VALUE ...]
        --sets "base;pumped_storage;pumped_storage+battery" [--try "solver=ipm" ...] [--log DIR]

Solves the sets in the order given on one built model (model/analyses/measures.py, Sets and
Resolver: each set after the first re-solves in place from the last basis) and prints, for each
HiGHS run inside a set's solve (the least-cost run, the tie-break; with ``--ceiling``, the ceiling's stages), its
CPU seconds (the process's, all threads), simplex and interior-point iterations and status.
``--alone CSV`` instead solves the base and each measure alone from the base's basis (the
analysis's first sets, model/analyses/measures.py) and writes each set's figures to CSV: run it
at two resolutions and compare them with ``--compare A.csv B.csv`` (each measure's contribution
alone and its curtailment rates, B against A).
``--try`` applies HiGHS options to every set's solve after the first (solver.method and
solver.presolve as the scenario's; any other HiGHS option set on the object before the solve); ``--log DIR`` writes each
set's HiGHS log there (set_<n>.log); ``--cold`` solves
every set after the first without the last basis.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402
from bench_solver import options  # noqa: E402

from model.analyses import measures  # noqa: E402
from model.inputs import measures_file  # noqa: E402
from model.optimisation import solve  # noqa: E402
from model.optimisation.resolve import Resolver  # noqa: E402


class Timed:
    """A HiGHS object whose runs are timed; everything else passes through."""

    def __init__(self, h):
        self._h, self.runs = h, []

    def __getattr__(self, name):
        return getattr(self._h, name)

    def run(self):
        c0, t0 = time.process_time(), time.perf_counter()
        status = self._h.run()
        info = self._h.getInfo()
        self.runs.append({"cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - t0,
                          "simplex_it": info.simplex_iteration_count,
                          "ipm_it": info.ipm_iteration_count,
                          "crossover_it": info.crossover_iteration_count,
                          "solver": solve.option(self._h, "solver"),
                          "status": self._h.modelStatusToString(self._h.getModelStatus())})
        return status


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/gansu_2019.yaml")
    p.add_argument("--measures", default=str(measures.BUNDLED))
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--sets", help="sets of measure ids, ';' between sets, '+' "
                   "within one, 'base' for none")
    p.add_argument("--try", dest="tries", default="", metavar="OPTION=VALUE,...")
    p.add_argument("--log", type=Path, default=None)
    p.add_argument("--ceiling", action="store_true", help="also each short set's ceiling (the "
                   "analysis skips it)")
    p.add_argument("--cold", action="store_true", help="every set after the first without the "
                   "last basis (presolve then runs)")
    p.add_argument("--alone", type=Path, metavar="CSV", help="the base and each measure alone, "
                   "their figures to CSV")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="two --alone CSVs")
    args = p.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.alone:
        return alone(args)
    if not args.sets:
        p.error("--sets, --alone or --compare")
    overrides = [(k.strip(), yaml.safe_load(v)) for k, v in (s.split("=", 1) for s in args.set)]
    plan = measures_file.load(args.measures)
    ids = [m.id for m in plan.measures]
    sets = measures.Sets(args.scenario, plan, overrides)
    r = Resolver()
    for n, text in enumerate(args.sets.split(";")):
        members = set() if text.strip() == "base" else {ids.index(x) for x in text.split("+")}
        sc = sets.scenario(members)
        extra = options(args.tries) if n else {}
        sc.values["solver"] = {**sc.values["solver"],
                               **{k: v for k, v in extra.items() if k in sc.values["solver"]}}
        if r.h is not None:
            if not isinstance(r.h, Timed):
                r.h = Timed(r.h)
            r.h.runs = []
            if args.log:
                args.log.mkdir(parents=True, exist_ok=True)
                r.h.setOptionValue("log_file", str(args.log / f"set_{n}.log"))
                r.h.setOptionValue("output_flag", True)
                r.h.setOptionValue("log_to_console", False)
            for k, v in extra.items():
                if k not in sc.values["solver"]:
                    r.h.setOptionValue(k, v)
            if args.cold:
                r.h.clearSolver()
        c0 = time.process_time()
        point = r.solve(sc, ceiling=args.ceiling)
        cpu = time.process_time() - c0
        sol = point.solution
        print(f"set {n} {text}: {cpu:.1f} s CPU in all, objective {sol.objective:.6e}, "
              f"ceiling {sol.ceiling_mwh}, reused {point.reused}", flush=True)
        for k, run in enumerate(getattr(r.h, "runs", [])):
            print(f"    run {k}: " + ", ".join(f"{a} {b:.1f}" if isinstance(b, float)
                                               else f"{a} {b}" for a, b in run.items()), flush=True)


FIGURES = ("export_mwh", "wind_curtailment", "pv_curtailment", "jiuquan_curtailment", "cost_cny")


def alone(args):
    """The base, then each measure alone from the base's basis; each set's figures and CPU."""
    import pandas as pd

    overrides = [(k.strip(), yaml.safe_load(v)) for k, v in (s.split("=", 1) for s in args.set)]
    plan = measures_file.load(args.measures)
    a = measures.Analysis(args.scenario, plan, overrides)
    rows = []
    a.v(set())
    start = a.basis()
    for members in [set(), *({i} for i in range(len(plan.measures)))]:
        rec = a.v(members, start)
        name = plan.measures[min(members)].id if members else "base"
        rows.append({"set": name, **{k: rec[k] for k in FIGURES}, "cpu_s": rec["cpu_s"],
                     "simplex_iterations": rec["simplex_iterations"],
                     "segments_per_day": rec["segments_per_day"]})
        print(f"{name}: export {rec['export_mwh'] / 1e6:.4f} TWh, CPU {rec['cpu_s']:.1f} s, "
              f"{rec['simplex_iterations']} simplex iterations", flush=True)
    frame = pd.DataFrame(rows)
    frame.to_csv(args.alone, index=False, lineterminator="\n")
    print(f"{len(rows)} sets, {frame['cpu_s'].sum():.1f} s CPU -> {args.alone}")


def compare(path_a: Path, path_b: Path):
    """Each measure's contribution alone (亿千瓦时) and curtailment rates (percentage points), B
    against A; the largest differences last."""
    import pandas as pd

    a, b = (pd.read_csv(x).set_index("set") for x in (path_a, path_b))
    yi = 1e5  # MWh in 1 亿千瓦时
    out = pd.DataFrame({
        "alone_a": (a["export_mwh"] - a.loc["base", "export_mwh"]) / yi,
        "alone_b": (b["export_mwh"] - b.loc["base", "export_mwh"]) / yi,
    })
    out["diff"] = out["alone_b"] - out["alone_a"]
    out.loc["base", ["alone_a", "alone_b"]] = a.loc["base", "export_mwh"] / yi, \
        b.loc["base", "export_mwh"] / yi
    out.loc["base", "diff"] = out.loc["base", "alone_b"] - out.loc["base", "alone_a"]
    for k in ("wind_curtailment", "pv_curtailment", "jiuquan_curtailment"):
        out[f"{k}_a_%"], out[f"{k}_b_%"] = 100 * a[k], 100 * b[k]
    print(f"A {path_a} ({a['cpu_s'].sum():.1f} s CPU), B {path_b} ({b['cpu_s'].sum():.1f} s CPU); "
          "alone and base in 亿千瓦时 (base: its export), curtailment in %")
    print(out.to_string(float_format="{:.2f}".format))
    share = out["diff"].drop("base").abs().max()
    print(f"largest |B - A| of a contribution alone: {share:.2f} 亿千瓦时")


if __name__ == "__main__":
    main()
