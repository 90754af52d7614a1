"""The province level (issue 13): hand-built provinces of a few blocks, each verdict worked out here.

Every block below has two criteria C1, C2 (10 points each, the same self and block
scores), so a unit's total is C1 + C2 and its place is plain to see.  Proposals of the
Cờ thi đua cấp tỉnh need the block's lead and an HTXS collective (R-07); Bằng khen
tập thể need “Thành tích tiêu biểu” (R-10); no council size is set, so votes are not
checked.  The province's caps are set in each test so the arithmetic stays small.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlpy import actions
from xlpy.book.template import build_workbook
from xlpy.province import read as RD
from xlpy.province.consolidate import consolidate
from xlpy.province.model import NOT_HERE, ProvinceSettings
from xlpy.province.workbook import new_province_workbook
from xlpy.schema import core as S
from xlpy.schema import province as P
from xlpy.schema import rules as R

CO, CO_CP, BK, TTLDXS, LDTT = ("Cờ thi đua cấp tỉnh", "Cờ thi đua của Chính phủ", "Bằng khen của Chủ tịch UBND tỉnh",
                               "Tập thể lao động xuất sắc", "Lao động tiên tiến")
HTXS, HTT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"
ROUND = dt.date(2025, 12, 8)


def block(path: Path, name: str, units: list[tuple], proposals: list[tuple], *, round_date: dt.date = ROUND,
          people: list[dict] | None = None, year: int = 2025) -> Path:
    """A block workbook.  ``units``: (code, name, C1, C2, women %, grade); ``proposals``:
    (subject, code, title, outstanding) — rows 2, 3, … of “Đề nghị khen thưởng”."""
    crit = [{"code": c, "name": f"Tiêu chí {c}", "kind": "Điểm", "max_points": 10} for c in ("C1", "C2")]
    us = [{"code": u[0], "name": u[1], "women_share": u[4]} for u in units]
    scores = {u[0]: {"C1": u[2], "C2": u[3]} for u in units}
    colls = [{"code": u[0], "grade": u[5], "members": 20, "completed": 20, "ldtt": 16, "cstdcs": 2, "disciplined": 0}
             for u in units]
    props = [{"subject": s, "code": c, "title": t, "outstanding": "Có" if o else None} for s, c, t, o in proposals]
    tables = {S.UNITS: us, S.CRITERIA: crit, R.COLLECTIVES: colls, R.PROPOSALS: props}
    if people:
        tables[R.PEOPLE] = people
    return build_workbook(path, settings={"Tên khối": name, "Năm": year, "Ngày xét": round_date, "Điểm tối đa": 20},
                          tables=tables, stages={"self": scores, "block": scores})


def province_book(path: Path, **settings) -> Path:
    labels = {s.attr: s.key for s in P.SETTINGS_SPECS}
    expected = settings.pop("expected", None)
    return new_province_workbook(path, {labels[k]: v for k, v in settings.items()}, expected)


def run(folder: Path, out: Path, **opts):
    r = actions.run("province", sources=[folder], out=out, **opts)
    assert r.ok, r.message
    return r


def sheet_rows(path: Path, name: str) -> list[list]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    wb.close()
    return rows


def table(path: Path, name: str) -> list[dict]:
    """An output sheet's rows by header (the header is the row whose first cell is the first header)."""
    rows = sheet_rows(path, name)
    k = next(i for i, r in enumerate(rows) if r and r[0] in ("Khối", "Phần", "Tệp", "STT"))
    head = rows[k]
    out = []
    for r in rows[k + 1:]:
        if not any(v not in (None, "") for v in r):
            break
        out.append(dict(zip(head, r)))
    return out


def verdicts(path: Path) -> dict[tuple[str, str, str], str]:
    """(block, code, title) -> province verdict, from the sheet “Đề nghị các khối”."""
    return {(r["Khối"], r["Mã"], r["Danh hiệu, hình thức"]): r["Kết luận cấp tỉnh"] for r in table(path, P.PROPOSALS)}


def checks(path: Path) -> list[dict]:
    return table(path, P.CHECKS)


# ---------------------------------------------------------------------------------------
# 1. Three blocks and two bad files; a cap on Bằng khen tập thể; a missing and a late block


@pytest.fixture(scope="module")
def province1(tmp_path_factory):
    d = tmp_path_factory.mktemp("tinh1")
    blocks = d / "cac-khoi"
    blocks.mkdir()
    # Khối A: A1 20, A2 16, A3 12 → A1 leads
    block(blocks / "khoi-a.xlsx", "Khối Kinh tế", [("A1", "Sở Tài chính", 10, 10, 75, HTXS), ("A2", "Sở Công Thương", 8, 8, 40, HTXS),
                                                    ("A3", "Sở Xây dựng", 6, 6, 30, HTT)],
          [("Tập thể", "A1", CO, False), ("Tập thể", "A2", BK, True), ("Tập thể", "A1", TTLDXS, False)])
    # Khối B: B1 18, B2 19, B3 10 → B2 leads, B1 second
    block(blocks / "khoi-b.xlsx", "Khối Văn hóa – Xã hội", [("B1", "Sở Y tế", 9, 9, 80, HTXS), ("B2", "Sở Giáo dục", 10, 9, 60, HTXS),
                                                           ("B3", "Sở Du lịch", 5, 5, 50, HTT)],
          [("Tập thể", "B2", CO, False), ("Tập thể", "B1", BK, True)])
    # Khối C (meets on 15/12, after the deadline 10/12): C1 17, C2 14, C3 11 → C1 leads
    block(blocks / "khoi-c.xlsx", "Khối Nội chính", [("C1", "Sở Tư pháp", 9, 8, 20, HTXS), ("C2", "Thanh tra tỉnh", 7, 7, 20, HTT),
                                                      ("C3", "Sở Nội vụ", 6, 5, 20, HTXS)],
          [("Tập thể", "C1", CO, False), ("Tập thể", "C3", BK, True)], round_date=dt.date(2025, 12, 15))
    # two bad files: a copy of A cut in half, and a renamed old-format file (an OLE compound file)
    data = (blocks / "khoi-a.xlsx").read_bytes()
    (blocks / "khoi-hong.xlsx").write_bytes(data[: len(data) // 2])
    (blocks / "khoi-cu.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    # side files xlpy must not take for blocks
    (blocks / "~$khoi-a.xlsx").write_bytes(b"lock")
    (blocks / "khoi-a.bak.xlsx").write_bytes(data)
    out = d / "tinh.xlsx"
    province_book(out, province_name="Quảng Nam", year=2025, deadline=dt.date(2025, 12, 10), bk_tt_pct=25,
                  expected=[{"code": "KT", "name": "Khối Kinh tế"}, {"code": "VX", "name": "Khối Văn hóa – Xã hội"},
                            {"code": "NC", "name": "Khối Nội chính"}, {"code": "DN", "name": "Khối Doanh nghiệp"}])
    before = {n: z for n, z in _parts(out).items()}
    r = run(blocks, out)
    return {"dir": d, "blocks": blocks, "out": out, "result": r, "before": before}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_results_of_every_block_ranked(province1):
    rows = table(province1["out"], P.RESULTS)
    got = {(r["Khối"], r["Mã đơn vị"]): (r["Hạng"], r["Tổng điểm"]) for r in rows}
    assert got == {
        ("Khối Kinh tế", "A1"): (1, 20), ("Khối Kinh tế", "A2"): (2, 16), ("Khối Kinh tế", "A3"): (3, 12),
        ("Khối Văn hóa – Xã hội", "B2"): (1, 19), ("Khối Văn hóa – Xã hội", "B1"): (2, 18), ("Khối Văn hóa – Xã hội", "B3"): (3, 10),
        ("Khối Nội chính", "C1"): (1, 17), ("Khối Nội chính", "C2"): (2, 14), ("Khối Nội chính", "C3"): (3, 11),
    }
    assert [r["Xếp thứ"] for r in rows if r["Khối"] == "Khối Kinh tế"] == ["Nhất", "Nhì", "Ba"]


def test_bad_files_are_listed_with_their_problems_and_the_others_consolidated(province1):
    r = province1["result"]
    assert r.data["blocks"] == 3 and r.data["files"] == 5
    assert sorted(r.data["bad_files"]) == ["khoi-cu.xlsx", "khoi-hong.xlsx"]
    errs = table(province1["out"], P.ERRORS)
    by_file = {e["Tệp"]: e for e in errs if e["Mức độ"] == "Lỗi"}
    assert "cắt cụt" in by_file["khoi-hong.xlsx"]["Cách sửa"]
    assert "khoi-cu.xlsx" in by_file and "OLE" in by_file["khoi-cu.xlsx"]["Cách sửa"]
    # each problem of the run names its file
    files = {p.file for p in r.problems if p.is_error}
    assert files == {"khoi-hong.xlsx", "khoi-cu.xlsx"}
    assert all(p.where().startswith(p.file) for p in r.problems if p.file)
    # the side files were not read at all
    names = {row["Tệp"] for row in table(province1["out"], P.BLOCKS)}
    assert "~$khoi-a.xlsx" not in names and "khoi-a.bak.xlsx" not in names
    t10 = [c for c in checks(province1["out"]) if c["Mã quy định"] == "T-10"]
    assert {c["Tệp"] for c in t10} == {"khoi-hong.xlsx", "khoi-cu.xlsx"} and all(c["Kết luận"] == "không đạt" for c in t10)


def test_flags_one_per_block_to_the_leader(province1):
    v = verdicts(province1["out"])
    assert v[("Khối Kinh tế", "A1", CO)] == "Đạt"
    assert v[("Khối Văn hóa – Xã hội", "B2", CO)] == "Đạt"
    assert v[("Khối Nội chính", "C1", CO)] == "Đạt"
    t01 = {c["Khối"]: c for c in checks(province1["out"]) if c["Mã quy định"] == "T-01"}
    assert set(t01) == {"Khối Kinh tế", "Khối Văn hóa – Xã hội", "Khối Nội chính"}
    assert all(c["Kết luận"] == "đạt" for c in t01.values())
    assert "Dẫn đầu: Sở Giáo dục (19 điểm)" in t01["Khối Văn hóa – Xã hội"]["Số liệu"]


def test_province_cap_on_bang_khen_by_declared_order(province1):
    # 9 collectives × 25 % = 2,25 → at most 2.  Ranks: A2 2nd, B1 2nd, C3 3rd → C3 outside.
    v = verdicts(province1["out"])
    assert v[("Khối Kinh tế", "A2", BK)] == "Đạt"
    assert v[("Khối Văn hóa – Xã hội", "B1", BK)] == "Đạt"
    assert v[("Khối Nội chính", "C3", BK)] == "Vượt tỷ lệ"
    t02 = next(c for c in checks(province1["out"]) if c["Mã quy định"] == "T-02")
    assert t02["Kết luận"] == "vượt tỷ lệ"
    assert "tối đa 2 = làm tròn xuống 25% × 9 (2,25)" in t02["Số liệu"]
    assert "Sở Nội vụ (C3, Khối Nội chính)" in t02["Cách khắc phục"]
    # titles other levels decide are listed with the block's verdict only
    props = table(province1["out"], P.PROPOSALS)
    ttldxs = next(p for p in props if p["Danh hiệu, hình thức"] == TTLDXS)
    assert ttldxs["Kết luận cấp tỉnh"] == "Đạt"  # TTLĐXS is the province's (no cap set)


def test_missing_and_late_blocks(province1):
    rows = {(c["Mã quy định"], c["Khối"]): c for c in checks(province1["out"])}
    miss = rows[("T-08", "Khối Doanh nghiệp")]
    assert miss["Kết luận"] == "không đạt" and "DN" in miss["Phạm vi"]
    late = rows[("T-09", "Khối Nội chính")]
    assert "15/12/2025, sau hạn 10/12/2025" in late["Số liệu"] and "Ngày xét trong sổ tính" in late["Số liệu"]
    assert ("T-09", "Khối Kinh tế") not in rows
    blocks = {r["Tên khối"]: r["Tình trạng"] for r in table(province1["out"], P.BLOCKS)}
    assert blocks["Khối Nội chính"] == "Đã tổng hợp, nộp muộn"
    assert blocks["Khối Doanh nghiệp"] == "Chưa nộp sổ tính"
    assert province1["result"].data["missing"] == ["DN"]


def test_a_workbook_of_another_year_is_flagged(tmp_path):
    d = tmp_path / "khoi"
    d.mkdir()
    block(d / "a.xlsx", "Khối A", [("A1", "Sở Tài chính", 10, 10, 50, HTXS), ("A2", "Sở Công Thương", 8, 8, 50, HTT)], [])
    block(d / "b.xlsx", "Khối B", [("B1", "Sở Y tế", 10, 10, 50, HTXS), ("B2", "Sở Giáo dục", 8, 8, 50, HTT)], [],
          round_date=dt.date(2024, 12, 10))
    wb_path = d / "b.xlsx"
    wb = openpyxl.load_workbook(wb_path)
    ws = wb[S.SETTINGS]
    next(ws.cell(r, 2) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Năm").value = 2024
    wb.save(wb_path)
    out = tmp_path / "tinh.xlsx"
    province_book(out, year=2025)
    r = run(d, out)
    t13 = [c for c in checks(out) if c["Mã quy định"] == "T-13"]
    assert len(t13) == 1 and t13[0]["Tệp"] == "b.xlsx" and "năm 2024, không phải năm 2025" in t13[0]["Số liệu"]
    assert r.data["blocks"] == 2


def test_statistical_form_counts_what_passed(province1):
    rows = sheet_rows(province1["out"], P.FORM)
    assert rows[0][0] == "Biểu số: 0603.N/BNV-TĐKT"
    by_code = {r[1]: r for r in rows if r and r[1] and str(r[1]).isdigit()}
    # đạt: Cờ A1, B2, C1; Bằng khen A2, B1 (collectives, công trạng); CSTĐ tỉnh none
    assert by_code["01"][3:7] == [5, 2, 0, 3]
    assert by_code["02"][3:7] == [5, 2, 0, 3]
    assert by_code["05"][3:7] == [0, 0, 0, 0]
    assert by_code["11"][3:7] == [5, 2, 0, 3]
    assert by_code["03"][3] is None  # xlpy has no data for enterprises: left for the officer


def test_rerun_replaces_only_the_outputs(province1):
    out = province1["out"]
    first = _parts(out)
    inputs = _sheet_parts(out, P.INPUTS)
    assert inputs and all(first[p] == province1["before"][p] for p in inputs)
    run(province1["blocks"], out)
    second = _parts(out)
    assert all(second[p] == first[p] for p in inputs)  # the officer's sheets, byte for byte
    outputs = _sheet_parts(out, P.OUTPUTS)
    assert len(outputs) == len(P.OUTPUTS)
    assert any(second[p] != province1["before"].get(p) for p in outputs)


def _sheet_parts(path: Path, names) -> list[str]:
    from xlpy.book.package import open_package

    pkg = open_package(path)
    return [s.part for s in pkg.sheets if s.name in names]


# ---------------------------------------------------------------------------------------
# 2. A unit in two blocks; two Cờ proposals in one block


def test_unit_in_two_blocks_and_two_flags_in_a_block(tmp_path):
    d = tmp_path / "khoi"
    d.mkdir()
    block(d / "a.xlsx", "Khối A", [("X1", "Sở Tài chính", 10, 10, 50, HTXS), ("X2", "Sở Công Thương", 8, 8, 50, HTXS),
                                  ("X3", "Sở Xây dựng", 6, 6, 50, HTT)],
          [("Tập thể", "X1", CO, False), ("Tập thể", "X2", CO, False)])
    # Khối B holds X2 again (the same code), and “Sở  xây dựng” (X3's name, other spacing and case) as Y9
    block(d / "b.xlsx", "Khối B", [("X2", "Sở Công Thương", 10, 9, 50, HTXS), ("Y9", "Sở  xây dựng", 9, 9, 50, HTXS),
                                  ("Y3", "Sở Tư pháp", 5, 5, 50, HTT)],
          [("Tập thể", "X2", CO, False), ("Tập thể", "Y9", BK, True)])
    block(d / "c.xlsx", "Khối C", [("Z1", "Sở Y tế", 10, 10, 50, HTXS), ("Z2", "Sở Giáo dục", 5, 5, 50, HTT)],
          [("Tập thể", "Z1", CO, False)])
    out = tmp_path / "tinh.xlsx"
    province_book(out, year=2025, bk_tt_pct=100)
    r = run(d, out)
    v = verdicts(out)
    # Khối A: X1 leads; the block itself refused X2's Cờ (hạng 2, R-07) → not forwarded
    assert v[("Khối A", "X1", CO)] == "Đạt"
    assert v[("Khối A", "X2", CO)] == "Không đạt"
    x2a = next(p for p in table(out, P.PROPOSALS) if p["Khối"] == "Khối A" and p["Mã"] == "X2")
    assert x2a["Kết luận của khối"] == "Không đạt" and x2a["Lý do"].startswith("Theo kết luận của khối")
    t01a = next(c for c in checks(out) if c["Mã quy định"] == "T-01" and c["Khối"] == "Khối A")
    assert "2 đề nghị Cờ (1 khối kết luận không đạt hoặc vượt tỷ lệ)" in t01a["Số liệu"] and t01a["Kết luận"] == "đạt"
    # X2 leads Khối B but is also in Khối A: its Cờ awaits the Ban's decision of where it belongs
    assert v[("Khối B", "X2", CO)] == "Chờ quyết định"
    # Y9 is Sở Xây dựng again (same name once normalised): its Bằng khen waits too
    assert v[("Khối B", "Y9", BK)] == "Chờ quyết định"
    assert v[("Khối C", "Z1", CO)] == "Đạt"
    dups = [c for c in checks(out) if c["Mã quy định"] == "T-07"]
    texts = " | ".join(c["Số liệu"] for c in dups)
    assert len(dups) == 2 and "cùng mã “X2”" in texts and "cùng tên “Sở Xây dựng”" in texts
    assert "tệp a.xlsx, ô Đơn vị!A3" in texts and "tệp b.xlsx, ô Đơn vị!A2" in texts and "tệp b.xlsx, ô Đơn vị!A3" in texts
    assert all(c["Kết luận"] == "chờ quyết định" for c in dups)
    assert len(r.data["duplicates"]) == 2


@pytest.mark.parametrize("listed", [False, True], ids=["no list", "in the list"])
def test_one_block_sent_twice(tmp_path, listed):
    """The same block in two files (a download saved twice): one T-12 row naming both files, whether
    or not the province lists its blocks; its units are not “in two blocks” (no T-07), its
    proposals wait until one file is kept; a unit it shares with another block still is T-07."""
    d = tmp_path / "khoi"
    d.mkdir()
    units = [("A1", "Sở Tài chính", 10, 10, 50, HTXS), ("A2", "Sở Công Thương", 8, 8, 50, HTXS)]
    block(d / "kinh-te.xlsx", "Khối Kinh tế", units, [("Tập thể", "A1", CO, False), ("Tập thể", "A2", BK, True)])
    shutil.copy(d / "kinh-te.xlsx", d / "kinh-te (1).xlsx")
    block(d / "noi-chinh.xlsx", "Nội chính", [("C1", "Sở Tư pháp", 10, 10, 50, HTXS), ("A2", "Sở Công Thương", 5, 5, 50, HTT)],
          [("Tập thể", "C1", CO, False)])
    out = tmp_path / "tinh.xlsx"
    expected = [{"code": "KT", "name": "Khối Kinh tế"}, {"code": "NC", "name": "Nội chính"}] if listed else None
    province_book(out, year=2025, bk_tt_pct=100, expected=expected)
    r = run(d, out)
    rows = checks(out)
    t12 = [c for c in rows if c["Mã quy định"] == "T-12"]
    assert [c["Số liệu"].split(";")[0] for c in t12] == ["Khối Kinh tế: hai tệp kinh-te (1).xlsx và kinh-te.xlsx"]
    assert t12[0]["Kết luận"] == "không đạt"
    # A2 is in Khối Kinh tế (both files) and in Nội chính: one T-07 group; A1, only in the two files, none
    dups = [c["Số liệu"] for c in rows if c["Mã quy định"] == "T-07"]
    assert len(dups) == 1 and "cùng mã “A2”" in dups[0] and "A1" not in dups[0], dups
    props = [p for p in table(out, P.PROPOSALS) if p["Khối"] == "Khối Kinh tế"]
    assert len(props) == 4 and all(p["Kết luận cấp tỉnh"] == "Chờ quyết định" and "T-12" in p["Mã quy định"] for p in props)
    assert all("Khối có 2 tệp (kinh-te (1).xlsx, kinh-te.xlsx)" in p["Lý do"] for p in props)
    assert verdicts(out)[("Nội chính", "C1", CO)] == "Đạt"
    assert "1 khối có hai tệp" in r.message
    if listed:
        assert not [c for c in rows if c["Mã quy định"] == "T-08"]  # Khối Kinh tế did send a file
    else:  # the report says it where it lists the files received
        from xlpy.province import report

        files, _ = RD.block_files([d])
        twice = report.context(consolidate(files, ProvinceSettings(year=2025), jobs=1))["twice"]
        assert len(twice) == 1 and twice[0].startswith("Khối Kinh tế: hai tệp kinh-te (1).xlsx và kinh-te.xlsx; các đề nghị cấp tỉnh")


def test_a_block_resent_after_an_error(tmp_path):
    """The first file has an error (not consolidated), the second is right: T-12 names both, but
    nothing is counted twice and the right file's proposals are decided."""
    d = tmp_path / "khoi"
    d.mkdir()
    block(d / "kinh-te.xlsx", "Khối Kinh tế", [("A1", "Sở Tài chính", 15, 10, 50, HTXS), ("A2", "Sở Công Thương", 8, 8, 50, HTXS)],
          [("Tập thể", "A1", CO, False)])  # 15 points where a criterion allows 10
    block(d / "kinh-te-sua.xlsx", "Khối Kinh tế", [("A1", "Sở Tài chính", 10, 10, 50, HTXS), ("A2", "Sở Công Thương", 8, 8, 50, HTXS)],
          [("Tập thể", "A1", CO, False)])
    out = tmp_path / "tinh.xlsx"
    province_book(out, year=2025)
    r = run(d, out)
    t12 = [c["Số liệu"] for c in checks(out) if c["Mã quy định"] == "T-12"]
    assert t12 == ["Khối Kinh tế: hai tệp kinh-te-sua.xlsx và kinh-te.xlsx"]
    assert verdicts(out) == {("Khối Kinh tế", "A1", CO): "Đạt"}
    assert r.data["units"] == 2 and r.data["bad_files"] == ["kinh-te.xlsx"]


def test_a_block_in_three_files_the_first_with_an_error(tmp_path):
    """Three files of one block: the first (in name order) has an error, the other two were both
    consolidated: those two are the block counted twice, and its proposals wait."""
    d = tmp_path / "khoi"
    d.mkdir()
    units = [("A1", "Sở Tài chính", 10, 10, 50, HTXS), ("A2", "Sở Công Thương", 8, 8, 50, HTXS)]
    block(d / "a-kinh-te.xlsx", "Khối Kinh tế", [("A1", "Sở Tài chính", 15, 10, 50, HTXS), units[1]], [("Tập thể", "A1", CO, False)])
    block(d / "kinh-te.xlsx", "Khối Kinh tế", units, [("Tập thể", "A1", CO, False)])
    shutil.copy(d / "kinh-te.xlsx", d / "kinh-te (1).xlsx")
    out = tmp_path / "tinh.xlsx"
    province_book(out, year=2025)
    run(d, out)
    t12 = [c["Số liệu"] for c in checks(out) if c["Mã quy định"] == "T-12"]
    assert [t.split(";")[0] for t in t12] == ["Khối Kinh tế: hai tệp a-kinh-te.xlsx và kinh-te (1).xlsx",
                                              "Khối Kinh tế: hai tệp a-kinh-te.xlsx và kinh-te.xlsx"]
    assert all(t.endswith("đang được tính hai lần") for t in t12), t12
    co = [p for p in table(out, P.PROPOSALS) if p["Danh hiệu, hình thức"] == CO]
    assert len(co) == 2 and all(p["Kết luận cấp tỉnh"] == "Chờ quyết định" for p in co)
    assert all("Khối có 2 tệp (kinh-te (1).xlsx, kinh-te.xlsx)" in p["Lý do"] for p in co)
    assert not [c for c in checks(out) if c["Mã quy định"] == "T-07"]


# ---------------------------------------------------------------------------------------
# 3. A shared lead; the Cờ of the Government only among holders of this round's Cờ tỉnh


def test_shared_lead_awaits_the_council_and_government_flag(tmp_path):
    d = tmp_path / "khoi"
    d.mkdir()
    # Khối A: A1 and A2 both 20 points, no tie-break: a shared lead (whatever the rows' order)
    block(d / "a.xlsx", "Khối A", [("A1", "Sở Tài chính", 10, 10, 30, HTXS), ("A2", "Sở Công Thương", 10, 10, 30, HTXS),
                                  ("A3", "Sở Xây dựng", 5, 5, 30, HTT)],
          [("Tập thể", "A1", CO, False), ("Tập thể", "A1", CO_CP, False)])
    block(d / "b.xlsx", "Khối B", [("B1", "Sở Y tế", 10, 9, 80, HTXS), ("B2", "Sở Giáo dục", 5, 5, 50, HTT)],
          [("Tập thể", "B1", CO, False), ("Tập thể", "B1", CO_CP, False)])
    block(d / "c.xlsx", "Khối C", [("C1", "Sở Tư pháp", 10, 8, 20, HTXS), ("C2", "Thanh tra tỉnh", 5, 5, 20, HTT)],
          [("Tập thể", "C1", CO, False), ("Tập thể", "C2", CO_CP, False)])
    out = tmp_path / "tinh.xlsx"
    # Cờ Chính phủ: at most 50 % of the Cờ tỉnh holders
    province_book(out, year=2025, co_cp_pct=50)
    run(d, out)
    v = verdicts(out)
    assert v[("Khối A", "A1", CO)] == "Chờ quyết định"
    a = next(p for p in table(out, P.PROPOSALS) if p["Khối"] == "Khối A" and p["Danh hiệu, hình thức"] == CO)
    assert "Đồng hạng 1 với Sở Công Thương (A2)" in a["Lý do"] and "Hội đồng Thi đua – Khen thưởng tỉnh" in a["Lý do"]
    t01 = next(c for c in checks(out) if c["Mã quy định"] == "T-01" and c["Khối"] == "Khối A")
    assert t01["Kết luận"] == "chờ quyết định" and "đồng hạng 1 chưa phân định" in t01["Số liệu"]
    # the results sheet's note on the shared lead wraps inside its column, on a row tall enough for it
    ws = openpyxl.load_workbook(out)[P.RESULTS]
    head = next(c for row in ws.iter_rows() for c in row if c.value == "Ghi chú")
    note = next(c for (c,) in ws.iter_rows(min_row=head.row + 1, min_col=head.column, max_col=head.column) if c.value)
    assert len(note.value) > 50, note.value  # longer than its column is wide
    assert note.alignment.wrap_text and ws.row_dimensions[note.row].height > 15
    assert v[("Khối B", "B1", CO)] == "Đạt" and v[("Khối C", "C1", CO)] == "Đạt"
    # holders: B1, C1 (A1 awaits) → cap = floor(50 % × 2) = 1.  B1 holds a Cờ tỉnh; A1's is awaited;
    # C2 never had one.  B1 (80 % women) comes before A1 (30 %) in the declared order → B1 keeps the place.
    assert v[("Khối B", "B1", CO_CP)] == "Đạt"
    assert v[("Khối A", "A1", CO_CP)] in ("Vượt tỷ lệ", "Chờ quyết định")
    assert v[("Khối C", "C2", CO_CP)] == "Không đạt"
    t06 = next(c for c in checks(out) if c["Mã quy định"] == "T-06")
    assert "tối đa 1 = làm tròn xuống 50% × 2" in t06["Số liệu"] and "chưa tính 1 Cờ tỉnh đang chờ quyết định" in t06["Số liệu"]


def test_shared_lead_does_not_depend_on_row_order(tmp_path):
    """The same province with the rows of Khối A swapped gives the same verdicts."""
    outs = []
    for k, order in enumerate(([0, 1, 2], [1, 0, 2])):
        d = tmp_path / f"k{k}"
        d.mkdir()
        units = [("A1", "Sở Tài chính", 10, 10, 30, HTXS), ("A2", "Sở Công Thương", 10, 10, 30, HTXS), ("A3", "Sở Xây dựng", 5, 5, 30, HTT)]
        block(d / "a.xlsx", "Khối A", [units[i] for i in order], [("Tập thể", "A2", CO, False), ("Tập thể", "A1", CO, False)][:: 1 - 2 * k])
        block(d / "b.xlsx", "Khối B", [("B1", "Sở Y tế", 10, 9, 80, HTXS), ("B2", "Sở Giáo dục", 5, 5, 50, HTT)], [("Tập thể", "B1", CO, False)])
        block(d / "c.xlsx", "Khối C", [("C1", "Sở Tư pháp", 10, 8, 20, HTXS), ("C2", "Thanh tra", 5, 5, 20, HTT)], [])
        out = tmp_path / f"tinh{k}.xlsx"
        run(d, out)
        outs.append(verdicts(out))
    assert outs[0] == outs[1]
    assert outs[0][("Khối A", "A1", CO)] == outs[0][("Khối A", "A2", CO)] == "Chờ quyết định"
    assert outs[0][("Khối B", "B1", CO)] == "Đạt"


# ---------------------------------------------------------------------------------------
# the pieces: reading in parallel, new workbooks, the ribbon, refusals


@pytest.mark.parametrize("method", ["fork", "spawn"])  # spawn: how Windows starts the reading processes
def test_parallel_and_sequential_reading_agree(province1, monkeypatch, method):
    files, _ = RD.block_files([province1["blocks"]])
    one = consolidate(files, ProvinceSettings(bk_tt_pct=25), jobs=1)
    monkeypatch.setattr(RD, "start_method", lambda: method)
    started = []

    def pool(k):
        ex = real_pool(k)
        started.append((k, ex._mp_context.get_start_method()))
        return ex

    real_pool = RD.pool
    monkeypatch.setattr(RD, "pool", pool)
    two = consolidate(files, ProvinceSettings(bk_tt_pct=25), jobs=2)
    assert started == [(2, method)]
    key = lambda prov: ([(u.block, u.code, u.rank, u.total) for u in prov.units],  # noqa: E731
                        [(p.block, p.code, p.title, p.block_verdict, p.verdict, p.reason) for p in prov.proposals],
                        [(r.rule_id, r.verdict, r.numbers) for r in prov.rows],
                        [[(q.code, q.sheet, q.cell, q.file) for q in f.problems] for f in prov.files])
    assert key(one) == key(two)
    assert RD.workers(2000, None) == min(2, __import__("os").cpu_count() or 1) or (__import__("os").cpu_count() or 1) < 2


def test_block_files_skip_side_files_and_the_province_book(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"x")
    (tmp_path / "b.XLSX").write_bytes(b"x")
    (tmp_path / "c.xls").write_bytes(b"x")
    (tmp_path / "~$a.xlsx").write_bytes(b"x")
    (tmp_path / "a.bak.xlsx").write_bytes(b"x")
    (tmp_path / "a.loi.xlsx").write_bytes(b"x")
    (tmp_path / "ghi-chu.docx").write_bytes(b"x")
    (tmp_path / "tinh.xlsx").write_bytes(b"x")
    files, missing = RD.block_files([tmp_path, tmp_path / "khong-co.xlsx"], exclude=[tmp_path / "tinh.xlsx"])
    assert [f.name for f in files] == ["a.xlsx", "b.XLSX", "c.xls"]
    assert missing == [str(tmp_path / "khong-co.xlsx")]


def test_a_province_book_among_the_blocks_is_skipped(province1, tmp_path):
    d = tmp_path / "k"
    shutil.copytree(province1["blocks"], d)
    shutil.copy(province1["out"], d / "tinh-cu.xlsx")
    out = tmp_path / "tinh.xlsx"
    r = run(d, out)
    assert r.data["blocks"] == 3
    skipped = [p for p in r.problems if p.code == "province_book_skipped"]
    assert [p.file for p in skipped] == ["tinh-cu.xlsx"] and not skipped[0].is_error


def test_out_that_is_a_block_workbook_is_refused(province1, tmp_path):
    target = tmp_path / "khoi.xlsx"
    shutil.copy(province1["blocks"] / "khoi-a.xlsx", target)
    before = target.read_bytes()
    r = actions.run("province", sources=[province1["blocks"]], out=target)
    assert not r.ok and "không phải sổ tính cấp tỉnh" in r.message
    assert target.read_bytes() == before


def test_bad_province_settings_write_nothing(province1, tmp_path):
    out = tmp_path / "tinh.xlsx"
    province_book(out, year=2025)
    wb = openpyxl.load_workbook(out)
    ws = wb[P.SETTINGS]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Tỷ lệ Bằng khen tập thể toàn tỉnh (%)")
    ws.cell(row, 2).value = "mười"
    wb.save(out)
    before = out.read_bytes()
    r = actions.run("province", sources=[province1["blocks"]], out=out)
    assert not r.ok and any(p.sheet == P.SETTINGS and p.cell == f"B{row}" for p in r.problems)
    assert out.read_bytes() == before


def test_ribbon_consolidates_the_open_province_book(province1, tmp_path, monkeypatch):
    from xlpy.excel import ribbon

    out = tmp_path / "tinh.xlsx"
    shutil.copytree(province1["blocks"], tmp_path / "cac-khoi")
    province_book(out, year=2025, blocks_folder="cac-khoi", bk_tt_pct=25)
    monkeypatch.setenv("XLPY_CALLER_BOOK", str(out))
    monkeypatch.setenv("XLPY_SOFFICE", "/khong/co/soffice")  # no PDF: the Word report is enough here
    r = ribbon.dispatch("consolidate")
    assert r is not None and r.ok, getattr(r, "message", None)
    assert r.data["blocks"] == 3
    assert verdicts(out)[("Khối Nội chính", "C3", BK)] == "Vượt tỷ lệ"
    assert (tmp_path / "tinh-bao-cao" / "bao-cao-tong-hop-cum-khoi.docx").exists()


def test_ribbon_without_a_folder_says_where_to_write_it(tmp_path, monkeypatch):
    from xlpy.excel import ribbon

    out = tmp_path / "tinh.xlsx"
    province_book(out, year=2025)
    before = out.read_bytes()
    monkeypatch.setenv("XLPY_CALLER_BOOK", str(out))
    r = ribbon.dispatch("consolidate")
    assert r is not None and not r.ok
    assert "Thư mục sổ tính các khối" in r.message and P.SETTINGS in r.message
    assert out.read_bytes() == before


def test_cli_province(province1, tmp_path):
    import json
    import sys

    out = tmp_path / "tinh.xlsx"
    p = subprocess.run([sys.executable, "-m", "xlpy.cli", "province", str(province1["blocks"]), "--out", str(out), "--json"],
                       capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["data"]["blocks"] == 3 and data["ok"]
    assert {pr["file"] for pr in data["problems"] if pr["severity"] == "Lỗi"} == {"khoi-hong.xlsx", "khoi-cu.xlsx"}
    assert out.exists()


def test_problem_names_its_file():
    from xlpy.core.problems import Problems

    p = Problems().add("missing_value", "Đơn vị", "B3", None, "tên")
    assert p.file == "" and p.where() == "Đơn vị!B3"
    q = p.in_file("khoi-a.xlsx")
    assert q.where() == "khoi-a.xlsx › Đơn vị!B3" and q.to_dict()["file"] == "khoi-a.xlsx"


def test_every_proposal_has_a_verdict(province1):
    for p in table(province1["out"], P.PROPOSALS):
        assert p["Kết luận của khối"] and p["Kết luận cấp tỉnh"]
    assert NOT_HERE == "không xét ở cấp tỉnh"


# ---------------------------------------------------------------------------------------
# the report (Word → PDF → PNG, read back)

needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice and poppler-utils are needed")


@pytest.mark.slow
@needs_office
def test_province_report_pdf(province1, tmp_path):
    d = tmp_path / "k"
    shutil.copytree(province1["blocks"], d)
    out = tmp_path / "tinh.xlsx"
    province_book(out, province_name="Quảng Nam", year=2025, round_date=dt.date(2025, 12, 20), deadline=dt.date(2025, 12, 10),
                  bk_tt_pct=25, signer_name="Nguyễn Văn An", place="Quảng Nam", doc_number="12",
                  parent_body="Sở Nội vụ tỉnh Quảng Nam",
                  expected=[{"code": "KT", "name": "Khối Kinh tế"}, {"code": "DN", "name": "Khối Doanh nghiệp"}])
    r = actions.run("province", sources=[d], out=out, report="pdf")
    assert r.ok, r.message
    pdf = tmp_path / "tinh-bao-cao" / "bao-cao-tong-hop-cum-khoi.pdf"
    assert pdf.exists() and pdf in r.files
    # the message names both things made (the CLI prints only the message)
    assert f"Sổ tính cấp tỉnh: {out}. Báo cáo tổng hợp (Word, PDF): {pdf.parent}." in r.message, r.message
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for s in ("SỞ NỘI VỤ TỈNH QUẢNG NAM", "BAN THI ĐUA – KHEN THƯỞNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "Số: 12/BC-BTĐKT", "Quảng Nam, ngày 20 tháng 12 năm 2025", "BÁO CÁO",
              "Tổng hợp kết quả thi đua các cụm, khối năm 2025", "Khối Doanh nghiệp (DN)",
              "Khối Kinh tế", "Sở Tài chính", "Sở Giáo dục", "Cờ thi đua cấp tỉnh", "Nguyễn Văn An", "Nơi nhận:", "Lưu: VT"):
        assert s in flat, s
    assert "2 sổ tính có lỗi chưa tổng hợp được" in flat
    assert "[chưa xác minh]" not in flat and "[xác minh" not in flat
    png = tmp_path / "trang"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    assert list(tmp_path.glob("trang*.png"))


def test_report_names_what_a_province_wide_tie_is_about(tmp_path):
    """A tie at the cut of a province-wide cap is listed for the council under its title and subject
    (a block's own question under the block)."""
    from xlpy.province import report

    # A2 and B1: both 2nd in their block, both 40 % women → equal in the declared order; 6 × 20 % = 1,2 → 1 place
    block(tmp_path / "a.xlsx", "Khối Kinh tế", [("A1", "Sở Tài chính", 10, 10, 75, HTXS), ("A2", "Sở Công Thương", 8, 8, 40, HTXS),
                                               ("A3", "Sở Xây dựng", 6, 6, 30, HTT)], [("Tập thể", "A2", BK, True)])
    block(tmp_path / "b.xlsx", "Khối Văn hóa – Xã hội", [("B1", "Sở Y tế", 9, 9, 40, HTXS), ("B2", "Sở Giáo dục", 10, 9, 60, HTXS),
                                                        ("B3", "Sở Du lịch", 5, 5, 50, HTT)], [("Tập thể", "B1", BK, True)])
    files, _ = RD.block_files([tmp_path])
    ctx = report.context(consolidate(files, ProvinceSettings(year=2025, bk_tt_pct=20), jobs=1))
    assert ctx["pending"] == [
        "Tỷ lệ toàn tỉnh – Bằng khen của Chủ tịch UBND tỉnh (tập thể): 1 suất cho 2 đề nghị bằng nhau: Sở Công Thương "
        "(A2, Khối Kinh tế), Sở Y tế (B1, Khối Văn hóa – Xã hội) — Hội đồng Thi đua – Khen thưởng tỉnh quyết định (hoặc bỏ phiếu)"]
    assert [c["name"] for c in ctx["caps"]] == ["Tỷ lệ toàn tỉnh – Bằng khen của Chủ tịch UBND tỉnh (tập thể)"]


def test_report_year_from_the_blocks_when_the_province_sets_none(province1, tmp_path):
    from xlpy.province import report
    from xlpy.province.sheets import form_sheet, results_sheet

    files, _ = RD.block_files([province1["blocks"]])
    prov = consolidate(files, ProvinceSettings(), jobs=1)
    ctx = report.context(prov)
    assert (ctx["province"]["year"], ctx["province"]["round_label"]) == ("2025", "năm 2025")  # every block is of 2025
    assert results_sheet(prov).title.endswith("năm 2025")
    assert "Năm 2025" in [c.value for line in form_sheet(prov).preamble for c in line if hasattr(c, "value")]
    other = tmp_path / "khoi-cu-2024.xlsx"  # a block of another year: no year is guessed
    block(other, "Khối Cũ", [("X1", "Sở Cũ", 5, 5, 30, HTT)], [], round_date=dt.date(2024, 12, 10), year=2024)
    ctx = report.context(consolidate([*files, other], ProvinceSettings(), jobs=1))
    assert (ctx["province"]["year"], ctx["province"]["round_label"]) == ("…", "")


def test_province_template_uses_only_the_context_it_is_given(province1):
    from docxtpl import DocxTemplate

    from xlpy.province import report
    from xlpy.reports.render import template_dir
    from xlpy.templating import sandboxed_env

    used = DocxTemplate(str(template_dir() / report.TEMPLATE)).get_undeclared_template_variables(jinja_env=sandboxed_env())
    assert used and used <= set(report.SCHEMA), used - set(report.SCHEMA)
    files, _ = RD.block_files([province1["blocks"]])
    ctx = report.context(consolidate(files, ProvinceSettings(year=2025), jobs=1))
    assert set(ctx) == set(report.SCHEMA)
    for name, attrs in report.SCHEMA.items():
        items = ctx[name] if isinstance(ctx[name], list) else [ctx[name]]
        for item in items:
            if attrs and isinstance(item, dict):
                assert set(attrs) <= set(item), (name, set(attrs) - set(item))


def _own_cyclic_garbage(work) -> list[str]:
    """What ``work`` leaves that only the cyclic collector could free and that xlpy's own code made:
    instances of xlpy's classes and xlpy's functions (actions run with the collector paused)."""
    import gc

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        found = [o for o in gc.garbage if (getattr(o, "__module__", None) or type(o).__module__ or "").startswith("xlpy")]
        return sorted({getattr(o, "__qualname__", type(o).__qualname__) for o in found})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_reading_scoring_and_checking_make_no_reference_cycles(province1, sample_copy):
    """The actions pause the cyclic collector (xlpy.actions.GC_NOTE): what they build must be
    freed by reference counting, however many blocks or units they read."""
    from xlpy import actions
    from xlpy.province.read import block_files, read_and_check

    files, _missing = block_files([province1["blocks"]])
    book = sample_copy("thang-1000")

    def work():
        read_and_check([str(f) for f in files])
        for name in ("compute", "check", "rank"):
            assert actions.run(name, book).ok
    work()  # first imports and caches
    assert _own_cyclic_garbage(work) == []
