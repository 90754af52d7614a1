"""Settings of the award-rule checks: defaults, and their keys in the settings sheet.

Every number the reference marks UNVERIFIED (or that varies by province) is a
setting here with a documented default; a value typed in the workbook's
settings sheet ("Cài đặt", label in column A, value in column B) overrides the
default.  :func:`parse_settings` reads them from the sheet's raw grid so that
each problem names its cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any

from ..book import layout as L
from ..core.problems import Problems
from .quotas import as_fraction
from .titles import fold

AUTO = "auto"
STREAK_STRICT = "year"  # the run of consecutive years must end in the round's year
STREAK_LENIENT = "year_or_previous"  # … or in the year before
ORDER_TOKENS = ("PHIEU_BAU", "XEP_HANG", "TY_LE_NU", "CHU_TICH")
ORDER_LABELS = {
    "PHIEU_BAU": "số phiếu đồng ý cao hơn",
    "XEP_HANG": "hạng thi đua trong khối cao hơn",
    "TY_LE_NU": "ưu tiên nữ / tập thể có tỷ lệ nữ từ ngưỡng",
    "CHU_TICH": "thứ tự do Chủ tịch Hội đồng quyết định",
}


@dataclass(frozen=True)
class RuleSettings:
    """Values that steer the checks.  Percentages are exact Fractions (10 = 10 %)."""

    rule_set: str = AUTO
    cap_rounding: str = "floor"
    min_rounding: str = "ceil"
    council_members: int | None = None
    vote_pct_high: Fraction = Fraction(90)
    vote_pct_low: Fraction = Fraction(80)
    co_tinh_per_block: int = 1
    bk_block_count: int | None = None
    bk_block_pct: Fraction | None = None
    bk_movement_tt_pct: Fraction = Fraction(10)
    bk_movement_cn_pct: Fraction = Fraction(5)
    htxs_pct: Fraction = Fraction(20)
    htxs_pct_outstanding: Fraction = Fraction(25)
    ttldtt_min_ldtt_pct: Fraction = Fraction(70)
    ttldxs_discipline_clause: bool = False
    legacy_nd91: bool = False
    streak_end: str = STREAK_STRICT
    order: tuple[str, ...] = ORDER_TOKENS
    women_threshold: Fraction = Fraction(70)
    base_salary: int = 2_340_000
    money_rounding: int = 1000  # round reward money UP to a multiple of this (0 = exact)
    bk_cn_multiple: Fraction | None = None
    bk_tt_multiple: Fraction | None = None
    gk_cn_multiple: Fraction | None = None
    gk_tt_multiple: Fraction | None = None
    cells: dict[str, str] = field(default_factory=dict, compare=False)  # attr -> "Cài đặt!B12"

    def get(self, attr: str) -> Any:
        return getattr(self, attr)

    def with_overrides(self, **values: Any) -> "RuleSettings":
        """A copy with ``values`` treated as typed in the workbook, so they override
        the rule set's own values (as a settings-sheet entry would)."""
        return replace(self, **values, cells={**self.cells, **{k: "(API)" for k in values}})

    def is_set(self, attr: str) -> bool:
        """True when the workbook typed a value for ``attr``."""
        return attr in self.cells


SET_CHOICES = {"Tự động theo Ngày xét": AUTO, "NĐ 152/2025 (từ 01/7/2025)": "ND152-2025", "NĐ 98/2023 (01/01/2024 – 30/6/2025)": "ND98-2023"}
ROUND_CHOICES = {"Làm tròn xuống": "floor", "Làm tròn lên": "ceil", "Làm tròn 0,5 lên": "half_up"}
STREAK_CHOICES = {"Năm xét": STREAK_STRICT, "Năm xét hoặc năm trước": STREAK_LENIENT}
YES_NO = {"Có": True, "Không": False}
MONEY_ROUND_CHOICES = {"Lên 1.000 đ": 1000, "Không làm tròn": 0}

# (label, attr, kind, default shown in a new workbook, help, choices)
_RAW: list[tuple] = [
    ("Bộ quy định khen thưởng", "rule_set", "choice", AUTO,
     "Tự động: chọn theo Ngày xét (trước 01/7/2025: NĐ 98/2023; từ 01/7/2025: NĐ 152/2025). Chọn NĐ 98/2023 cho hồ sơ nhận trước 01/7/2025 (NĐ 152/2025 Điều 60 khoản 3).", SET_CHOICES),
    ("Làm tròn số tối đa", "cap_rounding", "choice", "floor",
     "Cách làm tròn tỷ lệ 'không quá' (chưa có quy định chung; mặc định làm tròn xuống).", ROUND_CHOICES),
    ("Làm tròn số tối thiểu", "min_rounding", "choice", "ceil",
     "Cách làm tròn tỷ lệ 'ít nhất' và số phiếu cần có (mặc định làm tròn lên).", ROUND_CHOICES),
    ("Số thành viên Hội đồng", "council_members", "int", None,
     "Tổng số thành viên Hội đồng TĐKT (kể cả vắng mặt). Để trống: chưa kiểm tra số phiếu."),
    ("Tỷ lệ phiếu CSTĐ cấp tỉnh (%)", "vote_pct_high", "percent", 90,
     "Phiếu đồng ý tối thiểu trên tổng số thành viên (NĐ 98/2023 Điều 30 khoản 7: 90%; NĐ 152/2025 chưa xác minh)."),
    ("Tỷ lệ phiếu CSTĐCS, Cờ thi đua (%)", "vote_pct_low", "percent", 80,
     "Phiếu đồng ý tối thiểu trên tổng số thành viên (NĐ 98/2023 Điều 30 khoản 7: 80%; NĐ 152/2025 chưa xác minh)."),
    ("Số Cờ thi đua tối đa mỗi khối", "co_tinh_per_block", "int", 1,
     "Mặc định 1 Cờ thi đua cấp tỉnh cho đơn vị dẫn đầu mỗi khối (thực tiễn)."),
    ("Số Bằng khen tập thể tối đa mỗi khối", "bk_block_count", "int", None,
     "Theo quy chế cụm, khối của tỉnh; để trống nếu không giới hạn."),
    ("Tỷ lệ Bằng khen tập thể mỗi khối (%)", "bk_block_pct", "percent", None,
     "Tỷ lệ trên số đơn vị của khối; để trống nếu không giới hạn."),
    ("Tỷ lệ Bằng khen tập thể theo phong trào (%)", "bk_movement_tt_pct", "percent", 10,
     "Không quá tỷ lệ này trên số tập thể trực tiếp tham gia phong trào (Cần Thơ QĐ 10/2024: 10%)."),
    ("Tỷ lệ Bằng khen cá nhân theo phong trào (%)", "bk_movement_cn_pct", "percent", 5,
     "Không quá tỷ lệ này trên số cá nhân trực tiếp tham gia phong trào (Cần Thơ QĐ 10/2024: 5%)."),
    ("Tỷ lệ HTXS tối đa so với HTT (%)", "htxs_pct", "percent", 20,
     "Số xếp loại HTXS không quá tỷ lệ này của số xếp loại HTT (Quy định 366-QĐ/TW Điều 11)."),
    ("Tỷ lệ HTXS tối đa của đơn vị nổi bật (%)", "htxs_pct_outstanding", "percent", 25,
     "Áp dụng cho đơn vị có thành tích nổi bật (cột ở trang Tập thể)."),
    ("Tỷ lệ LĐTT tối thiểu của TTLĐTT (%)", "ttldtt_min_ldtt_pct", "percent", 70,
     "Luật 2022 Điều 28 theo Bắc Ninh QĐ 86/2025: 70% (chưa đối chiếu văn bản gốc)."),
    ("TTLĐXS: không có cá nhân bị kỷ luật từ cảnh cáo", "ttldxs_discipline_clause", "yesno", "Không",
     "Điều kiện của luật cũ; Luật 2022 đã bỏ. Chọn Có nếu bộ, tỉnh vẫn giữ.", YES_NO),
    ("Áp dụng tỷ lệ NĐ 91/2017", "legacy_nd91", "yesno", "Không",
     "Có: áp dụng thêm CSTĐCS ≤ 15% số LĐTT của đơn vị và Cờ Chính phủ ≤ 20% số tập thể đạt Cờ tỉnh.", YES_NO),
    ("Chuỗi năm liên tục kết thúc ở", "streak_end", "choice", STREAK_STRICT,
     "Các năm liên tục (CSTĐCS, HTXS) phải kết thúc ở năm xét, hoặc cho phép kết thúc ở năm trước.", STREAK_CHOICES),
    ("Thứ tự xét khi vượt tỷ lệ", "order", "list", ORDER_TOKENS,
     "PHIEU_BAU (phiếu cao hơn); XEP_HANG (hạng trong khối); TY_LE_NU (ưu tiên nữ, NĐ 152/2025 Điều 4 khoản 6); CHU_TICH (cột Thứ tự Chủ tịch quyết định)."),
    ("Mức lương cơ sở (đ)", "base_salary", "int", 2_340_000,
     "Tiền thưởng = hệ số × lương cơ sở (NĐ 73/2024: 2.340.000 đ từ 01/7/2024)."),
    ("Làm tròn tiền thưởng", "money_rounding", "choice", 1000,
     "Thực tiễn làm tròn lên 1.000 đ (chưa xác minh).", MONEY_ROUND_CHOICES),
    ("Hệ số tiền thưởng Bằng khen cá nhân", "bk_cn_multiple", "number", None,
     "Chưa có trong bộ quy định; nhập hệ số theo quy định hiện hành để tính tiền."),
    ("Hệ số tiền thưởng Bằng khen tập thể", "bk_tt_multiple", "number", None, "Như trên."),
    ("Hệ số tiền thưởng Giấy khen cá nhân", "gk_cn_multiple", "number", None, "Như trên."),
    ("Hệ số tiền thưởng Giấy khen tập thể", "gk_tt_multiple", "number", None, "Như trên."),
]

_SPECS: list[tuple[str, str, str, Any, str, dict]] = [t if len(t) == 6 else (*t, {}) for t in _RAW]
LABELS = {attr: label for label, attr, *_ in _SPECS}
SPECS = [
    L.SettingSpec(label, attr, "choice" if choices else ("number" if kind == "yesno" else kind), default, help, dict(choices), owner="rules")
    for label, attr, kind, default, help, choices in _SPECS
]
_KIND = {attr: kind for _l, attr, kind, *_ in _SPECS}
_CHOICES = {attr: ch for _l, attr, _k, _d, _h, ch in _SPECS}


def register() -> None:
    """Declare our keys to the workbook layout (idempotent)."""
    L.register_settings(SPECS)


# core keys we read too (for the round date and year)
CORE_YEAR = "Năm"
CORE_DATE = "Ngày xét"
CORE_WOMEN = "Ngưỡng tỷ lệ nữ (%)"


def _cell(i: int, j: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(j + 1)}{i + 1}"


def parse_date(v: Any) -> dt.date | None:
    """A date from a cell value: a date/datetime, or text d/m/Y, Y-m-d, d-m-Y, d.m.Y."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(v.strip(), fmt).date()
            except ValueError:
                pass
    return None


def parse_settings(grid: list[list[Any]] | None, problems: Problems, sheet: str = L.SETTINGS) -> tuple[RuleSettings, dict[str, Any]]:
    """Our settings from the settings sheet's grid, plus the core's year, round date
    and women threshold (returned in the second mapping as ``year``, ``round_date``,
    ``women_threshold`` with their cells under ``cells``)."""
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    core: dict[str, Any] = {"cells": {}}
    by_label = {fold(label): attr for label, attr, *_ in _SPECS}
    seen: dict[str, tuple[Any, str]] = {}
    for i, row in enumerate(grid or []):
        if i == 0 or not row or row[0] in (None, ""):
            continue
        label = fold(row[0])
        raw = row[1] if len(row) > 1 else None
        addr = _cell(i, 1)
        if isinstance(raw, str):
            raw = raw.strip()
        if label == fold(CORE_YEAR):
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
                core["year"] = int(raw)
                core["cells"]["year"] = f"{sheet}!{addr}"
            continue
        if label == fold(CORE_DATE):
            d = parse_date(raw)
            if d is not None:
                core["round_date"] = d
                core["cells"]["round_date"] = f"{sheet}!{addr}"
            elif raw not in (None, ""):
                problems.add("bad_date", sheet, addr, raw, "một ngày, ví dụ 15/12/2025",
                             f"Ô {addr}: không đọc được Ngày xét “{raw}”; ngày xét quyết định bộ quy định khen thưởng áp dụng.")
            continue
        if label == fold(CORE_WOMEN):
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 <= raw <= 100:
                core["women_threshold"] = as_fraction(raw)
            continue
        attr = by_label.get(label)
        if attr is None or raw is None or raw == "":
            continue
        if attr in seen and seen[attr][0] != raw:
            problems.add(
                "contradictory_setting", sheet, addr, raw, f"một giá trị duy nhất (đã có {seen[attr][0]} ở ô {seen[attr][1]})",
                f"“{LABELS[attr]}” được nhập hai lần với giá trị khác nhau (ô {seen[attr][1]} và {addr}). Xóa một dòng.",
            )
            continue
        seen[attr] = (raw, addr)
        v = _value(attr, raw, sheet, addr, problems)
        if v is not None:
            values[attr] = v
            cells[attr] = f"{sheet}!{addr}"
    s = replace(RuleSettings(), **values, cells=cells)
    if "women_threshold" in core:
        s = replace(s, women_threshold=core["women_threshold"])
    _check_consistency(s, problems, sheet)
    return s, core


def _value(attr: str, raw: Any, sheet: str, addr: str, problems: Problems) -> Any:
    kind = _KIND[attr]
    label = LABELS[attr]
    if kind in ("choice", "yesno"):
        choices = _CHOICES[attr]
        by = {fold(k): v for k, v in choices.items()}
        by.update({fold(str(v)): v for v in choices.values() if not isinstance(v, bool)})
        if kind == "choice" and attr == "rule_set":
            by.update({fold("ND152-2025"): "ND152-2025", fold("ND98-2023"): "ND98-2023"})
        if fold(raw) in by:
            return by[fold(raw)]
        problems.add("bad_choice", sheet, addr, raw, " / ".join(choices), f"Ô {addr}: “{raw}” không phải lựa chọn hợp lệ cho “{label}”.")
        return None
    if kind == "list":
        parts = tuple(p.strip().upper() for p in str(raw).replace(",", ";").split(";") if p.strip())
        bad = [p for p in parts if p not in ORDER_TOKENS]
        if bad:
            problems.add("bad_order_token", sheet, addr, "; ".join(bad), " / ".join(ORDER_TOKENS),
                         f"Ô {addr}: “{'; '.join(bad)}” không phải khóa sắp xếp hợp lệ cho “{label}”.")
            return None
        return parts
    # numbers
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        problems.add("not_a_number", sheet, addr, raw, f"một số ({label})", f"Ô {addr}: “{label}” cần là một số.")
        return None
    x = as_fraction(raw)
    if x < 0:
        problems.add("negative", sheet, addr, raw, "số không âm", f"Ô {addr}: “{label}” không được âm.")
        return None
    if kind == "percent":
        if x > 100:
            problems.add("percent_above_100", sheet, addr, raw, "từ 0 đến 100", f"Ô {addr}: tỷ lệ “{label}” là {raw}%, vượt 100%. Nhập số phần trăm, ví dụ 10 cho 10%.")
            return None
        return x
    if kind == "int":
        if x.denominator != 1:
            problems.add("not_integer", sheet, addr, raw, "số nguyên", f"Ô {addr}: “{label}” phải là số nguyên.")
            return None
        return int(x)
    return x


def _check_consistency(s: RuleSettings, problems: Problems, sheet: str) -> None:
    """Overrides that contradict each other."""

    def cell(attr: str) -> str:
        return s.cells.get(attr, "").split("!")[-1]

    if s.vote_pct_high < s.vote_pct_low and (s.is_set("vote_pct_high") or s.is_set("vote_pct_low")):
        problems.add(
            "contradictory_setting", sheet, cell("vote_pct_high") or cell("vote_pct_low"),
            f"{s.vote_pct_high}% < {s.vote_pct_low}%", "tỷ lệ phiếu CSTĐ cấp tỉnh không thấp hơn tỷ lệ phiếu CSTĐCS",
            "Tỷ lệ phiếu cho CSTĐ cấp tỉnh thấp hơn tỷ lệ phiếu cho CSTĐCS: hai thiết lập mâu thuẫn nhau.",
        )
    if s.htxs_pct_outstanding < s.htxs_pct and (s.is_set("htxs_pct") or s.is_set("htxs_pct_outstanding")):
        problems.add(
            "contradictory_setting", sheet, cell("htxs_pct_outstanding") or cell("htxs_pct"),
            f"{s.htxs_pct_outstanding}% < {s.htxs_pct}%", "tỷ lệ HTXS của đơn vị nổi bật không thấp hơn tỷ lệ chung",
            "Tỷ lệ HTXS cho đơn vị nổi bật thấp hơn tỷ lệ chung: hai thiết lập mâu thuẫn nhau.",
        )
    if s.council_members is not None and s.council_members == 0:
        problems.add("bad_council", sheet, cell("council_members"), 0, "ít nhất 1 thành viên", "Số thành viên Hội đồng phải lớn hơn 0.")


def setting_fields() -> list[str]:
    return [f.name for f in fields(RuleSettings) if f.name != "cells"]
