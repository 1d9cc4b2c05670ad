"""The work report's measures: what each one adds to export on the road to the target.

    run.py measures [SCENARIO] [--measures FILE] [--shapley-orders N] [--weather-years YEARS]

A measures file (scenarios/measures/, read by model/inputs/measures_file.py) lists lever
overlays in the planner's order, each with its titles, size, in-service date and cost, and
their sources. The analysis solves the
scenario for sets of measures S and reads v(S), Jiuquan's export as the target counts it:

    alone(i)      = v({i}) - v({})
    step(i)       = v(P_i + {i}) - v(P_i), P_i the measures before i in the waterfall's order:
                    the listed order, the measures in service for the whole year first
    last(i)       = v(M) - v(M - {i}), M every measure
    shapley(i)    = the mean over sampled orders pi of v(B_pi(i) + {i}) - v(B_pi(i)), B the
                    measures before i in pi; computed only where alone and last-added differ by
                    more than ``interaction_share`` of the larger of the two (file key); the
                    orders in antithetic pairs (``orders``), its standard error from the pairs

so that v({}) + sum of steps = v(M) exactly (a telescoping sum). A measure whose in-service date
falls after the period's first day is not in service this year: it is solved as if in service
all year (its effect for the year it could run, on this year's system) and stands after the
"this year" subtotal, v(in-time measures).

Cost is the real system cost, never the target's shortfall penalty (a penalty is not a price):
cost per year of i = its annualised capital (capital x r / (1 - (1 + r)^-n), r the scenario's
plan.discount_rate) + fixed O&M + the change of the net operating cost (the LP's objective
without the penalty: fuel, O&M, start-ups, imports, unserved load, less export revenue where the
mode counts it) when i is added alone, scaled to a year for a shorter run; per MWh of
added export = that / (alone(i) scaled to a year). Contributions below FLOOR_SHARE of the
target are taken as none: no cost per MWh, and no interaction test.

The measures' own units (those the base lacks) belong to the first measure that adds them; a
measure that changes a base unit's keys is off with the base's values.

Speed: every measure's units are in one model; a measure that is off keeps its units with
nothing available (``in_service`` after the period, or zero capacity or energy: OFF below), so
sets of one structure re-solve in place from the previous basis (model/optimisation/resolve.py).
Each set is solved once, whichever lists need it. Each measure alone is solved from the base's
basis, which measures what switching it costs (in simplex iterations); every other set is then
solved nearest first by that cost (``Analysis.solve_all``), so a measure dear to switch (pumped
storage over a year) is switched rarely. Several workers (``Team``, --workers) each keep their
own models and solve a share of the sets (``shares``) nearest first from their own last basis.
The sets' ceilings (max-export's stages) are not solved: the table reads only each set's own
export.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .. import progress
from ..components import FAMILIES
from ..errors import InputError, ResourceError, SolveError
from ..inputs import scenario
from ..inputs.measures_file import Plan
from ..optimisation import build as builder
from ..optimisation.resolve import Resolver
from ..outputs import output
from ..outputs import quantities as qty
from ..outputs.meeting_report import binding_limit
from . import backcast
from .pipeline import finish

BUNDLED = Path("scenarios/measures/work_report_2019.yaml")
NEVER = "2100-01-01"  # the last date a scenario takes: a unit in service from then is off
# How a measure's own unit is switched off where its family has no in_service date.
OFF = {
    "wind": {"capacity_mw": 0.0},
    "pv": {"capacity_mw": 0.0},
    "hydro": {"capacity_mw": 0.0},
    "imports": {"capacity_mw": 0.0},
    "demand": {"annual_mwh": 0.0},
    "direct_purchase": {"annual_mwh": 0.0, "min_mw": 0.0},
    "heating": {"annual_heat_mwh": 0.0, "boiler_mw": 0.0, "storage_mwh_th": 0.0},
}
# Contributions below this share of the target are noise for the interaction test and the cost
# per MWh (0.28 亿千瓦时 on a 280 亿千瓦时 year).
FLOOR_SHARE = 1e-3
KEEP_MODELS = 2  # built models kept at once (a year's takes about 0.7 GB)


# ------------------------------------------------------------------ scenarios of a set
class Sets:
    """The scenario of every set of measures, on one base (and --set overrides)."""

    def __init__(self, base_path, plan: Plan, overrides=()):
        self.base_path = Path(base_path)
        self.plan = plan
        self.overrides = [*resolution(plan), *overrides]
        self.base_raw, self.base_origins = scenario.read_merged(self.base_path)
        sections = {f.key: f for f in FAMILIES}
        self.added = []  # per measure: [(section, unit)] it adds to the base
        owner = {}
        for m in plan.measures:
            mine = []
            for section, units in m.raw.items():
                if section in sections and isinstance(units, dict):
                    for u in units:
                        if (
                            u not in (self.base_raw.get(section) or {})
                            and (section, u) not in owner
                        ):
                            owner[(section, u)] = m.id
                            mine.append((section, u))
            self.added.append(mine)
        self._families = sections

    def scenario(self, members) -> scenario.Scenario:
        """The base with the measures of ``members`` (indices) on and every other one off."""
        raw, origins = copy.deepcopy(self.base_raw), dict(self.base_origins)
        for i, m in enumerate(self.plan.measures):
            if i in members:
                raw = scenario.merge(raw, copy.deepcopy(m.raw))
                origins.update(m.origins)
                continue
            for section, u in self.added[i]:
                spec = copy.deepcopy(m.raw[section][u])
                spec.update(self._off(section, spec))
                raw.setdefault(section, {})
                raw[section] = {**(raw[section] or {}), u: spec}
                origins.update(
                    {k: v for k, v in m.origins.items() if k.startswith(f"{section}.{u}")}
                )
        return scenario.from_raw(self.base_path, raw, origins, self.overrides)

    def _off(self, section: str, spec: dict) -> dict:
        if "in_service" in self._families[section].params:
            off = {"in_service": NEVER}
            if section == "export_lines":
                off["quota_twh"] = 0.0
            return off
        return OFF[section]


def resolution(plan: Plan) -> list:
    """The measures file's time_segments_per_day as an override of the base, blamed on the file
    (none: the scenario's own resolution)."""
    per_day = plan.spec["time_segments_per_day"]
    if per_day is None:
        return []
    return [("time.segments_per_day", per_day, f"{plan.path} (time_segments_per_day)")]


def annuity(capital: float, rate: float, years: float) -> float:
    if rate == 0:
        return capital / years
    return capital * rate / (1 - (1 + rate) ** -years)


def system_cost(s: dict) -> float:
    """The net operating cost of a solved set: the LP's objective (fuel, O&M, start-ups, imports,
    unserved load and tariffs, less export revenue where the mode counts it) without the
    shortfall penalty (a penalty is not a price)."""
    return float(s["objective_cny"] - s["cost_cny"].get("shortfall_penalty", 0.0))


# ------------------------------------------------------------------ the analysis
class Analysis:
    def __init__(self, base_path, plan: Plan, overrides=(), mode=None, echo=None):
        self.sets = Sets(base_path, plan, overrides)
        self.plan = plan
        self.mode = mode
        self.resolvers = {}  # structure key -> Resolver, the most recently used last
        self.solved = {}  # frozenset of indices -> record
        self.order = []  # the sets in the order they were solved
        self.echo = echo

    def _resolver(self, sc) -> Resolver:
        """One built model a structure (a measure may change a structural key, such as a line's
        volume limit), the least recently used dropped beyond KEEP_MODELS."""
        key = builder.structure_key(sc, self.mode)
        r = self.resolvers.pop(key, None) or Resolver()
        self.resolvers[key] = r
        while len(self.resolvers) > KEEP_MODELS:
            self.resolvers.pop(next(iter(self.resolvers)))
        return r

    def v(self, members, start=None) -> dict:
        """The record of a set, solved if it has not been; ``start``: a basis to start from
        (kept by ``basis``) instead of the last set's, where it belongs to the same model."""
        key = frozenset(members)
        if key not in self.solved:
            names = "+".join(self.plan.measures[i].id for i in sorted(key)) or "base"
            progress.stage(f"measures: solving {names}")
            t0 = time.process_time()
            sc = self.sets.scenario(key)
            r = self._resolver(sc)
            if start is not None and start[0] == r.key:
                r.start_from(start[1])
            # the table reads each set's own export; a short set's ceiling (max-export's stages,
            # a third of a pumped-storage set's solve on the hourly year) is not needed
            point = r.solve(sc, self.mode, ceiling=False)
            result = finish(point.built, point.solution, point.timings, None)
            s = result.summary
            if not s["checks"]["ok"]:
                raise SolveError(
                    f"the set {names} failed the self-check: " + "; ".join(s["checks"]["problems"])
                )
            self.solved[key] = _record(result, key, point.reused, time.process_time() - t0)
            self.order.append(key)
            if self.echo:
                rec = self.solved[key]
                self.echo(
                    f"set {len(self.order)}: {names}: export {rec['export_mwh'] / qty.TWH:.4f} "
                    f"TWh, cost {qty.value('money', rec['cost_cny'], 'zh'):.3f} 亿元, CPU "
                    f"{rec['cpu_s']:.1f} s" + ("" if rec["reused_model"] else " (built)")
                )
        return self.solved[key]

    def basis(self):
        """The basis of the set solved last, with its model's key, to start others from."""
        r = next(reversed(self.resolvers.values()))
        return r.key, r.basis()

    def solve_all(self, sets, cost=None):
        """Solve every set not solved yet, nearest first (``nearest_first``) from the set solved
        last. The figures do not depend on this order: each is an LP optimum."""
        todo = [s for s in sets if frozenset(s) not in self.solved]
        here = self.order[-1] if self.order else frozenset()
        for key in nearest_first(todo, cost or [1] * len(self.plan.measures), here):
            self.v(key)


def nearest_first(sets, cost, here=frozenset()) -> list[frozenset]:
    """The sets (each once), each next the one nearest the one before, from ``here``, so that
    each re-solves from a basis near its optimum. Near: the least cost of the measures switched,
    ``cost[i]`` that of switching measure i: a measure dear to switch (pumped storage over a
    year) is then switched rarely. Among equally near sets, the first given."""
    todo, out = list(dict.fromkeys(frozenset(s) for s in sets)), []
    while todo:
        here = min(todo, key=lambda k: sum(cost[i] for i in k ^ here))
        todo.remove(here)
        out.append(here)
    return out


def shares(sets, cost, workers: int, dear: int | None = None) -> list[list[frozenset]]:
    """The sets dealt to ``workers``, a function of the sets, their order, ``cost`` and ``dear``
    alone. The sets with measure ``dear`` on (by default the dearest to switch; pumped storage:
    on the 2019 context, half the solves and three quarters of the CPU) and those with it off
    are each put in nearest-first order and cut into ``workers`` runs of adjacent sets, their
    lengths differing by one at most; worker k takes the k-th run with it on, and the longest
    runs with it off go to the workers with the shortest runs with it on, so that the shares'
    lengths also differ by one at most. Each worker then solves its share nearest first from its
    own last basis, switching that measure about twice."""
    todo = list(dict.fromkeys(frozenset(s) for s in sets))
    if workers == 1:
        return [todo]
    if dear is None:
        dear = max(range(len(cost)), key=lambda i: (cost[i], -i))

    def runs(on: bool) -> list[list]:
        chain = nearest_first([k for k in todo if (dear in k) == on], cost)
        cut = np.linspace(0, len(chain), workers + 1).round().astype(int)
        return [chain[a:b] for a, b in itertools.pairwise(cut)]

    out = runs(True)
    shortest_first = sorted(range(workers), key=lambda k: len(out[k]))
    for k, run in zip(shortest_first, sorted(runs(False), key=len, reverse=True), strict=True):
        out[k] = run + out[k]
    return out


def _record(result, key, reused, cpu_s) -> dict:
    s = result.summary
    jq = _jiuquan_curtailment(result)
    return {
        "members": sorted(key),
        "export_mwh": float(s["target_counted_mwh"]),
        "target_mwh": float(s["target_mwh"]),
        "shortfall_mwh": float(s["shortfall_mwh"]),
        "wind_curtailment": s["curtailment_rate"].get("wind", math.nan),
        "pv_curtailment": s["curtailment_rate"].get("pv", math.nan),
        "jiuquan_curtailment": jq,
        "local_use_mwh": float(s["local_demand_mwh"]),
        "direct_purchase_mwh": float(s["direct_purchase_mwh"]),
        "heating_mwh": float(s["heating_electricity_mwh"]),
        "cost_cny": system_cost(s),
        "export_revenue_cny": float(sum(s["export_revenue_cny"].values())),
        "reused_model": bool(reused),
        "cpu_s": cpu_s,
        # deterministic, unlike CPU seconds: the cost of switching that orders and deals the sets
        "simplex_iterations": s["checks"]["solver"]["simplex_iterations"]
        + sum(t["iterations"] for t in s["checks"]["solver"].get("tie_break_stages", ())),
        "solve_s": float(s["solve_s"]),
        "hours": s["hours"],
        "segments_per_day": s["segments_per_day"],
        "period": s["period"],
        "scenario": s["scenario"],
        "title": s["title"],
        "year_fraction": result.built.ctx.year_fraction,
        "limit_zh": binding_limit(s, "zh"),
        "limit_en": binding_limit(s, "en"),
    }


def _jiuquan_curtailment(result) -> float:
    """Wind and PV curtailed at the Jiuquan bus over what they could produce (backcast's rule)."""
    try:
        return backcast.curtailment(result, ("wind", "pv"), "jiuquan")
    except ZeroDivisionError:
        return math.nan


def in_time(plan: Plan, first_day: dt.date) -> list[bool]:
    """In service for the whole period: from its first day or before (or no date given)."""
    return [
        m.spec["in_service"] is None or m.spec["in_service"] <= first_day for m in plan.measures
    ]


def checked(base_path, plan: Plan, overrides=()) -> dict:
    """The base's values, every measure's overlay checked first (before any worker starts)."""
    sets = Sets(base_path, plan, overrides)
    sets.scenario(set(range(len(plan.measures))))
    return sets.scenario(set()).values


# ------------------------------------------------------------------ workers
class Member:
    """One worker's part of an analysis: its Analysis, so its built models and its last basis,
    kept from one step to the next; the models also from one analysis to the next (another
    weather year re-solves them)."""

    def __init__(self):
        self.resolvers = {}
        self.job, self.a = None, None

    def step(self, job: tuple, worker: int, kind: str, sets, cost, echo) -> tuple[list, float]:
        """``kind`` "alone": the base, then each set from the base's basis; "near": the sets
        nearest first from the last one. Returns the records of the sets solved, in order, and
        this process's CPU seconds so far."""
        number, args = job
        if self.job != number:
            self.job, self.a = number, Analysis(*args, echo=echo)
            self.a.resolvers = self.resolvers
        a, before = self.a, len(self.a.order)
        if kind == "alone":
            a.v(set())
            start = a.basis()
            for key in sets:
                a.v(key, start)
        else:
            a.solve_all(sets, cost)
        return [{**a.solved[k], "worker": worker} for k in a.order[before:]], time.process_time()


_member = None  # this worker process's Member


def _remote_step(*args) -> tuple[list, float]:
    global _member
    _member = _member or Member()
    return _member.step(*args)


def _echo_line(prefix: str, line: str):
    print(prefix + line, file=sys.stderr, flush=True)


class Team:
    """The workers that solve an analysis's sets: this process alone (one worker), or a Dask
    LocalCluster of single-threaded processes (model/analyses/sweeps/runner.local_cluster), each
    step's share of the sets pinned to its worker, which keeps its models between steps. Each
    worker's HiGHS runs on one thread: the cores go to the workers."""

    def __init__(self, workers: int = 1, echo=None):
        self.workers, self.echo = workers, echo
        self.jobs, self.solved, self.order, self.solves = 0, {}, [], 0
        self.worker_cpu = [0.0] * workers  # each worker process's CPU seconds (not this one's)
        if workers == 1:
            self.member, self.client, self.cluster = Member(), None, None
            return
        from dask.distributed import Client

        from .sweeps.runner import local_cluster

        self.cluster = local_cluster(workers)
        self.client = Client(self.cluster)
        self.client.wait_for_workers(workers)
        self.addresses = sorted(self.client.scheduler_info()["workers"])

    def start(self, base_path, plan: Plan, overrides=(), mode=None):
        """A new analysis: nothing solved (the models are kept)."""
        if self.workers > 1:
            overrides = [*overrides, ("solver.threads", 1)]
        self.jobs += 1
        self.job = (self.jobs, (base_path, plan, list(overrides), mode))
        self.solved, self.order, self.solves = {}, [], 0

    def solve(self, kind: str, shares: list, cost=None):
        """Worker k solves ``shares[k]`` (Member.step); the records of sets solved twice (the
        base, once a worker) are the first worker's."""
        if self.client is None:
            got = [self.member.step(self.job, 0, kind, shares[0], cost, self.echo)[0]]
        else:
            got = self._remote(kind, shares, cost)
        for records in got:
            self.solves += len(records)
            for r in records:
                key = frozenset(r["members"])
                if key not in self.solved:
                    self.solved[key] = r
                    self.order.append(key)

    def _remote(self, kind, shares, cost) -> list:
        from dask.distributed import KilledWorker

        futures = [
            self.client.submit(
                _remote_step,
                self.job,
                k,
                kind,
                share,
                cost,
                self.echo and functools.partial(_echo_line, f"worker {k + 1}: "),
                workers=[self.addresses[k]],
                allow_other_workers=False,
                pure=False,
            )
            for k, share in enumerate(shares)
            if share
        ]
        try:
            results = self.client.gather(futures)
        except KilledWorker as e:
            raise ResourceError(
                f"--workers {self.workers}",
                f"a worker process died ({e}); its built models were lost (out of memory? each "
                "keeps up to two, about 0.7 GB each for an hourly year): try fewer workers",
            ) from None
        for k, (_, cpu) in zip((k for k, sh in enumerate(shares) if sh), results, strict=True):
            self.worker_cpu[k] = cpu
        return [records for records, _ in results]

    def close(self):
        if self.client is not None:
            self.client.close()
            self.cluster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run(base_path, plan: Plan, overrides=(), mode=None, echo=None, workers=1, team=None) -> dict:
    """The whole analysis: the table, the waterfall's chain and what it took, its sets solved by
    ``workers`` processes (or ``team``'s, kept from another weather year's analysis). What it
    reports does not depend on the number of workers: each set's figures are an LP optimum's,
    made unique by the tie-break stages."""
    values = checked(base_path, plan, overrides)
    if team is None:
        with Team(workers, echo) as team:
            return run(base_path, plan, overrides, mode, echo, team=team)
    t0, wall0, cpu0 = time.process_time(), time.perf_counter(), sum(team.worker_cpu)
    n = len(plan.measures)
    first, rate = values["time"]["start"], values["plan"]["discount_rate"]
    timely = in_time(plan, first)
    chain = [i for i in range(n) if timely[i]] + [i for i in range(n) if not timely[i]]
    every_set = set(range(n))
    prefixes = [set(chain[:k]) for k in range(n + 1)]
    team.start(base_path, plan, overrides, mode)
    # each measure alone from the base's basis, the measures dealt in turn: what switching each
    # costs, in simplex iterations (CPU seconds would make the order below vary from run to run)
    team.solve("alone", [[{i} for i in range(k, n, team.workers)] for k in range(team.workers)])
    v = lambda members: team.solved[frozenset(members)]  # noqa: E731
    cost = [max(1, v({i})["simplex_iterations"]) for i in range(n)]
    # the sets dealt by the dearest measure re-solved from the base's basis (the Qishao volume
    # limit's set is a new model's, solved from nothing: its iterations are not a switch's)
    warm = [i for i in range(n) if v({i})["reused_model"]] or list(range(n))
    dear = max(warm, key=lambda i: (cost[i], -i))
    todo = [*prefixes, {i for i in range(n) if timely[i]}, *(every_set - {i} for i in range(n))]
    todo = [k for k in todo if frozenset(k) not in team.solved]
    team.solve("near", shares(todo, cost, team.workers, dear), cost)
    base, every = v(set()), v(every_set)
    this_year = v({i for i in range(n) if timely[i]})
    floor = FLOOR_SHARE * base["target_mwh"]
    steps = {
        i: v(prefixes[k + 1])["export_mwh"] - v(prefixes[k])["export_mwh"]
        for k, i in enumerate(chain)
    }
    last = {i: every["export_mwh"] - v(every_set - {i})["export_mwh"] for i in range(n)}
    alone = {i: v({i})["export_mwh"] - base["export_mwh"] for i in range(n)}
    share = plan.spec["interaction_share"]
    flagged = [i for i in range(n) if _differ(alone[i], last[i], share, floor)]
    shapley, shapley_se, shapley_solves, exact = _shapley(
        team, flagged, n, plan.spec["shapley_orders"], plan.spec["seed"], cost, dear
    )
    rows = [
        _row(
            plan.measures[i],
            i,
            pos,
            timely[i],
            v({i}),
            base,
            rate,
            floor,
            {
                "alone": alone[i],
                "step": steps[i],
                "last": last[i],
                "shapley": shapley.get(i),
                "shapley_se": shapley_se.get(i),
            },
        )
        for pos, i in enumerate(chain)
    ]
    table = pd.DataFrame(rows)
    return {
        "table": table,
        "chain": [plan.measures[i].id for i in chain],
        "base": base,
        "this_year": this_year,
        "all": every,
        "flagged": [plan.measures[i].id for i in flagged],
        "solves": len(team.solved),
        "runs": team.solves,
        "workers": team.workers,
        "shapley_solves": shapley_solves,
        "shapley_exact": exact,
        "shapley_orders": plan.spec["shapley_orders"],
        "rebuilds": sum(not r["reused_model"] for r in team.solved.values()),
        "cpu_s": time.process_time() - t0 + sum(team.worker_cpu) - cpu0,
        "wall_s": time.perf_counter() - wall0,
        "sets": [team.solved[k] for k in team.order],
        "ids": [m.id for m in plan.measures],
    }


def _differ(alone: float, last: float, share: float, floor: float) -> bool:
    big = max(abs(alone), abs(last))
    return big > floor and abs(alone - last) > share * big


def orders(n: int, count: int, seed: int) -> tuple[list[tuple], bool]:
    """The orders the Shapley values average over: every order when there are no more than
    ``count`` (exact), else ``count`` / 2 antithetic pairs, a random order and its reverse. The
    reverse puts the measures ahead of i in the order behind it, so a pair sees i early and late
    alike: for measures that substitute or complement each other its two marginals err in
    opposite directions, and the pair's mean varies less than two independent orders'."""
    if math.factorial(n) <= count:
        return list(itertools.permutations(range(n))), True
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count // 2):
        p = tuple(rng.permutation(n).tolist())
        out += [p, p[::-1]]
    return out, False


def _shapley(team: Team, flagged, n, count, seed, cost, dear) -> tuple[dict, dict, int, bool]:
    """Mean marginal contribution of each flagged measure over the orders (``orders``) and its
    standard error: the spread of the antithetic pairs' means over the square root of their
    number (0 when every order was taken). Returns (values, standard errors, new solves, exact)."""
    if not flagged:
        return {}, {}, 0, False
    before = len(team.solved)
    perms, exact = orders(n, count, seed)
    ahead = {(i, p): frozenset(p[: p.index(i)]) for i in flagged for p in perms}
    need = [x for (i, _), b in ahead.items() for x in (b, b | {i}) if x not in team.solved]
    team.solve("near", shares(need, cost, team.workers, dear), cost)
    v = lambda members: team.solved[frozenset(members)]["export_mwh"]  # noqa: E731
    out, se = {}, {}
    for i in flagged:
        gains = np.array([v(ahead[i, p] | {i}) - v(ahead[i, p]) for p in perms])
        out[i] = float(gains.mean())
        pairs = gains.reshape(-1, 2).mean(axis=1)
        if exact:
            se[i] = 0.0
        else:
            se[i] = float(pairs.std(ddof=1) / math.sqrt(len(pairs))) if len(pairs) > 1 else math.nan
    return out, se, len(team.solved) - before, exact


def _row(m, i, pos, timely, one, base, rate, floor, got) -> dict:
    """The table's row of measure ``m`` (listed ``i``, ``pos`` in the waterfall); ``got``: its
    export contributions (MWh: alone, step, last, shapley, shapley_se)."""
    capital = m.spec["capital_cost_cny"]
    fixed = (
        math.nan
        if capital is None
        else annuity(capital, rate, m.spec["lifetime_years"]) + m.spec["fixed_om_cny_per_yr"]
    )
    # a year's cost against a year's export: a shorter run's figures are scaled up to a year
    year = base["year_fraction"]
    operating = (one["cost_cny"] - base["cost_cny"]) / year
    per_year = fixed + operating
    alone, step, last = got["alone"], got["step"], got["last"]
    shapley, shapley_se = got["shapley"], got["shapley_se"]
    per_mwh = per_year / (alone / year) if alone > floor else math.nan
    e = lambda x: x / qty.TWH  # noqa: E731
    y = lambda x: qty.value("energy", x, "zh")  # noqa: E731  亿千瓦时
    return {
        "measure": m.id,
        "title_zh": m.title("zh"),
        "title_en": m.title("en"),
        "listed": i + 1,
        "waterfall_position": pos + 1,
        "in_service": None if m.spec["in_service"] is None else m.spec["in_service"].isoformat(),
        "in_service_this_year": timely,
        "alone_twh": e(alone),
        "step_twh": e(step),
        "last_added_twh": e(last),
        "shapley_twh": math.nan if shapley is None else e(shapley),
        "shapley_se_twh": math.nan if shapley_se is None else e(shapley_se),
        "alone_yi_kwh": y(alone),
        "step_yi_kwh": y(step),
        "last_added_yi_kwh": y(last),
        "shapley_yi_kwh": math.nan if shapley is None else y(shapley),
        "shapley_se_yi_kwh": math.nan if shapley_se is None else y(shapley_se),
        "wind_curtailment_alone": one["wind_curtailment"],
        "pv_curtailment_alone": one["pv_curtailment"],
        "jiuquan_curtailment_alone": one["jiuquan_curtailment"],
        "local_use_change_twh": e(one["local_use_mwh"] - base["local_use_mwh"]),
        "annualised_capital_cny_per_yr": fixed,
        "net_operating_cost_change_cny_per_yr": operating,
        "cost_cny_per_yr": per_year,
        "cost_cny_per_mwh_added_export": per_mwh,
        "export_revenue_change_cny_per_yr": (one["export_revenue_cny"] - base["export_revenue_cny"])
        / year,
        "resolution": resolution_text(base),
        "size_zh": (m.spec["size"] or {}).get("zh", ""),
        "size_en": (m.spec["size"] or {}).get("en", ""),
        "source": m.spec["source"],
        "in_service_source": m.spec["in_service_source"],
        "cost_source": m.spec["cost_source"],
        "note_zh": (m.spec["note"] or {}).get("zh", ""),
        "note_en": (m.spec["note"] or {}).get("en", ""),
    }


def summary(out: dict, plan: Plan) -> dict:
    """What the page and the printout need beside the table (JSON-ready)."""

    def brief(r):
        return {
            k: r[k]
            for k in (
                "export_mwh",
                "target_mwh",
                "shortfall_mwh",
                "cost_cny",
                "wind_curtailment",
                "pv_curtailment",
                "jiuquan_curtailment",
                "local_use_mwh",
                "limit_zh",
                "limit_en",
            )
        }

    return {
        "name": plan.spec["name"],
        "title": plan.spec["title"],
        "measures_file": str(plan.path),
        "scenario": out["base"]["scenario"],
        "scenario_title": out["base"]["title"],
        "hours": out["base"]["hours"],
        "segments_per_day": out["base"]["segments_per_day"],
        "period": out["base"]["period"],
        "chain": out["chain"],
        "base": brief(out["base"]),
        "this_year": brief(out["this_year"]),
        "all": brief(out["all"]),
        "interaction_share": plan.spec["interaction_share"],
        "shapley_orders": plan.spec["shapley_orders"],
        "shapley_exact": out["shapley_exact"],
        "flagged": out["flagged"],
        "solves": out["solves"],
        "runs": out["runs"],
        "workers": out["workers"],
        "shapley_solves": out["shapley_solves"],
        "rebuilds": out["rebuilds"],
        "cpu_s": out["cpu_s"],
        "wall_s": out["wall_s"],
        "weather_years": out.get("weather_years"),
        "weather_year_totals": out.get("year_totals"),
    }


CONTRIBUTIONS = ("alone", "step", "last_added")


def across_weather(
    base_path, plan: Plan, years, overrides=(), mode=None, echo=None, workers=1
) -> dict:
    """The analysis in each weather year (``weather_year`` set on the base), on the same workers
    and models; the first year's is the main table, which gains each contribution's P50 (median)
    and P90 (exceeded in 90% of the years: the 10th percentile) over the years, in TWh."""
    t0, wall0, outs = time.process_time(), time.perf_counter(), {}
    checked(base_path, plan, [*overrides, ("weather_year", years[0])])
    with Team(workers, echo) as team:
        for y in years:
            over = [*overrides, ("weather_year", y)]
            outs[y] = run(base_path, plan, over, mode, echo, team=team)
        worker_cpu = sum(team.worker_cpu)
    shown = ["measure", *(f"{c}_twh" for c in CONTRIBUTIONS)]
    per_year = pd.concat(
        [o["table"][shown].assign(weather_year=y) for y, o in outs.items()], ignore_index=True
    )
    main = outs[years[0]]
    table = main["table"]
    for c in CONTRIBUTIONS:
        g = per_year.groupby("measure")[f"{c}_twh"]
        table[f"{c}_p50_twh"] = table["measure"].map(g.median())
        table[f"{c}_p90_twh"] = table["measure"].map(g.quantile(0.1))
    from ..outputs.reports.measures import answer

    main["weather_years"] = list(years)
    main["per_year"] = per_year
    main["year_totals"] = [  # what each year's page would say, to see if the conclusion holds
        {
            "weather_year": y,
            **{
                f"{k}_export_twh": o[k]["export_mwh"] / qty.TWH
                for k in ("base", "this_year", "all")
            },
            "target_twh": o["base"]["target_mwh"] / qty.TWH,
            "cpu_s": o["cpu_s"],
            "answer_en": answer(o["table"], summary(o, plan), "en"),
        }
        for y, o in outs.items()
    ]
    for k in ("solves", "runs", "rebuilds"):
        main[k] = sum(o[k] for o in outs.values())
    main["cpu_s"] = time.process_time() - t0 + worker_cpu
    main["wall_s"] = time.perf_counter() - wall0
    return main


def parse_years(text: str) -> list[int]:
    """``1-5``, ``1,3,7`` or ``2``: weather years, in the order given, each once."""
    years = []
    try:
        for part in str(text).split(","):
            lo, sep, hi = part.strip().partition("-")
            years += list(range(int(lo), int(hi) + 1)) if sep else [int(lo)]
    except ValueError:
        years = []
    if not years or min(years) < 1 or len(set(years)) != len(years):
        raise InputError(
            "--weather-years",
            None,
            f"expected years such as 1-10 or 1,4,7 (each once, from 1), got {text!r}",
        )
    return years


def write(out: dict, plan: Plan, folder: Path, lang: str | None) -> Path:
    """measures.csv, sets.csv (every set solved, fewest measures first, then by the listed order
    of their measures, whichever worker solved it when), measures.json and the charts,
    atomically."""
    from ..plotting import measures as charts

    s = summary(out, plan)
    sets = pd.DataFrame(
        [
            {
                **{k: v for k, v in r.items() if k not in ("title", "period")},
                "members": "+".join(out["ids"][i] for i in r["members"]) or "base",
                "worker": r.get("worker", 0) + 1,
            }
            for r in sorted(out["sets"], key=lambda r: (len(r["members"]), r["members"]))
        ]
    )
    with output.atomic_dir(folder, "measures") as tmp:
        out["table"].to_csv(tmp / "measures.csv", index=False, lineterminator="\n")
        sets.to_csv(tmp / "sets.csv", index=False, lineterminator="\n")
        (tmp / "measures.json").write_text(
            json.dumps(s, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        if "per_year" in out:
            out["per_year"].to_csv(tmp / "measures_weather.csv", index=False, lineterminator="\n")
        if lang:
            charts.draw(out["table"], s, tmp / "charts" / lang, lang)
    return folder


def resolution_text(record: dict) -> str:
    """How finely the sets were solved, to stand beside their figures."""
    per_day = record["segments_per_day"]
    return "every hour" if per_day is None else f"{per_day} segments a day"


def format_table(out: dict) -> str:
    t = out["table"]
    cols = [
        "measure",
        "in_service_this_year",
        "alone_yi_kwh",
        "step_yi_kwh",
        "last_added_yi_kwh",
        "shapley_yi_kwh",
        "shapley_se_yi_kwh",
        "local_use_change_twh",
        "cost_cny_per_yr",
        "cost_cny_per_mwh_added_export",
    ]
    b, y, a = out["base"], out["this_year"], out["all"]
    head = (
        f"base {qty.value('energy', b['export_mwh'], 'zh'):.1f} 亿千瓦时; this year's measures "
        f"{qty.value('energy', y['export_mwh'], 'zh'):.1f}; every measure "
        f"{qty.value('energy', a['export_mwh'], 'zh'):.1f}; target "
        f"{qty.value('energy', b['target_mwh'], 'zh'):.1f}; solved at {resolution_text(b)}"
    )
    orders = "every order" if out["shapley_exact"] else f"{out['shapley_orders']} sampled orders"
    twice = out["runs"] - out["solves"]
    tail = (
        f"{out['solves']} sets ({out['shapley_solves']} for the Shapley values of "
        f"{', '.join(out['flagged']) or 'none'} over {orders}; {out['rebuilds']} builds"
        + (f"; {out['runs']} solves, the base once a worker" if twice else "")
        + f"), {out['workers']} worker"
        + ("s" if out["workers"] > 1 else "")
        + f", CPU {out['cpu_s']:.1f} s, wall {out['wall_s']:.1f} s"
    )
    return "\n".join([head, t[cols].to_string(index=False, float_format="{:.2f}".format), tail])
