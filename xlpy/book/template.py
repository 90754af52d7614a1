"""Building canonical workbooks: the blank one (``xlpy new``) and filled ones (samples).

Input sheets get a pale-yellow input area, Excel tables, data-validation lists
and header notes; output sheets are created empty with a note saying xlpy
fills them.  The workbook is macro-free (.xlsx) so it can travel by email.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.model import DEFAULT_CLASSES, KIND_LABELS
from . import layout as L
from .io import atomic_save
from .write import BORDER, INPUT_FILL, add_table, style_header, table_name

GUIDE_LINES = [
    ("xlpy – Chấm điểm, xếp hạng thi đua khối/cụm", True),
    ("", False),
    ("Các bước:", True),
    ("1. Trang “Cài đặt”: nhập tên khối, năm, kỳ đánh giá, ngày xét, cách xếp hạng, thứ tự phá hòa.", False),
    ("2. Trang “Đơn vị”: mỗi đơn vị thành viên một dòng, mã không trùng; tỷ lệ nữ (%) nếu dùng ưu tiên nữ khi bằng điểm.", False),
    ("3. Trang “Tiêu chí”: các nhóm (Loại = Nhóm) và tiêu chí với mã, loại, điểm tối đa, trọng số (nếu có).", False),
    ("   Loại: Điểm (nhập điểm); Tỷ lệ (đạt/chỉ tiêu × điểm tối đa); Chỉ tiêu (công thức so với chỉ tiêu và đơn vị dẫn đầu);", False),
    ("   Số lần (số lần × điểm mỗi lần, không quá điểm tối đa); Bậc thưởng (theo trang Bậc điểm); Điểm thưởng; Điểm trừ.", False),
    ("4. Bấm “Tạo bảng chấm” (hoặc chạy: xlpy prepare SỔ.xlsx) để tạo các cột tiêu chí ở các trang chấm điểm.", False),
    ("5. Nhập điểm ở “Tự chấm” (đơn vị tự chấm), “Khối chấm” (khối trưởng, khối phó chấm lại), “Ban TĐKT chấm” (chỉ các mục Ban chấm).", False),
    ("   Với tiêu chí Tỷ lệ/Chỉ tiêu: nhập giá trị thực hiện; chỉ tiêu riêng từng đơn vị ở trang “Chỉ tiêu đơn vị”.", False),
    ("6. Bấm “Kiểm tra dữ liệu”, rồi “Tính điểm”. Kết quả ở trang “Kết quả”, khác biệt giữa các lần chấm ở “Chênh lệch”.", False),
    ("", False),
    ("Ô nền vàng nhạt: ô nhập liệu. Trang nền xanh (Kết quả, Chênh lệch, Kiểm tra…): xlpy ghi lại toàn bộ mỗi lần tính, không sửa tay.", False),
    ("xlpy không bao giờ sửa ô nhập liệu; trước khi ghi, bản cũ được giữ lại thành tệp .bak.xlsx bên cạnh.", False),
    ("Khi có lỗi, xlpy liệt kê mọi lỗi kèm trang, ô, giá trị gặp, giá trị cần và cách sửa; sổ tính giữ nguyên.", False),
]


def _style_input(ws, first_row: int, last_row: int, ncols: int, columns: Sequence[L.Column] = ()) -> None:
    """Pale-yellow, bordered input cells; a column's number format applies to its blank cells too."""
    formats = [c.number_format for c in columns]
    for i in range(first_row, last_row + 1):
        for j in range(1, ncols + 1):
            c = ws.cell(row=i, column=j)
            c.fill = INPUT_FILL
            c.border = BORDER
            if j <= len(formats) and formats[j - 1]:
                c.number_format = formats[j - 1]


def input_table_sheet(
    wb,
    name: str,
    columns: Sequence[L.Column],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    blank_rows: int = 0,
) -> Any:
    """An input sheet: header with notes, the rows (mappings by column key, or sequences in
    column order), pale-yellow input cells, list validation for choice columns, an Excel table."""
    ws = wb.create_sheet(name)
    for j, col in enumerate(columns, start=1):
        c = ws.cell(row=1, column=j, value=col.header)
        if col.help:
            c.comment = Comment(col.help, "xlpy")
        ws.column_dimensions[get_column_letter(j)].width = col.width
    style_header(ws, 1, len(columns))
    n = 0
    for n, row in enumerate(rows, start=1):
        values = [row.get(col.key) for col in columns] if isinstance(row, Mapping) else list(row)
        for j, v in enumerate(values, start=1):
            ws.cell(row=n + 1, column=j, value=v)
    last = max(n, 0) + 1 + blank_rows
    _style_input(ws, 2, max(last, 2), len(columns), columns)
    add_table(ws, 1, len(columns), max(last - 1, 1), table_name(name))
    for j, col in enumerate(columns, start=1):
        if col.choices:
            letter = get_column_letter(j)
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error=f"Chọn một giá trị trong danh sách: {', '.join(col.choices)}",
            )
            dv.add(f"{letter}2:{letter}{max(last, 200)}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "F9A825"
    return ws


def _settings_sheet(wb, values: Mapping[str, Any]) -> None:
    ws = wb.create_sheet(L.SETTINGS)
    for j, h in enumerate(("Khóa", "Giá trị", "Giải thích"), start=1):
        ws.cell(row=1, column=j, value=h)
    style_header(ws, 1, 3)
    specs = L.ordered_settings()
    for i, spec in enumerate(specs, start=2):
        ws.cell(row=i, column=1, value=spec.key).font = Font(bold=True)
        v = values.get(spec.key, _default_label(spec))
        if isinstance(v, (list, tuple)):
            v = "; ".join(v)
        c = ws.cell(row=i, column=2, value=v)
        c.fill = INPUT_FILL
        c.border = BORDER
        if spec.kind == "date":
            c.number_format = "dd/mm/yyyy"
        ws.cell(row=i, column=3, value=spec.help).alignment = Alignment(wrap_text=True, vertical="top")
        if spec.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(spec.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error="Chọn một giá trị trong danh sách.",
            )
            dv.add(f"B{i}")
            ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 80
    add_table(ws, 1, 3, len(specs), table_name(L.SETTINGS))
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "F9A825"


def _default_label(spec: L.SettingSpec) -> Any:
    if spec.choices:
        for label, value in spec.choices.items():
            if value == spec.default:
                return label
    if spec.default in (None, ()):
        return None
    return spec.default


def stage_columns(criteria: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(c["code"]) for c in criteria if str(c.get("kind", "")) != "Nhóm"]


def _matrix_sheet(
    wb,
    name: str,
    units: Sequence[Mapping[str, Any]],
    criteria: Sequence[Mapping[str, Any]],
    values: Mapping[str, Mapping[str, Any]],
    codes: list[str] | None = None,
) -> None:
    ws = wb.create_sheet(name)
    codes = stage_columns(criteria) if codes is None else codes
    names = {str(c["code"]): c for c in criteria}
    header = ["Mã đơn vị", "Tên đơn vị", *codes]
    for j, h in enumerate(header, start=1):
        c = ws.cell(row=1, column=j, value=h)
        if h in names:
            crit = names[h]
            c.comment = Comment(f"{crit.get('name', '')}\nLoại: {crit.get('kind', '')}; tối đa {crit.get('max_points', '')}", "xlpy")
        ws.column_dimensions[get_column_letter(j)].width = 12 if j > 2 else (12 if j == 1 else 36)
    style_header(ws, 1, len(header))
    for i, u in enumerate(units, start=2):
        ws.cell(row=i, column=1, value=u["code"])
        ws.cell(row=i, column=2, value=u.get("name"))
        row = values.get(str(u["code"]), {})
        for j, code in enumerate(codes, start=3):
            v = row.get(code)
            if v is not None:
                ws.cell(row=i, column=j, value=v)
    last = max(len(units) + 1, 2)
    _style_input(ws, 2, last, len(header))
    add_table(ws, 1, len(header), last - 1, table_name(name))
    ws.freeze_panes = "C2"
    ws.sheet_properties.tabColor = "F9A825"


def _output_placeholder(wb, name: str) -> None:
    ws = wb.create_sheet(name)
    ws["A1"] = f"Trang “{name}” do xlpy ghi khi bấm Tính điểm; không nhập dữ liệu ở đây."
    ws["A1"].font = Font(italic=True, color="555555")
    ws.column_dimensions["A"].width = 90
    ws.sheet_properties.tabColor = "2E7D32"


def build_workbook(
    path: str | Path,
    *,
    settings: Mapping[str, Any] | None = None,
    units: Sequence[Mapping[str, Any]] = (),
    criteria: Sequence[Mapping[str, Any]] = (),
    bands: Sequence[Mapping[str, Any]] = (),
    classes: Sequence[tuple[str, float]] | None = None,
    stages: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    targets: Mapping[str, Mapping[str, Any]] | None = None,
    extra: Callable[[Any], None] | None = None,
    blank_rows: int = 0,
) -> Path:
    """Write a canonical workbook.  ``stages`` maps "self"/"block"/"office" to
    ``{unit_code: {criterion_code: value}}``; ``extra`` may add sheets (rules)."""
    path = Path(path)
    stages = stages or {}
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = L.GUIDE
    for i, (text, bold) in enumerate(GUIDE_LINES, start=1):
        c = guide.cell(row=i, column=1, value=text)
        c.font = Font(bold=bold, size=14 if i == 1 else 11)
    guide.column_dimensions["A"].width = 130
    guide.sheet_properties.tabColor = "1F4E79"
    _settings_sheet(wb, settings or {})
    input_table_sheet(wb, L.UNITS, L.UNIT_COLUMNS, units, blank_rows=blank_rows)
    input_table_sheet(wb, L.CRITERIA, L.CRITERIA_COLUMNS, criteria, blank_rows=blank_rows)
    input_table_sheet(wb, L.BANDS, L.BAND_COLUMNS, bands, blank_rows=blank_rows)
    cls = classes if classes is not None else [(c.name, c.min_pct) for c in DEFAULT_CLASSES]
    input_table_sheet(wb, L.CLASSES, L.CLASS_COLUMNS, [{"name": n, "min_pct": p} for n, p in cls])
    for key, sheet in L.STAGE_SHEETS.items():
        _matrix_sheet(wb, sheet, units, criteria, stages.get(key, {}))
    measured = [str(c["code"]) for c in criteria if c.get("kind") in (KIND_LABELS_RATIO_TARGET)]
    _matrix_sheet(wb, L.TARGETS, units, criteria, targets or {}, codes=measured)
    if extra is not None:
        extra(wb)
    for name in (L.RESULTS, L.DIFFS, L.CHECKS):
        _output_placeholder(wb, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_save(wb, path, backup=False)
    return path


KIND_LABELS_RATIO_TARGET = ("Tỷ lệ", "Chỉ tiêu")
assert all(k in KIND_LABELS.values() for k in KIND_LABELS_RATIO_TARGET)


def new_workbook(path: str | Path, *, block_name: str = "", year: int | None = None) -> Path:
    """The blank canonical workbook, with a few empty input rows styled for typing."""
    settings: dict[str, Any] = {}
    if block_name:
        settings["Tên khối"] = block_name
    if year:
        settings["Năm"] = year
    extra = None
    try:  # award-rule sheets, when the rules package is present
        from ..rules.samples import add_blank_rules_sheets as extra  # type: ignore[no-redef]
    except ImportError:
        pass
    return build_workbook(path, settings=settings, blank_rows=15, extra=extra)
