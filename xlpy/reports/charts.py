"""The block's scores as a chart, without a plotting library.

* :func:`insert_docx_chart`: a native Word chart (DrawingML ``c:barChart`` with its
  values cached), so officers can restyle it in Word and LibreOffice prints it.
* :func:`svg_bar_chart`: an inline SVG for the HTML reports (email bodies).

Both draw horizontal bars (as the results sheet's chart does, :func:`xlpy.book.sheet.chart_xml`) in rank order, best at the top.
"""

from __future__ import annotations

from html import escape
from typing import Sequence
from xml.sax.saxutils import escape as xml_escape

from .. import vn

CHART_TITLE = "Tổng điểm của các đơn vị"
BAR_COLOR = "1F4E79"
FONT = "Times New Roman"


# ---- SVG (HTML) -------------------------------------------------------------------------
def svg_bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    max_value: float | None = None,
    decimals: int = 2,
    title: str = CHART_TITLE,
    width: int = 640,
) -> str:
    """A horizontal bar chart as an SVG string; every text is escaped."""
    n = len(values)
    if n == 0:
        return ""
    bar_h, gap, label_w, top = 22, 8, 230, 34
    plot_w = width - label_w - 70
    vmax = max([v for v in values if v is not None] + [max_value or 0, 1e-9])
    height = top + n * (bar_h + gap) + 26
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}, Liberation Serif, serif" font-size="13">',
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = top + i * (bar_h + gap)
        v = v or 0.0
        w = max(plot_w * v / vmax, 0)
        short = lab if len(lab) <= 34 else lab[:33] + "…"
        out.append(
            f'<text x="{label_w - 6}" y="{y + bar_h * 0.7:.1f}" text-anchor="end"><title>{escape(lab)}</title>{escape(short)}</text>'
        )
        out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#{BAR_COLOR}"/>')
        out.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h * 0.7:.1f}">{escape(vn.fmt_number(v, decimals))}</text>'
        )
    base_y = top + n * (bar_h + gap) - gap / 2
    out.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{base_y:.1f}" stroke="#000" stroke-width="1"/>')
    out.append("</svg>")
    return "".join(out)


# ---- Word (DrawingML chart part) ---------------------------------------------------------
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


def _txpr(size_hundredths: int, bold: bool = False) -> str:
    b = ' b="1"' if bold else ' b="0"'
    return (
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size_hundredths}"{b}>'
        f'<a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/><a:ea typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr></a:pPr>'
        f'<a:endParaRPr lang="vi-VN"/></a:p></c:txPr>'
    )


def docx_chart_xml(labels: Sequence[str], values: Sequence[float], *, decimals: int = 2, title: str = CHART_TITLE) -> bytes:
    """The ``chartN.xml`` part of a horizontal bar chart with cached values."""
    n = len(values)
    # [$-42A]: Vietnamese locale, so LibreOffice prints 95,5 as Word on a Vietnamese Windows does
    fmt = "[$-42A]#,##0" + ("." + "#" * decimals if decimals else "")
    cats = "".join(f'<c:pt idx="{i}"><c:v>{xml_escape(str(lab))}</c:v></c:pt>' for i, lab in enumerate(labels))
    vals = "".join(f'<c:pt idx="{i}"><c:v>{float(v or 0):.10g}</c:v></c:pt>' for i, v in enumerate(values))
    xml = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">
<c:date1904 val="0"/><c:lang val="vi-VN"/><c:roundedCorners val="0"/>
<c:chart>
<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1300" b="1"><a:latin typeface="{FONT}"/></a:defRPr></a:pPr>
<a:r><a:rPr lang="vi-VN" sz="1300" b="1"><a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:rPr><a:t>{xml_escape(title)}</a:t></a:r></a:p></c:rich></c:tx>
<c:overlay val="0"/></c:title>
<c:autoTitleDeleted val="0"/>
<c:plotArea><c:layout/>
<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>
<c:ser><c:idx val="0"/><c:order val="0"/>
<c:tx><c:v>Tổng điểm</c:v></c:tx>
<c:spPr><a:solidFill><a:srgbClr val="{BAR_COLOR}"/></a:solidFill></c:spPr>
<c:invertIfNegative val="0"/>
<c:dLbls><c:numFmt formatCode="{fmt}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{_txpr(1100)}
<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>
<c:cat><c:strLit><c:ptCount val="{n}"/>{cats}</c:strLit></c:cat>
<c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{vals}</c:numLit></c:val>
</c:ser>
<c:gapWidth val="60"/>
<c:axId val="111111111"/><c:axId val="222222222"/>
</c:barChart>
<c:catAx><c:axId val="111111111"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>
<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>
<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></c:spPr>{_txpr(1100)}
<c:crossAx val="222222222"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>
<c:valAx><c:axId val="222222222"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling><c:delete val="0"/>
<c:axPos val="b"/><c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>
<c:numFmt formatCode="[$-42A]#,##0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>
<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></c:spPr>{_txpr(1000)}
<c:crossAx val="111111111"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>
<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>
</c:plotArea>
<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>
</c:chart>
<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>
{_txpr(1100)}
</c:chartSpace>"""
    return xml.encode("utf-8")


def insert_docx_chart(
    document,
    marker: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    decimals: int = 2,
    width_mm: float = 160,
    title: str = CHART_TITLE,
) -> int:
    """Replace every paragraph whose text is ``marker`` by a native bar chart.

    ``document`` is a python-docx Document (e.g. ``DocxTemplate.docx`` after
    rendering).  Returns the number of charts inserted.
    """
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import Mm

    count = 0
    # a long unit name takes two lines beside its bar: give each bar room for them, or the
    # office application hides every other name
    per_bar = 11.0 if any(len(str(x)) > 30 for x in labels) else 8.0
    height_mm = min(max(35.0, 14.0 + per_bar * len(values)), 200.0)
    package = document.part.package
    existing = {str(p.partname) for p in package.iter_parts()}
    for para in list(document.paragraphs):
        if para.text.strip() != marker:
            continue
        i = 1
        while f"/word/charts/chart{i}.xml" in existing:
            i += 1
        name = f"/word/charts/chart{i}.xml"
        existing.add(name)
        part = Part(PackURI(name), CHART_CT, docx_chart_xml(labels, values, decimals=decimals, title=title), package)
        rid = document.part.relate_to(part, CHART_RT)
        cx, cy = int(Mm(width_mm)), int(Mm(height_mm))
        drawing = parse_xml(
            f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            f'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            f'xmlns:a="{A_NS}" xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
            f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{9000 + i}" name="Biểu đồ {i}" descr="{xml_escape(title)}"/>'
            f"<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"{C_NS}\"><c:chart r:id=\"{rid}\"/></a:graphicData>"
            f"</a:graphic></wp:inline></w:drawing></w:r>"
        )
        p = para._p
        for r in list(p):
            if r.tag != p.tag.replace("}p", "}pPr"):
                p.remove(r)
        p.append(drawing)
        para.paragraph_format.keep_with_next = True
        count += 1
    return count
