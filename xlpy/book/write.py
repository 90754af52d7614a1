"""Filling sheets with openpyxl: output sheets as values, styled, as Excel tables."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from . import layout
from .io import OutputSheet

THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor=layout.HEADER_FILL)
HEADER_FONT = Font(bold=True, color=layout.HEADER_FONT)
OUTPUT_FILL = PatternFill("solid", fgColor=layout.OUTPUT_FILL)
INPUT_FILL = PatternFill("solid", fgColor=layout.INPUT_FILL)


def table_name(sheet: str) -> str:
    """An Excel table name from a sheet name: ASCII letters, digits and underscores."""
    base = unicodedata.normalize("NFD", sheet.replace("Đ", "D").replace("đ", "d"))
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    base = re.sub(r"[^A-Za-z0-9_]", "_", base).strip("_") or "Bang"
    return "tbl_" + base


def style_header(ws, row: int, ncols: int) -> None:
    for j in range(1, ncols + 1):
        c = ws.cell(row=row, column=j)
        c.fill = HEADER_FILL
        c.font = HEADER_FONT
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BORDER


def add_table(ws, first_row: int, ncols: int, nrows: int, name: str) -> None:
    """Make the range an Excel table (a table needs at least one data row)."""
    last = first_row + max(nrows, 1)
    ref = f"A{first_row}:{get_column_letter(ncols)}{last}"
    t = Table(displayName=name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(t)


def fill_sheet(ws, out: OutputSheet) -> None:
    """Write an output sheet: optional title, header, rows as values, widths, formats."""
    hr = out.header_row
    if out.title:
        ws.cell(row=1, column=1, value=out.title).font = Font(bold=True, size=13)
    ncols = len(out.header)
    for j, h in enumerate(out.header, start=1):
        ws.cell(row=hr, column=j, value=h)
    style_header(ws, hr, ncols)
    for i, row in enumerate(out.rows, start=hr + 1):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j, value=_plain(v))
            c.fill = OUTPUT_FILL
            c.border = BORDER
            fmt = out.formats.get(j - 1)
            if fmt:
                c.number_format = fmt
    for j in range(ncols):
        ws.column_dimensions[get_column_letter(j + 1)].width = out.widths.get(j, 14)
    if out.table and ncols and len(set(out.header)) == ncols:
        add_table(ws, hr, ncols, len(out.rows), table_name(out.name))
    r = hr + max(len(out.rows), 1) + 2
    for line in out.notes:
        ws.cell(row=r, column=1, value=line).font = Font(italic=True)
        r += 1
    ws.freeze_panes = ws.cell(row=hr + 1, column=1)
    ws.sheet_properties.tabColor = "2E7D32"
    if out.after is not None:
        out.after(ws)


def _plain(v: Any) -> Any:
    """Values openpyxl can store: numpy scalars to Python, NaN to empty."""
    if v is None:
        return None
    try:
        import numpy as np

        if isinstance(v, np.generic):
            v = v.item()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return v
