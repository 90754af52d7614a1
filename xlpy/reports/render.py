"""Render the block's documents: Word (docxtpl), HTML (jinja2, autoescaped).

Every output is written to a temporary file in the target folder and renamed
into place, so a failed render never leaves a half-written document.  Template
errors surface as :class:`TemplateError` with a Vietnamese message naming the
template and the faulty tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup

from ..core.text import slug
from ..fsio import atomic_write as _atomic_write
from . import charts
from .context import CHART_MARKER, SCHEMA, unit_context

ENV_TEMPLATES = "XLPY_TEMPLATES"


class TemplateError(Exception):
    """A template could not be read or rendered (message in Vietnamese)."""


@dataclass(frozen=True)
class Document:
    """One kind of document: its templates, the name of its output, and whose
    header (``context["docs"][header]``: number, symbol, Nơi nhận) it carries."""

    key: str
    label: str  # Vietnamese
    stem: str  # output file name without extension (may include a sub-folder)
    docx: str | None
    html: str | None
    per_unit: bool = False
    header: str = "report"  # report (BC) | proposal (TTr) | notice (TB)
    internal: bool = False  # for the block's officers only: never signed, never sent


INTERNAL_DIR = "noi-bo"

DOCUMENTS: tuple[Document, ...] = (
    Document("report", "Báo cáo kết quả thi đua của Khối", "bao-cao-khoi", "bao-cao-khoi.docx", "bao-cao-khoi.html.j2"),
    # the tờ trình (TTr) with the list attached; the label names mail attachments, so it stays
    Document("proposals", "Danh sách đề nghị khen thưởng", "danh-sach-de-nghi", "danh-sach-de-nghi.docx",
             "danh-sach-de-nghi.html.j2", header="proposal"),
    Document("annex", "Phụ lục thống kê", "phu-luc-thong-ke", "phu-luc-thong-ke.docx", "phu-luc-thong-ke.html.j2"),
    Document("notice", "Thông báo kết quả cho từng đơn vị", "thong-bao", "thong-bao-don-vi.docx", "thong-bao-don-vi.html.j2",
             per_unit=True, header="notice"),
    Document("ineligible", "Các đề nghị không đủ điều kiện (nội bộ)", f"{INTERNAL_DIR}/khong-du-dieu-kien",
             "khong-du-dieu-kien.docx", "khong-du-dieu-kien.html.j2", internal=True),
)


def template_dir() -> Path:
    """Where the report templates live: ``$XLPY_TEMPLATES``, else the packaged ones."""
    from ..resources import template_dirs

    return template_dirs()[0]


# ---- safe writing --------------------------------------------------------------------
def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``."""
    _atomic_write(path, write)
    return Path(path)


# ---- jinja environments ----------------------------------------------------------------
def _filters(env: jinja2.Environment) -> jinja2.Environment:
    from .. import vn

    env.filters.update(
        number=vn.fmt_number,
        date_vn=vn.fmt_date,
        money=vn.fmt_money,
        in_words=vn.amount_in_words,
        upper_vi=vn.upper_vi,
    )
    return env


def docx_env() -> jinja2.Environment:
    """Word templates: sandboxed (a template from an office's folder runs no code), XML-escaped."""
    from ..templating import sandboxed_env

    return _filters(sandboxed_env(autoescape=True, trim=False))


def html_env(directory: Path | None = None) -> jinja2.Environment:
    """HTML templates: sandboxed, escaped, loaded from ``directory`` only."""
    from ..templating import sandboxed_env

    dirs = [directory] if directory else []
    return _filters(sandboxed_env([*dirs, template_dir()], autoescape=True))  # xlpy's own for what the folder lacks


def _explain(e: Exception, template: Path) -> TemplateError:
    if isinstance(e, jinja2.TemplateSyntaxError):
        where = f" (dòng {e.lineno})" if template.suffix != ".docx" and e.lineno else ""
        return TemplateError(f"Mẫu “{template.name}” có thẻ Jinja sai{where}: {str(e.message).rstrip('.')}. Sửa thẻ trong mẫu rồi chạy lại.")
    from ..templating import refused

    if refused(e):
        return TemplateError(f"Mẫu “{template.name}” dùng thao tác không được phép trong mẫu ({e}); mẫu chỉ được dùng "
                             "các biến xlpy cung cấp. Dùng mẫu có sẵn của xlpy hoặc sửa mẫu.")
    if isinstance(e, jinja2.UndefinedError):
        return TemplateError(
            f"Mẫu “{template.name}” dùng biến không có: {str(e.message).rstrip('.')}. Xem danh sách biến trong docs/mau-bao-cao.md "
            f"hoặc chạy: xlpy templates check {template}"
        )
    if isinstance(e, jinja2.TemplateError):
        return TemplateError(f"Mẫu “{template.name}” lỗi khi điền dữ liệu: {e}")
    return TemplateError(f"Không đọc được mẫu “{template.name}”: {e}")


# ---- Word ------------------------------------------------------------------------------
def render_docx(template: Path, context: Mapping[str, Any], out: Path) -> Path:
    """Fill a Word template; the chart marker becomes a native chart."""
    from docxtpl import DocxTemplate

    template = Path(template)
    if not template.exists():
        raise TemplateError(f"Không tìm thấy mẫu “{template}”.")
    try:
        tpl = DocxTemplate(str(template))
        tpl.render(dict(context), jinja_env=docx_env(), autoescape=True)
    except Exception as e:  # docxtpl raises jinja2 errors and zip/XML errors
        raise _explain(e, template) from e
    units = context.get("units") or []
    if context.get("chart"):
        dec = _decimals(context)
        charts.insert_docx_chart(
            tpl.docx, CHART_MARKER, [u["name"] for u in units], [u["total_value"] for u in units], decimals=dec
        )
    fix_dynamic_widths(tpl.docx)
    return save_docx(tpl, out)


def save_docx(tpl: Any, out: Path) -> Path:
    """Write a filled template atomically, with the properties of a document made now (python-docx
    would leave its own: created 2013-12-23, “generated by python-docx”)."""
    import datetime as dt

    props = tpl.docx.core_properties
    props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.comments = ""
    props.revision = 1
    return atomic_write(out, lambda tmp: tpl.save(str(tmp)))


def fix_dynamic_widths(document) -> None:
    """Give tables whose columns repeat (``{%tc for %}``) sensible widths.

    Such a table carries ``w:tblDescription = "xlpy:widths=TOTAL_MM:w1,w2,*,w4"``;
    fixed columns keep their width in mm, the columns of ``*`` share the rest.
    """
    from docx.oxml.ns import qn
    from docx.shared import Mm

    for tbl in document.element.body.iter(qn("w:tbl")):
        pr = tbl.tblPr
        desc = pr.find(qn("w:tblDescription")) if pr is not None else None
        val = desc.get(qn("w:val")) if desc is not None else ""
        if not val or not val.startswith("xlpy:widths="):
            continue
        total_s, spec_s = val[len("xlpy:widths="):].split(":", 1)
        spec = spec_s.split(",")
        rows = tbl.findall(qn("w:tr"))
        if not rows:
            continue
        ncells = len(rows[0].findall(qn("w:tc")))
        nstar = ncells - (len(spec) - 1)
        fixed = [float(x) for x in spec if x != "*"]
        star_w = max((float(total_s) - sum(fixed)) / nstar, 8.0) if nstar > 0 else 0
        widths: list[float] = []
        for x in spec:
            widths += [star_w] * max(nstar, 0) if x == "*" else [float(x)]
        grid = tbl.find(qn("w:tblGrid"))
        for gc in list(grid):
            grid.remove(gc)
        for w in widths:
            gc = grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(int(Mm(w).twips))})
            grid.append(gc)
        for tr in rows:
            for tc, w in zip(tr.findall(qn("w:tc")), widths):
                tcw = tc.tcPr.find(qn("w:tcW")) if tc.tcPr is not None else None
                if tcw is not None:
                    tcw.set(qn("w:w"), str(int(Mm(w).twips)))
                    tcw.set(qn("w:type"), "dxa")
        if nstar > 0:
            first = spec.index("*")
            _fit_columns(tbl, list(range(first, first + nstar)), star_w)
        pr.remove(desc)


# Times New Roman advance widths in em, roughly: enough to tell whether a figure fits.
_EM = {**{d: 0.5 for d in "0123456789"}, ",": 0.25, ".": 0.25, "(": 0.333, ")": 0.333, "-": 0.333, "–": 0.5}


def _text_mm(text: str, size_pt: float) -> float:
    return sum(_EM.get(ch, 0.72 if ch.isupper() else 0.5) for ch in text) * size_pt * 25.4 / 72


def _fit_columns(tbl, columns: list[int], width_mm: float, smallest: float = 7.0) -> None:
    """Shrink the font of ``columns`` so that no figure (no word) is wider than the
    column: LibreOffice and Word would otherwise break "18,5" into "18," and "5"."""
    from docx.oxml.ns import qn

    mar = tbl.tblPr.find(qn("w:tblCellMar")) if tbl.tblPr is not None else None
    margin = 1.9  # Word's default left/right cell margin, mm
    if mar is not None and mar.find(qn("w:left")) is not None:
        margin = int(mar.find(qn("w:left")).get(qn("w:w"))) / 56.7
    avail = width_mm - 2 * margin
    runs, scale = [], 1.0
    for tr in tbl.findall(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        for j in columns:
            if j >= len(cells):
                continue
            for r in cells[j].iter(qn("w:r")):
                sz = r.find(f"{qn('w:rPr')}/{qn('w:sz')}")
                size = int(sz.get(qn("w:val"))) / 2 if sz is not None else 11.0
                text = "".join(t.text or "" for t in r.iter(qn("w:t")))
                runs.append((r, size))
                for word in text.split():
                    need = _text_mm(word, size)
                    if need > avail > 0:
                        scale = min(scale, avail / need)
    if scale >= 1.0:
        return
    for r, size in runs:
        new = max(smallest, int(size * scale * 2) / 2)
        rpr = r.find(qn("w:rPr"))
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag)) if rpr is not None else None
            if el is not None:
                el.set(qn("w:val"), str(int(new * 2)))


def _decimals(context: Mapping[str, Any]) -> int:
    m = re.search(r",(\d+)$", str((context.get("block") or {}).get("max_total", "")))
    return max(2, len(m.group(1)) if m else 0)


# ---- HTML ------------------------------------------------------------------------------
def render_html(template: Path, context: Mapping[str, Any], out: Path | None = None) -> str:
    """Fill an HTML template (autoescaped); write it to ``out`` when given."""
    template = Path(template)
    if not template.exists():
        raise TemplateError(f"Không tìm thấy mẫu “{template}”.")
    ctx = dict(context)
    units = ctx.get("units") or []
    if ctx.get("chart"):
        ctx["chart_svg"] = Markup(
            charts.svg_bar_chart([u["name"] for u in units], [u["total_value"] for u in units], decimals=_decimals(ctx))
        )
    try:
        text = html_env(template.parent).get_template(template.name).render(ctx)
    except Exception as e:
        raise _explain(e, template) from e
    if out is not None:
        atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return text


# ---- a whole block ---------------------------------------------------------------------
def document_context(context: Mapping[str, Any], document: Document) -> Mapping[str, Any]:
    """The block's context with ``doc`` (and ``recipients``) set to this document's header."""
    head = (context.get("docs") or {}).get(document.header)
    if head is None:
        return context
    return {**context, "doc": head, "recipients": head["recipients"]}


def render_block(
    context: Mapping[str, Any],
    out_dir: Path,
    formats: Iterable[str] = ("docx", "html"),
    *,
    documents: Iterable[str] | None = None,
    templates: Path | None = None,
) -> list[Path]:
    """Render every document of one block into ``out_dir``; per-unit notices go to
    ``out_dir/thong-bao/``.  Returns the files written (Word first)."""
    own = Path(templates) if templates else None

    def find(name: str) -> Path:  # the office's own template, else xlpy's
        return own / name if own is not None and (own / name).exists() else template_dir() / name

    out_dir = Path(out_dir)
    wanted = set(documents) if documents is not None else None
    files: list[Path] = []
    for d in DOCUMENTS:
        if wanted is not None and d.key not in wanted:
            continue
        base = document_context(context, d)
        jobs: list[tuple[str, Mapping[str, Any]]]
        if d.per_unit:
            jobs = [
                (f"{d.stem}/{u['rank']:02d}-{slug(u['code'] or u['name'], 30)}", unit_context(base, u))
                for u in context.get("units") or []
            ]
        else:
            jobs = [(d.stem, base)]
        for stem, ctx in jobs:
            if "docx" in formats and d.docx:
                files.append(render_docx(find(d.docx), ctx, out_dir / f"{stem}.docx"))
            if "html" in formats and d.html:
                target = out_dir / f"{stem}.html"
                render_html(find(d.html), ctx, target)
                files.append(target)
    return files


# ---- checking a template ------------------------------------------------------------------
@dataclass
class CheckResult:
    template: Path
    variables: list[str]  # top-level names the template uses
    unknown: list[str]  # names or name.attribute the engine does not provide

    @property
    def ok(self) -> bool:
        return not self.unknown


def template_source(template: Path) -> tuple[jinja2.Environment, str]:
    """The Jinja source of a template: the patched XML of a .docx (as docxtpl sees it), or the HTML text."""
    template = Path(template)
    if not template.exists():
        raise TemplateError(f"Không tìm thấy mẫu “{template}”.")
    if template.suffix.lower() == ".docx":
        from docx import Document as _Doc
        from docx.oxml import parse_xml
        from docxtpl import DocxTemplate

        try:
            tpl = DocxTemplate(str(template))
            d = _Doc(str(template))
            xml = tpl.patch_xml(tpl.xml_to_string(d._element.body))
            for rel in d.part.rels.values():
                if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
                    xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
        except Exception as e:
            raise _explain(e, template) from e
        return docx_env(), xml
    env = html_env(template.parent)
    try:
        return env, template.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise _explain(e, template) from e


def check_template(template: Path, schema: dict[str, tuple[str, ...] | None] | None = None) -> CheckResult:
    """List the variables a template uses that the engine does not provide.

    Uses ``DocxTemplate.get_undeclared_template_variables`` for Word templates
    and ``jinja2.meta`` for HTML (following ``extends``/``include``), then also
    checks ``name.attribute`` uses against ``schema`` (a block's documents:
    :data:`xlpy.reports.context.SCHEMA`; the province report:
    :data:`xlpy.province.report.SCHEMA`), including loop variables
    (``{% for u in units %} … u.nmae``).
    """
    schema = SCHEMA if schema is None else schema
    template = Path(template)
    env, src = template_source(template)
    try:
        asts = [env.parse(src)]
        if template.suffix.lower() != ".docx":
            seen = {template.name}
            todo = list(meta.find_referenced_templates(asts[0]))
            while todo:
                name = todo.pop()
                if not name or name in seen:
                    continue
                seen.add(name)
                ast = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
                asts.append(ast)
                todo += list(meta.find_referenced_templates(ast))
    except jinja2.TemplateError as e:
        raise _explain(e, template) from e
    if template.suffix.lower() == ".docx":
        from docxtpl import DocxTemplate

        used = set(DocxTemplate(str(template)).get_undeclared_template_variables(jinja_env=env))
    else:
        used = set().union(*(meta.find_undeclared_variables(a) for a in asts))
    # names a template may use besides the context: jinja globals
    builtins = set(env.globals)
    unknown = sorted(v for v in used if v not in schema and v not in builtins)
    unknown += sorted(_bad_attributes(asts, schema))
    return CheckResult(template, sorted(used), unknown)



def _bad_attributes(asts: list[nodes.Template], schema: dict[str, tuple[str, ...] | None]) -> set[str]:
    """``name.attr`` uses whose attribute is not in the schema (loop variables included)."""
    bad: set[str] = set()

    def visit(node: nodes.Node, scope: dict[str, str]) -> None:
        if isinstance(node, nodes.For):
            inner = dict(scope)
            it = node.iter
            src = None
            if isinstance(it, nodes.Name):
                src = it.name if it.name in schema else scope.get(it.name + "[]")
            if isinstance(node.target, nodes.Name) and src and schema.get(src):
                inner[node.target.name] = src
            visit(node.iter, scope)
            for child in node.body + node.else_:
                visit(child, inner)
            if node.test is not None:
                visit(node.test, inner)
            return
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            name = node.node.name
            ref = scope.get(name) or (name if name in schema else None)
            attrs = schema.get(ref) if ref else None
            if attrs and node.attr not in attrs:
                bad.add(f"{name}.{node.attr}")
        for child in node.iter_child_nodes():
            visit(child, scope)

    for a in asts:
        visit(a, {})
    return bad
