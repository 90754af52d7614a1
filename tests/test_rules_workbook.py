"""``xlpy check`` and ``xlpy history import`` on workbooks: the three samples
against their hand-checked expectations (samples/expected/*.check.json), bad
input reported with sheet and cell, nothing modified."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlpy import actions
from xlpy.schema import rules as S
from conftest import set_settings
from xlpy.samples import SAMPLES, build_sample

EXPECTED = Path(__file__).resolve().parent.parent / "samples" / "expected"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("samples")
    return {name: build_sample(name, d / f"{name}.xlsx") for name in SAMPLES}


def history_of(path: Path) -> list:
    """The history records of a workbook, read as the checks read them."""
    from xlpy import load_round
    from xlpy.core.problems import Problems
    from xlpy.rules import inputs

    rnd, _ = load_round(path)
    return inputs.history(rnd.table(S.HISTORY_TABLE), set(), Problems())


def _copy(built, name, tmp_path) -> Path:
    p = tmp_path / f"{name}.xlsx"
    shutil.copy(built[name], p)
    return p


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_matches_hand_checked_expectations(name, built, tmp_path):
    exp = json.loads((EXPECTED / f"{name}.check.json").read_text(encoding="utf-8"))
    book = _copy(built, name, tmp_path)
    r = actions.run("check", book)
    assert r.ok, [str(p) for p in r.problems]
    d = r.data
    assert d["rule_set"]["id"] == exp["rule_set"] and d["round_date"] == exp["round_date"]
    assert d["presets"] == exp["presets"]
    got = {str(c["row"]): c for c in d["candidates"]}
    assert set(got) == set(exp["candidates"])
    for row, e in exp["candidates"].items():
        c = got[row]
        assert (c["code"], c["title"], c["verdict"]) == (e["code"], e["title"], e["verdict"]), row
        if "rule" in e:
            assert e["rule"] in c["rules"], row
        assert c["citation"], row  # every verdict names its legal source
    quotas = d["quotas"]
    for e in exp["quotas"]:
        hits = [q for q in quotas if q["rule"] == e["rule"] and ("scope" not in e or q["scope"] == e["scope"])]
        assert len(hits) == 1, e
        q = hits[0]
        assert (q["verdict"], q["cap"], q["used"]) == (e["verdict"], e["cap"], e["used"]), e
        if "over" in e:
            assert q["over"] == e["over"], e
    assert len(quotas) == len(exp["quotas"])
    assert d["money"]["total"] == exp["money_total"]
    # every verdict row names its rule and its legal source
    assert all(v["rule_id"] and v["citation"] for v in d["verdicts"])


def test_check_writes_compliance_and_money_sheets(built, tmp_path):
    book = _copy(built, "so-nganh-100", tmp_path)
    actions.run("check", book)
    wb = openpyxl.load_workbook(book, read_only=True)
    ws = wb[S.COMPLIANCE]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:3] == ("Phần", "Dòng đề nghị", "Đối tượng")
    q = [r for r in rows[3:] if r and r[8] == "Q-01a"][0]
    assert q[9] == "vượt tỷ lệ" and "tối đa 3 = làm tròn xuống 10% × 37 (3,7)" in q[10]
    money = list(wb[S.MONEY].iter_rows(values_only=True))
    total = [r for r in money if r and r[0] == "Tổng cộng"][0]
    assert total[5] == 80_496_000 and total[6] == "Tám mươi triệu bốn trăm chín mươi sáu nghìn đồng"
    # inputs untouched
    assert wb[S.PROPOSALS].cell(row=2, column=2).value == "SKHCN"
    wb.close()


def test_switching_round_date_across_1_july_2025_switches_rule_set(built, tmp_path):
    book = _copy(built, "so-nganh-100", tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["Cài đặt"]
    for i in range(2, ws.max_row + 1):
        if ws.cell(row=i, column=1).value == "Ngày xét":
            ws.cell(row=i, column=2, value=dt.date(2025, 6, 30))
    wb.save(book)
    r = actions.run("check", book, write=False)
    assert r.data["rule_set"]["id"] == "ND98-2023"
    r16 = [v for v in r.data["verdicts"] if v["rule_id"] == "R-16"]
    assert r16 and all("98/2023" in v["citation"] for v in r16)


def _break(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    p = wb[S.PROPOSALS]
    p["C2"] = "Huân chương Mặt Trời"  # unknown title
    p["B3"] = "XYZ"  # unknown unit
    people = wb[S.PEOPLE]
    people["K2"] = "31/02/2025"  # unparseable date (Kỷ luật đến ngày)
    h = wb[S.HISTORY]
    h["C2"] = "ABC"  # history row for a unit that does not exist (Tập thể row)
    h["B2"] = "Tập thể"
    set_settings(wb, {"bk_movement_tt_pct": 150, "vote_pct_high": 70})  # > 100 %, and 70 % < 80 %
    wb.save(book)


def test_bad_input_reported_together_with_sheet_and_cell_and_nothing_modified(built, tmp_path):
    book = _copy(built, "so-nganh-100", tmp_path)
    _break(book)
    before = book.read_bytes()
    r = actions.run("check", book)
    assert not r.ok
    found = {(p.code, p.sheet, p.cell) for p in r.problems.errors}
    assert ("unknown_title", S.PROPOSALS, "C2") in found
    assert ("unknown_unit", S.PROPOSALS, "B3") in found
    assert ("bad_date", S.PEOPLE, "K2") in found
    assert ("unknown_unit", S.HISTORY, "C2") in found
    assert any(c == "above_max" and s == "Cài đặt" for c, s, _ in found)
    assert any(c == "contradictory_setting" and s == "Cài đặt" for c, s, _ in found)
    assert book.read_bytes() == before  # nothing modified
    assert all(p.message for p in r.problems)


def test_history_import_from_last_years_workbook(built, tmp_path):
    # last year's book: the same block, year 2024, with decided proposals
    old = _copy(built, "so-nganh-100", tmp_path)
    old = old.rename(tmp_path / "nam-2024.xlsx")
    wb = openpyxl.load_workbook(old)
    ws = wb["Cài đặt"]
    for i in range(2, ws.max_row + 1):
        if ws.cell(row=i, column=1).value == "Năm":
            ws.cell(row=i, column=2, value=2024)
        if ws.cell(row=i, column=1).value == "Ngày xét":
            ws.cell(row=i, column=2, value=dt.date(2024, 12, 16))
    p = wb[S.PROPOSALS]
    assert p["L1"].value == "Quyết định" and p["J1"].value == "Số quyết định"
    p["J19"], p["L19"] = "QĐ 150/QĐ-SKHCN", "Được khen"  # row 19: CN01 CSTĐCS decided (already in the target's history for 2024)
    p["J35"], p["L35"] = "QĐ 151/QĐ-VNC", "Được khen"  # row 35: CN10 CSTĐCS decided (new)
    p["J2"], p["L2"] = "QĐ 3001/QĐ-UBND", "Được khen"  # row 2: SKHCN TTLĐXS decided
    p["J22"], p["L22"] = "QĐ 152/QĐ-SNV", "Không được khen"  # row 22: CN02 CSTĐCS refused: not history
    p["J25"] = "QĐ 153/QĐ-STC"  # row 25: CN03 CSTĐCS with a number but no decision recorded: not history, said
    wb.save(old)
    new = _copy(built, "so-nganh-100", tmp_path)
    before = len(history_of(new))
    r = actions.run("history import", new, sources=[old])
    assert r.ok, [str(x) for x in r.problems]
    rows = r.data["rows"]
    assert {"year": 2024, "subject": "CN", "code": "CN10", "title": "CSTDCS", "kind": "cong_trang", "decision": "QĐ 151/QĐ-VNC"} in rows
    assert not any(x["code"] == "CN01" and x["title"] == "CSTDCS" for x in rows)  # no duplicate of an existing row
    assert any(x["code"] == "SKHCN" and x["title"] == "TTLDXS" for x in rows)
    assert any(x["code"] == "CN10" and x["title"] == "HTXS" and x["kind"] == "xep_loai" for x in rows)
    assert not any(x["code"] == "CN06" and x["title"] == "HTXS" for x in rows)  # already there for 2024
    assert not any(x["code"] in ("CN02", "CN03") and x["title"] == "CSTDCS" for x in rows)  # refused; undecided
    undecided = [p for p in r.problems if p.code == "undecided_proposal"]
    assert len(undecided) == 1 and "L25" in undecided[0].message and "QĐ" not in undecided[0].message
    assert undecided[0].sheet == "nam-2024.xlsx: " + S.PROPOSALS
    assert r.data["added"] == len(rows)
    after = history_of(new)
    assert len(after) == before + r.data["added"]
    # importing again adds nothing
    r2 = actions.run("history import", new, sources=[old])
    assert r2.data["added"] == 0


def test_history_import_from_a_workbook_without_the_decision_column_uses_the_decision_number(built, tmp_path):
    """A workbook made before the column “Quyết định” existed: a decision number is the decision (said once)."""
    old = _copy(built, "so-nganh-100", tmp_path).rename(tmp_path / "nam-2024-cu.xlsx")
    wb = openpyxl.load_workbook(old)
    ws = wb["Cài đặt"]
    for i in range(2, ws.max_row + 1):
        if ws.cell(row=i, column=1).value == "Năm":
            ws.cell(row=i, column=2, value=2024)
    p = wb[S.PROPOSALS]
    for t in list(p.tables):
        del p.tables[t]
    p.delete_cols(12)  # the column Quyết định
    p["J35"] = "QĐ 151/QĐ-VNC"
    wb.save(old)
    new = _copy(built, "so-nganh-100", tmp_path)
    r = actions.run("history import", new, sources=[old], dry_run=True)
    assert r.ok, [str(x) for x in r.problems]
    assert [(x["code"], x["title"]) for x in r.data["rows"] if x["kind"] != "xep_loai"] == [("CN10", "CSTDCS")]
    assert [p.code for p in r.problems if p.code in ("no_outcome_column", "undecided_proposal")] == ["no_outcome_column"]


def test_history_import_rejects_units_missing_in_target(built, tmp_path):
    old = _copy(built, "thang-1000", tmp_path).rename(tmp_path / "cum-2023.xlsx")
    new = _copy(built, "so-nganh-100", tmp_path)
    before = new.read_bytes()
    r = actions.run("history import", new, sources=[old])
    assert not r.ok
    assert any(p.code == "unknown_unit" and p.sheet.startswith("cum-2023.xlsx") for p in r.problems.errors)
    assert new.read_bytes() == before


def actions_book(path):
    from xlpy.book.io import open_book

    return open_book(path)


def test_passing_awards_without_a_money_multiple_are_warned_with_their_settings_cell(built, tmp_path):
    """so-nganh-100: 2 Bằng khen (cá nhân) and 5 (tập thể) pass, and the sample leaves both multiples blank.
    Hand-computed: with 1 and 2 × 2.340.000 đ the total grows by 2 × 2.340.000 + 5 × 4.680.000 = 28.080.000 đ."""
    book = _copy(built, "so-nganh-100", tmp_path)
    r = actions.run("check", book)
    warned = [p for p in r.problems if p.code == "no_money_multiple"]
    assert [(p.sheet, p.cell, p.is_error) for p in warned] == [("Cài đặt", "B34", False), ("Cài đặt", "B35", False)]
    assert warned[0].message.startswith("2 đề nghị Bằng khen của Chủ tịch UBND tỉnh (cá nhân) đạt")
    assert warned[1].message.startswith("5 đề nghị Bằng khen của Chủ tịch UBND tỉnh (tập thể) đạt")
    assert "Hệ số tiền thưởng Bằng khen tập thể" in warned[1].message
    assert r.data["money"]["total"] == 80_496_000

    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"bk_cn_multiple": 1, "bk_tt_multiple": 2})
    wb.save(book)
    r = actions.run("check", book)
    assert not [p for p in r.problems if p.code == "no_money_multiple"]
    assert r.data["money"]["total"] == 80_496_000 + 2 * 2_340_000 + 5 * 4_680_000 == 108_576_000
