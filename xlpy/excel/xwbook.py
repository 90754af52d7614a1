"""A :class:`xlpy.book.io.Book` over a workbook open in Excel (xlwings).

Reading takes each sheet's used range in one call.  Writing is transactional:
every output sheet is first built complete under a temporary name, beside the
sheet it replaces; only when all of them are written are the old sheets deleted
and the new ones renamed.  If anything fails before that point the temporary
sheets are removed and the workbook is as it was.  Input sheets are never
touched.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Sequence

from ..book.io import EXCEL_ERRORS, CellError, Grid, Merged, OutputSheet
from ..book.sheet import col_letter

TMP_PREFIX = "~xlpy"


def _clean(v: Any) -> Any:
    """A value as read through COM, left as typed (the reader normalises text and warns
    about text typed in another Unicode form)."""
    if isinstance(v, str):
        if v in EXCEL_ERRORS:
            return CellError(v)
        return None if v == "" else v
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)  # like openpyxl: whole numbers read as int
    return v


def _plain(v: Any) -> Any:
    """A value Excel accepts through COM: numpy scalars to Python, NaN to blank, lists to text."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (TypeError, ValueError):
            pass
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (list, tuple)):
        v = ", ".join(str(x) for x in v)
    if isinstance(v, str):
        # text stays text: Excel would parse "=…" as a formula and "007" as a number
        return "'" + v if v else None
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    return v


def _rgb(hex6: str) -> tuple[int, int, int]:
    return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)


class XwBook:
    """The workbook open in Excel, seen through the :class:`~xlpy.book.io.Book` protocol."""

    def __init__(self, xw_book: Any):
        self.xw = xw_book
        self.name = xw_book.name
        self._grids: dict[str, Grid] = {}

    @property
    def app(self) -> Any:
        return self.xw.app

    # ---- reading ----------------------------------------------------------
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.xw.sheets]

    def grid(self, sheet: str) -> Grid | None:
        if sheet in self._grids:
            return self._grids[sheet]
        if sheet not in self.sheet_names():
            return None
        sh = self.xw.sheets[sheet]
        used = sh.used_range
        values = used.options(ndim=2, err_to_str=True).value or []
        r0, c0 = used.row - 1, used.column - 1  # the used range need not start at A1
        width = c0 + max((len(r) for r in values), default=0)
        rows: Grid = [[None] * width for _ in range(r0)]
        for r in values:
            rows.append([None] * c0 + [_clean(v) for v in r])
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        self._grids[sheet] = rows
        return rows

    def merged(self, sheet: str) -> list[Merged]:
        """Merged areas of a sheet (looked for row by row, only where Excel says some exist)."""
        if sheet not in self.sheet_names():
            return []
        sh = self.xw.sheets[sheet]
        used = sh.used_range
        try:
            if used.api.MergeCells is False:
                return []
        except Exception:  # noqa: BLE001
            return []
        out: set[Merged] = set()
        for r in range(used.row, used.row + used.shape[0]):
            row = sh.range((r, used.column), (r, used.column + used.shape[1] - 1))
            if row.api.MergeCells is False:
                continue
            for c in range(used.column, used.column + used.shape[1]):
                cell = sh.range((r, c))
                if cell.api.MergeCells:
                    area = cell.api.MergeArea
                    out.add((area.Row - 1, area.Column - 1, area.Row + area.Rows.Count - 2, area.Column + area.Columns.Count - 2))
        return sorted(out)

    def fill_cells(self, sheet: str, cells: dict, header: dict | None = None) -> int:
        """Fill empty cells of an input sheet; never overwrite what is typed."""
        sh = self.xw.sheets[sheet]
        written = 0
        for (r, c), v in sorted(cells.items()):
            cell = sh.range((r, c))
            if cell.value not in (None, ""):
                continue
            cell.value = _plain(v)
            written += 1
        self._grids.pop(sheet, None)
        return written

    # ---- writing ----------------------------------------------------------
    def replace_outputs(self, sheets: Sequence[OutputSheet]) -> None:
        """Replace (or add) whole output sheets; all or nothing."""
        from ..book.sheet import table_name

        plans = [_plan(out) for out in sheets]  # everything computed before Excel is touched
        app = self.app
        screen = _get(app, "screen_updating", True)
        alerts = _get(app, "display_alerts", True)
        _set(app, "screen_updating", False)
        existing = self.sheet_names()
        made: list[tuple[Any, OutputSheet, dict]] = []
        try:
            for i, (out, plan) in enumerate(zip(sheets, plans)):
                tmp = f"{TMP_PREFIX}{i}"
                if out.name in existing:
                    sh = self.xw.sheets.add(name=tmp, before=self.xw.sheets[out.name])
                else:
                    sh = self.xw.sheets.add(name=tmp, after=self.xw.sheets[len(self.xw.sheets) - 1])
                made.append((sh, out, plan))
                _fill(sh, out, plan, f"{table_name(out.name)}{TMP_PREFIX[1:]}")
        except BaseException:
            _set(app, "display_alerts", False)
            for sh, _, _ in made:
                try:
                    sh.delete()
                except Exception:  # noqa: BLE001 - best effort; the original error matters
                    pass
            _set(app, "display_alerts", alerts)
            _set(app, "screen_updating", screen)
            raise
        # commit: swap names (cannot fail for ordinary reasons: names were checked by Excel above)
        _set(app, "display_alerts", False)
        try:
            for sh, out, plan in made:
                if out.name in existing:
                    self.xw.sheets[out.name].delete()
                sh.name = out.name
                tbl = plan.get("table_obj")
                if tbl is not None:
                    try:
                        tbl.name = table_name(out.name)
                    except Exception:  # noqa: BLE001 - the temporary table name is harmless
                        pass
        finally:
            _set(app, "display_alerts", alerts)
            _set(app, "screen_updating", screen)
        self._grids = {}


def _get(obj: Any, attr: str, default: Any) -> Any:
    try:
        return getattr(obj, attr)
    except Exception:  # noqa: BLE001
        return default


def _set(obj: Any, attr: str, value: Any) -> None:
    try:
        setattr(obj, attr, value)
    except Exception:  # noqa: BLE001 - cosmetic settings only
        pass


def _plan(out: OutputSheet) -> dict:
    """The values of an output sheet as 2D blocks, ready for one assignment each."""
    ncols = max(len(out.header), max((len(r) for r in out.rows), default=0), 1)
    table = [[_plain(h) for h in out.header] + [None] * (ncols - len(out.header))]
    for r in out.rows:
        row = [_plain(v) for v in r]
        table.append(row + [None] * (ncols - len(row)))
    return {"ncols": ncols, "table": table, "notes": [[_plain(n)] for n in out.notes]}


def _fill(sh: Any, out: OutputSheet, plan: dict, tmp_table: str) -> None:
    from ..book import styles as layout

    hr = out.header_row
    ncols = plan["ncols"]
    nrows = len(plan["table"])
    if out.title:
        sh.range((1, 1)).value = _plain(out.title)
        sh.range((1, 1)).font.bold = True
    _fill_headings(sh, out, ncols)
    body = sh.range((hr, 1), (hr + nrows - 1, ncols))
    body.value = plan["table"]  # one assignment for header and data
    head = sh.range((hr, 1), (hr, ncols))
    head.color = _rgb(layout.HEADER_FILL)
    head.font.bold = True
    head.font.color = _rgb(layout.HEADER_FONT)
    if nrows > 1:
        sh.range((hr + 1, 1), (hr + nrows - 1, ncols)).color = _rgb(layout.OUTPUT_FILL)
        for j, fmt in out.formats.items():
            if j < ncols:
                sh.range((hr + 1, j + 1), (hr + nrows - 1, j + 1)).number_format = fmt
    for j in range(ncols):
        sh.range(f"{col_letter(j + 1)}:{col_letter(j + 1)}").column_width = out.widths.get(j, 14)
    if plan["notes"]:
        r = hr + max(nrows - 1, 1) + 2
        sh.range((r, 1), (r + len(plan["notes"]) - 1, 1)).value = plan["notes"]
    if out.has_table and nrows > 1:
        plan["table_obj"] = sh.tables.add(source=body, name=tmp_table, table_style_name="TableStyleLight9")
    _print_setup(sh, out)


def _fill_headings(sh: Any, out: OutputSheet, ncols: int) -> None:
    """A form's lines above the table: the preamble, the grouped headings, the merged areas."""
    from ..book import styles as layout
    from ..book.sheet import Styled

    for i, cells in enumerate(out.preamble):
        for j, v in enumerate(cells):
            cell = sh.range((out.preamble_row + i, j + 1))
            cell.value = _plain(v.value if isinstance(v, Styled) else v)
            if isinstance(v, Styled):
                cell.font.bold = v.style.bold
                cell.font.italic = v.style.italic
    first = out.header_row - len(out.head_above)
    for i, cells in enumerate(out.head_above):
        row = sh.range((first + i, 1), (first + i, ncols))
        row.value = [_plain(v) for v in list(cells) + [None] * (ncols - len(cells))]
        row.color = _rgb(layout.HEADER_FILL)
        row.font.bold = True
        row.font.color = _rgb(layout.HEADER_FONT)
    for r0, c0, r1, c1 in out.merges:
        sh.range((r0, c0), (r1, c1)).merge()
    if len(out.heights) <= 200:  # a form's few rows; long lists are left to Excel (one call per row would be slow)
        for r, h in out.heights.items():
            sh.range((r, 1)).row_height = h


def _print_setup(sh: Any, out: OutputSheet) -> None:
    """Landscape where wide, one page wide, the header row on every page, page numbers."""
    try:
        ps = sh.api.PageSetup
        ps.PaperSize = 9  # A4
        ps.Orientation = 2 if out.is_landscape else 1
        ps.Zoom = False
        ps.FitToPagesWide = 1
        ps.FitToPagesTall = False
        ps.PrintTitleRows = f"${out.header_row - len(out.head_above)}:${out.header_row}"
        ps.CenterFooter = "Trang &P/&N"
    except Exception:  # noqa: BLE001 - printing setup is cosmetic; the values are written
        pass
