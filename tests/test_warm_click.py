"""Ribbon clicks in one long-lived Python (xlwings' COM server, "Use UDF Server" = True): a click
keeps no state that a later click could see.  Each warm click must give exactly what a cold
click (a fresh Python) gives on the same file, after the workbook changed, after a switch to
another workbook, and after a click that failed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import SAMPLES, edit_cells
from xlpy.book.io import FileBook
from xlpy.excel import build, ribbon

RESULTS = "Kết quả"


def results(book) -> list[list]:
    return FileBook(book).grid(RESULTS)


def warm(tag: str, book, monkeypatch) -> None:
    monkeypatch.setenv("XLPY_CALLER_BOOK", str(book))
    monkeypatch.setenv("XLPY_NO_OPEN", "1")
    ribbon.dispatch(tag)


def cold(tag: str, book) -> None:
    env = {**os.environ, "XLPY_CALLER_BOOK": str(book), "XLPY_NO_OPEN": "1", "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run([sys.executable, "-P", "-c", build.DISPATCH_TEMPLATE.format(tag=tag)], capture_output=True, text=True,
                       env=env, timeout=300)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr


def test_warm_clicks_see_every_change(sample_copy, tmp_path, monkeypatch):
    a = sample_copy("so-nganh-100")
    b = sample_copy("thang-1000")

    warm("compute", a, monkeypatch)
    first = results(a)

    # the block corrects a score (the last grader's counts) and the officer clicks again, same Python
    edit_cells(a, {("Khối chấm", "C2"): 0})
    warm("compute", a, monkeypatch)
    again = results(a)
    assert again != first, "the second click did not see the edited workbook"
    twin = tmp_path / "cold" / a.name
    twin.parent.mkdir()
    shutil.copy(a, twin)
    cold("compute", twin)
    assert again == results(twin)

    # another workbook: its own results, not the first one's
    warm("compute", b, monkeypatch)
    twin_b = tmp_path / "cold" / b.name
    shutil.copy(SAMPLES / "thang-1000.xlsx", twin_b)
    cold("compute", twin_b)
    assert results(b) == results(twin_b)
    assert results(b) != again


def test_a_failed_click_leaves_nothing_behind(sample_copy, monkeypatch):
    book = sample_copy("so-nganh-100")
    edit_cells(book, {("Tự chấm", "C2"): "tám"})
    before = book.read_bytes()
    warm("compute", book, monkeypatch)
    assert book.read_bytes() == before
    edit_cells(book, {("Tự chấm", "C2"): 8})
    warm("compute", book, monkeypatch)
    assert RESULTS in FileBook(book).sheet_names()


def test_the_addin_sends_clicks_to_the_persistent_server():
    """What makes the clicks warm: the setting read by xlwings' RunPython (GetConfig "USE UDF SERVER")."""
    conf = dict(build.config_rows())
    assert conf["Use UDF Server"] is True and conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False
