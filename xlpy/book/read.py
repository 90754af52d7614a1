"""Reading the canonical workbook into the core model, collecting every problem.

:func:`read_block` never stops at the first problem: each sheet is checked
completely and every finding is reported with its sheet, cell, what was found,
what is expected and how to fix it, in Vietnamese.  Text is normalised to
Unicode NFC (text typed in NFD is accepted, with a warning), so codes match
whatever keyboard layout produced them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np
import pandas as pd

from ..core.model import (
    DEFAULT_CLASSES,
    TIE_VOTE,
    TIE_WOMEN,
    Band,
    Block,
    ClassBand,
    Criterion,
    FinalPolicy,
    Group,
    Kind,
    KIND_LABELS,
    PART_LABELS,
    Part,
    RankMethod,
    Settings,
    Stage,
    Unit,
)
from ..core.problems import Problems
from . import layout as L
from .grid import Row, _key, _n, cell, clean_text, code_text, get_column_letter, number, table_rows  # noqa: F401
from .io import Book

KIND_BY_LABEL = {_k: k for k, _k in ((k, unicodedata.normalize("NFC", v).casefold()) for k, v in KIND_LABELS.items())}
GROUP_LABEL = "nhóm"


# ---------------------------------------------------------------------------
def read_settings(book: Book, problems: Problems, cells: dict[str, str] | None = None) -> Settings:
    """Settings from the key/value sheet; ``cells`` receives key → value cell address."""
    cells = {} if cells is None else cells
    grid = book.grid(L.SETTINGS)
    sheet = L.SETTINGS
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if grid is None:
        problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", _missing_sheet_msg(sheet))
        return Settings()
    specs = {_key(s.key): s for s in L.SETTING_SPECS}
    seen: dict[str, str] = {}
    for i, r in enumerate(grid):
        if i == 0 or not r or r[0] in (None, ""):
            continue  # header row
        key = clean_text(r[0], sheet, cell(i, 0), problems)
        if _key(key) in seen:
            problems.add(
                "duplicate_setting",
                sheet,
                cell(i, 0),
                key,
                "mỗi khóa một dòng",
                f"Khóa “{key}” xuất hiện hai lần (ô {seen[_key(key)]} và {cell(i, 0)}). Xóa một dòng, giữ dòng có giá trị đúng.",
            )
            continue
        seen[_key(key)] = cell(i, 0)
        raw = clean_text(r[1] if len(r) > 1 else None, sheet, cell(i, 1), problems)
        spec = specs.get(_key(key))
        cells[spec.key if spec else str(key)] = cell(i, 1)
        if spec is None:
            extra[str(key)] = raw
            continue
        if spec.owner != "core":
            extra[spec.key] = raw
            continue
        parsed = _setting_value(spec, raw, sheet, cell(i, 1), problems)
        if parsed is not None:
            values[spec.attr] = parsed
    s = Settings()
    kwargs: dict[str, Any] = {}
    for spec in L.SETTING_SPECS:
        if spec.owner != "core":
            continue
        v = values.get(spec.attr)
        if v is None:
            continue
        kwargs[spec.attr] = v
    if "rank_method" in kwargs:
        kwargs["rank_method"] = RankMethod(kwargs["rank_method"])
    if "final_policy" in kwargs:
        kwargs["final_policy"] = FinalPolicy(kwargs["final_policy"])
    if "women_threshold" in kwargs:
        kwargs["women_threshold"] = kwargs["women_threshold"] / 100.0
    if "decimals" in kwargs:
        kwargs["decimals"] = int(kwargs["decimals"])
    if "year" in kwargs:
        kwargs["year"] = int(kwargs["year"])
    return Settings(**{**s.__dict__, **kwargs, "extra": extra})


def _setting_value(spec: L.SettingSpec, raw: Any, sheet: str, addr: str, problems: Problems) -> Any:
    if raw is None or raw == "":
        return None
    what = f"giá trị “{spec.key}”"
    if spec.kind == "text":
        return str(raw)
    if spec.kind in ("int", "number", "percent"):
        mn, mx = (0, 100) if spec.kind == "percent" else (0, None)
        if spec.attr == "decimals":
            mx = 6
        x = number(raw, sheet, addr, problems, what, minimum=mn, maximum=mx, integer=spec.kind == "int")
        return x
    if spec.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, str):
            for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
                try:
                    return dt.datetime.strptime(raw, fmt).date()
                except ValueError:
                    pass
        problems.add(
            "bad_date", sheet, addr, raw, "một ngày, ví dụ 15/12/2025", f"Ô {addr}: không đọc được ngày “{raw}”. Nhập ngày dạng ngày/tháng/năm."
        )
        return None
    if spec.kind == "choice":
        by = {_key(k): v for k, v in spec.choices.items()}
        by.update({_key(v): v for v in spec.choices.values()})
        if _key(raw) in by:
            return by[_key(raw)]
        problems.add(
            "bad_choice",
            sheet,
            addr,
            raw,
            " / ".join(spec.choices),
            f"Ô {addr}: “{raw}” không phải lựa chọn hợp lệ cho “{spec.key}”. Chọn một giá trị trong danh sách.",
        )
        return None
    if spec.kind == "list":
        parts = [p.strip() for p in str(raw).replace(",", ";").split(";")]
        return tuple(p for p in parts if p)
    return raw  # pragma: no cover


def read_units(book: Book, problems: Problems) -> list[Unit]:
    sheet = L.UNITS
    grid = book.grid(sheet)
    if grid is None:
        problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", _missing_sheet_msg(sheet))
        return []
    parsed = table_rows(grid, sheet, L.UNIT_COLUMNS, problems)
    if parsed is None:
        return []
    rows, _ = parsed
    units: list[Unit] = []
    seen: dict[str, str] = {}
    for r in rows:
        code = code_text(r.values.get("code"))
        name = str(r.values.get("name") or "").strip()
        ok = True
        if not code:
            problems.add("missing_code", sheet, r.addr("code"), None, "mã đơn vị", f"Dòng {r.index + 1} chưa có mã đơn vị. Nhập mã ngắn, không trùng.")
            ok = False
        elif _key(code) in seen:
            problems.add(
                "duplicate_unit",
                sheet,
                r.addr("code"),
                code,
                "mã đơn vị không trùng",
                f"Mã đơn vị “{code}” bị trùng với ô {seen[_key(code)]}. Mỗi đơn vị một mã riêng.",
            )
            ok = False
        else:
            seen[_key(code)] = r.addr("code")
        if not name:
            problems.add("missing_name", sheet, r.addr("name"), None, "tên đơn vị", f"Dòng {r.index + 1} chưa có tên đơn vị.")
        women = None
        if "women_share" in r.cols:
            w = number(r.values.get("women_share"), sheet, r.addr("women_share"), problems, "tỷ lệ nữ (%)", minimum=0, maximum=100)
            if w is not None:
                if 0 < w < 1:
                    problems.warn(
                        "percent_fraction",
                        sheet,
                        r.addr("women_share"),
                        w,
                        "phần trăm từ 0 đến 100",
                        f"Tỷ lệ nữ {_n(w)}% rất thấp; nếu ý là {_n(w * 100)}% hãy nhập {_n(w * 100)}.",
                    )
                women = w / 100.0
        votes = None
        if "votes" in r.cols:
            votes = number(r.values.get("votes"), sheet, r.addr("votes"), problems, "số phiếu bầu", minimum=0, integer=True)
        if ok:
            units.append(
                Unit(
                    code=code,
                    name=name,
                    role=str(r.values.get("role") or ""),
                    women_share=women,
                    votes=votes,
                    email=str(r.values.get("email") or ""),
                    cc=str(r.values.get("cc") or ""),
                )
            )
    if not rows:
        problems.add("no_units", sheet, "A2", None, "ít nhất một đơn vị", "Trang Đơn vị chưa có đơn vị nào. Nhập danh sách đơn vị thành viên của khối.")
    return units


@dataclass
class _CritRow:
    row: Row
    code: str
    kind: Kind | None  # None = group row
    max_points: float | None


def read_criteria(book: Book, problems: Problems) -> tuple[list[Criterion], list[Group], dict[str, Row]]:
    """Criteria and groups; also returns code → its row (for cell addresses)."""
    sheet = L.CRITERIA
    grid = book.grid(sheet)
    if grid is None:
        problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", _missing_sheet_msg(sheet))
        return [], [], {}
    parsed = table_rows(grid, sheet, L.CRITERIA_COLUMNS, problems)
    if parsed is None:
        return [], [], {}
    rows, _ = parsed
    where: dict[str, Row] = {}
    items: list[_CritRow] = []
    for r in rows:
        code = code_text(r.values.get("code"))
        kind_raw = r.values.get("kind")
        if not code:
            problems.add("missing_code", sheet, r.addr("code"), None, "mã tiêu chí", f"Dòng {r.index + 1} chưa có mã tiêu chí.")
            continue
        if _key(code) in {_key(c) for c in where}:
            first = next(v for c, v in where.items() if _key(c) == _key(code)).addr("code")
            problems.add(
                "duplicate_criterion", sheet, r.addr("code"), code, "mã không trùng", f"Mã “{code}” bị trùng với ô {first}. Mỗi tiêu chí/nhóm một mã riêng."
            )
            continue
        where[code] = r
        k = _key(kind_raw)
        if k == GROUP_LABEL:
            kind = None
        elif k in KIND_BY_LABEL:
            kind = KIND_BY_LABEL[k]
        else:
            problems.add(
                "bad_kind",
                sheet,
                r.addr("kind"),
                kind_raw,
                " / ".join(L.KIND_CHOICES),
                f"Loại tiêu chí “{kind_raw or ''}” không hợp lệ ở ô {r.addr('kind')}. Chọn trong danh sách: {', '.join(L.KIND_CHOICES)}.",
            )
            continue
        if not str(r.values.get("name") or "").strip():
            problems.add("missing_name", sheet, r.addr("name"), None, "tên tiêu chí", f"Tiêu chí “{code}” chưa có tên.")
        mx_raw = r.values.get("max_points")
        if kind is None:
            mx = number(mx_raw, sheet, r.addr("max_points"), problems, "điểm tối đa của nhóm", positive=True)
        else:
            if mx_raw is None or mx_raw == "":
                problems.add(
                    "missing_max",
                    sheet,
                    r.addr("max_points"),
                    None,
                    "điểm tối đa lớn hơn 0",
                    f"Tiêu chí “{code}” chưa có điểm tối đa. Nhập điểm chuẩn của tiêu chí vào ô {r.addr('max_points')}.",
                )
                mx = None
            else:
                mx = number(mx_raw, sheet, r.addr("max_points"), problems, "điểm tối đa", positive=True)
        items.append(_CritRow(r, code, kind, mx))
    groups = [
        Group(it.code, str(it.row.values.get("name") or ""), it.max_points) for it in items if it.kind is None
    ]
    gcodes = {g.code for g in groups}
    criteria: list[Criterion] = []
    for it in items:
        if it.kind is None:
            continue
        r = it.row
        g = code_text(r.values.get("group")) or None
        if g is not None and g not in gcodes:
            problems.add(
                "unknown_group",
                sheet,
                r.addr("group"),
                g,
                "mã một dòng loại Nhóm",
                f"Tiêu chí “{it.code}” thuộc nhóm “{g}” nhưng chưa có dòng Nhóm mã “{g}”. Thêm dòng nhóm hoặc sửa mã nhóm.",
            )
            g = None
        weight = None
        if "weight" in r.cols:
            weight = number(r.values.get("weight"), sheet, r.addr("weight"), problems, "trọng số", positive=True)
        target = None
        if "target" in r.cols:
            target = number(r.values.get("target"), sheet, r.addr("target"), problems, "chỉ tiêu", positive=True)
        per_event = None
        if "per_event" in r.cols:
            per_event = number(r.values.get("per_event"), sheet, r.addr("per_event"), problems, "điểm mỗi lần", positive=True)
        if it.kind is Kind.COUNT and per_event is None and r.values.get("per_event") in (None, ""):
            problems.add(
                "missing_per_event",
                sheet,
                r.addr("per_event") if "per_event" in r.cols else r.addr("kind"),
                None,
                "điểm mỗi lần",
                f"Tiêu chí “{it.code}” loại Số lần cần “Điểm mỗi lần”.",
            )
        part = None
        raw_part = r.values.get("part") if "part" in r.cols else None
        if raw_part not in (None, ""):
            part = {_key(v): k for k, v in PART_LABELS.items()}.get(_key(raw_part))
            if part is None:
                problems.add(
                    "bad_choice", sheet, r.addr("part"), raw_part, "Nội dung / Thưởng / Trừ",
                    f"Ô {r.addr('part')}: “{raw_part}” không hợp lệ; chọn Nội dung, Thưởng hoặc Trừ.",
                )
            elif (part is Part.DEDUCTION) != (it.kind is Kind.DEDUCTION) and it.kind is not Kind.COUNT:
                problems.add(
                    "contradictory_part", sheet, r.addr("part"), raw_part, "Trừ chỉ đi với loại Điểm trừ hoặc Số lần",
                    f"Tiêu chí “{it.code}” loại {it.kind.label} không thể tính vào “{raw_part}”.",
                )
                part = None
        if it.max_points is None:
            continue
        criteria.append(
            Criterion(
                code=it.code,
                name=str(r.values.get("name") or ""),
                kind=it.kind,
                max_points=it.max_points,
                weight=weight,
                group=g,
                target=target,
                per_event=per_event,
                part_override=part,
            )
        )
    if not items:
        problems.add("no_criteria", sheet, "A2", None, "ít nhất một tiêu chí", "Trang Tiêu chí chưa có tiêu chí nào.")
    return criteria, groups, where


def read_bands(book: Book, criteria: list[Criterion], problems: Problems) -> list[Criterion]:
    sheet = L.BANDS
    banded = {c.code: c for c in criteria if c.kind is Kind.BAND}
    grid = book.grid(sheet)
    if grid is None:
        if banded:
            problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", _missing_sheet_msg(sheet))
        return criteria
    parsed = table_rows(grid, sheet, L.BAND_COLUMNS, problems)
    if parsed is None:
        return criteria
    rows, _ = parsed
    bands: dict[str, list[tuple[Band, Row]]] = {}
    for r in rows:
        code = code_text(r.values.get("code"))
        if code not in banded:
            problems.add(
                "band_unknown_criterion",
                sheet,
                r.addr("code"),
                code,
                "mã một tiêu chí loại Bậc thưởng",
                f"“{code}” không phải tiêu chí loại Bậc thưởng trong trang Tiêu chí.",
            )
            continue
        lo = number(r.values.get("low"), sheet, r.addr("low"), problems, "cận dưới", required=True)
        hi = number(r.values.get("high"), sheet, r.addr("high"), problems, "cận trên", required=True)
        pts = number(
            r.values.get("points"), sheet, r.addr("points"), problems, "điểm của bậc", required=True, minimum=0,
            maximum=banded[code].max_points,
        )
        inc = []
        for k in ("low_inclusive", "high_inclusive"):
            v = _key(r.values.get(k))
            if v in ("có", "co", "x", "true", "1"):
                inc.append(True)
            elif v in ("không", "khong", "false", "0"):
                inc.append(False)
            else:
                problems.add(
                    "bad_choice", sheet, r.addr(k), r.values.get(k), "Có / Không", f"Ô {r.addr(k)}: chọn Có hoặc Không."
                )
                inc.append(None)
        if None in (lo, hi, pts) or None in inc:
            continue
        if lo > hi or (lo == hi and not (inc[0] and inc[1])):
            problems.add(
                "empty_band",
                sheet,
                r.addr("low"),
                f"{_n(lo)}–{_n(hi)}",
                "cận dưới nhỏ hơn cận trên",
                f"Bậc ở dòng {r.index + 1} không chứa giá trị nào. Sửa cận dưới/cận trên.",
            )
            continue
        b = Band(lo, hi, pts, inc[0], inc[1])
        for other, orow in bands.get(code, []):
            if b.overlaps(other):
                problems.add(
                    "band_overlap",
                    sheet,
                    r.addr("low"),
                    b.describe(),
                    f"không chồng lên bậc {other.describe()} (dòng {orow.index + 1})",
                    f"Bậc {b.describe()} chồng lên bậc {other.describe()} của tiêu chí “{code}”. "
                    "Khai báo rõ cận nào được lấy (Có/Không) để mỗi giá trị chỉ thuộc một bậc.",
                )
        bands.setdefault(code, []).append((b, r))
    out = []
    for c in criteria:
        if c.kind is Kind.BAND:
            bs = tuple(sorted((b for b, _ in bands.get(c.code, [])), key=lambda b: (b.low, b.high)))
            if not bs:
                problems.add(
                    "band_missing",
                    sheet,
                    "A2",
                    c.code,
                    "ít nhất một bậc",
                    f"Tiêu chí “{c.code}” loại Bậc thưởng chưa có bậc nào trong trang {sheet}.",
                )
            from dataclasses import replace

            c = replace(c, bands=bs)
        out.append(c)
    return out


def read_classes(book: Book, problems: Problems) -> tuple[ClassBand, ...]:
    sheet = L.CLASSES
    grid = book.grid(sheet)
    if grid is None:
        return DEFAULT_CLASSES
    parsed = table_rows(grid, sheet, L.CLASS_COLUMNS, problems)
    if parsed is None:
        return DEFAULT_CLASSES
    out = []
    seen: dict[float, str] = {}
    for r in parsed[0]:
        name = str(r.values.get("name") or "").strip()
        pct = number(r.values.get("min_pct"), sheet, r.addr("min_pct"), problems, "ngưỡng (%)", required=True, minimum=0, maximum=100)
        if not name:
            problems.add("missing_name", sheet, r.addr("name"), None, "tên xếp loại", f"Dòng {r.index + 1} chưa có tên xếp loại.")
            continue
        if pct is None:
            continue
        if pct in seen:
            problems.add(
                "duplicate_threshold", sheet, r.addr("min_pct"), pct, "ngưỡng khác nhau", f"Ngưỡng {_n(pct)}% trùng với ô {seen[pct]}."
            )
            continue
        seen[pct] = r.addr("min_pct")
        out.append(ClassBand(name, pct))
    return tuple(out) if out else DEFAULT_CLASSES


def read_matrix(
    book: Book,
    sheet: str,
    units: list[Unit],
    criteria: list[Criterion],
    problems: Problems,
    *,
    required: bool,
    allowed: set[str] | None = None,
    check_values: bool = True,
    targets: bool = False,
    broken: set[str] = frozenset(),  # type: ignore[assignment]
) -> pd.DataFrame | None:
    """A units × criteria sheet (stage scores or per-unit targets).

    Columns of criteria whose definition is itself in error (``broken``) are
    skipped quietly: that error is already reported once on the criteria sheet.
    Rows with an unknown unit code are reported and their values still checked."""
    grid = book.grid(sheet)
    if grid is None:
        if required:
            problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", _missing_sheet_msg(sheet))
        return None
    by_code = {c.code: c for c in criteria}
    header = grid[0] if grid else []
    code_col = None
    crit_cols: dict[str, int] = {}
    for j, h in enumerate(header):
        h2 = clean_text(h, sheet, cell(0, j), problems)
        if h2 in (None, ""):
            continue
        if _key(h2) == _key("Mã đơn vị"):
            code_col = j
        elif _key(h2) == _key("Tên đơn vị"):
            continue
        else:
            code = code_text(h2)
            if code in broken:
                continue
            if code not in by_code:
                problems.add(
                    "unknown_criterion",
                    sheet,
                    cell(0, j),
                    code,
                    "mã một tiêu chí trong trang Tiêu chí",
                    f"Cột “{code}” không phải mã tiêu chí nào. Sửa tiêu đề cột hoặc thêm tiêu chí vào trang Tiêu chí.",
                )
            elif allowed is not None and code not in allowed:
                problems.add(
                    "target_not_applicable",
                    sheet,
                    cell(0, j),
                    code,
                    "tiêu chí loại Tỷ lệ hoặc Chỉ tiêu",
                    f"Tiêu chí “{code}” không tính theo chỉ tiêu; bỏ cột này khỏi trang {sheet}.",
                )
            elif code in crit_cols:
                problems.add(
                    "duplicate_column", sheet, cell(0, j), code, "mỗi tiêu chí một cột", f"Cột tiêu chí “{code}” xuất hiện hai lần (cột {get_column_letter(crit_cols[code] + 1)})."
                )
            else:
                crit_cols[code] = j
    if code_col is None:
        problems.add(
            "missing_column", sheet, "A1", header[0] if header else None, "cột “Mã đơn vị”", f"Trang “{sheet}” thiếu cột “Mã đơn vị” ở dòng 1."
        )
        return None
    if required and not targets:
        for c in criteria:
            if c.code not in crit_cols:
                problems.add(
                    "missing_column",
                    sheet,
                    f"{get_column_letter(len(header) + 1)}1",
                    "(không có)",
                    f"cột tiêu chí “{c.code}”",
                    f"Trang “{sheet}” thiếu cột tiêu chí “{c.code}”. Chạy “Tạo bảng chấm” hoặc thêm cột có tiêu đề “{c.code}”.",
                )
    known = {u.code: u for u in units}
    known_key = {_key(u.code): u.code for u in units}
    data: dict[str, dict[str, float]] = {}
    first_row: dict[str, str] = {}
    for i in range(1, len(grid)):
        r = grid[i]
        vals = [r[j] if j < len(r) else None for j in crit_cols.values()]
        raw_code = r[code_col] if code_col < len(r) else None
        if (raw_code is None or raw_code == "") and all(v is None or v == "" for v in vals):
            continue
        raw_code = clean_text(raw_code, sheet, cell(i, code_col), problems)
        code = known_key.get(_key(code_text(raw_code)))
        if code is None:
            problems.add(
                "unknown_unit",
                sheet,
                cell(i, code_col),
                raw_code,
                "mã một đơn vị trong trang Đơn vị",
                f"Mã đơn vị “{raw_code or ''}” không có trong trang Đơn vị. Sửa mã hoặc thêm đơn vị.",
            )
            for ccode, j in crit_cols.items():  # still check the row's values
                v = clean_text(r[j] if j < len(r) else None, sheet, cell(i, j), problems)
                if check_values:
                    _entry(by_code[ccode], v, sheet, cell(i, j), problems, targets)
            continue
        if code in data:
            problems.add(
                "duplicate_unit", sheet, cell(i, code_col), code, "mỗi đơn vị một dòng", f"Đơn vị “{code}” có hai dòng (dòng đầu ở ô {first_row[code]})."
            )
            continue
        first_row[code] = cell(i, code_col)
        row: dict[str, float] = {}
        for ccode, j in crit_cols.items():
            c = by_code[ccode]
            v = clean_text(r[j] if j < len(r) else None, sheet, cell(i, j), problems)
            x = _entry(c, v, sheet, cell(i, j), problems, targets) if check_values else v
            row[ccode] = np.nan if x is None else x
        data[code] = row
    if required and not targets:
        for u in units:
            if u.code not in data:
                problems.add(
                    "missing_unit_row",
                    sheet,
                    "A2",
                    u.code,
                    f"một dòng cho đơn vị “{u.code}”",
                    f"Trang “{sheet}” chưa có dòng nào cho đơn vị “{u.code}” ({u.name}). Thêm dòng với mã này.",
                )
    frame = pd.DataFrame.from_dict(data, orient="index", columns=[c.code for c in criteria], dtype=float)
    return frame.reindex(index=[u.code for u in units if u.code in known])


def _entry(c: Criterion, v: Any, sheet: str, addr: str, problems: Problems, targets: bool) -> float | None:
    if targets:
        return number(v, sheet, addr, problems, f"chỉ tiêu của tiêu chí “{c.code}”", positive=True)
    if c.kind in (Kind.POINTS, Kind.BONUS) or (c.kind is Kind.DEDUCTION and c.per_event is None):
        return number(v, sheet, addr, problems, f"điểm tiêu chí “{c.code}”", minimum=0, maximum=c.max_points)
    if c.kind in (Kind.COUNT, Kind.DEDUCTION):
        return number(v, sheet, addr, problems, f"số lần của tiêu chí “{c.code}”", minimum=0, integer=True)
    return number(v, sheet, addr, problems, f"giá trị thực hiện của tiêu chí “{c.code}”", minimum=0)


def _missing_sheet_msg(sheet: str) -> str:
    return f"Sổ tính thiếu trang “{sheet}”. Tạo sổ mới bằng “xlpy new” (hoặc nút Sổ mới) và chép dữ liệu sang, hoặc thêm trang có đúng tên này."


def read_block(book: Book) -> tuple[Block | None, Problems]:
    """Read and check the whole workbook.  Returns the block (None when it cannot be
    built) and every problem found."""
    problems = Problems()
    cells: dict[str, str] = {}
    settings = read_settings(book, problems, cells)
    units = read_units(book, problems)
    criteria, groups, where = read_criteria(book, problems)
    criteria = read_bands(book, criteria, problems)
    classes = read_classes(book, problems)
    _check_tie_break(settings, criteria, problems, cells.get("Thứ tự phá hòa", "B"))
    broken = set(where) - {c.code for c in criteria}
    measured = {c.code for c in criteria if c.kind in (Kind.RATIO, Kind.TARGET)}
    targets = read_matrix(
        book, L.TARGETS, units, criteria, problems, required=False, allowed=measured, targets=True, broken=broken
    )
    stages: dict[Stage, pd.DataFrame] = {}
    for stage, sheet in ((Stage.SELF, L.SELF), (Stage.BLOCK, L.BLOCK), (Stage.OFFICE, L.OFFICE)):
        f = read_matrix(book, sheet, units, criteria, problems, required=stage is Stage.SELF, broken=broken)
        if f is not None:
            stages[stage] = f
    _check_targets(criteria, units, targets, stages, where, problems)
    if problems.has_errors or not units or not criteria:
        return None, problems
    block = Block(
        settings=settings,
        units=tuple(units),
        criteria=tuple(criteria),
        groups=tuple(groups),
        classes=classes,
        stages=stages,
        targets=targets,
    )
    return block, problems


def _check_tie_break(settings: Settings, criteria: list[Criterion], problems: Problems, addr: str) -> None:
    codes = {c.code for c in criteria}
    for token in settings.tie_break:
        if token not in codes and token not in (TIE_WOMEN, TIE_VOTE):
            problems.add(
                "bad_tie_break",
                L.SETTINGS,
                addr,
                token,
                f"mã tiêu chí, {TIE_WOMEN} hoặc {TIE_VOTE}",
                f"“{token}” trong Thứ tự phá hòa không phải mã tiêu chí, {TIE_WOMEN} hay {TIE_VOTE}.",
            )


def _check_targets(criteria, units, targets, stages, where, problems: Problems) -> None:
    """Every unit with an entry for a ratio/target criterion needs a target."""
    for c in criteria:
        if c.kind not in (Kind.RATIO, Kind.TARGET) or c.target is not None:
            continue
        entered = set()
        for f in stages.values():
            if c.code in f.columns:
                entered |= set(f.index[f[c.code].notna()])
        have = set()
        if targets is not None and c.code in targets.columns:
            have = set(targets.index[targets[c.code].notna()])
        missing = sorted(entered - have, key=[u.code for u in units].index)
        if missing:
            problems.add(
                "missing_target",
                L.CRITERIA,
                where[c.code].addr("target") if "target" in where[c.code].cols else where[c.code].addr("code"),
                ", ".join(missing),
                "chỉ tiêu chung ở cột Chỉ tiêu hoặc chỉ tiêu từng đơn vị",
                f"Tiêu chí “{c.code}” tính theo chỉ tiêu nhưng chưa có chỉ tiêu cho: {', '.join(missing)}. "
                f"Nhập chỉ tiêu chung ở trang Tiêu chí hoặc từng đơn vị ở trang “{L.TARGETS}”.",
            )


def iter_problems(problems: Problems) -> Iterator[str]:  # pragma: no cover - convenience
    for p in problems:
        yield str(p)
