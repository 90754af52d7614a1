"""Give a workbook the content Excel writes and xlpy does not model, as Excel writes it.

:func:`add_excel_content` adds, by editing the package's XML directly:

* a sparkline group (x14 extension) on the "Khối chấm" sheet;
* a data validation in the x14 extension list of "Tự chấm";
* a logo picture and a text box on the guide sheet (a drawing with an image part);
* a threaded comment (Office 365) with its persons part;
* a custom XML part and printer settings;
* formula inputs with cached values in "Tự chấm" (C2 = 5+5, cached 10, the value
  typed there before);
* optionally (``xlsm=True``) a VBA project, making the file an .xlsm.

The parts are real OOXML (names, content types and relationships as Excel uses
them), so the workbook stays valid.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
PRINTER = bytes(range(256)) * 4  # printer settings are an opaque binary blob

SPARKLINES = (
    f'<extLst><ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}">'
    '<x14:sparklineGroups xmlns:xm="' + XM + '"><x14:sparklineGroup displayEmptyCellsAs="gap">'
    '<x14:colorSeries rgb="FF376092"/><x14:colorNegative rgb="FFD00000"/><x14:colorAxis rgb="FF000000"/>'
    '<x14:colorMarkers rgb="FFD00000"/><x14:colorFirst rgb="FFD00000"/><x14:colorLast rgb="FFD00000"/>'
    '<x14:colorHigh rgb="FFD00000"/><x14:colorLow rgb="FFD00000"/>'
    "<x14:sparklines><x14:sparkline><xm:f>'Khối chấm'!C2:N2</xm:f><xm:sqref>P2</xm:sqref></x14:sparkline></x14:sparklines>"
    "</x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"
)
EXT_VALIDATION = (
    f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
    '<x14:dataValidations count="1" xmlns:xm="' + XM + '"><x14:dataValidation type="list" allowBlank="1">'
    "<x14:formula1><xm:f>'Đơn vị'!$A$2:$A$11</xm:f></x14:formula1><xm:sqref>A20</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext></extLst>"
)
DRAWING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<xdr:oneCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
    '<xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Logo"/><xdr:cNvPicPr/></xdr:nvPicPr>'
    f'<xdr:blipFill><a:blip xmlns:r="{REL}" r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
    '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>'
    '<xdr:oneCellAnchor><xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
    '<xdr:ext cx="1905000" cy="476250"/><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="3" name="Hộp văn bản"/>'
    '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
    '<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Khối thi đua – ghi chú của văn phòng</a:t></a:r></a:p></xdr:txBody>'
    "</xdr:sp><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
)
THREADED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
    '<threadedComment ref="B2" dT="2025-12-01T08:00:00.00" personId="{A1B2C3D4-0000-0000-0000-000000000001}" '
    'id="{A1B2C3D4-0000-0000-0000-000000000002}"><text>Đề nghị xem lại điểm tiêu chí 03.</text></threadedComment>'
    "</ThreadedComments>"
)
PERSONS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
    '<person displayName="Nguyễn Văn An" id="{A1B2C3D4-0000-0000-0000-000000000001}" userId="an@example.gov.vn" providerId="None"/>'
    "</personList>"
)
CUSTOM_XML = '<?xml version="1.0" encoding="UTF-8"?><ds:datastore xmlns:ds="urn:example:xlpy-test">Khối 2025</ds:datastore>'


def _sheet_part(files: dict[str, bytes], name: str) -> str:
    wb = files["xl/workbook.xml"].decode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    m = re.search(r'<sheet\b[^>]*name="' + re.escape(name) + r'"[^>]*r:id="(rId\d+)"', wb)
    assert m, name
    t = re.search(r'Id="' + m.group(1) + r'"[^>]*Target="([^"]+)"', rels) or re.search(
        r'Target="([^"]+)"[^>]*Id="' + m.group(1) + '"', rels)
    target = t.group(1).lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def _add_rel(files: dict[str, bytes], part: str, typ: str, target: str) -> str:
    d, _, f = part.rpartition("/")
    rp = f"{d}/_rels/{f}.rels"
    xml = files.get(rp, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>').decode()
    n = 1 + max([int(x) for x in re.findall(r'Id="rId(\d+)"', xml)] + [100])
    rid = f"rId{n}"
    xml = xml.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{typ}" Target="{target}"/></Relationships>')
    files[rp] = xml.encode()
    return rid


def _override(files: dict[str, bytes], part: str, ctype: str) -> None:
    ct = files["[Content_Types].xml"].decode()
    ct = ct.replace("</Types>", f'<Override PartName="/{part}" ContentType="{ctype}"/></Types>')
    files["[Content_Types].xml"] = ct.encode()


def _default(files: dict[str, bytes], ext: str, ctype: str) -> None:
    ct = files["[Content_Types].xml"].decode()
    if f'Extension="{ext}"' not in ct:
        ct = ct.replace("<Default ", f'<Default Extension="{ext}" ContentType="{ctype}"/><Default ', 1)
    files["[Content_Types].xml"] = ct.encode()


def _before_end(xml: str, fragment: str, before: tuple[str, ...] = ()) -> str:
    """Insert ``fragment`` before the first of ``before`` present, else before </worksheet>."""
    for tag in before:
        i = xml.find(f"<{tag}")
        if i >= 0:
            return xml[:i] + fragment + xml[i:]
    return xml.replace("</worksheet>", fragment + "</worksheet>")


def add_excel_content(src: Path, dest: Path, *, xlsm: bool = False, vba: bytes | None = None) -> list[str]:
    """Write ``src`` with Excel-only content to ``dest``; returns the names of the parts added."""
    with zipfile.ZipFile(src) as z:
        order = [i.filename for i in z.infolist()]
        files = {n: z.read(n) for n in order}
    added: list[str] = []

    # sparklines on the block's score sheet (an x14 extension at the end of the worksheet)
    part = _sheet_part(files, "Khối chấm")
    xml = files[part].decode()
    files[part] = xml.replace("</worksheet>", SPARKLINES + "</worksheet>").encode()

    # a data validation in the extension list of the self-score sheet, and a formula input with its cached value
    part = _sheet_part(files, "Tự chấm")
    xml = files[part].decode()
    m = re.search(r'<c r="C2"([^>]*?)(?:/>|>(.*?)</c>)', xml, re.S)
    assert m
    value = re.search(r"<v>([^<]*)</v>", m.group(0)).group(1)
    style = re.search(r'\ss="(\d+)"', m.group(1))
    s = f' s="{style.group(1)}"' if style else ""
    half = float(value) / 2
    xml = xml.replace(m.group(0), f'<c r="C2"{s}><f>{half!r}+{half!r}</f><v>{value}</v></c>')
    files[part] = xml.replace("</worksheet>", EXT_VALIDATION + "</worksheet>").encode()
    # printer settings for that sheet
    files["xl/printerSettings/printerSettings1.bin"] = PRINTER
    rid = _add_rel(files, part, f"{REL}/printerSettings", "../printerSettings/printerSettings1.bin")
    xml = files[part].decode()
    files[part] = _before_end(xml, f'<pageSetup paperSize="9" orientation="landscape" r:id="{rid}"/>',
                              ("headerFooter", "rowBreaks", "colBreaks", "drawing", "legacyDrawing", "tableParts", "extLst")).encode()
    if 'xmlns:r="' not in files[part].decode()[:500]:
        files[part] = files[part].decode().replace("<worksheet ", f'<worksheet xmlns:r="{REL}" ', 1).encode()
    _default(files, "bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings")
    added.append("xl/printerSettings/printerSettings1.bin")

    # a logo and a text box on the guide sheet
    guide = _sheet_part(files, "Hướng dẫn")
    files["xl/media/image1.png"] = PNG
    files["xl/drawings/drawing99.xml"] = DRAWING.encode()
    files["xl/drawings/_rels/drawing99.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/image" Target="../media/image1.png"/></Relationships>').encode()
    rid = _add_rel(files, guide, f"{REL}/drawing", "../drawings/drawing99.xml")
    xml = files[guide].decode()
    if 'xmlns:r="' not in xml[:500]:
        xml = xml.replace("<worksheet ", f'<worksheet xmlns:r="{REL}" ', 1)
    files[guide] = _before_end(xml, f'<drawing r:id="{rid}"/>', ("legacyDrawing", "tableParts", "extLst")).encode()
    _default(files, "png", "image/png")
    _override(files, "xl/drawings/drawing99.xml", "application/vnd.openxmlformats-officedocument.drawing+xml")
    added += ["xl/media/image1.png", "xl/drawings/drawing99.xml", "xl/drawings/_rels/drawing99.xml.rels"]

    # a threaded comment on the units sheet, and the persons part of the workbook
    units = _sheet_part(files, "Đơn vị")
    files["xl/threadedComments/threadedComment1.xml"] = THREADED.encode()
    _add_rel(files, units, "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
             "../threadedComments/threadedComment1.xml")
    _override(files, "xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml")
    files["xl/persons/person.xml"] = PERSONS.encode()
    _add_rel(files, "xl/workbook.xml", "http://schemas.microsoft.com/office/2017/10/relationships/person", "persons/person.xml")
    _override(files, "xl/persons/person.xml", "application/vnd.ms-excel.person+xml")
    added += ["xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml"]

    # a custom XML part
    files["customXml/item1.xml"] = CUSTOM_XML.encode()
    _add_rel(files, "xl/workbook.xml", f"{REL}/customXml", "../customXml/item1.xml")
    added.append("customXml/item1.xml")

    if xlsm:
        assert vba is not None
        files["xl/vbaProject.bin"] = vba
        _add_rel(files, "xl/workbook.xml", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
        ct = files["[Content_Types].xml"].decode()
        ct = ct.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        files["[Content_Types].xml"] = ct.encode()
        _override(files, "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject")
        added.append("xl/vbaProject.bin")

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order + [n for n in files if n not in order]:
            z.writestr(n, files[n])
    dest.write_bytes(buf.getvalue())
    return added


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}
