"""Filling empty cells of an input sheet, surgically (“Tạo bảng chấm”, history import).

Some actions add to an officer's input sheets at the officer's request: the
missing criterion columns and unit rows of a score sheet, earlier years'
awards appended to the history sheet.  They only ever fill cells that are
empty: :func:`fill_cells` inserts cells into the sheet's XML in order, keeps
every existing cell (value, formula, style) as it is, and widens the sheet's
table (if any) to cover what was added.  Nothing else in the sheet changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .package import Package, _attr, rels_part
from .sheet import col_letter, serial, text_xml

_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell_xml(ref: str, v: Any, style: int | None, date_style: int | None, date1904: bool) -> str:
    s = f' s="{style}"' if style is not None else ""
    if v is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(v, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"{s}><v>{v!r}</v></c>' if isinstance(v, float) else f'<c r="{ref}"{s}><v>{v}</v></c>'
    if isinstance(v, (dt.date, dt.datetime)):
        ds = f' s="{date_style}"' if date_style is not None else s
        return f'<c r="{ref}"{ds}><v>{serial(v, date1904)!r}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text_xml(str(v))}</t></is></c>'


def _empty(cell: str) -> bool:
    return not re.search(r"<(?:v|f|is)\b", cell)


@dataclass
class Filled:
    xml: str
    written: int  # cells filled
    max_row: int
    max_col: int


def fill_cells(xml: str, cells: dict[tuple[int, int], Any], *, style: int | None = None, date_style: int | None = None,
               date1904: bool = False) -> Filled:
    """Put ``cells`` ((row, col) 1-based → value) into the worksheet XML where the cell is
    empty; an existing cell keeps its value and formula (and, when filled, its style)."""
    m = re.search(r"<sheetData\s*/>|<sheetData\b[^>]*>(.*?)</sheetData>", xml, re.S)
    if m is None:
        raise ValueError("worksheet without sheetData")
    body = m.group(1) or ""
    rows: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    order: list[int] = []
    for rm in _ROW.finditer(body):
        tag = rm.group(0)
        r = int(_attr(tag[: tag.index(">") + 1], "r") or 0)
        head = re.match(r"<row\b[^>]*?(/?)>", tag)
        assert head is not None
        open_tag = head.group(0)[:-2] + ">" if head.group(1) else head.group(0)
        cs = []
        for cm in _CELL.finditer(tag):
            ref = _attr(cm.group(0)[: cm.group(0).index(">") + 1].rstrip("/>") + ">", "r")
            mm = _REF.match(ref or "")
            cs.append((_col_number(mm.group(1)) if mm else 0, cm.group(0)))
        rows[r] = (open_tag, cs)
        order.append(r)
    written = 0
    by_row: dict[int, dict[int, Any]] = {}
    for (r, c), v in cells.items():
        by_row.setdefault(r, {})[c] = v
    for r, new in by_row.items():
        open_tag, cs = rows.get(r, (f'<row r="{r}">', []))
        existing = {c: x for c, x in cs}
        for c, v in new.items():
            ref = f"{col_letter(c)}{r}"
            old = existing.get(c)
            if old is not None and not _empty(old):
                continue  # never overwrite what an officer typed
            s = _attr(old[: old.index(">") + 1], "s") if old is not None else ""
            existing[c] = _cell_xml(ref, v, int(s) if s else style, date_style, date1904)
            written += 1
        rows[r] = (open_tag, sorted(existing.items()))
        if r not in order:
            order.append(r)
    order.sort()
    new_body = "".join(rows[r][0] + "".join(x for _c, x in rows[r][1]) + "</row>" for r in order)
    max_row = max(order, default=1)
    max_col = max((c for r in order for c, _x in rows[r][1]), default=1)
    out = xml[: m.start()] + "<sheetData>" + new_body + "</sheetData>" + xml[m.end():]
    out = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{col_letter(max_col)}{max_row}"/>', out, count=1)
    return Filled(out, written, max_row, max_col)


def widen_tables(pkg: Package, sheet_part: str, last_row: int, last_col: int, header: dict[int, str]) -> dict[str, bytes]:
    """The sheet's table parts widened to ``last_row``/``last_col`` (new columns named by
    ``header``: column → header text).  Returns the changed table parts."""
    out: dict[str, bytes] = {}
    for rid, target in pkg.rels(sheet_part).items():
        if not target.startswith("xl/tables/") or not pkg.has(target):
            continue
        xml = pkg.text(target)
        tag = re.search(r"<(?:\w+:)?table\b[^>]*>", xml)
        if tag is None:
            continue
        ref = _attr(tag.group(0), "ref")
        m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", ref)
        if not m:
            continue
        c0, r0, c1, r1 = _col_number(m.group(1)), int(m.group(2)), _col_number(m.group(3)), int(m.group(4))
        nc1, nr1 = max(c1, last_col), max(r1, last_row)
        if (nc1, nr1) == (c1, r1):
            continue
        new_ref = f"{col_letter(c0)}{r0}:{col_letter(nc1)}{nr1}"
        xml = xml.replace(f'ref="{ref}"', f'ref="{new_ref}"')
        if nc1 > c1:
            count = re.search(r'<tableColumns count="(\d+)"', xml)
            ids = [int(x) for x in re.findall(r'<tableColumn id="(\d+)"', xml)]
            extra = "".join(
                f'<tableColumn id="{max(ids, default=0) + i}" name="{text_xml(header.get(c, f"Cột{c}")).replace(chr(34), "&quot;")}"/>'
                for i, c in enumerate(range(c1 + 1, nc1 + 1), start=1)
            )
            xml = xml.replace("</tableColumns>", extra + "</tableColumns>", 1)
            if count:
                xml = xml.replace(count.group(0), f'<tableColumns count="{int(count.group(1)) + nc1 - c1}"', 1)
        out[target] = xml.encode("utf-8")
    return out


__all__ = ["Filled", "fill_cells", "rels_part", "widen_tables"]
