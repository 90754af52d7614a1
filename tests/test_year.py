"""The block's year (issue 13): ``xlpy new-year`` (decisions into the history, rotation, the plan
asked before writing, BOOK untouched), registration (check, deduction, report).

Real workbooks throughout: the samples are built, decided as an officer would type, rolled
over by the action and read back as the next year's round reads them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, edit_cells, set_settings
from xlpy import actions, load_round
from xlpy.core.problems import Problems
from xlpy.samples import build_sample
from xlpy.schema import core as C
from xlpy.schema import rules as R
from xlpy.schema import year as Y
from xlpy.year.rotation import Cells, Member, rotate

AWARDED, REFUSED = "Được khen", "Không được khen"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("year-samples")
    return {n: build_sample(n, d / f"{n}.xlsx") for n in ("so-nganh-100", "thang-1000", "ty-le-bac-thuong")}


def copy(built, name, folder: Path, stem: str | None = None) -> Path:
    p = folder / f"{stem or name}.xlsx"
    p.write_bytes(built[name].read_bytes())
    return p


def roll(book: Path, out: Path) -> actions.Result:
    r = actions.run("new-year", book, out=out, yes=True)
    assert r.ok, (r.message, [str(p) for p in r.problems])
    return r


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def history(path: Path):
    from xlpy.rules import inputs

    rnd, _ = load_round(path)
    return inputs.history(rnd.table(R.HISTORY_TABLE), set(), Problems())


def copy_block_scores(src: Path, dst: Path) -> None:
    """This year's block scores typed into next year's (same units, same criteria, same cells)."""
    from xlpy.book.io import FileBook

    grid = FileBook(src).grid(C.BLOCK)
    edits = {}
    for i, row in enumerate(grid[1:], start=2):
        for j, v in enumerate(row[2:], start=3):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                edits[(C.BLOCK, f"{openpyxl.utils.get_column_letter(j)}{i}")] = v
    edit_cells(dst, edits)


# ---------------------------------------------------------------------------------------
# 1. the 3-year chain across two rollovers, without any history import


def _chain(built, tmp_path, first_decision: str):
    """so-nganh-100 (2025): CN10 (Đinh Thị Hoa) is proposed CSTĐCS (row 35, đạt).  The officer
    records the decision, rolls over; in 2026 CN10 is CSTĐCS again (decided), roll over; in 2027
    CN10 is proposed CSTĐ cấp tỉnh, which needs CSTĐCS 3 years running (2025, 2026, 2027)."""
    y1 = copy(built, "so-nganh-100", tmp_path, "khoi-2025")
    edit_cells(y1, {(R.PROPOSALS, "J34"): "QĐ 20/QĐ-VNC", (R.PROPOSALS, "L34"): AWARDED,  # LĐTT
                    (R.PROPOSALS, "J35"): "QĐ 21/QĐ-VNC", (R.PROPOSALS, "L35"): first_decision})  # CSTĐCS
    y2 = tmp_path / "khoi-2026.xlsx"
    roll(y1, y2)
    # 2026: CN10 (row 11 of Cá nhân) HTXS again, CSTĐCS decided
    edit_cells(y2, {(R.PEOPLE, "E11"): "Hoàn thành xuất sắc nhiệm vụ",
                    (R.PROPOSALS, "A2"): "Cá nhân", (R.PROPOSALS, "B2"): "CN10", (R.PROPOSALS, "C2"): "Lao động tiên tiến",
                    (R.PROPOSALS, "L2"): AWARDED,
                    (R.PROPOSALS, "A3"): "Cá nhân", (R.PROPOSALS, "B3"): "CN10", (R.PROPOSALS, "C3"): "Chiến sĩ thi đua cơ sở",
                    (R.PROPOSALS, "H3"): 14, (R.PROPOSALS, "J3"): "QĐ 5/QĐ-VNC", (R.PROPOSALS, "L3"): AWARDED})
    y3 = tmp_path / "khoi-2027.xlsx"
    roll(y2, y3)
    # 2027: the round's date, the block's scores, CN10's facts and proposals
    wb = openpyxl.load_workbook(y3)
    set_settings(wb, {"round_date": dt.date(2027, 12, 15)})
    wb.save(y3)
    copy_block_scores(y1, y3)
    edit_cells(y3, {(R.PEOPLE, "E11"): "Hoàn thành xuất sắc nhiệm vụ", (R.PEOPLE, "G11"): "Tỉnh", (R.PEOPLE, "H11"): 2,
                    (R.PROPOSALS, "A2"): "Cá nhân", (R.PROPOSALS, "B2"): "CN10", (R.PROPOSALS, "C2"): "Lao động tiên tiến",
                    (R.PROPOSALS, "A3"): "Cá nhân", (R.PROPOSALS, "B3"): "CN10", (R.PROPOSALS, "C3"): "Chiến sĩ thi đua cơ sở",
                    (R.PROPOSALS, "H3"): 14,
                    (R.PROPOSALS, "A4"): "Cá nhân", (R.PROPOSALS, "B4"): "CN10", (R.PROPOSALS, "C4"): "Chiến sĩ thi đua cấp tỉnh",
                    (R.PROPOSALS, "H4"): 14})
    return y1, y2, y3


def _verdict(book: Path, row: int) -> dict:
    r = actions.run("check", book, write=False)
    assert r.ok, (r.message, [str(p) for p in r.problems.errors])
    return next(c for c in r.data["candidates"] if c["row"] == row)


def test_two_rollovers_keep_the_three_year_chain_for_cstd_cap_tinh(built, tmp_path):
    y1, y2, y3 = _chain(built, tmp_path, AWARDED)
    # the history carried year by year, no import: 2025 and 2026 CSTĐCS of CN10 are in year 3's sheet
    cstdcs = sorted(h.year for h in history(y3) if h.code == "CN10" and h.title == "CSTDCS")
    assert cstdcs == [2025, 2026]
    assert {h.decision for h in history(y3) if h.code == "CN10" and h.title == "CSTDCS"} == {"QĐ 21/QĐ-VNC", "QĐ 5/QĐ-VNC"}
    c = _verdict(y3, 4)
    assert (c["code"], c["title"], c["verdict"]) == ("CN10", "CSTD_TINH", "đạt"), c
    assert "2025" in c["numbers"] and "2027" in c["numbers"], c["numbers"]
    # the 2025 chain of CN01 (typed history 2023, 2024 + no 2025 decision recorded) was not invented
    assert not any(h.code == "CN01" and h.title == "CSTDCS" and h.year == 2025 for h in history(y3))


def test_a_refused_proposal_breaks_the_chain(built, tmp_path):
    """The same years with the 2025 CSTĐCS decided “Không được khen”: the history holds decisions,
    not proposals, so year 3 sees 2026 and 2027 only and CSTĐ cấp tỉnh is refused."""
    y1, y2, y3 = _chain(built, tmp_path, REFUSED)
    assert sorted(h.year for h in history(y3) if h.code == "CN10" and h.title == "CSTDCS") == [2026]
    c = _verdict(y3, 4)
    assert (c["title"], c["verdict"]) == ("CSTD_TINH", "không đạt") and "R-03" in c["rules"], c


# ---------------------------------------------------------------------------------------
# 2. the new workbook, BOOK untouched, the plan


def test_new_workbook_opens_cleanly_and_book_is_byte_identical(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path, "khoi-2025")
    edit_cells(book, {(R.PROPOSALS, "L2"): AWARDED, (R.PROPOSALS, "J2"): "QĐ 1/QĐ-UBND", (R.PROPOSALS, "K2"): dt.date(2026, 1, 20),
                      (R.PROPOSALS, "L12"): AWARDED, (R.PROPOSALS, "L13"): REFUSED})
    before = sha(book)
    plan = actions.run("new-year", book)  # no --out: beside it, the year moved on
    assert plan.ok and plan.data["written"] is False and not plan.files
    target = tmp_path / "khoi-2026.xlsx"
    assert plan.data["target"] == str(target) and not target.exists()
    assert sha(book) == before
    r = actions.run("new-year", book, yes=True)
    assert r.ok and r.files == [target] and r.data["written"] is True
    assert sha(book) == before  # BOOK never modified
    rnd, problems = load_round(target)
    rnd.rules
    rnd.registrations
    assert [p.code for p in problems.errors] == ["no_scores"], [str(p) for p in problems.errors]
    # expected: the score sheets are empty and the round's date is next year's to set
    assert {p.code for p in problems.warnings} <= {"empty_score_sheet", "missing_round_date"}, [str(p) for p in problems.warnings]
    v = rnd.settings
    assert v.get("year") == 2026 and v.get("round_date") is None
    assert v.get("block_name") == "Khối thi đua các cơ quan Tham mưu – Tổng hợp"
    assert v.get("tie_break") == ("07", "TY_LE_NU", "PHIEU_BAU") and v.get("bonus_cap") == 15 and v.get("max_total") == 100
    assert v.get("council_members") == 15 and v.get("rotation") == Y.DEPUTY
    assert not v.is_set("mail_sender_email")  # the leader changed: the old leader's address is not kept
    assert v.get("mail_office_email") == "bantdkt@example.gov.vn"
    # same units and criteria; roles rotated; this year's votes gone
    old, _ = load_round(book)
    assert [(u.code, u.name) for u in rnd.units_list] == [(u.code, u.name) for u in old.units_list]
    assert [(c.code, c.kind, c.max_points, c.per_event) for c in rnd.criteria_list] == \
           [(c.code, c.kind, c.max_points, c.per_event) for c in old.criteria_list]
    roles = {u.code: u.role for u in rnd.units_list}
    assert roles["LMHTX"] == "Khối trưởng" and roles["VPUB"] == "Khối phó" and roles["SKHCN"] == "Thành viên"
    # scores, proposals, movements, registration empty; the roster kept without this year's grades
    inp, _ = rnd.rules
    assert not inp.proposals and not inp.movements and not rnd.registrations.entries
    assert all(e.empty for e in rnd.entries.values())
    assert [p.code for p in inp.people.values()] == [f"CN{i:02d}" for i in range(1, 11)]
    assert all(p.grade is None and p.initiatives == 0 for p in inp.people.values())
    assert inp.people["CN05"].discipline is not None and inp.people["CN09"].under_review
    # history: the decided proposals (not the refused, not the undecided) and the year's grades
    new = [h for h in inp.history if h.year == 2025]
    awards = sorted((h.code, h.title, h.decision) for h in new if h.kind != "xep_loai")
    assert awards == [("SKHCN", "CO_TINH", ""), ("SKHCN", "TTLDXS", "QĐ 1/QĐ-UBND")]
    assert next(h for h in new if h.title == "TTLDXS").decision_date == dt.date(2026, 1, 20)
    grades = {(h.subject, h.code): h.title for h in new if h.kind == "xep_loai"}
    assert grades[("CN", "CN01")] == "HTXS" and grades[("TT", "SDTTG")] == "HT" and len(grades) == 20
    assert len(inp.history) == 9 + 2 + 20
    # the input sheets are xlpy's own: macro-free, tables, the proposals sheet has the decision column
    header = sheet_rows(target, R.PROPOSALS)[0]
    assert header[9:12] == ("Số quyết định", "Ngày quyết định", "Quyết định")


def test_plan_is_said_before_anything_is_written(built, tmp_path):
    book = copy(built, "thang-1000", tmp_path)
    r = actions.run("new-year", book, out=tmp_path / "cum-2025.xlsx")
    assert r.ok and not (tmp_path / "cum-2025.xlsx").exists()
    rows = {row[0]: row for row in r.table.rows}
    assert rows["Khối trưởng"][1:] == ["PTH – Ủy ban nhân dân thành phố Phan Thiết", "LGI – Ủy ban nhân dân thị xã La Gi"]
    assert rows["Khối phó"][2] == "TPH – Ủy ban nhân dân huyện Tuy Phong"
    assert "23 đề nghị" not in rows["Đề nghị khen thưởng"][1] and "22 đề nghị" in rows["Đề nghị khen thưởng"][1]
    assert "Ngày xét (20/12/2024)" in rows["Cài đặt"][2]
    assert r.data["history_existing"] == 5 and r.data["history_added"] == 12  # 7 people + 5 collectives graded, nothing decided
    assert [p.code for p in r.problems if p.code == "undecided_proposal"] == ["undecided_proposal"]
    q = actions.hook(actions.get("new-year").confirm)(r)
    assert q is not None and q[1] == {"yes": True, "out": str(tmp_path / "cum-2025.xlsx")} and "Tạo sổ năm 2025?" in q[0] and "La Gi" in q[0]


def test_refuses_an_existing_target_or_the_book_itself(built, tmp_path):
    book = copy(built, "ty-le-bac-thuong", tmp_path)
    before = sha(book)
    r = actions.run("new-year", book, out=book, yes=True)
    assert not r.ok and "trùng" in r.message
    other = tmp_path / "da-co.xlsx"
    other.write_bytes(b"x")
    r = actions.run("new-year", book, out=other, yes=True)
    assert not r.ok and "đã có" in r.message and other.read_bytes() == b"x"
    assert sha(book) == before


def test_carried_sheets_with_errors_refuse_and_score_sheets_do_not_matter(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    edit_cells(book, {(C.BLOCK, "C2"): "tám", (R.PROPOSALS, "L5"): "Đã khen"})  # a bad score (not carried), a bad decision
    before = sha(book)
    r = actions.run("new-year", book, yes=True)
    assert not r.ok
    found = {(p.code, p.sheet, p.cell) for p in r.problems.errors}
    assert ("bad_choice", R.PROPOSALS, "L5") in found
    assert not any(p.sheet == C.BLOCK for p in r.problems)
    assert sha(book) == before and not (tmp_path / "so-nganh-100-2026.xlsx").exists()
    edit_cells(book, {(R.PROPOSALS, "L5"): AWARDED})
    assert actions.run("new-year", book, yes=True).ok  # the score sheet's error is this year's, not carried


def test_columns_outside_the_template_are_named_not_silently_lost(built, tmp_path):
    book = copy(built, "thang-1000", tmp_path)
    edit_cells(book, {(C.UNITS, "H1"): "Điện thoại", (C.UNITS, "H2"): "0252 3821 000"})
    r = actions.run("new-year", book)
    assert "Đơn vị: Điện thoại" in r.data["dropped"]
    assert any(p.code == "dropped_column" and "Điện thoại" in p.message for p in r.problems)


# ---------------------------------------------------------------------------------------
# 3. rotation, each rule


MEMBERS = [Member("A", "Đơn vị A", "Khối trưởng", "C2"), Member("B", "Đơn vị B", "Khối phó", "C3"),
           Member("C", "Đơn vị C", "Thành viên", "C4"), Member("D", "Đơn vị D", "", "C5"), Member("E", "Đơn vị E", "Thành viên", "C6")]
CELLS = Cells("B70", "B71", "B72", "B73")


def test_rotation_deputy_becomes_leader_and_the_next_in_order_deputy():
    r = rotate(Y.DEPUTY, MEMBERS, ["A", "B", "C", "D", "E"], cells=CELLS)
    assert (r.next_leader, r.next_deputy) == ("B", "C")
    # the declared order, not the rows: E follows B here
    r = rotate(Y.DEPUTY, MEMBERS, ["B", "E", "A", "C", "D"], cells=CELLS)
    assert (r.next_leader, r.next_deputy) == ("B", "E")
    # wraps around
    ms = [Member("A", "A", "Thành viên"), Member("B", "B", "Khối trưởng"), Member("E", "E", "Khối phó")]
    r = rotate(Y.DEPUTY, ms, ["A", "B", "E"])
    assert (r.next_leader, r.next_deputy) == ("E", "A")
    assert [r.role(m.code, m.role) for m in ms] == ["Khối phó", "Thành viên", "Khối trưởng"]


def test_rotation_fixed_order():
    r = rotate(Y.ORDER, MEMBERS, ["A", "B", "C", "D", "E"], cells=CELLS)
    assert (r.next_leader, r.next_deputy) == ("B", "C")
    ms = [Member(m.code, m.name, "Khối trưởng" if m.code == "E" else "") for m in MEMBERS]
    r = rotate(Y.ORDER, ms, ["A", "B", "C", "D", "E"])
    assert (r.next_leader, r.next_deputy) == ("A", "B")  # E is last: the order starts again
    r = rotate(Y.ORDER, [Member("A", "A", "Khối trưởng"), Member("B", "B")], ["A", "B"])
    assert (r.next_leader, r.next_deputy) == ("B", "A")


def test_rotation_elected():
    r = rotate(Y.ELECTED, MEMBERS, (), ("D", "Đơn vị E"), cells=CELLS)  # a code, or the unit's name
    assert (r.next_leader, r.next_deputy) == ("D", "E") and r.leader == "A" and r.deputy == "B"
    p = Problems()
    assert rotate(Y.ELECTED, MEMBERS, (), (None, "E"), p, CELLS) is None
    assert [(x.code, x.cell) for x in p.errors] == [("rotation_elected", "B72")]
    p = Problems()
    assert rotate(Y.ELECTED, MEMBERS, (), ("X", "E"), p, CELLS) is None and "“X”" in p.errors[0].message
    p = Problems()
    assert rotate(Y.ELECTED, MEMBERS, (), ("C", "C"), p, CELLS) is None and p.errors[0].cell == "B73"
    p = Problems()
    r = rotate(Y.ELECTED, MEMBERS, (), ("C", None), p, CELLS)
    assert r.next_deputy is None and [x.code for x in p.warnings] == ["rotation_elected"]


def test_rotation_problems_name_the_cell_and_never_fall_back_to_row_order():
    p = Problems()
    assert rotate(Y.DEPUTY, MEMBERS, (), problems=p, cells=CELLS) is None
    assert p.errors[0].code == "rotation_order" and p.errors[0].cell == "B71" and "không lấy thứ tự các dòng" in p.errors[0].message
    p = Problems()
    assert rotate(Y.ORDER, MEMBERS, ["A", "B", "Z", "B"], problems=p, cells=CELLS) is None
    assert sorted(x.found for x in p.errors) == ["B", "Z"]
    p = Problems()
    two = [Member("A", "A", "Khối trưởng", "C2"), Member("B", "B", "Khối trưởng", "C3")]
    assert rotate(Y.ORDER, two, ["A", "B"], problems=p) is None and p.errors[0].code == "rotation_role"
    p = Problems()
    assert rotate(Y.DEPUTY, [Member("A", "A", "Khối trưởng")], ["A"], problems=p) is None and p.errors[0].code == "rotation_role"
    p = Problems()
    r = rotate(Y.ORDER, MEMBERS, ["A", "B", "C"], ("C", None), p, CELLS)
    assert r.next_leader == "B"
    assert sorted(x.code for x in p.warnings) == ["rotation_order", "setting_ignored"]  # D, E never lead; C ignored


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 8), st.data())
def test_rotation_property_cycles_through_the_order_and_ignores_row_order(n, data):
    codes = [f"U{i}" for i in range(n)]
    order = data.draw(st.permutations(codes))
    leader_i = data.draw(st.integers(0, n - 1))
    rule = data.draw(st.sampled_from([Y.DEPUTY, Y.ORDER]))
    leader = order[leader_i]
    deputy = order[(leader_i + 1) % n]
    members = [Member(c, c, "Khối trưởng" if c == leader else "Khối phó" if c == deputy else "Thành viên") for c in codes]
    r = rotate(rule, members, order)
    shuffled = data.draw(st.permutations(members))
    assert rotate(rule, shuffled, order) == r  # the rows' order changes nothing
    assert r.next_leader != r.next_deputy
    assert r.next_leader == deputy  # both rules agree when the deputy follows the leader in the order
    # n rollovers bring the leadership back
    seen = [r.next_leader]
    for _ in range(n - 1):
        members = [Member(m.code, m.name, r.role(m.code, m.role)) for m in members]
        r = rotate(rule, members, order)
        seen.append(r.next_leader)
    assert sorted(seen) == sorted(codes) and seen[-1] == leader


@pytest.mark.parametrize("name, leader, deputy", [("so-nganh-100", "LMHTX", "VPUB"), ("thang-1000", "LGI", "TPH"),
                                                  ("ty-le-bac-thuong", "P02", "P06")])
def test_each_sample_rotates_by_its_rule_into_the_new_workbook(built, tmp_path, name, leader, deputy):
    book = copy(built, name, tmp_path)
    r = roll(book, tmp_path / "next.xlsx")
    assert (r.data["next_leader"], r.data["next_deputy"]) == (leader, deputy)
    rnd, _ = load_round(tmp_path / "next.xlsx")
    roles = {u.code: u.role for u in rnd.units_list}
    assert [c for c, role in roles.items() if role == "Khối trưởng"] == [leader]
    assert [c for c, role in roles.items() if role == "Khối phó"] == [deputy]
    assert not rnd.settings.is_set("next_leader") and not rnd.settings.is_set("next_deputy")


# ---------------------------------------------------------------------------------------
# 4. registration


def test_check_reports_a_proposal_without_registration_when_the_setting_says_so(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    r = actions.run("check", book, write=False)
    warned = [p for p in r.problems if p.code == "not_registered"]
    # CN10 registered Lao động tiên tiến only and is proposed CSTĐCS (row 35); CN01 registered CSTĐ cấp tỉnh, which
    # covers its LĐTT and CSTĐCS proposals; Bằng khen and Giấy khen are not in the default list
    assert [(p.sheet, p.cell) for p in warned] == [(R.PROPOSALS, "C35")]
    assert "Đinh Thị Hoa (CN10)" in warned[0].message and "chỉ đăng ký Lao động tiên tiến" in warned[0].message
    assert not warned[0].is_error and r.ok
    c = next(c for c in r.data["candidates"] if c["row"] == 35)
    assert c["verdict"] == "đạt"  # a warning, never a verdict


def test_check_does_not_report_it_when_the_setting_says_not(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_check": "Không"})
    wb.save(book)
    r = actions.run("check", book, write=False)
    assert r.ok and not [p for p in r.problems if p.code == "not_registered"]
    # per title: CSTĐCS left out of the list, CN10 is not reported either; a title only listed is
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_check": "Có", "registration_titles": "Lao động tiên tiến; Giấy khen"})
    wb.save(book)
    r = actions.run("check", book, write=False)
    assert [p.cell for p in r.problems if p.code == "not_registered"] == ["C31"]  # CN08's Giấy khen, not registered


def test_registration_sheet_errors_are_reported_with_cells(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    sheet = Y.REGISTRATION
    edit_cells(book, {(sheet, "B3"): "XYZ", (sheet, "D4"): "Tập thể lao động xuất sắc; Huy chương vàng",
                      (sheet, "B13"): "CN99", (sheet, "B5"): "SKHCN", (sheet, "D12"): "Cờ thi đua cấp tỉnh",
                      (sheet, "F6"): "có lẽ"})
    before = sha(book)
    r = actions.run("check", book)
    assert not r.ok and sha(book) == before
    found = {(p.code, p.cell) for p in r.problems.errors if p.sheet == sheet}
    assert found == {("unknown_unit", "B3"), ("unknown_title", "D4"), ("unknown_person", "B13"), ("duplicate_code", "B5"),
                     ("title_subject", "D12"), ("not_yes_no", "F6")}
    assert actions.run("validate", book).problems.errors  # validate sees them too


def test_an_empty_registration_sheet_is_one_warning(built, tmp_path):
    book = copy(built, "thang-1000", tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb[Y.REGISTRATION]
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.value = None
    wb.save(book)
    r = actions.run("check", book, write=False)
    assert r.ok
    assert [p.code for p in r.problems if p.code in ("not_registered", "registration_empty")] == ["registration_empty"]


# the deduction for not registering, filled by the round

D1 = "M"  # column of D1 in the so-nganh-100 score sheets (Mã, Tên, 01..08, T1, T2, D1, D2)


def _clear_d1(book: Path) -> None:
    edit_cells(book, {(s, f"{D1}{i}"): None for s in (C.SELF, C.BLOCK, C.OFFICE) for i in range(2, 12)})


def _totals(book: Path) -> dict:
    rnd, problems = load_round(book)
    assert rnd.result is not None, [str(p) for p in problems.errors]
    return {u.code: u.total for u in rnd.result.units}, problems


def test_deduction_for_not_signing_is_filled_from_the_registration_sheet(built, tmp_path):
    assert sheet_rows(built["so-nganh-100"], C.BLOCK)[0][12] == "D1"
    typed, _ = _totals(built["so-nganh-100"])  # the Ban TĐKT typed −8 for SDTTG (no giao ước)
    book = copy(built, "so-nganh-100", tmp_path)
    _clear_d1(book)
    blank, problems = _totals(book)
    assert blank["SDTTG"] == typed["SDTTG"] + 8 and any(p.code == "unscored_items" for p in problems)
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_deduction": "D1", "registration_deduction_when": "Không ký giao ước"})
    wb.save(book)
    filled, problems = _totals(book)
    assert filled == typed  # SDTTG did not sign: 8 points off, everyone else 0, as the officer had typed
    w = [p for p in problems if p.code == "registration_deduction_filled"]
    assert len(w) == 1 and w[0].sheet == C.BLOCK and w[0].cell == f"{D1}2"
    assert "trừ 8 điểm: SDTTG" in w[0].message and f"{D1}11" in w[0].message and "không ký giao ước" in w[0].message
    assert not any(p.code == "unscored_items" for p in problems)
    # registered (all units did): nobody loses points under “Không đăng ký thi đua”
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_deduction_when": "Không đăng ký thi đua"})
    wb.save(book)
    assert _totals(book)[0] == blank
    # a number typed in the cell wins over the registration sheet
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_deduction_when": "Không ký giao ước"})
    wb.save(book)
    edit_cells(book, {(C.OFFICE, f"{D1}10"): 3})
    assert _totals(book)[0]["SDTTG"] == typed["SDTTG"] + 5


def test_deduction_setting_errors(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    _clear_d1(book)
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_deduction": "07"})  # a Điểm criterion
    wb.save(book)
    rnd, problems = load_round(book)
    assert rnd.result is None and [p.code for p in problems.errors] == ["registration_deduction_criterion"]
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"registration_deduction": "D1"})
    for row in wb[Y.REGISTRATION].iter_rows(min_row=2):
        for c in row:
            c.value = None
    wb.save(book)
    rnd, problems = load_round(book)
    assert rnd.result is None and [p.code for p in problems.errors] == ["registration_empty"]


# the report's first section


def test_block_report_lists_who_registered_and_who_signed(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    r = actions.run("report", book, format="html,docx", out=tmp_path / "bc")
    assert r.ok, r.message
    html = (tmp_path / "bc" / "bao-cao-khoi.html").read_text(encoding="utf-8")
    i = html.index("I. ĐẶC ĐIỂM TÌNH HÌNH")
    section = html[i:html.index("II. KẾT QUẢ")]
    assert "10/10 đơn vị đăng ký thi đua; 9/10 đơn vị ký kết giao ước thi đua ngày 22 tháng 01 năm 2025 " \
           "(chưa ký: Sở Dân tộc và Tôn giáo)." in section
    assert "10 cá nhân đăng ký danh hiệu thi đua" in section
    assert section.count("<tr><td class=\"c\">") == 10 and "Chưa ký" in section and "Tập thể lao động xuất sắc; Cờ thi đua của Chính phủ" in section
    from docx import Document

    text = "\n".join(p.text for p in Document(tmp_path / "bc" / "bao-cao-khoi.docx").paragraphs)
    assert "9/10 đơn vị ký kết giao ước thi đua" in text
    cells = [c.text for t in Document(tmp_path / "bc" / "bao-cao-khoi.docx").tables for row in t.rows for c in row.cells]
    assert "Sở Dân tộc và Tôn giáo" in cells and "Chưa ký" in cells


def test_block_report_without_registration_has_no_such_section(built, tmp_path):
    book = copy(built, "ty-le-bac-thuong", tmp_path)
    wb = openpyxl.load_workbook(book)
    del wb[Y.REGISTRATION]
    wb.save(book)
    r = actions.run("report", book, format="html", out=tmp_path / "bc")
    assert r.ok
    section = (tmp_path / "bc" / "bao-cao-khoi.html").read_text(encoding="utf-8").split("II. KẾT QUẢ")[0]
    assert "I. ĐẶC ĐIỂM TÌNH HÌNH" in section
    assert "đơn vị đăng ký thi đua" not in section and "Ký giao ước" not in section


# ---------------------------------------------------------------------------------------
# 5. the doors: CLI asks (or refuses), the ribbon asks through the confirm hook


def _cli(args, tmp_path, stdin=subprocess.DEVNULL):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    return subprocess.run([sys.executable, "-P", "-m", "xlpy.cli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, stdin=stdin, encoding="utf-8")


def test_cli_without_a_terminal_prints_the_plan_and_refuses(built, tmp_path):
    book = copy(built, "so-nganh-100", tmp_path)
    p = _cli(["new-year", str(book), "--out", "nam-sau.xlsx"], tmp_path)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "Sang năm 2026: kế hoạch" in p.stdout and "LMHTX – Liên minh Hợp tác xã tỉnh" in p.stdout
    assert "--yes" in p.stdout and not (tmp_path / "nam-sau.xlsx").exists()
    p = _cli(["new-year", str(book), "--out", "nam-sau.xlsx", "--json"], tmp_path)
    d = json.loads(p.stdout)
    assert p.returncode == 1 and d["ok"] is False and d["data"]["next_leader"] == "LMHTX" and not (tmp_path / "nam-sau.xlsx").exists()
    p = _cli(["new-year", str(book), "--out", "nam-sau.xlsx", "--yes"], tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Đã tạo sổ năm 2026" in p.stdout and (tmp_path / "nam-sau.xlsx").exists()


class _Keyboard(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("answer, written", [("c\n", True), ("\n", False), ("không\n", False)])
def test_cli_on_a_terminal_asks_before_writing(built, tmp_path, monkeypatch, capsys, answer, written):
    from xlpy import cli

    book = copy(built, "thang-1000", tmp_path)
    before = sha(book)
    monkeypatch.setattr(sys, "stdin", _Keyboard(answer))
    code = cli.main(["new-year", str(book), "--out", str(tmp_path / "cum-2025.xlsx")])
    out = capsys.readouterr().out
    assert "Sang năm 2025: kế hoạch" in out and "Tạo sổ năm 2025?" in out
    assert (tmp_path / "cum-2025.xlsx").exists() is written and code == (0 if written else 1)
    assert ("Đã tạo sổ năm 2025" in out) is written and ("Đã hủy" in out) is not written
    assert sha(book) == before


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_ribbon_shows_the_plan_and_asks(built, tmp_path, monkeypatch, answer):
    from xlpy.excel import ribbon

    book = copy(built, "ty-le-bac-thuong", tmp_path)
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(ribbon.ENV_BOOK, str(book))
    monkeypatch.setenv(ribbon.ENV_LOG, str(log))
    monkeypatch.setenv(ribbon.ENV_CONFIRM, answer)
    before = sha(book)
    r = ribbon.dispatch("new-year")
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    asked = [e for e in events if e["event"] == "ask_yes_no"]
    assert len(asked) == 1 and "Tạo sổ năm 2026?" in asked[0]["text"] and "P02 – Phường Cái Khế" in asked[0]["text"]
    # the save dialog comes only once the plan is accepted, pre-filled with the plan's file: next year in the name
    target = tmp_path / "ty-le-bac-thuong-2026.xlsx"
    assert [e["suggestion"] for e in events if e["event"] == "ask_path"] == ([str(target)] if answer == "yes" else [])
    assert target.exists() is (answer == "yes") and r.ok
    # the new workbook opens in Excel; the block's own workbook is never opened again
    assert [e["path"] for e in events if e["event"] == "open_workbook"] == ([str(target)] if answer == "yes" else [])
    assert not [e for e in events if e["event"] == "message" and e["error"]]
    assert sha(book) == before


def test_ribbon_new_year_cancelled_at_the_save_dialog_writes_nothing(built, tmp_path, monkeypatch):
    from xlpy.excel import ribbon

    book = copy(built, "ty-le-bac-thuong", tmp_path)
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(ribbon.ENV_BOOK, str(book))
    monkeypatch.setenv(ribbon.ENV_LOG, str(log))
    monkeypatch.setenv(ribbon.ENV_CONFIRM, "yes")
    dialogs: list[str] = []
    monkeypatch.setattr(ribbon.RecordingUI, "ask_path", lambda self, suggestion, folder=False: dialogs.append(str(suggestion)))  # Cancel
    before = sha(book)
    ribbon.dispatch("new-year")
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    # the plan was shown and accepted first; then the dialog, pre-filled with next year's file, was cancelled
    assert [e["event"] for e in events if e["event"] == "ask_yes_no"] == ["ask_yes_no"]
    assert dialogs == [str(tmp_path / "ty-le-bac-thuong-2026.xlsx")]
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == [book.name]
    assert not [e for e in events if e["event"] in ("open_workbook",) or (e["event"] == "message" and e["error"])]
    assert sha(book) == before


def test_new_year_is_declared_with_its_settings_and_sheet():
    from xlpy.features import input_sheets, settings

    a = actions.get("new-year")
    assert a.ribbon and a.confirm and not a.writes and [p.name for p in a.params] == ["book", "out", "yes"]
    assert Y.REGISTRATION in input_sheets()
    attrs = {s.attr for s in settings()}
    assert {"rotation", "rotation_order", "next_leader", "next_deputy", "registration_check", "registration_titles",
            "registration_deduction", "registration_deduction_when"} <= attrs
    guide = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    assert "## 13. Sang năm mới" in guide and "## 12. Đăng ký thi đua, ký kết giao ước" in guide
