"""Output sheets that print and read (issue 12): read back from the XML xlpy saved.

The results chart covers exactly the units' rows (its ranges and its cached labels and
values), is labelled by name and score only; every output sheet has a print setup (fit
to one page wide, repeated header rows, page numbers; landscape where wide); criterion
columns are headed by code and name.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import python_calamine
import pytest

from xlpy import actions
from xlpy.features import output_sheets
from xlpy.schema import core as S

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part of ``part``."""
    p = PurePosixPath(part)
    name = str(p.parent / "_rels" / (p.name + ".rels"))
    if name not in z.namelist():
        return {}
    out = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", z.read(name).decode()):
        tag = m.group(0)
        rid = re.search(r'\bId="([^"]+)"', tag).group(1)
        target = re.search(r'\bTarget="([^"]+)"', tag).group(1)
        if target.startswith("/"):  # absolute: from the package root
            out[rid] = target.lstrip("/")
            continue
        parts = list((p.parent / target).parts)
        norm: list[str] = []
        for q in parts:
            if q == "..":
                norm.pop()
            elif q != ".":
                norm.append(q)
        out[rid] = "/".join(norm)
    return out


def sheet_parts(book: Path) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships."""
    with zipfile.ZipFile(book) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = _rels(z, "xl/workbook.xml")
    out = {}
    for m in re.finditer(r"<sheet\b[^>]*/>", wb):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]+)"', tag).group(1).replace("&amp;", "&")
        rid = re.search(r'\br:id="([^"]+)"', tag).group(1)
        out[name] = rels[rid]
    return out


def chart_of(book: Path, sheet: str) -> str:
    part = sheet_parts(book)[sheet]
    with zipfile.ZipFile(book) as z:
        xml = z.read(part).decode()
        rid = re.search(r'<drawing r:id="([^"]+)"', xml).group(1)
        drawing = _rels(z, part)[rid]
        chart = next(iter(_rels(z, drawing).values()))
        return z.read(chart).decode()


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    import shutil

    from conftest import SAMPLES

    book = tmp_path_factory.mktemp("in") / "khoi.xlsx"
    shutil.copy(SAMPLES / "so-nganh-100.xlsx", book)
    assert actions.run("rank", book).ok  # writes the ranking sheet
    res = actions.run("compute", book)  # and the results, differences and checks
    assert res.ok, res.message
    return book, res


def test_chart_covers_exactly_the_units_labelled_by_name_and_score(computed):
    book, res = computed
    units = res.data["units"]
    rows = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_name(S.RESULTS).to_python()
    # the data rows of the results sheet: those whose name cell is a unit's name
    names = {u["name"] for u in units}
    data_rows = [i + 1 for i, r in enumerate(rows) if any(c in names for c in r)]
    first, last = data_rows[0], data_rows[-1]
    assert last - first + 1 == len(units) == len(data_rows)
    chart = chart_of(book, S.RESULTS)
    cat = re.search(r"<c:cat>.*?<c:f>([^<]+)</c:f>", chart, re.S).group(1)
    val = re.search(r"<c:val>.*?<c:f>([^<]+)</c:f>", chart, re.S).group(1)
    assert re.fullmatch(rf"'?{S.RESULTS}'?!\$[A-Z]+\${first}:\$[A-Z]+\${last}", cat), cat
    assert re.fullmatch(rf"'?{S.RESULTS}'?!\$[A-Z]+\${first}:\$[A-Z]+\${last}", val), val
    # the cached points are the units in rank order, names and totals
    cat_xml = re.search(r"<c:cat>(.*?)</c:cat>", chart, re.S).group(1)
    val_xml = re.search(r"<c:val>(.*?)</c:val>", chart, re.S).group(1)
    labels = re.findall(r"<c:v>([^<]*)</c:v>", cat_xml)
    values = [float(v) for v in re.findall(r"<c:v>([^<]*)</c:v>", val_xml)]
    by_rank = sorted(units, key=lambda u: (u["rank"], u["name"]))
    assert labels == [r[[c for c in r].index(u["name"])] for r, u in zip(rows[first - 1:last], by_rank)]
    assert sorted(values, reverse=True) == sorted([float(u["total"]) for u in units], reverse=True)
    assert len(labels) == len(values) == len(units)
    # data labels: the value only, never the series or category name ("Sở Y tế; Column O; 94.50")
    dl = re.search(r"<c:dLbls>(.*?)</c:dLbls>", chart, re.S).group(1)
    assert '<c:showVal val="1"/>' in dl
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        assert f'<c:{flag} val="1"/>' not in dl
    assert '<c:orientation val="maxMin"/>' in chart  # rank 1 on top


@pytest.mark.parametrize("sheet", [S.RESULTS, S.RANKING, S.DIFFS, S.CHECKS])
def test_every_output_sheet_has_a_print_setup(computed, sheet):
    book, _res = computed
    parts = sheet_parts(book)
    with zipfile.ZipFile(book) as z:
        xml = z.read(parts[sheet]).decode()
        wb = z.read("xl/workbook.xml").decode()
    assert '<pageSetUpPr fitToPage="1"/>' in xml
    setup = re.search(r"<pageSetup\b[^>]*/>", xml).group(0)
    assert 'fitToWidth="1"' in setup and 'fitToHeight="0"' in setup and 'paperSize="9"' in setup
    assert "&amp;P" in xml and "&amp;N" in xml  # page numbers in the footer
    index = list(parts).index(sheet)
    titles = re.search(rf'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">([^<]+)</definedName>', wb)
    assert titles and re.fullmatch(r"'?[^!]+'?!\$\d+:\$\d+", titles.group(1)), titles


def test_wide_sheets_print_landscape_and_criteria_show_their_names(computed):
    book, _res = computed
    parts = sheet_parts(book)
    with zipfile.ZipFile(book) as z:
        xml = z.read(parts[S.RESULTS]).decode()
    assert 'orientation="landscape"' in xml
    rows = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_name(S.RESULTS).to_python()
    crit = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_name(S.CRITERIA).to_python()
    head = crit[0]
    code_i, name_i, kind_i = head.index("Mã"), head.index("Tên tiêu chí"), head.index("Loại")
    expected = {f"{r[code_i]} – {r[name_i]}" for r in crit[1:] if r[code_i] and r[kind_i] not in ("", "Nhóm")}  # criteria, not groups
    shown = {c for r in rows[:6] for c in r if isinstance(c, str)}
    assert expected and expected <= shown, sorted(expected - shown)[:3]


def test_output_sheets_are_the_declared_ones(computed):
    book, _res = computed
    written = set(sheet_parts(book))
    assert {S.RESULTS} <= written
    assert written & set(output_sheets()) <= set(output_sheets())


def test_new_workbooks_print_one_page_wide(tmp_path):
    """Every sheet of a new block workbook and of a new province workbook prints on A4 one page
    wide: the guide (130 characters) and the settings (144) landscape, the classes sheet (two columns) portrait;
    the input sheets repeat their header row on every page."""
    from xlpy.features import input_sheets
    from xlpy.province.workbook import new_province_workbook
    from xlpy.schema import province as P

    block = tmp_path / "khoi.xlsx"
    assert actions.run("new", path=block).ok
    province = new_province_workbook(tmp_path / "tinh.xlsx", {}, None)
    orientation = {S.GUIDE: "landscape", P.GUIDE: "landscape", S.SETTINGS: "landscape", P.SETTINGS: "landscape",
                   S.CLASSES: "portrait"}
    for book, inputs in ((block, input_sheets()), (province, [P.SETTINGS, P.EXPECTED])):
        parts = sheet_parts(book)
        with zipfile.ZipFile(book) as z:
            wb = z.read("xl/workbook.xml").decode()
            guide = next(iter(parts))
            inputs = [s for s in inputs if s != guide]
            for sheet in [guide, *inputs]:
                xml = z.read(parts[sheet]).decode()
                assert '<pageSetUpPr fitToPage="1"/>' in xml, (book.name, sheet)
                setup = re.search(r"<pageSetup\b[^>]*/>", xml).group(0)
                for attr in ('paperSize="9"', 'fitToWidth="1"', 'fitToHeight="0"'):
                    assert attr in setup, (book.name, sheet, attr)
                if sheet in orientation:
                    assert f'orientation="{orientation[sheet]}"' in setup, (book.name, sheet)
                if sheet in inputs:
                    index = list(parts).index(sheet)
                    assert re.search(rf'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">[^<]*\$1:\$1</definedName>', wb), sheet
