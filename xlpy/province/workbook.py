"""The province workbook's own input sheets: read (settings, expected blocks) and, for a
new workbook, built from their declarations in :mod:`xlpy.schema.province` the way
:mod:`xlpy.book.template` builds a block's workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..core.problems import Problems
from ..schema import province as P
from ..schema.base import SettingValues, match_name, read_settings, read_table
from .model import Expected, ProvinceSettings

GUIDE_LINES = [
    ("xlpy – Tổng hợp kết quả thi đua các cụm, khối (cấp tỉnh)", True),
    ("", False),
    ("Các bước:", True),
    ("1. Trang “Cài đặt tỉnh”: tên tỉnh, năm, hạn nộp sổ tính của khối, thư mục chứa sổ tính các khối, các tỷ lệ khen thưởng của tỉnh.", False),
    ("2. Trang “Danh sách khối”: mỗi khối phải nộp một dòng (mã, tên như ô “Tên khối” trong sổ tính của khối, tên tệp nếu biết).", False),
    ("3. Chép sổ tính (.xlsx) của các khối vào thư mục đã ghi, rồi bấm “Tổng hợp cấp tỉnh” (hoặc chạy: xlpy consolidate SỔ-TỈNH.xlsx;", False),
    ("   hoặc: xlpy province THƯ-MỤC --out SỔ-TỈNH.xlsx).", False),
    ("4. Xem kết quả: Tổng hợp các khối, Kết quả các khối, Đề nghị các khối, Kiểm tra cấp tỉnh, Lỗi các khối, Biểu 0603.N.", False),
    ("", False),
    ("Sổ tính của khối bị lỗi được liệt kê ở trang “Lỗi các khối” (tệp, trang, ô, cách sửa); các khối khác vẫn được tổng hợp.", False),
    ("Ô nền vàng nhạt: ô nhập liệu. Trang nền xanh: xlpy ghi lại toàn bộ mỗi lần tổng hợp, không sửa tay.", False),
    ("xlpy không sửa ô nhập liệu và không sửa sổ tính của các khối.", False),
]


def province_sheets(book: Any) -> dict[str, str]:
    """Canonical province input sheet -> its name in the book (matched as the schema says)."""
    out: dict[str, str] = {}
    for name in book.sheet_names():
        m = match_name(name, [P.SETTINGS, P.EXPECTED])
        if m.canonical is not None and m.canonical not in out:
            out[m.canonical] = name
    return out


def is_province_book(book: Any) -> bool:
    return P.SETTINGS in province_sheets(book)


def read_inputs(book: Any, problems: Problems) -> tuple[SettingValues, list[Expected]]:
    """The province settings and the expected blocks, every bad cell a problem."""
    sheets = province_sheets(book)
    name = sheets.get(P.SETTINGS)
    grid = book.grid(name) if name else None
    values = read_settings(grid, P.SETTINGS_SPECS, P.SETTINGS, problems, book.merged(name) if name else [])
    expected: list[Expected] = []
    ename = sheets.get(P.EXPECTED)
    if ename:
        data = read_table(book.grid(ename), P.EXPECTED_TABLE, problems, book.merged(ename))
        seen: dict[str, str] = {}
        for r in (data.rows if data else []):
            code, nm = r.get("code", ""), r.get("name", "")
            if not code or not nm:
                key = "code" if not code else "name"
                problems.add("missing_value", P.EXPECTED, r.addr(key), None, "mã và tên khối",
                             f"Dòng {r.number} của trang “{P.EXPECTED}” thiếu {'mã' if not code else 'tên'} khối.")
                continue
            if code in seen:
                problems.add("duplicate_code", P.EXPECTED, r.addr("code"), code, "mỗi khối một dòng",
                             f"Mã khối “{code}” bị trùng với ô {seen[code]}.")
                continue
            seen[code] = r.addr("code")
            expected.append(Expected(code, nm, r.get("file", ""), r.get("leader", ""), r.number))
    return values, expected


def settings_from(values: SettingValues, problems: Problems) -> ProvinceSettings:
    from dataclasses import fields

    from ..rules.quotas import as_fraction

    kw: dict[str, Any] = {}
    names = {f.name for f in fields(ProvinceSettings)}
    for spec in P.SETTINGS_SPECS:
        if spec.attr not in names:
            continue
        v = values.get(spec.attr)
        if spec.kind == "percent" and v is not None:
            v = as_fraction(v)
        if spec.attr == "order":
            tokens = tuple(str(t).strip().upper() for t in (v or ()))
            bad = [t for t in tokens if t not in P.ORDER_TOKENS]
            if bad:
                problems.add("bad_order_token", P.SETTINGS, values.cell("order"), "; ".join(bad), " / ".join(P.ORDER_TOKENS),
                             f"Ô {values.cell('order')}: “{'; '.join(bad)}” không phải khóa hợp lệ; dùng XEP_HANG, TY_LE_NU.")
                tokens = tuple(t for t in tokens if t in P.ORDER_TOKENS)
            v = tokens
        if v is None and spec.attr in ("co_tinh_per_block",):
            v = spec.default
        kw[spec.attr] = v
    if kw.get("women_threshold") is None:
        kw["women_threshold"] = as_fraction(70)
    extra = {spec.attr: values.get(spec.attr) for spec in P.SETTINGS_SPECS if spec.attr not in names}
    return ProvinceSettings(**kw, extra=extra)


def new_province_workbook(path: str | Path, settings: Mapping[str, Any] | None = None,
                          expected: list[Mapping[str, Any]] | None = None, outputs: Sequence[Any] = ()) -> Path:
    """A new province workbook: guide, “Cài đặt tỉnh” (every declared key, ``settings`` by label),
    “Danh sách khối” (``expected`` rows by column key), and the output sheets (``outputs``,
    written by the surgical writer; placeholders for those not given), in one atomic write."""
    from ..fsio import atomic_write

    path = Path(path)
    if not outputs:
        wb = _blank_workbook(settings, expected, ())
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: wb.save(tmp))
        return path
    return write_province_workbook(blank_province_package(path, settings, expected, [o.name for o in outputs]), outputs)


def blank_province_package(path: str | Path, settings: Mapping[str, Any] | None = None,
                           expected: list[Mapping[str, Any]] | None = None, outputs: Sequence[str] = ()) -> Any:
    """The package of a new province workbook before its output sheets (named ``outputs``; a
    placeholder for each other one) are put in: built while the blocks are being read."""
    import io

    from ..book.package import Package

    buf = io.BytesIO()
    _blank_workbook(settings, expected, outputs).save(buf)
    return Package(Path(path), buf.getvalue())


def write_province_workbook(pkg: Any, outputs: Sequence[Any]) -> Path:
    """``pkg`` (:func:`blank_province_package`) with ``outputs`` put in, written atomically to its
    path (its folder created)."""
    from ..book.io import write_package

    pkg.path.parent.mkdir(parents=True, exist_ok=True)
    return write_package(pkg, outputs)


def _blank_workbook(settings: Mapping[str, Any] | None, expected: list[Mapping[str, Any]] | None, given: Sequence[str]) -> Any:
    import openpyxl

    from ..book import template as T

    wb = openpyxl.Workbook()
    T.guide_sheet(wb.active, P.GUIDE, GUIDE_LINES)
    T.settings_sheet(wb, settings or {}, P.SETTINGS_SPECS, name=P.SETTINGS)
    T.input_table_sheet(wb, P.EXPECTED_TABLE, expected or [], blank_rows=0 if expected else 20)
    for name in P.OUTPUTS:
        if name not in given:
            T.output_placeholder(wb, name, "Tổng hợp cấp tỉnh")
    return wb
