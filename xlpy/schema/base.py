"""How xlpy reads a workbook's tables and settings: declared, typed, in one place.

Every input column and every settings key is declared once (:class:`Column`,
:class:`Setting`, :class:`Table`) with its type, range and choices; this module
is the only code that matches names and converts cells:

* **Matching** (:func:`norm`, :func:`match_name`): sheet names, column headers,
  settings keys and choice values match when equal after Unicode NFC, case
  folding and collapsing white space.  A name that only *looks like* a known one
  (same letters without accents, a copy such as “Khối chấm (2)”, a near typo) is
  never taken for it: that is an error naming the cell and the exact name to use.
* **Conversion** (:class:`CellReader`): each cell becomes its declared type or a
  :class:`~xlpy.core.problems.Problem` naming the sheet and cell; reading goes on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

from ..core.problems import Problems
from ..core.record import Frozen, Record
from ..core.text import fold, norm

# ---------------------------------------------------------------------------------------
# cell values

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)


class CellError(Frozen):
    """An Excel error value found in a cell (``#DIV/0!`` …); never a text."""

    __slots__ = ("code",)
    code: str

    def __init__(self, code: str):
        super().__init__(code)

    def __str__(self) -> str:
        return self.code


# ---------------------------------------------------------------------------------------
# names


_COPY_SUFFIX = re.compile(r"^[\s_\-.()\[\]0-9]*(copy|ban sao|sao|cu|moi|new|old)?[\s_\-.()\[\]0-9]*$")


def looks_like(name: str, known: str) -> bool:
    """True when ``name`` is not ``known`` but could be meant as it: equal without accents,
    ``known`` plus a copy suffix (“ (2)”, “ - copy”, “_cu”), or a near typo."""
    if type(name) is str and type(known) is str:
        return _looks_like(name, known)
    return _looks_like.__wrapped__(name, known)


@lru_cache(maxsize=1 << 14)
def _looks_like(name: str, known: str) -> bool:
    a, b = fold(name), fold(known)
    if not a or not b or norm(name) == norm(known):
        return False
    if a == b:
        return True
    if a.startswith(b) and _COPY_SUFFIX.match(a[len(b):]):
        return True
    if len(b) < 5 or 2 * min(len(a), len(b)) < 0.85 * (len(a) + len(b)):
        return False  # too different in length for the ratio below to reach 0.85
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b)
    return m.quick_ratio() >= 0.85 and m.ratio() >= 0.85


class Match(NamedTuple):
    canonical: str | None  # the known name it matches, exactly (after norm)
    lookalike: str | None = None  # a known name it only looks like


def match_name(name: Any, known: Iterable[str]) -> Match:
    """Match ``name`` against ``known`` names (see the module docstring)."""
    known = tuple(known)
    if type(name) is str and all(type(k) is str for k in known):
        return _match_name(name, known)
    return _match_name.__wrapped__(name, known)


@lru_cache(maxsize=1 << 12)
def _match_name(name: Any, known: tuple[str, ...]) -> Match:
    n = norm(name)
    for k in known:
        if norm(k) == n:
            return Match(k)
    for k in known:
        if looks_like(str(name), k):
            return Match(None, k)
    return Match(None)


def is_nfd(s: Any) -> bool:
    return isinstance(s, str) and not unicodedata.is_normalized("NFC", s)


# ---------------------------------------------------------------------------------------
# declarations


NO_CHOICES: Mapping[str, Any] = MappingProxyType({})
KINDS = ("text", "code", "number", "int", "percent", "date", "choice", "yesno", "list")


class Column(NamedTuple):
    """One column of an input table."""

    header: str
    key: str
    kind: str = "text"
    required: bool = False  # the column must be present
    width: float = 14
    help: str = ""
    number_format: str | None = None
    choices: Mapping[str, Any] = NO_CHOICES  # label shown -> value
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    what: str = ""  # how a message names the value ("tỷ lệ nữ (%)"); default: the header

    @property
    def label(self) -> str:
        return self.what or self.header.lower()


class Table(NamedTuple):
    """An input sheet holding a table: header in row 1, one record per row from row 2."""

    sheet: str
    columns: tuple[Column, ...]
    required: bool = False  # the sheet must exist
    feature: str = "core"
    help: str = ""

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


class Setting(NamedTuple):
    """One key of the settings sheet (“Cài đặt”: key in column A, value in column B)."""

    key: str  # the Vietnamese label in column A
    attr: str  # the name code uses
    kind: str = "text"
    default: Any = None
    help: str = ""
    choices: Mapping[str, Any] = NO_CHOICES  # label -> value
    feature: str = "core"
    minimum: float | None = None
    maximum: float | None = None
    template: bool = False  # the text is a (sandboxed) Jinja template
    aliases: tuple[str, ...] = ()  # other labels accepted for choices' values (machine ids)
    commas: bool = False  # a list of codes: items may also be separated by commas (text items keep theirs)

    def default_label(self) -> Any:
        """What a new workbook shows in column B."""
        if self.choices:
            for label, value in self.choices.items():
                if value == self.default:
                    return label
        if self.default in (None, ()):
            return None
        if isinstance(self.default, (list, tuple)):
            return "; ".join(map(str, self.default))
        if isinstance(self.default, Fraction):
            return int(self.default) if self.default.denominator == 1 else float(self.default)
        if isinstance(self.default, bool):
            return next((k for k, v in self.choices.items() if v is self.default), "Có" if self.default else "Không")
        return self.default


# ---------------------------------------------------------------------------------------
# cells


_LETTERS: list[str] = []


def cell_ref(row: int, col: int) -> str:
    """Excel address from 0-based grid indices."""
    if col >= len(_LETTERS):
        from ..book.sheet import col_letter

        _LETTERS.extend(col_letter(j + 1) for j in range(len(_LETTERS), col + 1))
    return _LETTERS[col] + str(row + 1)


def is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


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


def fmt_num(x: float) -> str:
    """A number as officers write it: 12,5 (no trailing zeros)."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(v: Any) -> dt.date | None:
    """A date from a cell value: a date/datetime, or text d/m/Y, Y-m-d, d-m-Y, d.m.Y."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        for f in DATE_FORMATS:
            try:
                return dt.datetime.strptime(v.strip(), f).date()
            except ValueError:
                pass
    return None


def _choice_map(choices: Mapping[str, Any], aliases: tuple) -> dict[str, Any]:
    """The normalised label/value -> value map of a declaration's choices, built once per declaration."""

    def build() -> dict[str, Any]:
        by = {norm(k): val for k, val in choices.items()}
        by.update({norm(val): val for val in choices.values() if isinstance(val, str)})
        by.update({norm(a): a for a in aliases})
        return by

    return _per_declaration(choices, build, aliases)


_DECLARED: dict[tuple, tuple[Any, Any]] = {}
_MISSING = object()


def _recall(declared: Any, key: tuple) -> Any:
    """What was kept for ``declared`` (a declaration object) under ``key``, or ``_MISSING``."""
    hit = _DECLARED.get((id(declared), key))
    return hit[1] if hit is not None and hit[0] is declared else _MISSING


def _keep(declared: Any, key: tuple, value: Any) -> Any:
    if len(_DECLARED) > 4096:
        _DECLARED.clear()
    _DECLARED[(id(declared), key)] = (declared, value)  # the reference keeps the id from being reused
    return value


def _per_declaration(declared: Any, build: Callable[[], Any], extra: tuple = ()) -> Any:
    """``build()`` for a declaration (a table's columns, the settings, a column's choices with
    ``extra`` aliases), made once per declaration object: the same declarations are read in
    every workbook of a province."""
    value = _recall(declared, extra)
    return _keep(declared, extra, build()) if value is _MISSING else value


YES_WORDS = ("có", "co", "x", "true", "1", "đúng", "yes")
NO_WORDS = ("không", "khong", "false", "0", "sai", "no")
_YES_NO = {**dict.fromkeys(YES_WORDS, True), **dict.fromkeys(NO_WORDS, False)}


_CELL_ERROR: list[type] = []


def _cell_error() -> type:
    """:class:`xlpy.book.io.CellError`, imported once (the book layer imports this module's users)."""
    if not _CELL_ERROR:
        from ..book.io import CellError

        _CELL_ERROR.append(CellError)
    return _CELL_ERROR[0]


class CellReader:
    """Converts cells of one sheet to declared kinds, recording a problem for each bad one."""

    def __init__(self, sheet: str, problems: Problems):
        self.sheet = sheet
        self.p = problems

    def err(self, code: str, addr: str, found: Any, expected: str, message: str) -> None:
        self.p.add(code, self.sheet, addr, found, expected, message)

    def text(self, v: Any, addr: str) -> str | None:
        if isinstance(v, str):
            t = v.strip()
            if not t:
                return None
            if v.isascii() or unicodedata.is_normalized("NFC", v):
                return t
            self.p.warn("unicode_nfd", self.sheet, addr, v, "văn bản Unicode dựng sẵn (NFC)",
                        "Văn bản được gõ ở dạng Unicode tổ hợp; xlpy đã chuẩn hóa về dạng dựng sẵn để so khớp.")
            return unicodedata.normalize("NFC", v).strip()
        if v is None:
            return None
        if isinstance(v, _cell_error()):
            self.err("excel_error", addr, v.code, "văn bản", f"Ô {addr} đang chứa lỗi Excel {v.code}. Sửa công thức hoặc nhập trực tiếp.")
            return None
        if isinstance(v, (dt.datetime, dt.date)):
            return v.strftime("%d/%m/%Y")
        return code_text(v)

    def number(self, v: Any, addr: str, what: str, *, required: bool = False, minimum: float | None = None,
               maximum: float | None = None, positive: bool = False, integer: bool = False) -> float | None:
        if is_blank(v):
            if required:
                self.err("missing_value", addr, None, f"một số ({what})", f"Ô {addr} cần có {what}. Nhập một số vào ô này.")
            return None
        if isinstance(v, _cell_error()):
            self.err("excel_error", addr, v.code, f"một số ({what})", f"Ô {addr} đang chứa lỗi Excel {v.code}. Sửa công thức hoặc nhập trực tiếp {what}.")
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err("not_a_number", addr, v, f"một số ({what})",
                     f"Ô {addr} chứa “{v}” thay vì số. Nhập {what} dưới dạng số (không có ký tự khác, không có dấu nháy đầu).")
            return None
        x = float(v)
        if not math.isfinite(x):
            self.err("not_a_number", addr, v, f"một số ({what})", f"Ô {addr} không phải số hữu hạn.")
            return None
        if positive and x <= 0:
            self.err("not_positive", addr, v, f"{what} lớn hơn 0", f"Ô {addr}: {what} phải lớn hơn 0.")
            return None
        if minimum is not None and x < minimum:
            self.err("below_min" if minimum != 0 else "negative", addr, v, f"{what} từ {fmt_num(minimum)} trở lên",
                     f"Ô {addr}: {what} không được nhỏ hơn {fmt_num(minimum)}" + (" (nhập số điểm bị trừ là số dương)." if minimum == 0 else "."))
            return None
        if maximum is not None and x > maximum:
            self.err("above_max", addr, v, f"{what} không quá {fmt_num(maximum)}",
                     f"Ô {addr}: {what} {fmt_num(x)} vượt mức tối đa {fmt_num(maximum)}. Sửa lại cho đúng thang điểm.")
            return None
        if integer and not x.is_integer():
            self.err("not_integer", addr, v, f"{what} là số nguyên", f"Ô {addr}: {what} phải là số nguyên.")
            return None
        return x

    def date(self, v: Any, addr: str, what: str) -> dt.date | None:
        if is_blank(v):
            return None
        d = parse_date(v)
        if d is None:
            self.err("bad_date", addr, v, "một ngày, ví dụ 15/12/2025", f"Ô {addr}: không đọc được {what} “{v}”. Nhập ngày dạng ngày/tháng/năm.")
        return d

    def choice(self, v: Any, addr: str, choices: Mapping[str, Any], what: str, aliases: Iterable[str] = ()) -> Any:
        if is_blank(v):
            return None
        text = self.text(v, addr)
        by = _choice_map(choices, tuple(aliases))
        found = by.get(norm(text), _MISSING)
        if found is not _MISSING:
            return found
        m = match_name(text, list(choices))
        hint = f" (có phải “{m.lookalike}”?)" if m.lookalike else ""
        self.err("bad_choice", addr, v, " / ".join(choices),
                 f"Ô {addr}: “{text}” không phải lựa chọn hợp lệ cho {what}{hint}. Chọn một giá trị trong danh sách: {', '.join(choices)}.")
        return None

    def yesno(self, v: Any, addr: str) -> bool | None:
        if is_blank(v):
            return None
        if isinstance(v, bool):
            return v
        found = _YES_NO.get(norm(code_text(v)))
        if found is not None:
            return found
        self.err("not_yes_no", addr, v, "Có / Không", f"Ô {addr}: nhập Có hoặc Không.")
        return None

    def value(self, col: Column | Setting, v: Any, addr: str) -> Any:
        """A cell converted to ``col``'s kind (None for blank or bad)."""
        kind = col.kind
        what = col.label if isinstance(col, Column) else f"“{col.key}”"
        if kind in ("text", "code"):
            return self.text(v, addr)
        if kind in ("number", "int", "percent"):
            lo = col.minimum if col.minimum is not None else (0 if kind == "percent" else None)
            hi = col.maximum if col.maximum is not None else (100 if kind == "percent" else None)
            x = self.number(v, addr, what, minimum=lo, maximum=hi, positive=getattr(col, "positive", False), integer=kind == "int")
            return int(x) if kind == "int" and x is not None else x
        if kind == "date":
            return self.date(v, addr, what)
        if kind == "choice":
            return self.choice(v, addr, col.choices, what, getattr(col, "aliases", ()))
        if kind == "yesno":
            return self.yesno(v, addr)
        if kind == "list":
            t = self.text(v, addr)
            if t is None:
                return None
            sep = r"[;,\n]" if getattr(col, "commas", False) else r"[;\n]"
            return tuple(p.strip() for p in re.split(sep, t) if p.strip())
        raise ValueError(f"unknown kind {kind}")  # pragma: no cover - declarations are tested


# ---------------------------------------------------------------------------------------
# tables


class Row(Record):
    """One record of an input table."""

    __slots__ = ("index", "values", "cols", "raw", "bad")

    def __init__(self, index: int, values: dict[str, Any], cols: dict[str, int], raw: dict[str, Any],
                 bad: set[str] | None = None):
        self.index = index  # 0-based grid row
        self.values = values  # converted values by column key (None: blank or bad)
        self.cols = cols  # key -> 0-based column
        self.raw = raw  # the cells as read
        self.bad: set[str] = set() if bad is None else bad  # keys whose cell was not usable

    def addr(self, key: str) -> str:
        return cell_ref(self.index, self.cols[key])

    def get(self, key: str, default: Any = None) -> Any:
        v = self.values.get(key)
        return default if v is None else v

    @property
    def number(self) -> int:
        """The row number an officer sees."""
        return self.index + 1


class TableData(Record):
    """An input table's rows and where its columns are."""

    __slots__ = ("rows", "cols")

    def __init__(self, rows: list[Row], cols: dict[str, int]):
        self.rows = rows
        self.cols = cols  # key -> column


def clean_once(declared: Any, key: tuple, problems: Problems, work: Callable[[], Any]) -> Any:
    """``work()`` for a header row (``key``) read against a declaration, remembered when it reported
    no problem: every workbook of a province repeats the same headers, so each is parsed once.
    A header that reported anything is parsed again each time, so its problems are reported again."""
    value = _recall(declared, key)
    if value is not _MISSING:
        return value
    before = problems.reported
    value = work()
    return _keep(declared, key, value) if problems.reported == before else value


def header_map(header: Sequence[Any], columns: Sequence[Column], sheet: str, problems: Problems,
               *, header_row: int = 0) -> dict[str, int]:
    """Column key → position for a header row; look-alike and repeated headers are errors."""
    key = (header_row, tuple(header), tuple(map(type, header)))  # 1, 1.0 and True are equal keys but different headers
    return dict(clean_once(columns, key, problems, lambda: _header_map(header, columns, sheet, problems, header_row)))


def _header_map(header: Sequence[Any], columns: Sequence[Column], sheet: str, problems: Problems, header_row: int) -> dict[str, int]:
    pos: dict[str, int] = {}
    rd = CellReader(sheet, problems)
    names, by_header = _per_declaration(columns, lambda: ([c.header for c in columns], {norm(c.header): c for c in columns}))
    for j, h in enumerate(header):
        if is_blank(h):
            continue
        text = rd.text(h, cell_ref(header_row, j)) or ""
        col = by_header.get(norm(text))
        if col is None:
            m = match_name(text, names)
            if m.lookalike:
                problems.add("header_lookalike", sheet, cell_ref(header_row, j), text, f"tiêu đề “{m.lookalike}”",
                             f"Tiêu đề cột “{text}” gần giống “{m.lookalike}” nhưng không đúng; xlpy không đoán. Sửa tiêu đề thành “{m.lookalike}”.")
            continue
        if col.key in pos:
            problems.add("duplicate_column", sheet, cell_ref(header_row, j), text, "mỗi cột một lần",
                         f"Cột “{col.header}” xuất hiện hai lần (ô {cell_ref(header_row, pos[col.key])} và {cell_ref(header_row, j)}). Xóa một cột.")
            continue
        pos[col.key] = j
    return pos


def check_merged(sheet: str, merged: Sequence[tuple[int, int, int, int]], problems: Problems,
                 first_row: int = 0, cols: Iterable[int] | None = None) -> None:
    """Merged cells inside a table are errors: a merged cell holds one value for several rows."""
    wanted = set(cols) if cols is not None else None
    for r0, c0, r1, c1 in merged:
        if r1 < first_row:
            continue
        if wanted is not None and not any(c0 <= c <= c1 for c in wanted):
            continue
        ref = f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}"
        problems.add("merged_cell", sheet, ref, ref, "mỗi ô một giá trị",
                     f"Vùng {ref} của trang “{sheet}” đang gộp ô (Merge); một ô gộp mang một giá trị cho nhiều dòng/cột. "
                     "Bỏ gộp ô (Unmerge) và nhập giá trị cho từng ô.")


def read_table(grid: Sequence[Sequence[Any]] | None, table: Table, problems: Problems,
               merged: Sequence[tuple[int, int, int, int]] = ()) -> TableData | None:
    """The typed rows of a header-in-row-1 table; None when a required column is missing."""
    grid = grid or []
    header = list(grid[0]) if grid else []
    pos = header_map(header, table.columns, table.sheet, problems)
    missing = [c for c in table.columns if c.required and c.key not in pos]
    for c in missing:
        from ..book.sheet import col_letter

        problems.add("missing_column", table.sheet, f"{col_letter(len(header) + 1)}1", "(không có)", f"cột tiêu đề “{c.header}” ở dòng 1",
                     f"Trang “{table.sheet}” thiếu cột “{c.header}”. Thêm cột có đúng tiêu đề này vào dòng 1.")
    check_merged(table.sheet, merged, problems, first_row=0, cols=pos.values())
    if missing:
        return None
    rd = CellReader(table.sheet, problems)
    cols = [(c.key, pos[c.key], c, _fast_kind(c)) for c in table.columns if c.key in pos]
    keys = list(pos)
    idx = [pos[k] for k in keys]
    width = max(idx, default=-1) + 1
    rows = []
    for i in range(1, len(grid)):
        r = grid[i]
        if len(r) >= width:
            cells = [r[j] for j in idx]
        else:
            cells = [r[j] if j < len(r) else None for j in idx]
        if all(v is None or v == "" or is_blank(v) for v in cells):
            continue
        raw = dict(zip(keys, cells))
        row = Row(i, {}, pos, raw)
        values = row.values
        for k, j, col, fast in cols:
            v = raw[k]
            if v is None or v == "":  # a blank cell is None whatever its kind (rd.value says nothing of it)
                values[k] = None
                continue
            if fast is not None:  # the common, valid case converted here; anything else as CellReader.value says
                t = type(v)
                if fast == "text" and t is str:
                    x = v.strip()
                    if not x:
                        values[k] = None
                        continue
                    if v.isascii() or not is_nfd(v):
                        values[k] = x
                        continue
                elif fast == "yesno":
                    x = _YES_NO.get(norm(v)) if t is str else (v if t is bool else None)
                    if x is not None:
                        values[k] = x
                        continue
                elif fast == "date" and (t is dt.datetime or t is dt.date):
                    values[k] = v.date() if t is dt.datetime else v
                    continue
                elif type(fast) is dict:  # a choice: its label or value as typed
                    if t is str and (v.isascii() or not is_nfd(v)):
                        x = fast.get(norm(v), _MISSING)
                        if x is not _MISSING:
                            values[k] = x
                            continue
                elif fast != "text" and (t is float or t is int):
                    lo, hi, positive, integer = fast
                    x = float(v)
                    if (math.isfinite(x) and (lo is None or x >= lo) and (hi is None or x <= hi) and (not positive or x > 0)
                            and (not integer or x.is_integer())):
                        values[k] = int(x) if integer else x
                        continue
            before = problems.error_count
            values[k] = rd.value(col, v, cell_ref(i, j))
            if problems.error_count > before:
                row.bad.add(k)
        rows.append(row)
    return TableData(rows, pos)


def _fast_kind(col: Column) -> Any:
    """How :func:`read_table` may convert a valid cell of ``col`` itself: "text", the number
    bounds (minimum, maximum, positive, integer) as :meth:`CellReader.value` applies them, the
    choices map :meth:`CellReader.choice` looks labels up in, or None."""
    kind = col.kind
    if kind in ("text", "code"):
        return "text"
    if kind == "choice":
        return _choice_map(col.choices, tuple(getattr(col, "aliases", ())))
    if kind in ("yesno", "date"):
        return kind
    if kind in ("number", "int", "percent"):
        lo = col.minimum if col.minimum is not None else (0 if kind == "percent" else None)
        hi = col.maximum if col.maximum is not None else (100 if kind == "percent" else None)
        return (lo, hi, col.positive, kind == "int")
    return None


# ---------------------------------------------------------------------------------------
# settings


SECRET_WORDS = ("mật khẩu", "mat khau", "password", "passwd")
_SECRET = re.compile("|".join(map(re.escape, SECRET_WORDS)))  # one search per key, not one per word


class SettingValues(Record):
    """The settings sheet, read once: every declared key's value (or default) and its cell."""

    __slots__ = ("specs", "values", "cells", "sheet", "unknown")

    def __init__(self, specs: dict[str, Setting], values: dict[str, Any] | None = None, cells: dict[str, str] | None = None,
                 sheet: str = "Cài đặt", unknown: dict[str, Any] | None = None):
        self.specs = specs  # attr -> spec
        self.values: dict[str, Any] = {} if values is None else values  # attr -> parsed value (only keys typed)
        self.cells: dict[str, str] = {} if cells is None else cells  # attr -> "B12"
        self.sheet = sheet
        self.unknown: dict[str, Any] = {} if unknown is None else unknown  # keys xlpy does not declare -> value as typed

    def get(self, attr: str) -> Any:
        if attr in self.values:
            return self.values[attr]
        return self.specs[attr].default

    def is_set(self, attr: str) -> bool:
        return attr in self.values

    def cell(self, attr: str) -> str:
        """The value cell of a key ("B12"), or "" when the key is not in the sheet."""
        return self.cells.get(attr, "")

    def where(self, attr: str) -> str:
        c = self.cell(attr)
        return f"{self.sheet}!{c}" if c else self.sheet


def read_settings(grid: Sequence[Sequence[Any]] | None, specs: Sequence[Setting], sheet: str,
                  problems: Problems, merged: Sequence[tuple[int, int, int, int]] = ()) -> SettingValues:
    """Every declared key from the settings sheet; bad values, repeated keys, look-alike
    keys and passwords typed into the workbook are problems naming their cells."""
    out = SettingValues({s.attr: s for s in specs}, sheet=sheet)
    rd = CellReader(sheet, problems)
    by_key, keys = _per_declaration(specs, lambda: ({norm(s.key): s for s in specs}, [s.key for s in specs]))
    seen: dict[str, str] = {}
    check_merged(sheet, merged, problems, first_row=1, cols=(0, 1))
    for i, r in enumerate(grid or []):
        if not r or is_blank(r[0]):
            continue
        addr_k, addr_v = cell_ref(i, 0), cell_ref(i, 1)
        key = rd.text(r[0], addr_k) or ""
        raw = r[1] if len(r) > 1 else None
        nkey = norm(key)
        if _SECRET.search(nkey) and not is_blank(raw):
            problems.add("password_in_book", sheet, addr_v, "(đã ẩn)", "ô trống",
                         f"Không ghi mật khẩu vào sổ tính (“{key}”). Xóa ô {addr_v} và lưu mật khẩu bằng "
                         "'keyring set xlpy-smtp <tài khoản>' hoặc biến môi trường XLPY_SMTP_PASSWORD.")
            continue
        spec = by_key.get(nkey)
        if spec is None:
            if i == 0:
                continue  # the header row (“Khóa”, “Giá trị”)
            m = match_name(key, keys)
            if m.lookalike:
                problems.add("setting_lookalike", sheet, addr_k, key, f"khóa “{m.lookalike}”",
                             f"Khóa “{key}” gần giống “{m.lookalike}” nhưng không đúng; xlpy không đoán. Sửa thành “{m.lookalike}”.")
            else:
                problems.warn("unknown_setting", sheet, addr_k, key, "một khóa xlpy biết",
                              f"Khóa “{key}” không phải thiết lập của xlpy nên được bỏ qua.")
                if not is_blank(raw):
                    out.unknown[key] = raw  # kept as typed (a new year's workbook carries it)
            continue
        if spec.attr in seen:
            problems.add("duplicate_setting", sheet, addr_k, key, "mỗi khóa một dòng",
                         f"Khóa “{spec.key}” xuất hiện hai lần (ô {seen[spec.attr]} và {addr_k}). Xóa một dòng, giữ dòng có giá trị đúng.")
            continue
        seen[spec.attr] = addr_k
        out.cells[spec.attr] = addr_v
        v = rd.value(spec, raw, addr_v)
        if v is not None:
            out.values[spec.attr] = v
    return out


def settings_from_values(specs: Sequence[Setting], values: Mapping[str, Any]) -> SettingValues:
    """SettingValues from code (API, tests): ``values`` by attr, taken as typed."""
    out = SettingValues({s.attr: s for s in specs})
    for k, v in values.items():
        if k not in out.specs:
            raise KeyError(f"unknown setting {k!r}")
        out.values[k] = v
        out.cells[k] = "(API)"
    return out
