"""The three operating modes (DESIGN.md section 2).

- dispatch: minimise cost minus export revenue; export is an outcome.
- target: add  System-export_target:  sum_t w_t (sum_l Line-flow[l,t] - sum_i Import-p[i,t])
  + System-shortfall >= T  (imports subtracted unless target.net_of_imports is false), with the
  shortfall priced at a penalty, so the target never makes the model infeasible. The dual of
  this row is the target price: what one more MWh of target costs (CNY/MWh).
- plan: target mode in which new capacity is a decision too (model/expansion.py); the target
  price is then the marginal cost of the target including investment.
- max-export: the export ceiling, lexicographically. Stage 1 minimises
  -export + 2 * imports + 4 * unserved (MWh); the weights above 1 make sure neither importing nor
  shedding local load is ever traded for export. Stage 2 keeps stage 1's optimum and minimises
  cost, so the dispatch is the cheapest among those with the most export.
"""

from __future__ import annotations

import numpy as np

from .lp import linear

STAGE_ONE_WEIGHTS = {"export": -1.0, "import": 2.0, "unserved": 4.0}


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


def stage_one_cost(lp) -> np.ndarray:
    """The max-export objective as a cost vector over the compiled columns."""
    c = np.zeros(lp.compiled.shape[1])
    for role, weight in STAGE_ONE_WEIGHTS.items():
        for b in lp.blocks(role):
            keep = b.cols >= 0
            c[b.cols[keep]] += weight * np.broadcast_to(lp.weights, b.cols.shape)[keep]
    return c
