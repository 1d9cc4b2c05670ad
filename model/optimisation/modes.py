"""The three operating modes (DESIGN.md section 2).

- dispatch: minimise cost minus export revenue; export is an outcome.
- target: add  System-export_target:  sum_t w_t X[t] + System-shortfall >= T, with the
  shortfall priced at a penalty, so the target never makes the model infeasible. The dual of
  this row is the target price, what one more MWh of target costs (CNY/MWh), only while the
  target is met; when it is short the dual is the penalty, which is not a price, and the run
  reports the target as out of reach (or short), by how much, and the ceiling instead
  (model/outputs/results.py, target_status). X is the flow out of the cut B (the buses with
  in_export_cut; all buses if none is flagged), net of flows in:

      X[t] = sum over lines l at B of Line-flow[l,t]
           + sum over corridors c leaving B (one end in B) of the flow sent out of B
           - (1 - loss_c) x the flow c brings into B
           - sum over imports i at B of Import-p[i,t]   (unless target.net_of_imports is false)

  Export lines count at the sending end, as their revenue does; flows into B count as they
  arrive. A corridor with both ends in B is internal and counts nothing.
- plan: target mode in which new capacity is a decision too (model/optimisation/expansion.py); the target
  price is then the marginal cost of the target including investment.
- max-export: the export ceiling, lexicographically, in three stages.
  Stage 0 minimises the local load not served: sum_t w_t (Bus-unserved + Heating-unserved)
  (MWh and MWh_th), and keeps it at its least (0 when the system can serve its load), so no
  local load, clean heating included, is ever shed for export, whatever storage losses it
  would save. Stage 1 maximises export in the target's own measure (export less imports when
  target.net_of_imports, across the cut: X above, as System-export_target counts it), so the
  ceiling and target mode measure the same thing. Stage 2 keeps both optima and minimises
  cost: the dispatch is the cheapest among those that serve all load and export the most.
  Each stage keeps the one before within LEXICOGRAPHIC_TOLERANCE (model/optimisation/solve.py).
"""

from __future__ import annotations

import numpy as np

LOCAL_LOAD_ROLES = ("unserved", "heat_unserved")

# What the first tie-break stage draws the least of (model/optimisation/ties.py, stage 1).
TIE_BREAK_ROLES = ("flexible_draw",)


def target_mwh(ctx) -> float:
    return ctx.values["target"]["export_twh"] * 1e6 * ctx.year_fraction


def cut_buses(ctx) -> set:
    flagged = {b for b, spec in ctx.values["buses"].items() if spec["in_export_cut"]}
    return flagged or set(ctx.buses)


def cut_terms(ctx) -> list[tuple[str, str, float]]:
    """(variable name, unit, coefficient) of X[t], the flow out of the cut (module docstring)."""
    inside = cut_buses(ctx)
    terms = [("Line-flow", u, 1.0) for u, spec in ctx.values.get("export_lines", {}).items()
             if spec["bus"] in inside]
    if ctx.values["target"]["net_of_imports"]:
        terms += [("Import-p", u, -1.0) for u, spec in ctx.values.get("imports", {}).items()
                  if spec["bus"] in inside]
    for u, spec in ctx.values.get("corridors", {}).items():
        start, end, keep = spec["from_bus"] in inside, spec["to_bus"] in inside, 1.0 - spec["loss"]
        if start and not end:
            terms += [("Corridor-forward", u, 1.0), ("Corridor-reverse", u, -keep)]
        elif end and not start:
            terms += [("Corridor-reverse", u, 1.0), ("Corridor-forward", u, -keep)]
    return terms


def target_basis(ctx) -> str:
    basis = "export net of imports" if ctx.values["target"]["net_of_imports"] else "export"
    inside = cut_buses(ctx)
    if inside == set(ctx.buses):
        return basis
    return f"flow out of {', '.join(sorted(inside))} net of flows in"


def counted_mwh(ctx, hourly) -> float:
    """The target's measure, sum_t w_t X[t], from the reported hourly columns."""
    return float(sum(coef * np.dot(ctx.weights, hourly[f"{name}[{u}]"])
                     for name, u, coef in cut_terms(ctx)))


def build(lp, ctx):
    if ctx.mode not in ("target", "plan"):
        return
    penalty = ctx.values["target"]["shortfall_penalty_cny_per_mwh"]
    short = lp.var("System-shortfall", ["system"], 0.0, cost=penalty, hourly=False)

    terms = [(1.0, short.index)] + [(sign * ctx.weights, lp.vars[name].items.of(u)[None, :])
                                    for name, u, sign in cut_terms(ctx)]
    lp.rows("System-export_target", ["system"], terms, ">=", target_mwh(ctx), hourly=False)


def _cost(lp, weights: dict) -> np.ndarray:
    c = np.zeros(lp.compiled.shape[1])
    for role, weight in weights.items():
        for b in lp.blocks(role):
            keep = b.cols >= 0
            c[b.cols[keep]] += weight * np.broadcast_to(lp.weights, b.cols.shape)[keep]
    return c


def tie_break_cost(lp) -> np.ndarray:
    return _cost(lp, {r: 1.0 for r in TIE_BREAK_ROLES})


def max_export_stages(lp, ctx) -> list[tuple[str, np.ndarray]]:
    """The lexicographic stages of max-export before the least-cost one: (label, cost vector)."""
    return [("stage 0 of max-export (serve all local load)", _cost(lp, {r: 1.0 for r in LOCAL_LOAD_ROLES})),
            ("stage 1 of max-export (most export, as the target counts it)", _cut_cost(lp, ctx))]


def _cut_cost(lp, ctx) -> np.ndarray:
    """-sum_t w_t X[t] as a cost vector over the compiled columns."""
    c = np.zeros(lp.compiled.shape[1])
    for name, u, coef in cut_terms(ctx):
        b = lp.vars[name]
        cols = b.cols[b.units.index(u)]
        keep = cols >= 0
        c[cols[keep]] -= coef * np.asarray(lp.weights)[keep]
    return c
