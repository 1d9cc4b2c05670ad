"""A workbook of main capacities and prices per unit, read as a scenario overlay.

Bureau figures live in Excel. The first sheet (or the one named ``overlay``) holds one row a
unit: a ``section`` column (wind, pv, coal, export_lines...), a ``unit`` column (the unit's name
in the scenario), then one column a parameter, named as in the scenario (``capacity_mw``,
``fuel_price_cny_per_tce``...). An empty cell leaves the scenario's value. Each value is checked
like any scenario key, and an error names the workbook, sheet and cell.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError

SHEET = "overlay"
KEY_COLUMNS = ("section", "unit")


def overlay(path) -> list[tuple[str, object, str]]:
    """``(dotted_key, value, source)`` for every filled parameter cell of the workbook."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError("--overlay", None, f"expected an .xlsx workbook, got {path.name}")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise InputError(path, None, f"cannot be read as an Excel workbook: {e}") from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        where = f"{path} ({sheet.title}"
        missing = [c for c in KEY_COLUMNS if c not in header]
        if missing:
            raise InputError(f"{where}, row 1)", None, f"expected the columns {', '.join(KEY_COLUMNS)} "
                             f"and then parameters; missing {', '.join(missing)}")
        at = {c: header.index(c) for c in KEY_COLUMNS}
        pairs = []
        for r, row in enumerate(rows, start=2):
            section, unit = (row[at[c]] for c in KEY_COLUMNS)
            if section is None and unit is None:
                continue  # a blank row between groups
            if not isinstance(section, str) or not isinstance(unit, str):
                raise InputError(f"{where}, row {r})", None, "expected a section and a unit name")
            for c, (name, value) in enumerate(zip(header, row), start=1):
                if name and name not in KEY_COLUMNS and value is not None:
                    key = f"{section.strip()}.{unit.strip()}.{name}"
                    pairs.append((key, value, f"{where}!{get_column_letter(c)}{r})"))
        return pairs
    finally:
        book.close()
