"""Export lines (UHV DC, 750 kV AC) from a bus to a receiving market.

With F[t] = min(capacity, operating_limit) * availability[t] (0 before the in-service date):

    Line-flow[l,t]  in [min_load * F[t], F[t]]   MW sent; export is counted at the sending end
    Line-ramp_up:   f[t] - f[t-1] <= ramp h[t]   (if ramp_mw_per_h is set; the year wraps around;
    Line-ramp_down: f[t-1] - f[t] <= ramp h[t]    h[t] as for thermal ramps: 1 hour unmerged)
    Line-block:     f[t] - f[t-1] == 0           inside schedule blocks (DC day-ahead schedules
                                                 hold the flow constant for block_hours; with
                                                 merged hours, between steps whose boundary
                                                 falls inside a block: exact for the hours)
    Line-quota:     sum_t w f + shortfall >= quota * year share   (soft annual contract quota)
    Line-volume:    sum_t w f <= volume_max * year share          (annual volume the receiving
                                                                   end takes, if set)
    Line-delivery_<l>: s[t*] f[t] - s[t] f[t*] == 0 for every step t of a day, t* the day's step
                    of largest s: with a delivery shape s, the day's flow follows the schedule's
                    shape (送电曲线) at a level the model chooses day by day

A line with sync_support_ratio r needs r MW of synchronous capacity at its bus per MW of flow
(Bus-sync_support, built with the bus balance once every family has declared its machines).
Revenue per MWh sent: (1 - loss) * receiving-end price - transmission tariff; in the objective
except in plan mode's least-cost form (plan.count_export_revenue false), where it is only reported.
Plan mode may add line capacity (Line-new_capacity) and synchronous condensers at a supported DC
line's bus (Line-new_condenser, counted in Bus-sync_support every hour: a schedule upgrade).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..errors import InputError
from ..inputs.schema import REQUIRED, Param
from ..optimisation import expansion
from .base import BUS, IN_SERVICE, Family, previous, ramp_hours


@dataclass
class Data:
    units: list
    bus: list
    rating: np.ndarray  # (U,) MW usable: min(capacity, operating limit)
    ub: np.ndarray  # (U, T)
    lb: np.ndarray  # (U, T)
    net_revenue: np.ndarray  # (U, T) CNY per MWh sent
    flow_cost: np.ndarray  # (U, T) objective per MWh sent: -net_revenue, or 0 for a plan's least cost
    loss: np.ndarray  # (U,)
    ramp: list  # (U,) MW/h or None
    block_hours: list
    sync_ratio: list  # (U,) or None
    availability: np.ndarray  # (U, T)
    build: np.ndarray  # (U,) plan mode: MW of line that may be added
    build_cost: np.ndarray  # (U,) CNY per MW added
    condenser_build: np.ndarray  # (U,) plan mode: MW of synchronous condensers that may be added
    condenser_cost: np.ndarray  # (U,) CNY per MW
    quota_mwh: np.ndarray  # (U,) for the modelled hours
    quota_penalty: np.ndarray
    volume_mwh: list  # (U,) for the modelled hours, or None
    shape: list  # (U,) of (T,) delivery shapes, or None


class ExportLine(Family):
    key, name = "export_lines", "Line"
    doc = "Export lines to receiving markets."
    params = {
        "bus": BUS,
        "capacity_mw": Param("MW", REQUIRED, "Rated capacity.", min=0),
        "operating_limit_mw": Param("MW", None, "Highest flow allowed in operation when below the "
                                    "rating (for example for lack of synchronous support); none: "
                                    "the rating.", min=0),
        "availability": Param("-", 1.0, "Hourly available fraction of capacity (maintenance, "
                              "outages).", kind="profile", profile="availability"),
        "loss": Param("-", 0.0, "Fraction of the energy sent that is lost on the way.", min=0, max=1,
                      below_max=True),
        "price_cny_per_mwh": Param("CNY/MWh", 0.0, "Receiving-end price.", kind="profile", profile="price"),
        "tariff_cny_per_mwh": Param("CNY/MWh", 0.0, "Transmission tariff per MWh sent.", min=0),
        "in_service": IN_SERVICE,
        "min_load": Param("-", 0.0, "Lowest flow when in service, as a fraction of the available "
                          "capacity.", min=0, max=1),
        "ramp_mw_per_h": Param("MW/h", None, "Largest hourly change of flow; none: no limit.", min=0, structural=True),
        "block_hours": Param("h", 1, "Flow is constant within blocks of this many hours, aligned to "
                             "midnight (DC schedules).", kind="choice", choices=(1, 2, 3, 4, 6, 8, 12, 24),
                             structural=True),
        "sync_support_ratio": Param("-", None, "Synchronous capacity needed at the sending bus per MW of "
                                "flow (DC lines: short-circuit strength against commutation failure); "
                                "none: no requirement.", min=0, structural=True),
        "quota_twh": Param("TWh/yr", 0.0, "Annual contract quota (soft; pro rata for shorter runs).", min=0,
                           structural=True),
        "quota_penalty_cny_per_mwh": Param("CNY/MWh", 0.0, "Price of each MWh short of the quota.", min=0),
        "delivery_shape": Param("-", None, "Shape of the day's delivery schedule (送电曲线) "
                                "in [0, 1]; the flow is this shape times a level chosen each "
                                "day. None: any hourly flow.", kind="profile", profile="availability",
                                structural=True),
        "volume_max_twh": Param("TWh/yr", None, "Largest annual volume the receiving end takes (a "
                                "contract's volume; pro rata for shorter runs); none: no limit.",
                                min=0, structural=True),
    }
    dim = expansion.Dim("capacity", "mw", "kw", 3300.0, 30.0, "assumption: about the cost per kW of the "
                        "Jiuquan-Hunan line; not in FACTS")
    # A schedule upgrade: condensers at the sending end spin without generating, so a DC line held
    # down by its synchronous support may carry more (Bus-sync_support counts them).
    condenser = expansion.Dim("condenser", "mw", "kw", 400.0, 8.0, "assumption: synchronous condensers, "
                              "per kVA counted as MW of synchronous capacity; not in FACTS")
    params.update(expansion.declare([dim, condenser], 40, "assumption"))

    def prepare(self, units, ctx):
        self.check_buses(units, ctx)
        names = list(units)
        col = partial(self.column, units)
        cap = col("capacity_mw")
        limit = np.array([cap[i] if units[u]["operating_limit_mw"] is None else units[u]["operating_limit_mw"]
                          for i, u in enumerate(names)], dtype=float)
        rating = np.minimum(cap, np.maximum(limit, 0.0))
        price = self.hourly(units, "price_cny_per_mwh", ctx)
        avail = self.hourly(units, "availability", ctx) * self.in_service(units, ctx)
        ub = rating[:, None] * avail
        build = expansion.build_limits(units, self.dim, ctx)
        condensers = expansion.build_limits(units, self.condenser, ctx)
        for i, u in enumerate(names):
            if condensers[i] > 0 and not units[u]["sync_support_ratio"]:
                key = f"{self.key}.{u}.{self.condenser.build_max}"
                raise InputError(ctx.scenario.file_of(key), key, "condensers only help a line with a "
                                 "sync_support_ratio; expected 0 here")
        loss = col("loss")
        net_revenue = (1 - loss)[:, None] * price - col("tariff_cny_per_mwh")[:, None]
        least_cost = ctx.mode == "plan" and not ctx.values["plan"]["count_export_revenue"]
        return Data(names, [units[u]["bus"] for u in names], rating, ub, col("min_load")[:, None] * ub,
                    net_revenue, 0.0 * net_revenue if least_cost else -net_revenue, loss,
                    [units[u]["ramp_mw_per_h"] for u in names], [units[u]["block_hours"] for u in names],
                    [units[u]["sync_support_ratio"] for u in names], avail, build,
                    expansion.annual_cost(units, self.dim, ctx), condensers,
                    expansion.annual_cost(units, self.condenser, ctx),
                    col("quota_twh") * 1e6 * ctx.year_fraction, col("quota_penalty_cny_per_mwh"),
                    [None if units[u]["volume_max_twh"] is None
                     else units[u]["volume_max_twh"] * 1e6 * ctx.year_fraction for u in names],
                    [self._shape(units, u, ctx) for u in names])

    def _shape(self, units, u, ctx):
        if units[u]["delivery_shape"] is None:
            return None
        key = f"{self.key}.{u}.delivery_shape"
        shape = ctx.profile(units[u]["delivery_shape"], "availability", key)
        day, dates = ctx.days()
        peak = np.zeros(len(dates))
        np.maximum.at(peak, day, shape)
        if not peak.all():
            raise InputError(ctx.scenario.file_of(key), key, f"is 0 all day on "
                             f"{dates[int(np.argmin(peak))]}; expected a positive value each day")
        return shape

    def build(self, lp, d, ctx):
        n = ctx.n
        f = lp.var("Line-flow", d.units, d.lb, d.ub + d.build[:, None] * d.availability, cost=d.flow_cost,
                   role="export")
        expansion.link(lp, "Line", self.dim, d.units, d.build, d.build_cost, d.availability, [(f, d.rating)])
        F, prev = f.index, previous(n)
        at = [i for i, r in enumerate(d.ramp) if r is not None]
        if at:
            r = np.array([d.ramp[i] for i in at])[:, None] * ramp_hours(ctx)
            lines, flow = [d.units[i] for i in at], F[at]
            lp.rows("Line-ramp_up", lines, [(1.0, flow), (-1.0, flow[:, prev])], "<=", r)
            lp.rows("Line-ramp_down", lines, [(1.0, flow[:, prev]), (-1.0, flow)], "<=", r)
        blocked = [(i, b) for i, b in enumerate(d.block_hours) if b > 1]
        hour = ctx.index.hour.to_numpy()
        for b in sorted({b for _, b in blocked}):
            at = [i for i, bb in blocked if bb == b]
            inside = np.array([t for t in range(1, n) if hour[t] % b], dtype=int)
            flow = F[at]
            lp.rows(f"Line-block_{b}h", [d.units[i] for i in at],
                    [(1.0, flow[:, inside]), (-1.0, flow[:, inside - 1])], "==",
                    hours=inside.tolist())
        quota = np.flatnonzero(d.quota_mwh > 0)
        if quota.size:
            names = [d.units[i] for i in quota]
            short = lp.var("Line-quota_shortfall", names, 0.0, cost=d.quota_penalty[quota], hourly=False)
            lp.rows("Line-quota", names, [(ctx.weights, F[quota]), (1.0, short.index)],
                    ">=", d.quota_mwh[quota], hourly=False)
        day = ctx.days()[0]
        for u, shape in zip(d.units, d.shape):
            if shape is None:
                continue
            # the step of each day where the shape peaks: every other step is tied to it
            order = np.lexsort((-shape, day))
            first = np.r_[True, day[order][1:] != day[order][:-1]]
            peak = np.empty(n, dtype=int)
            peak_of_day = dict(zip(day[order][first], order[first]))
            peak[:] = [peak_of_day[k] for k in day]
            tied = np.flatnonzero(peak != np.arange(n))
            flow = f.of(u)[None, :]
            lp.rows(f"Line-delivery_{u}", [u], [(shape[peak[tied]], flow[:, tied]),
                                                (-shape[tied], flow[:, peak[tied]])],
                    "==", hours=tied.tolist())
        capped = [(i, v) for i, v in enumerate(d.volume_mwh) if v is not None]
        if capped:
            at = [i for i, _ in capped]
            lp.rows("Line-volume", [d.units[i] for i in at], [(ctx.weights, F[at])], "<=",
                    np.array([v for _, v in capped]), hourly=False)
        condensers = expansion.link(lp, "Line", self.condenser, d.units, d.condenser_build, d.condenser_cost,
                                    d.availability, [])
        for u, bus, ratio in zip(d.units, d.bus, d.sync_ratio):
            lp.inject(bus, f, u, -1.0)
            if ratio:
                lp.sync_need[bus].append((ratio, f, u))
            if condensers and u in condensers:
                lp.add_synchronous(bus, condensers, u)

    def report(self, sol, d, ctx, rep):
        f = sol.value("Line-flow")
        rating = d.rating + expansion.report(sol, "Line", self.dim, d.units, d.rating, d.build_cost, rep)
        expansion.report(sol, "Line", self.condenser, d.units, 0 * d.rating, d.condenser_cost, rep)
        ub = rating[:, None] * d.availability
        rc = sol.reduced_cost("Line-flow")
        for i, u in enumerate(d.units):
            col = f"Line-flow[{u}]"
            rep.column(col, f[i])
            # The value of one more MW of line in that hour (the bound's dual, CNY/MWh).
            rep.column(f"Line-congestion_price[{u}]", np.maximum(-rc[i], 0.0) / ctx.weights, "CNY/MWh")
            rep.inject(d.bus[i], col, -f[i])
            rep.add("export", u, f[i])
            rep.add("export_loss", u, d.loss[i] * f[i])
            rep.add("revenue", u, d.net_revenue[i] * f[i])
        at_limit = (f >= ub - 1e-6) & (ub > 0)
        rep.scalars["line_hours_at_limit"] = dict(zip(d.units, (at_limit @ ctx.weights).astype(int).tolist()))
        rep.scalars["line_rating_mw"] = dict(zip(d.units, rating.tolist()))
        quota = np.flatnonzero(d.quota_mwh > 0)
        if quota.size:
            short = sol.value("Line-quota_shortfall")
            rep.scalars["quota_shortfall_mwh"] = {d.units[i]: float(x) for i, x in zip(quota, short)}
            rep.scalars["quota_penalty_cny"] = float(np.dot(short, d.quota_penalty[quota]))
