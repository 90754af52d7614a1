"""An output sheet as data, and its SpreadsheetML: cells, print setup, table and chart.

:class:`OutputSheet` is what every feature hands to a :class:`~xlpy.book.io.Book`
to write; :func:`worksheet_xml` turns it into a worksheet part directly (no
spreadsheet library: this is the hot path of every compute).  Text is always
written as an inline string cell, so a cell typed ``=HYPERLINK(…)`` in an
input sheet comes out as that text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable, NamedTuple, Sequence

from . import styles as S
from ..core.record import Frozen, Record

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Chart(NamedTuple):
    """A bar chart of one value column, labelled by another, over the data rows."""

    title: str
    label_col: int  # 0-based column of the category labels (unit names)
    value_col: int  # 0-based column of the values (totals)
    value_title: str = "Điểm"
    number_format: str = "0.00"


class Styled(Frozen):
    """A cell value with its own style (form headings above a table); never a tuple."""

    __slots__ = ("value", "style")
    value: Any
    style: S.Style

    def __init__(self, value: Any, style: S.Style = S.Style()):
        super().__init__(value, style)


class OutputSheet(Record):
    """A sheet xlpy owns and rebuilds whole."""

    __slots__ = ("name", "header", "rows", "widths", "formats", "wrap", "title", "notes", "table", "chart", "landscape",
                 "input", "preamble", "head_above", "merges", "heights")

    def __init__(
        self,
        name: str,
        header: list[str],
        rows: list[list[Any]],
        widths: dict[int, float] | None = None,
        formats: dict[int, str] | None = None,
        wrap: set[int] | None = None,
        title: str | None = None,
        notes: list[str] | None = None,
        table: bool = True,
        chart: Chart | None = None,
        landscape: bool | None = None,
        input: bool = False,
        preamble: list[list[Any]] | None = None,
        head_above: list[list[Any]] | None = None,
        merges: list[tuple[int, int, int, int]] | None = None,
        heights: dict[int, float] | None = None,
    ):
        self.name = name
        self.header = header
        self.rows = rows
        self.widths: dict[int, float] = {} if widths is None else widths  # column index (0-based) -> width
        self.formats: dict[int, str] = {} if formats is None else formats  # column index -> number format
        self.wrap: set[int] = set() if wrap is None else wrap  # columns whose text wraps
        self.title = title  # optional title line above the table (header then moves down)
        self.notes: list[str] = [] if notes is None else notes  # lines written below the table
        self.table = table  # make it an Excel table
        self.chart = chart
        self.landscape = landscape  # None: landscape when the table is wide
        self.input = input  # an input sheet xlpy creates for the officer to fill (pale yellow cells)
        self.preamble: list[list[Any]] = [] if preamble is None else preamble  # lines above the header (a form's headings); cells may be Styled
        self.head_above: list[list[Any]] = [] if head_above is None else head_above  # header lines above the header row (grouped headings)
        self.merges: list[tuple[int, int, int, int]] = [] if merges is None else merges  # merged areas: first row, col, last row, col (1-based)
        self.heights: dict[int, float] = {} if heights is None else heights  # row (1-based) -> height in points, for rows of wrapped text

    @property
    def tab_color(self) -> str:
        return "F9A825" if self.input else "2E7D32"

    @property
    def preamble_row(self) -> int:
        """The first row of the preamble (1-based)."""
        return 3 if self.title else 1

    @property
    def header_row(self) -> int:
        pre = len(self.preamble) + 1 if self.preamble else 0
        return self.preamble_row + pre + len(self.head_above)

    @property
    def ncols(self) -> int:
        return max(len(self.header), max(map(len, self.rows), default=0), 1)

    @property
    def last_data_row(self) -> int:
        return self.header_row + max(len(self.rows), 1)

    @property
    def notes_row(self) -> int:
        return self.last_data_row + 2

    def row_heights(self) -> dict[int, float]:
        """Row (1-based) -> height in points for the file writer: the declared ones, and for rows
        holding wrapped text (the header, wrapped columns) an estimate, since a file's rows keep
        one line in LibreOffice (and in Excel until edited).  The Excel door sets only the declared
        ones: Excel sizes the rows it writes itself, exactly."""
        heights = dict(self.heights)
        ncols, hr = self.ncols, self.header_row
        widths = [self.widths.get(j, 14) for j in range(ncols)]
        if hr not in heights:  # the header wraps: its row grows to its longest heading
            h = row_height(max((text_lines(str(x), widths[j], bold=True) for j, x in enumerate(self.header)), default=1))
            if h:
                heights[hr] = h
        wrapped = [(j, per_line(widths[j])) for j in sorted(self.wrap) if j < ncols]
        if wrapped:  # data rows whose wrapped cells need more than one line
            for i, data in enumerate(self.rows):
                r = hr + 1 + i
                if r in heights:
                    continue
                n, width = 1, len(data)
                for j, fits in wrapped:  # most cells fit one line: only longer text, or text with line breaks, is counted
                    if j < width and isinstance(v := data[j], str) and (len(v) > fits or "\n" in v):
                        n = max(n, text_lines(v, widths[j]))
                h = row_height(n)
                if h:
                    heights[r] = h
        return heights

    @property
    def is_landscape(self) -> bool:
        if self.landscape is not None:
            return self.landscape
        return sum(self.widths.get(j, 14) for j in range(self.ncols)) > LANDSCAPE_FROM

    @property
    def has_table(self) -> bool:
        return bool(self.table and self.header and len(set(self.header)) == len(self.header))


# ---------------------------------------------------------------------------------------
# cell text


# characters XML 1.0 cannot carry, and CR (an XML reader turns a literal CR into LF)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # lookahead: "_x005F_x0041_" has two, sharing "_"
CELL_LIMIT = 32_767  # the most characters an Excel cell holds


LANDSCAPE_FROM = 110  # characters: a sheet wider than this prints on landscape pages
LINE_PT = 15.0  # the height of one line of 11-point text, in points
MAX_ROW_PT = 409.0  # Excel's tallest row


def per_line(width: float, bold: bool = False) -> int:
    """How many characters fit on one line of a wrapped cell ``width`` characters wide (lines
    break at spaces, before the edge)."""
    return max(1, int(width * (0.8 if bold else 0.95)))


def text_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (an estimate:
    Excel and LibreOffice size rows only when told, and a row too short hides text)."""
    n = per_line(width, bold)
    return sum(max(1, -(-len(part) // n)) for part in text.split("\n"))


def row_height(lines: int) -> float | None:
    """The explicit height of a row of ``lines`` lines (None for a single line)."""
    return min(MAX_ROW_PT, LINE_PT * lines + 2) if lines > 1 else None


def clip(s: str) -> str:
    """Text composed by xlpy (a title, a header with a name in it) cut to what a cell holds."""
    return s if len(s) <= CELL_LIMIT else s[: CELL_LIMIT - 1] + "…"


_PLAIN = re.compile("[^&<>\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff\ud800-\udfff_]*")  # text that needs no escaping (a "_" is looked at)


def text_xml(s: str) -> str:
    """Text for a ``<t>`` element: XML-escaped; characters XML cannot carry (and CR) and
    literal ``_xHHHH_`` sequences escaped the way Excel does (``_x000D_``, ``_x005F_x…``)."""
    if _PLAIN.fullmatch(s) is not None:
        return s
    if "_x" in s:
        s = _ESCAPE_LIKE.sub("_x005F_", s)
    if _ILLEGAL.search(s):
        s = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr_xml(s: str) -> str:
    """Text for an attribute: as :func:`text_xml`, with quotes, tabs and line feeds as character
    references (an XML reader turns literal ones into spaces)."""
    return text_xml(s).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def col_letter(n: int) -> str:
    """Excel column letters of a 1-based column number (1 → A, 27 → AA)."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def serial(v: dt.date | dt.datetime, date1904: bool = False) -> float:
    if not isinstance(v, dt.datetime):
        v = dt.datetime(v.year, v.month, v.day)
    d = v - (_EPOCH_1904 if date1904 else _EPOCH_1900)
    return d.days + d.seconds / 86400


def _plain(v: Any) -> Any:
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()  # numpy scalar
        except (TypeError, ValueError):
            pass
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return v


# ---------------------------------------------------------------------------------------
# the worksheet part


class Written(NamedTuple):
    """What :func:`worksheet_xml` produced besides the XML: what the package must add."""

    xml: str  # from worksheet_xml; render_sheets gives it as UTF-8 bytes
    table_ref: str | None = None
    print_titles: str | None = None
    chart_rows: tuple[int, int] | None = None  # first and last data row (1-based) the chart covers


def _cell_slow(ref: str, v: Any, s: int, x_date: int, formatted: bool, date1904: bool) -> str:
    """Any other value: bool, date, numpy scalar, list… (after :func:`_plain`)."""
    if v is None or v == "":
        return f'<c r="{ref}" s="{s}"/>'
    if isinstance(v, bool):
        return f'<c r="{ref}" s="{s}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}" s="{s}"><v>{float(v)!r}</v></c>'
    if isinstance(v, (dt.date, dt.datetime)):
        return f'<c r="{ref}" s="{s if formatted else x_date}"><v>{serial(v, date1904)!r}</v></c>'
    return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{text_xml(clip(str(v)))}</t></is></c>'


def sheet_styles(out: OutputSheet, styles: S.StyleSheet) -> tuple[int, int, int, list[int], int]:
    """The styles sheet ``out`` uses, added to ``styles`` where missing: (title, header, note,
    each column's body, date) style indexes; the styled cells above the table are added too."""
    body = S.input_cell if out.input else S.body
    xfs = (styles.xf(S.TITLE), styles.xf(S.HEADER), styles.xf(S.NOTE),
           [styles.xf(body(out.formats.get(j), j in out.wrap)) for j in range(out.ncols)], styles.xf(body("dd/mm/yyyy")))
    for cells in (*out.preamble, *out.head_above):
        for v in cells:
            if isinstance(v, Styled):
                styles.xf(v.style)
    return xfs


def worksheet_xml(out: OutputSheet, styles: S.StyleSheet, *, date1904: bool = False,
                  table_rid: str | None = None, drawing_rid: str | None = None) -> Written:
    ncols = out.ncols
    hr = out.header_row
    letters = [col_letter(j + 1) for j in range(ncols)]
    x_title, x_head, x_note, x_body, x_date = sheet_styles(out, styles)
    rows: list[str] = []
    ap = rows.append
    if out.title:
        ap(f'<row r="1"><c r="A1" s="{x_title}" t="inlineStr"><is><t xml:space="preserve">{text_xml(clip(out.title))}</t></is></c></row>')
    heights = out.row_heights()

    def ht(r: int) -> str:
        h = heights.get(r)
        return f' ht="{h:g}" customHeight="1"' if h else ""

    def line(r: int, cells: list[Any], default: int | None) -> str:
        out_cells = []
        for j, v in enumerate(cells):
            xf = default
            if isinstance(v, Styled):
                xf, v = styles.xf(v.style), v.value
            v = _plain(v)
            st = f' s="{xf}"' if xf is not None else ""
            if v is None or v == "":
                if xf is not None:
                    out_cells.append(f'<c r="{col_letter(j + 1)}{r}"{st}/>')
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out_cells.append(f'<c r="{col_letter(j + 1)}{r}"{st}><v>{v!r}</v></c>')
            else:
                out_cells.append(f'<c r="{col_letter(j + 1)}{r}"{st} t="inlineStr"><is><t xml:space="preserve">{text_xml(clip(str(v)))}</t></is></c>')
        return f'<row r="{r}"{ht(r)}>{"".join(out_cells)}</row>'

    for i, cells in enumerate(out.preamble):
        ap(line(out.preamble_row + i, cells, None))
    first_head = hr - len(out.head_above)
    for i, cells in enumerate(out.head_above):
        ap(line(first_head + i, list(cells) + [""] * (ncols - len(cells)), x_head))
    head_cells = "".join(
        f'<c r="{letters[j]}{hr}" s="{x_head}" t="inlineStr"><is><t xml:space="preserve">{text_xml(clip(str(h)))}</t></is></c>'
        for j, h in enumerate(out.header)
    )
    ap(f'<row r="{hr}"{ht(hr)}>{head_cells}</row>')
    r = hr
    # the hot loop of every compute: strings per column prepared once, a fast path by exact type,
    # each cell's pieces appended as they are (one join at the end, no concatenation per cell)
    columns = [(f'<c r="{L}', f'" s="{x}"/>', f'" s="{x}"><v>', f'" s="{x}" t="inlineStr"><is><t xml:space="preserve">', j)
               for j, (L, x) in enumerate(zip(letters, x_body))]
    inf = float("inf")
    esc: dict[str, str] = {}  # each text escaped once: block names, places, titles and verdicts repeat down a sheet
    put = rows.extend
    for data in out.rows:
        r += 1
        rs = str(r)
        ap(f'<row r="{rs}"{ht(r)}>' if heights else f'<row r="{rs}">')
        if len(data) < ncols:
            data = [*data, *[None] * (ncols - len(data))]
        for (c_open, c_empty, c_num, c_str, j), v in zip(columns, data):
            t = type(v)
            if t is str:
                if v:
                    x = esc.get(v)
                    if x is None:
                        x = esc[v] = text_xml(v if len(v) <= CELL_LIMIT else clip(v))
                    put((c_open, rs, c_str, x, "</t></is></c>"))
                else:
                    put((c_open, rs, c_empty))
            elif t is float:
                if v != v or v == inf or v == -inf:
                    put((c_open, rs, c_empty))
                else:
                    put((c_open, rs, c_num, repr(v), "</v></c>"))
            elif v is None:
                put((c_open, rs, c_empty))
            elif t is int:
                put((c_open, rs, c_num, str(v), "</v></c>"))
            else:
                ap(_cell_slow(f"{letters[j]}{rs}", _plain(v), x_body[j], x_date, j in out.formats, date1904))
        ap("</row>")
    if not out.rows:  # a table needs one data row; keep the body styled
        r += 1
        ap(f'<row r="{r}">' + "".join(f'<c r="{letters[j]}{r}" s="{x_body[j]}"/>' for j in range(ncols)) + "</row>")
    last = r
    nr = out.notes_row
    for i, note in enumerate(out.notes):
        ap(f'<row r="{nr + i}"><c r="A{nr + i}" s="{x_note}" t="inlineStr"><is><t xml:space="preserve">{text_xml(clip(note))}</t></is></c></row>')
    end_row = max(last, nr + len(out.notes) - 1)
    dim = f"A1:{letters[-1]}{end_row}"

    cols = "".join(
        f'<col min="{j + 1}" max="{j + 1}" width="{out.widths.get(j, 14)}" customWidth="1"/>' for j in range(ncols)
    )
    landscape = out.is_landscape
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        f'<sheetPr><tabColor rgb="FF{out.tab_color}"/><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="{dim}"/>',
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{hr}" topLeftCell="A{hr + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{hr + 1}" sqref="A{hr + 1}"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>",
        "<sheetData>", "".join(rows), "</sheetData>",
    ]
    if out.merges:
        refs = "".join(f'<mergeCell ref="{col_letter(c0)}{r0}:{col_letter(c1)}{r1}"/>' for r0, c0, r1, c1 in out.merges)
        parts.append(f'<mergeCells count="{len(out.merges)}">{refs}</mergeCells>')
    parts += [
        '<printOptions horizontalCentered="1"/>',
        '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>',
        f'<pageSetup paperSize="9" orientation="{"landscape" if landscape else "portrait"}" fitToWidth="1" fitToHeight="0"/>',
        "<headerFooter><oddFooter>&amp;C&amp;\"Times New Roman,Regular\"&amp;10Trang &amp;P/&amp;N</oddFooter></headerFooter>",
    ]
    if drawing_rid:
        parts.append(f'<drawing r:id="{drawing_rid}"/>')
    if table_rid:
        parts.append(f'<tableParts count="1"><tablePart r:id="{table_rid}"/></tableParts>')
    parts.append("</worksheet>")
    table_ref = f"A{hr}:{letters[-1]}{last}" if out.has_table else None
    titles = f"${hr - len(out.head_above)}:${hr}"
    return Written("".join(parts), table_ref, titles, (hr + 1, hr + len(out.rows)) if out.rows else None)


FORK_FROM = 50_000  # cells: another process renders sheets only when both it and this one have this much to do


def render_sheets(jobs: Sequence[tuple[OutputSheet, dict[str, Any]]], styles: S.StyleSheet) -> list[Written]:
    """:func:`worksheet_xml` of each (sheet, keyword arguments), the XML as UTF-8 bytes.

    Where xlpy forks (:func:`xlpy.procs.forks`), sheets large enough to pay (a province's units
    and proposals, a 10,000-unit block's results and differences) are split between this process
    and a forked one, by their cells.  Every style any sheet uses is added to ``styles`` first,
    so both processes number styles alike; should the forked process still need a new one, or
    fail, this one renders its sheets as well."""

    def here(k: int) -> Written:
        out, kw = jobs[k]
        return _encoded(worksheet_xml(out, styles, **kw))

    theirs = _forked_share([len(out.rows) * out.ncols for out, _kw in jobs])
    if not theirs or not _can_fork():
        return [here(k) for k in range(len(jobs))]
    for out, _kw in jobs:
        sheet_styles(out, styles)
    result = _in_fork([jobs[k] for k in theirs], styles)
    try:
        done = {k: here(k) for k in range(len(jobs)) if k not in theirs}
    finally:
        forked = result()  # always waited for, so that no forked process outlives a failure here
    done.update(zip(theirs, forked or [here(k) for k in theirs]))
    return [done[k] for k in range(len(jobs))]


def _forked_share(sizes: list[int]) -> list[int]:
    """The sheets (positions) a forked process renders: sheets dealt largest first, each to the
    side with fewer cells so far; none unless both sides get at least ``FORK_FROM`` cells."""
    load = [0, 0]
    theirs = []
    for k in sorted(range(len(sizes)), key=lambda k: -sizes[k]):
        side = 0 if load[0] <= load[1] else 1
        load[side] += sizes[k]
        if side:
            theirs.append(k)
    return theirs if min(load) >= FORK_FROM else []


def _encoded(w: Written) -> Written:
    return w._replace(xml=w.xml.encode("utf-8"))


def _can_fork() -> bool:
    import threading

    from ..procs import forks

    return forks() and threading.active_count() == 1  # a process with threads is not forked


def _in_fork(jobs: Sequence[tuple[OutputSheet, dict[str, Any]]], styles: S.StyleSheet) -> Callable[[], list[Written] | None]:
    """Render ``jobs`` in a forked process; the returned function waits for them (None: render here)."""
    import os
    import pickle

    try:
        r, w = os.pipe()
    except OSError:
        return lambda: None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return lambda: None
    if pid == 0:  # the forked process: render, send, leave at once (no clean-up of the parent's state)
        code = 1
        try:
            os.close(r)
            before = styles.added
            written = [_encoded(worksheet_xml(out, styles, **kw)) for out, kw in jobs]
            with os.fdopen(w, "wb") as fh:
                if styles.added == before:
                    fh.write(pickle.dumps(written, pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(w)

    def result() -> list[Written] | None:
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
        _pid, status = os.waitpid(pid, 0)
        return pickle.loads(data) if status == 0 and data else None

    return result


def table_xml(out: OutputSheet, ref: str, table_id: int, name: str) -> str:
    cols = "".join(f'<tableColumn id="{i}" name="{_table_col_name(h)}"/>' for i, h in enumerate(out.header, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{MAIN_NS}" id="{table_id}" name="{name}" displayName="{name}" ref="{ref}" totalsRowShown="0">'
        f'<autoFilter ref="{ref}"/>'
        f'<tableColumns count="{len(out.header)}">{cols}</tableColumns>'
        '<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>'
        "</table>"
    )


def _table_col_name(h: str) -> str:
    # a table column name is the header cell's text, control characters escaped as Excel does
    name = text_xml(clip(str(h))).replace('"', "&quot;")
    return name.replace("\t", "_x0009_").replace("\n", "_x000a_")


def table_name(sheet: str) -> str:
    """An Excel table name from a sheet name: ASCII letters, digits and underscores."""
    from ..core.text import unaccent

    base = re.sub(r"[^A-Za-z0-9_]", "_", unaccent(sheet)).strip("_") or "Bang"
    return "tbl_" + base


# ---------------------------------------------------------------------------------------
# the chart: a drawing part holding one bar chart part


def drawing_xml(from_row: int, to_row: int, from_col: int = 0, to_col: int = 10) -> str:
    """A drawing anchoring one chart (relationship rId1) over the given cells (0-based)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<xdr:twoCellAnchor editAs="oneCell">'
        f"<xdr:from><xdr:col>{from_col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{from_row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f"<xdr:to><xdr:col>{to_col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{to_row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Biểu đồ tổng điểm"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{REL_NS}" r:id="rId1"/>'
        "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )


def chart_xml(out: OutputSheet, first: int, last: int) -> str:
    """A horizontal bar chart of ``out.chart.value_col`` over data rows ``first..last``
    (1-based), labelled by ``label_col``, rank 1 on top, each bar showing its value."""
    ch = out.chart
    assert ch is not None
    sheet = quote_sheet(out.name)
    lc, vc = col_letter(ch.label_col + 1), col_letter(ch.value_col + 1)
    cat_ref = f"{sheet}!${lc}${first}:${lc}${last}"
    val_ref = f"{sheet}!${vc}${first}:${vc}${last}"
    labels = [_plain(r[ch.label_col]) if ch.label_col < len(r) else "" for r in out.rows]
    values = [_plain(r[ch.value_col]) if ch.value_col < len(r) else None for r in out.rows]
    n = len(out.rows)
    str_pts = "".join(f'<c:pt idx="{i}"><c:v>{text_xml(str(v or ""))}</c:v></c:pt>' for i, v in enumerate(labels))
    num_pts = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>' for i, v in enumerate(values) if isinstance(v, (int, float)))
    fmt = attr_xml(ch.number_format)
    txpr = ('<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:latin typeface="Times New Roman"/></a:defRPr>'
            '</a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{REL_NS}">'
        '<c:roundedCorners val="0"/><c:chart>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="vi-VN" sz="1200" b="1"/><a:t>{text_xml(ch.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        '<c:ser><c:idx val="0"/><c:order val="0"/>'
        '<c:spPr><a:solidFill><a:srgbClr val="1F4E79"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>'
        f'<c:dLbls><c:numFmt formatCode="{fmt}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{txpr}'
        '<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f'<c:cat><c:strRef><c:f>{text_xml(cat_ref)}</c:f><c:strCache><c:ptCount val="{n}"/>{str_pts}</c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>{text_xml(val_ref)}</c:f><c:numCache><c:formatCode>{text_xml(ch.number_format)}</c:formatCode>'
        f'<c:ptCount val="{n}"/>{num_pts}</c:numCache></c:numRef></c:val>'
        "</c:ser>"
        '<c:gapWidth val="60"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>'
        '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/>{txpr}<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="b"/><c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{text_xml(ch.value_title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        f'<c:numFmt formatCode="{fmt}" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/>{txpr}<c:crossAx val="500000001"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'
        "</c:plotArea><c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
        '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>'
        "</c:chartSpace>"
    )


def chart_anchor(out: OutputSheet) -> tuple[int, int, int, int]:
    """(from_row, to_row, from_col, to_col), 0-based, for the chart: below the notes,
    tall enough for one readable bar per unit."""
    start = out.notes_row + len(out.notes) + 1  # 1-based row after a blank line
    height = max(12, int(len(out.rows) * 1.3) + 5)
    width = min(max(out.ncols, 8), 12)
    return start - 1, start - 1 + height, 0, width
