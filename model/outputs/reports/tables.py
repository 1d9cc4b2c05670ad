"""A report table: a frame of display figures and, per column, the quantity it shows.

The HTML shows each figure with its quantity's decimals (rates as percentages, nothing missing
as None or nan); the workbook keeps numbers as numbers with a number format, units in the
headers, bold frozen header rows and widths fitted to the text.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import quantities

MONTH = "month"  # a column of "YYYY-MM": a date in the workbook, a month's name on the page


@dataclass
class Table:
    caption: str
    frame: pd.DataFrame
    kinds: dict = field(default_factory=dict)  # column -> quantity name, MONTH, or a list by row
    sheet: str | None = None  # the workbook sheet's name (default: the caption)
    quoted: str | None = None  # a column quoting the scenario files' own (English) words

    def kind(self, column, row: int):
        k = self.kinds.get(column)
        return k[row] if isinstance(k, list) else k


def shown(kind: str, x, lang: str):
    """A table figure from base units: display units rounded, rates kept as shares."""
    if kind == "rate":
        return x
    return quantities.rounded(kind, x, lang)


def cell_text(kind, v, lang: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if kind == MONTH:
        return month_name(v, lang)
    if isinstance(v, str) or kind is None:
        return str(v) if not isinstance(v, float) else f"{v:,.4g}"
    if kind == "rate":
        return f"{v:.1%}"
    d = quantities.q(kind).shown(lang).decimals
    return f"{v:,.{d}f}"


def month_name(month: str, lang: str) -> str:
    year, m = month.split("-")
    return f"{year}年{int(m)}月" if lang == "zh" else dt.date(int(year), int(m), 1).strftime("%b %Y")


_quoted = ' class="src" lang="en"'


def to_html(t: Table, lang: str) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in t.frame.columns)
    rows = []
    for i, values in enumerate(t.frame.itertuples(index=False)):
        cells = "".join(
            f"<td{_quoted if c == t.quoted else ''}>{html.escape(cell_text(t.kind(c, i), v, lang))}</td>"
            for c, v in zip(t.frame.columns, values)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two columns


def write_sheet(book, t: Table, lang: str):
    sheet = book.create_sheet((t.sheet or t.caption)[:31])
    sheet.append([str(c) for c in t.frame.columns])
    widths = [_width(str(c)) for c in t.frame.columns]
    for i, values in enumerate(t.frame.itertuples(index=False), start=0):
        row = []
        for j, (c, v) in enumerate(zip(t.frame.columns, values)):
            kind = t.kind(c, i)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                v = None
            elif kind == MONTH:
                v = dt.datetime.strptime(v, "%Y-%m")
            elif hasattr(v, "item"):
                v = v.item()  # numpy scalars to Python numbers
            row.append(v)
            widths[j] = max(widths[j], _width(cell_text(kind, values[j], lang)))
        sheet.append(row)
        for j, c in enumerate(t.frame.columns):
            cell, kind = sheet.cell(row=i + 2, column=j + 1), t.kind(c, i)
            if cell.data_type == "f":
                cell.data_type = "s"  # names come from users' files: text, never a formula
            elif kind == MONTH:
                cell.number_format = "yyyy-mm"
            elif kind and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = quantities.excel_format(kind, lang)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        if cell.data_type == "f":
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for j, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = min(60, w + 2)


def write_workbook(path, tables: list[Table], lang: str):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for t in tables:
        write_sheet(book, t, lang)
    book.save(path)
