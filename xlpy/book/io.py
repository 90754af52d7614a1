"""Workbook access behind one small interface, so actions do not care whether
they run on a file (CLI, API) or on the workbook open in Excel (ribbon).

A :class:`Book` gives raw cell grids and merged ranges for reading and
replaces whole output sheets for writing.  :class:`FileBook` reads values with
python-calamine (cached values of formulas included) from the exact bytes it
checked (:mod:`xlpy.book.package`), finds error cells (``#DIV/0!``…) in the
sheet XML, and writes surgically (:mod:`xlpy.book.surgery`): only xlpy's
output parts change, atomically, with a backup, and only if the file is still
the one that was read.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any, Protocol, Sequence, runtime_checkable

from .package import BookFileError, Package, open_package
from .sheet import OutputSheet
from ..schema.base import EXCEL_ERRORS, CellError  # noqa: F401 - part of the book interface

Grid = list[list[Any]]
Merged = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)


def blank(v: Any) -> bool:
    """An empty cell: calamine gives "", xlwings None."""
    return v is None or v == ""


@runtime_checkable
class Book(Protocol):
    name: str

    def sheet_names(self) -> list[str]: ...

    def grid(self, sheet: str) -> Grid | None: ...

    def merged(self, sheet: str) -> list[Merged]: ...

    def replace_outputs(self, sheets: Sequence[OutputSheet]) -> None: ...


def nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class FileBook:
    """A workbook file on disk (.xlsx, .xlsm)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.name = self.path.name
        self._pkg: Package | None = None
        self._cal: Any = None
        self._names: tuple[str, ...] = ()  # calamine's sheet names, asked once (each ask builds a new list)
        self._grids: dict[str, Grid] = {}
        self._sheets: dict[str, Any] = {}  # calamine's parsed sheets: grid() and merged() share one parse

    # ---- reading ----------------------------------------------------------
    @property
    def package(self) -> Package:
        if self._pkg is None:
            import io

            import python_calamine

            pkg = open_package(self.path)
            try:
                self._cal = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(pkg.data))
                self._names = tuple(self._cal.sheet_names)
            except Exception as e:  # noqa: BLE001 - calamine's errors are plain exceptions
                raise BookFileError("corrupt_workbook", self.path, f"tệp bị hỏng, không đọc được nội dung sổ tính ({_short(e)})",
                                    "Mở bản sao lưu (tệp .bak.xlsx cạnh sổ tính, nếu có) hoặc xin đơn vị gửi lại tệp.") from None
            self._pkg = pkg
        return self._pkg

    def sheet_names(self) -> list[str]:
        self.package
        return list(self._names)

    def grid(self, sheet: str) -> Grid | None:
        if sheet in self._grids:
            return self._grids[sheet]
        self.package
        if sheet not in self._names:
            return None
        try:
            rows = self._sheet(sheet).to_python(skip_empty_area=False)
        except BookFileError:
            raise
        except Exception as e:  # noqa: BLE001
            raise BookFileError("corrupt_sheet", self.path, f"trang “{sheet}” bị hỏng, không đọc được ({_short(e)})",
                                "Mở bản sao lưu hoặc chép dữ liệu sang sổ tính mới (xlpy new).") from None
        # calamine reads an error cell (#DIV/0!…) as "": only a sheet with such cells can hold one
        if any("" in r for r in rows):
            xml = self.package.sheet_xml(sheet)
            for r, c, code in error_cells(xml) if xml is not None else ():
                while len(rows) <= r:
                    rows.append([])
                row = rows[r]
                if len(row) <= c:
                    row.extend([""] * (c + 1 - len(row)))
                row[c] = CellError(code)
        while rows and all(blank(v) for v in rows[-1]):
            rows.pop()
        self._grids[sheet] = rows
        return rows

    def _sheet(self, sheet: str) -> Any:
        """calamine's parse of a sheet (grid() and merged() share it), once its XML has been looked
        at for entity declarations (:meth:`Package.check_sheet`)."""
        cal = self._sheets.get(sheet)
        if cal is None:
            self.package.check_sheet(sheet)
            try:
                cal = self._sheets[sheet] = self._cal.get_sheet_by_name(sheet)
            except Exception as e:  # noqa: BLE001 - calamine's errors are plain exceptions
                raise BookFileError("corrupt_sheet", self.path, f"trang “{sheet}” bị hỏng, không đọc được ({_short(e)})",
                                    "Mở bản sao lưu hoặc chép dữ liệu sang sổ tính mới (xlpy new).") from None
        return cal

    def merged(self, sheet: str) -> list[Merged]:
        self.package
        if sheet not in self._names:
            return []
        ranges = self._sheet(sheet).merged_cell_ranges or []
        return [(a[0], a[1], b[0], b[1]) for a, b in ranges]

    # ---- writing ----------------------------------------------------------
    def replace_outputs(self, sheets: Sequence[OutputSheet]) -> None:
        """Replace (or add) the given output sheets; every other part is kept byte for byte."""
        from ..fsio import check_writable
        from .surgery import plan

        check_writable(self.path)
        self._write(plan(self.package, sheets))

    def fill_cells(self, sheet: str, cells: dict[tuple[int, int], Any], header: dict[int, str] | None = None) -> int:
        """Fill empty cells of an input sheet ((row, col) 1-based → value), never overwriting;
        the sheet's table grows to cover them.  Returns the number of cells filled."""
        from ..fsio import check_writable
        from . import styles as ST
        from .fill import fill_cells, widen_tables
        from .surgery import workbook_styles

        pkg = self.package
        ref = pkg.sheet(sheet)
        if ref is None or not ref.part:
            raise KeyError(sheet)
        check_writable(self.path)
        styles_part, styles, date1904 = workbook_styles(pkg)
        filled = fill_cells(pkg.text(ref.part), cells, style=styles.xf(ST.input_cell()),
                            date_style=styles.xf(ST.input_cell("dd/mm/yyyy")), date1904=date1904)
        if not filled.written:
            return 0
        changes: dict[str, bytes | None] = {ref.part: filled.xml.encode("utf-8")}
        changes.update(widen_tables(pkg, ref.part, filled.max_row, filled.max_col, header or {}))
        if styles.changed and styles_part:
            changes[styles_part] = styles.render().encode("utf-8")
        self._write(changes)
        return filled.written

    def _write(self, changes: dict[str, bytes | None]) -> None:
        from ..fsio import atomic_write

        pkg = self.package
        ident = pkg.identity

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                pkg.write(fh, changes, level=1 if len(pkg.data) > 4_000_000 else 6)

        atomic_write(self.path, write, backup=True, backup_bytes=pkg.data, expect=(ident.size, ident.mtime_ns, ident.sha256))
        self.reload()

    def reload(self) -> None:
        """Forget what was read (the file changed on disk)."""
        self._pkg = None
        self._cal = None
        self._names = ()
        self._grids = {}
        self._sheets = {}

    def lock(self):
        from ..fsio import BookLock

        return BookLock(self.path)


def write_new_workbook(path: str | os.PathLike, sheets: Sequence[OutputSheet]) -> Path:
    """A new workbook holding only ``sheets`` (error lists, benchmark data), written
    atomically with the same writer as the output sheets of a block's workbook."""
    from .surgery import blank_package_bytes

    return write_package(Package(Path(path), blank_package_bytes()), sheets)


def write_package(pkg: Package, sheets: Sequence[OutputSheet]) -> Path:
    """``pkg`` (a package built in memory: a blank workbook, a new province workbook's input
    sheets) with ``sheets`` put in by the surgical writer, written atomically to its path."""
    from ..fsio import atomic_write
    from .surgery import plan

    changes = plan(pkg, list(sheets))

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            pkg.write(fh, changes)

    atomic_write(pkg.path, write)
    return pkg.path


class GridBook:
    """A Book of in-memory grids (worksheet functions, tests): read-only."""

    def __init__(self, grids: dict[str, Grid], name: str = "(công thức)"):
        self._grids = grids
        self.name = name

    def sheet_names(self) -> list[str]:
        return list(self._grids)

    def grid(self, sheet: str) -> Grid | None:
        return self._grids.get(sheet)

    def merged(self, sheet: str) -> list[Merged]:
        return []

    def replace_outputs(self, sheets: Sequence[OutputSheet]) -> None:  # pragma: no cover - never written
        raise NotImplementedError("a GridBook is read-only")


_ERROR_CELL = re.compile(rb'<c\b([^>]*?)\st="e"([^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def error_cells(xml: bytes) -> list[tuple[int, int, str]]:
    """(row, column, error) of every error cell of a worksheet part (0-based).  An error cell
    holds its error value (“#DIV/0!”, “#N/A”…), so a part without “#” has none: that one fast
    look spares the search for ``t="e"`` in almost every sheet."""
    if b"#" not in xml or b't="e"' not in xml:
        return []
    out = []
    for m in _ERROR_CELL.finditer(xml):
        ref = _REF.search(m.group(1) + b" " + m.group(2))
        val = _VALUE.search(m.group(3))
        if not ref:
            continue
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ch - 64
        out.append((int(ref.group(2)) - 1, col - 1, val.group(1).decode("ascii", "replace") if val else "#VALUE!"))
    return out


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:120]


def open_book(book: Any) -> Book:
    """A path (str or Path) becomes a :class:`FileBook`; a Book is returned as is."""
    if isinstance(book, (str, os.PathLike)):
        p = Path(book)
        if not p.exists():
            raise BookFileError("missing_file", p, "không tìm thấy tệp", "Kiểm tra đường dẫn và tên tệp.")
        return FileBook(p)
    if isinstance(book, Book):
        return book
    raise TypeError(f"không mở được sổ tính từ {type(book).__name__}")


__all__ = ["Book", "CellError", "FileBook", "GridBook", "Grid", "OutputSheet", "blank", "nfc", "open_book"]
