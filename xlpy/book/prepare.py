"""“Tạo bảng chấm”: give every score sheet a column per criterion and a row per unit."""

from __future__ import annotations

from ..actions import Result
from ..core.problems import Problems
from . import layout as L
from .io import Book
from .read import read_criteria, read_units


def prepare(book: Book) -> Result:
    problems = Problems()
    units = read_units(book, problems)
    criteria, _, _ = read_criteria(book, problems)
    if problems.has_errors:
        from .actions import _failure

        return _failure(book, problems, "tạo bảng chấm")
    extend = getattr(book, "extend_matrix", None)
    if extend is None:
        return Result(False, "Sổ tính này không hỗ trợ tạo bảng chấm tự động.", problems=problems)
    rows = [(u.code, u.name) for u in units]
    codes = [c.code for c in criteria]
    measured = [c.code for c in criteria if c.kind.value in ("ratio", "target")]
    written = 0
    for sheet in L.STAGE_SHEETS.values():
        written += extend(sheet, codes, rows)
    if measured:
        written += extend(L.TARGETS, measured, rows)
    msg = (
        f"Đã tạo bảng chấm: {len(codes)} tiêu chí × {len(rows)} đơn vị ({written} ô tiêu đề/mã được thêm)."
        if written
        else "Các trang chấm điểm đã đủ cột tiêu chí và dòng đơn vị; không cần thêm gì."
    )
    return Result(True, msg, data={"cells_written": written}, problems=problems)
