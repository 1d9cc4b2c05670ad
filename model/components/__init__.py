"""The component families, in build order (demand comes before imports, whose bound it sets).

Adding a family means adding its module and one line here; nothing else changes.
"""

from .corridor import Corridor
from .demand import Demand
from .export_line import ExportLine
from .imports import Import
from .renewable import Renewable
from .thermal import Thermal

FAMILIES = [
    Renewable("wind", "Wind", "wind", "Wind farms."),
    Renewable("pv", "PV", "pv", "Photovoltaic plants."),
    Renewable("hydro", "Hydro", "hydro", "Run-of-river hydro.", availability_default=1.0),
    Thermal("coal", "Coal", "coal", "Condensing coal units."),
    Thermal("chp", "CHP", "chp", "Combined heat and power coal units with a heating-season must-run.", chp=True),
    Demand(),
    Import(),
    ExportLine(),
    Corridor(),
]
