"""XwBook over a stand-in for a live xlwings Book: reads grids from A1, writes
output sheets all-or-nothing, never touches input sheets."""

from __future__ import annotations

import pytest

from xlpy.book.io import Book, CellError, OutputSheet
from xlpy.excel.xwbook import XwBook


class Obj:
    pass


class FakeRange:
    def __init__(self, sheet, r1, c1, r2=None, c2=None):
        self.sheet, self.row, self.column = sheet, r1, c1
        self.r2, self.c2 = r2 or r1, c2 or c1
        self.font = Obj()

    def options(self, **kw):
        return self

    @property
    def value(self):
        return [[self.sheet.cells.get((r, c)) for c in range(self.column, self.c2 + 1)] for r in range(self.row, self.r2 + 1)]

    @value.setter
    def value(self, v):
        if self.sheet.fail_on_write:
            raise RuntimeError("Excel is busy")
        rows = v if isinstance(v, list) else [[v]]
        for i, row in enumerate(rows):
            for j, x in enumerate(row if isinstance(row, list) else [row]):
                if isinstance(x, str) and x.startswith("'"):
                    x = x[1:]  # Excel: a leading apostrophe makes the rest text and is not part of the value
                elif isinstance(x, str) and x.startswith("="):
                    x = ("FORMULA", x)  # Excel would make this a live formula
                self.sheet.cells[(self.row + i, self.column + j)] = x


class FakeSheet:
    def __init__(self, book, name, cells=None):
        self.book, self.name, self.cells = book, name, dict(cells or {})
        self.fail_on_write = False
        self.tables = Obj()
        self.tables.add = lambda source, name, table_style_name: Obj()

    @property
    def used_range(self):
        if not self.cells:
            return FakeRange(self, 1, 1)
        rows = [r for r, _ in self.cells]
        cols = [c for _, c in self.cells]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    def range(self, a, b=None):
        if isinstance(a, str):
            return FakeRange(self, 1, 1)
        return FakeRange(self, a[0], a[1], *(b or (None, None)))

    def delete(self):
        self.book.sheets.items.remove(self)


class FakeSheets:
    def __init__(self, book):
        self.book, self.items = book, []

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.items[key]
        return next(s for s in self.items if s.name == key)

    def add(self, name=None, before=None, after=None):
        s = FakeSheet(self.book, name)
        s.fail_on_write = name in self.book.fail_names
        idx = self.items.index(before) if before else self.items.index(after) + 1
        self.items.insert(idx, s)
        return s


class FakeXwBook:
    def __init__(self):
        self.name = "khoi.xlsx"
        self.app = Obj()
        self.app.screen_updating = True
        self.app.display_alerts = True
        self.sheets = FakeSheets(self)
        self.fail_names: set[str] = set()

    def add(self, name, cells):
        self.sheets.items.append(FakeSheet(self, name, cells))


def snapshot(b: FakeXwBook):
    return [(s.name, dict(s.cells)) for s in b.sheets]


@pytest.fixture
def xb():
    b = FakeXwBook()
    b.add("Đơn vị", {(2, 2): "Mã đơn vị", (3, 2): "A", (3, 3): 5.0, (3, 4): "#N/A"})
    b.add("Kết quả", {(1, 1): "cũ"})
    return b


def test_protocol_and_grid_from_a1(xb):
    book = XwBook(xb)
    assert isinstance(book, Book)
    assert book.sheet_names() == ["Đơn vị", "Kết quả"]
    g = book.grid("Đơn vị")
    assert g[0] == [None, None, None, None]
    assert g[1][1] == "Mã đơn vị" and g[2][2] == 5 and isinstance(g[2][2], int)
    assert g[2][3] == CellError("#N/A")
    assert book.grid("Không có") is None


def test_replace_outputs_swaps_whole_sheets_in_place(xb):
    book = XwBook(xb)
    inputs_before = dict(xb.sheets["Đơn vị"].cells)
    book.replace_outputs(
        [
            OutputSheet("Kết quả", ["Mã", "Tổng"], [["A", 9.5]], notes=["ghi chú"]),
            OutputSheet("Kiểm tra", ["Mục"], [["ok"]]),
        ]
    )
    assert [s.name for s in xb.sheets] == ["Đơn vị", "Kết quả", "Kiểm tra"]
    assert xb.sheets["Kết quả"].cells[(1, 1)] == "Mã" and xb.sheets["Kết quả"].cells[(2, 2)] == 9.5
    assert "cũ" not in xb.sheets["Kết quả"].cells.values()
    assert xb.sheets["Đơn vị"].cells == inputs_before
    assert xb.app.screen_updating is True and xb.app.display_alerts is True


def test_failure_leaves_the_workbook_unchanged(xb):
    book = XwBook(xb)
    before = snapshot(xb)
    xb.fail_names = {"~xlpy1"}  # the second output sheet cannot be written
    with pytest.raises(RuntimeError):
        book.replace_outputs([OutputSheet("Kết quả", ["Mã"], [["A"]]), OutputSheet("Kiểm tra", ["Mục"], [["x"]])])
    assert snapshot(xb) == before
    assert xb.app.screen_updating is True


def test_text_that_looks_like_a_formula_or_a_number_stays_text():
    from xlpy.excel.xwbook import _plan

    out = OutputSheet("Kết quả", ["Mã", "Tên"], [["007", '=HYPERLINK("http://x","bấm")'], ["1/2", "+cmd"]])
    plan = _plan(out)
    cells = [v for row in plan["table"] for v in row]
    # every text goes to Excel with the text prefix, so Excel neither evaluates nor converts it
    assert all(isinstance(v, str) and v.startswith("'") for v in cells)
    assert cells[3] == "'=HYPERLINK(\"http://x\",\"bấm\")"
