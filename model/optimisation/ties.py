"""The tie-break stages: documented rules for what the least cost leaves open (every mode).

Surplus wind, PV and run-of-river water cost nothing, so many dispatches share the least cost:
the surplus can be drawn into stores only to be lost, spilled from a river instead of curtailed
at a wind farm, curtailed at one bus instead of another while the corridors between them have
room, or burnt in the losses of flows sent both ways at once; thermal units of one cost, or
parallel corridors of one loss, can trade what they carry; and where revenue is not in the
objective, so can the export lines that leave one bus. The solver's method, presolve or the
order of the file would choose. Instead, after the least cost (and max-export's stages before
it), each stage below minimises its own objective among the optima of all the stages before it:
on the optimal face of the stage before (solve._tie_break: after each stage's simplex vertex,
the columns with a reduced cost and the rows with a dual are fixed where they sit, so the next
stage moves only among that stage's optima, with no cost row to trade or stall on); the simplex
starts from the last basis. Stage 3's |.| columns and rows stay in the LP for the stages after it,
fixed on their faces likewise. Prices, the target price and reduced costs stay those of the
least-cost stage (any primal optimum pairs with any dual optimum in an LP).

1. draw: sum_t w_t (storage charge + clean-heating draw) (modes.TIE_BREAK_ROLES): nothing is
   drawn only to be lost, so curtailment is what is really surplus.
2. spill: -sum_t w_t Hydro-p[u, t]: run-of-river water is spilled only where wind and PV cannot
   be curtailed instead (the pro-rata rule shares wind and PV, not water: hydro's output is
   synchronous support). Without it, stage 3 would spill water to even out wind's fractions.
3. share, across curtailment groups (a bus, or the buses of one ``curtailment_group``, which the
   pro-rata rule already holds to one fraction; model/components/curtailment.py): with A[g, t]
   the wind and PV group g could produce, a[g, t] = A[g, t] / sum_g A[g, t] its share of the
   province's, c[g, t] its curtailment (MWh), f = c / A its curtailed fraction,

       sum_t w_t sum_{g < h} |a[h, t] c[g, t] - a[g, t] c[h, t]|
         = sum_t w_t A[t] sum_{g < h} a[g, t] a[h, t] |f[g, t] - f[h, t]|

   (the weighted mean difference of the fractions, in MWh; linear: a is data, and with
   c = A - VRE-p the row is a[g] VRE-p[h] - a[h] VRE-p[g], each |.| split into two columns).
   Where the corridors let curtailment be shared it is 0: every group curtails the province's
   fraction. A group behind a corridor at its limit must curtail more; the others then share the
   rest at one fraction: moving curtailment e from h to k (both below the held group's fraction
   f_j) changes the terms with j by a[j](e - e) = 0, so only |f_h - f_k| decides, least at
   f_h = f_k with a kink, so the split is unique. Unlike the mean deviation from the province's
   fraction, whose value is the same for any split of the rest below f_j with three groups.
4. transport: sum_t w_t sum_c (Corridor-forward + Corridor-reverse): no surplus is burnt in the
   losses of flows sent both ways at once, which would shift every fraction of stage 3 alike.
5. thermal: thermal units of one cost per MWh run at one fraction of their available capacity
   wherever the optimum lets them. With K[u, t] the unit's available MW and, within each class of
   units of one cost (to 1e-6 CNY/MWh, coal and CHP alike), a[u, t] = K[u, t] / sum_class K,

       sum_t w_t sum_{u < v in a class} |a[v, t] p[u, t] - a[u, t] p[v, t]|

   the rule of stage 3 on thermal output (a unit at its must-run or held by a ramp runs where it
   must, the others share the rest at one fraction; unique by the same argument). Where two such
   units at different buses each reach a third bus over corridors of the same loss, stage 4 is
   flat between them, and the split, so the corridor flows and Jiuquan's counted export, was the
   solver's (on 1 April of weather year 2, Jiuquan's CHP against Gansu's security units, both
   0.31 tce/MWh: 92,268.2 MWh counted with presolve, 92,076.8 without and by interior point;
   now 92,106.9 in all three, 92,127.9 before the backcast's re-tuning). After stages 1-4,
   so their curtailment is as before it.
6. parallel: corridors of one loss between the same two buses carry each direction's flow in
   proportion to their available capacity that way (the same rows over each direction's flows:
   stage 4 sees only their sum; the Hexi third circuits from 19 December 2019).

7. export: sum_t w_t sum_l loss[l] Line-flow[l, t], the energy lost on the export lines:
   among the optima, export goes by the lines that lose least. Where the objective leaves out
   the lines' revenue (plan mode's least cost, ``plan.count_export_revenue`` false) the split of
   export between lines that leave one bus is open: on the hourly plan interior point IPX and
   HiPO ended at different points of it (qishao_dc 18.74 TWh against 18.70, hexi_750kv 9.92
   against 9.97); with this stage both send 14.27 and 14.40 TWh (README, plan mode). Decision:
   losses decide, which moves export off Qishao (7% lost) onto the Hexi 750 kV (3%), though
   Qishao earns more per MWh sent: (1 - 0.07) 450 - 60 = 358.5 CNY against (1 - 0.03) 307.8 -
   20 = 278.6 (scenarios/jiuquan_2019.yaml). "Most net revenue first" was considered and not
   taken: the least-cost plan leaves revenue out on purpose (it reaches the target at least
   cost; plan.count_export_revenue true is the other question), so a stage that ranked by it
   would bring back through the tie the price the objective excludes. The energy lost is
   physical, generated and sent for nothing whatever the prices. Where revenue is in the
   objective (every other mode) it already ranks the lines, and this stage moves only what it
   leaves open.
8. lines: export lines of one loss at one bus carry its export in proportion to their available
   capacity (the rows of stages 5 and 6 over each line's flows, a[l, t] the line's share of the
   group's available MW); stage 7 sees only their sum. A group with a line that may be extended
   (plan mode, ``build_max_mw``) is left open (its available MW is a variable, not data) and the
   summary says so.

Stages 5, 6 and 8 pair members of a class in every hour; their rows whose columns the faces
before have all fixed are left out (Stage.prune), which keeps them small where the least cost
already decides.

Stages 2 to 4 belong to ``system.curtailment_rule: pro_rata`` (the default); under ``free`` only
stages 1 and 5 to 8 run, and any split of curtailment the optimum allows is left to the solver.

Ties that may remain. Where a stage's objective is flat along an edge of the optima before it (a
coincidence of the data: e.g. with losses, the rate at which one group's curtailment replaces
another's would have to match the fractions' weights exactly); the split of spill among rivers
where it remains; which hours a bus curtails, exports, draws or burns where stores, shiftable
direct purchase or an annual total (a short target's, a line's volume) let energy move between
hours (on the Jiuquan-only year presolve on and off move 148 MWh of curtailment between wind and
PV, the total equal, and CHP output, direct purchase and the DC flow between hours, so the hours
the DC line's synchronous support holds it: 2,671 against 2,667 h, network.py); flows sent both
ways at once where they seem to burn surplus water that stage 2 would otherwise count as spilled
(stage 2 comes before stage 4): with the timing tie, the context model's December (744 h) still
has corridor flows that differ between presolve on and off in 2 to 9 hours a corridor (24 to 136
before stages 5 and 6), e.g. hour 291, Jiuquan-Hexi 974 forward and 589 back with presolve,
3,827 and 3,500 without, as before; plan mode with wind or PV that may be built (a share of a
variable total is not linear; stage 3 is left out, said in the summary); and
``system.share_curtailment_across_buses: false``, which leaves stage 3 out (said likewise); the
split of export among lines of one loss at one bus where one of them may be extended (stage 8,
said likewise).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..components import curtailment
from . import modes


@dataclass
class Stage:
    """Minimise cost @ x + sum_k weight[k] |gaps[k] @ x| (gaps: rows over the LP's columns)."""

    label: str
    cost: np.ndarray
    gaps: sp.csr_matrix | None = None
    weight: np.ndarray | None = None
    nothing: str = ""  # what a point at the lower bound of every costed column means, for the summary
    # Leave out the rows whose columns the faces before have all fixed (a constant |.|): stages 5
    # and 6 pair the members of each class in every hour, and in many hours the faces before
    # have fixed both (60% of them on the context year's December); stage 3's rows are kept
    # whole, as measured.
    prune: bool = False


def stages(lp, ctx) -> list[Stage]:
    """The stages that have something to decide in this LP, in order."""
    n = lp.compiled.shape[1]
    out = [Stage("draw", modes.tie_break_cost(lp), nothing="nothing drawn into stores or boilers")]
    if curtailment.rule(ctx) == "pro_rata":  # free leaves every split of curtailment open
        out += [Stage("spill", -_cost(lp, ["Hydro-p"])), share(lp, ctx),
                Stage("transport", _cost(lp, [b.name for b in lp.blocks("corridor")]),
                      nothing="no corridor flow")]
    out += [thermal(lp), parallel(lp, ctx), export(lp, ctx), lines(lp, ctx)]
    return [s for s in out if s is not None and (np.any(s.cost) or s.gaps is not None and s.gaps.nnz)
            and len(s.cost) == n]


def left_open(lp, ctx) -> str:
    """What the stages cannot decide in this LP, for the summary ("" when nothing)."""
    notes = [_curtailment_open(lp, ctx)]
    for (bus, loss), members in sorted(_line_classes(lp, ctx).items()):
        built = [u for u, _ in members if u in _extendable(lp)]
        if built:
            notes.append(f"the split of export among {', '.join(u for u, _ in members)} at {bus} "
                         f"(one loss, {loss:g}; {', '.join(built)} may be extended: its "
                         "available MW is not data)")
    return "; ".join(n for n in notes if n)


def _curtailment_open(lp, ctx) -> str:
    if curtailment.rule(ctx) != "pro_rata" or "VRE-p" not in lp.vars:
        return ""
    groups = curtailment.group_of(ctx.values)
    if len({groups[b] for b in lp.vars["VRE-p"].units}) < 2:
        return ""
    if "VRE-capacity_limit" in lp.cons:
        return "the split of curtailment across buses (wind or PV may be built: not linear)"
    if not ctx.values["system"]["share_curtailment_across_buses"]:
        return "the split of curtailment across buses (system.share_curtailment_across_buses false)"
    return ""


def share_applies(lp, ctx) -> bool:
    """Stage 3 needs the pooled outputs with constant availabilities and two groups or more."""
    if ("VRE-p" not in lp.vars or "VRE-capacity_limit" in lp.cons
            or not ctx.values["system"]["share_curtailment_across_buses"]):
        return False
    groups = curtailment.group_of(ctx.values)
    return len({groups[b] for b in lp.vars["VRE-p"].units}) > 1


def share(lp, ctx) -> Stage | None:
    """Stage 3's rows a[g, t] VRE-p[h, t] - a[h, t] VRE-p[g, t], one per pair of groups and hour
    in which both could produce; weighted by the hours of the step."""
    if not share_applies(lp, ctx):
        return None
    block = lp.vars["VRE-p"]
    groups = curtailment.group_of(ctx.values)
    names = sorted({groups[b] for b in block.units})
    member = np.array([[groups[b] == g for b in block.units] for g in names], dtype=float)  # (G, B)
    avail = member @ np.asarray(block.ub, dtype=float)  # (G, T): the pool's bound is A
    cols = [block.cols[np.flatnonzero(m)] for m in member.astype(bool)]
    gaps, weight = _pro_rata(lp, cols, avail)
    return Stage("share", np.zeros(lp.compiled.shape[1]), gaps, weight)


def thermal(lp) -> Stage | None:
    """Stage 5's rows a[v, t] p[u, t] - a[u, t] p[v, t] for each pair of thermal units of one
    cost per MWh (to 1e-6 CNY), in each hour both are available; a = K / the class's sum of K."""
    classes = defaultdict(list)
    for b in lp.blocks("thermal"):
        cost, ub = np.asarray(b.cost, dtype=float), np.asarray(b.ub, dtype=float)
        for i in range(len(b.units)):
            classes[tuple(np.unique(np.round(cost[i], 6)))].append((b.cols[i], ub[i]))
    return _shared(lp, "thermal", classes, "no thermal output left to share")


def parallel(lp, ctx) -> Stage | None:
    """Stage 6's rows a[d, t] F[c, t] - a[c, t] F[d, t] for each pair of corridors of one loss
    between the same two buses, in each direction (F the flow that way, a its bound's share)."""
    if "Corridor-forward" not in lp.vars:
        return None
    blocks = lp.vars["Corridor-forward"], lp.vars["Corridor-reverse"]
    spec = ctx.values["corridors"]
    classes = defaultdict(list)
    for i, c in enumerate(blocks[0].units):
        ends, loss = (spec[c]["from_bus"], spec[c]["to_bus"]), round(float(spec[c]["loss"]), 9)
        first = ends[0] == min(ends)  # forward runs from the first bus in name order
        for way, block in zip(("out", "back"), blocks if first else blocks[::-1]):
            bound = np.asarray(block.ub[i], dtype=float)
            classes[(min(ends), max(ends), loss, way)].append((block.cols[i], bound))
    return _shared(lp, "parallel", classes, "no flow left to share among parallel corridors")


def export(lp, ctx) -> Stage | None:
    """Stage 7's cost sum_t w_t loss[l] Line-flow[l, t], with two export lines or more (stages()
    drops it where no line loses anything)."""
    if "Line-flow" not in lp.vars or len(lp.vars["Line-flow"].units) < 2:
        return None
    spec = ctx.values["export_lines"]
    loss = np.array([float(spec[u]["loss"]) for u in lp.vars["Line-flow"].units])
    return Stage("export", _cost(lp, ["Line-flow"], loss[:, None]),
                 nothing="every export line that loses energy at its lowest flow")


def lines(lp, ctx) -> Stage | None:
    """Stage 8's rows a[m, t] f[l, t] - a[l, t] f[m, t] for each pair of export lines of one loss
    at one bus (f the flow, a its available MW's share of the group's), where no line of the
    group may be extended (left_open)."""
    if "Line-flow" not in lp.vars:
        return None
    block = lp.vars["Line-flow"]
    ub = np.asarray(block.ub, dtype=float)
    classes = {key: [(block.cols[i], ub[i]) for _, i in members]
               for key, members in _line_classes(lp, ctx).items()
               if not any(u in _extendable(lp) for u, _ in members)}
    return _shared(lp, "lines", classes, "no export left to share among lines of one loss")


def _line_classes(lp, ctx) -> dict:
    """(bus, loss to 1e-9) -> [(line, its index in Line-flow)], for the classes of two or more."""
    if "Line-flow" not in lp.vars:
        return {}
    spec = ctx.values["export_lines"]
    classes = defaultdict(list)
    for i, u in enumerate(lp.vars["Line-flow"].units):
        classes[(spec[u]["bus"], round(float(spec[u]["loss"]), 9))].append((u, i))
    return {k: m for k, m in classes.items() if len(m) > 1}


def _extendable(lp) -> set:
    """The export lines whose capacity plan mode may extend (Line-new_capacity)."""
    return set(lp.vars["Line-new_capacity"].units) if "Line-new_capacity" in lp.vars else set()


def _shared(lp, label, classes, nothing) -> Stage | None:
    """The stage ``label`` of the pro-rata rows within each class (key -> [(columns (T,), bound
    (T,))] of its members) that has two members or more; None when none has."""
    parts = [_pro_rata(lp, [c[None, :] for c, _ in m], np.array([ub for _, ub in m]))
             for _, m in sorted(classes.items()) if len(m) > 1]
    if not parts:
        return None
    return Stage(label, np.zeros(lp.compiled.shape[1]), sp.vstack([g for g, _ in parts]).tocsr(),
                 np.concatenate([w for _, w in parts]), nothing=nothing, prune=True)


def _pro_rata(lp, cols, avail) -> tuple[sp.csr_matrix, np.ndarray]:
    """The pro-rata rule's rows over groups g (cols[g]: (members, T) column indices, -1 where
    unused; avail: (G, T) what each could carry): a[g, t] X[h, t] - a[h, t] X[g, t] for each pair
    g < h and hour in which both have a share, X the group's columns summed, a = avail / its sum
    over the groups; with each row's weight, the hours of its step."""
    avail = np.asarray(avail, dtype=float)
    total = avail.sum(axis=0)
    alpha = np.divide(avail, total, out=np.zeros_like(avail), where=total > 0)
    rows, idx, vals, weight = [], [], [], []
    k = 0
    for i in range(len(cols)):
        for j in range(i + 1, len(cols)):
            hours = np.flatnonzero((alpha[i] > 0) & (alpha[j] > 0))
            for g, coef in ((i, -alpha[j]), (j, alpha[i])):  # -a[h] X[g] + a[g] X[h]
                for member in cols[g]:
                    rows.append(k + np.arange(hours.size)), idx.append(member[hours])
                    vals.append(coef[hours])
            weight.append(lp.weights[hours])
            k += hours.size
    if not k:
        return sp.csr_matrix((0, lp.compiled.shape[1])), np.zeros(0)
    rows, idx, vals = (np.concatenate(a) for a in (rows, idx, vals))
    keep = idx >= 0
    gaps = sp.csr_matrix((vals[keep], (rows[keep], idx[keep])), shape=(k, lp.compiled.shape[1]))
    return gaps, np.concatenate(weight).astype(float)


def _cost(lp, names, factor=1.0) -> np.ndarray:
    """sum_t w_t factor of the named blocks' entries, as a cost vector over the compiled columns
    (``factor`` broadcast against each block's (units, T) entries)."""
    c = np.zeros(lp.compiled.shape[1])
    for name in names:
        if name in lp.vars:
            b = lp.vars[name]
            keep = b.cols >= 0
            c[b.cols[keep]] += np.broadcast_to(lp.weights * np.asarray(factor), b.cols.shape)[keep]
    return c
