"""The component families, in build order.

Adding a family means adding its module and one line here; nothing else changes.
"""

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
    Renewable("wind", "Wind", "wind", "Wind farms."),
    Renewable("pv", "PV", "pv", "Photovoltaic plants."),
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
