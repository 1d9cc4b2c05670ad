"""The tie-break stages: documented rules for what the least cost leaves open (every mode).

Surplus wind, PV and run-of-river water cost nothing, so many dispatches share the least cost:
the surplus can be drawn into stores only to be lost, spilled from a river instead of curtailed
at a wind farm, curtailed at one bus instead of another while the corridors between them have
room, or burnt in the losses of flows sent both ways at once. The solver's method, presolve or
the order of the file would choose. Instead, after the least cost (and max-export's stages
before it), each stage below minimises its own objective among the optima of all the stages
before it: on the optimal face of the stage before (solve._tie_break: after each stage's simplex
vertex, the columns with a reduced cost and the rows with a dual are fixed where they sit, so
the next stage moves only among that stage's optima, with no cost row to trade or stall on);
the simplex starts from the last basis. Stage 3's |.| columns and rows stay in the LP for
stage 4, fixed on its face likewise. Prices, the target price and reduced costs stay those of
the least-cost stage (any primal optimum pairs with any dual optimum in an LP).

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

Stages 2 to 4 belong to ``system.curtailment_rule: pro_rata`` (the default); under ``free`` only
stage 1 runs, and any split of curtailment the optimum allows is left to the solver.

Ties that may remain. Thermal units of the same cost at different buses whose flows to a third
bus lose the same (on 1 April of weather year 2, Jiuquan's CHP and Gansu's security units, both
0.31 tce/MWh, each one corridor from Hexi): the curtailment is unique, but the corridor flows
and so Jiuquan's counted export move (92,268 against 92,077 MWh between presolve on and off);
no stage here shares thermal output. Among parallel corridors with the same loss
between the same buses (stage 4 sees only their sum); where a stage's objective is flat along
an edge of the optima before it (a coincidence of the data: e.g. with losses, the rate at which
one group's curtailment replaces another's would have to match the fractions' weights exactly);
the split of spill among rivers where it remains; which hours a bus curtails where stores
can shift energy between hours (on the Jiuquan-only year presolve on and off move 148 MWh
between wind and PV, the total equal); plan mode with wind or PV that may be built
(a share of a variable total is not linear; stage 3 is left out, said in the summary); and
``system.share_curtailment_across_buses: false``, which leaves stage 3 out (said likewise).
"""

from __future__ import annotations

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


def stages(lp, ctx) -> list[Stage]:
    """The stages that have something to decide in this LP, in order."""
    n = lp.compiled.shape[1]
    out = [Stage("draw", modes.tie_break_cost(lp), nothing="nothing drawn into stores or boilers")]
    if curtailment.rule(ctx) == "pro_rata":  # free leaves every split of curtailment open
        out += [Stage("spill", -_cost(lp, ["Hydro-p"])), share(lp, ctx),
                Stage("transport", _cost(lp, [b.name for b in lp.blocks("corridor")]),
                      nothing="no corridor flow")]
    return [s for s in out if s is not None and (np.any(s.cost) or s.gaps is not None and s.gaps.nnz)
            and len(s.cost) == n]


def left_open(lp, ctx) -> str:
    """What the stages cannot decide in this LP, for the summary ("" when nothing)."""
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
    total = avail.sum(axis=0)
    alpha = np.divide(avail, total, out=np.zeros_like(avail), where=total > 0)
    rows, cols, vals, weight = [], [], [], []
    k = 0
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            for t in np.flatnonzero((alpha[i] > 0) & (alpha[j] > 0)):
                for b in np.flatnonzero(member[i]):  # -a[h] VRE-p[g]
                    rows.append(k), cols.append(block.cols[b, t]), vals.append(-alpha[j, t])
                for b in np.flatnonzero(member[j]):  # +a[g] VRE-p[h]
                    rows.append(k), cols.append(block.cols[b, t]), vals.append(alpha[i, t])
                weight.append(lp.weights[t])
                k += 1
    cols = np.asarray(cols, dtype=np.int64)
    keep = cols >= 0
    gaps = sp.csr_matrix((np.asarray(vals)[keep], (np.asarray(rows)[keep], cols[keep])),
                         shape=(k, lp.compiled.shape[1]))
    return Stage("share", np.zeros(lp.compiled.shape[1]), gaps, np.asarray(weight, dtype=float))


def _cost(lp, names) -> np.ndarray:
    """sum_t w_t of the named blocks' entries, as a cost vector over the compiled columns."""
    c = np.zeros(lp.compiled.shape[1])
    for name in names:
        if name in lp.vars:
            b = lp.vars[name]
            keep = b.cols >= 0
            c[b.cols[keep]] += np.broadcast_to(lp.weights, b.cols.shape)[keep]
    return c
