"""Registration at the start of the year (đăng ký thi đua, ký kết giao ước thi đua).

The sheet “Đăng ký thi đua” (:data:`xlpy.schema.year.REGISTRATION_TABLE`) holds one
row per unit (and, where the block uses it, per person): the titles and forms of
award registered, the date, and whether the unit signed the block's pledge.  Three
features read it, each through the round (:attr:`xlpy.round.Round.registrations`,
read once):

* the award check warns about a proposal for a title that is not registered
  (:func:`check_proposals`; which titles is a setting, see :mod:`xlpy.schema.year`);
* the round fills a declared deduction criterion (“không đăng ký thi đua”) from the
  sheet where its score cell is blank in every review (:func:`fill_deduction`),
  with a warning naming the cells;
* the block report's first section lists who registered and who signed
  (:func:`report_context`).

A higher title of a ladder covers the lower ones (registering Chiến sĩ thi đua cơ sở
covers Lao động tiên tiến; Tập thể lao động xuất sắc covers Tập thể lao động tiên
tiến; Cờ thi đua của Chính phủ covers Cờ thi đua cấp tỉnh): a block registers the
highest title it aims for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from ..core.problems import Problems
from ..rules import titles as T
from ..schema import rules as RS
from ..schema import year as Y
from ..schema.base import header_map, norm

LADDERS = (("LDTT", "CSTDCS", "CSTD_TINH"), ("TTLDTT", "TTLDXS"), ("CO_TINH", "CO_CP"))


def covered(titles: Iterable[str]) -> set[str]:
    """The titles a registration covers: each registered title and those below it on its ladder.

    >>> sorted(covered(["CSTDCS"]))
    ['CSTDCS', 'LDTT']
    """
    out = set(titles)
    for ladder in LADDERS:
        for i, t in enumerate(ladder):
            if t in out:
                out.update(ladder[:i])
    return out


@dataclass(frozen=True)
class Entry:
    subject: str  # TT / CN
    code: str
    name: str = ""
    titles: tuple[str, ...] = ()  # title codes, as registered
    registered_on: dt.date | None = None
    signed: bool | None = None
    signed_on: dt.date | None = None
    row: int = 0  # 1-based row in the sheet

    @property
    def registered(self) -> bool:
        """A registration: at least one title, or the date the registration was sent."""
        return bool(self.titles) or self.registered_on is not None


@dataclass
class Registrations:
    present: bool = False  # the workbook has the sheet
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    sheet: str = Y.REGISTRATION

    def get(self, subject: str, code: str) -> Entry | None:
        return self.entries.get((subject, code))

    def registered(self, subject: str, code: str) -> bool:
        e = self.get(subject, code)
        return e is not None and e.registered

    def signed(self, subject: str, code: str) -> bool:
        e = self.get(subject, code)
        return e is not None and bool(e.signed)

    def covers(self, subject: str, code: str, title: str) -> bool:
        e = self.get(subject, code)
        return e is not None and title in covered(e.titles)


def read(rnd: Any, problems: Problems) -> Registrations:
    """The registration sheet of a round, checked: codes known, titles known and fit for
    the subject, one row per unit or person.  Every problem names its cell."""
    actual = rnd.sheets.get(Y.REGISTRATION)
    if actual is None:
        return Registrations(False)
    data = rnd.table(Y.REGISTRATION_TABLE)
    out = Registrations(True, sheet=actual)
    if data is None:
        return out
    units = {u.code for u in rnd.units_list}
    people = _person_codes(rnd)
    seen: dict[tuple[str, str], str] = {}
    sheet = Y.REGISTRATION
    for r in data.rows:
        subject, code = r.values.get("subject"), r.get("code", "")
        if not code:
            if "code" not in r.bad:
                problems.add("missing_code", sheet, r.addr("code"), None, "mã đơn vị hoặc mã cá nhân", f"Dòng {r.number} chưa có mã.")
            continue
        if subject is None:
            if "subject" not in r.bad:
                problems.add("missing_value", sheet, r.addr("subject"), None, "Tập thể hoặc Cá nhân",
                             f"Ô {r.addr('subject')}: chưa ghi đối tượng (Tập thể hoặc Cá nhân).")
            continue
        if subject == T.TT and units and code not in units:
            problems.add("unknown_unit", sheet, r.addr("code"), code, "mã đơn vị ở trang Đơn vị",
                         f"Ô {r.addr('code')}: đơn vị “{code}” không có ở trang Đơn vị.")
            continue
        if subject == T.CN and code not in people:
            problems.add("unknown_person", sheet, r.addr("code"), code, "mã ở trang Cá nhân",
                         f"Ô {r.addr('code')}: cá nhân “{code}” chưa có ở trang Cá nhân.")
            continue
        if (subject, code) in seen:
            problems.add("duplicate_code", sheet, r.addr("code"), code, f"mỗi {T.SUBJECT_LABELS[subject].lower()} một dòng",
                         f"“{code}” đăng ký hai dòng (dòng đầu ở ô {seen[(subject, code)]}). Gộp các danh hiệu vào một dòng, "
                         "cách nhau bằng dấu ;.")
            continue
        seen[(subject, code)] = r.addr("code")
        titles: list[str] = []
        for item in r.values.get("titles") or ():
            t = T.parse_title(item)
            if t is None:
                problems.add("unknown_title", sheet, r.addr("titles"), item, "; ".join(RS.TITLE_NAMES),
                             f"Ô {r.addr('titles')}: “{item}” không phải danh hiệu, hình thức xlpy biết. "
                             f"Ghi tên đầy đủ, cách nhau bằng dấu ; (ví dụ: {RS.TITLE_NAMES[0]}; {RS.TITLE_NAMES[1]}).")
            elif subject not in T.TITLES[t].subjects:
                problems.add("title_subject", sheet, r.addr("titles"), T.TITLES[t].name,
                             f"danh hiệu dành cho {T.SUBJECT_LABELS[subject].lower()}",
                             f"Ô {r.addr('titles')}: {T.TITLES[t].name} không dành cho {T.SUBJECT_LABELS[subject].lower()}.")
            elif t not in titles:
                titles.append(t)
        out.entries[(subject, code)] = Entry(subject, code, r.get("name", ""), tuple(titles), r.get("registered_on"),
                                             r.values.get("signed"), r.get("signed_on"), r.number)
    return out


def _person_codes(rnd: Any) -> set[str]:
    if rnd.sheets.get(RS.PEOPLE) is None:
        return set()
    data = rnd.table(RS.PEOPLE_TABLE)  # as the round reads it for the check (once)
    return {r.get("code") for r in (data.rows if data else []) if r.get("code")}


# ---------------------------------------------------------------------------------------
# the award check: proposals without registration


def listed_titles(rnd: Any, problems: Problems) -> set[str]:
    """The title codes whose proposals must be registered (setting), unknown names reported."""
    v = rnd.settings
    out: set[str] = set()
    for item in v.get("registration_titles") or ():
        t = T.parse_title(item)
        if t is None:
            problems.add("unknown_title", v.sheet, v.cell("registration_titles"), item, "; ".join(RS.TITLE_NAMES),
                         f"Ô {v.cell('registration_titles')}: “{item}” không phải danh hiệu xlpy biết "
                         "(“Danh hiệu cần đăng ký thi đua”, cách nhau bằng dấu ;).")
        else:
            out.add(t)
    return out


def check_proposals(rnd: Any, proposals: Iterable[Any], problems: Problems) -> list[Any]:
    """Warn about each proposal for a listed title whose subject did not register that title
    (or a higher one of its ladder).  Returns the proposals warned about.  Nothing is said
    when the setting is off or the workbook has no registration sheet; an empty sheet is
    one warning, not one per proposal."""
    if not rnd.settings.get("registration_check"):
        return []
    titles = listed_titles(rnd, problems)
    regs: Registrations = rnd.registrations
    props = [p for p in proposals if p.title in titles]
    if not regs.present or not props:
        return []
    setting_cell = rnd.settings.where("registration_titles")
    if not regs.entries:
        problems.warn("registration_empty", regs.sheet, "A2", "(trống)", "đăng ký thi đua của các tập thể, cá nhân",
                      f"Trang “{regs.sheet}” chưa có dòng nào: {len(props)} đề nghị danh hiệu chưa đối chiếu được với đăng ký "
                      f"thi đua đầu năm. Nhập đăng ký, hoặc chọn Không ở “Báo đề nghị chưa đăng ký thi đua” ({setting_cell}).")
        return []
    col = _title_column(rnd)
    out = []
    for p in props:
        if regs.covers(p.subject, p.code, p.title):
            continue
        e = regs.get(p.subject, p.code)
        name = _name(rnd, p.subject, p.code)
        who = f"{name} ({p.code})" if name else p.code
        if e is None or not e.titles:
            what = "chưa có dòng đăng ký thi đua" if e is None else "dòng đăng ký chưa ghi danh hiệu nào"
        else:
            what = "chỉ đăng ký " + "; ".join(T.title_name(t) for t in e.titles)
        cell = f"{col}{p.row}" if col and p.row else ""
        problems.warn("not_registered", RS.PROPOSALS, cell, T.title_name(p.title), f"đăng ký {T.title_name(p.title)} đầu năm",
                      f"{'Ô ' + cell + ': ' if cell else ''}{who} được đề nghị {T.title_name(p.title)} nhưng {what} ở trang "
                      f"“{regs.sheet}”. Bổ sung đăng ký nếu đã đăng ký bằng văn bản; danh sách danh hiệu cần đăng ký ở "
                      f"{setting_cell}.")
        out.append(p)
    return out


def _title_column(rnd: Any) -> str:
    from ..book.sheet import col_letter

    grid = rnd.grid(RS.PROPOSALS) or []
    pos = header_map(list(grid[0]) if grid else [], RS.PROPOSAL_TABLE.columns, RS.PROPOSALS, Problems())
    return col_letter(pos["title"] + 1) if "title" in pos else ""


def _name(rnd: Any, subject: str, code: str) -> str:
    if subject == T.TT:
        return next((u.name for u in rnd.units_list if u.code == code), "")
    inp, _ = rnd.rules
    p = inp.people.get(code) if inp is not None else None
    return p.name if p else ""


# ---------------------------------------------------------------------------------------
# the deduction for not registering, filled by the round


def penalised(regs: Registrations, code: str, when: str) -> bool:
    """Whether unit ``code`` gets the deduction under the rule ``when`` (schema.year.DEDUCTION_WHEN)."""
    not_reg = not regs.registered(T.TT, code)
    not_signed = not regs.signed(T.TT, code)
    return {Y.NOT_REGISTERED: not_reg, Y.NOT_SIGNED: not_signed, Y.EITHER: not_reg or not_signed}[when]


def fill_deduction(rnd: Any, units: list, crit: list, entries: dict, problems: Problems) -> None:
    """Fill the declared deduction criterion from the registration sheet where its score
    cell is blank in every review stage; the cells filled are named in a warning.  The
    workbook's cells stay blank (a number typed there always wins)."""
    from ..core.model import Kind, Stage
    from ..schema import core as S
    from ..schema.base import fmt_num

    v = rnd.settings
    code = v.get("registration_deduction")
    cell = v.cell("registration_deduction")
    k = next((i for i, c in enumerate(crit) if norm(c.code) == norm(code)), None)
    if k is None or crit[k].kind is not Kind.DEDUCTION:
        found = "không có ở trang Tiêu chí" if k is None else f"là loại {crit[k].kind.label}"
        problems.add("registration_deduction_criterion", S.SETTINGS, cell, code, "mã một tiêu chí loại Điểm trừ",
                     f"Ô {cell}: tiêu chí “{code}” ({found}) không dùng được để trừ điểm không đăng ký thi đua. "
                     "Ghi mã một tiêu chí loại Điểm trừ ở trang Tiêu chí, hoặc để trống ô này.")
        return
    c = crit[k]
    used = [entries[st] for st in (Stage.SELF, Stage.BLOCK) if st in entries and not entries[st].empty]
    if not used:
        return  # no scores at all: said by the scoring checks
    target = used[-1]  # the review whose scores count last
    blank = np.ones(len(units), dtype=bool)
    for e in entries.values():
        blank &= np.isnan(e.values[:, k])
    if c.code not in target.columns:
        return  # the missing column is reported by the score sheet's reader
    todo = [i for i in np.flatnonzero(blank) if units[i].code in target.rows]
    if not todo:
        return
    regs: Registrations = rnd.registrations
    if not regs.entries:
        where = "chưa có trang" if not regs.present else "chưa có dòng nào ở trang"
        problems.add("registration_empty", Y.REGISTRATION, "A2", "(trống)", "đăng ký thi đua của các đơn vị",
                     f"Tiêu chí “{c.code}” được khai lấy từ đăng ký thi đua ({v.where('registration_deduction')}) nhưng sổ tính "
                     f"{where} “{Y.REGISTRATION}”. Nhập đăng ký thi đua của các đơn vị, hoặc nhập điểm “{c.code}” ở trang "
                     f"“{target.sheet}”, hoặc để trống ô {cell}.")
        return
    when = v.get("registration_deduction_when")
    when_label = next(lab for lab, val in Y.DEDUCTION_WHEN.items() if val == when)
    value = 1.0 if c.per_event is not None else float(c.max_points)
    hit, zero, cells = [], [], []
    for i in todo:
        u = units[i]
        pen = penalised(regs, u.code, when)
        target.values[i, k] = value if pen else 0.0
        (hit if pen else zero).append(u.code)
        cells.append(target.addr(u.code, c.code))
    amount = (f"trừ 1 lần ({fmt_num(c.per_event * c.effective_weight)} điểm)" if c.per_event is not None
              else f"trừ {fmt_num(c.max_points * c.effective_weight)} điểm")
    parts = []
    if hit:
        parts.append(f"{amount}: {', '.join(hit)} ({when_label.lower()})")
    if zero:
        parts.append(f"không trừ: {', '.join(zero)}")
    problems.warn("registration_deduction_filled", target.sheet, cells[0], f"{len(cells)} ô trống", f"điểm tiêu chí “{c.code}”",
                  f"Tiêu chí “{c.code}” ({c.name}) để trống ở mọi lần chấm nên xlpy lấy theo trang “{Y.REGISTRATION}” "
                  f"(Trừ điểm khi: {when_label}): {'; '.join(parts)}. Các ô được tính: {', '.join(cells)} (trang “{target.sheet}”; "
                  "ô vẫn để trống trong sổ tính, nhập số vào ô để thay).")


# ---------------------------------------------------------------------------------------
# the report's first section


def report_context(rnd: Any) -> dict[str, Any]:
    """Who registered and who signed the pledge: ``registration`` of the report context
    (plain strings; see docs/mau-bao-cao.md)."""
    from .. import vn

    regs: Registrations = rnd.registrations
    units = list(rnd.units_list)
    if not regs.present or not regs.entries:
        return empty_context(len(units))
    rows = []
    for i, u in enumerate(units, start=1):
        e = regs.get(T.TT, u.code)
        rows.append({
            "stt": i,
            "code": u.code,
            "name": u.name,
            "titles": "; ".join(T.title_name(t) for t in e.titles) if e else "",
            "date": vn.fmt_date_short(e.registered_on) if e else "",
            "registered": bool(e and e.registered),
            "registered_label": "Đã đăng ký" if e and e.registered else "Chưa đăng ký",
            "signed": bool(e and e.signed),
            "signed_label": "Đã ký" if e and e.signed else "Chưa ký",
            "signed_date": vn.fmt_date_short(e.signed_on) if e else "",
        })
    n = len(rows)
    reg = [r for r in rows if r["registered"]]
    sig = [r for r in rows if r["signed"]]
    not_reg = [r["name"] for r in rows if not r["registered"]]
    not_sig = [r["name"] for r in rows if not r["signed"]]
    dates = sorted({e.signed_on for e in regs.entries.values() if e.subject == T.TT and e.signed and e.signed_on})
    signed_date = vn.fmt_date(dates[0]) if len(dates) == 1 else ""
    people = [e for e in regs.entries.values() if e.subject == T.CN and e.registered]
    by_title: dict[str, int] = {}
    for e in people:
        for t in e.titles:
            by_title[t] = by_title.get(t, 0) + 1
    order = {t: i for i, t in enumerate(T.EVALUATION_ORDER)}
    people_titles = [{"title": T.title_name(t), "count": c} for t, c in sorted(by_title.items(), key=lambda x: order.get(x[0], 99))]
    summary = f"{len(reg)}/{n} đơn vị đăng ký thi đua"
    summary += f" ({'chưa đăng ký: ' + vn.join_vi(not_reg)})" if not_reg else ""
    summary += f"; {len(sig)}/{n} đơn vị ký kết giao ước thi đua" + (f" {signed_date}" if signed_date else "")
    summary += f" (chưa ký: {vn.join_vi(not_sig)})" if not_sig else ""
    people_summary = ""
    if people:
        people_summary = (f"{len(people)} cá nhân đăng ký danh hiệu thi đua: "
                          + "; ".join(f"{p['title']} {p['count']}" for p in people_titles) + ".")
    return {
        "available": True,
        "units": rows,
        "n_units": n,
        "n_registered": len(reg),
        "n_signed": len(sig),
        "not_registered": vn.join_vi(not_reg),
        "not_signed": vn.join_vi(not_sig),
        "signed_date": signed_date,
        "summary": summary + ".",
        "n_people": len(people),
        "people_titles": people_titles,
        "people_summary": people_summary,
    }


def empty_context(n_units: int = 0) -> dict[str, Any]:
    from ..reports.context import _no_registration

    return _no_registration(n_units)


__all__ = ["Entry", "Registrations", "check_proposals", "covered", "fill_deduction", "penalised", "read", "report_context"]
