"""The cell styles xlpy's output sheets use, added to a workbook's ``styles.xml`` append-only.

A workbook's styles are the officer's: xlpy never renumbers or rewrites them.
It looks for each style it needs among the existing ones (fonts, fills,
borders, number formats and cell formats compared by meaning, not by bytes)
and appends only what is missing, so running xlpy any number of times adds
each style once.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
Q = "{%s}" % NS

HEADER_FILL = "1F4E79"
HEADER_FONT = "FFFFFF"
OUTPUT_FILL = "E8F5E9"
INPUT_FILL = "FFF8E1"
BORDER_COLOR = "BFBFBF"


class Style(NamedTuple):
    """One cell style of the output sheets (None = the workbook's default)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # font colour, RRGGBB
    fill: str | None = None  # solid fill, RRGGBB
    border: bool = False
    numfmt: str | None = None  # format code, e.g. "0.00"
    wrap: bool = False
    halign: str | None = None  # "center", "left", "right"
    valign: str | None = None  # "center", "top"


TITLE = Style(bold=True, size=13)
HEADER = Style(bold=True, color=HEADER_FONT, fill=HEADER_FILL, border=True, wrap=True, halign="center", valign="center")
NOTE = Style(italic=True)


def body(numfmt: str | None = None, wrap: bool = False) -> Style:
    """A cell xlpy writes (pale green), top-aligned so a row grown by wrapped text reads across."""
    return Style(fill=OUTPUT_FILL, border=True, numfmt=numfmt, wrap=wrap, valign="top")


def input_cell(numfmt: str | None = None, wrap: bool = False) -> Style:
    """A cell officers type in (pale yellow)."""
    return Style(fill=INPUT_FILL, border=True, numfmt=numfmt, wrap=wrap, valign="top" if wrap else None)


# ---------------------------------------------------------------------------------------

BUILTIN_FORMATS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "mm-dd-yy": 14,
    "d-mmm-yy": 15, "d-mmm": 16, "mmm-yy": 17, "h:mm AM/PM": 18, "h:mm:ss AM/PM": 19, "h:mm": 20,
    "h:mm:ss": 21, "m/d/yy h:mm": 22, "@": 49,
}


def _parse(xml: bytes) -> tuple:
    """The root element of ``xml`` as (name, attributes, children) tuples, names written
    "{namespace}local" as ElementTree writes them; text is not kept (style elements carry
    none).  pyexpat directly, because importing ElementTree cost 2–4 ms of every write."""
    import pyexpat

    top: list = []
    stack = [top]

    def start(name: str, attrs: dict) -> None:
        children: list = []
        stack[-1].append(("{" + name if "}" in name else name, attrs, children))
        stack.append(children)

    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: stack.pop()
    parser.Parse(xml, True)
    return top[0]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _find(el: tuple, name: str) -> tuple | None:
    """The first child of ``el`` named ``name`` ("{namespace}local")."""
    return next((c for c in el[2] if c[0] == name), None)


def _canon(el: tuple) -> tuple:
    """A comparable form of a style element: tag, sorted attributes, children in order."""
    name, attrs, children = el
    return (_local(name), tuple(sorted((_local(k), v) for k, v in attrs.items())), tuple(_canon(c) for c in children))


def _rgb(c: str) -> str:
    return "FF" + c.upper()


def _font_xml(s: Style, base: tuple | None) -> str:
    """Our font: the workbook's default font (a parsed element) with bold/italic/size/colour changed."""
    size = s.size
    name, family, scheme = "Calibri", "2", None
    if base is not None:
        for tag, attrs, _children in base[2]:
            t = _local(tag)
            if t == "sz" and size is None:
                size = float(attrs.get("val", "11"))
            elif t == "name":
                name = attrs.get("val", name)
            elif t == "family":
                family = attrs.get("val", family)
            elif t == "scheme":
                scheme = attrs.get("val")
    parts = []
    if s.bold:
        parts.append("<b/>")
    if s.italic:
        parts.append("<i/>")
    parts.append(f'<sz val="{_num(size or 11)}"/>')
    parts.append(f'<color rgb="{_rgb(s.color)}"/>' if s.color else '<color theme="1"/>')
    parts.append(f'<name val="{_esc(name)}"/>')
    parts.append(f'<family val="{family}"/>')
    if scheme:
        parts.append(f'<scheme val="{scheme}"/>')
    return "<font>" + "".join(parts) + "</font>"


def _fill_xml(color: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor rgb="{_rgb(color)}"/><bgColor indexed="64"/></patternFill></fill>'


def _border_xml() -> str:
    side = lambda t: f'<{t} style="thin"><color rgb="{_rgb(BORDER_COLOR)}"/></{t}>'  # noqa: E731
    return "<border>" + "".join(side(t) for t in ("left", "right", "top", "bottom")) + "<diagonal/></border>"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class StyleSheet:
    """``styles.xml`` plus what xlpy appends to it; :meth:`xf` gives a style's index."""

    def __init__(self, xml: str):
        self.original = xml
        self.xml = xml
        root = _parse(xml.encode("utf-8"))
        self._lists: dict[str, list[tuple]] = {}
        for name in ("fonts", "fills", "borders", "cellXfs", "cellStyleXfs"):
            el = _find(root, Q + name)
            self._lists[name] = [_canon(c) for c in el[2]] if el is not None else []
        self._numfmts: dict[str, int] = {}
        nf = _find(root, Q + "numFmts")
        if nf is not None:
            for _tag, attrs, _children in nf[2]:
                self._numfmts[attrs.get("formatCode", "")] = int(attrs.get("numFmtId", "0"))
        fonts = _find(root, Q + "fonts")
        self._base_font: Any = fonts[2][0] if fonts is not None and fonts[2] else None
        self._added: dict[str, list[str]] = {k: [] for k in ("numFmts", "fonts", "fills", "borders", "cellXfs")}
        self._cache: dict[Style, int] = {}

    # ---- lookups / appends -------------------------------------------------------
    def _index(self, collection: str, xml: str) -> int:
        canon = _canon(_parse(xml.encode("utf-8")))
        items = self._lists[collection]
        for i, c in enumerate(items):
            if c == canon:
                return i
        items.append(canon)
        self._added[collection].append(xml)
        return len(items) - 1

    def _numfmt(self, code: str | None) -> int:
        if not code or code == "General":
            return 0
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        if code in self._numfmts:
            return self._numfmts[code]
        new_id = max([163, *self._numfmts.values()]) + 1
        self._numfmts[code] = new_id
        self._added["numFmts"].append(f'<numFmt numFmtId="{new_id}" formatCode="{_esc(code)}"/>')
        return new_id

    def xf(self, s: Style) -> int:
        """The cellXfs index of style ``s`` (appended when no equal one exists)."""
        if s in self._cache:
            return self._cache[s]
        font = self._index("fonts", _font_xml(s, self._base_font)) if (s.bold or s.italic or s.size or s.color) else 0
        fill = self._index("fills", _fill_xml(s.fill)) if s.fill else 0
        border = self._index("borders", _border_xml()) if s.border else 0
        numfmt = self._numfmt(s.numfmt)
        attrs = [f'numFmtId="{numfmt}"', f'fontId="{font}"', f'fillId="{fill}"', f'borderId="{border}"', 'xfId="0"']
        if numfmt:
            attrs.append('applyNumberFormat="1"')
        if font:
            attrs.append('applyFont="1"')
        if fill:
            attrs.append('applyFill="1"')
        if border:
            attrs.append('applyBorder="1"')
        align = ""
        if s.wrap or s.halign or s.valign:
            attrs.append('applyAlignment="1"')
            a = []
            if s.halign:
                a.append(f'horizontal="{s.halign}"')
            if s.valign:
                a.append(f'vertical="{s.valign}"')
            if s.wrap:
                a.append('wrapText="1"')
            align = "<alignment " + " ".join(a) + "/>"
        xml = f"<xf {' '.join(attrs)}>{align}</xf>" if align else f"<xf {' '.join(attrs)}/>"
        idx = self._index("cellXfs", xml)
        self._cache[s] = idx
        return idx

    # ---- the new styles.xml ------------------------------------------------------
    @property
    def added(self) -> tuple[int, ...]:
        """How many entries of each kind were appended."""
        return tuple(map(len, self._added.values()))

    @property
    def changed(self) -> bool:
        return any(self._added.values())

    def render(self) -> str:
        """``styles.xml`` with the appended entries (everything else as it was)."""
        xml = self.original
        for name in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
            added = self._added[name]
            if not added:
                continue
            xml = _append(xml, name, added, before=_FOLLOWERS[name])
        return xml


# where a missing collection element goes: before the first of these that exists
_FOLLOWERS = {
    "numFmts": ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"),
    "fonts": ("fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"),
    "fills": ("borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"),
    "borders": ("cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"),
    "cellXfs": ("cellStyles", "dxfs", "tableStyles", "colors", "extLst"),
}


def _append(xml: str, name: str, items: list[str], before: tuple[str, ...]) -> str:
    """Append ``items`` at the end of collection ``name`` and update its count (string edit)."""
    prefix = _prefix(xml)
    p = f"{prefix}:" if prefix else ""
    open_re = re.compile(rf"<{p}{name}\b([^>]*?)(/?)>")
    m = open_re.search(xml)
    body = "".join(_with_prefix(i, p) for i in items)
    if m is None:  # no such collection yet: create it before the first follower present
        pos = len(xml)
        for f in before:
            fm = re.search(rf"<{p}{f}\b", xml)
            if fm:
                pos = fm.start()
                break
        else:
            pos = xml.rindex(f"</{p}styleSheet>")
        return xml[:pos] + f'<{p}{name} count="{len(items)}">{body}</{p}{name}>' + xml[pos:]
    attrs, selfclose = m.group(1), m.group(2)
    count = len(re.findall(rf"<{p}{_child(name)}\b", _section(xml, m, p, name))) + len(items)
    attrs2 = re.sub(r'\scount="\d+"', f' count="{count}"', attrs) if re.search(r'\scount="', attrs) else attrs + f' count="{count}"'
    if selfclose:
        return xml[: m.start()] + f"<{p}{name}{attrs2}>{body}</{p}{name}>" + xml[m.end():]
    end = xml.index(f"</{p}{name}>", m.end())
    return xml[: m.start()] + f"<{p}{name}{attrs2}>" + xml[m.end():end] + body + xml[end:]


def _child(name: str) -> str:
    return {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}[name]


def _section(xml: str, m: re.Match, p: str, name: str) -> str:
    if m.group(2):
        return ""
    end = xml.index(f"</{p}{name}>", m.end())
    # count only direct children: nested <font> etc. do not occur inside these collections
    return xml[m.end():end]


def _prefix(xml: str) -> str:
    m = re.search(r"<(?:(\w+):)?styleSheet\b", xml)
    return (m.group(1) or "") if m else ""


def _with_prefix(fragment: str, p: str) -> str:
    if not p:
        return fragment
    return re.sub(r"<(/?)(\w+)", lambda m: f"<{m.group(1)}{p}{m.group(2)}", fragment)


MINIMAL_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS}">'
    '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
