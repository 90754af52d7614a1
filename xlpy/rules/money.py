"""Reward money: multiples of the base salary (lương cơ sở), totals per title,
amounts in Vietnamese words.

>>> reward_amount(0.3, 2_340_000), reward_amount(8, 2_340_000), reward_amount(0.3, 1_490_000)
(702000, 18720000, 447000)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Iterable, Mapping

from .quotas import as_fraction, round_fraction
from .titles import CN, TT, title_name


@lru_cache(maxsize=512, typed=True)  # the same few multiples and salary in every block
def reward_amount(multiple: Any, base_salary: int, round_to: int = 1000) -> int:
    """``multiple × base_salary`` in đồng, rounded UP to a multiple of ``round_to``
    (0 = exact, rounded to whole đồng)."""
    exact = as_fraction(multiple) * int(base_salary)
    if round_to and round_to > 0:
        return round_fraction(exact / round_to, "ceil") * round_to
    return round_fraction(exact, "half_up")


# The awards whose multiple the rule sets do not list: the settings sheet gives it (attribute names).
MULTIPLE_SETTINGS = {
    ("BK_TINH", CN): "bk_cn_multiple",
    ("BK_TINH", TT): "bk_tt_multiple",
    ("GIAY_KHEN", CN): "gk_cn_multiple",
    ("GIAY_KHEN", TT): "gk_tt_multiple",
}


def multiple_for(title: str, subject: str, multiples: Mapping[str, Any], settings: Any = None) -> Fraction | None:
    """The multiple of base salary for a title: the rule set's table, or — for
    Bằng khen and Giấy khen, which it does not list — the settings sheet."""
    if settings is not None:
        extra = MULTIPLE_SETTINGS.get((title, subject))
        if extra is not None:
            v = getattr(settings, extra)
            return None if v is None else as_fraction(v)
    v = multiples.get(title)
    return None if v is None else as_fraction(v)


def in_words(amount: int) -> str:
    """Vietnamese words for an amount in đồng (from :mod:`xlpy.vn`)."""
    try:
        from ..vn import amount_in_words
    except ImportError:  # pragma: no cover - xlpy.vn ships with xlpy
        return ""
    return amount_in_words(int(amount))


@dataclass(frozen=True)
class MoneyLine:
    title: str
    subject: str
    count: int
    multiple: Fraction | None
    unit_amount: int | None
    total: int | None

    @property
    def title_name(self) -> str:
        return title_name(self.title)

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "title_name": self.title_name,
            "subject": self.subject,
            "count": self.count,
            "multiple": None if self.multiple is None else float(self.multiple),
            "unit_amount": self.unit_amount,
            "total": self.total,
            "total_words": in_words(self.total) if self.total is not None else "",
        }


def money_table(
    awarded: Iterable[tuple[str, str]], multiples: Mapping[str, Any], base_salary: int, round_to: int = 1000, settings: Any = None
) -> tuple[list[MoneyLine], int]:
    """Lines per (title, subject) for the awards given, and the grand total of the
    lines that have a known multiple."""
    counts: dict[tuple[str, str], int] = {}
    for title, subject in awarded:
        counts[(title, subject)] = counts.get((title, subject), 0) + 1
    lines = []
    total = 0
    for (title, subject), n in counts.items():
        m = multiple_for(title, subject, multiples, settings)
        unit = None if m is None else reward_amount(m, base_salary, round_to)
        line_total = None if unit is None else unit * n
        if line_total is not None:
            total += line_total
        lines.append(MoneyLine(title, subject, n, m, unit, line_total))
    return lines, total
