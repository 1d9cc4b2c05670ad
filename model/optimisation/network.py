"""Buses: the hourly energy balance, and unserved energy priced at the value of lost load.

    Bus-balance[b, t]:  sum of injections into b + Bus-unserved[b, t] == local demand[b, t]

Injections are what the families registered (generation +, exports and outgoing corridor flow -).
The dual of Bus-balance is the hourly price at the bus (CNY/MWh). When the target is short, its
shortfall penalty flows into every dual (in an hour whose marginal MWh is exported, the whole
penalty): Bus-price is then the dual without that term, read from the same optimal basis (model/
solve.py, _energy_prices), and the term is kept apart as Bus-target_term. A target met at a
marginal cost below the penalty stays in the price: it is a cost. In max-export the prices are
those of the least-cost stage, with the ceiling held.

    Bus-sync_support[b, t]:  sum of synchronous capacity at b - sum_l r_l Line-flow[l, t] >= 0

for the DC lines at b that need support (coal and CHP committed capacity, hydro, CSP and
pumped-hydro machines count, and synchronous condensers a plan adds; batteries and wind
and PV, being inverter-based, do not). Its dual
is the value of one more MW of spinning capacity for export (CNY/MW in that hour).

An hour counts as one with the support binding (``sync_support_binding_hours``) when, in the
reported dispatch, the supported lines carry all the synchronous capacity allows (the row's
slack at most SUPPORT_TOLERANCE of that capacity, or of 1 MW; also where a line is at its
rating too, and where nothing spins and nothing flows): a primal figure, unique where the
dispatch is. The dual
would say the same at a nondegenerate optimum, but where the row is tight with the dual 0 (or
a dual is 0 at one optimal vertex and not another) the count moved with the solver's settings:
198 against 202 h on the 2019 context year (README, "What the figures mean").
"""

from __future__ import annotations

import numpy as np

from .lp import ragged

# The slack, relative to the capacity spinning, below which the row is held: on the 2019 context
# year (before the backcast's re-tuning) the count is the same from 1e-9 to 1e-6 (240 h; 249 h
# since, presolve on and off) and 793 h at 1e-3 (slacks of 0.06-0.6 MW, hours the support does
# not hold).
SUPPORT_TOLERANCE = 1e-6


def build(lp, ctx):
    buses = ctx.buses
    voll = ctx.values["system"]["voll_cny_per_mwh"]
    unserved = lp.var("Bus-unserved", buses, 0.0, cost=voll, role="unserved")
    demand = np.array([ctx.demand[b] for b in buses])
    n = lp.n_hours
    injected = [[(c, v.of(u)) for c, v, u in lp.balance.get(b, [])] + [(1.0, unserved.of(b))]
                for b in buses]
    lp.rows("Bus-balance", buses, ragged(injected, n), "==", demand)
    supported = [b for b in buses if lp.sync_need.get(b)]
    if supported:  # a spinning variable that is not hourly (a condenser) stands in every hour
        lp.rows("Bus-sync_support", supported, ragged([
            [(c, v.of(u)) for c, v, u in lp.synchronous[b]]
            + [(-r, v.of(u)) for r, v, u in lp.sync_need[b]] for b in supported], n), ">=")


def energy_price(sol) -> np.ndarray:
    """Bus-balance duals without the target's term (model/optimisation/solve.py, _energy_prices)."""
    b = sol.lp.cons["Bus-balance"]
    return np.where(b.rows >= 0, sol.energy_row_dual[np.maximum(b.rows, 0)], 0.0)


def report(sol, ctx, rep):
    unserved = sol.value("Bus-unserved")
    full = sol.dual("Bus-balance") / ctx.weights
    price = energy_price(sol) / ctx.weights if sol.energy_row_dual is not None else full
    for i, b in enumerate(ctx.buses):
        rep.column(f"Bus-unserved[{b}]", unserved[i])
        rep.column(f"Bus-price[{b}]", price[i], "CNY/MWh")
        if price is not full:
            rep.column(f"Bus-target_term[{b}]", full[i] - price[i], "CNY/MWh")
        rep.inject(b, f"Bus-unserved[{b}]", unserved[i])
    rep.add("unserved", "local", unserved.sum(axis=0))
    if "Bus-sync_support" in sol.lp.cons:
        block = sol.lp.cons["Bus-sync_support"]
        dual = sol.dual("Bus-sync_support")
        held = support_binding(sol)
        rep.scalars["sync_support_binding_hours"] = {b: int(round(float(held[i] @ ctx.weights)))
                                                     for i, b in enumerate(block.units)}
        for i, b in enumerate(block.units):
            rep.column(f"Bus-sync_support_price[{b}]", dual[i] / ctx.weights, "CNY/MW")
    rep.add("cost", "unserved", ctx.values["system"]["voll_cny_per_mwh"] * unserved.sum(axis=0))


def support_binding(sol) -> np.ndarray:
    """(B, T) True where Bus-sync_support holds the supported lines at bus b in step t: the row's
    slack at most SUPPORT_TOLERANCE of the synchronous capacity spinning (or of 1 MW)."""
    c = sol.lp.compiled
    rows = sol.lp.cons["Bus-sync_support"].rows
    out = np.zeros(rows.shape, dtype=bool)
    live = rows >= 0
    body = c.A.tocsr()[rows[live]]  # spinning capacity - sum_l r_l flow_l >= 0
    slack, spinning = body @ sol.x, body.maximum(0) @ sol.x
    out[live] = slack <= SUPPORT_TOLERANCE * np.maximum(1.0, spinning)
    return out
