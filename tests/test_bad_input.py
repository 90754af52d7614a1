"""Bad workbooks: every problem collected with its exact cell; the file is left untouched."""

import hashlib
import unicodedata

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import edit_cells
from xlpy import actions
from xlpy.schema import core as L


def digest(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def problems_of(path):
    before = digest(path)
    r = actions.run("compute", path)
    assert digest(path) == before, "a failed compute must leave the workbook byte-for-byte unchanged"
    return r, {(p.code, p.sheet, p.cell) for p in r.problems}


def test_all_errors_are_collected_with_cells(sample_copy):
    path = sample_copy("so-nganh-100")
    # Tự chấm: header row 1, units from row 2 in sheet order; columns C.. = 01, 02, 03 ...
    edit_cells(
        path,
        {
            (L.SELF, "C2"): 11,  # 01 has max 10
            (L.SELF, "D3"): -1,  # negative
            (L.SELF, "E4"): "mười tám",  # text
            (L.SELF, "F5"): "#DIV/0!",  # Excel error
            (L.BLOCK, "A6"): "XYZ",  # unknown unit code
            (L.UNITS, "A4"): "SKHCN",  # duplicate unit code (A2 is SKHCN)
            (L.CRITERIA, "E11"): None,  # criterion 08 without maximum
        },
    )
    r, found = problems_of(path)
    assert not r.ok
    assert {
        ("above_max", L.SELF, "C2"),
        ("negative", L.SELF, "D3"),
        ("not_a_number", L.SELF, "E4"),
        ("excel_error", L.SELF, "F5"),
        ("unknown_unit", L.BLOCK, "A6"),
        ("duplicate_unit", L.UNITS, "A4"),
        ("missing_max", L.CRITERIA, "E11"),
    } <= found
    msg = next(p for p in r.problems if p.cell == "C2" and p.sheet == L.SELF)
    assert "vượt mức tối đa 10" in msg.message and msg.found == "11"
    # the error list went to a separate workbook beside the book
    errors = path.with_name(path.stem + ".loi.xlsx")
    assert errors in r.files and errors.exists()
    ws = openpyxl.load_workbook(errors)[L.ERRORS]
    cells = {(row[1].value, row[2].value) for row in ws.iter_rows(min_row=4) if row[1].value}
    assert (L.SELF, "C2") in cells and (L.UNITS, "A4") in cells


def test_missing_sheet_and_missing_column(sample_copy):
    path = sample_copy("so-nganh-100")
    wb = openpyxl.load_workbook(path)
    del wb[L.SELF]
    wb[L.UNITS]["B1"] = "Tên"
    wb.save(path)
    _, found = problems_of(path)
    assert ("missing_sheet", L.SELF, "") in found
    assert any(code == "missing_column" and sheet == L.UNITS for code, sheet, _ in found)


def test_unknown_criterion_column_and_kind(sample_copy):
    path = sample_copy("so-nganh-100")
    edit_cells(path, {(L.SELF, "C1"): "99", (L.CRITERIA, "D3"): "Điểm cộng"})
    _, found = problems_of(path)
    assert ("unknown_criterion", L.SELF, "C1") in found
    assert ("bad_choice", L.CRITERIA, "D3") in found  # a choice column, checked like every other


def test_nfd_text_is_matched_and_warned(sample_copy, tmp_path):
    path = sample_copy("so-nganh-100")
    nfd = unicodedata.normalize("NFD", "Sở Khoa học và Công nghệ")
    assert nfd != "Sở Khoa học và Công nghệ"
    edit_cells(path, {(L.UNITS, "B2"): nfd})
    r = actions.run("compute", path)
    assert r.ok
    warn = [p for p in r.problems if p.code == "unicode_nfd"]
    assert [(p.sheet, p.cell) for p in warn] == [(L.UNITS, "B2")]
    top = r.data["units"][0]
    assert top["name"] == "Sở Khoa học và Công nghệ"  # normalised to NFC


def test_overlapping_bands_are_an_error(sample_copy):
    path = sample_copy("ty-le-bac-thuong")
    # make [88, 90] include 90, which [90, 95) also includes
    wb = openpyxl.load_workbook(path)
    ws = wb[L.BANDS]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "5.2" and r[1].value == 88)
    row[4].value = "Có"
    wb.save(path)
    _, found = problems_of(path)
    assert any(code == "band_overlap" and sheet == L.BANDS for code, sheet, _ in found)


def test_ratio_without_target(sample_copy):
    path = sample_copy("ty-le-bac-thuong")
    edit_cells(path, {(L.TARGETS, "C3"): None})  # P02's target for criterion 2
    _, found = problems_of(path)
    assert ("missing_target", L.CRITERIA, "G3") in found


@pytest.mark.parametrize("stage_sheet", [L.SELF, L.BLOCK])
def test_duplicate_rows_in_score_sheets(sample_copy, stage_sheet):
    path = sample_copy("thang-1000")
    edit_cells(path, {(stage_sheet, "A3"): "PTH"})
    _, found = problems_of(path)
    assert ("duplicate_unit", stage_sheet, "A3") in found


def test_part_that_contradicts_the_kind(sample_copy):
    path = sample_copy("so-nganh-100")
    # row 3 is criterion 01 (kind Điểm); column I is "Tính vào"
    edit_cells(path, {(L.CRITERIA, "I3"): "Trừ", (L.CRITERIA, "I4"): "Cộng"})
    _, found = problems_of(path)
    assert ("contradictory_part", L.CRITERIA, "I3") in found
    assert ("bad_choice", L.CRITERIA, "I4") in found


def test_settings_key_typed_twice(sample_copy):
    path = sample_copy("so-nganh-100")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SETTINGS]
    ws.append(["Năm", 2026])
    last = ws.max_row
    wb.save(path)
    _, found = problems_of(path)
    assert ("duplicate_setting", L.SETTINGS, f"A{last}") in found


def test_a_header_row_is_parsed_once_but_its_problems_are_said_every_time():
    """Every block of a province repeats the same header rows, so a clean one is parsed once
    (schema.base.clean_once); a header with a problem is parsed again in every workbook, and
    each workbook reports it."""
    from xlpy.core.problems import Problems
    from xlpy.schema.base import header_map, read_table

    table = L.UNIT_TABLE
    header = [c.header for c in table.columns]
    assert header_map(header, table.columns, L.UNITS, Problems()) == {c.key: j for j, c in enumerate(table.columns)}
    import xlpy.schema.base as B

    calls = []
    real = B._header_map
    B._header_map = lambda *a: calls.append(a) or real(*a)
    try:
        for _ in range(3):  # clean: answered from the first parse
            assert header_map(header, table.columns, L.UNITS, Problems()) == {c.key: j for j, c in enumerate(table.columns)}
        assert calls == []
        bad = header[:1] + ["Tên đơn vi"] + header[2:]  # a look-alike of “Tên đơn vị”
        for _ in range(3):
            probs = Problems()
            data = read_table([bad, ["SNV", "Sở Nội vụ"]], table, probs)
            assert [(p.code, p.cell) for p in probs if p.code == "header_lookalike"] == [("header_lookalike", "B1")]
            assert data is None or "name" not in data.cols
        assert len(calls) == 3
    finally:
        B._header_map = real


@given(st.data())
@hsettings(max_examples=60, deadline=None)
def test_a_score_sheet_reads_the_same_whatever_its_row_and_column_order(data):
    """read_entries puts every entry in the block's unit and criterion order: a sheet laid out in
    that order (read straight into the matrix) and the same sheet with its rows and criterion
    columns shuffled, or a unit missing, give the same matrix, NaN for what is not there."""
    from xlpy.book.entries import read_entries
    from xlpy.core.model import Criterion, Kind, Unit
    from xlpy.core.problems import Problems

    n = data.draw(st.integers(1, 6))
    m = data.draw(st.integers(1, 5))
    units = [Unit(f"U{i}", f"Đơn vị {i}") for i in range(n)]
    crit = [Criterion(f"C{k}", f"Tiêu chí {k}", Kind.POINTS, 10.0) for k in range(m)]
    cells = data.draw(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 20).map(lambda x: x / 2)), min_size=m, max_size=m),
                               min_size=n, max_size=n))
    want = np.array([[np.nan if v is None else v for v in row] for row in cells], dtype=float).reshape(n, m)

    def grid(rows, cols):
        return [["Mã đơn vị", "Tên đơn vị", *(crit[k].code for k in cols)]] + \
               [[units[i].code, units[i].name, *("" if cells[i][k] is None else cells[i][k] for k in cols)] for i in rows]

    ordered = read_entries(grid(range(n), range(m)), "Tự chấm", units, crit, Problems())
    assert np.array_equal(ordered.values, want, equal_nan=True)
    rows = data.draw(st.permutations(range(n)))
    cols = data.draw(st.permutations(range(m)))
    dropped = data.draw(st.booleans()) and n > 1
    shuffled = read_entries(grid(rows[:-1] if dropped else rows, cols), "Tự chấm", units, crit, p := Problems())
    if dropped:
        want[rows[-1]] = np.nan
        assert [x.code for x in p] == ["missing_unit_row"]
    assert np.array_equal(shuffled.values, want, equal_nan=True)
    assert shuffled.rows == {units[i].code: r for r, i in enumerate(rows[:-1] if dropped else rows, start=1)}


def test_settings_keys_typed_as_declared_or_loosely_read_alike():
    """read_settings reads a key typed in other case, with extra spaces or in decomposed Unicode as
    the same key typed exactly as declared: the same values and cells (the decomposed one also says
    it was normalised)."""
    from xlpy.core.problems import Problems
    from xlpy.schema.base import read_settings

    specs = L.SETTINGS_SPECS
    rows = [("Tên khối", "Khối thi đua số 1"), ("Năm", 2025), ("Điểm tối đa", 280), ("Thứ tự phá hòa", "C01; C02")]
    exact = read_settings([["Khóa", "Giá trị"], *map(list, rows)], specs, "Cài đặt", p1 := Problems())
    loose = [[f"  {unicodedata.normalize('NFD', k.upper())} ", v] for k, v in rows]
    typed = read_settings([["Khóa", "Giá trị"], *loose], specs, "Cài đặt", p2 := Problems())
    assert exact.values == typed.values and exact.cells == typed.cells
    assert exact.get("block_name") == "Khối thi đua số 1" and exact.get("year") == 2025 and exact.cell("year") == "B3"
    assert list(p1) == [] and {p.code for p in p2} == {"unicode_nfd"}
