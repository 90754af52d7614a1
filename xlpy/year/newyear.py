"""``xlpy new-year BOOK --out NEXT.xlsx``: the block's next year, in a new workbook.

The new workbook is built fresh by xlpy's workbook builder
(:func:`xlpy.book.template.build_workbook`) from this year's: the same units,
criteria, bands, classes and settings (the year + 1; dates, document numbers and
the year's assessment texts emptied); the roster of people without this year's
grades; the award history with this year's *decisions* appended (proposals decided
“Được khen” in the column Quyết định, and the year's evaluation grades, see
:mod:`xlpy.year.decisions`), so that “3 năm liên tục” keeps working without
importing anything; the leader and deputy rotated by the block's declared rule
(:mod:`xlpy.year.rotation`).  Scores, targets, proposals, movements and
registrations start empty.

BOOK is only read, never written.  Nothing is written at all until the plan (who
leads, how many history rows are carried, what is emptied) has been shown and
accepted: the action with ``yes=False`` returns the plan; the CLI prints it and asks
(``--yes`` skips the question; without a terminal it refuses), the ribbon asks
through the action's ``confirm`` hook (:func:`confirm`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..actions import Result, Table
from ..core.problems import Problems
from ..features import setting
from ..rules import titles as T
from ..rules.model import HistoryRecord
from ..schema import core as S
from ..schema import rules as R
from ..schema import year as Y
from ..schema.base import Column, Row, Setting, TableData, is_blank, norm
from .decisions import Decisions, decisions
from .rotation import Cells, Member, Rotation, rotate, rule_label

# sheets whose content belongs to one year: not read for the plan, empty in the new book
SCORE_SHEETS = (S.SELF, S.BLOCK, S.OFFICE, S.TARGETS)
SCORING_CODES = ("no_scores", "missing_target", "empty_score_sheet", "unscored_items", "stage_fallback", "max_includes_bonus",
                 "registration_deduction_filled")
EMPTIED = (S.SELF, S.BLOCK, S.OFFICE, S.TARGETS, R.PROPOSALS, R.MOVEMENTS, Y.REGISTRATION)
# settings emptied every year (besides every date): document numbers and the year's texts
YEARLY = ("doc_number", "proposal_number", "notice_number", "strengths", "limits", "directions") + Y.YEARLY_SETTINGS
# settings tied to the leading unit: emptied when the leader changes
LEADER_SETTINGS = ("signer_name", "mail_sender_name", "mail_sender_email")
# columns kept for people (the roster); grades, scores and initiatives are this year's
PEOPLE_KEPT = ("code", "name", "unit", "gender", "discipline", "disc_from", "disc_to", "under_review")
UNIT_CLEARED = ("votes",)  # votes cast to break this year's ties


@dataclass
class Plan:
    book: str  # this year's workbook (name)
    target: Path
    year: int
    next_year: int
    rotation: Rotation
    names: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)  # label -> value of the new workbook
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # sheet -> records (by column key)
    counts: dict[str, int] = field(default_factory=dict)
    history_existing: int = 0
    history_new: list[HistoryRecord] = field(default_factory=list)
    history_already: int = 0  # this year's records already in the history sheet
    decided: Decisions | None = None
    cleared: list[tuple[str, str]] = field(default_factory=list)  # (setting label, its value this year)
    dropped: list[str] = field(default_factory=list)  # "sheet: header" of columns not carried

    def who(self, code: str | None) -> str:
        return f"{code} – {self.names.get(code, '')}" if code else "(không có)"

    @property
    def proposals(self) -> str:
        d = self.decided
        if d is None:
            return "0"
        n = len(d.awarded) + len(d.refused) + len(d.undecided)
        return (f"{n} đề nghị: {len(d.awarded)} được khen, {len(d.refused)} không được khen"
                + (f", {len(d.undecided)} chưa ghi quyết định" if d.undecided else ""))

    def table(self) -> Table:
        ro = self.rotation
        y0, y1 = str(self.year), str(self.next_year)
        n_grades = len([h for h in self.history_new if h.kind == "xep_loai"])
        rows = [
            ["Sổ tính", self.book + " (không thay đổi)", self.target.name],
            [setting("year").key, y0, y1],
            ["Khối trưởng", self.who(ro.leader), self.who(ro.next_leader)],
            ["Khối phó", self.who(ro.deputy), self.who(ro.next_deputy)],
            ["Cách chọn", rule_label(ro.rule), ro.how],
            [S.UNITS, str(self.counts.get("units", 0)), "giữ nguyên (vai trò theo luân phiên; Phiếu bầu để trống)"],
            ["Tiêu chí, bậc điểm, xếp loại", f"{self.counts.get('criteria', 0)}, {self.counts.get('bands', 0)}, "
             f"{self.counts.get('classes', 0)} dòng", "giữ nguyên"],
            [S.SETTINGS, "", f"giữ nguyên, Năm {y1}" + ("; để trống: " + "; ".join(f"{k} ({v})" for k, v in self.cleared)
                                                       if self.cleared else "")],
            [R.PEOPLE, f"{self.counts.get('people', 0)} người",
             "giữ mã, họ tên, đơn vị, giới tính, kỷ luật; để trống xếp loại, điểm, sáng kiến"],
            [R.HISTORY, f"{self.history_existing} dòng",
             f"{self.history_existing + len(self.history_new)} dòng: thêm {len(self.history_new) - n_grades} khen thưởng đã quyết định "
             f"và {n_grades} xếp loại năm {y0}" + (f" ({self.history_already} dòng năm {y0} đã có, không chép lại)"
                                                  if self.history_already else "")],
            [R.PROPOSALS, self.proposals, "để trống (chỉ đề nghị Được khen vào lịch sử)"],
            ["Để trống", "", ", ".join(EMPTIED) + f"; số liệu trang {R.COLLECTIVES} (giữ mã đơn vị)"],
        ]
        if self.dropped:
            rows.append(["Không chép", "", "cột không thuộc mẫu: " + "; ".join(self.dropped)])
        return Table(f"Sang năm {y1}: kế hoạch", ["Mục", f"Năm {y0}", f"Năm {y1}"], rows)

    def lines(self) -> list[str]:
        """The plan in a few lines (the ribbon's question)."""
        ro = self.rotation
        n_grades = len([h for h in self.history_new if h.kind == "xep_loai"])
        out = [
            f"Sổ năm {self.next_year}: {self.target}",
            f"Khối trưởng: {self.who(ro.next_leader)}; Khối phó: {self.who(ro.next_deputy)} ({rule_label(ro.rule)}).",
            f"Lịch sử khen thưởng: {self.history_existing} dòng + {len(self.history_new) - n_grades} khen thưởng đã quyết định "
            f"+ {n_grades} xếp loại năm {self.year}.",
            f"Đề nghị năm {self.year}: {self.proposals}.",
            "Để trống: điểm các trang chấm, chỉ tiêu, đề nghị, phong trào, đăng ký thi đua"
            + (", " + ", ".join(k for k, _v in self.cleared) if self.cleared else "") + ".",
            f"Sổ {self.book} không thay đổi.",
        ]
        return out

    def to_dict(self) -> dict[str, Any]:
        ro = self.rotation
        d = self.decided
        return {
            "book": self.book, "target": str(self.target), "year": self.year, "next_year": self.next_year,
            "rule": ro.rule, "how": ro.how, "leader": ro.leader, "deputy": ro.deputy,
            "next_leader": ro.next_leader, "next_deputy": ro.next_deputy,
            "history_existing": self.history_existing, "history_added": len(self.history_new),
            "history_rows": [{"year": h.year, "subject": h.subject, "code": h.code, "title": h.title, "kind": h.kind,
                              "decision": h.decision} for h in self.history_new],
            "awarded": len(d.awarded) if d else 0, "refused": len(d.refused) if d else 0,
            "undecided": list(d.undecided) if d else [],
            "emptied": list(EMPTIED), "cleared": [k for k, _v in self.cleared], "dropped": list(self.dropped),
        }


# ---------------------------------------------------------------------------------------
# the plan


def make_plan(book: Any, target: Path | None = None) -> tuple[Plan | None, Problems]:
    """Read this year's workbook and work out next year's (nothing written).  Errors in
    what is carried refuse the plan; the score sheets are not carried and not checked.
    ``target`` None: beside this year's workbook (:func:`default_target`)."""
    from ..round import load_round

    rnd, problems = load_round(book)
    rnd.rules  # the award sheets, checked (people, proposals, history…)
    # this year's scores are not carried: their problems do not stop the plan
    out = Problems(p for p in problems if p.sheet not in SCORE_SHEETS and p.code not in SCORING_CODES)
    v = rnd.settings
    year = v.get("year") or (v.get("round_date").year if v.get("round_date") else None)
    if year is None and not any(p.code == "missing_year" for p in out):
        k = setting("year").key
        out.add("missing_year", S.SETTINGS, v.cell("year") or "B", None, k, f"Trang {S.SETTINGS} chưa có {k}: không biết năm sau là năm nào.")
    if out.has_errors or year is None or rnd.units_table is None:
        return None, out
    year = int(year)
    members = [Member(r.get("code", ""), r.get("name", ""), r.get("role", ""), r.addr("role") if "role" in r.cols else "")
               for r in rnd.units_table.rows if r.get("code")]
    cells = Cells(v.cell("rotation"), v.cell("rotation_order"), v.cell("next_leader"), v.cell("next_deputy"))
    ro = rotate(v.get("rotation"), members, v.get("rotation_order") or (), (v.get("next_leader"), v.get("next_deputy")), out, cells)
    if ro is None or out.has_errors:
        return None, out
    if target is None:
        target = default_target(Path(getattr(book, "path", None) or rnd.path or rnd.name), year)
    plan = Plan(book=rnd.name, target=Path(target), year=year, next_year=year + 1, rotation=ro,
                names={m.code: m.name for m in members})
    plan.settings, plan.cleared = _settings(rnd, plan)
    _tables(rnd, plan, out)
    plan.decided = decisions(rnd, year, out)
    _history(rnd, plan)
    return plan, out


def _settings(rnd: Any, plan: Plan) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Next year's settings from the round's (read once): what was typed, as its label; the
    year's own values (dates, numbers of documents, this year's texts) and, when the leader
    changes, the leader's own settings cleared; keys xlpy does not know carried as typed."""
    v = rnd.settings
    values: dict[str, Any] = {}
    cleared: list[tuple[str, str]] = []
    leader_changes = plan.rotation.next_leader != plan.rotation.leader
    for spec in v.specs.values():
        if not v.is_set(spec.attr):
            continue
        value = v.get(spec.attr)
        if spec.kind == "date" or spec.attr in YEARLY or (leader_changes and spec.attr in LEADER_SETTINGS):
            cleared.append((spec.key, _shown(spec, value)))
            continue
        values[spec.key] = _label(spec, value)
    values.update((k, _plain(raw)) for k, raw in v.unknown.items())  # reported when read
    values[setting("year").key] = plan.next_year
    return values, cleared


def _tables(rnd: Any, plan: Plan, problems: Problems) -> None:
    """The records of the sheets carried over, each cell as typed (choices as their labels)."""
    t: dict[str, list[dict[str, Any]]] = {}
    units = _records(rnd, S.UNIT_TABLE, plan)
    for rec in units:
        rec["role"] = plan.rotation.role(str(rec.get("code") or ""), rec.get("role") or "") or None
        for k in UNIT_CLEARED:
            rec.pop(k, None)
    t[S.UNITS] = units
    t[S.CRITERIA] = _records(rnd, S.CRITERIA_TABLE, plan)
    t[S.BANDS] = _records(rnd, S.BAND_TABLE, plan) if rnd.sheets.get(S.BANDS) else []
    if rnd.sheets.get(S.CLASSES):
        t[S.CLASSES] = _records(rnd, S.CLASS_TABLE, plan)
    people = _records(rnd, R.PEOPLE_TABLE, plan) if rnd.sheets.get(R.PEOPLE) else []
    t[R.PEOPLE] = [{k: rec.get(k) for k in PEOPLE_KEPT} for rec in people]
    t[R.COLLECTIVES] = [{"code": rec.get("code")} for rec in units if rec.get("code")]
    plan.tables = t
    plan.counts = {"units": len(units), "criteria": len(t[S.CRITERIA]), "bands": len(t[S.BANDS]),
                   "classes": len(t.get(S.CLASSES, [])), "people": len(people)}
    for spec in (S.UNIT_TABLE, S.CRITERIA_TABLE, S.BAND_TABLE, S.CLASS_TABLE, R.PEOPLE_TABLE, R.HISTORY_TABLE):
        for header in _extra_headers(rnd, spec):
            plan.dropped.append(f"{spec.sheet}: {header}")
    if plan.dropped:
        problems.warn("dropped_column", plan.dropped[0].split(":")[0], "", "; ".join(plan.dropped), "các cột của mẫu xlpy",
                      "Sổ năm mới dựng theo mẫu của xlpy nên không chép các cột thêm ngoài mẫu: " + "; ".join(plan.dropped)
                      + ". Chép tay sang sổ mới nếu cần.")


def _history(rnd: Any, plan: Plan) -> None:
    from ..rules.actions import _key
    from ..rules import inputs

    data = _read(rnd, R.HISTORY_TABLE)
    rows = [_record(r, R.HISTORY_TABLE) for r in (data.rows if data else [])]
    existing = inputs.history(data, set(), Problems())
    have = {_key(h) for h in existing}
    new, already = [], 0
    for h in plan.decided.records if plan.decided else []:
        if _key(h) in have:
            already += 1
            continue
        have.add(_key(h))
        new.append(h)
    new.sort(key=lambda h: (h.subject != T.TT, h.kind == "xep_loai", h.code, h.title))
    plan.history_existing = len(rows)
    plan.history_new = new
    plan.history_already = already
    from ..rules.actions import history_row

    keys = [c.key for c in R.HISTORY_TABLE.columns]
    plan.tables[R.HISTORY] = rows + [dict(zip(keys, history_row(h))) for h in new]


def _read(rnd: Any, spec) -> TableData | None:
    return rnd.table(spec) if rnd.sheets.get(spec.sheet) is not None else None  # as the round read it


def _records(rnd: Any, spec, plan: Plan) -> list[dict[str, Any]]:
    data = _read(rnd, spec)
    return [_record(r, spec) for r in (data.rows if data else [])]


def _record(r: Row, spec) -> dict[str, Any]:
    return {c.key: _label(c, r.values.get(c.key)) for c in spec.columns if c.key in r.cols}


def _extra_headers(rnd: Any, spec) -> list[str]:
    grid = rnd.grid(spec.sheet) if rnd.sheets.get(spec.sheet) else None
    if not grid:
        return []
    known = {norm(c.header) for c in spec.columns}
    return [str(h).strip() for h in grid[0] if not is_blank(h) and norm(h) not in known]


def _label(spec: Column | Setting, value: Any) -> Any:
    """A typed value as an officer would type it: a choice's label, a list joined by “; ”."""
    if value is None:
        return None
    if spec.choices:
        for label, v in spec.choices.items():
            if v is value or (not isinstance(v, bool) and not isinstance(value, bool) and v == value):
                return label
        return value  # an alias (machine id): accepted as typed
    if spec.kind == "yesno":
        return "Có" if value else "Không"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(x) for x in value)
    return _plain(value)


def _plain(value: Any) -> Any:
    from fractions import Fraction

    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _shown(spec: Setting, value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    text = str(_label(spec, value))
    return text if len(text) <= 40 else text[:37] + "…"


# ---------------------------------------------------------------------------------------
# writing


def build(plan: Plan) -> Path:
    """Write next year's workbook (fresh, by xlpy's builder)."""
    from ..book.template import build_workbook

    return build_workbook(plan.target, settings=plan.settings, tables=plan.tables, blank_rows=15)


def verify(path: Path) -> Problems:
    """Read the new workbook back: anything but the expected empty score sheets is a defect."""
    from ..round import load_round

    rnd, problems = load_round(path)
    rnd.rules
    rnd.registrations
    bad = Problems()
    for p in problems:
        if p.code in ("no_scores", "empty_score_sheet"):
            continue
        if p.is_error:
            bad.add("new_book_problem", p.sheet, p.cell, p.found, p.expected, f"{p.code}: {p.message}")
    return bad


def default_target(src: Path, year: int | None) -> Path:
    """Next year's workbook beside this year's: the year in the name moved on, else appended.

    >>> default_target(Path("khoi-2025.xlsx"), 2025).name, default_target(Path("khoi.xlsx"), 2025).name
    ('khoi-2026.xlsx', 'khoi-2026.xlsx')
    """
    stem = src.stem
    if year is not None and str(year) in stem:
        stem = stem.replace(str(year), str(year + 1))
    else:
        stem = f"{stem}-{year + 1}" if year is not None else f"{stem}-nam-sau"
    return src.with_name(stem + ".xlsx")


def new_year_action(book: Any, out: Path | None = None, yes: bool = False) -> Result:
    """Plan next year's workbook; with ``yes``, write it (see the module docstring)."""
    from ..book.actions import failure

    src = getattr(book, "path", None)
    if out is None and src is None:
        return Result(False, "Chưa chọn nơi lưu sổ năm mới: chạy lại và chọn tệp (hoặc ghi --out trên dòng lệnh).")
    target = None if out is None else Path(out)
    if target is not None:
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        refused = _refuse(target, src)  # before reading anything
        if refused:
            return refused
    plan, problems = make_plan(book, target)
    if plan is None:
        return failure(book, problems, "tạo sổ năm mới")
    target = plan.target
    refused = _refuse(target, src)
    if refused:
        return refused
    data = plan.to_dict()
    data["summary"] = plan.lines()
    if not yes:
        data["written"] = False
        ro = plan.rotation
        msg = (f"Kế hoạch sang năm {plan.next_year}: Khối trưởng {plan.who(ro.next_leader)}, Khối phó {plan.who(ro.next_deputy)}; "
               f"lịch sử khen thưởng thêm {len(plan.history_new)} dòng. Chưa ghi gì: xác nhận (hoặc chạy lại với --yes) "
               f"để tạo {target}.")
        return Result(True, msg, data=data, problems=problems, table=plan.table())
    path = build(plan)
    bad = verify(path)
    if bad.has_errors:
        path.unlink(missing_ok=True)
        bad.extend(problems)
        return Result(False, f"Sổ năm {plan.next_year} tạo ra có lỗi khi đọc lại nên đã bị xóa (lỗi của xlpy, báo người quản trị).",
                      data=data, problems=bad)
    data["written"] = True
    ro = plan.rotation
    msg = (f"Đã tạo sổ năm {plan.next_year}: {path}. Khối trưởng {plan.who(ro.next_leader)}, Khối phó "
           f"{plan.who(ro.next_deputy)}; lịch sử khen thưởng {plan.history_existing + len(plan.history_new)} dòng "
           f"(thêm {len(plan.history_new)}). Sổ {plan.book} không thay đổi.")
    return Result(True, msg, data=data, problems=problems, files=[path], table=plan.table())


def _refuse(target: Path, src: Any) -> Result | None:
    """Never the workbook itself, never over an existing file."""
    if src is not None and os.path.realpath(target) == os.path.realpath(src):
        return Result(False, f"Sổ năm mới không được trùng sổ đang dùng ({target.name}); chọn tên khác, ví dụ "
                      f"{Path(src).stem}-moi.xlsx.")
    if target.exists():
        return Result(False, f"Tệp {target} đã có; xlpy không ghi đè. Chọn tên khác hoặc xóa tệp đó trước.")
    return None


def confirm(result: Result) -> tuple[str, dict] | None:
    """After the plan, ask before writing (ribbon: a Yes/No box; CLI: a question on the terminal)."""
    data = result.data or {}
    if not result.ok or data.get("written") is not False:
        return None
    return ("\n".join([f"Tạo sổ năm {data['next_year']}?", ""] + list(data.get("summary") or [])),
            {"yes": True, "out": data["target"]})  # the ribbon's save dialog starts from the plan's file


__all__ = ["Plan", "build", "confirm", "make_plan", "new_year_action", "verify"]
