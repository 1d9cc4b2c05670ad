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
"""

from __future__ import annotations

import numpy as np

from .lp import linear


def build(lp, ctx):
    buses = ctx.buses
    voll = ctx.values["system"]["voll_cny_per_mwh"]
    unserved = lp.var("Bus-unserved", buses, 0.0, cost=voll, role="unserved")
    terms = {b: lp.balance.get(b, []) for b in buses}
    demand = np.array([ctx.demand[b] for b in buses])

    # A row's coefficients are its bus's, whatever the hour: one list per bus, shared by its rows
    coefs = {b: [c for c, _, _ in terms[b]] + [1.0] for b in buses}

    def body(b, t):
        return linear(coefs[b], [v[u, t] for _, v, u in terms[b]] + [unserved[b, t]])

    lp.con("Bus-balance", buses, body, "==", demand)
    supported = [b for b in buses if lp.sync_need.get(b)]
    if supported:
        sync = {b: [c for c, _, _, _ in lp.synchronous[b]] + [-r for r, _, _ in lp.sync_need[b]]
                for b in supported}
        lp.con("Bus-sync_support", supported, lambda b, t: linear(
            sync[b], [v[u, t] if hourly else v[u] for _, v, u, hourly in lp.synchronous[b]]
            + [v[u, t] for _, v, u in lp.sync_need[b]]), ">=")


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
        rep.scalars["sync_support_binding_hours"] = {b: int((np.abs(dual[i]) > 1e-6) @ ctx.weights)
                                                     for i, b in enumerate(block.units)}
        for i, b in enumerate(block.units):
            rep.column(f"Bus-sync_support_price[{b}]", dual[i] / ctx.weights, "CNY/MW")
    rep.add("cost", "unserved", ctx.values["system"]["voll_cny_per_mwh"] * unserved.sum(axis=0))
