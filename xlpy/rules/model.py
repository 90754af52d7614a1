"""Plain data for the award checks: people, collectives, proposals, history, verdicts.

Nothing here knows about workbooks; :mod:`xlpy.rules.sheets` builds these from
sheets, tests build them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .titles import CN, SUBJECT_LABELS, TT, title_name

DAT = "đạt"
KHONG_DAT = "không đạt"
VUOT = "vượt tỷ lệ"
# equals at a cut that the declared order cannot separate (or a prerequisite that is
# itself awaiting that decision): the Council Chair decides or the council votes
CHO_QUYET_DINH = "chờ quyết định"
STATUSES = (DAT, KHONG_DAT, VUOT, CHO_QUYET_DINH)


class Discipline(NamedTuple):
    form: int  # index into titles.DISCIPLINE
    start: dt.date | None = None
    end: dt.date | None = None  # last day of the discipline period


class Person(NamedTuple):
    code: str
    name: str = ""
    unit: str = ""
    female: bool | None = None
    grade: str | None = None  # HTXS / HTT / HT / KHT for the round's year
    score: float | None = None  # evaluation score, orders the HTXS cap
    initiative_level: int = 0  # 0 none, 1 cơ sở, 2 tỉnh, 3 toàn quốc
    initiatives: int = 0  # initiatives recognised in the period considered
    discipline: Discipline | None = None
    under_review: bool = False  # under investigation, inspection, complaint being verified
    row: int | None = None  # 1-based row in the Cá nhân sheet


class Collective(NamedTuple):
    code: str
    name: str = ""
    grade: str | None = None
    members: int | None = None
    completed: int | None = None  # members rated "hoàn thành nhiệm vụ" or better
    ldtt: int | None = None
    cstdcs: int | None = None
    disciplined: int | None = None  # members disciplined at "cảnh cáo" or heavier in the year
    htxs: int | None = None  # members rated HTXS
    htt: int | None = None  # members rated HTT
    outstanding_unit: bool = False  # may use the 25 % HTXS cap
    under_review: bool = False
    rank: int | None = None  # place in the block's emulation ranking
    rank_tied: bool = False  # the rank-1 tie was not broken
    women_share: float | None = None  # 0..1
    row: int | None = None


class Proposal(NamedTuple):
    subject: str  # CN / TT
    code: str
    title: str  # title code
    kind: str = "cong_trang"  # cong_trang / chuyen_de / dot_xuat
    movement: str = ""
    achievement: str = ""  # achievement id
    outstanding: bool = False  # officer confirms an outstanding/special achievement
    votes: int | None = None
    chair_order: int | None = None
    row: int | None = None  # 1-based row in the proposals sheet

    @property
    def key(self) -> tuple:
        return (self.subject, self.code, self.title, self.row)


class HistoryRecord(NamedTuple):
    year: int
    subject: str
    code: str
    title: str  # a title code, or a grade code (HTXS…) when kind == "xep_loai"
    kind: str = "cong_trang"
    unit: str = ""
    name: str = ""
    decision: str = ""
    decision_date: dt.date | None = None
    achievement: str = ""
    row: int | None = None


class Movement(NamedTuple):
    name: str
    collectives: int | None = None
    individuals: int | None = None
    row: int | None = None


@dataclass(frozen=True)
class RulesInput:
    year: int
    round_date: dt.date
    block_name: str = ""
    units: tuple[str, ...] = ()  # unit codes of the block
    people: dict[str, Person] = field(default_factory=dict)
    collectives: dict[str, Collective] = field(default_factory=dict)
    proposals: tuple[Proposal, ...] = ()
    history: tuple[HistoryRecord, ...] = ()
    movements: dict[str, Movement] = field(default_factory=dict)

    def name_of(self, subject: str, code: str) -> str:
        if subject == CN:
            p = self.people.get(code)
            return p.name if p else ""
        c = self.collectives.get(code)
        return c.name if c else ""

    def unit_of(self, subject: str, code: str) -> str:
        if subject == CN:
            p = self.people.get(code)
            return p.unit if p else ""
        return code


class Verdict(NamedTuple):
    """One row of the compliance sheet."""

    section: str  # "Đề nghị" (a candidate's rule), "Tỷ lệ" (a quota), "Kết luận" (a candidate's summary)
    rule_id: str
    verdict: str  # đạt / không đạt / vượt tỷ lệ / chờ quyết định
    numbers: str  # the numbers behind the verdict, Vietnamese
    citation: str
    fix: str = ""
    subject: str = ""
    code: str = ""
    name: str = ""
    unit: str = ""
    title: str = ""  # title code
    scope: str = ""  # quota scope ("Khối", "Đơn vị SNV", "Phong trào X")
    row: int | None = None  # proposal row
    reasons: tuple[str, ...] = ()  # one plain sentence per unmet condition, for signed documents

    @property
    def title_name(self) -> str:
        return title_name(self.title) if self.title else ""

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["reasons"] = list(self.reasons)
        d["title_name"] = self.title_name
        d["subject_name"] = SUBJECT_LABELS.get(self.subject, "")
        return d


__all__ = [
    "CN",
    "TT",
    "DAT",
    "KHONG_DAT",
    "VUOT",
    "CHO_QUYET_DINH",
    "STATUSES",
    "Collective",
    "Discipline",
    "HistoryRecord",
    "Movement",
    "Person",
    "Proposal",
    "RulesInput",
    "Verdict",
]
