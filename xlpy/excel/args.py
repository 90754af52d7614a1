"""Arguments and results of the worksheet functions: Excel ranges in, plain 2D lists out.

Excel hands a UDF its ranges as nested lists (xlwings, ``ndim=2``), numpy arrays or
single values, with blanks as ``None`` and error cells as their text (``err_to_str``);
the ``formulas`` engine used in tests hands its own error and blank objects.  This module
turns all of them into the plain values the workbook reader reads (numbers as ``float``,
blanks as ``None``, errors as :class:`~xlpy.schema.base.CellError`), checks the optional
scalar arguments, and turns results back into what a cell can hold.  A bad argument is a
:class:`UdfError` whose Vietnamese message the cell shows after ``#VALUE!``.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..core.problems import Problems
from ..schema.base import EXCEL_ERRORS, CellError


class UdfError(ValueError):
    """A bad argument; its message (Vietnamese) is shown in the cell after ``#VALUE!``.
    ``problems`` holds the workbook reader's problems when the check was the reader's."""

    code = "#VALUE!"
    problems: Problems | None = None


def cell(v: Any) -> Any:
    """One input cell as a plain Python value: numbers as float, blanks as None,
    Excel errors (from xlwings ``err_to_str`` or the ``formulas`` engine) as CellError."""
    t = type(v)
    if t is float:  # the common case first: Excel's numbers
        return None if v != v else v
    if v is None:
        return None
    if t is str:
        if v in EXCEL_ERRORS:
            return CellError(v)
        return v or None  # as typed: the reader normalises it and warns about another Unicode form
    tname = t.__name__
    if tname == "XlError":  # formulas engine error value
        return CellError(str(v))
    if tname == "Token" and str(v) == "empty":  # formulas engine blank cell (a str subclass)
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalar
        try:
            v = v.item()
        except (TypeError, ValueError):
            pass
    if isinstance(v, str):
        if v in EXCEL_ERRORS:
            return CellError(v)
        return v or None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        f = float(v)
        return None if math.isnan(f) else f
    return v


def grid(x: Any) -> list[list[Any]]:
    """Any range argument (scalar, 1D, 2D list or numpy array) as a 2D list of clean values."""
    if x is None:
        return []
    if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
        x = x.tolist()
    if not isinstance(x, (list, tuple)):
        return [[cell(x)]]
    if not x:
        return []
    if not isinstance(x[0], (list, tuple)):
        return [[cell(v)] for v in x]
    return [[cell(v) for v in row] for row in x]


def missing(x: Any) -> bool:
    g = grid(x)
    return not g or all(v is None for row in g for v in row)


def numeric_text(s: str) -> bool:
    try:
        float(s.replace(",", "."))
        return True
    except ValueError:
        return False


def is_header_cell(v: Any) -> bool:
    return isinstance(v, str) and not numeric_text(v)


def column(x: Any, what: str) -> tuple[str | None, list[Any]]:
    """A one-column range: (header or None, values)."""
    g = grid(x)
    if not g:
        raise UdfError(f"Đối số {what} đang trống. Chọn một cột số liệu.")
    if any(len(r) != 1 for r in g):
        if len(g) == 1:  # a row: take it as the column
            g = [[v] for v in g[0]]
        else:
            raise UdfError(f"Đối số {what} phải là một cột (đang chọn {len(g[0])} cột).")
    vals = [r[0] for r in g]
    header = None
    if vals and is_header_cell(vals[0]):
        header, vals = vals[0], vals[1:]
    return header, vals


def numbers(vals: Sequence[Any], what: str, first_row: int) -> list[float | None]:
    """``vals`` as numbers (blanks kept as None); anything else is a UdfError naming its row."""
    for i, v in enumerate(vals):
        if v is None or (type(v) is float):
            continue
        if isinstance(v, CellError):
            raise UdfError(f"{what}: dòng {first_row + i} đang có lỗi {v.code}. Sửa ô đó trước.")
        raise UdfError(f"{what}: dòng {first_row + i} có “{v}” không phải số. Nhập số, không kèm chữ.")
    return list(vals)


def scalar(x: Any, default: Any) -> Any:
    g = grid(x)
    if not g or g[0][0] is None:
        return default
    if len(g) > 1 or len(g[0]) > 1:
        raise UdfError("Đối số tùy chọn phải là một ô, không phải một vùng.")
    return g[0][0]


def int_arg(x: Any, default: int, what: str, lo: int, hi: int) -> int:
    v = scalar(x, default)
    if isinstance(v, str) and numeric_text(v):
        v = float(v.replace(",", "."))
    if isinstance(v, bool) or not isinstance(v, (int, float)) or float(v) != int(v) or not lo <= v <= hi:
        raise UdfError(f"{what} phải là số nguyên từ {lo} đến {hi} (đang là “{v}”).")
    return int(v)


def bool_arg(x: Any, default: bool) -> bool:
    v = scalar(x, default)
    if isinstance(v, str):
        return v.strip().casefold() in ("true", "có", "co", "1", "đúng", "x")
    return bool(v)


def raise_problems(problems: Problems, what: str) -> None:
    """The workbook path's first error, as the cell's text (its code kept for callers)."""
    errs = problems.errors
    if errs:
        more = f" (và {len(errs) - 1} lỗi khác)" if len(errs) > 1 else ""
        e = UdfError(f"{what}: {errs[0].message}{more}")
        e.problems = problems
        raise e


def error_cell(e: Exception) -> list[list[Any]]:
    """What a cell shows for an exception: never a traceback."""
    if isinstance(e, UdfError):
        return [[f"{e.code} {e}"]]
    return [[f"#VALUE! Lỗi trong xlpy ({type(e).__name__}: {e}). Báo cho người quản trị kèm tệp."]]


def out(header: Sequence[str] | None, rows: list[list[Any]]) -> list[list[Any]]:
    """The spilled result: the header row (when the input had one), then the rows."""
    res = [list(header)] if header is not None else []
    res.extend(rows)
    return res or [[None]]


def plain_rows(matrix: Any) -> list[list[Any]]:
    """A float matrix (numpy) as rows of Python floats, NaN as a blank cell."""
    import numpy as np

    m = np.asarray(matrix, dtype=float)
    obj = m.astype(object)
    obj[np.isnan(m)] = None
    return obj.tolist()
