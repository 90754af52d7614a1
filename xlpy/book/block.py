"""The core model from the typed rows of the scoring sheets, with the checks between them.

:mod:`xlpy.schema.base` has already converted every cell to its declared type
(and reported the ones that could not be); this module builds the
:class:`~xlpy.core.model.Block` parts and reports what only makes sense across
cells: repeated codes, a criterion in an unknown group, overlapping bands, a
ratio criterion without a target, an unknown tie-break key…
"""

from __future__ import annotations

from typing import Any

from ..core.model import (
    DEFAULT_CLASSES,
    TIE_VOTE,
    TIE_WOMEN,
    Band,
    ClassBand,
    Criterion,
    FinalPolicy,
    Group,
    Kind,
    Part,
    RankMethod,
    Settings,
    Unit,
)
from ..core.problems import Problems
from ..schema import core as S
from ..schema.base import SettingValues, TableData, fmt_num, norm


def core_settings(v: SettingValues, extra: dict[str, Any] | None = None) -> Settings:
    """The core's settings from the settings sheet's values."""
    year = v.get("year")
    day = v.get("round_date")
    return Settings(
        block_name=v.get("block_name") or "",
        year=int(year) if year is not None else (day.year if day else None),
        period=v.get("period") or "Tổng kết năm",
        round_date=day,
        decimals=int(v.get("decimals")),
        rank_method=RankMethod(v.get("rank_method")),
        final_policy=FinalPolicy(v.get("final_policy")),
        tie_break=tuple(_tie_token(t) for t in (v.get("tie_break") or ())),
        content_cap=v.get("content_cap"),
        bonus_cap=v.get("bonus_cap"),
        max_total=v.get("max_total"),
        women_threshold=float(v.get("women_threshold")) / 100.0,
        extra=extra or {},
    )


def _tie_token(t: str) -> str:
    return t.upper() if t.upper() in (TIE_WOMEN, TIE_VOTE) else t


def units(data: TableData | None, problems: Problems) -> list[Unit]:
    sheet = S.UNITS
    if data is None:
        return []
    out: list[Unit] = []
    seen: dict[str, str] = {}
    for r in data.rows:
        code = r.get("code", "")
        name = r.get("name", "")
        ok = True
        if not code:
            if "code" not in r.bad:
                problems.add("missing_code", sheet, r.addr("code"), None, "mã đơn vị", f"Dòng {r.number} chưa có mã đơn vị. Nhập mã ngắn, không trùng.")
            ok = False
        elif norm(code) in seen:
            problems.add("duplicate_unit", sheet, r.addr("code"), code, "mã đơn vị không trùng",
                         f"Mã đơn vị “{code}” bị trùng với ô {seen[norm(code)]}. Mỗi đơn vị một mã riêng.")
            ok = False
        else:
            seen[norm(code)] = r.addr("code")
        if not name:
            problems.add("missing_name", sheet, r.addr("name"), None, "tên đơn vị", f"Dòng {r.number} chưa có tên đơn vị.")
        women = r.get("women_share")
        if women is not None:
            if 0 < women < 1:
                problems.warn("percent_fraction", sheet, r.addr("women_share"), women, "phần trăm từ 0 đến 100",
                              f"Tỷ lệ nữ {fmt_num(women)}% rất thấp; nếu ý là {fmt_num(women * 100)}% hãy nhập {fmt_num(women * 100)}.")
            women = women / 100.0
        if ok:
            out.append(Unit(code=code, name=name, role=r.get("role", ""), women_share=women, votes=r.get("votes"),
                            email=r.get("email", ""), cc=r.get("cc", "")))
    if not data.rows:
        problems.add("no_units", sheet, "A2", None, "ít nhất một đơn vị",
                     "Trang Đơn vị chưa có đơn vị nào. Nhập danh sách đơn vị thành viên của khối.")
    return out


def criteria(data: TableData | None, problems: Problems) -> tuple[list[Criterion], list[Group], dict[str, Any]]:
    """Criteria and groups; also code → its row (for cell addresses), criteria in error included."""
    sheet = S.CRITERIA
    if data is None:
        return [], [], {}
    where: dict[str, Any] = {}
    seen: dict[str, str] = {}
    items = []
    for r in data.rows:
        code = r.get("code", "")
        if not code:
            problems.add("missing_code", sheet, r.addr("code"), None, "mã tiêu chí", f"Dòng {r.number} chưa có mã tiêu chí.")
            continue
        if norm(code) in seen:
            problems.add("duplicate_criterion", sheet, r.addr("code"), code, "mã không trùng",
                         f"Mã “{code}” bị trùng với ô {seen[norm(code)]}. Mỗi tiêu chí/nhóm một mã riêng.")
            continue
        seen[norm(code)] = r.addr("code")
        where[code] = r
        kind_v = r.get("kind")
        if kind_v is None:
            if "kind" not in r.bad:
                problems.add("bad_kind", sheet, r.addr("kind"), None, " / ".join(S.KIND_CHOICES),
                             f"Tiêu chí “{code}” chưa có Loại ở ô {r.addr('kind')}. Chọn trong danh sách: {', '.join(S.KIND_CHOICES)}.")
            continue
        if not r.get("name"):
            problems.add("missing_name", sheet, r.addr("name"), None, "tên tiêu chí", f"Tiêu chí “{code}” chưa có tên.")
        mx = r.get("max_points")
        if kind_v != "group" and mx is None and "max_points" not in r.bad:
            problems.add("missing_max", sheet, r.addr("max_points"), None, "điểm tối đa lớn hơn 0",
                         f"Tiêu chí “{code}” chưa có điểm tối đa. Nhập điểm chuẩn của tiêu chí vào ô {r.addr('max_points')}.")
        items.append((r, code, None if kind_v == "group" else Kind(kind_v), mx))
    groups = [Group(code, r.get("name", ""), mx) for r, code, kind, mx in items if kind is None]
    gcodes = {norm(g.code): g.code for g in groups}
    out: list[Criterion] = []
    parts = {"content": Part.CONTENT, "bonus": Part.BONUS, "deduction": Part.DEDUCTION}
    for r, code, kind, mx in items:
        if kind is None:
            continue
        g = r.get("group") or None
        if g is not None:
            if norm(g) not in gcodes:
                problems.add("unknown_group", sheet, r.addr("group"), g, "mã một dòng loại Nhóm",
                             f"Tiêu chí “{code}” thuộc nhóm “{g}” nhưng chưa có dòng Nhóm mã “{g}”. Thêm dòng nhóm hoặc sửa mã nhóm.")
                g = None
            else:
                g = gcodes[norm(g)]
        per_event = r.get("per_event")
        if kind is Kind.COUNT and per_event is None and "per_event" not in r.bad:
            problems.add("missing_per_event", sheet, r.addr("per_event") if "per_event" in r.cols else r.addr("kind"), None,
                         "điểm mỗi lần", f"Tiêu chí “{code}” loại Số lần cần “Điểm mỗi lần”.")
        part = parts.get(r.get("part")) if r.get("part") else None
        if part is not None and (part is Part.DEDUCTION) != (kind is Kind.DEDUCTION) and kind is not Kind.COUNT:
            problems.add("contradictory_part", sheet, r.addr("part"), r.raw.get("part"), "Trừ chỉ đi với loại Điểm trừ hoặc Số lần",
                         f"Tiêu chí “{code}” loại {kind.label} không thể tính vào “{r.raw.get('part')}”.")
            part = None
        if mx is None:
            continue
        out.append(Criterion(code=code, name=r.get("name", ""), kind=kind, max_points=mx, weight=r.get("weight"), group=g,
                             target=r.get("target"), per_event=per_event, part_override=part))
    if not data.rows:
        problems.add("no_criteria", sheet, "A2", None, "ít nhất một tiêu chí", "Trang Tiêu chí chưa có tiêu chí nào.")
    return out, groups, where


def bands(data: TableData | None, crit: list[Criterion], problems: Problems, present: bool) -> list[Criterion]:
    sheet = S.BANDS
    banded = {norm(c.code): c for c in crit if c.kind is Kind.BAND}
    if not present:
        if banded:
            problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", missing_sheet_message(sheet))
        return crit
    found: dict[str, list[tuple[Band, Any]]] = {}
    for r in (data.rows if data else []):
        code = r.get("code", "")
        c = banded.get(norm(code))
        if c is None:
            problems.add("band_unknown_criterion", sheet, r.addr("code"), code, "mã một tiêu chí loại Bậc thưởng",
                         f"“{code}” không phải tiêu chí loại Bậc thưởng trong trang Tiêu chí.")
            continue
        lo, hi, pts = r.get("low"), r.get("high"), r.get("points")
        for key, what in (("low", "cận dưới"), ("high", "cận trên"), ("points", "điểm của bậc")):
            if r.values.get(key) is None and key not in r.bad:
                problems.add("missing_value", sheet, r.addr(key), None, f"một số ({what})", f"Ô {r.addr(key)} cần có {what}. Nhập một số vào ô này.")
        inc = [r.values.get("low_inclusive"), r.values.get("high_inclusive")]
        for key, v in zip(("low_inclusive", "high_inclusive"), inc):
            if v is None and key not in r.bad:
                problems.add("bad_choice", sheet, r.addr(key), None, "Có / Không", f"Ô {r.addr(key)}: chọn Có hoặc Không.")
        if pts is not None and pts > c.max_points:
            problems.add("above_max", sheet, r.addr("points"), pts, f"điểm của bậc không quá {fmt_num(c.max_points)}",
                         f"Ô {r.addr('points')}: điểm của bậc {fmt_num(pts)} vượt điểm tối đa {fmt_num(c.max_points)} của tiêu chí “{c.code}”.")
            continue
        if None in (lo, hi, pts) or None in inc:
            continue
        if lo > hi or (lo == hi and not (inc[0] and inc[1])):
            problems.add("empty_band", sheet, r.addr("low"), f"{fmt_num(lo)}–{fmt_num(hi)}", "cận dưới nhỏ hơn cận trên",
                         f"Bậc ở dòng {r.number} không chứa giá trị nào. Sửa cận dưới/cận trên.")
            continue
        b = Band(lo, hi, pts, bool(inc[0]), bool(inc[1]))
        for other, orow in found.get(c.code, []):
            if b.overlaps(other):
                problems.add("band_overlap", sheet, r.addr("low"), b.describe(), f"không chồng lên bậc {other.describe()} (dòng {orow.number})",
                             f"Bậc {b.describe()} chồng lên bậc {other.describe()} của tiêu chí “{c.code}”. "
                             "Khai báo rõ cận nào được lấy (Có/Không) để mỗi giá trị chỉ thuộc một bậc.")
        found.setdefault(c.code, []).append((b, r))
    out = []
    for c in crit:
        if c.kind is Kind.BAND:
            bs = tuple(sorted((b for b, _ in found.get(c.code, [])), key=lambda b: (b.low, b.high)))
            if not bs:
                problems.add("band_missing", sheet, "A2", c.code, "ít nhất một bậc",
                             f"Tiêu chí “{c.code}” loại Bậc thưởng chưa có bậc nào trong trang {sheet}.")
            c = c._replace(bands=bs)
        out.append(c)
    return out


def classes(data: TableData | None, problems: Problems) -> tuple[ClassBand, ...]:
    sheet = S.CLASSES
    if data is None:
        return DEFAULT_CLASSES
    out = []
    seen: dict[float, str] = {}
    for r in data.rows:
        name = r.get("name", "")
        pct = r.get("min_pct")
        if pct is None and "min_pct" not in r.bad:
            problems.add("missing_value", sheet, r.addr("min_pct"), None, "một số (ngưỡng (%))",
                         f"Ô {r.addr('min_pct')} cần có ngưỡng (%). Nhập một số vào ô này.")
        if not name:
            problems.add("missing_name", sheet, r.addr("name"), None, "tên xếp loại", f"Dòng {r.number} chưa có tên xếp loại.")
            continue
        if pct is None:
            continue
        if pct in seen:
            problems.add("duplicate_threshold", sheet, r.addr("min_pct"), pct, "ngưỡng khác nhau", f"Ngưỡng {fmt_num(pct)}% trùng với ô {seen[pct]}.")
            continue
        seen[pct] = r.addr("min_pct")
        out.append(ClassBand(name, pct))
    return tuple(out) if out else DEFAULT_CLASSES


def check_tie_break(settings: Settings, crit: list[Criterion], problems: Problems, sv: SettingValues) -> None:
    codes = {c.code for c in crit}
    for token in settings.tie_break:
        if token not in codes and token not in (TIE_WOMEN, TIE_VOTE):
            problems.add("bad_tie_break", sv.sheet, sv.cell("tie_break") or "B", token, f"mã tiêu chí, {TIE_WOMEN} hoặc {TIE_VOTE}",
                         f"“{token}” trong Thứ tự phá hòa không phải mã tiêu chí, {TIE_WOMEN} hay {TIE_VOTE}.")


def missing_sheet_message(sheet: str) -> str:
    return (f"Sổ tính thiếu trang “{sheet}”. Tạo sổ mới bằng “xlpy new” (hoặc nút Sổ mới) và chép dữ liệu sang, "
            "hoặc thêm trang có đúng tên này.")
