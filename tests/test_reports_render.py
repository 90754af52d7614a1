"""Templated reports: context, Word and HTML rendering, template check, bad input."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.shared import Pt

from xlpy import actions
from xlpy import load_block
from xlpy.core.engine import compute
from xlpy.core.model import Block, Criterion, Kind, Settings, Stage, Unit
from xlpy.reports import charts
from xlpy.reports.context import SCHEMA, build_context, proposals_from_check
from xlpy.reports.render import DOCUMENTS, TemplateError, check_template, render_block, render_docx, render_html, template_dir

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
TEMPLATES = template_dir()
REPORT_TEMPLATES = [t for d in DOCUMENTS for t in (d.docx, d.html) if t]

HOSTILE = 'Sở <Tài chính> & "Kế hoạch" \'Đầu tư\' </w:t><w:p>{{ doc }}'


def make_block(names, totals=None, extra=None, crit_names=("Công tác chỉ đạo", "Kết quả nhiệm vụ")):
    crit = (
        Criterion("TC1", crit_names[0], Kind.POINTS, 40),
        Criterion("TC2", crit_names[1], Kind.POINTS, 60),
        Criterion("T1", "Điểm thưởng", Kind.BONUS, 5),
    )
    units = tuple(Unit(f"U{i + 1}", n, "Khối trưởng" if i == 0 else "Thành viên") for i, n in enumerate(names))
    rows = {}
    for i, u in enumerate(units):
        t = totals[i] if totals else 90 - 3.25 * i
        rows[u.code] = [min(40, t * 0.4), t - min(40, t * 0.4), 1]
    df = pd.DataFrame.from_dict(rows, orient="index", columns=["TC1", "TC2", "T1"], dtype=float)
    if not rows:
        df = pd.DataFrame(columns=["TC1", "TC2", "T1"], dtype=float)
    s = Settings(
        block_name="Khối thi đua Kinh tế – Kỹ thuật",
        year=2025,
        round_date=dt.date(2026, 1, 5),
        max_total=100,
        extra={"Địa danh": "Tây Ninh", "Người ký": "Trần Thị Bình", **(extra or {})},
    )
    return Block(s, units, crit, stages={Stage.BLOCK: df})


UNIT_NAMES = ["Sở Công Thương", "Sở Xây dựng", "Ban Quản lý Khu kinh tế", "Sở Giao thông vận tải", "Sở Khoa học và Công nghệ"]


def docx_text(path: Path) -> str:
    d = Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def result_table(path: Path):
    """The first bordered data table of the block report: list of rows of cell texts."""
    d = Document(str(path))
    for t in d.tables:
        head = [c.text for c in t.rows[0].cells]
        if head and head[0] == "Hạng":
            return [[c.text for c in r.cells] for r in t.rows[1:]]
    raise AssertionError("no results table")


# ---- context ------------------------------------------------------------------------
def test_context_is_preformatted_vietnamese():
    r = compute(make_block(UNIT_NAMES[:3], totals=[95.5, 1234.5, 80]))
    ctx = build_context(r, today=dt.date(2026, 1, 6))
    assert [u["rank"] for u in ctx["units"]] == [1, 2, 3]
    assert ctx["units"][0]["total"] == "1.235,5"  # 1234.5 + bonus 1, Vietnamese separators
    assert ctx["doc"]["place_date"] == "Tây Ninh, ngày 05 tháng 01 năm 2026"
    assert ctx["block"]["round_label"] == "tổng kết năm 2025"
    assert ctx["signer"] == {"authority": "TM. KHỐI THI ĐUA", "title": "TRƯỞNG KHỐI", "name": "Trần Thị Bình"}
    assert ctx["recipients"][-1] == "Lưu: VT"
    assert ctx["awards"]["available"] is False and ctx["awards"]["note"]
    # every documented top-level name is provided
    assert set(SCHEMA) <= set(ctx)


def test_context_sơ_kết_label_and_settings_by_attr():
    b = make_block(UNIT_NAMES[:2])
    r = compute(b)
    d = r.to_dict()
    d["block"]["period"] = "Sơ kết 6 tháng"
    ctx = build_context(d, {"signer_name": "Lê Văn C", "recipients": "Ban TĐKT tỉnh; Lưu: VT, KT"})
    assert ctx["block"]["round_label"] == "sơ kết 6 tháng đầu năm 2025"
    assert ctx["signer"]["name"] == "Lê Văn C"
    assert ctx["recipients"] == ["Ban TĐKT tỉnh", "Lưu: VT"]


def test_proposals_from_rules_check_with_money():
    r = compute(make_block(UNIT_NAMES[:3]))
    check = {
        "rule_set": {"name": "Nghị định 152/2025/NĐ-CP"},
        "candidates": [
            {"subject": "TT", "code": "U1", "name": "Sở Công Thương", "unit": "U1", "title_name": "Cờ thi đua của UBND tỉnh",
             "verdict": "đạt", "amount": 18720000, "citation": "Luật TĐKT Điều 26", "numbers": "", "fix": ""},
            {"subject": "TT", "code": "U2", "name": "Sở Xây dựng", "unit": "U2", "title_name": "Bằng khen của Chủ tịch UBND tỉnh",
             "verdict": "vượt tỷ lệ", "amount": None, "citation": "", "numbers": "3 > 2", "fix": "bớt 1 đề nghị"},
        ],
        "money": {"total": 18720000},
    }
    props, source, total = proposals_from_check(check)
    ctx = build_context(r, proposals=props, proposals_source=source, money_total=total)
    aw = ctx["awards"]
    assert aw["available"] and aw["n_ok"] == 1 and aw["n_over"] == 1 and aw["n_not_ok"] == 0 and aw["n_ineligible"] == 1
    assert aw["total_money"] == "18.720.000\u00a0đồng"  # never wraps between the figure and its unit
    assert aw["total_money_words"] == "Mười tám triệu bảy trăm hai mươi nghìn đồng"
    # what the block signs lists only the proposal that passed; the other is in the internal list, with why
    assert [p["name"] for p in ctx["proposals"]] == ["Sở Công Thương"]
    (over,) = ctx["ineligible"]
    assert over["verdict"] == "Vượt tỷ lệ" and "bớt 1 đề nghị" in over["reasons"] and over["money"] == ""
    assert ctx["units"][0]["proposal"]["form"] == "Cờ thi đua của UBND tỉnh"
    assert ctx["units"][1]["proposal"] is None
    assert proposals_from_check(None) == (None, "", None)


# ---- Word -----------------------------------------------------------------------------
def test_block_report_docx_rank_order_numbers_layout(tmp_path):
    r = compute(make_block(UNIT_NAMES, totals=[70, 91.25, 85, 99.5, 60]))
    ctx = build_context(r)
    out = render_docx(TEMPLATES / "bao-cao-khoi.docx", ctx, tmp_path / "bc.docx")
    rows = result_table(out)
    names = [row[1] for row in rows]
    assert names == ["Sở Giao thông vận tải", "Sở Xây dựng", "Ban Quản lý Khu kinh tế", "Sở Công Thương", "Sở Khoa học và Công nghệ"]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    assert rows[1][5] == "92,25"  # 91.25 + 1 bonus, decimal comma
    d = Document(str(out))
    sec = d.sections[0]
    mm = lambda v: round(v.mm, 1)  # noqa: E731 (Word stores twips)
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.top_margin), mm(sec.bottom_margin), mm(sec.left_margin), mm(sec.right_margin)) == (20, 20, 30, 15)
    assert sec.different_first_page_header_footer  # no number on page 1
    hdr = sec.header.paragraphs[0]
    assert "PAGE" in hdr._p.xml and hdr.alignment == 1  # centred page number
    assert d.styles["Normal"].font.name == "Times New Roman"
    text = docx_text(out)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Tây Ninh, ngày 05 tháng 01 năm 2026" in text
    assert "{{" not in text and "{%" not in text
    # place and date in italics, Quốc hiệu bold, every run Times New Roman
    runs = [r for p in _all_paragraphs(d) for r in p.runs if r.text.strip()]
    assert all(r.font.name == "Times New Roman" for r in runs)
    date_run = next(r for r in runs if r.text.startswith("Tây Ninh, ngày 05 tháng 01"))
    assert date_run.italic and date_run.font.size == Pt(14)
    qh = next(r for r in runs if r.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert qh.bold and qh.font.size == Pt(12)
    # the chart is a native Word chart
    with zipfile.ZipFile(out) as z:
        chart = [n for n in z.namelist() if n.startswith("word/charts/chart")]
        assert chart
        xml = z.read(chart[0]).decode()
    assert "Sở Giao thông vận tải" in xml and "<c:barChart>" in xml


def _all_paragraphs(d):
    yield from d.paragraphs
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                yield from c.paragraphs


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_template_renders_for_every_sample(sample, tmp_path):
    block, problems = load_block(sample)
    assert block is not None, problems
    r = compute(block)
    ctx = build_context(r)
    files = render_block(ctx, tmp_path, ("docx", "html"))
    n = len(r.table)
    assert len(files) == 2 * (4 + n)  # report, tờ trình, annex, internal list, one notice per unit
    bc = tmp_path / "bao-cao-khoi.docx"
    rows = result_table(bc)
    assert [row[1] for row in rows] == list(r.table["name"])
    assert [int(row[0]) for row in rows] == list(r.table["rank"])
    for f in files:
        if f.suffix == ".docx":
            Document(str(f))  # opens: a valid package
            assert "{{" not in docx_text(f)
        else:
            html = f.read_text(encoding="utf-8")
            assert html.startswith("<!DOCTYPE html>") and "{{" not in html
    first = r.table.iloc[0]
    notice = next(f for f in files if f.parent.name == "thong-bao" and f.name.startswith("01-") and f.suffix == ".docx")
    assert first["name"] in docx_text(notice)


def test_empty_block_and_single_unit(tmp_path):
    empty = build_context(compute(make_block([])))
    files = render_block(empty, tmp_path / "empty", ("docx", "html"))
    assert {f.name for f in files} == {"bao-cao-khoi.docx", "bao-cao-khoi.html", "danh-sach-de-nghi.docx",
                                       "danh-sach-de-nghi.html", "phu-luc-thong-ke.docx", "phu-luc-thong-ke.html",
                                       "khong-du-dieu-kien.docx", "khong-du-dieu-kien.html"}
    assert "Khối chưa có đơn vị nào" in docx_text(tmp_path / "empty" / "bao-cao-khoi.docx")
    one = build_context(compute(make_block(["Sở Tư pháp"])))
    files = render_block(one, tmp_path / "one", ("docx",))
    assert len(files) == 5
    assert result_table(tmp_path / "one" / "bao-cao-khoi.docx")[0][1] == "Sở Tư pháp"


def test_hostile_text_is_escaped_in_word_and_html(tmp_path):
    long_name = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp " * 4
    b = make_block([HOSTILE, long_name.strip(), "Sở Y tế"], crit_names=("Tiêu chí <b>in đậm</b> & \"trích\"", "Kết quả"),
                   extra={"Ưu điểm": "Dòng 1 <script>alert(1)</script>\nDòng 2 & hết", "Người ký": "Nguyễn <Văn> A"})
    ctx = build_context(compute(b))
    files = render_block(ctx, tmp_path, ("docx", "html"))
    bc = tmp_path / "bao-cao-khoi.docx"
    text = docx_text(bc)
    assert HOSTILE in text and long_name.strip() in text
    assert "Dòng 1 <script>alert(1)</script>" in text and "Nguyễn <Văn> A" in text
    for f in files:
        if f.suffix == ".docx":
            with zipfile.ZipFile(f) as z:
                assert z.testzip() is None
            Document(str(f))
    html = (tmp_path / "bao-cao-khoi.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Sở &lt;Tài chính&gt; &amp; &#34;Kế hoạch&#34;" in html
    assert "<b>in đậm</b>" not in (tmp_path / "phu-luc-thong-ke.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "&lt;Tài chính&gt;" in svg and "<Tài" not in svg


def test_broken_template_gives_clear_error_and_no_file(tmp_path):
    from docx import Document as New

    bad = tmp_path / "hong.docx"
    d = New()
    d.add_paragraph("Khối {{ block.name }")
    d.add_paragraph("{% for u in units %}{{ u.name }}")
    d.save(str(bad))
    out = tmp_path / "out" / "x.docx"
    with pytest.raises(TemplateError, match="hong.docx.*thẻ Jinja sai"):
        render_docx(bad, build_context(compute(make_block(UNIT_NAMES[:2]))), out)
    assert not out.exists() and not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True
    html = tmp_path / "hong.html.j2"
    html.write_text("<p>{{ block.name }</p>", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"dòng 1"):
        render_html(html, build_context(compute(make_block(UNIT_NAMES[:2]))), tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_unknown_variable_is_a_clear_error(tmp_path):
    html = tmp_path / "la.html.j2"
    html.write_text("<p>{{ khong_co }}</p>", encoding="utf-8")
    with pytest.raises(TemplateError, match="khong_co"):
        render_html(html, build_context(compute(make_block(UNIT_NAMES[:2]))))


def test_failed_render_keeps_the_previous_file(tmp_path):
    ctx = build_context(compute(make_block(UNIT_NAMES[:2])))
    out = render_docx(TEMPLATES / "bao-cao-khoi.docx", ctx, tmp_path / "bc.docx")
    before = out.read_bytes()
    bad = tmp_path / "bad.docx"
    from docx import Document as New

    d = New()
    d.add_paragraph("{% if %}")
    d.save(str(bad))
    with pytest.raises(TemplateError):
        render_docx(bad, ctx, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ---- templates check ----------------------------------------------------------------
@pytest.mark.parametrize("name", REPORT_TEMPLATES)
def test_shipped_templates_use_only_provided_variables(name):
    res = check_template(TEMPLATES / name)
    assert res.ok, res.unknown
    assert {"units", "unit", "proposals", "ineligible"} & set(res.variables)


def test_templates_check_reports_unknown_names_and_attributes(tmp_path):
    html = tmp_path / "x.html.j2"
    html.write_text("{{ khoi }} {{ block.nmae }} {% for u in units %}{{ u.totl }}{{ u.total }}{% endfor %}", encoding="utf-8")
    res = check_template(html)
    assert res.unknown == ["khoi", "block.nmae", "u.totl"]
    from docx import Document as New

    d = New()
    d.add_paragraph("{{ don_vi }} {{ doc.place_date }}")
    d.save(str(tmp_path / "x.docx"))
    r = actions.run("templates check", template=tmp_path / "x.docx")
    assert not r.ok and r.data["unknown"] == ["don_vi"] and "don_vi" in r.message
    ok = actions.run("templates check", template=TEMPLATES / "bao-cao-khoi.docx")
    assert ok.ok, ok.message
    broken = tmp_path / "b.html.j2"
    broken.write_text("{% for %}", encoding="utf-8")
    r = actions.run("templates check", template=broken)
    assert not r.ok and "thẻ Jinja sai" in r.message


def test_templates_check_knows_the_province_report(tmp_path):
    shipped = TEMPLATES / "bao-cao-tinh.docx"
    auto = actions.run("templates check", template=shipped)
    assert auto.ok and auto.data["level"] == "tinh" and "báo cáo cấp tỉnh" in auto.message, auto.message
    assert not actions.run("templates check", template=shipped, level="khoi").ok  # against a block's variables it fails
    html = tmp_path / "tinh.html.j2"
    html.write_text("{{ province.name }} {% for b in blocks %}{{ b.leader }}{{ b.leadr }}{% endfor %}{{ block.name }}",
                    encoding="utf-8")
    r = actions.run("templates check", template=html, level="tinh")
    assert not r.ok and r.data["unknown"] == ["block", "b.leadr"]
    assert actions.run("templates check", template=TEMPLATES / "bao-cao-khoi.docx").data["level"] == "khoi"


# ---- charts ---------------------------------------------------------------------------
def test_svg_chart_values_vietnamese():
    svg = charts.svg_bar_chart(["Sở A", "Sở <B>"], [95.5, 80.25])
    assert "95,5" in svg and "80,25" in svg and "&lt;B&gt;" in svg
    assert charts.svg_bar_chart([], []) == ""


# ---- the action -----------------------------------------------------------------------
def test_report_action_word_and_html(tmp_path, monkeypatch):
    sample = SAMPLES[0]
    book = tmp_path / sample.name
    book.write_bytes(sample.read_bytes())
    res = actions.run("report", book, format="docx,html", out=tmp_path / "bc")
    assert res.ok, res.message
    assert (tmp_path / "bc" / "bao-cao-khoi.docx").exists() and (tmp_path / "bc" / "bao-cao-khoi.html").exists()
    assert not any(f.suffix == ".pdf" for f in res.files)
    bad = actions.run("report", book, format="odt")
    assert not bad.ok and "không hợp lệ" in bad.message


def test_report_action_without_libreoffice_still_writes_word_and_html(tmp_path, monkeypatch):
    from xlpy.reports import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    sample = SAMPLES[0]
    book = tmp_path / sample.name
    book.write_bytes(sample.read_bytes())
    res = actions.run("report", book, format="all", out=tmp_path / "bc")
    assert res.ok
    assert "LibreOffice" in res.message
    assert any(f.suffix == ".docx" for f in res.files) and any(f.suffix == ".html" for f in res.files)
    assert not list((tmp_path / "bc").rglob("*.pdf"))
    only_pdf = actions.run("report", book, format="pdf", out=tmp_path / "p")
    assert not only_pdf.ok and "LibreOffice" in only_pdf.message
