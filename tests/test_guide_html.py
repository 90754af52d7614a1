"""The user guide's HTML page: in sync with the Markdown, self-contained, Vietnamese, serif."""

from __future__ import annotations

import importlib.util
import re

from conftest import ROOT

PAGE = ROOT / "docs" / "huong-dan-su-dung.html"


def _gen():
    spec = importlib.util.spec_from_file_location("guide_html", ROOT / "tools" / "guide_html.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_page_is_current():
    gen = _gen()
    md = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    assert PAGE.read_text(encoding="utf-8") == gen.render(md), "run: python3 tasks.py docs (tools/guide_html.py)"


def test_page_is_self_contained_vietnamese_and_serif():
    html = PAGE.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and '<meta charset="utf-8">' in html
    assert "<title>Hướng dẫn sử dụng xlpy</title>" in html
    assert "Times New Roman" in html and "serif" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""<(link|img|script|iframe)\b[^>]*\b(href|src)=["']?https?:""", html, re.I)
    assert "@import" not in html
    assert "<table" in html and "<h2>" in html  # tables and sections of the Markdown rendered


def test_raw_html_in_the_markdown_is_escaped():
    page = _gen().render("# T\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<table border="1"' in page


def test_guide_button_opens_the_page(tmp_path, monkeypatch):
    from xlpy.excel import actions as excel_actions

    monkeypatch.setenv("XLPY_NO_OPEN", "1")
    res = excel_actions.guide()
    assert res.ok and res.data["guide"].endswith("huong-dan-su-dung.html")
    assert res.files[0].read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8")
