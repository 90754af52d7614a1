"""Replace xlpy's output sheets inside a workbook package, touching nothing else.

:func:`plan` computes the part changes for a list of
:class:`~xlpy.book.sheet.OutputSheet`: each output sheet's worksheet part (and
its own table, drawing and chart parts), plus the minimum of the shared parts
needed to add or replace them — ``workbook.xml`` (a ``<sheet>`` entry, print
titles), its relationships, ``[Content_Types].xml``, ``styles.xml`` (appended
styles only) and, if it lists cells of a replaced sheet, ``calcChain.xml``.
Those shared parts are edited as text, so everything else in them stays as
Excel wrote it; every other part of the package is not touched at all.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from ..core.problems import UserError
from . import sheet as W
from .package import _RELATIONSHIP, _SHEET_TAG, Package, _attr, relative, rels_part, resolve, unescape_attr
from .styles import MINIMAL_STYLES, StyleSheet

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_SHEET = f"{R}/worksheet"
REL_TABLE = f"{R}/table"
REL_DRAWING = f"{R}/drawing"
REL_CHART = f"{R}/chart"
REL_STYLES = f"{R}/styles"
REL_CALC_CHAIN = f"{R}/calcChain"
CT = "application/vnd.openxmlformats-officedocument"
CT_SHEET = f"{CT}.spreadsheetml.worksheet+xml"
CT_TABLE = f"{CT}.spreadsheetml.table+xml"
CT_DRAWING = f"{CT}.drawing+xml"
CT_CHART = f"{CT}.drawingml.chart+xml"
CT_STYLES = f"{CT}.spreadsheetml.styles+xml"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"

OWNED_NAMES = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")


class UnsupportedPackage(UserError):
    """A workbook xlpy can read but not write into (message in Vietnamese)."""

    def __init__(self, message: str):
        super().__init__("unsupported_package", message)


def fold_sheet(name: str) -> str:
    """Excel compares sheet names ignoring case (and xlpy ignores the Unicode form)."""
    return unicodedata.normalize("NFC", name).casefold()


class _Edit:
    """The parts one plan changes, adds and removes."""

    __slots__ = ("pkg", "changes", "added", "removed")

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.changes: dict[str, bytes | None] = {}
        self.added: set[str] = set()
        self.removed: set[str] = set()

    def used(self, name: str) -> bool:
        return (name in self.pkg.infos and name not in self.removed) or name in self.added

    def new_name(self, pattern: str) -> str:
        n = 1
        while self.used(pattern.format(n)):
            n += 1
        name = pattern.format(n)
        self.added.add(name)
        return name

    def put(self, name: str, text: str | bytes) -> None:
        self.changes[name] = text if isinstance(text, bytes) else text.encode("utf-8")
        self.added.add(name)

    def drop(self, name: str) -> None:
        if name in self.pkg.infos:
            self.changes[name] = None
            self.removed.add(name)
        else:
            self.changes.pop(name, None)
        self.added.discard(name)


def workbook_styles(pkg: Package) -> tuple[str | None, StyleSheet, bool]:
    """(styles part, its styles, the workbook's 1904 date system flag)."""
    wb_part = pkg.workbook_part
    wb = pkg.text(wb_part)
    rels = pkg.text(rels_part(wb_part)) if pkg.has(rels_part(wb_part)) else _empty_rels()
    part = next((resolve(wb_part, t) for _rid, (typ, t) in _rel_types(rels).items() if typ == REL_STYLES), None)
    styles = StyleSheet(pkg.text(part)) if part and pkg.has(part) else StyleSheet(MINIMAL_STYLES)
    return (part if part and pkg.has(part) else None), styles, bool(re.search(r'date1904="(1|true)"', wb))


def plan(pkg: Package, outputs: Sequence[W.OutputSheet]) -> dict[str, bytes | None]:
    """The part changes that put ``outputs`` into ``pkg`` (existing output sheets replaced)."""
    ed = _Edit(pkg)
    wb_part = pkg.workbook_part
    wb = pkg.text(wb_part)
    if STRICT_NS in wb[:2000]:
        raise UnsupportedPackage(
            "Sổ tính được lưu ở dạng “Strict Open XML”; xlpy ghi được vào dạng thường. "
            "Mở trong Excel, Lưu dưới dạng “Sổ làm việc Excel (*.xlsx)” rồi chạy lại."
        )
    wb_rels_part = rels_part(wb_part)
    wb_rels = pkg.text(wb_rels_part) if pkg.has(wb_rels_part) else _empty_rels()
    ct = pkg.text("[Content_Types].xml")
    styles_part, styles, date1904 = workbook_styles(pkg)
    if styles_part is None:  # a package without styles (not written by Excel): give it the minimal ones
        styles_part = ed.new_name("xl/styles{}.xml") if ed.used("xl/styles.xml") else "xl/styles.xml"
        wb_rels, _rid = _add_rel(wb_rels, REL_STYLES, relative(wb_part, styles_part))
        ct = _add_override(ct, styles_part, CT_STYLES)
        ed.put(styles_part, MINIMAL_STYLES)
    referenced = _references(pkg)
    table_ids, table_names = _tables(pkg)
    by_fold = {fold_sheet(s.name): (i, s) for i, s in enumerate(pkg.sheets)}
    replaced_ids: set[int] = set()
    sheet_count = len(pkg.sheets)
    next_sheet_id = max([0, *(s.sheet_id for s in pkg.sheets)]) + 1

    laid: list[tuple[W.OutputSheet, int, str, str, str | None, str | None]] = []  # each sheet's place, then its XML
    for out in outputs:
        found = by_fold.get(fold_sheet(out.name))
        if found is not None:
            index, ref = found
            part = ref.part
            replaced_ids.add(ref.sheet_id)
            for dep in _owned_dependents(pkg, part, referenced):
                ed.drop(dep)
                table_ids.pop(dep, None)
                table_names.pop(dep, None)
                ct = _remove_override(ct, dep)
            if ref.name != out.name:  # an officer retyped the name in other case: restore ours
                wb = _rename_sheet(wb, ref.rid, out.name)
        else:
            index = sheet_count
            sheet_count += 1
            part = ed.new_name("xl/worksheets/sheet{}.xml")
            wb_rels, rid = _add_rel(wb_rels, REL_SHEET, relative(wb_part, part))
            wb = _add_sheet(wb, out.name, next_sheet_id, rid)
            next_sheet_id += 1
            ct = _add_override(ct, part, CT_SHEET)
        sheet_rels = _empty_rels()
        table_rid = drawing_rid = None
        if out.has_table:
            sheet_rels, table_rid = _add_rel(sheet_rels, REL_TABLE, "")  # target filled below
        if out.chart is not None and out.rows:
            sheet_rels, drawing_rid = _add_rel(sheet_rels, REL_DRAWING, "")
        laid.append((out, index, part, sheet_rels, table_rid, drawing_rid))

    # every sheet's XML at once: the largest may be rendered in another process (W.render_sheets)
    writtens = W.render_sheets([(out, {"date1904": date1904, "table_rid": t_rid, "drawing_rid": d_rid})
                                for out, _i, _p, _r, t_rid, d_rid in laid], styles)
    for (out, index, part, sheet_rels, table_rid, drawing_rid), written in zip(laid, writtens):
        if table_rid and written.table_ref:
            tpart = ed.new_name("xl/tables/table{}.xml")
            tid = max([0, *table_ids.values()]) + 1
            name = _unique(W.table_name(out.name), set(table_names.values()))
            table_ids[tpart] = tid
            table_names[tpart] = name
            ed.put(tpart, W.table_xml(out, written.table_ref, tid, name))
            ct = _add_override(ct, tpart, CT_TABLE)
            sheet_rels = _set_target(sheet_rels, table_rid, relative(part, tpart))
        if drawing_rid and written.chart_rows:
            dpart = ed.new_name("xl/drawings/drawing{}.xml")
            cpart = ed.new_name("xl/charts/chart{}.xml")
            r0, r1, c0, c1 = W.chart_anchor(out)
            ed.put(dpart, W.drawing_xml(r0, r1, c0, c1))
            drels, _ = _add_rel(_empty_rels(), REL_CHART, relative(dpart, cpart))
            ed.put(rels_part(dpart), drels)
            ed.put(cpart, W.chart_xml(out, *written.chart_rows))
            ct = _add_override(_add_override(ct, dpart, CT_DRAWING), cpart, CT_CHART)
            sheet_rels = _set_target(sheet_rels, drawing_rid, relative(part, dpart))
        ed.put(part, written.xml)
        if table_rid or drawing_rid:
            ed.put(rels_part(part), sheet_rels)
        elif pkg.has(rels_part(part)):
            ed.drop(rels_part(part))
        wb = _set_print_titles(wb, index, f"{W.quote_sheet(out.name)}!{written.print_titles}")

    if replaced_ids:
        wb_rels, ct = _prune_calc_chain(pkg, ed, wb_part, wb_rels, ct, replaced_ids)
    if styles.changed:
        ed.put(styles_part, styles.render())
    ed.put(wb_part, wb)
    ed.put(wb_rels_part, wb_rels)
    ed.put("[Content_Types].xml", ct)
    # parts whose text did not change are left as they were (same bytes, not rewritten)
    for name in list(ed.changes):
        data = ed.changes[name]
        if data is not None and pkg.holds(name, data):
            del ed.changes[name]
    return ed.changes


# ---------------------------------------------------------------------------------------
# relationships


def _empty_rels() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')


def _rel_types(rels: str) -> dict[str, tuple[str, str]]:
    out = {}
    for tag in _RELATIONSHIP.findall(rels):
        out[_attr(tag, "Id")] = (_attr(tag, "Type"), unescape_attr(_attr(tag, "Target")))
    return out


def _add_rel(rels: str, typ: str, target: str) -> tuple[str, str]:
    ids = {int(m.group(1)) for m in re.finditer(r'Id="rId(\d+)"', rels)}
    rid = f"rId{max([0, *ids]) + 1}"
    tag = f'<Relationship Id="{rid}" Type="{typ}" Target="{W.attr_xml(target)}"/>'
    if "</Relationships>" in rels:
        rels = rels.replace("</Relationships>", tag + "</Relationships>", 1)
    else:
        rels = re.sub(r"<Relationships([^>]*)/>", lambda m: f"<Relationships{m.group(1)}>{tag}</Relationships>", rels, count=1)
    return rels, rid


def _set_target(rels: str, rid: str, target: str) -> str:
    return re.sub(rf'(<Relationship Id="{rid}"[^>]*Target=")[^"]*(")', lambda m: m.group(1) + W.attr_xml(target) + m.group(2), rels)


def _references(pkg: Package) -> dict[str, set[str]]:
    """target part → the parts whose relationships point at it."""
    out: dict[str, set[str]] = {}
    for name in pkg.infos:
        if not name.endswith(".rels"):
            continue
        d, _, f = name.rpartition("/")
        source = (d[: -len("_rels")] + f[: -len(".rels")]) if d.endswith("_rels") else f[: -len(".rels")]
        source = source.lstrip("/")
        for _rid, target in pkg.rels(source).items():
            out.setdefault(target, set()).add(source)
    return out


def _owned_dependents(pkg: Package, part: str, referenced: dict[str, set[str]]) -> list[str]:
    """The parts reachable from an output sheet that nothing else refers to (its table,
    drawing, chart, comments…), and their relationship parts; never the sheet itself."""
    reach: list[str] = []
    todo = [part]
    seen = {part}
    while todo:
        src = todo.pop()
        for target in pkg.rels(src).values():
            if target in seen or target not in pkg.infos:
                continue
            seen.add(target)
            reach.append(target)
            todo.append(target)
    owned_set = {part, *reach}
    owned = [t for t in reach if referenced.get(t, set()) <= owned_set]
    # keep closure consistent: a part kept because something else uses it keeps what it uses
    out = []
    for t in owned:
        out.append(t)
        if pkg.has(rels_part(t)):
            out.append(rels_part(t))
    if pkg.has(rels_part(part)):
        out.append(rels_part(part))
    return out


# ---------------------------------------------------------------------------------------
# workbook.xml (string edits)


def _prefix(wb: str, local: str) -> str:
    m = re.search(rf"<(?:(\w+):)?{local}\b", wb)
    return f"{m.group(1)}:" if m and m.group(1) else ""


def _root_r_prefix(wb: str) -> tuple[str, str]:
    """(workbook.xml with the relationships namespace bound on its root, that prefix)."""
    root = re.search(r"<(?:\w+:)?workbook\b[^>]*>", wb)
    assert root is not None, "workbook.xml without <workbook>"
    tag = root.group(0)
    m = re.search(r'xmlns:(\w+)="' + re.escape(R) + '"', tag)
    if m:
        return wb, m.group(1)
    prefix = "r" if not re.search(r"xmlns:r=", tag) else "xlpyr"
    new_tag = tag[:-1].rstrip("/") + f' xmlns:{prefix}="{R}"' + (" />" if tag.endswith("/>") else ">")
    return wb[: root.start()] + new_tag + wb[root.end():], prefix


def _add_sheet(wb: str, name: str, sheet_id: int, rid: str) -> str:
    p = _prefix(wb, "sheets")
    wb, r = _root_r_prefix(wb)
    tag = f'<{p}sheet name="{W.attr_xml(name)}" sheetId="{sheet_id}" {r}:id="{rid}"/>'
    if f"</{p}sheets>" in wb:
        return wb.replace(f"</{p}sheets>", tag + f"</{p}sheets>", 1)
    return re.sub(rf"<{p}sheets\s*/>", f"<{p}sheets>{tag}</{p}sheets>", wb, count=1)


def _rename_sheet(wb: str, rid: str, name: str) -> str:
    def fix(m: re.Match) -> str:
        tag = m.group(0)
        if _attr(tag, "r:id") == rid or re.search(rf'\w+:id="{re.escape(rid)}"', tag):
            return re.sub(r'\sname="[^"]*"', f' name="{W.attr_xml(name)}"', tag, count=1)
        return tag

    return _SHEET_TAG.sub(fix, wb)


def _set_print_titles(wb: str, index: int, ref: str) -> str:
    """Replace xlpy's print definitions of sheet ``index`` by its print titles."""
    p = _prefix(wb, "workbook")

    def keep(m: re.Match) -> str:
        tag = m.group(0)
        name = _attr(tag, "name")
        local = _attr(tag, "localSheetId")
        return "" if (name in OWNED_NAMES and local == str(index)) else tag

    wb = re.sub(rf"<{p}definedName\b[^>]*?(?:/>|>.*?</{p}definedName>)", keep, wb, flags=re.S)
    new = f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="{index}">{W.text_xml(ref)}</{p}definedName>'
    if re.search(rf"<{p}definedNames\s*/>", wb):
        return re.sub(rf"<{p}definedNames\s*/>", f"<{p}definedNames>{new}</{p}definedNames>", wb, count=1)
    if f"</{p}definedNames>" in wb:
        return wb.replace(f"</{p}definedNames>", new + f"</{p}definedNames>", 1)
    # definedNames comes after sheets (and functionGroups / externalReferences)
    anchor = None
    for tag in ("externalReferences", "functionGroups", "sheets"):
        m = re.search(rf"</{p}{tag}>|<{p}{tag}\s*/>", wb)
        if m:
            anchor = m.end()
            break
    assert anchor is not None, "workbook.xml without <sheets>"
    return wb[:anchor] + f"<{p}definedNames>{new}</{p}definedNames>" + wb[anchor:]


# ---------------------------------------------------------------------------------------
# [Content_Types].xml


def _add_override(ct: str, part: str, content_type: str) -> str:
    pn = "/" + part
    if f'PartName="{pn}"' in ct:
        return ct
    return ct.replace("</Types>", f'<Override PartName="{W.attr_xml(pn)}" ContentType="{content_type}"/></Types>', 1)


def _remove_override(ct: str, part: str) -> str:
    return re.sub(r'<Override\s+PartName="' + re.escape("/" + part) + r'"[^>]*/>', "", ct)


# ---------------------------------------------------------------------------------------
# tables and the calculation chain


def _tables(pkg: Package) -> tuple[dict[str, int], dict[str, str]]:
    ids: dict[str, int] = {}
    names: dict[str, str] = {}
    for name in pkg.infos:
        if name.startswith("xl/tables/") and name.endswith(".xml"):
            head = pkg.text(name)[:2000]
            m = re.search(r"<(?:\w+:)?table\b[^>]*>", head)
            if m:
                tag = m.group(0)
                if _attr(tag, "id").isdigit():
                    ids[name] = int(_attr(tag, "id"))
                names[name] = _attr(tag, "displayName") or _attr(tag, "name")
    return ids, names


def _unique(name: str, taken: set[str]) -> str:
    low = {t.casefold() for t in taken}
    cand, i = name, 2
    while cand.casefold() in low:
        cand = f"{name}_{i}"
        i += 1
    return cand


def _prune_calc_chain(pkg: Package, ed: _Edit, wb_part: str, wb_rels: str, ct: str, sheet_ids: set[int]):
    """Drop the calculation-chain entries of replaced sheets (Excel rebuilds the chain).

    An entry without ``i=`` belongs to the sheet of the entry before it, so the kept
    entries state their sheet explicitly: nothing moves to another sheet."""
    chain = next((resolve(wb_part, t) for _rid, (typ, t) in _rel_types(wb_rels).items() if typ == REL_CALC_CHAIN), None)
    if not chain or not pkg.has(chain):
        return wb_rels, ct
    xml = pkg.text(chain)
    entries = list(re.finditer(r"<(?:\w+:)?c\b[^>]*/>", xml))
    kept = []
    current = None
    for m in entries:
        tag = m.group(0)
        i = _attr(tag, "i")
        if i:
            current = int(i)
        if current in sheet_ids:
            continue
        kept.append(tag if i else tag.replace("/>", f' i="{current}"/>'))
    if len(kept) == len(entries):
        return wb_rels, ct
    if not kept:  # nothing left: remove the part and its relationship
        ed.drop(chain)
        wb_rels = re.sub(r'<Relationship\b[^>]*Type="' + re.escape(REL_CALC_CHAIN) + r'"[^>]*/>', "", wb_rels)
        return wb_rels, _remove_override(ct, chain)
    start = re.search(r"<(?:\w+:)?calcChain\b[^>]*>", xml)
    assert start is not None
    ed.put(chain, xml[: start.end()] + "".join(kept) + xml[xml.rfind("</"):])
    return wb_rels, ct


# ---------------------------------------------------------------------------------------
# a package to start from (error lists, province workbooks)


def blank_package_bytes() -> bytes:
    """The smallest valid .xlsx package with no sheet yet (``plan`` adds them)."""
    import io
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT_STYLES}"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{W.MAIN_NS}" xmlns:r="{R}"><bookViews><workbookView/></bookViews><sheets/></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_STYLES}" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": MINIMAL_STYLES,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buf.getvalue()
