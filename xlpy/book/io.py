"""Workbook access behind one small interface, so actions do not care whether
they run on a file (CLI, API) or on the workbook open in Excel (ribbon).

A :class:`Book` gives raw cell grids for reading and replaces whole output
sheets for writing.  :class:`FileBook` reads with openpyxl in read-only mode
(it, unlike calamine, shows error cells such as ``#DIV/0!``) and writes
atomically: the new file is saved beside the old one, the old one is kept as a
backup, then the new one takes its name in a single ``os.replace``.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence, runtime_checkable

from ..fsio import atomic_write, backup_path
from . import layout

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)


@dataclass(frozen=True)
class CellError:
    """An Excel error value found in a cell (``#DIV/0!`` …)."""

    code: str

    def __str__(self) -> str:
        return self.code


Grid = list[list[Any]]


@dataclass
class OutputSheet:
    """A sheet that xlpy owns and rebuilds whole."""

    name: str
    header: list[str]
    rows: list[list[Any]]
    widths: dict[int, float] = field(default_factory=dict)  # column index (0-based) -> width
    formats: dict[int, str] = field(default_factory=dict)  # column index -> number format
    title: str | None = None  # optional title line above the table (header then moves down)
    notes: list[str] = field(default_factory=list)  # lines written below the table
    table: bool = True  # make it an Excel table
    after: Callable[[Any], None] | None = None  # hook for openpyxl extras (charts) on file books

    @property
    def header_row(self) -> int:
        return 3 if self.title else 1


@runtime_checkable
class Book(Protocol):
    name: str

    def sheet_names(self) -> list[str]: ...

    def grid(self, sheet: str) -> Grid | None: ...

    def replace_outputs(self, sheets: Sequence[OutputSheet]) -> None: ...

    # Optional: ``extend_matrix(sheet, columns, rows)`` appends missing header
    # columns and missing (code, name) rows to an input matrix without touching
    # filled cells (used by "prepare"); ``write_problem_report(OutputSheet)``
    # shows an error list outside the book and returns where it went.


def nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class FileBook:
    """A workbook file on disk (.xlsx, .xlsm)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.name = self.path.name
        self._grids: dict[str, Grid] | None = None
        self._sheet_names: list[str] | None = None

    # ---- reading ----------------------------------------------------------
    def _load(self) -> None:
        if self._grids is not None:
            return
        import openpyxl

        wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            self._sheet_names = list(wb.sheetnames)
            self._grids = {}
            for ws in wb.worksheets:
                rows = []
                for row in ws.iter_rows():
                    rows.append([_cell_value(c) for c in row])
                while rows and all(v is None for v in rows[-1]):
                    rows.pop()
                self._grids[ws.title] = rows
        finally:
            wb.close()

    def sheet_names(self) -> list[str]:
        self._load()
        return list(self._sheet_names or [])

    def grid(self, sheet: str) -> Grid | None:
        self._load()
        assert self._grids is not None
        return self._grids.get(sheet)

    # ---- writing ----------------------------------------------------------
    def replace_outputs(self, sheets: Sequence[OutputSheet]) -> None:
        """Replace (or add) the given output sheets; every other sheet is kept as it is."""
        import openpyxl

        from .write import fill_sheet

        keep_vba = self.path.suffix.lower() in (".xlsm", ".xlam")
        wb = openpyxl.load_workbook(self.path, keep_vba=keep_vba)
        for out in sheets:
            if out.name in wb.sheetnames:
                idx = wb.sheetnames.index(out.name)
                wb.remove(wb[out.name])
                ws = wb.create_sheet(out.name, idx)
            else:
                ws = wb.create_sheet(out.name)
            fill_sheet(ws, out)
        atomic_save(wb, self.path)
        self._grids = None


    def extend_matrix(self, sheet: str, columns: list[str], rows: list[tuple[str, str]]) -> int:
        """Append missing criterion columns and unit rows to a matrix sheet.
        Filled cells are never changed.  Returns the number of cells written."""
        import openpyxl

        from .write import BORDER, INPUT_FILL, style_header

        wb = openpyxl.load_workbook(self.path, keep_vba=self.path.suffix.lower() in (".xlsm", ".xlam"))
        ws = wb[sheet] if sheet in wb.sheetnames else wb.create_sheet(sheet)
        written = 0
        header = [nfc(c.value) for c in ws[1]] if ws.max_row >= 1 else []
        header = [str(h).strip() if h is not None else None for h in header]
        if not any(header):
            header = ["Mã đơn vị", "Tên đơn vị"]
            for j, h in enumerate(header, start=1):
                ws.cell(row=1, column=j, value=h)
                written += 1
        for code in columns:
            if code not in header:
                header.append(code)
                ws.cell(row=1, column=len(header), value=code)
                written += 1
        style_header(ws, 1, len(header))
        present = {nfc(str(ws.cell(row=i, column=1).value)).strip() for i in range(2, ws.max_row + 1) if ws.cell(row=i, column=1).value is not None}
        used = [i for i in range(2, ws.max_row + 1) if any(c.value is not None for c in ws[i])]
        r = (max(used) + 1) if used else 2  # styled but empty rows are free
        for code, name in rows:
            if code in present:
                continue
            ws.cell(row=r, column=1, value=code)
            ws.cell(row=r, column=2, value=name)
            written += 2
            r += 1
        for i in range(2, max(ws.max_row, 2) + 1):
            for j in range(1, len(header) + 1):
                c = ws.cell(row=i, column=j)
                c.fill = INPUT_FILL
                c.border = BORDER
        for t in list(ws.tables):
            del ws.tables[t]
        from .write import add_table, table_name

        add_table(ws, 1, len(header), max(ws.max_row - 1, 1), table_name(sheet))
        if written:
            atomic_save(wb, self.path)
            self._grids = None
        return written


def atomic_save(wb, path: Path, backup: bool = True) -> Path | None:
    """Save an openpyxl workbook atomically; keep the previous file as ``<stem>.bak<suffix>``."""
    return atomic_write(path, lambda tmp: wb.save(tmp), backup=backup)


def _cell_value(cell) -> Any:
    v = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "e" or (isinstance(v, str) and v in EXCEL_ERRORS):
        return CellError(str(v))
    return v


def open_book(book: Any) -> Book:
    """A path (str or Path) becomes a :class:`FileBook`; a Book is returned as is."""
    if isinstance(book, (str, os.PathLike)):
        p = Path(book)
        if not p.exists():
            raise FileNotFoundError(f"Không tìm thấy sổ tính: {p}")
        return FileBook(p)
    if isinstance(book, Book):
        return book
    raise TypeError(f"không mở được sổ tính từ {type(book).__name__}")


__all__ = [
    "Book",
    "CellError",
    "FileBook",
    "Grid",
    "OutputSheet",
    "atomic_save",
    "backup_path",
    "layout",
    "nfc",
    "open_book",
]
