"""The same system as a PyPSA network, for outside engineers to check or extend.

Made from the prepared data the LP is built from (model/optimisation/build.py), so every number is the one
this model solves with: generators with p_max_pu, links for export lines and corridors, storage
units, loads, unserved energy at the value of lost load, and the export target as a global
constraint. What PyPSA's linear model cannot say in the same terms is listed in
``network.meta["not_expressed"]``; with none of it in play, PyPSA's optimum equals this model's.
"""

from __future__ import annotations

import numpy as np

from .. import progress
from ..errors import InputError
from ..optimisation import modes

UNSERVED_MW = 1e6  # a bound PyPSA needs on the slack; no Jiuquan bus comes near it
SUPPORTED = {"wind", "pv", "hydro", "coal", "chp", "battery", "pumped_hydro", "demand", "imports",
             "export_lines", "corridors"}


def network(built):
    """A pypsa.Network of ``built`` (a prepared scenario)."""
    import pandas as pd
    import pypsa

    ctx, data = built.ctx, built.data
    other = sorted(set(data) - SUPPORTED)
    if other:
        raise InputError(ctx.scenario.path, ", ".join(other), "no PyPSA counterpart written for these "
                         f"families yet; the export covers {', '.join(sorted(SUPPORTED))}")
    n = pypsa.Network()
    snapshots = pd.DatetimeIndex(ctx.index).tz_localize(None)  # netCDF keeps no time zone
    n.set_snapshots(snapshots)
    for column in n.snapshot_weightings.columns:  # merged hours weigh what they stand for
        n.snapshot_weightings[column] = ctx.weights
    series = _series(snapshots)
    notes = []
    for bus in ctx.buses:
        n.add("Bus", bus, carrier="AC")
    penalty = ctx.values["system"]["curtailment_penalty_cny_per_mwh"]
    constant = _renewables(n, data, series, penalty, ctx.weights, notes)
    _thermal(n, data, series, notes)
    _storage(n, data, series, ctx, notes)
    _demand_and_slack(n, data, ctx, series)
    _imports(n, data, series)
    _lines(n, data, series, notes)
    _corridors(n, data, series)
    _target(n, ctx, data, notes)
    from .. import __version__

    # PyPSA's objective has no constant: add objective_constant_cny to compare with this model's.
    n.meta = {"made_by": f"hexi {__version__}", "scenario": ctx.values["name"], "mode": ctx.mode,
              "objective_constant_cny": constant, "not_expressed": notes}
    return n


def _series(snapshots):
    import pandas as pd

    def frame(names, values):
        return pd.DataFrame(np.asarray(values, dtype=float).T, index=snapshots, columns=list(names))
    return frame


def _pu(values, p_nom):
    return np.divide(values, p_nom[:, None], out=np.zeros_like(values, dtype=float),
                     where=p_nom[:, None] > 0)


def _renewables(n, data, series, penalty, weights, notes) -> float:
    """Renewables; the curtailment penalty as in the LP: -penalty on output, plus a constant
    (penalty times what was available), which is returned."""
    constant = 0.0
    for key in ("wind", "pv", "hydro"):
        d = data.get(key)
        if d is None:
            continue
        n.add("Generator", [f"{key}:{u}" for u in d.units], bus=d.bus, carrier=key, p_nom=d.capacity,
              p_max_pu=series([f"{key}:{u}" for u in d.units], d.availability),
              marginal_cost=d.vom - penalty)
        constant += penalty * float(np.sum(d.available * weights))
        if d.build.any():
            notes.append(f"{key}: plan-mode additions are not exported (capacity as built)")
        if key == "hydro":
            notes.append("hydro counts as synchronous capacity for DC support: not expressed")
    return constant


def _thermal(n, data, series, notes):
    for key in ("coal", "chp"):
        d = data.get(key)
        if d is None:
            continue
        names = [f"{key}:{u}" for u in d.units]
        cap = np.maximum(d.k.max(axis=1), 0.0)
        n.add("Generator", names, bus=d.bus, carrier=key, p_nom=cap, marginal_cost=d.energy_cost,
              p_max_pu=series(names, _pu(d.k, cap)), p_min_pu=series(names, _pu(d.must, cap)))
        if (d.m > 0).any() or (d.startup > 0).any():
            notes.append(f"{key}: linearised commitment (minimum stable load of committed capacity, "
                         "start-up costs) not expressed; run with min_stable_load 0 and "
                         "startup_cost_cny_per_mw 0 to compare")
        if (d.ramp < 1).any():
            notes.append(f"{key}: ramp limits with start-up allowance not expressed")


def _storage(n, data, series, ctx, notes):
    for key in ("battery", "pumped_hydro"):
        d = data.get(key)
        if d is None:
            continue
        names = [f"{key}:{u}" for u in d.units]
        p_nom = np.maximum(d.p_in.max(axis=1), d.p_out.max(axis=1))
        energy = d.energy.max(axis=1)
        if not (np.allclose(d.energy, energy[:, None]) and d.on.all()):
            notes.append(f"{key}: an in-service date within the run is not expressed (rated all along)")
        n.add("StorageUnit", names, bus=d.bus, carrier=key, p_nom=p_nom,
              max_hours=np.divide(energy, p_nom, out=np.zeros_like(energy), where=p_nom > 0),
              p_max_pu=series(names, _pu(d.p_out, p_nom)), p_min_pu=series(names, -_pu(d.p_in, p_nom)),
              efficiency_store=d.eta_in, efficiency_dispatch=d.eta_out, standing_loss=d.loss,
              marginal_cost=d.cost, cyclic_state_of_charge=True)
        if key == "pumped_hydro":
            notes.append("pumped hydro counts as synchronous capacity for DC support: not expressed")


def _demand_and_slack(n, data, ctx, series):
    d = data.get("demand")
    if d is not None:
        names = [f"demand:{u}" for u in d.units]
        n.add("Load", names, bus=d.bus, p_set=series(names, d.load))
    voll = ctx.values["system"]["voll_cny_per_mwh"]
    n.add("Generator", [f"unserved:{b}" for b in ctx.buses], bus=ctx.buses, carrier="unserved",
          p_nom=UNSERVED_MW, marginal_cost=voll)


def _imports(n, data, series):
    d = data.get("imports")
    if d is None:
        return
    names = [f"imports:{u}" for u in d.units]
    p_nom = np.maximum(d.ub.max(axis=1), 0.0)
    n.add("Generator", names, bus=d.bus, carrier="import", p_nom=p_nom,
          p_max_pu=series(names, _pu(d.ub, p_nom)), marginal_cost=series(names, d.price))


def _lines(n, data, series, notes):
    """An export line: a link to the receiving market's bus, where a sink takes what is sent;
    the link's marginal cost is minus the net revenue per MWh sent (as in the LP's objective)."""
    d = data.get("export_lines")
    if d is None:
        return
    names = [f"export:{u}" for u in d.units]
    markets = [f"market:{u}" for u in d.units]
    p_nom = np.maximum(d.ub.max(axis=1), 0.0)
    n.add("Bus", markets, carrier="export")
    n.add("Link", names, bus0=d.bus, bus1=markets, carrier="export", p_nom=p_nom, efficiency=1.0,
          p_max_pu=series(names, _pu(d.ub, p_nom)), p_min_pu=series(names, _pu(d.lb, p_nom)),
          marginal_cost=series(names, d.flow_cost))
    n.add("Generator", [f"sink:{u}" for u in d.units], bus=markets, carrier="export", p_nom=p_nom,
          p_min_pu=-1.0, p_max_pu=0.0)
    if any(r is not None for r in d.ramp):
        notes.append("export lines: ramp limits not expressed")
    if any(b > 1 for b in d.block_hours):
        notes.append("export lines: constant-flow schedule blocks not expressed")
    if any(d.sync_ratio):
        notes.append("export lines: synchronous support (Bus-sync_support: r MW of spinning "
                     "capacity a MW of DC flow) not expressed")
    if (d.quota_mwh > 0).any():
        notes.append("export lines: soft contract quotas not expressed")


def _corridors(n, data, series):
    d = data.get("corridors")
    if d is None:
        return
    for direction, start, end, flow in (("forward", d.start, d.end, d.fwd),
                                        ("reverse", d.end, d.start, d.rev)):
        names = [f"corridor:{u}:{direction}" for u in d.units]
        p_nom = np.maximum(flow.max(axis=1), 0.0)
        n.add("Link", names, bus0=start, bus1=end, carrier="corridor", p_nom=p_nom,
              efficiency=1.0 - d.loss, p_max_pu=series(names, _pu(flow, p_nom)))


def _target(n, ctx, data, notes):
    """The target as a hard limit on what the sinks take (their output is minus the export)."""
    if ctx.mode not in ("target", "plan") or "export_lines" not in data:
        return
    n.add("GlobalConstraint", "export_target", type="operational_limit", carrier_attribute="export",
          sense="<=", constant=-modes.target_mwh(ctx))
    notes.append("export target: hard in PyPSA; here soft, its shortfall priced at "
                 f"{ctx.values['target']['shortfall_penalty_cny_per_mwh']:g} CNY/MWh")
    if ctx.values["target"]["net_of_imports"] and "imports" in data:
        notes.append("export target: measured net of imports here, gross in PyPSA")
    if ctx.mode == "plan":
        notes.append("plan mode: capacity additions not exported (the network as built)")


def export(built, folder):
    """Write ``network.nc`` (and notes) into ``folder``, a fresh folder the tool owns."""
    net = network(built)
    progress.stage(f"writing {folder}/network.nc")
    net.export_to_netcdf(folder / "network.nc")
    lines = net.meta["not_expressed"] or ["nothing: PyPSA's optimum is this model's"]
    (folder / "notes.txt").write_text("Not expressed in the PyPSA network:\n" +
                                      "".join(f"- {x}\n" for x in lines), encoding="utf-8")
    return net
