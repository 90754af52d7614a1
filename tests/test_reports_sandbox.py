"""Report templates are data too: an office's own Word or HTML template renders in Jinja's
sandbox, is used only from a folder named explicitly (the setting or ``--templates``), and
the first use of such a folder is announced."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import set_settings
from xlpy import actions
from xlpy.resources import packaged_templates

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch MARK') }}",
    "{{ lipsum.__globals__['os'].popen('touch MARK').read() }}",
    "{{ block.__class__.__mro__[-1].__subclasses__() }}{# MARK #}",
    "{{ block.name.__class__.__base__.__subclasses__() }}{# MARK #}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch MARK') }}",
]


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    monkeypatch.setenv("XLPY_STATE_DIR", str(tmp_path / "trang-thai"))
    monkeypatch.delenv("XLPY_TEMPLATES", raising=False)


def html_folder(folder: Path, body: str) -> Path:
    """An office's folder with its own block report (HTML) and nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bao-cao-khoi.html.j2").write_text(f"<html><body><h1>{{{{ block.name }}}}</h1>{body}</body></html>",
                                                 encoding="utf-8")
    return folder


def docx_folder(folder: Path, text: str) -> Path:
    from docx import Document

    folder.mkdir(parents=True, exist_ok=True)
    d = Document()
    d.add_paragraph("Khối {{ block.name }}")
    d.add_paragraph(text)
    d.save(str(folder / "bao-cao-khoi.docx"))
    return folder


def with_setting(book: Path, folder: str) -> None:
    wb = openpyxl.load_workbook(book)
    set_settings(wb, {"report_template_dir": folder})
    wb.save(book)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("kind", ["html", "docx"])
def test_own_template_cannot_run_code(sample_copy, tmp_path, payload, kind):
    book = sample_copy()
    marker = tmp_path / "pwned"
    text = payload.replace("MARK", str(marker))
    folder = html_folder(tmp_path / "mau", text) if kind == "html" else docx_folder(tmp_path / "mau", text)
    res = actions.run("report", book, format=kind, out=tmp_path / "bc", templates=folder)
    assert not marker.exists(), "a report template ran a command"
    assert not res.ok
    assert "bao-cao-khoi" in res.message and ("không được phép" in res.message or "biến không có" in res.message), res.message
    assert "Traceback" not in res.message


def test_setting_names_the_folder_and_first_use_is_announced(sample_copy, tmp_path):
    book = sample_copy()
    folder = html_folder(book.parent / "mau-rieng", "<p>Mẫu riêng của khối: {{ units|length }} đơn vị</p>")
    with_setting(book, "mau-rieng")  # relative to the workbook's folder
    first = actions.run("report", book, format="html", out=tmp_path / "bc1")
    assert first.ok, first.message
    html = (tmp_path / "bc1" / "bao-cao-khoi.html").read_text(encoding="utf-8")
    assert "Mẫu riêng của khối" in html
    # what the folder lacks comes from xlpy's own templates
    assert "<table" in (tmp_path / "bc1" / "danh-sach-de-nghi.html").read_text(encoding="utf-8")
    [w] = [p for p in first.problems if p.code == "report_template_dir_new"]
    assert w.sheet == "Cài đặt" and w.cell.startswith("B") and str(folder.resolve()) in w.message
    second = actions.run("report", book, format="html", out=tmp_path / "bc2")
    assert second.ok and not [p for p in second.problems if p.code == "report_template_dir_new"]


def test_folder_beside_the_workbook_is_not_picked_up(sample_copy, tmp_path):
    book = sample_copy()
    for name in ("templates", "mau", book.stem + "-mau"):
        html_folder(book.parent / name, "<p>KHÔNG ĐƯỢC DÙNG</p>")
    shutil.copy(book.parent / "mau" / "bao-cao-khoi.html.j2", book.parent / "bao-cao-khoi.html.j2")
    res = actions.run("report", book, format="html", out=tmp_path / "bc")
    assert res.ok, res.message
    html = (tmp_path / "bc" / "bao-cao-khoi.html").read_text(encoding="utf-8")
    assert "KHÔNG ĐƯỢC DÙNG" not in html
    assert html != "" and (packaged_templates() / "bao-cao-khoi.html.j2").exists()


def test_missing_folder_in_the_setting_is_an_error_at_its_cell(sample_copy, tmp_path):
    book = sample_copy()
    with_setting(book, "khong-co-thu-muc-nay")
    res = actions.run("report", book, format="html", out=tmp_path / "bc")
    assert not res.ok and not (tmp_path / "bc").exists()
    [e] = [p for p in res.problems if p.code == "report_template_dir"]
    assert e.is_error and e.sheet == "Cài đặt" and "khong-co-thu-muc-nay" in e.message
