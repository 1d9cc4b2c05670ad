"""Buses: the hourly energy balance, and unserved energy priced at the value of lost load.

    Bus-balance[b, t]:  sum of injections into b + Bus-unserved[b, t] == local demand[b, t]

Injections are what the families registered (generation +, exports and outgoing corridor flow -).
The dual of Bus-balance is the hourly price at the bus (CNY/MWh).
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

    def body(b, t):
        coefs = [c for c, _, _ in terms[b]] + [1.0]
        variables = [v[u, t] for _, v, u in terms[b]] + [unserved[b, t]]
        return linear(coefs, variables)

    lp.con("Bus-balance", buses, body, "==", demand)


def report(sol, ctx, rep):
    unserved = sol.value("Bus-unserved")
    price = sol.dual("Bus-balance") / ctx.weights
    for i, b in enumerate(ctx.buses):
        rep.column(f"Bus-unserved[{b}]", unserved[i])
        rep.column(f"Bus-price[{b}]", price[i], "CNY/MWh")
        rep.inject(b, f"Bus-unserved[{b}]", unserved[i])
    rep.add("unserved", "local", unserved.sum(axis=0))
    rep.add("cost", "unserved", ctx.values["system"]["voll_cny_per_mwh"] * unserved.sum(axis=0))
