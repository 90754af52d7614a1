"""The award-rule sheets of the workbook: layout, reading (with problems naming
sheet and cell), and the output sheets.  A thin adapter around the pure
:mod:`xlpy.rules.engine`.

Input sheets (header in row 1, data from row 2):

* ``Cá nhân`` — individuals proposed (or whose evaluation matters): unit,
  gender, year's grade, initiatives, discipline with dates.
* ``Tập thể`` — per unit: the collective's grade and member counts (members,
  completing tasks, LĐTT, CSTĐCS, disciplined, HTXS, HTT).
* ``Đề nghị khen thưởng`` — one row per proposal (title, kind, movement,
  achievement id, votes, the Chair's order).
* ``Lịch sử khen thưởng`` — awards and grades of earlier years
  (``xlpy history import`` fills it from earlier years' workbooks).
* ``Phong trào`` — movements and their participating collectives/individuals.

Output sheets: ``Tuân thủ`` (one row per rule per candidate and per quota) and
``Tiền thưởng`` (reward money per title).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..book import layout as L
from ..book.io import Book, CellError, OutputSheet
from ..book.grid import Row, code_text, table_rows
from ..core.problems import Problems
from . import titles as T
from .model import Collective, Discipline, HistoryRecord, Movement, Person, Proposal, RulesInput
from .settings import RuleSettings, parse_date, parse_settings

PEOPLE = "Cá nhân"
COLLECTIVES = "Tập thể"
PROPOSALS = "Đề nghị khen thưởng"
HISTORY = "Lịch sử khen thưởng"
MOVEMENTS = "Phong trào"
COMPLIANCE = "Tuân thủ"
MONEY = "Tiền thưởng"
INPUT_SHEETS = [PEOPLE, COLLECTIVES, PROPOSALS, HISTORY, MOVEMENTS]
OUTPUT_SHEETS = [COMPLIANCE, MONEY]

C = L.Column
YES_NO = ("Có", "Không")
SUBJECTS = ("Cá nhân", "Tập thể")
GRADE_NAMES = tuple(T.GRADES.values())
TITLE_NAMES = tuple(t.name for t in T.TITLES.values())
KIND_NAMES = ("Công trạng", "Chuyên đề", "Đột xuất")
HISTORY_KIND_NAMES = ("Công trạng", "Chuyên đề", "Đột xuất", "Xếp loại")
INITIATIVE_NAMES = tuple(T.INITIATIVE_LEVELS.values())

PEOPLE_COLUMNS = [
    C("Mã cá nhân", "code", True, 12, "Mã ngắn, không trùng (ví dụ số hiệu cán bộ)"),
    C("Họ và tên", "name", True, 26, ""),
    C("Mã đơn vị", "unit", True, 11, "Mã đơn vị ở trang Đơn vị"),
    C("Giới tính", "gender", False, 9, "Nam / Nữ (ưu tiên nữ khi bằng nhau, NĐ 152/2025 Điều 4 khoản 6)", choices=("Nam", "Nữ")),
    C("Xếp loại năm", "grade", False, 30, "Kết quả đánh giá, xếp loại năm xét", choices=GRADE_NAMES),
    C("Điểm đánh giá", "score", False, 10, "Điểm đánh giá cán bộ (nếu có)", "0.##"),
    C("Sáng kiến (phạm vi công nhận)", "initiative", False, 16, "Phạm vi ảnh hưởng cao nhất của sáng kiến, đề tài được công nhận", choices=INITIATIVE_NAMES),
    C("Số sáng kiến trong thời gian xét", "initiatives", False, 14, "Số sáng kiến được công nhận trong thời gian xét (Bằng khen: 2 năm)", "0"),
    C("Hình thức kỷ luật", "discipline", False, 15, "Để trống nếu không bị kỷ luật", choices=T.DISCIPLINE),
    C("Kỷ luật từ ngày", "disc_from", False, 13, "Ngày bắt đầu thời hạn kỷ luật", "dd/mm/yyyy"),
    C("Kỷ luật đến ngày", "disc_to", False, 13, "Ngày hết thời hạn kỷ luật; thành tích tính từ ngày hôm sau (NĐ 152/2025 Điều 4 khoản 4)", "dd/mm/yyyy"),
    C("Đang bị điều tra, thanh tra, xem xét", "under_review", False, 14, "Có: đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm, đang xem xét khiếu nại, tố cáo", choices=YES_NO),
]
COLLECTIVE_COLUMNS = [
    C("Mã đơn vị", "code", True, 11, "Mã đơn vị ở trang Đơn vị"),
    C("Xếp loại tập thể", "grade", False, 30, "Kết quả đánh giá tập thể năm xét", choices=GRADE_NAMES),
    C("Số thành viên", "members", False, 10, "Tổng số cán bộ, công chức, viên chức, người lao động", "0"),
    C("Số hoàn thành nhiệm vụ trở lên", "completed", False, 13, "Số thành viên xếp loại từ Hoàn thành nhiệm vụ trở lên", "0"),
    C("Số LĐTT", "ldtt", False, 9, "Số thành viên đạt Lao động tiên tiến", "0"),
    C("Số CSTĐCS", "cstdcs", False, 10, "Số thành viên đạt Chiến sĩ thi đua cơ sở", "0"),
    C("Số bị kỷ luật từ cảnh cáo", "disciplined", False, 12, "Số thành viên bị kỷ luật từ cảnh cáo trở lên trong năm", "0"),
    C("Số xếp loại HTXS", "htxs", False, 10, "Số thành viên xếp loại Hoàn thành xuất sắc nhiệm vụ", "0"),
    C("Số xếp loại HTT", "htt", False, 10, "Số thành viên xếp loại Hoàn thành tốt nhiệm vụ", "0"),
    C("Đơn vị nổi bật (HTXS 25%)", "outstanding_unit", False, 12, "Có: cấp có thẩm quyền cho áp dụng tỷ lệ HTXS 25%", choices=YES_NO),
    C("Đang bị thanh tra, kiểm tra", "under_review", False, 12, "Có: đang bị thanh tra, kiểm tra có dấu hiệu vi phạm", choices=YES_NO),
]
PROPOSAL_COLUMNS = [
    C("Đối tượng", "subject", True, 10, "Cá nhân hoặc Tập thể", choices=SUBJECTS),
    C("Mã", "code", True, 11, "Mã cá nhân (trang Cá nhân) hoặc mã đơn vị (trang Đơn vị)"),
    C("Danh hiệu, hình thức", "title", True, 30, "Danh hiệu hoặc hình thức khen thưởng đề nghị", choices=TITLE_NAMES),
    C("Loại khen", "kind", False, 12, "Công trạng (mặc định) / Chuyên đề / Đột xuất", choices=KIND_NAMES),
    C("Phong trào", "movement", False, 22, "Tên phong trào (trang Phong trào) khi khen theo chuyên đề"),
    C("Mã thành tích", "achievement", False, 12, "Để phát hiện một thành tích đề nghị hai lần (Luật 2022 Điều 5)"),
    C("Thành tích tiêu biểu", "outstanding", False, 11, "Có: có thành tích xuất sắc, tiêu biểu, đột xuất (kèm báo cáo thành tích)", choices=YES_NO),
    C("Số phiếu đồng ý", "votes", False, 10, "Số phiếu đồng ý của Hội đồng TĐKT", "0"),
    C("Thứ tự Chủ tịch quyết định", "chair_order", False, 12, "Khi vượt tỷ lệ và bằng phiếu: 1, 2, 3… do Chủ tịch Hội đồng quyết định", "0"),
    C("Số quyết định", "decision", False, 16, "Điền sau khi có quyết định khen thưởng (để chuyển sang lịch sử năm sau)"),
    C("Ngày quyết định", "decision_date", False, 13, "", "dd/mm/yyyy"),
    C("Ghi chú", "note", False, 24, ""),
]
HISTORY_COLUMNS = [
    C("Năm", "year", True, 7, "Năm của danh hiệu hoặc xếp loại", "0"),
    C("Đối tượng", "subject", True, 10, "Cá nhân hoặc Tập thể", choices=SUBJECTS),
    C("Mã", "code", True, 11, "Mã cá nhân hoặc mã đơn vị"),
    C("Họ tên / tên đơn vị", "name", False, 26, ""),
    C("Mã đơn vị", "unit", False, 11, "Đơn vị của cá nhân (để trống với tập thể)"),
    C("Danh hiệu, hình thức hoặc xếp loại", "title", True, 30, "Ví dụ: Chiến sĩ thi đua cơ sở; hoặc Hoàn thành xuất sắc nhiệm vụ"),
    C("Loại", "kind", False, 11, "Công trạng / Chuyên đề / Đột xuất / Xếp loại", choices=HISTORY_KIND_NAMES),
    C("Số quyết định", "decision", False, 18, ""),
    C("Ngày quyết định", "decision_date", False, 13, "", "dd/mm/yyyy"),
    C("Mã thành tích", "achievement", False, 12, ""),
]
MOVEMENT_COLUMNS = [
    C("Tên phong trào", "name", True, 40, "Tên phong trào thi đua theo chuyên đề"),
    C("Số tập thể tham gia", "collectives", False, 12, "Số tập thể trực tiếp tham gia (cơ sở tính tỷ lệ Bằng khen tập thể)", "0"),
    C("Số cá nhân tham gia", "individuals", False, 12, "Số cá nhân trực tiếp tham gia (cơ sở tính tỷ lệ Bằng khen cá nhân)", "0"),
]
SHEET_COLUMNS = {
    PEOPLE: PEOPLE_COLUMNS,
    COLLECTIVES: COLLECTIVE_COLUMNS,
    PROPOSALS: PROPOSAL_COLUMNS,
    HISTORY: HISTORY_COLUMNS,
    MOVEMENTS: MOVEMENT_COLUMNS,
}


def register() -> None:
    for name in OUTPUT_SHEETS:
        L.register_output_sheet(name)


# ---------------------------------------------------------------------------------------
# small cell readers (each records its own problem and returns None when unusable)


class _Reader:
    def __init__(self, sheet: str, problems: Problems):
        self.sheet = sheet
        self.p = problems

    def add(self, code: str, addr: str, found: Any, expected: str, msg: str) -> None:
        self.p.add(code, self.sheet, addr, found, expected, msg)

    def text(self, row: Row, key: str) -> str:
        return code_text(row.values.get(key)) if key in row.values else ""

    def count(self, row: Row, key: str, what: str, *, maximum: int | None = None) -> int | None:
        if key not in row.values:
            return None
        v = row.values[key]
        if v is None or v == "":
            return None
        addr = row.addr(key)
        if isinstance(v, CellError):
            self.add("excel_error", addr, v.code, f"một số ({what})", f"Ô {addr} đang chứa lỗi Excel {v.code}; nhập {what}.")
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer() or v < 0:
            self.add("not_a_count", addr, v, f"số nguyên không âm ({what})", f"Ô {addr}: {what} phải là số nguyên không âm.")
            return None
        if maximum is not None and v > maximum:
            self.add("count_above_total", addr, v, f"không quá {maximum}", f"Ô {addr}: {what} ({int(v)}) lớn hơn tổng số ({maximum}).")
            return None
        return int(v)

    def number(self, row: Row, key: str, what: str) -> float | None:
        v = row.values.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.add("not_a_number", row.addr(key), v, f"một số ({what})", f"Ô {row.addr(key)}: {what} phải là số.")
            return None
        return float(v)

    def date(self, row: Row, key: str, what: str) -> dt.date | None:
        v = row.values.get(key)
        if v is None or v == "":
            return None
        d = parse_date(v)
        if d is None:
            self.add("bad_date", row.addr(key), v, "một ngày, ví dụ 30/06/2025", f"Ô {row.addr(key)}: không đọc được {what} “{v}”. Nhập ngày dạng ngày/tháng/năm.")
        return d

    def choice(self, row: Row, key: str, parse, expected: str, what: str, default: Any = None) -> Any:
        v = row.values.get(key)
        if v is None or v == "":
            return default
        got = parse(v)
        if got is None:
            self.add(f"unknown_{key}", row.addr(key), v, expected, f"Ô {row.addr(key)}: {what} “{v}” không có trong danh mục. Chọn trong danh sách: {expected}.")
        return got

    def yes(self, row: Row, key: str) -> bool:
        v = row.values.get(key)
        got = T.parse_yes(v)
        if got is None:
            self.add("not_yes_no", row.addr(key), v, "Có / Không", f"Ô {row.addr(key)}: nhập Có hoặc Không.")
            return False
        return got


def _rows(book: Book, sheet: str, problems: Problems, required: bool) -> list[Row] | None:
    grid = book.grid(sheet)
    if grid is None:
        if required:
            problems.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”",
                         f"Sổ tính thiếu trang “{sheet}”. Tạo sổ mới bằng “xlpy new” để có đủ các trang khen thưởng.")
        return None
    got = table_rows(grid, sheet, SHEET_COLUMNS[sheet], problems)
    return None if got is None else got[0]


# ---------------------------------------------------------------------------------------
# reading


def read_people(book: Book, units: set[str], problems: Problems) -> dict[str, Person]:
    rd = _Reader(PEOPLE, problems)
    out: dict[str, Person] = {}
    first: dict[str, str] = {}
    for r in _rows(book, PEOPLE, problems, False) or []:
        code = rd.text(r, "code")
        if not code:
            rd.add("missing_code", r.addr("code"), None, "mã cá nhân", f"Dòng {r.index + 1}: thiếu Mã cá nhân.")
            continue
        if code in out:
            rd.add("duplicate_code", r.addr("code"), code, f"mã không trùng (đã có ở ô {first[code]})", f"Mã cá nhân “{code}” bị trùng với ô {first[code]}.")
            continue
        unit = rd.text(r, "unit")
        if units and unit not in units:
            rd.add("unknown_unit", r.addr("unit"), unit, "mã đơn vị ở trang Đơn vị", f"Ô {r.addr('unit')}: đơn vị “{unit}” không có ở trang Đơn vị.")
        gender = rd.text(r, "gender")
        female = None
        if gender:
            g = T.fold(gender)
            female = True if g == "nu" else False if g == "nam" else None
            if female is None:
                rd.add("bad_gender", r.addr("gender"), gender, "Nam / Nữ", f"Ô {r.addr('gender')}: giới tính nhập Nam hoặc Nữ.")
        grade = rd.choice(r, "grade", T.parse_grade, " / ".join(GRADE_NAMES), "xếp loại")
        level = rd.choice(r, "initiative", T.parse_initiative, " / ".join(INITIATIVE_NAMES), "phạm vi sáng kiến", 0)
        form = rd.choice(r, "discipline", T.parse_discipline, " / ".join(T.DISCIPLINE), "hình thức kỷ luật")
        d0 = rd.date(r, "disc_from", "ngày bắt đầu kỷ luật")
        d1 = rd.date(r, "disc_to", "ngày hết kỷ luật")
        disc = None
        if form is not None:
            if d0 and d1 and d1 < d0:
                rd.add("bad_period", r.addr("disc_to"), r.values.get("disc_to"), f"sau ngày bắt đầu {d0:%d/%m/%Y}", f"Ô {r.addr('disc_to')}: ngày hết kỷ luật trước ngày bắt đầu.")
            disc = Discipline(form, d0, d1)
        elif d0 or d1:
            rd.add("missing_discipline_form", r.addr("discipline"), None, "hình thức kỷ luật", f"Ô {r.addr('discipline')}: có ngày kỷ luật nhưng chưa ghi hình thức kỷ luật.")
        first[code] = r.addr("code")
        out[code] = Person(
            code=code,
            name=rd.text(r, "name"),
            unit=unit,
            female=female,
            grade=grade,
            score=rd.number(r, "score", "điểm đánh giá"),
            initiative_level=level or 0,
            initiatives=rd.count(r, "initiatives", "số sáng kiến") or 0,
            discipline=disc,
            under_review=rd.yes(r, "under_review"),
            row=r.index + 1,
        )
    return out


def read_collectives(book: Book, units: dict[str, Any], problems: Problems) -> dict[str, Collective]:
    rd = _Reader(COLLECTIVES, problems)
    out: dict[str, Collective] = {}
    for r in _rows(book, COLLECTIVES, problems, False) or []:
        code = rd.text(r, "code")
        if not code:
            continue
        if units and code not in units:
            rd.add("unknown_unit", r.addr("code"), code, "mã đơn vị ở trang Đơn vị", f"Ô {r.addr('code')}: đơn vị “{code}” không có ở trang Đơn vị.")
            continue
        if code in out:
            rd.add("duplicate_code", r.addr("code"), code, "mỗi đơn vị một dòng", f"Đơn vị “{code}” có hai dòng ở trang Tập thể.")
            continue
        members = rd.count(r, "members", "số thành viên")
        cap = members
        completed = rd.count(r, "completed", "số hoàn thành nhiệm vụ", maximum=cap)
        ldtt = rd.count(r, "ldtt", "số LĐTT", maximum=cap)
        cst = rd.count(r, "cstdcs", "số CSTĐCS", maximum=cap)
        disc = rd.count(r, "disciplined", "số bị kỷ luật", maximum=cap)
        htxs = rd.count(r, "htxs", "số HTXS", maximum=cap)
        htt = rd.count(r, "htt", "số HTT", maximum=cap)
        if cst is not None and ldtt is not None and cst > ldtt:
            rd.add("count_above_total", r.addr("cstdcs"), cst, f"không quá số LĐTT ({ldtt})", f"Ô {r.addr('cstdcs')}: số CSTĐCS lớn hơn số LĐTT (CSTĐCS phải đạt LĐTT).")
        if members is not None and htxs is not None and htt is not None and htxs + htt > members:
            rd.add("count_above_total", r.addr("htt"), htxs + htt, f"HTXS + HTT không quá {members}", f"Ô {r.addr('htt')}: số HTXS cộng số HTT vượt số thành viên.")
        u = units.get(code)
        out[code] = Collective(
            code=code,
            name=getattr(u, "name", "") or code,
            grade=rd.choice(r, "grade", T.parse_grade, " / ".join(GRADE_NAMES), "xếp loại tập thể"),
            members=members,
            completed=completed,
            ldtt=ldtt,
            cstdcs=cst,
            disciplined=disc,
            htxs=htxs,
            htt=htt,
            outstanding_unit=rd.yes(r, "outstanding_unit"),
            under_review=rd.yes(r, "under_review"),
            women_share=getattr(u, "women_share", None),
            row=r.index + 1,
        )
    # units without a row still exist as collectives (name, women share) for flags and ranks
    for code, u in units.items():
        if code not in out:
            out[code] = Collective(code=code, name=getattr(u, "name", "") or code, women_share=getattr(u, "women_share", None))
    return out


def read_movements(book: Book, problems: Problems) -> dict[str, Movement]:
    rd = _Reader(MOVEMENTS, problems)
    out: dict[str, Movement] = {}
    for r in _rows(book, MOVEMENTS, problems, False) or []:
        name = rd.text(r, "name")
        if not name:
            continue
        if name in out:
            rd.add("duplicate_movement", r.addr("name"), name, "tên không trùng", f"Phong trào “{name}” khai hai lần.")
            continue
        out[name] = Movement(name, rd.count(r, "collectives", "số tập thể tham gia"), rd.count(r, "individuals", "số cá nhân tham gia"), r.index + 1)
    return out


def read_proposals(
    book: Book, people: dict[str, Person], units: set[str], movements: dict[str, Movement], settings: RuleSettings, problems: Problems
) -> list[Proposal]:
    rd = _Reader(PROPOSALS, problems)
    out: list[Proposal] = []
    for r in _rows(book, PROPOSALS, problems, False) or []:
        subject = rd.choice(r, "subject", T.parse_subject, "Cá nhân / Tập thể", "đối tượng")
        code = rd.text(r, "code")
        title = rd.choice(r, "title", T.parse_title, "; ".join(TITLE_NAMES), "danh hiệu, hình thức")
        if r.values.get("title") in (None, ""):
            rd.add("missing_title", r.addr("title"), None, "danh hiệu, hình thức", f"Ô {r.addr('title')}: chưa ghi danh hiệu, hình thức đề nghị.")
        kind = rd.choice(r, "kind", T.parse_kind, " / ".join(KIND_NAMES), "loại khen", "cong_trang")
        if kind == "xep_loai":
            rd.add("unknown_kind", r.addr("kind"), r.values.get("kind"), " / ".join(KIND_NAMES), f"Ô {r.addr('kind')}: đề nghị khen thưởng không có loại “Xếp loại”.")
            kind = None
        movement = rd.text(r, "movement")
        votes = rd.count(r, "votes", "số phiếu đồng ý", maximum=settings.council_members)
        chair = rd.count(r, "chair_order", "thứ tự Chủ tịch quyết định")
        outstanding = rd.yes(r, "outstanding")
        rd.date(r, "decision_date", "ngày quyết định")
        if not code:
            rd.add("missing_code", r.addr("code"), None, "mã cá nhân hoặc mã đơn vị", f"Ô {r.addr('code')}: chưa ghi mã.")
            continue
        if subject == T.CN and code not in people:
            rd.add("unknown_person", r.addr("code"), code, "mã ở trang Cá nhân", f"Ô {r.addr('code')}: cá nhân “{code}” chưa có ở trang Cá nhân.")
            continue
        if subject == T.TT and units and code not in units:
            rd.add("unknown_unit", r.addr("code"), code, "mã ở trang Đơn vị", f"Ô {r.addr('code')}: đơn vị “{code}” không có ở trang Đơn vị.")
            continue
        if movement and movement not in movements:
            rd.add("unknown_movement", r.addr("movement"), movement, "tên ở trang Phong trào", f"Ô {r.addr('movement')}: phong trào “{movement}” chưa khai ở trang Phong trào (cần số tập thể, cá nhân tham gia).")
            continue
        if subject is None or title is None or kind is None:
            continue
        if subject not in T.TITLES[title].subjects:
            rd.add("title_subject", r.addr("title"), T.TITLES[title].name, f"danh hiệu dành cho {T.SUBJECT_LABELS[subject].lower()}",
                   f"Ô {r.addr('title')}: {T.TITLES[title].name} không dành cho {T.SUBJECT_LABELS[subject].lower()}.")
            continue
        out.append(Proposal(subject, code, title, kind, movement, rd.text(r, "achievement"), outstanding, votes, chair, r.index + 1))
    return out


def read_history(book: Book, units: set[str], problems: Problems, sheet: str = HISTORY) -> list[HistoryRecord]:
    rd = _Reader(sheet, problems)
    out: list[HistoryRecord] = []
    for r in _rows(book, sheet, problems, False) or []:
        raw_year = r.values.get("year")
        year = rd.count(r, "year", "năm")
        if year is None:
            if raw_year in (None, ""):
                rd.add("bad_year", r.addr("year"), raw_year, "năm, ví dụ 2024", f"Ô {r.addr('year')}: chưa ghi năm.")
            continue
        if not 1945 <= year <= 2100:
            rd.add("bad_year", r.addr("year"), raw_year, "năm, ví dụ 2024", f"Ô {r.addr('year')}: năm {year} không hợp lệ.")
            continue
        subject = rd.choice(r, "subject", T.parse_subject, "Cá nhân / Tập thể", "đối tượng")
        code = rd.text(r, "code")
        raw_title = r.values.get("title")
        kind = rd.choice(r, "kind", T.parse_kind, " / ".join(HISTORY_KIND_NAMES), "loại")
        grade = T.parse_grade(raw_title)
        title = T.parse_title(raw_title)
        if grade is not None and kind in ("cong_trang", None) and r.values.get("kind") in (None, ""):
            kind = "xep_loai"
        value = grade if kind == "xep_loai" else title
        if value is None:
            what = "xếp loại" if kind == "xep_loai" else "danh hiệu, hình thức"
            rd.add("unknown_title", r.addr("title"), raw_title, what + " trong danh mục", f"Ô {r.addr('title')}: “{raw_title}” không phải {what} xlpy biết.")
        unit = rd.text(r, "unit")
        check_unit = code if subject == T.TT else unit
        if units and check_unit and check_unit not in units:
            col = "code" if subject == T.TT else "unit"
            rd.add("unknown_unit", r.addr(col), check_unit, "mã đơn vị ở trang Đơn vị",
                   f"Ô {r.addr(col)}: đơn vị “{check_unit}” không có ở trang Đơn vị (dòng lịch sử của đơn vị không tồn tại).")
            continue
        dd = rd.date(r, "decision_date", "ngày quyết định")
        if not code or subject is None or value is None or kind is None:
            if not code:
                rd.add("missing_code", r.addr("code"), None, "mã", f"Ô {r.addr('code')}: chưa ghi mã.")
            continue
        out.append(HistoryRecord(year, subject, code, value, kind, unit, rd.text(r, "name"), rd.text(r, "decision"), dd, rd.text(r, "achievement"), r.index + 1))
    return out


def read_rules_input(book: Book) -> tuple[RulesInput | None, RuleSettings, Problems]:
    """Everything the checks need, and every problem found (nothing is modified)."""
    from ..book.read import read_units

    problems = Problems()
    settings, core = parse_settings(book.grid(L.SETTINGS), problems)
    unit_list = read_units(book, Problems())  # the core's own checks report unit problems
    units = {u.code: u for u in unit_list}
    year = core.get("year")
    day = core.get("round_date")
    if year is None and day is None:
        problems.add("missing_year", L.SETTINGS, "B", None, "Năm hoặc Ngày xét",
                     "Trang Cài đặt chưa có Năm và Ngày xét: không biết áp dụng bộ quy định khen thưởng nào.")
    elif day is None:
        day = dt.date(year, 12, 31)
        problems.warn("missing_round_date", L.SETTINGS, "B", None, "Ngày xét",
                      f"Chưa có Ngày xét: dùng 31/12/{year} để chọn bộ quy định khen thưởng.")
    elif year is None:
        year = day.year
    people = read_people(book, set(units), problems)
    movements = read_movements(book, problems)
    cols = read_collectives(book, units, problems)
    proposals = read_proposals(book, people, set(units), movements, settings, problems)
    history = read_history(book, set(units), problems)
    if problems.has_errors or year is None or day is None:
        return None, settings, problems
    _ranks(book, cols)
    s = settings
    inp = RulesInput(
        year=int(year),
        round_date=day,
        block_name=_block_name(book),
        units=tuple(units),
        people=people,
        collectives=cols,
        proposals=tuple(proposals),
        history=tuple(history),
        movements=movements,
    )
    return inp, s, problems


def _block_name(book: Book) -> str:
    for row in (book.grid(L.SETTINGS) or [])[1:]:
        if row and T.fold(row[0]) == T.fold("Tên khối") and len(row) > 1 and row[1]:
            return str(row[1]).strip()
    return ""


def _ranks(book: Book, cols: dict[str, Collective]) -> None:
    """Fill each collective's place in the block ranking (core engine), if computable."""
    from dataclasses import replace

    from ..book.read import read_block
    from ..core.engine import compute

    try:
        block, probs = read_block(book)
    except Exception:  # noqa: BLE001 - the scoring sheets are validated by "validate"
        return
    if block is None:
        return
    table = compute(block).table
    for code, row in table.iterrows():
        if code in cols:
            tied = bool(row.get("unresolved", False)) and int(row["rank"]) == 1
            cols[code] = replace(cols[code], rank=int(row["rank"]), rank_tied=tied)


# ---------------------------------------------------------------------------------------
# output sheets

COMPLIANCE_HEADER = [
    "Phần", "Dòng đề nghị", "Đối tượng", "Mã", "Tên", "Đơn vị", "Danh hiệu, hình thức", "Phạm vi",
    "Mã quy định", "Kết luận", "Số liệu", "Căn cứ", "Cách khắc phục", "Tiền thưởng (đ)",
]


def compliance_sheet(report) -> OutputSheet:
    amounts = {o.proposal.row: o.amount for o in report.outcomes}
    rows = []
    for v in report.verdicts:
        rows.append([
            v.section, v.row, T.SUBJECT_LABELS.get(v.subject, v.subject), v.code, v.name, v.unit, v.title_name, v.scope,
            v.rule_id, v.verdict, v.numbers, v.citation, v.fix,
            amounts.get(v.row) if v.section == "Kết luận" else None,
        ])
    s = report.settings
    notes = [
        f"Bộ quy định: {report.rule_set.describe()}; chọn theo Ngày xét {report.input.round_date:%d/%m/%Y}"
        + ("" if s.rule_set == "auto" else " (chọn ở trang Cài đặt)") + ".",
        f"Mẫu tỷ lệ tùy chọn đang áp dụng: {', '.join(p.name for p in report.presets) or 'không'}.",
        f"Làm tròn số tối đa: {_rounding(s.cap_rounding)}; số tối thiểu và số phiếu: {_rounding(s.min_rounding)}.",
        report.summary(),
        "Căn cứ ghi [chưa xác minh]: giá trị là thiết lập có thể đổi ở trang Cài đặt; đối chiếu văn bản gốc trước khi dùng.",
    ]
    widths = {0: 10, 1: 8, 2: 9, 3: 9, 4: 24, 5: 10, 6: 24, 7: 18, 8: 10, 9: 11, 10: 60, 11: 45, 12: 45, 13: 14}
    return OutputSheet(COMPLIANCE, COMPLIANCE_HEADER, rows, widths=widths, formats={13: "#,##0"},
                       title=f"Kiểm tra tiêu chuẩn và tỷ lệ khen thưởng năm {report.input.year}", notes=notes)


def money_sheet(report) -> OutputSheet:
    from .money import in_words

    rows = []
    for m in report.money:
        rows.append([m.title_name, T.SUBJECT_LABELS[m.subject], m.count, None if m.multiple is None else float(m.multiple),
                     m.unit_amount, m.total, in_words(m.total) if m.total is not None else "chưa có hệ số: nhập ở trang Cài đặt"])
    rows.append(["Tổng cộng", "", sum(m.count for m in report.money), None, None, report.money_total, in_words(report.money_total)])
    src = report.rule_set.money
    notes = [
        f"Mức thưởng = hệ số × lương cơ sở {report.settings.base_salary:,} đ".replace(",", ".")
        + f" ({src.get('article', '')} {src.get('source', '')}); làm tròn lên {report.settings.money_rounding:,} đ.".replace(",", "."),
        "Bằng khen, Giấy khen: hệ số lấy ở trang Cài đặt (bộ quy định chưa có).",
    ]
    return OutputSheet(MONEY, ["Danh hiệu, hình thức", "Đối tượng", "Số lượng", "Hệ số", "Mức thưởng (đ)", "Thành tiền (đ)", "Bằng chữ"], rows,
                       widths={0: 32, 1: 10, 2: 10, 3: 8, 4: 15, 5: 16, 6: 60}, formats={3: "0.0#", 4: "#,##0", 5: "#,##0"},
                       title=f"Tiền thưởng theo danh hiệu năm {report.input.year}", notes=notes)


def _rounding(mode: str) -> str:
    from .quotas import ROUNDING_LABELS

    return ROUNDING_LABELS[mode]
