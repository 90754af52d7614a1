"""Build the Word templates of templates/ (reproducible: ``python tools/build_templates.py``).

Each ``.docx`` is laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I asks (see
``docs/mau-bao-cao.md``): A4, margins 20/20/30/15 mm, Times New Roman, the
header block (issuing body | Quốc hiệu and Tiêu ngữ with their rule lines),
number and symbol, place and date in italics, title and trích yếu, justified
body with a 1 cm first-line indent, Nơi nhận and the signature block; page
numbers centred at the top from page 2.  The Jinja tags (docxtpl) are written
each in one run, so Word never splits them.  Officers may edit the generated
files in Word; ``xlpy templates check`` tells them when a tag is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

HERE = Path(__file__).resolve().parents[1] / "templates"  # the templates/ folder it fills
FONT = "Times New Roman"
TEXT_W = 210 - 30 - 15  # mm, portrait text width
J = WD_ALIGN_PARAGRAPH


# ---- low-level helpers ----------------------------------------------------------------
def set_run_font(run, size=None, bold=None, italic=None):
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(k), FONT)
    if size is not None:
        run.font.size = Pt(size)
        szcs = OxmlElement("w:szCs")
        szcs.set(qn("w:val"), str(int(size * 2)))
        rpr.append(szcs)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    return run


def para(container, text="", size=14, bold=False, italic=False, align=J.JUSTIFY, indent=None, before=0, after=6,
         keep_next=False, line=None, runs=None):
    """A paragraph; ``runs`` is a list of (text, bold, italic) for mixed formatting."""
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line:
        pf.line_spacing = line
    if indent is not None:
        pf.first_line_indent = Cm(indent)
    if keep_next:
        pf.keep_with_next = True
    for t, b, i in runs or [(text, bold, italic)]:
        if t:
            set_run_font(p.add_run(t), size, b, i)
    return p


def tag(container, text):
    """A paragraph holding only a docxtpl block tag ({%p …%}); removed when rendering."""
    p = container.add_paragraph()
    set_run_font(p.add_run(text), 2)
    return p


def rule(container, width_mm, cell_mm, after=0):
    """A centred thin line ``width_mm`` long: a paragraph's top border, its width set by indents."""
    p = container.add_paragraph()
    pf = p.paragraph_format
    side = max((cell_mm - width_mm) / 2, 0)
    pf.left_indent = Mm(side)
    pf.right_indent = Mm(side)
    pf.space_before = Pt(0)
    pf.space_after = Pt(after)
    pf.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    bdr.append(top)
    ppr.insert(0, bdr) if False else ppr.append(bdr)
    set_run_font(p.add_run(""), 2)
    return p


def no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl_pr.append(borders)


def grid_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            e.set(qn(k), v)
        borders.append(e)
    tbl_pr.append(borders)


def fixed_widths(table, widths_mm):
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = table._tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


def header_row(row):
    tr_pr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader")
    h.set(qn("w:val"), "true")
    tr_pr.append(h)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def shade(cell, fill="D9D9D9"):
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def cell_text(cell, text, size=12, bold=False, italic=False, align=J.CENTER):
    cell.paragraphs[0].text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = align
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.space_after = Pt(2)
    if text:
        set_run_font(p.add_run(text), size, bold, italic)
    return p


def page_number_field(paragraph, size=13):
    def fld(kind, text=None):
        r = paragraph.add_run()
        set_run_font(r, size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    fld("instr", " PAGE ")
    fld("separate")
    r = paragraph.add_run("2")
    set_run_font(r, size)
    fld("end")


# ---- document skeleton -----------------------------------------------------------------
def new_document(landscape=False):
    doc = Document()
    # document defaults: Times New Roman 14, Vietnamese, black
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(k), FONT)
    for k in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(k)) is not None:
            del fonts.attrib[qn(k)]
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for f in defaults.iter(qn("w:rFonts")):
            for k in list(f.attrib):
                del f.attrib[k]
            for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                f.set(qn(k), FONT)
        for lg in defaults.iter(qn("w:lang")):
            lg.set(qn("w:val"), "vi-VN")
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0

    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
        sec.top_margin, sec.bottom_margin = Mm(30), Mm(15)
        sec.left_margin, sec.right_margin = Mm(20), Mm(20)
    else:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
        sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance = Mm(10)
    sec.footer_distance = Mm(10)
    sec.different_first_page_header_footer = True
    hp = sec.header.paragraphs[0]
    hp.paragraph_format.alignment = J.CENTER
    page_number_field(hp, 13)
    # the first page header stays empty (no number on page 1)
    sec.first_page_header.paragraphs[0].text = ""
    core = doc.core_properties
    core.author = "xlpy"
    core.language = "vi-VN"
    return doc


def header_block(doc, number=True, text_w=TEXT_W):
    """Issuing body | Quốc hiệu, Tiêu ngữ; then Số | place and date."""
    left_w, right_w = 66, text_w - 66
    t = doc.add_table(rows=2, cols=2)
    no_borders(t)
    fixed_widths(t, [left_w, right_w])
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    L, R = t.cell(0, 0), t.cell(0, 1)
    L.paragraphs[0]._p.getparent().remove(L.paragraphs[0]._p)
    R.paragraphs[0]._p.getparent().remove(R.paragraphs[0]._p)
    tag(L, "{%p if doc.parent_body %}")
    para(L, "{{ doc.parent_body_upper }}", size=13, align=J.CENTER, after=0)
    tag(L, "{%p endif %}")
    para(L, "{{ doc.issuing_body_upper }}", size=13, bold=True, align=J.CENTER, after=0)
    rule(L, 22, left_w - 4).paragraph_format.space_before = Pt(2)
    para(R, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=J.CENTER, after=0)
    para(R, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, align=J.CENTER, after=0)
    rule(R, 62, right_w - 4).paragraph_format.space_before = Pt(2)
    L2, R2 = t.cell(1, 0), t.cell(1, 1)
    if number:
        p = cell_text(L2, "{{ doc.number_line }}", size=13)
    else:
        cell_text(L2, "")
    p = cell_text(R2, "{{ doc.place_date }}", size=14, italic=True)
    p.paragraph_format.space_before = Pt(6)
    L2.paragraphs[0].paragraph_format.space_before = Pt(6)
    return t


def title(doc, kind, summary_lines):
    para(doc, kind, size=14, bold=True, align=J.CENTER, before=18, after=0, keep_next=True)
    for s in summary_lines:
        para(doc, s, size=14, bold=True, align=J.CENTER, after=0, keep_next=True)
    rule(doc, 40, TEXT_W, after=12).paragraph_format.space_before = Pt(7)


def heading(doc, text, size=14):
    return para(doc, text, size=size, bold=True, align=J.JUSTIFY, indent=1, before=6, after=6, keep_next=True)


def body(doc, text, italic=False):
    return para(doc, text, size=14, italic=italic, indent=1, after=6)


def paragraphs_loop(doc, var, item="s"):
    tag(doc, "{%p for " + item + " in " + var + " %}")
    body(doc, "{{ " + item + " }}")
    tag(doc, "{%p endfor %}")


def data_table(doc, headers, cells, widths, size=12, aligns=None, loop="u in units", total_row=None):
    """A bordered table: header row, then one row repeated by ``{%tr for …%}``."""
    nrows = 4 + (1 if total_row else 0)
    t = doc.add_table(rows=nrows, cols=len(headers))
    grid_borders(t)
    fixed_widths(t, widths)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, h in enumerate(headers):
        cell_text(t.cell(0, j), h, size=size, bold=True)
        shade(t.cell(0, j))
    header_row(t.rows[0])
    # row 1: loop start, row 2: the data, row 3: loop end (docxtpl drops tag rows)
    cell_text(t.cell(1, 0), "{%tr for " + loop + " %}", size=2)
    aligns = aligns or [J.CENTER] * len(cells)
    for j, c in enumerate(cells):
        cell_text(t.cell(2, j), c, size=size, align=aligns[j])
    cell_text(t.cell(3, 0), "{%tr endfor %}", size=2)
    if total_row:
        for j, c in enumerate(total_row):
            cell_text(t.cell(4, j), c, size=size, bold=True, align=aligns[j])
    # keep the data row's lines together
    t.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return t


def signature(doc, text_w=TEXT_W, recipients=True):
    left_w, right_w = text_w * 0.5, text_w * 0.5
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    fixed_widths(t, [left_w, right_w])
    L, R = t.cell(0, 0), t.cell(0, 1)
    L.paragraphs[0]._p.getparent().remove(L.paragraphs[0]._p)
    R.paragraphs[0]._p.getparent().remove(R.paragraphs[0]._p)
    if recipients:
        para(L, "Nơi nhận:", size=12, bold=True, italic=True, align=J.LEFT, before=12, after=0)
        tag(L, "{%p for r in recipients %}")
        para(L, "- {{ r }}{% if loop.last %}.{% else %};{% endif %}", size=11, align=J.LEFT, after=0)
        tag(L, "{%p endfor %}")
    else:
        para(L, "", size=11)
    para(R, "{{ signer.authority }}", size=14, bold=True, align=J.CENTER, before=12, after=0)
    para(R, "{{ signer.title }}", size=14, bold=True, align=J.CENTER, after=0)
    para(R, "", size=14, after=0)
    para(R, "", size=14, after=0)
    para(R, "", size=14, after=0)
    para(R, "", size=14, after=0)
    para(R, "{{ signer.name }}", size=14, bold=True, align=J.CENTER, after=0)
    # keep the signature table on one page with the last line before it
    for row in t.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return t


def chart_block(doc, caption):
    tag(doc, "{%p if chart %}")
    para(doc, "{{ chart }}", align=J.CENTER, after=0)
    para(doc, caption, size=13, italic=True, align=J.CENTER, after=6)
    tag(doc, "{%p endif %}")


# ---- the four templates ---------------------------------------------------------------
def bao_cao_khoi():
    doc = new_document()
    header_block(doc)
    title(
        doc,
        "BÁO CÁO",
        ["Kết quả chấm điểm, xếp hạng thi đua {{ block.round_label }}", "của {{ block.name }}"],
    )
    body(doc, "Căn cứ giao ước thi đua năm {{ block.year }} và bảng tiêu chí chấm điểm đã được các đơn vị thống nhất; "
         "căn cứ kết quả tự chấm của các đơn vị và kết quả chấm điểm của Khối, {{ block.name }} báo cáo kết quả "
         "{{ block.round_label }} như sau:")
    heading(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH")
    body(doc, "{{ block.name }} gồm {{ block.n_units }} đơn vị{% if block.leader %}, do {{ block.leader }} làm Khối trưởng"
         "{% if block.deputy %}, {{ block.deputy }} làm Khối phó{% endif %}{% endif %}. Bảng tiêu chí gồm "
         "{{ block.n_criteria }} tiêu chí, thang điểm tối đa {{ block.max_total }} điểm. Việc bình xét được tổ chức "
         "{{ block.round_date }}.")
    heading(doc, "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG")
    heading(doc, "1. Bảng tổng hợp kết quả (xếp theo thứ hạng)")
    tag(doc, "{%p if units %}")
    data_table(
        doc,
        ["Hạng", "Đơn vị", "Điểm nội dung", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại"],
        ["{{ u.rank }}", "{{ u.name }}", "{{ u.content }}", "{{ u.bonus }}", "{{ u.deduction }}", "{{ u.total }}", "{{ u.class }}"],
        [15, 50, 18, 18, 15, 17, 32],
        aligns=[J.CENTER, J.LEFT, J.RIGHT, J.RIGHT, J.RIGHT, J.RIGHT, J.LEFT],
    )
    para(doc, "", size=6, after=0)
    chart_block(doc, "Biểu đồ tổng điểm của các đơn vị trong Khối")
    tag(doc, "{%p else %}")
    body(doc, "Khối chưa có đơn vị nào được chấm điểm trong kỳ này.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if ties %}")
    body(doc, "Các trường hợp bằng điểm:")
    tag(doc, "{%p for t in ties %}")
    body(doc, "- {{ t }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, "2. Xếp hạng và xếp loại")
    tag(doc, "{%p for u in top %}")
    body(doc, "- {{ u.place_label }}: {{ u.name }} ({{ u.total }} điểm).")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for c in classes %}")
    body(doc, "- {{ c.name }}: {{ c.count }} đơn vị ({{ c.pct }}), gồm: {{ c.units }}.")
    tag(doc, "{%p endfor %}")
    heading(doc, "III. ĐỀ NGHỊ KHEN THƯỞNG")
    tag(doc, "{%p if proposals %}")
    body(doc, "Căn cứ kết quả xếp hạng, {{ block.name }} đề nghị khen thưởng các tập thể sau"
         "{% if awards.available %} (kết quả kiểm tra tiêu chuẩn, tỷ lệ khen thưởng kèm theo){% endif %}:")
    data_table(
        doc,
        ["STT", "Đơn vị", "Hạng", "Hình thức đề nghị", "Kết quả kiểm tra", "Tiền thưởng (đồng)"],
        ["{{ p.stt }}", "{{ p.unit_name }}", "{{ p.rank }}", "{{ p.form }}", "{{ p.verdict }}{% if p.reasons %}: {{ p.reasons }}{% endif %}", "{{ p.money }}"],
        [12, 46, 15, 33, 36, 23],
        aligns=[J.CENTER, J.LEFT, J.CENTER, J.LEFT, J.LEFT, J.RIGHT],
        loop="p in proposals",
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p if awards.total_money %}")
    body(doc, "Tổng tiền thưởng dự kiến: {{ awards.total_money }} (Bằng chữ: {{ awards.total_money_words }}).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    body(doc, "Khối không có đơn vị đủ điều kiện đề nghị khen thưởng trong kỳ này.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if awards.note %}")
    body(doc, "{{ awards.note }}", italic=True)
    tag(doc, "{%p endif %}")
    heading(doc, "IV. ĐÁNH GIÁ CHUNG")
    heading(doc, "1. Ưu điểm")
    paragraphs_loop(doc, "text.strengths")
    heading(doc, "2. Tồn tại, hạn chế")
    paragraphs_loop(doc, "text.limits")
    heading(doc, "3. Phương hướng, nhiệm vụ")
    paragraphs_loop(doc, "text.directions")
    body(doc, "Trên đây là báo cáo kết quả chấm điểm, xếp hạng thi đua {{ block.round_label }} "
         "của {{ block.name }}./.")
    signature(doc)
    doc.save(HERE / "bao-cao-khoi.docx")


def danh_sach_de_nghi():
    doc = new_document()
    header_block(doc)
    title(
        doc,
        "DANH SÁCH",
        ["Tập thể đề nghị khen thưởng {{ block.round_label }}", "của {{ block.name }}"],
    )
    tag(doc, "{%p if proposals %}")
    data_table(
        doc,
        ["STT", "Tên tập thể", "Hạng", "Tổng điểm", "Hình thức đề nghị", "Kết quả kiểm tra tiêu chuẩn", "Tiền thưởng (đồng)"],
        ["{{ p.stt }}", "{{ p.unit_name }}", "{{ p.rank }}", "{{ units_by_code[p.unit_code].total if p.unit_code in units_by_code else '' }}",
         "{{ p.form }}", "{{ p.verdict }}{% if p.reasons %}: {{ p.reasons }}{% endif %}{% if p.citation %} ({{ p.citation }}){% endif %}", "{{ p.money }}"],
        [13, 41, 15, 17, 28, 33, 18],
        aligns=[J.CENTER, J.LEFT, J.CENTER, J.RIGHT, J.LEFT, J.LEFT, J.RIGHT],
        loop="p in proposals",
    )
    para(doc, "", size=6, after=0)
    body(doc, "Danh sách có {{ awards.n_proposed }} tập thể{% if awards.available %}, trong đó {{ awards.n_ok }} tập thể "
         "đủ điều kiện{% if awards.n_not_ok %}, {{ awards.n_not_ok }} tập thể chưa đủ điều kiện{% endif %}{% endif %}.")
    tag(doc, "{%p if awards.total_money %}")
    body(doc, "Tổng tiền thưởng: {{ awards.total_money }} (Bằng chữ: {{ awards.total_money_words }}).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    body(doc, "Không có tập thể đề nghị khen thưởng.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if awards.note %}")
    body(doc, "{{ awards.note }}", italic=True)
    tag(doc, "{%p endif %}")
    signature(doc)
    doc.save(HERE / "danh-sach-de-nghi.docx")


def thong_bao_don_vi():
    doc = new_document()
    header_block(doc)
    title(doc, "THÔNG BÁO", ["Kết quả chấm điểm, xếp hạng thi đua {{ block.round_label }}"])
    para(doc, "Kính gửi: {{ unit.name }}.", size=14, align=J.CENTER, after=12)
    body(doc, "Căn cứ kết quả chấm điểm, bình xét thi đua {{ block.round_label }} của "
         "{{ block.name }} ({{ block.round_date }}), {{ doc.issuing_body }} thông báo kết quả của {{ unit.name }} như sau:")
    body(doc, "- Tổng điểm: {{ unit.total }}/{{ block.max_total }} điểm{% if unit.pct %} ({{ unit.pct }}){% endif %}, "
         "gồm điểm nội dung {{ unit.content }}, điểm thưởng {{ unit.bonus }}, điểm trừ {{ unit.deduction }}.")
    body(doc, "- Xếp thứ {{ unit.rank }}/{{ block.n_units }} đơn vị trong Khối{% if unit.place_label %} ({{ unit.place_label }})"
         "{% endif %}; xếp loại: {{ unit.class }}.")
    tag(doc, "{%p if unit.tie_note %}")
    body(doc, "- {{ unit.tie_note }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unit.proposal and awards.available %}")
    body(doc, "- Đề nghị khen thưởng: {{ unit.proposal.form }}{% if unit.proposal.verdict %} ({{ unit.proposal.verdict }}"
         "{% if unit.proposal.reasons %}: {{ unit.proposal.reasons }}{% endif %}){% endif %}.")
    tag(doc, "{%p endif %}")
    body(doc, "Điểm chi tiết theo từng tiêu chí:")
    data_table(
        doc,
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm đạt", "Điểm cao nhất Khối"],
        ["{{ c.stt }}", "{{ c.name }}", "{{ c.max_points }}", "{{ unit.points[loop.index0] }}", "{{ c.best }}"],
        [12, 88, 22, 22, 21],
        aligns=[J.CENTER, J.LEFT, J.RIGHT, J.RIGHT, J.RIGHT],
        loop="c in criteria",
        total_row=["", "Tổng điểm", "{{ block.max_total }}", "{{ unit.total }}", "{{ stats.best_total }}"],
    )
    para(doc, "", size=6, after=0)
    body(doc, "Đề nghị {{ unit.name }} phát huy kết quả đạt được, khắc phục các tiêu chí còn thấp điểm. Ý kiến phản hồi "
         "(nếu có) gửi về Khối trưởng trước khi tổng hợp báo cáo cấp trên./.")
    signature(doc)
    doc.save(HERE / "thong-bao-don-vi.docx")


def phu_luc_thong_ke():
    doc = new_document(landscape=True)
    text_w = 297 - 40
    para(doc, "Phụ lục", size=14, bold=True, align=J.CENTER, after=0)
    para(doc, "BIỂU THỐNG KÊ KẾT QUẢ CHẤM ĐIỂM THI ĐUA {{ block.round_label|upper_vi }}", size=14, bold=True,
         align=J.CENTER, after=0)
    para(doc, "{{ block.name }}", size=14, bold=True, align=J.CENTER, after=0)
    para(doc, "(Kèm theo Báo cáo {{ doc.number_line|replace('Số: ', 'số ') }} {{ doc.date }} của {{ doc.issuing_body }})",
         size=14, italic=True, align=J.CENTER, after=12)
    heading(doc, "Biểu 1. Điểm chi tiết theo tiêu chí (xếp theo thứ hạng)", size=13)
    tag(doc, "{%p if units %}")
    # units × criteria: one column per criterion ({%tc%}); docxtpl spreads the widths
    t = doc.add_table(rows=4, cols=7)
    grid_borders(t)
    fixed_widths(t, [14, 60, 2, 25, 2, 20, 40])
    # after rendering, xlpy shares what is left of the width among the criterion columns
    desc = OxmlElement("w:tblDescription")
    desc.set(qn("w:val"), f"xlpy:widths={text_w}:14,60,*,20,40")
    t._tbl.tblPr.append(desc)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = ["Hạng", "Đơn vị", "{%tc for c in criteria %}", "{{ c.code }} ({{ c.max_points }})", "{%tc endfor %}",
             "Tổng điểm", "Xếp loại"]
    for j, h in enumerate(heads):
        cell_text(t.cell(0, j), h, size=11, bold=True)
        shade(t.cell(0, j))
    header_row(t.rows[0])
    cell_text(t.cell(1, 0), "{%tr for u in units %}", size=2)
    row = ["{{ u.rank }}", "{{ u.name }}", "{%tc for p in u.points %}", "{{ p }}", "{%tc endfor %}", "{{ u.total }}",
           "{{ u.class }}"]
    al = [J.CENTER, J.LEFT, J.RIGHT, J.RIGHT, J.RIGHT, J.RIGHT, J.LEFT]
    for j, c in enumerate(row):
        cell_text(t.cell(2, j), c, size=11, align=al[j])
    cell_text(t.cell(3, 0), "{%tr endfor %}", size=2)
    para(doc, "", size=6, after=0)
    tag(doc, "{%p else %}")
    body(doc, "Khối chưa có đơn vị nào được chấm điểm.", italic=True)
    tag(doc, "{%p endif %}")
    heading(doc, "Biểu 2. Thống kê theo tiêu chí", size=13)
    data_table(
        doc,
        ["STT", "Mã", "Tiêu chí", "Loại", "Điểm tối đa", "Trung bình", "Cao nhất", "Thấp nhất", "Số đơn vị đạt tối đa"],
        ["{{ c.stt }}", "{{ c.code }}", "{{ c.name }}", "{{ c.kind_label }}", "{{ c.max_points }}", "{{ c.avg }}", "{{ c.best }}",
         "{{ c.worst }}", "{{ c.n_full }}"],
        [12, 18, 85, 24, 22, 22, 22, 22, 30],
        size=11,
        aligns=[J.CENTER, J.CENTER, J.LEFT, J.LEFT, J.RIGHT, J.RIGHT, J.RIGHT, J.RIGHT, J.CENTER],
        loop="c in criteria",
    )
    para(doc, "", size=6, after=0)
    heading(doc, "Biểu 3. Thống kê xếp loại", size=13)
    data_table(
        doc,
        ["Xếp loại", "Số đơn vị", "Tỷ lệ", "Đơn vị"],
        ["{{ c.name }}", "{{ c.count }}", "{{ c.pct }}", "{{ c.units }}"],
        [60, 22, 22, 153],
        size=11,
        aligns=[J.LEFT, J.CENTER, J.RIGHT, J.LEFT],
        loop="c in classes",
        total_row=["Cộng", "{{ stats.n_units }}", "{% if stats.n_units %}100%{% endif %}", "Điểm bình quân: {{ stats.avg_total }}; "
                   "cao nhất: {{ stats.best_total }}; thấp nhất: {{ stats.worst_total }}"],
    )
    doc.save(HERE / "phu-luc-thong-ke.docx")


BUILDERS = {
    "bao-cao-khoi.docx": bao_cao_khoi,
    "danh-sach-de-nghi.docx": danh_sach_de_nghi,
    "thong-bao-don-vi.docx": thong_bao_don_vi,
    "phu-luc-thong-ke.docx": phu_luc_thong_ke,
}


def main(argv=None) -> int:
    for name, build in BUILDERS.items():
        build()
        print(HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
