"""Reading header-in-row-1 tables from raw cell grids, checking cells as we go.

Light on purpose (no pandas): every feature package's sheet reader uses these
helpers, and the registry imports those readers when the CLI or a ribbon click starts.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any


from ..core.problems import Problems
from . import layout as L
from .io import CellError, Grid


def get_column_letter(n: int) -> str:
    """Excel column letters for a 1-based column number (1 → A, 27 → AA)."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell(row: int, col: int) -> str:
    """Excel address from 0-based grid indices."""
    return f"{get_column_letter(col + 1)}{row + 1}"


def clean_text(v: Any, sheet: str, addr: str, problems: Problems) -> Any:
    """Strip and NFC-normalise text; warn when the cell was typed in another normal form."""
    if isinstance(v, str):
        n = unicodedata.normalize("NFC", v)
        if n != v:
            problems.warn(
                "unicode_nfd",
                sheet,
                addr,
                v,
                "văn bản Unicode dựng sẵn (NFC)",
                "Văn bản được gõ ở dạng Unicode tổ hợp; xlpy đã chuẩn hóa về dạng dựng sẵn để so khớp.",
            )
        return n.strip()
    return v


def code_text(v: Any) -> str:
    """A code as text: 1 and 1.0 → "1", 1.5 → "1.5", text stripped and NFC."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    return unicodedata.normalize("NFC", str(v)).strip()


def _key(s: Any) -> str:
    return unicodedata.normalize("NFC", str(s or "")).strip().casefold()


@dataclass
class Row:
    index: int  # 0-based grid row
    values: dict[str, Any]
    cols: dict[str, int]  # key -> 0-based column

    def addr(self, key: str) -> str:
        return cell(self.index, self.cols[key])


def table_rows(
    grid: Grid, sheet: str, columns: list[L.Column], problems: Problems
) -> tuple[list[Row], dict[str, int]] | None:
    """Rows of a header-in-row-1 table, keyed by column key; reports missing required columns."""
    if not grid:
        header: list[Any] = []
    else:
        header = grid[0]
    pos: dict[str, int] = {}
    by_header = {_key(c.header): c for c in columns}
    for j, h in enumerate(header):
        c = by_header.get(_key(clean_text(h, sheet, cell(0, j), problems)))
        if c is not None and c.key not in pos:
            pos[c.key] = j
    missing = [c for c in columns if c.required and c.key not in pos]
    for c in missing:
        problems.add(
            "missing_column",
            sheet,
            f"{get_column_letter(len(header) + 1)}1",
            "(không có)",
            f"cột tiêu đề “{c.header}” ở dòng 1",
            f"Trang “{sheet}” thiếu cột “{c.header}”. Thêm cột có đúng tiêu đề này vào dòng 1.",
        )
    if missing:
        return None
    rows = []
    for i in range(1, len(grid)):
        r = grid[i]
        vals = {}
        for k, j in pos.items():
            v = r[j] if j < len(r) else None
            vals[k] = clean_text(v, sheet, cell(i, j), problems)
        if all(v is None or v == "" for v in vals.values()):
            continue
        rows.append(Row(i, vals, pos))
    return rows, pos


def number(
    v: Any,
    sheet: str,
    addr: str,
    problems: Problems,
    what: str,
    *,
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
    integer: bool = False,
) -> float | None:
    """A numeric cell, checked; returns None (and records a problem) when unusable."""
    if v is None or v == "":
        if required:
            problems.add("missing_value", sheet, addr, v, f"một số ({what})", f"Ô {addr} cần có {what}. Nhập một số vào ô này.")
        return None
    if isinstance(v, CellError):
        problems.add(
            "excel_error",
            sheet,
            addr,
            v.code,
            f"một số ({what})",
            f"Ô {addr} đang chứa lỗi Excel {v.code}. Sửa công thức hoặc nhập trực tiếp {what}.",
        )
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        problems.add(
            "not_a_number",
            sheet,
            addr,
            v,
            f"một số ({what})",
            f"Ô {addr} chứa chữ “{v}” thay vì số. Nhập {what} dưới dạng số (không có ký tự khác, không có dấu nháy đầu).",
        )
        return None
    x = float(v)
    if not math.isfinite(x):
        problems.add("not_a_number", sheet, addr, v, f"một số ({what})", f"Ô {addr} không phải số hữu hạn.")
        return None
    if positive and x <= 0:
        problems.add("not_positive", sheet, addr, v, f"{what} lớn hơn 0", f"Ô {addr}: {what} phải lớn hơn 0.")
        return None
    if minimum is not None and x < minimum:
        problems.add(
            "below_min" if minimum != 0 else "negative",
            sheet,
            addr,
            v,
            f"{what} từ {_n(minimum)} trở lên",
            f"Ô {addr}: {what} không được nhỏ hơn {_n(minimum)}"
            + (" (nhập số điểm bị trừ là số dương)." if minimum == 0 else "."),
        )
        return None
    if maximum is not None and x > maximum:
        problems.add(
            "above_max",
            sheet,
            addr,
            v,
            f"{what} không quá {_n(maximum)}",
            f"Ô {addr}: {what} {_n(x)} vượt mức tối đa {_n(maximum)}. Sửa lại cho đúng thang điểm.",
        )
        return None
    if integer and not x.is_integer():
        problems.add("not_integer", sheet, addr, v, f"{what} là số nguyên", f"Ô {addr}: {what} phải là số nguyên.")
        return None
    return x


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")
