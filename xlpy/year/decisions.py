"""What a year leaves to the award history: decisions, not proposals.

The proposals sheet has a column “Quyết định” where the officer records what the
competent authority finally decided on each proposal (Được khen / Không được
khen), beside the decision's number and date.  Only proposals decided “Được
khen” become history records, with the year's evaluation grades (xếp loại) of
people and collectives; a proposal left without a decision is named in one
warning and not carried.  A workbook made before the column existed (no header
“Quyết định”) falls back to the decision number, with a warning saying so.

Both doors that carry a year into the history use this: ``xlpy new-year``
(:mod:`xlpy.year.newyear`) and ``xlpy history import`` (:mod:`xlpy.rules.actions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.problems import Problems
from ..rules import titles as T
from ..rules.model import HistoryRecord
from ..schema import rules as R


@dataclass
class Decisions:
    year: int
    awarded: list[HistoryRecord] = field(default_factory=list)  # proposals decided “Được khen”
    grades: list[HistoryRecord] = field(default_factory=list)  # the year's evaluation grades
    refused: list[str] = field(default_factory=list)  # cells of proposals decided “Không được khen”
    undecided: list[str] = field(default_factory=list)  # cells of proposals without a decision
    fallback: bool = False  # no “Quyết định” column: the decision number was taken as the decision

    @property
    def records(self) -> list[HistoryRecord]:
        return self.awarded + self.grades


def decisions(rnd: Any, year: int, problems: Problems, *, where: str = "") -> Decisions:
    """The decided awards and the grades of one round's workbook (``where`` prefixes the
    sheet names of the problems, e.g. the file name of an earlier year's workbook)."""
    from ..rules import inputs

    out = Decisions(year)
    sheet = f"{where}{R.PROPOSALS}"
    people = inputs.people(_table(rnd, R.PEOPLE_TABLE), set(), Problems()) if rnd.sheets.get(R.PEOPLE) else {}
    units = {u.code: u.name for u in rnd.units_list}
    for p in people.values():
        if p.grade:
            out.grades.append(HistoryRecord(year, T.CN, p.code, p.grade, "xep_loai", p.unit, p.name, row=p.row))
    if rnd.sheets.get(R.COLLECTIVES):
        for c in inputs.collectives(_table(rnd, R.COLLECTIVE_TABLE), {}, Problems()).values():
            if c.grade:
                out.grades.append(HistoryRecord(year, T.TT, c.code, c.grade, "xep_loai", name=units.get(c.code, ""), row=c.row))
    data = _table(rnd, R.PROPOSAL_TABLE) if rnd.sheets.get(R.PROPOSALS) else None
    if data is None:
        return out
    out.fallback = "outcome" not in data.cols
    if out.fallback and data.rows:
        problems.warn("no_outcome_column", sheet, "", "(không có cột)", "cột “Quyết định” (Được khen / Không được khen)",
                      f"Trang “{R.PROPOSALS}” chưa có cột “Quyết định”: xlpy coi đề nghị có Số quyết định là được khen. "
                      "Thêm cột “Quyết định” (tạo sổ mới bằng xlpy) để ghi rõ đề nghị nào được khen.")
    with_number: list[str] = []
    for r in data.rows:
        decision = r.get("decision", "")
        outcome = (bool(decision) or None) if out.fallback else r.values.get("outcome")
        if outcome is None:
            if out.fallback or "outcome" in r.bad:
                continue  # no decision number in an old workbook; or a bad cell, reported where the sheet is checked
            cell = r.addr("outcome") if "outcome" in r.cols else r.addr("code")
            out.undecided.append(cell)
            if decision:
                with_number.append(cell)
            continue
        if outcome is False:
            out.refused.append(r.addr("outcome") if "outcome" in r.cols else r.addr("code"))
            continue
        subject, code = r.values.get("subject"), r.get("code", "")
        title, kind = T.parse_title(r.values.get("title")), T.parse_kind(r.values.get("kind") or "Công trạng")
        if subject is None or title is None or kind is None or not code:
            problems.add("unknown_title", sheet, r.addr("title"), r.values.get("title"), "đề nghị hợp lệ",
                         f"Dòng {r.number} của sổ năm {year} được ghi Được khen nhưng không đọc được đối tượng, mã hoặc danh hiệu.")
            continue
        unit = people[code].unit if subject == T.CN and code in people else ""
        name = people[code].name if subject == T.CN and code in people else units.get(code, "")
        out.awarded.append(HistoryRecord(year, subject, code, title, kind, unit, name, decision, r.get("decision_date"),
                                         r.get("achievement", ""), r.number))
    if out.undecided:
        shown = ", ".join(out.undecided[:12]) + (f" và {len(out.undecided) - 12} ô khác" if len(out.undecided) > 12 else "")
        extra = f" ({len(with_number)} dòng đã có số quyết định: {', '.join(with_number[:6])})" if with_number else ""
        problems.warn("undecided_proposal", sheet, out.undecided[0], f"{len(out.undecided)} đề nghị", "Được khen / Không được khen",
                      f"{len(out.undecided)} đề nghị năm {year} chưa ghi Quyết định{extra}: chưa chuyển sang lịch sử khen thưởng. "
                      f"Ghi Được khen hoặc Không được khen ở các ô {shown}.")
    return out


def _table(rnd: Any, spec):
    """A table as the round read it (once; its problems recorded once)."""
    return rnd.table(spec)


__all__ = ["Decisions", "decisions"]
