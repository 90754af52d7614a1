"""Settings of the award-rule checks, as the checks use them.

The keys, their defaults and help texts are declared once in
:mod:`xlpy.schema.rules` and read once with every other key by
:func:`xlpy.schema.base.read_settings`; :func:`from_values` turns those values
into a :class:`RuleSettings` (percentages as exact Fractions) and reports the
combinations that contradict each other.  Every number the reference marks
UNVERIFIED, or that varies by province, is such a setting with a documented
default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any

from ..core.problems import Problems
from ..schema import rules as R
from ..schema.base import SettingValues
from .quotas import as_fraction

AUTO = R.AUTO
STREAK_STRICT = R.STREAK_STRICT
STREAK_LENIENT = R.STREAK_LENIENT
ORDER_TOKENS = R.ORDER_TOKENS
ORDER_LABELS = {
    "PHIEU_BAU": "số phiếu đồng ý cao hơn",
    "XEP_HANG": "hạng thi đua trong khối cao hơn",
    "TY_LE_NU": "ưu tiên nữ / tập thể có tỷ lệ nữ từ ngưỡng",
    "CHU_TICH": "thứ tự do Chủ tịch Hội đồng quyết định",
}
LABELS = {s.attr: s.key for s in R.SETTINGS_SPECS}


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


_FRACTIONS = {f.name for f in fields(RuleSettings) if "Fraction" in str(f.type)}
_INTS = {"council_members", "co_tinh_per_block", "bk_block_count", "base_salary"}


def from_values(v: SettingValues, problems: Problems) -> RuleSettings:
    """The rule settings from the settings sheet's values (those typed override the defaults)."""
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for spec in R.SETTINGS_SPECS:
        if not v.is_set(spec.attr):
            continue
        x = v.get(spec.attr)
        if spec.attr in _FRACTIONS:
            x = as_fraction(x)
        elif spec.attr in _INTS:
            x = int(x)
        elif spec.attr == "order":
            tokens = tuple(t.strip().upper() for t in x)
            bad = [t for t in tokens if t not in ORDER_TOKENS]
            if bad:
                problems.add("bad_order_token", v.sheet, v.cell("order"), "; ".join(bad), " / ".join(ORDER_TOKENS),
                             f"Ô {v.cell('order')}: “{'; '.join(bad)}” không phải khóa sắp xếp hợp lệ cho “{spec.key}”.")
                continue
            x = tokens
        values[spec.attr] = x
        cells[spec.attr] = v.where(spec.attr)
    if v.is_set("women_threshold"):  # the core's key: one threshold for ranking ties and award order
        values["women_threshold"] = as_fraction(v.get("women_threshold"))
    s = replace(RuleSettings(), **values, cells=cells)
    _check_consistency(s, problems, v.sheet)
    return s


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


def setting_fields() -> list[str]:
    return [f.name for f in fields(RuleSettings) if f.name != "cells"]
