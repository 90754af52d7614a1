"""Award history across years: which years a title (or a grade) was held, and runs
of consecutive years ("3 lần liên tục").

Pure functions over :class:`~xlpy.rules.model.HistoryRecord` tuples.  Importing
history from earlier years' workbooks is in :mod:`xlpy.rules.sheets`.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from .model import HistoryRecord
from .settings import STREAK_LENIENT
from .titles import GRADES


def held_years(
    history: Iterable[HistoryRecord],
    subject: str,
    code: str,
    title: str,
    *,
    count_from: dt.date | None = None,
    excluded_kinds: Iterable[str] = ("dot_xuat", "chuyen_de"),
) -> set[int]:
    """Years in which ``code`` held ``title`` (a title code, or a grade code such as
    ``HTXS`` looked up in evaluation records).

    Awards of an excluded kind (đột xuất, chuyên đề: R-18) do not count, and a
    year counts only when it starts on or after ``count_from`` — the first day
    after a discipline period ended (R-16).
    """
    excluded = set(excluded_kinds)
    is_grade = title in GRADES
    out = set()
    for r in history:
        if r.subject != subject or r.code != code or r.title != title:
            continue
        if is_grade != (r.kind == "xep_loai"):
            continue
        if not is_grade and r.kind in excluded:
            continue
        if count_from is not None and dt.date(r.year, 1, 1) < count_from:
            continue
        out.add(r.year)
    return out


def excluded_records(history: Iterable[HistoryRecord], subject: str, code: str, title: str, excluded_kinds: Iterable[str]) -> list[HistoryRecord]:
    """Records of ``title`` left out as đột xuất / chuyên đề awards (to explain R-18)."""
    ex = set(excluded_kinds)
    return [r for r in history if r.subject == subject and r.code == code and r.title == title and r.kind in ex]


class HistoryIndex:
    """Award history grouped by recipient, built once per check, so that looking up
    one candidate's records costs the size of that candidate's history, not the
    whole table's (a check is then linear in people + proposals + history rows)."""

    def __init__(self, history: Iterable[HistoryRecord]):
        self._by_who: dict[tuple[str, str], list[HistoryRecord]] = {}
        self._by_achievement: dict[tuple[str, str, str], list[HistoryRecord]] = {}
        for r in history:
            self._by_who.setdefault((r.subject, r.code), []).append(r)
            if r.achievement:
                self._by_achievement.setdefault((r.subject, r.code, r.achievement), []).append(r)

    def records(self, subject: str, code: str) -> list[HistoryRecord]:
        """Every record of one recipient, in the order given."""
        return self._by_who.get((subject, code), [])

    def of_title(self, subject: str, code: str, title: str) -> list[HistoryRecord]:
        return [r for r in self.records(subject, code) if r.title == title]

    def held_years(self, subject: str, code: str, title: str, **kw) -> set[int]:
        """:func:`held_years` over this recipient's records only."""
        return held_years(self.records(subject, code), subject, code, title, **kw)

    def excluded_records(self, subject: str, code: str, title: str, excluded_kinds: Iterable[str]) -> list[HistoryRecord]:
        return excluded_records(self.records(subject, code), subject, code, title, excluded_kinds)

    def with_achievement(self, subject: str, code: str, achievement: str) -> list[HistoryRecord]:
        """Earlier awards for the same achievement id (R-15)."""
        return self._by_achievement.get((subject, code, achievement), [])


def streak(years: set[int], end: int) -> int:
    """Consecutive years held, counting back from ``end`` (0 if ``end`` is not held).

    >>> streak({2022, 2023, 2024}, 2024), streak({2022, 2024}, 2024), streak({2022, 2023}, 2024)
    (3, 1, 0)
    """
    n = 0
    y = end
    while y in years:
        n += 1
        y -= 1
    return n


def best_streak(years: set[int], year: int, mode: str) -> tuple[int, int]:
    """(length, end year) of the run used for ``year``: ending in ``year``, or — when
    ``mode`` allows it — in the year before, whichever is longer."""
    n = streak(years, year)
    if mode == STREAK_LENIENT:
        m = streak(years, year - 1)
        if m > n:
            return m, year - 1
    return n, year


def missing_years(years: set[int], end: int, length: int) -> list[int]:
    """Years of the window ``end-length+1 .. end`` that are not held."""
    return [y for y in range(end - length + 1, end + 1) if y not in years]


def years_text(years: Iterable[int]) -> str:
    ys = sorted(set(years))
    if not ys:
        return "không có"
    runs: list[str] = []
    start = prev = ys[0]
    for y in ys[1:] + [None]:  # type: ignore[list-item]
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(runs)
