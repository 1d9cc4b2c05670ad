"""Declarations of the scenario's top-level sections that are not component families."""

from .schema import Param

MODES = ("dispatch", "target", "max-export", "plan")

TOP = {
    "name": Param("-", None, "Run name; results go to results/<name>/. Defaults to the file name.",
                  kind="string"),
    "title": Param("-", None, "The scenario's name in reports, charts and workbooks, in both report "
                   "languages: {zh: ..., en: ...}. None: the run name.", kind="title"),
    "description": Param("-", "", "Free text shown in reports.", kind="string"),
    "weather_year": Param("-", None, "Weather year: fills {weather_year} in profile file names, e.g. "
                          "../data/weather/jiuquan_w{weather_year:02d}.parquet.", kind="integer", min=1),
    "mode": Param("-", "dispatch", "dispatch: cost-optimal operation, export is an outcome; target: "
                  "dispatch with a soft annual export target; max-export: the export ceiling.",
                  kind="choice", choices=MODES, structural=True),
}

TIME = {
    "start": Param("date", "2019-01-01", "First modelled hour, 00:00 local time (Asia/Shanghai).",
                   kind="date", structural=True),
    "hours": Param("h", 8760, "Number of modelled hours (at most ten years).", kind="integer", min=1,
                   max=87840, structural=True),
    "segments_per_day": Param("-", None, "Time aggregation for fast exploratory runs: merge each day's "
                              "hours into this many segments of adjacent hours, chosen by tsam from the "
                              "run's profiles; every day is kept, so storage and seasons stay linked "
                              "across the year. None: every hour (the reference). Needs whole days.",
                              kind="integer", min=1, max=24, structural=True),
}

SYSTEM = {
    "voll_cny_per_mwh": Param("CNY/MWh", 10000.0, "Value of lost load: the price of unserved "
                              "local demand.", min=0),
    "curtailment_penalty_cny_per_mwh": Param("CNY/MWh", 0.0, "Penalty on each MWh of wind, PV or "
                                             "hydro that is available but not used.", min=0),
    "curtailment_rule": Param("-", "pro_rata", "How curtailment is shared among wind and PV units. "
                              "pro_rata: within a bus (or a curtailment_group of buses) and time step, "
                              "every wind and PV unit is curtailed by the same fraction of what it could "
                              "produce, as Gansu's dispatch shares curtailment across plants; across "
                              "groups, one fraction for the province where the corridors let it be shared, "
                              "more only behind a corridor at its limit (tie-break stages, "
                              "model/optimisation/ties.py); run-of-river water is spilled only where wind "
                              "and PV cannot be curtailed instead (it is not shared pro rata: its output is "
                              "synchronous support). So 弃风率 and 弃光率 do not depend on the solver or on "
                              "the order of units in the file. free: any split the optimum allows (wind and "
                              "PV cost the same, so the split is arbitrary).",
                              kind="choice", choices=("pro_rata", "free"), structural=True),
    "share_curtailment_across_buses": Param("-", True, "Under curtailment_rule pro_rata with two or more "
                                            "buses (curtailment groups) with wind or PV: the tie-break's "
                                            "share stage decides how curtailment is split across them "
                                            "(model/optimisation/ties.py, stage 3: one fraction where the "
                                            "corridors let it be shared). It costs about 60 s of CPU on the "
                                            "2019 context year (the least cost: 25 s). false: that split "
                                            "is left to the solver (fast exploratory runs only).",
                                            kind="bool"),
}

TARGET = {
    "export_twh": Param("TWh/yr", 28.0, "Annual export target (work report: 280 亿千瓦时). Runs "
                        "shorter than a year use the pro-rata share of their hours.", min=0),
    "net_of_imports": Param("-", True, "Measure the target on export minus imports from the "
                            "provincial grid, so it cannot be met by passing provincial power through "
                            "(assumption: the work report means the city's own output).", kind="bool", structural=True),
    "shortfall_penalty_cny_per_mwh": Param("CNY/MWh", 2000.0, "Price of each MWh short of the "
                                           "target in target mode; the target price never exceeds "
                                           "it.", min=0),
}

PLAN = {
    "discount_rate": Param("1/yr", 0.06, "Real discount rate that annualises capital costs in plan mode "
                           "(assumption: a common rate for Chinese power investment appraisal).", min=0, max=1),
    "count_export_revenue": Param("-", False, "Plan mode: put export revenue in the objective. false: the "
                                  "least annualised cost of meeting the export target, so the target price "
                                  "is the cost of one more MWh of target; true: the most profitable build "
                                  "at the receiving-end prices, which may overshoot the target.", kind="bool"),
}

SOLVER = {
    "method": Param("-", "choose", "HiGHS LP method: choose (HiGHS decides), simplex, ipm "
                    "(interior point by IPX, then crossover), hipo (HiGHS's HiPO interior point, "
                    "then crossover; needs highspy-extras, which make setup installs) or pdlp.",
                    kind="choice", choices=("choose", "simplex", "ipm", "hipo", "pdlp"),
                    structural=True),
    "time_limit_s": Param("s", 3600.0, "Solver time limit.", min=0),
    "threads": Param("-", 0, "HiGHS threads (0: HiGHS decides).", kind="integer", min=0, max=256),
    # Measured (CPU s, one thread; least-cost solve + tie-break, which HiGHS runs from the
    # least-cost basis without presolving; presolve on / off): Jiuquan 2019 1.29 + 0.33 / 0.74-0.93
    # + 0.68; Jiuquan all levers 5.75 + 1.52 / 5.70 + 1.67; 2019 context 21.4-23.3 + 1.5 / 48.9 +
    # 1.7; context at 6 segments a day 1.31 + 0.47 / 2.06 + 0.48; context over 2,184 h 1.93 +
    # 0.21 / 2.54 + 0.20. Presolve removes 17% of the one-bus year's rows and 26% of the
    # context's (lines before their in-service dates, corridor doubletons). On a one-bus year it
    # is a tie; on the context it halves the solve. Interior point (plan mode) keeps it too.
    "presolve": Param("-", "auto", "HiGHS presolve. auto: on for every method; it halves the "
                      "simplex solve of the context year and ties on the Jiuquan-only year "
                      "(measured in model/inputs/settings.py, bench/bench_solver.py).", kind="choice",
                      choices=("auto", "on", "off")),
    "plan_method": Param("-", "monolithic", "How plan mode finds its least-cost plan, the same LP "
                         "either way: monolithic, the whole LP in one solve (solver.method); benders, "
                         "a decomposition over the build options, each dispatch solved with the builds "
                         "fixed, to a proven gap of 1e-7 (model/optimisation/decomposition.py). monolithic is the "
                         "default: on the hourly year each dispatch costs a minute of simplex, so "
                         "benders was slower there (bench/bench_plan.py --benders).", kind="choice",
                         choices=("monolithic", "benders")),
    "model_build": Param("-", "arrays", "How the model reaches HiGHS: arrays, compiled straight from "
                         "the declarations (fast); pyomo, through a Pyomo model and Pyomo's standard-form "
                         "compiler (the reference; `run --pyomo`). Both give the same LP.",
                         kind="choice", choices=("arrays", "pyomo")),
}

BUS = {
    "description": Param("-", "", "Free text.", kind="string"),
    "in_export_cut": Param("-", False, "The bus is inside the cut across which the export target "
                           "is measured: the flow out of the cut's buses over export lines and "
                           "corridors, net of flows in (model/optimisation/modes.py). No bus flagged: every "
                           "bus is inside.", kind="bool", structural=True),
    "curtailment_group": Param("-", None, "Buses with the same group share one curtailment fraction under "
                               "system.curtailment_rule pro_rata; none: the bus is its own group. A group of "
                               "several buses puts each bus's available wind and PV in the constraint matrix, "
                               "so every sweep point that changes them is built afresh; it is refused in plan "
                               "mode when a member may be built.", kind="string", structural=True),
}

SECTIONS = {"time": TIME, "system": SYSTEM, "target": TARGET, "plan": PLAN, "solver": SOLVER}
