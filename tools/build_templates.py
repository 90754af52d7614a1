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


def closing(doc, text):
    """The last paragraph before the signature: kept on the signature's page."""
    p = body(doc, text)
    p.paragraph_format.keep_with_next = True
    return p


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
        tag(L, "{%p for r in doc.recipients %}")
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


def page_break(doc):
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.add_run().add_break(WD_BREAK.PAGE)
    return p


def cell_margins(table, mm):
    """Left/right cell margins of a whole table (narrow columns of figures)."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(int(Mm(mm).twips)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    table._tbl.tblPr.append(mar)


def centred(doc, text, bold=True, italic=False, size=14, after=0, before=0):
    return para(doc, text, size=size, bold=bold, italic=italic, align=J.CENTER, before=before, after=after, keep_next=True)


# Tables of the proposals (collectives and individuals): what the block proposes, each with its own figures.
TT_HEAD = ["STT", "Tên tập thể", "Hạng", "Tổng điểm", "Xếp loại", "Hình thức đề nghị", "Tiền thưởng (đồng)"]
TT_ROW = ["{{ p.stt }}", "{{ p.name }}", "{{ p.rank }}", "{{ p.total }}", "{{ p.class }}", "{{ p.form }}", "{{ p.money_number }}"]
TT_W = [12, 40, 14, 15, 28, 31, 25]
TT_AL = [J.CENTER, J.LEFT, J.CENTER, J.RIGHT, J.LEFT, J.LEFT, J.RIGHT]
CN_HEAD = ["STT", "Họ và tên", "Đơn vị", "Thành tích của cá nhân", "Hình thức đề nghị", "Tiền thưởng (đồng)"]
CN_ROW = ["{{ p.stt }}", "{{ p.name }}", "{{ p.unit_name }}", "{{ p.facts }}", "{{ p.form }}", "{{ p.money_number }}"]
CN_W = [12, 32, 32, 36, 28, 25]
CN_AL = [J.CENTER, J.LEFT, J.LEFT, J.LEFT, J.LEFT, J.RIGHT]


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
    body(doc, "{% if basis.texts %}Thực hiện {{ basis.joined }}; căn cứ{% else %}Căn cứ{% endif %} giao ước thi đua năm "
         "{{ block.year }} và bảng tiêu chí chấm điểm đã được các đơn vị thống nhất; căn cứ kết quả tự chấm của các đơn vị "
         "và kết quả chấm điểm của Khối, {{ block.name }} báo cáo kết quả {{ block.round_label }} như sau:")
    heading(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH")
    body(doc, "{{ block.name }} gồm {{ block.n_units }} đơn vị{% if block.leader %}, do {{ block.leader }} làm Khối trưởng"
         "{% if block.deputy %}, {{ block.deputy }} làm Khối phó{% endif %}{% endif %}. Bảng tiêu chí gồm "
         "{{ block.n_criteria }} tiêu chí, thang điểm tối đa {{ block.max_total }} điểm. Việc bình xét được tổ chức "
         "{{ block.round_date }}.")
    tag(doc, "{%p if registration.available %}")
    body(doc, "Kết quả đăng ký thi đua, ký kết giao ước thi đua đầu năm {{ block.year }}: "
         "{{ registration.summary }}{% if registration.people_summary %} {{ registration.people_summary }}{% endif %}")
    data_table(
        doc,
        ["STT", "Đơn vị", "Danh hiệu, hình thức đăng ký", "Ngày đăng ký", "Ký giao ước"],
        ["{{ r.stt }}", "{{ r.name }}", "{% if r.registered %}{{ r.titles }}{% else %}Chưa đăng ký{% endif %}", "{{ r.date }}",
         "{{ r.signed_label }}{% if r.signed and r.signed_date and not registration.signed_date %} ({{ r.signed_date }}){% endif %}"],
        [12, 49, 55, 27, 22],
        aligns=[J.CENTER, J.LEFT, J.LEFT, J.CENTER, J.CENTER],
        loop="r in registration.units",
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p endif %}")
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
    body(doc, "Căn cứ kết quả chấm điểm, xếp hạng và kết quả kiểm tra tiêu chuẩn, tỷ lệ khen thưởng, {{ block.name }} đề nghị "
         "khen thưởng {{ awards.summary }} (danh sách kèm theo {{ docs.proposal.ref }}), cụ thể:")
    tag(doc, "{%p if proposals_tt %}")
    heading(doc, "1. Tập thể")
    data_table(
        doc,
        ["STT", "Tên tập thể", "Hạng", "Hình thức đề nghị", "Tiền thưởng (đồng)"],
        ["{{ p.stt }}", "{{ p.name }}", "{{ p.rank }}", "{{ p.form }}", "{{ p.money_number }}"],
        [12, 60, 14, 52, 27],
        aligns=[J.CENTER, J.LEFT, J.CENTER, J.LEFT, J.RIGHT],
        loop="p in proposals_tt",
        total_row=["", "Cộng", "", "", "{{ awards.money_tt }}"],
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if proposals_cn %}")
    heading(doc, "{% if proposals_tt %}2{% else %}1{% endif %}. Cá nhân")
    data_table(
        doc,
        ["STT", "Họ và tên", "Đơn vị", "Hình thức đề nghị", "Tiền thưởng (đồng)"],
        ["{{ p.stt }}", "{{ p.name }}", "{{ p.unit_name }}", "{{ p.form }}", "{{ p.money_number }}"],
        [12, 40, 44, 42, 27],
        aligns=[J.CENTER, J.LEFT, J.LEFT, J.LEFT, J.RIGHT],
        loop="p in proposals_cn",
        total_row=["", "Cộng", "", "", "{{ awards.money_cn }}"],
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if awards.total_money %}")
    body(doc, "Tổng tiền thưởng dự kiến: {{ awards.total_money }} (Bằng chữ: {{ awards.total_money_words }}).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif awards.available %}")
    body(doc, "Khối không có tập thể, cá nhân đủ điều kiện đề nghị khen thưởng trong kỳ này.", italic=True)
    tag(doc, "{%p else %}")
    body(doc, "{{ awards.note }}", italic=True)
    tag(doc, "{%p endif %}")
    heading(doc, "IV. ĐÁNH GIÁ CHUNG")
    heading(doc, "1. Ưu điểm")
    paragraphs_loop(doc, "text.strengths")
    heading(doc, "2. Tồn tại, hạn chế")
    paragraphs_loop(doc, "text.limits")
    heading(doc, "3. Phương hướng, nhiệm vụ")
    paragraphs_loop(doc, "text.directions")
    closing(doc, "Trên đây là báo cáo kết quả chấm điểm, xếp hạng thi đua {{ block.round_label }} "
            "của {{ block.name }}./.")
    signature(doc)
    doc.save(HERE / "bao-cao-khoi.docx")


def danh_sach_de_nghi():
    """The proposal to the Ban TĐKT: a tờ trình (TTr), with the list of proposals attached."""
    doc = new_document()
    header_block(doc)
    title(
        doc,
        "TỜ TRÌNH",
        ["Về việc đề nghị khen thưởng {{ block.round_label }}", "cho các tập thể, cá nhân thuộc {{ block.name }}"],
    )
    para(doc, "Kính gửi: {{ doc.addressee }}.", size=14, align=J.CENTER, after=12)
    tag(doc, "{%p for t in basis.texts %}")
    body(doc, "Căn cứ {{ t }};")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if proposals %}")
    body(doc, "Căn cứ kết quả chấm điểm, xếp hạng thi đua và kết quả kiểm tra tiêu chuẩn, tỷ lệ khen thưởng, "
         "{{ doc.issuing_body }} kính trình {{ doc.addressee }} xem xét, trình cấp có thẩm quyền khen thưởng cho "
         "{{ awards.summary }} có thành tích trong {{ block.round_label }}, cụ thể:")
    tag(doc, "{%p for g in awards.by_subject %}")
    body(doc, "- {{ g.subject_label }}: {{ g.count_label }}, gồm {{ g.forms }}{% if g.money %}; tiền thưởng {{ g.money }}"
         "{% endif %}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if awards.total_money %}")
    body(doc, "Tổng số tiền thưởng dự kiến: {{ awards.total_money }} (Bằng chữ: {{ awards.total_money_words }}).")
    tag(doc, "{%p endif %}")
    body(doc, "(Có danh sách kèm theo)", italic=True)
    closing(doc, "Kính trình {{ doc.addressee }} xem xét, quyết định./.")
    tag(doc, "{%p elif awards.available %}")
    closing(doc, "Căn cứ kết quả chấm điểm, xếp hạng thi đua {{ block.round_label }} và kết quả kiểm tra tiêu chuẩn, tỷ lệ "
            "khen thưởng, {{ doc.issuing_body }} không có tập thể, cá nhân đủ điều kiện đề nghị khen thưởng trong kỳ này./.")
    tag(doc, "{%p else %}")
    body(doc, "{{ awards.note }}", italic=True)
    tag(doc, "{%p endif %}")
    signature(doc)
    # ---- the list, attached to the tờ trình ---------------------------------------------
    page_break(doc)
    centred(doc, "DANH SÁCH")
    centred(doc, "Tập thể, cá nhân đề nghị khen thưởng {{ block.round_label }}")
    centred(doc, "của {{ block.name }}")
    centred(doc, "(Kèm theo {{ doc.ref }} của {{ doc.issuing_body }})", bold=False, italic=True)
    rule(doc, 40, TEXT_W, after=12).paragraph_format.space_before = Pt(7)
    heading(doc, "I. TẬP THỂ")
    tag(doc, "{%p if proposals_tt %}")
    data_table(doc, TT_HEAD, TT_ROW, TT_W, aligns=TT_AL, loop="p in proposals_tt",
               total_row=["", "Cộng", "", "", "", "", "{{ awards.money_tt }}"])
    para(doc, "", size=6, after=0)
    tag(doc, "{%p else %}")
    body(doc, "Không có tập thể đề nghị khen thưởng.", italic=True)
    tag(doc, "{%p endif %}")
    heading(doc, "II. CÁ NHÂN")
    tag(doc, "{%p if proposals_cn %}")
    data_table(doc, CN_HEAD, CN_ROW, CN_W, aligns=CN_AL, loop="p in proposals_cn",
               total_row=["", "Cộng", "", "", "", "{{ awards.money_cn }}"])
    para(doc, "", size=6, after=0)
    tag(doc, "{%p else %}")
    body(doc, "Không có cá nhân đề nghị khen thưởng.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if proposals %}")
    body(doc, "Danh sách có {{ awards.n_ok_tt }} đề nghị khen thưởng cho {{ awards.n_tt }} tập thể và {{ awards.n_ok_cn }} "
         "đề nghị khen thưởng cho {{ awards.n_cn }} cá nhân.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if awards.total_money %}")
    body(doc, "Tổng tiền thưởng: {{ awards.total_money }} (Bằng chữ: {{ awards.total_money_words }}).")
    tag(doc, "{%p endif %}")
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
    tag(doc, "{%p if unit.proposals %}")
    body(doc, "- {{ doc.issuing_body }} đề nghị khen thưởng:")
    tag(doc, "{%p for p in unit.proposals %}")
    body(doc, "+ {{ p.form }}: {% if p.person %}{{ p.name }}{% else %}tập thể {{ unit.name }}{% endif %}"
         "{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
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
    closing(doc, "Đề nghị {{ unit.name }} phát huy kết quả đạt được, khắc phục các tiêu chí còn thấp điểm. Ý kiến phản hồi "
            "(nếu có) gửi về Khối trưởng trước khi tổng hợp báo cáo cấp trên./.")
    signature(doc)
    doc.save(HERE / "thong-bao-don-vi.docx")


def khong_du_dieu_kien():
    """The internal list of proposals that did not pass: for the block's officers, never signed or sent."""
    doc = new_document(landscape=True)
    sec = doc.sections[0]
    for hdr in (sec.first_page_header, sec.header):
        p = hdr.paragraphs[0]
        p.text = ""
        p.paragraph_format.alignment = J.RIGHT
        set_run_font(p.add_run("TÀI LIỆU NỘI BỘ – KHÔNG BAN HÀNH"), 11, True, False)
    para(doc, "TÀI LIỆU NỘI BỘ – KHÔNG KÝ, KHÔNG BAN HÀNH, KHÔNG GỬI KÈM VĂN BẢN", size=13, bold=True, align=J.CENTER, after=6)
    centred(doc, "{{ doc.issuing_body_upper }}", bold=False, size=13, after=6)
    centred(doc, "CÁC ĐỀ NGHỊ KHEN THƯỞNG KHÔNG ĐỦ ĐIỀU KIỆN")
    centred(doc, "{{ block.round_label }} của {{ block.name }}")
    centred(doc, "(Không đưa vào báo cáo, tờ trình và danh sách đề nghị khen thưởng; lập {{ generated }})",
            bold=False, italic=True, after=12)
    tag(doc, "{%p if not awards.available %}")
    body(doc, "{{ awards.note }}", italic=True)
    tag(doc, "{%p elif ineligible %}")
    body(doc, "Theo kết quả kiểm tra tiêu chuẩn, tỷ lệ khen thưởng ({{ awards.source }}), {{ awards.n_ineligible }} trên "
         "{{ awards.n_proposed }} đề nghị không đưa vào danh sách đề nghị: {{ awards.n_not_ok }} không đạt tiêu chuẩn, "
         "{{ awards.n_over }} vượt tỷ lệ, {{ awards.n_pending }} chờ Hội đồng quyết định.")
    t = data_table(
        doc,
        ["STT", "Tập thể, cá nhân", "Đơn vị", "Hình thức đề nghị", "Kết quả", "Lý do"],
        ["{{ p.stt }}", "{{ p.name }}", "{% if p.person %}{{ p.unit_name }}{% endif %}", "{{ p.form }}", "{{ p.verdict }}", "{{ p.reasons }}"],
        [12, 42, 40, 40, 24, 99],
        size=11,
        aligns=[J.CENTER, J.LEFT, J.LEFT, J.LEFT, J.LEFT, J.LEFT],
        loop="p in ineligible",
    )
    reason_cell = t.cell(2, 5)
    p = reason_cell.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    set_run_font(p.add_run("{% if p.citation %}Căn cứ: {{ p.citation }}{% endif %}"), 10, False, True)
    para(doc, "", size=6, after=0)
    body(doc, "Danh sách này chỉ dùng trong nội bộ Khối để rà soát hồ sơ và trả lời đơn vị; các đề nghị chờ quyết định "
         "được đưa vào danh sách đề nghị khi Hội đồng đã quyết định.", italic=True)
    tag(doc, "{%p else %}")
    body(doc, "Mọi đề nghị đều đạt tiêu chuẩn, tỷ lệ khen thưởng; không có đề nghị nào bị loại.", italic=True)
    tag(doc, "{%p endif %}")
    doc.save(HERE / "khong-du-dieu-kien.docx")


def phu_luc_thong_ke():
    doc = new_document(landscape=True)
    text_w = 297 - 40
    para(doc, "Phụ lục", size=14, bold=True, align=J.CENTER, after=0)
    para(doc, "BIỂU THỐNG KÊ KẾT QUẢ CHẤM ĐIỂM THI ĐUA {{ block.round_label|upper_vi }}", size=14, bold=True,
         align=J.CENTER, after=0)
    para(doc, "{{ block.name }}", size=14, bold=True, align=J.CENTER, after=0)
    para(doc, "(Kèm theo {{ doc.ref }} của {{ doc.issuing_body }})",
         size=14, italic=True, align=J.CENTER, after=12)
    heading(doc, "Biểu 1. Điểm chi tiết theo tiêu chí (xếp theo thứ hạng)", size=13)
    tag(doc, "{%p if units %}")
    # units × criteria: one column per criterion ({%tc%}); docxtpl spreads the widths
    t = doc.add_table(rows=4, cols=7)
    grid_borders(t)
    cell_margins(t, 0.8)
    fixed_widths(t, [12, 55, 2, 25, 2, 18, 36])
    # after rendering, xlpy shares what is left of the width among the criterion columns
    desc = OxmlElement("w:tblDescription")
    desc.set(qn("w:val"), f"xlpy:widths={text_w}:12,55,*,18,36")
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


def bao_cao_tinh():
    """The province's report on the blocks' results (Ban Thi đua – Khen thưởng), context of xlpy.province.report."""
    doc = new_document()
    header_block(doc)
    title(doc, "BÁO CÁO", ["Tổng hợp kết quả thi đua các cụm, khối {{ province.round_label }}"])
    body(doc, "Căn cứ kết quả chấm điểm, xếp hạng và đề nghị khen thưởng do các cụm, khối thi đua gửi về, "
         "{{ doc.issuing_body }} tổng hợp kết quả thi đua các cụm, khối của tỉnh {{ province.name }} "
         "{{ province.round_label }} như sau:")
    heading(doc, "I. TÌNH HÌNH GỬI KẾT QUẢ CỦA CÁC CỤM, KHỐI")
    body(doc, "{% if province.n_expected %}Theo danh sách, tỉnh có {{ province.n_expected }} cụm, khối thi đua phải gửi kết quả; "
         "đã nhận{% else %}Đã nhận{% endif %} {{ province.n_files }} sổ tính, tổng hợp được {{ province.n_blocks }} cụm, khối với "
         "{{ province.n_units }} đơn vị{% if province.n_bad %}; {{ province.n_bad }} sổ tính có lỗi chưa tổng hợp được{% endif %}.")
    tag(doc, "{%p if missing %}")
    body(doc, "Các cụm, khối chưa gửi kết quả ({{ province.n_missing }}): {{ missing|join('; ') }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if province.deadline %}")
    body(doc, "Hạn gửi kết quả: {{ province.deadline }} (xác định theo {{ province.late_rule }}). "
         "{% if late %}Gửi sau hạn ({{ province.n_late }}): {{ late|join('; ') }}.{% else %}Các cụm, khối đều gửi đúng hạn.{% endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for f in bad %}")
    body(doc, "- Sổ tính {{ f.file }}: {{ f.n }} lỗi ({{ f.first }}).")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for t in twice %}")
    body(doc, "- {{ t }}.")
    tag(doc, "{%p endfor %}")
    heading(doc, "II. KẾT QUẢ XẾP HẠNG CỦA CÁC CỤM, KHỐI")
    tag(doc, "{%p if blocks %}")
    data_table(
        doc,
        ["STT", "Cụm, khối thi đua", "Số đơn vị", "Đơn vị dẫn đầu", "Điểm", "Đề nghị Cờ thi đua cấp tỉnh"],
        ["{{ b.stt }}", "{{ b.name }}", "{{ b.n_units }}", "{{ b.leader }}", "{{ b.total }}", "{{ b.co }}"],
        [13, 43, 15, 45, 17, 32],
        size=11,
        aligns=[J.CENTER, J.LEFT, J.CENTER, J.LEFT, J.RIGHT, J.LEFT],
        loop="b in blocks",
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p else %}")
    body(doc, "Chưa tổng hợp được cụm, khối nào.", italic=True)
    tag(doc, "{%p endif %}")
    heading(doc, "III. ĐỀ NGHỊ KHEN THƯỞNG CẤP TỈNH")
    tag(doc, "{%p if awards %}")
    body(doc, "Kết quả kiểm tra các đề nghị thuộc thẩm quyền cấp tỉnh (tiêu chuẩn, số phiếu, tỷ lệ của từng khối; số Cờ "
         "của mỗi khối, tỷ lệ toàn tỉnh, Cờ thi đua của Chính phủ):")
    data_table(
        doc,
        ["Danh hiệu, hình thức", "Đề nghị", "Đạt", "Không đạt", "Vượt tỷ lệ", "Chờ quyết định"],
        ["{{ a.title }}", "{{ a.n }}", "{{ a.ok }}", "{{ a.not_ok }}", "{{ a.over }}", "{{ a.pending }}"],
        [60, 20, 20, 22, 22, 21],
        size=12,
        aligns=[J.LEFT, J.CENTER, J.CENTER, J.CENTER, J.CENTER, J.CENTER],
        loop="a in awards",
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p else %}")
    body(doc, "Các cụm, khối không có đề nghị khen thưởng thuộc thẩm quyền cấp tỉnh.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for c in caps %}")
    body(doc, "- {{ c.name }}: {{ c.verdict|lower }} ({{ c.numbers }}).")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if co_cp %}")
    body(doc, "Đề nghị Cờ thi đua của Chính phủ:")
    tag(doc, "{%p for c in co_cp %}")
    body(doc, "{{ c.stt }}. {{ c.name }} ({{ c.block }}): {{ c.verdict|lower }}{% if c.reason %} – {{ c.reason }}{% endif %}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, "IV. NHỮNG VẤN ĐỀ ĐỀ NGHỊ HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH XEM XÉT")
    tag(doc, "{%p if pending %}")
    tag(doc, "{%p for t in pending %}")
    body(doc, "- {{ t }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    body(doc, "Không có trường hợp bằng nhau hay đơn vị trùng cần Hội đồng quyết định.")
    tag(doc, "{%p endif %}")
    closing(doc, "Trên đây là báo cáo tổng hợp kết quả thi đua các cụm, khối {{ province.round_label }} của tỉnh "
            "{{ province.name }}./.")
    signature(doc)
    doc.save(HERE / "bao-cao-tinh.docx")


BUILDERS = {
    "bao-cao-khoi.docx": bao_cao_khoi,
    "danh-sach-de-nghi.docx": danh_sach_de_nghi,
    "thong-bao-don-vi.docx": thong_bao_don_vi,
    "phu-luc-thong-ke.docx": phu_luc_thong_ke,
    "khong-du-dieu-kien.docx": khong_du_dieu_kien,
    "bao-cao-tinh.docx": bao_cao_tinh,
}


def main(argv=None) -> int:
    from xlpy.excel.build import normalize_xlsx

    for name, build in BUILDERS.items():
        build()
        normalize_xlsx(HERE / name, HERE / name)  # fixed zip and document dates: the same builder, the same bytes
        print(HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
