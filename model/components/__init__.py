"""The component families, in build order.

Adding a family means adding its module and one line here; nothing else changes.
"""

from ..optimisation.expansion import Dim
from .corridor import Corridor
from .csp import CSP
from .demand import Demand
from .direct_purchase import DirectPurchase
from .export_line import ExportLine
from .heating import Heating
from .imports import Import
from .renewable import Renewable
from .storage import Battery, PumpedHydro
from .thermal import Thermal

FAMILIES = [
    Renewable("wind", "Wind", "wind", "Wind farms.",
              dim=Dim("capacity", "mw", "kw", 5000.0, 100.0, "FACTS: onshore wind 4,200-5,800 CNY/kW, China ~2020"),
              lifetime=(20, "assumption")),
    Renewable("pv", "PV", "pv", "Photovoltaic plants.",
              dim=Dim("capacity", "mw", "kw", 2500.0, 50.0, "FACTS: utility PV 2,200-2,800 CNY/kW, China ~2020"),
              lifetime=(25, "assumption")),
    Renewable("hydro", "Hydro", "hydro", "Run-of-river hydro.", availability_default=1.0, synchronous=True),
    CSP(),
    Thermal("coal", "Coal", "coal", "Condensing coal units."),
    Thermal("chp", "CHP", "chp", "Combined heat and power coal units with a heating-season must-run.", chp=True),
    Battery(),
    PumpedHydro(),
    Demand(),
    DirectPurchase(),
    Heating(),
    Import(),
    ExportLine(),
    Corridor(),
]
