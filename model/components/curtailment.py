"""The curtailment rule: how the wind and PV that cannot be used are shared among the units.

Wind and PV at one bus cost the same and play the same role, so any split of their curtailment is
optimal and the LP alone would leave 弃风率 and 弃光率 to the solver (simplex puts it all on the
unit declared first). ``system.curtailment_rule`` decides instead.

pro_rata (the default). Within a group g (a bus, or the buses that share a
``buses.<b>.curtailment_group``) and time step t, every wind and PV unit i is curtailed by the same
fraction f[g, t] of what it could produce, A[i, t] = a[i, t] K[i]:

    p[i, t] = (1 - f[g, t]) A[i, t]

For a group of one bus b this needs no product of data and variables: the bus's wind and PV are
one pooled output,

    VRE-p[b, t] in [0, sum_i A[i, t]]                    (a bound: sweeps move it in place)
    cost of VRE-p = sum_i vom_i A[i, t] / sum_i A[i, t] - curtailment penalty

and each unit's output is its share, p[i, t] = VRE-p[b, t] A[i, t] / sum_i A[i, t] (reported per
unit). In plan mode the capacities are variables, and the rule stays linear: the pool's bound
becomes the row

    VRE-capacity_limit[b, t]:  VRE-p[b, t] - sum_i a[i, t] new[i] <= sum_i a[i, t] K[i]

and the shares use the built capacities. (Units of a group that plan mode may grow must share one
vom; otherwise the pool's cost would be a product of capacity and output. Wind and PV have none
by default.)

A group of several buses adds the group's used fraction s[g, t] = 1 - f[g, t] in [0, 1] and

    VRE-pro_rata[b, t]:  VRE-p[b, t] - (sum_{i at b} A[i, t]) s[g, t] == 0

which puts the availabilities in the matrix (build.structure_key then rebuilds every point that
changes them) and is refused in plan mode when a member may be built.

Across groups the least cost still leaves the split open wherever the corridors between them
have room: the tie-break's share stage decides it (model/optimisation/ties.py, stage 3): one
fraction across the province where the network lets curtailment be shared, more only behind a
corridor at its limit.

free: each unit has its own output in [0, A[i, t]] (the former formulation): any split is optimal.

Run-of-river hydro is outside the rule: its output counts as synchronous support, so it is not
interchangeable with wind and PV when a DC line's support binds.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..optimisation.lp import ragged

POOLED = ("wind", "pv")  # the families the rule shares curtailment among


def rule(ctx) -> str:
    return ctx.values["system"]["curtailment_rule"]


def group_of(values: dict) -> dict:
    """Each bus's curtailment group (its own name when none is declared)."""
    return {b: (spec.get("curtailment_group") or b) for b, spec in values["buses"].items()}


def matrix_holds_availability(values: dict) -> bool:
    """True when a pro-rata group of several buses has wind or PV: their availability is in the matrix."""
    if values["system"]["curtailment_rule"] != "pro_rata":
        return False
    groups = group_of(values)
    used = {}
    for key in POOLED:
        for spec in values[key].values():
            used.setdefault(groups.get(spec["bus"], spec["bus"]), set()).add(spec["bus"])
    return any(len(b) > 1 for b in used.values())


def _members(built):
    """bus -> [(family, data, unit index)] for the pooled families' units."""
    out = {}
    for f in built.families:
        if f.key in POOLED:
            d = built.data[f.key]
            for i, bus in enumerate(d.bus):
                out.setdefault(bus, []).append((f, d, i))
    return out


def build(lp, built):
    ctx = built.ctx
    if rule(ctx) != "pro_rata":
        return
    members = _members(built)
    if not members:
        return
    buses = list(members)
    penalty = ctx.values["system"]["curtailment_penalty_cny_per_mwh"]
    avail = np.array([sum(d.available[i] for _, d, i in members[b]) for b in buses])  # (B, T)
    vom_energy = np.array([sum(d.vom[i] * d.available[i] for _, d, i in members[b]) for b in buses])
    mean_vom = np.array([np.mean([d.vom[i] for _, d, i in members[b]]) for b in buses])[:, None]
    vom = np.where(avail > 0, vom_energy / np.where(avail > 0, avail, 1.0), mean_vom)
    growing = {b: [(f, d, i) for f, d, i in members[b] if d.build[i] > 0] for b in buses}
    groups = group_of(ctx.values)
    by_group = {}
    for b in buses:
        by_group.setdefault(groups[b], []).append(b)
    for g, bs in by_group.items():
        for b in bs:
            if growing[b] and len({float(d.vom[i]) for _, d, i in members[b]}) > 1:
                f, d, i = growing[b][0]
                key = f"{f.key}.{d.units[i]}.vom_cny_per_mwh"
                raise InputError(ctx.scenario.file_of(key), key, "plan mode with curtailment_rule pro_rata: the "
                                 f"wind and PV units at bus {b} may be built, so they must share one vom")
            if growing[b] and len(bs) > 1:
                f, d, i = growing[b][0]
                key = f"{f.key}.{d.units[i]}.{f.dim.build_max}"
                raise InputError(ctx.scenario.file_of(key), key, f"curtailment group {g!r} spans buses "
                                 f"{', '.join(bs)}: pro rata over several buses is not linear when capacity is "
                                 "built; expected 0 here, or one bus per group")
    grow_ub = np.array([sum((d.build[i] * d.availability[i] for _, d, i in growing[b]), np.zeros(ctx.n))
                        for b in buses])
    p = lp.var("VRE-p", buses, 0.0, avail + grow_ub, cost=vom - penalty)
    pos = {b: k for k, b in enumerate(buses)}
    if any(growing.values()):
        rows = [b for b in buses if growing[b]]

        def new(f, d, i):  # the unit's new capacity, available as the unit is
            return -d.availability[i], lp.vars[f"{f.name}-new_capacity"].items.of(d.units[i])

        terms = [[(1.0, p.of(b))] + [new(*m) for m in growing[b]] for b in rows]
        lp.rows("VRE-capacity_limit", rows, ragged(terms, ctx.n), "<=",
                avail[[pos[b] for b in rows]])
    shared = {g: bs for g, bs in by_group.items() if len(bs) > 1}
    if shared:
        s = lp.var("VRE-share", list(shared), 0.0, 1.0)
        of = {b: g for g, bs in shared.items() for b in bs}
        pooled = [pos[b] for b in of]
        shares = np.array([s.of(g) for g in of.values()])
        lp.rows("VRE-pro_rata", list(of), [(1.0, p.index[pooled]), (-avail[pooled], shares)], "==")
    for b in buses:
        lp.inject(b, p, b)


def split(built, sol):
    """Each pooled unit's output, its share of its bus's pool (built capacities in plan mode):
    sets ``output`` and ``output_available`` on the families' data for their reports."""
    for f in built.families:
        if f.key in POOLED:
            built.data[f.key].output = None
    if rule(built.ctx) != "pro_rata" or "VRE-p" not in sol.lp.vars:
        return
    members = _members(built)
    pool = sol.value("VRE-p")
    for k, b in enumerate(sol.lp.vars["VRE-p"].units):
        available = [(d.capacity[i] + _added(sol, f, d, i)) * d.availability[i] for f, d, i in members[b]]
        total = np.sum(available, axis=0)
        # Not clipped: the shares sum to the pool exactly, so a wrong solution shows in the balance check.
        used = np.divide(pool[k], total, out=np.zeros_like(total), where=total > 1e-9)
        for (_, d, i), a in zip(members[b], available):
            if d.output is None:
                d.output = np.zeros_like(d.availability)
            d.output[i] = used * a


def _added(sol, f, d, i) -> float:
    name = f"{f.name}-new_capacity"
    if name in sol.lp.vars and d.units[i] in sol.lp.vars[name].units:
        return float(sol.value(name)[sol.lp.vars[name].units.index(d.units[i])])
    return 0.0


def report(sol, built, rep):
    """The curtailed fraction of each pooled bus, hourly: one number for all its wind and PV."""
    if rule(built.ctx) != "pro_rata" or "VRE-p" not in sol.lp.vars:
        return
    members = _members(built)
    pool = sol.value("VRE-p")
    for k, b in enumerate(sol.lp.vars["VRE-p"].units):
        possible = np.sum([(d.capacity[i] + _added(sol, f, d, i)) * d.availability[i] for f, d, i in members[b]],
                          axis=0)
        fraction = np.divide(possible - pool[k], possible, out=np.zeros_like(possible), where=possible > 1e-9)
        rep.column(f"VRE-curtailed_fraction[{b}]", np.clip(fraction, 0.0, 1.0), "-")
