"""The three operating modes (DESIGN.md section 2).

- dispatch: minimise cost minus export revenue; export is an outcome.
- target: add  System-export_target:  sum_t w_t (sum_l Line-flow[l,t] - sum_i Import-p[i,t])
  + System-shortfall >= T  (imports subtracted unless target.net_of_imports is false), with the
  shortfall priced at a penalty, so the target never makes the model infeasible. The dual of
  this row is the target price, what one more MWh of target costs (CNY/MWh), only while the
  target is met; when it is short the dual is the penalty, which is not a price, and the run
  reports the target as out of reach (or short), by how much, and the ceiling instead
  (model/results.py, target_status).
- plan: target mode in which new capacity is a decision too (model/expansion.py); the target
  price is then the marginal cost of the target including investment.
- max-export: the export ceiling, lexicographically, in three stages.
  Stage 0 minimises the local load not served: sum_t w_t (Bus-unserved + Heating-unserved)
  (MWh and MWh_th), and keeps it at its least (0 when the system can serve its load), so no
  local load, clean heating included, is ever shed for export, whatever storage losses it
  would save. Stage 1 maximises export in the target's own measure (export less imports when
  target.net_of_imports, as System-export_target counts it), so the ceiling and target mode
  measure the same thing. Stage 2 keeps both optima and minimises cost: the dispatch is the
  cheapest among those that serve all load and export the most.
  Each stage keeps the one before within LEXICOGRAPHIC_TOLERANCE (model/solve.py).
"""

from __future__ import annotations

import numpy as np

from .lp import linear

LOCAL_LOAD_ROLES = ("unserved", "heat_unserved")

# The tie-break stage (every mode). Surplus wind and PV cost nothing, so an optimum may use it or
# curtail it: it can be drawn into heat stores and batteries only to be lost, and the optimum is
# no dearer. The rule: among the optima (kept within LEXICOGRAPHIC_TOLERANCE of the least cost),
# the one that draws the least electricity into stores and boilers (sum_t w_t of storage charge
# and clean-heating draw), so no energy is drawn only to be lost and curtailment is what is
# really surplus. Prices, the target price and reduced costs stay those of the least-cost stage
# (any primal optimum pairs with any dual optimum in an LP).
TIE_BREAK_ROLES = ("flexible_draw",)


def target_mwh(ctx) -> float:
    return ctx.values["target"]["export_twh"] * 1e6 * ctx.year_fraction


def target_roles(ctx) -> dict:
    """What the target measures: export, less imports when net_of_imports."""
    return {"export": 1.0, "import": -1.0} if ctx.values["target"]["net_of_imports"] else {"export": 1.0}


def build(lp, ctx):
    if ctx.mode not in ("target", "plan"):
        return
    penalty = ctx.values["target"]["shortfall_penalty_cny_per_mwh"]
    short = lp.var("System-shortfall", ["system"], 0.0, cost=penalty, hourly=False)

    def body(_):
        coefs, variables = [1.0], [short["system"]]
        for role, sign in target_roles(ctx).items():
            w = (sign * ctx.weights).tolist()
            for b in lp.blocks(role):
                for u in b.units:
                    coefs.extend(w)
                    variables.extend(b.items[u, t] for t in lp.hours)
        return linear(coefs, variables)

    lp.con("System-export_target", ["system"], body, ">=", target_mwh(ctx), hourly=False)


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
            ("stage 1 of max-export (most export, as the target counts it)",
             _cost(lp, {role: -sign for role, sign in target_roles(ctx).items()}))]
