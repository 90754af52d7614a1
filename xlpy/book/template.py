"""Building canonical workbooks: the blank one (``xlpy new``) and filled ones (samples).

Every input sheet is built from its declaration in :mod:`xlpy.schema` (headers with
notes, pale-yellow input cells, data-validation lists for choices, an Excel table);
output sheets are created empty with a note saying xlpy fills them.  The workbook is
macro-free (.xlsx) so it can travel by email.  Text is always written as text: a
name typed ``=HYPERLINK(…)`` stays a name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from ..schema import core as S
from ..schema import rules as R
from ..schema import year as Y
from ..schema.base import Setting, Table
from . import styles as ST
from .sheet import LANDSCAPE_FROM, table_name

THIN = Side(style="thin", color=ST.BORDER_COLOR)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor=ST.HEADER_FILL)
HEADER_FONT = Font(bold=True, color=ST.HEADER_FONT)
INPUT_FILL = PatternFill("solid", fgColor=ST.INPUT_FILL)

GUIDE_LINES = [
    ("xlpy – Chấm điểm, xếp hạng thi đua khối/cụm", True),
    ("", False),
    ("Các bước:", True),
    ("0. Đầu năm: trang “Đăng ký thi đua”: danh hiệu mỗi đơn vị (và cá nhân) đăng ký, ngày đăng ký, ký giao ước thi đua.", False),
    ("1. Trang “Cài đặt”: nhập tên khối, năm, kỳ đánh giá, ngày xét, cách xếp hạng, thứ tự phá hòa.", False),
    ("2. Trang “Đơn vị”: mỗi đơn vị thành viên một dòng, mã không trùng; tỷ lệ nữ (%) nếu dùng ưu tiên nữ khi bằng điểm.", False),
    ("3. Trang “Tiêu chí”: các nhóm (Loại = Nhóm) và tiêu chí với mã, loại, điểm tối đa, trọng số (nếu có).", False),
    ("   Loại: Điểm (nhập điểm); Tỷ lệ (đạt/chỉ tiêu × điểm tối đa); Chỉ tiêu (công thức so với chỉ tiêu và đơn vị dẫn đầu);", False),
    ("   Số lần (số lần × điểm mỗi lần, không quá điểm tối đa); Bậc thưởng (theo trang Bậc điểm); Điểm thưởng; Điểm trừ.", False),
    ("4. Bấm “Tạo bảng chấm” (hoặc chạy: xlpy prepare SỔ.xlsx) để tạo các cột tiêu chí ở các trang chấm điểm.", False),
    ("5. Nhập điểm ở “Tự chấm” (đơn vị tự chấm), “Khối chấm” (khối trưởng, khối phó chấm lại), “Ban TĐKT chấm” (chỉ các mục Ban chấm).", False),
    ("   Với tiêu chí Tỷ lệ/Chỉ tiêu: nhập giá trị thực hiện; chỉ tiêu riêng từng đơn vị ở trang “Chỉ tiêu đơn vị”.", False),
    ("6. Bấm “Kiểm tra dữ liệu”, rồi “Tính điểm”. Kết quả ở trang “Kết quả”, khác biệt giữa các lần chấm ở “Chênh lệch”.", False),
    ("7. Khi có quyết định khen thưởng: ghi Được khen / Không được khen ở cột “Quyết định” (trang Đề nghị khen thưởng), rồi bấm", False),
    ("   “Sang năm mới”: xlpy tạo sổ năm sau, chép khen thưởng đã quyết định vào Lịch sử khen thưởng, luân phiên Khối trưởng.", False),
    ("", False),
    ("Ô nền vàng nhạt: ô nhập liệu. Trang nền xanh (Kết quả, Chênh lệch, Kiểm tra…): xlpy ghi lại toàn bộ mỗi lần tính, không sửa tay.", False),
    ("xlpy không bao giờ sửa ô nhập liệu; trước khi ghi, bản cũ được giữ lại thành tệp .bak.xlsx bên cạnh.", False),
    ("Khi có lỗi, xlpy liệt kê mọi lỗi kèm trang, ô, giá trị gặp, giá trị cần và cách sửa; sổ tính giữ nguyên.", False),
]


def put(ws, row: int, col: int, value: Any):
    """Write a value; text stays text (never a formula, whatever it starts with)."""
    c = ws.cell(row=row, column=col)
    c.value = value
    if isinstance(value, str) and c.data_type == "f":
        c.data_type = "s"
    return c


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
    t = XlTable(displayName=name, ref=f"A{first_row}:{get_column_letter(ncols)}{last}")
    t.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(t)


def _style_input(ws, first_row: int, last_row: int, ncols: int, formats: Sequence[str | None] = ()) -> None:
    """Pale-yellow, bordered input cells; a column's number format applies to its blank cells too."""
    for i in range(first_row, last_row + 1):
        for j in range(1, ncols + 1):
            c = ws.cell(row=i, column=j)
            c.fill = INPUT_FILL
            c.border = BORDER
            if j <= len(formats) and formats[j - 1]:
                c.number_format = formats[j - 1]


def _validation(labels: Iterable[str], ref: str, error: str) -> DataValidation:
    labels = list(labels)
    dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True, showErrorMessage=True,
                        errorTitle="Giá trị không hợp lệ", error=error)
    dv.add(ref)
    return dv


def input_table_sheet(wb, table: Table, rows: Iterable[Mapping[str, Any]], *, blank_rows: int = 0) -> Any:
    """An input sheet from its declaration: header with notes, the rows (by column key),
    pale-yellow input cells, list validation for choice columns, an Excel table."""
    ws = wb.create_sheet(table.sheet)
    cols = table.columns
    for j, col in enumerate(cols, start=1):
        c = put(ws, 1, j, col.header)
        if col.help:
            c.comment = Comment(col.help, "xlpy")
        ws.column_dimensions[get_column_letter(j)].width = col.width
    style_header(ws, 1, len(cols))
    n = 0
    for n, row in enumerate(rows, start=1):
        for j, col in enumerate(cols, start=1):
            v = row.get(col.key)
            if v is not None:
                put(ws, n + 1, j, v)
    last = max(n, 0) + 1 + blank_rows
    _style_input(ws, 2, max(last, 2), len(cols), [c.number_format for c in cols])
    add_table(ws, 1, len(cols), max(last - 1, 1), table_name(table.sheet))
    for j, col in enumerate(cols, start=1):
        if col.choices:
            letter = get_column_letter(j)
            ws.add_data_validation(_validation(col.choices, f"{letter}2:{letter}{max(last, 200)}",
                                               f"Chọn một giá trị trong danh sách: {', '.join(col.choices)}"))
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "F9A825"
    print_setup(ws)
    return ws


def settings_sheet(wb, values: Mapping[str, Any], specs: Sequence[Setting], name: str = S.SETTINGS) -> None:
    """Every declared key with its value (``values`` by label; the default otherwise)."""
    ws = wb.create_sheet(name)
    for j, h in enumerate(("Khóa", "Giá trị", "Giải thích"), start=1):
        put(ws, 1, j, h)
    style_header(ws, 1, 3)
    for i, spec in enumerate(specs, start=2):
        put(ws, i, 1, spec.key).font = Font(bold=True)
        v = values.get(spec.key, spec.default_label())
        if isinstance(v, (list, tuple)):
            v = "; ".join(map(str, v))
        c = put(ws, i, 2, v)
        c.fill = INPUT_FILL
        c.border = BORDER
        if spec.kind == "date":
            c.number_format = "dd/mm/yyyy"
        help_text = spec.help + (" (Mẫu Jinja: chỉ dùng các biến trong hướng dẫn.)" if spec.template and "Jinja" not in spec.help else "")
        put(ws, i, 3, help_text).alignment = Alignment(wrap_text=True, vertical="top")
        if spec.choices:
            ws.add_data_validation(_validation(spec.choices, f"B{i}", "Chọn một giá trị trong danh sách."))
    known = {spec.key for spec in specs}
    n = len(specs) + 1
    for key, v in values.items():  # keys xlpy does not declare, as typed (reported when read)
        if key not in known:
            n += 1
            put(ws, n, 1, key).font = Font(bold=True)
            put(ws, n, 2, v)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 80
    add_table(ws, 1, 3, n - 1, table_name(name))
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "F9A825"
    print_setup(ws)


def stage_columns(criteria: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(c["code"]) for c in criteria if str(c.get("kind", "")) != S.GROUP_LABEL]


def _matrix_sheet(wb, name: str, units: Sequence[Mapping[str, Any]], criteria: Sequence[Mapping[str, Any]],
                  values: Mapping[str, Mapping[str, Any]], codes: list[str] | None = None) -> None:
    ws = wb.create_sheet(name)
    codes = stage_columns(criteria) if codes is None else codes
    names = {str(c["code"]): c for c in criteria}
    header = [c.header for c in S.STAGE_KEYS] + codes
    for j, h in enumerate(header, start=1):
        c = put(ws, 1, j, h)
        if h in names:
            crit = names[h]
            c.comment = Comment(f"{crit.get('name', '')}\nLoại: {crit.get('kind', '')}; tối đa {crit.get('max_points', '')}", "xlpy")
        ws.column_dimensions[get_column_letter(j)].width = 12 if j != 2 else 36
    style_header(ws, 1, len(header))
    for i, u in enumerate(units, start=2):
        put(ws, i, 1, u["code"])
        put(ws, i, 2, u.get("name"))
        row = values.get(str(u["code"]), {})
        for j, code in enumerate(codes, start=3):
            v = row.get(code)
            if v is not None:
                put(ws, i, j, v)
    last = max(len(units) + 1, 2)
    _style_input(ws, 2, last, len(header))
    add_table(ws, 1, len(header), last - 1, table_name(name))
    ws.freeze_panes = "C2"
    ws.sheet_properties.tabColor = "F9A825"
    print_setup(ws)


def print_setup(ws, *, header: bool = True) -> None:
    """Print ``ws`` on A4 pages one sheet wide (landscape when its columns are wider than
    :data:`~xlpy.book.sheet.LANDSCAPE_FROM` characters), with its header row on every page."""
    dims = ws.column_dimensions
    width = sum(getattr(dims.get(get_column_letter(j)), "width", None) or 13 for j in range(1, ws.max_column + 1))
    ws.page_setup.orientation = "landscape" if width > LANDSCAPE_FROM else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if header:
        ws.print_title_rows = "1:1"


def guide_sheet(ws, name: str, lines: Sequence[tuple[str, bool]]) -> None:
    """A workbook's first sheet: its guide lines (text, bold), one per row, printed on landscape
    pages as wide as its lines."""
    ws.title = name
    for i, (text, bold) in enumerate(lines, start=1):
        put(ws, i, 1, text).font = Font(bold=bold, size=14 if i == 1 else 11)
    ws.column_dimensions["A"].width = 130
    ws.sheet_properties.tabColor = "1F4E79"
    print_setup(ws, header=False)


def output_placeholder(wb, name: str, button: str = "Tính điểm") -> None:
    ws = wb.create_sheet(name)
    ws["A1"] = f"Trang “{name}” do xlpy ghi khi bấm {button}; không nhập dữ liệu ở đây."
    ws["A1"].font = Font(italic=True, color="555555")
    ws.column_dimensions["A"].width = 90
    ws.sheet_properties.tabColor = "2E7D32"


def build_workbook(
    path: str | Path,
    *,
    settings: Mapping[str, Any] | None = None,
    tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    stages: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    targets: Mapping[str, Mapping[str, Any]] | None = None,
    classes: Sequence[tuple[str, float]] | None = None,
    blank_rows: int = 0,
) -> Path:
    """Write a canonical workbook.  ``settings`` maps settings keys (labels) to values,
    ``tables`` input sheet names to records (dicts by column key), ``stages``
    "self"/"block"/"office" to ``{unit_code: {criterion_code: value}}``."""
    from ..core.model import DEFAULT_CLASSES
    from ..features import settings as declared
    from .io import FileBook  # noqa: F401 - keeps the import graph explicit for readers

    path = Path(path)
    tables = dict(tables or {})
    stages = stages or {}
    units = tables.get(S.UNITS, [])
    criteria = tables.get(S.CRITERIA, [])
    if S.CLASSES not in tables:
        cls = classes if classes is not None else [(c.name, c.min_pct) for c in DEFAULT_CLASSES]
        tables[S.CLASSES] = [{"name": n, "min_pct": p} for n, p in cls]
    wb = openpyxl.Workbook()
    guide_sheet(wb.active, S.GUIDE, GUIDE_LINES)
    settings_sheet(wb, settings or {}, declared())
    for t in (S.UNIT_TABLE, S.CRITERIA_TABLE, S.BAND_TABLE, S.CLASS_TABLE):
        input_table_sheet(wb, t, tables.get(t.sheet, []), blank_rows=0 if t is S.CLASS_TABLE else blank_rows)
    for key, sheet in S.STAGE_SHEETS.items():
        _matrix_sheet(wb, sheet, units, criteria, stages.get(key, {}))
    measured = [str(c["code"]) for c in criteria if c.get("kind") in ("Tỷ lệ", "Chỉ tiêu")]
    _matrix_sheet(wb, S.TARGETS, units, criteria, targets or {}, codes=measured)
    for t in R.TABLES + Y.TABLES:
        input_table_sheet(wb, t, tables.get(t.sheet, []), blank_rows=blank_rows or 5)
    for name in (S.RESULTS, S.DIFFS, S.CHECKS):
        output_placeholder(wb, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    from ..fsio import atomic_write

    atomic_write(path, lambda tmp: wb.save(tmp))
    return path


def new_workbook(path: str | Path, *, block_name: str = "", year: int | None = None) -> Path:
    """The blank canonical workbook, with a few empty input rows styled for typing."""
    from ..features import setting

    settings: dict[str, Any] = {}
    if block_name:
        settings[setting("block_name").key] = block_name
    if year:
        settings[setting("year").key] = year
    return build_workbook(path, settings=settings, blank_rows=15)


_settings_sheet = settings_sheet  # former private names
_output_placeholder = output_placeholder
