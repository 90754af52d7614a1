"""No wrong score without a word (issues 11 and 12): every fallback, blank, empty sheet and
look-alike name is said, with its cells; names that only differ in case or Unicode form are
the same name; what xlpy cannot decide is an error, never a silent guess."""

from __future__ import annotations

import unicodedata

import openpyxl
import pytest

from conftest import edit_cells
from xlpy import actions
from xlpy.schema import core as L


def run(path, action="compute"):
    r = actions.run(action, path)
    return r, {p.code: p for p in r.problems}


def totals(r) -> dict[str, float]:
    return {u["code"]: u["total"] for u in r.data["units"]}


def clear_scores(path, sheets) -> None:
    """Blank every score cell (column C on) of ``sheets``, keeping the unit rows."""
    wb = openpyxl.load_workbook(path)
    for name in sheets:
        ws = wb[name]
        for row in ws.iter_rows(min_row=2, min_col=3):
            for c in row:
                c.value = None
    wb.save(path)


def rename_sheet(path, old, new) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[old]
    ws.title = "tmp"  # openpyxl refuses a title equal to another one ignoring case, itself included
    ws.title = new
    assert ws.title == new
    wb.save(path)


def test_empty_score_sheets_are_an_error_not_a_ranking(sample_copy):
    path = sample_copy()
    clear_scores(path, [L.SELF, L.BLOCK, L.OFFICE])
    for action in ("validate", "compute"):
        r, found = run(path, action)
        assert not r.ok, f"{action} passed a workbook without any score"
        assert found["no_scores"].is_error and found["no_scores"].sheet == L.SELF
        assert "empty_score_sheet" in found  # the block's sheet is named too
    assert "Nhất" not in r.message


def test_blank_rescore_falls_back_with_a_warning_at_the_cell_and_a_mark(sample_copy):
    path = sample_copy()
    base, _ = run(path)
    before = totals(base)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.BLOCK]
    code, value = ws["A3"].value, ws["C3"].value
    self_value = next(r[2].value for r in wb[L.SELF].iter_rows(min_row=2) if r[0].value == code)
    ws["C3"] = None
    wb.save(path)
    r, found = run(path)
    assert r.ok
    w = found["stage_fallback"]
    assert not w.is_error and w.sheet == L.BLOCK and w.cell == "C3"
    assert code in w.message and L.SELF in w.message
    unit = next(u for u in r.data["units"] if u["code"] == code)
    assert unit["fallback"], "the result must mark the unit whose score came from an earlier review"
    # the self-score is used for that item: the total moves by exactly the difference
    assert unit["total"] == pytest.approx(before[code] - value + self_value)


def test_items_never_scored_are_named(sample_copy):
    path = sample_copy()
    wb = openpyxl.load_workbook(path)
    code = wb[L.SELF]["A4"].value
    for name in (L.SELF, L.BLOCK, L.OFFICE):
        for row in wb[name].iter_rows(min_row=2):
            if row[0].value == code:
                row[3].value = None  # criterion in column D
    wb.save(path)
    r, found = run(path)
    assert r.ok
    w = found["unscored_items"]
    assert not w.is_error and code in w.message and "0 điểm" in w.message


def test_blank_maximum_with_bonus_criteria_is_said(sample_copy):
    path = sample_copy()
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SETTINGS]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Điểm tối đa")
    row[1].value = None
    wb.save(path)
    r, found = run(path)
    assert r.ok
    w = found["max_includes_bonus"]
    assert w.sheet == L.SETTINGS and w.cell == f"B{row[0].row}" and "điểm thưởng" in w.message


@pytest.mark.parametrize("variant", ["upper", "nfd", "spaces"])
def test_sheet_names_in_another_case_or_unicode_form_are_the_same_sheet(sample_copy, variant):
    base, _ = run(sample_copy())
    path = sample_copy("so-nganh-100")
    new = {"upper": L.BLOCK.upper(), "nfd": unicodedata.normalize("NFD", L.BLOCK), "spaces": f" {L.BLOCK}  "}[variant]
    new = new.strip() if variant != "spaces" else L.BLOCK.replace(" ", "  ")
    rename_sheet(path, L.BLOCK, new)
    r, found = run(path)
    assert r.ok, r.message
    assert totals(r) == totals(base)  # the block's scores are still the ones used
    assert "sheet_lookalike" not in found


@pytest.mark.parametrize("new", [f"{L.BLOCK} (2)", "Khoi cham", f"{L.BLOCK} - copy"])
def test_sheet_that_only_looks_like_a_score_sheet_is_an_error(sample_copy, new):
    path = sample_copy()
    rename_sheet(path, L.BLOCK, new)
    r, found = run(path)
    assert not r.ok
    e = found["sheet_lookalike"]
    assert e.is_error and e.sheet == new and L.BLOCK in e.message


def test_a_criterion_column_deleted_from_a_review_is_an_error(sample_copy):
    path = sample_copy()
    wb = openpyxl.load_workbook(path)
    ws = wb[L.BLOCK]
    gone = ws["D1"].value
    ws.delete_cols(4)
    wb.save(path)
    r, found = run(path)
    assert not r.ok
    e = found["missing_column"]
    assert e.sheet == L.BLOCK and str(gone) in e.message


def test_merged_score_cells_are_an_error(sample_copy):
    path = sample_copy()
    wb = openpyxl.load_workbook(path)
    wb[L.SELF].merge_cells("C2:D2")
    wb.save(path)
    r, found = run(path)
    assert not r.ok
    e = found["merged_cell"]
    assert e.sheet == L.SELF and "C2" in e.cell


def test_a_header_that_only_looks_like_a_known_one_is_an_error(sample_copy):
    path = sample_copy()
    edit_cells(path, {(L.UNITS, "B1"): "Ten don vi"})
    r, found = run(path)
    assert not r.ok
    e = found["header_lookalike"]
    assert e.sheet == L.UNITS and e.cell == "B1" and "Tên đơn vị" in e.message


def test_no_classification_without_a_maximum(tmp_path):
    """Deduction criteria only and no “Điểm tối đa”: nothing to measure classes against — an error
    at the setting, not every unit “Hoàn thành xuất sắc” against a maximum of 0."""
    from xlpy.book.template import build_workbook
    from xlpy.features import keyed

    crit = [{"code": "D1", "name": "Vi phạm chế độ báo cáo", "kind": "Điểm trừ", "max_points": 5.0}]
    units = [{"code": "A", "name": "Đơn vị A"}, {"code": "B", "name": "Đơn vị B"}]
    scores = {"A": {"D1": 1.0}, "B": {"D1": 0.0}}
    path = build_workbook(tmp_path / "khoi.xlsx", settings=keyed({"block_name": "Khối thử", "year": 2025}),
                          tables={L.UNITS: units, L.CRITERIA: crit}, stages={"self": scores, "block": scores})
    r, found = run(path)
    assert not r.ok
    e = found["no_maximum"]
    assert e.is_error and e.sheet == L.SETTINGS
    # with the scale typed, the same block classes normally
    wb = openpyxl.load_workbook(path)
    from conftest import set_settings

    set_settings(wb, {"max_total": 100})
    wb.save(path)
    r, found = run(path)
    assert r.ok, r.message
    assert {u["code"]: u["total"] for u in r.data["units"]} == {"A": -1.0, "B": 0.0}
