"""Score sheets (and per-unit targets): a units × criteria grid of entries, checked.

A score sheet has “Mã đơn vị”, “Tên đơn vị” and one column per criterion code.
Numbers go straight into a float matrix and every column's limits are checked in
one numpy pass; only cells that fail a check (text, an Excel error, a negative
count, a point above the criterion's maximum…) are looked at one by one, each
becoming a problem that names its cell.  The result
is a float matrix in the block's unit and criterion order, NaN where blank.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain
from operator import countOf, itemgetter
from typing import Any, Sequence

import numpy as np

from ..core.model import Criterion, Kind, Unit
from ..core.problems import Problems
from ..core.record import Record
from ..schema import core as S
from ..schema.base import CellReader, cell_ref, check_merged, clean_once, code_text, fmt_num, header_map, is_blank, match_name, norm
from .sheet import col_letter

_NAN = float("nan")
_NUMBER = frozenset((float, int))
_NUMBER_OR_TEXT = frozenset((float, int, str))


class Entries(Record):
    """One score sheet's entries in block order, and where each was read."""

    __slots__ = ("sheet", "values", "columns", "rows")

    def __init__(self, sheet: str, values: np.ndarray, columns: dict[str, int] | None = None, rows: dict[str, int] | None = None):
        self.sheet = sheet
        self.values = values  # units × criteria, NaN = blank
        self.columns: dict[str, int] = {} if columns is None else columns  # criterion code -> 0-based column in the sheet
        self.rows: dict[str, int] = {} if rows is None else rows  # unit code -> 0-based row in the sheet

    def __eq__(self, other: Any) -> bool:
        if type(other) is not Entries:
            return NotImplemented
        return (self.sheet, self.columns, self.rows) == (other.sheet, other.columns, other.rows) and np.array_equal(
            self.values, other.values, equal_nan=True)

    @property
    def empty(self) -> bool:
        return not np.isfinite(self.values).any()

    def addr(self, unit: str, criterion: str) -> str:
        return cell_ref(self.rows[unit], self.columns[criterion])


def _entry_kind(c: Criterion, targets: bool) -> str:
    """What an entry of ``c`` is: a target, points, a count of events, or a value achieved."""
    if targets:
        return "target"
    if c.kind in (Kind.POINTS, Kind.BONUS) or (c.kind is Kind.DEDUCTION and c.per_event is None):
        return "points"
    if c.kind in (Kind.COUNT, Kind.DEDUCTION):
        return "count"
    return "value"


_WHAT = {"target": "chỉ tiêu của tiêu chí", "points": "điểm tiêu chí", "count": "số lần của tiêu chí",
         "value": "giá trị thực hiện của tiêu chí"}


def limits(c: Criterion, targets: bool) -> tuple[float | None, float | None, bool, bool]:
    """(minimum, maximum, positive, integer) an entry of ``c`` must respect."""
    kind = _entry_kind(c, targets)
    if kind == "target":
        return None, None, True, False
    return 0.0, c.max_points if kind == "points" else None, False, kind == "count"


def entry_what(c: Criterion, targets: bool) -> str:
    """An entry of ``c`` as a problem about it names it (written only for a problem)."""
    return f"{_WHAT[_entry_kind(c, targets)]} “{c.code}”"


def read_entries(
    grid: Sequence[Sequence[Any]] | None,
    sheet: str,
    units: Sequence[Unit],
    criteria: Sequence[Criterion],
    problems: Problems,
    *,
    merged: Sequence[tuple[int, int, int, int]] = (),
    targets: bool = False,
    allowed: set[str] | None = None,
    broken: set[str] = frozenset(),  # type: ignore[assignment]
) -> Entries | None:
    """The entries of one score sheet (or the per-unit targets sheet, ``targets=True``).

    Every criterion needs its column and every unit its row (``targets``: only the
    criteria in ``allowed``, and only the rows present).  Columns of criteria whose own
    definition is in error (``broken``) are skipped quietly: that error is already
    reported once, on the criteria sheet."""
    grid = grid or []
    header = list(grid[0]) if grid else []
    key_pos = header_map(header, S.STAGE_KEYS, sheet, problems)
    rd = CellReader(sheet, problems)
    key = (tuple(header), tuple(map(type, header)), tuple(c.code for c in criteria), tuple(sorted(key_pos.items())),
           frozenset(broken), None if allowed is None else frozenset(allowed))
    crit_cols = dict(clean_once(read_entries, key, problems,
                                lambda: _criterion_columns(header, set(key_pos.values()), criteria, rd, allowed, broken)))
    if "code" not in key_pos:
        problems.add("missing_column", sheet, "A1", header[0] if header else None, "cột “Mã đơn vị”",
                     f"Trang “{sheet}” thiếu cột “Mã đơn vị” ở dòng 1.")
        return None
    code_col = key_pos["code"]
    check_merged(sheet, merged, problems, first_row=0, cols=[code_col, *crit_cols.values()])
    expected = [c for c in criteria if (allowed is None or c.code in allowed) and c.code not in broken]
    if not targets:
        for c in expected:
            if c.code not in crit_cols:
                problems.add("missing_column", sheet, f"{col_letter(len(header) + 1)}1", "(không có)", f"cột tiêu chí “{c.code}”",
                             f"Trang “{sheet}” thiếu cột tiêu chí “{c.code}” ({c.name}): mọi tiêu chí phải có cột ở trang chấm điểm, "
                             f"xlpy không lấy điểm ở trang khác thay vào. Chạy “Tạo bảng chấm” hoặc thêm cột có tiêu đề “{c.code}”.")

    unit_index = {norm(u.code): i for i, u in enumerate(units)}
    exact = {u.code: i for i, u in enumerate(units)}  # a code typed as on the units sheet needs no reading
    crit_index = {c.code: k for k, c in enumerate(criteria)}
    n, m = len(units), len(criteria)
    rows: dict[str, int] = {}
    cols_k = [(crit_index[code], j, code) for code, j in crit_cols.items()]
    # gather the data rows: (grid row, unit position or None)
    data_rows: list[int] = []
    data_units: list[int | None] = []
    for i in range(1, len(grid)):
        r = grid[i]
        raw_code = r[code_col] if code_col < len(r) else None
        u = exact.get(raw_code) if type(raw_code) is str else None
        if u is not None:
            code = raw_code
        else:
            if is_blank(raw_code) and all(j >= len(r) or is_blank(r[j]) for _k, j, _c in cols_k):
                continue
            code = rd.text(raw_code, cell_ref(i, code_col)) if not is_blank(raw_code) else ""
            u = unit_index.get(norm(code_text(code)))
        if u is None:
            problems.add("unknown_unit", sheet, cell_ref(i, code_col), code, "mã một đơn vị trong trang Đơn vị",
                         f"Mã đơn vị “{code or ''}” không có trong trang Đơn vị. Sửa mã hoặc thêm đơn vị.")
        elif units[u].code in rows:
            problems.add("duplicate_unit", sheet, cell_ref(i, code_col), units[u].code, "mỗi đơn vị một dòng",
                         f"Đơn vị “{units[u].code}” có hai dòng (dòng đầu ở ô {cell_ref(rows[units[u].code], code_col)}).")
            u = None
        else:
            rows[units[u].code] = i
        data_rows.append(i)
        data_units.append(u)
    if not targets:
        for u in units:
            if u.code not in rows:
                problems.add("missing_unit_row", sheet, "A2", u.code, f"một dòng cho đơn vị “{u.code}”",
                             f"Trang “{sheet}” chưa có dòng nào cho đơn vị “{u.code}” ({u.name}). Thêm dòng với mã này "
                             "(hoặc chạy “Tạo bảng chấm”).")
    if not cols_k or not data_rows:
        return Entries(sheet, np.full((n, m), np.nan), crit_cols, rows)
    vals, bad = _numbers([grid[i] for i in data_rows], [j for _k, j, _c in cols_k])
    checks = [limits(criteria[k], targets) for k, _j, _c in cols_k]
    for a, b in bad:  # one problem each
        k, j, code = cols_k[b]
        lo, hi, pos, integer = checks[b]
        v = grid[data_rows[a]][j]
        if isinstance(v, (dt.date, dt.datetime)):
            v = v.strftime("%d/%m/%Y")
        rd.number(v, cell_ref(data_rows[a], j), entry_what(criteria[k], targets), minimum=lo, maximum=hi, positive=pos, integer=integer)
    # every column's limits at once; NaN (blank) passes every comparison
    lo_v = np.array([-np.inf if c[0] is None else c[0] for c in checks])
    hi_v = np.array([np.inf if c[1] is None else c[1] for c in checks])
    with np.errstate(invalid="ignore"):
        wrong = (vals < lo_v) | (vals > hi_v) | np.isinf(vals)
        pos_v = np.array([c[2] for c in checks])
        if pos_v.any():
            wrong |= pos_v & (vals <= 0)
        int_v = np.array([c[3] for c in checks])
        if int_v.any():
            wrong |= int_v & np.isfinite(vals) & (vals != np.floor(vals))
    if wrong.any():
        for b, a in zip(*np.nonzero(wrong.T)):  # column by column, as the sheet is read
            k, j, code = cols_k[b]
            lo, hi, pos, integer = checks[b]
            rd.number(float(vals[a, b]), cell_ref(data_rows[a], j), entry_what(criteria[k], targets), minimum=lo, maximum=hi,
                      positive=pos, integer=integer)
        vals[wrong] = np.nan
    ks = [k for k, _j, _c in cols_k]
    if data_units == list(range(n)) and ks == list(range(m)):  # the usual sheet: one row per unit, in order, every column
        return Entries(sheet, vals, crit_cols, rows)
    out = np.full((n, m), np.nan)
    placed = [a for a, u in enumerate(data_units) if u is not None]
    if placed:
        out[np.ix_([data_units[a] for a in placed], ks)] = vals[placed]
    return Entries(sheet, out, crit_cols, rows)


def _criterion_columns(header: Sequence[Any], key_cols: set[int], criteria: Sequence[Criterion], rd: CellReader,
                       allowed: set[str] | None, broken: set[str]) -> dict[str, int]:
    """Criterion code → its column on a score sheet's header row; unknown, inapplicable and
    repeated criterion columns are problems."""
    problems, sheet = rd.p, rd.sheet
    by_norm = {norm(c.code): c for c in criteria}
    skip = {norm(b) for b in broken}
    crit_cols: dict[str, int] = {}
    for j, h in enumerate(header):
        if j in key_cols or is_blank(h):
            continue
        text = rd.text(h, cell_ref(0, j)) or ""
        code = code_text(text)
        if norm(code) in skip:
            continue
        c = by_norm.get(norm(code))
        if c is None:
            if match_name(text, [x.header for x in S.STAGE_KEYS]).lookalike:
                continue  # reported by header_map
            problems.add("unknown_criterion", sheet, cell_ref(0, j), code, "mã một tiêu chí trong trang Tiêu chí",
                         f"Cột “{code}” không phải mã tiêu chí nào. Sửa tiêu đề cột hoặc thêm tiêu chí vào trang Tiêu chí.")
        elif allowed is not None and c.code not in allowed:
            problems.add("target_not_applicable", sheet, cell_ref(0, j), code, "tiêu chí loại Tỷ lệ hoặc Chỉ tiêu",
                         f"Tiêu chí “{code}” không tính theo chỉ tiêu; bỏ cột này khỏi trang {sheet}.")
        elif c.code in crit_cols:
            problems.add("duplicate_column", sheet, cell_ref(0, j), code, "mỗi tiêu chí một cột",
                         f"Cột tiêu chí “{code}” xuất hiện hai lần (cột {col_letter(crit_cols[c.code] + 1)} và {col_letter(j + 1)}).")
        else:
            crit_cols[c.code] = j
    return crit_cols


def _numbers(rows: list[Sequence[Any]], jcols: list[int]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The cells of ``rows`` × ``jcols`` as a float matrix (NaN where blank or not a number) and the
    (row, column position) of every cell that is neither a number nor blank (text, dates, booleans,
    Excel errors).  A sheet of numbers and blanks only, the usual case, is converted in bulk."""
    last = max(jcols)
    pick = itemgetter(*jcols) if len(jcols) > 1 else (lambda r: (r[jcols[0]],))
    rect = [pick(r) if len(r) > last else tuple(r[j] if j < len(r) else None for j in jcols) for r in rows]
    kinds = set(map(type, chain.from_iterable(rect)))
    if kinds <= _NUMBER:
        return np.array(rect, dtype=float), []
    if kinds <= _NUMBER_OR_TEXT and countOf(map(type, chain.from_iterable(rect)), str) == countOf(chain.from_iterable(rect), ""):
        cells = np.array(rect, dtype=object)  # numbers and blanks ("") only
        cells[cells == ""] = _NAN
        return cells.astype(float), []
    flat: list[float] = []
    bad: list[tuple[int, int]] = []
    for a, cells_row in enumerate(rect):
        for b, v in enumerate(cells_row):
            t = type(v)
            if t is float or t is int:
                flat.append(v)
            else:
                flat.append(_NAN)
                if v is not None and v != "":
                    bad.append((a, b))
    return np.array(flat, dtype=float).reshape(len(rect), len(jcols)), bad


def describe_cells(cells: list[tuple[str, str]], limit: int = 12) -> str:
    """“SNV: 03, 07; STC: 01” for (unit, criterion) pairs, grouped by unit."""
    by: dict[str, list[str]] = {}
    for u, c in cells:
        by.setdefault(u, []).append(c)
    parts = [f"{u}: {', '.join(cs)}" for u, cs in by.items()]
    more = f" và {len(parts) - limit} đơn vị khác" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


__all__ = ["Entries", "describe_cells", "fmt_num", "read_entries"]
