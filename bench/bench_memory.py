"""Benchmark: where a run's memory goes, stage by stage, against HiGHS alone on the same LP.

    python bench/bench_memory.py [SCENARIO] [--mode MODE]

One run in this process: after each stage, the resident memory (RSS) and its peak during the
stage (the kernel's high-water mark, reset between stages through /proc/self/clear_refs; Linux
only). Then the floor, in a fresh process: highspy alone (no pandas, no model) reading the same
LP from MPS and solving it with the scenario's solver settings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FLOOR = """
import sys, time, highspy
def mb(key):
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith(key)) / 1024
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("solver", sys.argv[2])
h.setOptionValue("presolve", sys.argv[3])
base = mb("VmRSS")
h.readModel(sys.argv[1])
read = mb("VmRSS")
c0 = time.process_time()
h.run()
print(f"{base:.0f} {read:.0f} {mb('VmHWM'):.0f} {time.process_time() - c0:.2f}")
"""


def _mb(key: str) -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key)) / 1024


class Marks:
    def __init__(self):
        self._reset()
        self.rows = []

    @staticmethod
    def _reset():
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current RSS

    def __call__(self, label: str):
        self.rows.append((label, _mb("VmRSS"), _mb("VmHWM"), time.process_time()))
        self._reset()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/gansu_2019.yaml")
    p.add_argument("--mode", default=None)
    args = p.parse_args()
    mark = Marks()
    from model.inputs import scenario
    from model.optimisation import build as builder
    from model.optimisation import checks, solve
    from model.outputs import results
    from model.outputs.output import atomic_dir
    mark("imports")
    built = builder.build(scenario.load(args.scenario), args.mode)
    mark("load and build")
    h = solve.new_highs(built.ctx.values["solver"])
    solve.handoff(h, built.lp)
    mark("handoff")
    sol, _ = solve.solve_loaded(h, built.lp, built.ctx)
    mark("solve (every stage)")
    rep = results.collect(built, sol)
    summary = results.summary(built, sol, rep, checks.run_checks(built.lp, sol, rep), {})
    mark("report and checks")
    with tempfile.TemporaryDirectory() as d, atomic_dir(Path(d) / "run") as tmp:
        results.write_run(tmp, built, rep)
        results.write_summary(tmp, summary)
        mark("write")
        mps = str(Path(d) / "model.mps")
        fresh = solve.new_highs(built.ctx.values["solver"])
        solve.handoff(fresh, built.lp)
        fresh.writeModel(mps)
        options = built.ctx.values["solver"]
        floor = subprocess.run([sys.executable, "-c", FLOOR, mps, options["method"],
                                solve.presolve(options)], capture_output=True, text=True, check=True)
    print(f"scenario {args.scenario} (mode {built.ctx.mode}); MB, CPU s since the start")
    print(f"  {'stage':<22}{'RSS after':>10}{'peak in stage':>15}{'cpu':>8}")
    for label, rss, peak, cpu in mark.rows:
        print(f"  {label:<22}{rss:10.0f}{peak:15.0f}{cpu:8.2f}")
    print(f"  peak of the run: {max(peak for _, _, peak, _ in mark.rows):.0f} MB")
    base, read, peak, cpu = floor.stdout.split()
    print(f"  floor, highspy alone in a fresh process: {base} MB imported, {read} MB with the LP read, "
          f"peak {peak} MB (solve {cpu} s CPU, presolve {solve.presolve(options)})")


if __name__ == "__main__":
    main()
