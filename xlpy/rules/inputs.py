"""The checks' input from the typed rows of the award-rule sheets.

:mod:`xlpy.schema.base` has converted the cells (numbers, dates, yes/no…);
here the vocabulary cells are parsed (titles, grades, discipline, initiative
level: abbreviations accepted by :mod:`.titles`) and the rows are checked
against each other (unknown units or people, counts above the members, a
discipline date without a form…).  Every problem names its sheet and cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from ..core.problems import Problems
from ..schema import rules as R
from ..schema.base import Row, TableData
from . import titles as T
from .model import Collective, Discipline, HistoryRecord, Movement, Person, Proposal, RulesInput


class _Rows:
    def __init__(self, sheet: str, problems: Problems):
        self.sheet = sheet
        self.p = problems

    def add(self, code: str, addr: str, found: Any, expected: str, msg: str) -> None:
        self.p.add(code, self.sheet, addr, found, expected, msg)

    def vocab(self, r: Row, key: str, parse: Callable[[Any], Any], expected: str, what: str, default: Any = None) -> Any:
        v = r.values.get(key)
        if v is None:
            return default
        got = parse(v)
        if got is None:
            self.add(f"unknown_{key}", r.addr(key), v, expected,
                     f"Ô {r.addr(key)}: {what} “{v}” không có trong danh mục. Chọn trong danh sách: {expected}.")
        return got

    def at_most(self, r: Row, key: str, cap: int | None, what: str) -> int | None:
        v = r.values.get(key)
        if v is None:
            return None
        if cap is not None and v > cap:
            self.add("count_above_total", r.addr(key), v, f"không quá {cap}", f"Ô {r.addr(key)}: {what} ({int(v)}) lớn hơn tổng số ({cap}).")
            return None
        return int(v)


def people(data: TableData | None, units: set[str], problems: Problems) -> dict[str, Person]:
    rd = _Rows(R.PEOPLE, problems)
    out: dict[str, Person] = {}
    first: dict[str, str] = {}
    for r in (data.rows if data else []):
        code = r.get("code", "")
        if not code:
            rd.add("missing_code", r.addr("code"), None, "mã cá nhân", f"Dòng {r.number}: thiếu Mã cá nhân.")
            continue
        if code in out:
            rd.add("duplicate_code", r.addr("code"), code, f"mã không trùng (đã có ở ô {first[code]})", f"Mã cá nhân “{code}” bị trùng với ô {first[code]}.")
            continue
        unit = r.get("unit", "")
        if units and unit not in units:
            rd.add("unknown_unit", r.addr("unit"), unit, "mã đơn vị ở trang Đơn vị", f"Ô {r.addr('unit')}: đơn vị “{unit}” không có ở trang Đơn vị.")
        grade = rd.vocab(r, "grade", T.parse_grade, " / ".join(R.GRADE_NAMES), "xếp loại")
        level = rd.vocab(r, "initiative", T.parse_initiative, " / ".join(R.INITIATIVE_NAMES), "phạm vi sáng kiến", 0)
        form = rd.vocab(r, "discipline", T.parse_discipline, " / ".join(T.DISCIPLINE), "hình thức kỷ luật")
        d0, d1 = r.get("disc_from"), r.get("disc_to")
        disc = None
        if form is not None:
            if d0 and d1 and d1 < d0:
                rd.add("bad_period", r.addr("disc_to"), r.raw.get("disc_to"), f"sau ngày bắt đầu {d0:%d/%m/%Y}",
                       f"Ô {r.addr('disc_to')}: ngày hết kỷ luật trước ngày bắt đầu.")
            disc = Discipline(form, d0, d1)
        elif d0 or d1:
            rd.add("missing_discipline_form", r.addr("discipline"), None, "hình thức kỷ luật",
                   f"Ô {r.addr('discipline')}: có ngày kỷ luật nhưng chưa ghi hình thức kỷ luật.")
        first[code] = r.addr("code")
        out[code] = Person(code=code, name=r.get("name", ""), unit=unit, female=r.values.get("gender"), grade=grade,
                           score=r.get("score"), initiative_level=level or 0, initiatives=int(r.get("initiatives", 0)),
                           discipline=disc, under_review=bool(r.get("under_review", False)), row=r.number)
    return out


def collectives(data: TableData | None, units: dict[str, Any], problems: Problems) -> dict[str, Collective]:
    rd = _Rows(R.COLLECTIVES, problems)
    out: dict[str, Collective] = {}
    for r in (data.rows if data else []):
        code = r.get("code", "")
        if not code:
            continue
        if units and code not in units:
            rd.add("unknown_unit", r.addr("code"), code, "mã đơn vị ở trang Đơn vị", f"Ô {r.addr('code')}: đơn vị “{code}” không có ở trang Đơn vị.")
            continue
        if code in out:
            rd.add("duplicate_code", r.addr("code"), code, "mỗi đơn vị một dòng", f"Đơn vị “{code}” có hai dòng ở trang Tập thể.")
            continue
        members = r.values.get("members")
        cap = int(members) if members is not None else None
        completed = rd.at_most(r, "completed", cap, "số hoàn thành nhiệm vụ")
        ldtt = rd.at_most(r, "ldtt", cap, "số LĐTT")
        cst = rd.at_most(r, "cstdcs", cap, "số CSTĐCS")
        disc = rd.at_most(r, "disciplined", cap, "số bị kỷ luật")
        htxs = rd.at_most(r, "htxs", cap, "số HTXS")
        htt = rd.at_most(r, "htt", cap, "số HTT")
        if cst is not None and ldtt is not None and cst > ldtt:
            rd.add("count_above_total", r.addr("cstdcs"), cst, f"không quá số LĐTT ({ldtt})",
                   f"Ô {r.addr('cstdcs')}: số CSTĐCS lớn hơn số LĐTT (CSTĐCS phải đạt LĐTT).")
        if cap is not None and htxs is not None and htt is not None and htxs + htt > cap:
            rd.add("count_above_total", r.addr("htt"), htxs + htt, f"HTXS + HTT không quá {cap}",
                   f"Ô {r.addr('htt')}: số HTXS cộng số HTT vượt số thành viên.")
        u = units.get(code)
        out[code] = Collective(
            code=code, name=getattr(u, "name", "") or code,
            grade=rd.vocab(r, "grade", T.parse_grade, " / ".join(R.GRADE_NAMES), "xếp loại tập thể"),
            members=cap, completed=completed, ldtt=ldtt, cstdcs=cst, disciplined=disc, htxs=htxs, htt=htt,
            outstanding_unit=bool(r.get("outstanding_unit", False)), under_review=bool(r.get("under_review", False)),
            women_share=getattr(u, "women_share", None), row=r.number,
        )
    # units without a row still exist as collectives (name, women share) for flags and ranks
    for code, u in units.items():
        if code not in out:
            out[code] = Collective(code=code, name=getattr(u, "name", "") or code, women_share=getattr(u, "women_share", None))
    return out


def movements(data: TableData | None, problems: Problems) -> dict[str, Movement]:
    rd = _Rows(R.MOVEMENTS, problems)
    out: dict[str, Movement] = {}
    for r in (data.rows if data else []):
        name = r.get("name", "")
        if not name:
            continue
        if name in out:
            rd.add("duplicate_movement", r.addr("name"), name, "tên không trùng", f"Phong trào “{name}” khai hai lần.")
            continue
        c, i = r.values.get("collectives"), r.values.get("individuals")
        out[name] = Movement(name, None if c is None else int(c), None if i is None else int(i), r.number)
    return out


def proposals(data: TableData | None, people_: dict[str, Person], units: set[str], movements_: dict[str, Movement],
              council_members: int | None, problems: Problems) -> list[Proposal]:
    rd = _Rows(R.PROPOSALS, problems)
    out: list[Proposal] = []
    for r in (data.rows if data else []):
        subject = r.values.get("subject")
        code = r.get("code", "")
        title = rd.vocab(r, "title", T.parse_title, "; ".join(R.TITLE_NAMES), "danh hiệu, hình thức")
        if r.values.get("title") is None and "title" not in r.bad:
            rd.add("missing_title", r.addr("title"), None, "danh hiệu, hình thức", f"Ô {r.addr('title')}: chưa ghi danh hiệu, hình thức đề nghị.")
        kind = rd.vocab(r, "kind", T.parse_kind, " / ".join(R.KIND_NAMES), "loại khen", "cong_trang")
        if kind == "xep_loai":
            rd.add("unknown_kind", r.addr("kind"), r.values.get("kind"), " / ".join(R.KIND_NAMES),
                   f"Ô {r.addr('kind')}: đề nghị khen thưởng không có loại “Xếp loại”.")
            kind = None
        movement = r.get("movement", "")
        votes = rd.at_most(r, "votes", council_members, "số phiếu đồng ý")
        chair = r.values.get("chair_order")
        if not code:
            rd.add("missing_code", r.addr("code"), None, "mã cá nhân hoặc mã đơn vị", f"Ô {r.addr('code')}: chưa ghi mã.")
            continue
        if subject == T.CN and code not in people_:
            rd.add("unknown_person", r.addr("code"), code, "mã ở trang Cá nhân", f"Ô {r.addr('code')}: cá nhân “{code}” chưa có ở trang Cá nhân.")
            continue
        if subject == T.TT and units and code not in units:
            rd.add("unknown_unit", r.addr("code"), code, "mã ở trang Đơn vị", f"Ô {r.addr('code')}: đơn vị “{code}” không có ở trang Đơn vị.")
            continue
        if movement and movement not in movements_:
            rd.add("unknown_movement", r.addr("movement"), movement, "tên ở trang Phong trào",
                   f"Ô {r.addr('movement')}: phong trào “{movement}” chưa khai ở trang Phong trào (cần số tập thể, cá nhân tham gia).")
            continue
        if subject is None or title is None or kind is None:
            continue
        if subject not in T.TITLES[title].subjects:
            rd.add("title_subject", r.addr("title"), T.TITLES[title].name, f"danh hiệu dành cho {T.SUBJECT_LABELS[subject].lower()}",
                   f"Ô {r.addr('title')}: {T.TITLES[title].name} không dành cho {T.SUBJECT_LABELS[subject].lower()}.")
            continue
        out.append(Proposal(subject, code, title, kind, movement, r.get("achievement", ""), bool(r.get("outstanding", False)),
                            votes, None if chair is None else int(chair), r.number))
    return out


def history(data: TableData | None, units: set[str], problems: Problems, sheet: str = R.HISTORY) -> list[HistoryRecord]:
    rd = _Rows(sheet, problems)
    out: list[HistoryRecord] = []
    for r in (data.rows if data else []):
        year = r.values.get("year")
        if year is None:
            if "year" not in r.bad:
                rd.add("bad_year", r.addr("year"), None, "năm, ví dụ 2024", f"Ô {r.addr('year')}: chưa ghi năm.")
            continue
        subject = r.values.get("subject")
        code = r.get("code", "")
        raw_title = r.values.get("title")
        kind = rd.vocab(r, "kind", T.parse_kind, " / ".join(R.HISTORY_KIND_NAMES), "loại")
        grade = T.parse_grade(raw_title)
        title = T.parse_title(raw_title)
        if grade is not None and kind in ("cong_trang", None) and r.values.get("kind") is None:
            kind = "xep_loai"
        value = grade if kind == "xep_loai" else title
        if value is None and raw_title is not None:
            what = "xếp loại" if kind == "xep_loai" else "danh hiệu, hình thức"
            rd.add("unknown_title", r.addr("title"), raw_title, what + " trong danh mục", f"Ô {r.addr('title')}: “{raw_title}” không phải {what} xlpy biết.")
        unit = r.get("unit", "")
        check_unit = code if subject == T.TT else unit
        if units and check_unit and check_unit not in units:
            col = "code" if subject == T.TT else "unit"
            rd.add("unknown_unit", r.addr(col), check_unit, "mã đơn vị ở trang Đơn vị",
                   f"Ô {r.addr(col)}: đơn vị “{check_unit}” không có ở trang Đơn vị (dòng lịch sử của đơn vị không tồn tại).")
            continue
        if not code:
            rd.add("missing_code", r.addr("code"), None, "mã", f"Ô {r.addr('code')}: chưa ghi mã.")
            continue
        if subject is None or value is None or kind is None:
            continue
        out.append(HistoryRecord(int(year), subject, code, value, kind, unit, r.get("name", ""), r.get("decision", ""),
                                 r.get("decision_date"), r.get("achievement", ""), r.number))
    return out


def rules_input(
    *,
    year: int | None,
    round_date: dt.date | None,
    block_name: str,
    unit_list: list[Any],
    tables: dict[str, TableData | None],
    council_members: int | None,
    problems: Problems,
    settings_sheet: str,
    settings_cell: str,
) -> RulesInput | None:
    """Everything the checks need (without block ranks, which the Round adds)."""
    from ..features import setting

    units = {u.code: u for u in unit_list}
    k_year, k_date = setting("year").key, setting("round_date").key
    if year is None and round_date is None:
        problems.add("missing_year", settings_sheet, settings_cell, None, f"{k_year} hoặc {k_date}",
                     f"Trang {settings_sheet} chưa có {k_year} và {k_date}: không biết áp dụng bộ quy định khen thưởng nào.")
    elif round_date is None:
        round_date = dt.date(year, 12, 31)  # type: ignore[arg-type]
        problems.warn("missing_round_date", settings_sheet, settings_cell, None, k_date,
                      f"Chưa có {k_date}: dùng 31/12/{year} để chọn bộ quy định khen thưởng.")
    elif year is None:
        year = round_date.year
    ppl = people(tables.get(R.PEOPLE), set(units), problems)
    mov = movements(tables.get(R.MOVEMENTS), problems)
    cols = collectives(tables.get(R.COLLECTIVES), units, problems)
    props = proposals(tables.get(R.PROPOSALS), ppl, set(units), mov, council_members, problems)
    hist = history(tables.get(R.HISTORY), set(units), problems)
    if year is None or round_date is None:
        return None
    return RulesInput(year=int(year), round_date=round_date, block_name=block_name, units=tuple(units), people=ppl,
                      collectives=cols, proposals=tuple(props), history=tuple(hist), movements=mov)
