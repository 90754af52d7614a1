"""Actions of the reports feature: ``xlpy report BOOK`` and ``xlpy templates check TEMPLATE``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..actions import Result
from ..core.problems import Problems, Severity
from . import pdf as pdfmod
from .context import REPORT_SETTINGS, build_context, proposals_from_check
from .render import DOCUMENTS, TemplateError, check_template, render_block, slug

FORMATS = ("docx", "html", "pdf")


def _formats(fmt: str) -> list[str] | None:
    f = (fmt or "all").strip().lower()
    if f == "all":
        return list(FORMATS)
    parts = [p.strip() for p in f.replace(";", ",").split(",") if p.strip()]
    return parts if parts and all(p in FORMATS for p in parts) else None


def _default_out(book: Any) -> Path:
    path = getattr(book, "path", None)
    base = Path(path).parent if path else Path.cwd()
    stem = Path(path).stem if path else slug(getattr(book, "name", "khoi"))
    return base / f"{stem}-bao-cao"


def report_action(book, format: str = "all", out: Path | None = None, templates: Path | None = None) -> Result:
    """Load the round and render its documents (see :func:`render_reports`)."""
    from ..book.actions import failure
    from ..round import load_round

    rnd, problems = load_round(book)
    if rnd.result is None:
        return failure(book, problems, "lập báo cáo")
    return render_reports(rnd, format, out or _default_out(book), templates)


def award_check(rnd: Any) -> Any:
    """The round's award check for the documents, or None when it cannot run (the report
    then says the proposals were not checked; the problems say why)."""
    try:
        report = rnd.check
    except Exception:  # noqa: BLE001 - the documents must not fail because the check could not run
        return None
    return report if report is not None and report.outcomes else None


def render_reports(rnd: Any, format: str, out: Path, templates: Path | None = None) -> Result:
    """The documents of a loaded round (its result and its award check, computed once)."""
    problems = rnd.problems
    formats = _formats(format)
    if formats is None:
        return Result(False, f"Định dạng “{format}” không hợp lệ. Chọn docx, html, pdf hoặc all.")
    result = rnd.result
    props, source, money_total = proposals_from_check(award_check(rnd))
    settings = {spec.attr: rnd.settings.get(spec.attr) for spec in REPORT_SETTINGS}
    ctx = build_context(result, settings, proposals=props, proposals_source=source, money_total=money_total)
    folder = Path(out)
    want_docx = "docx" in formats or "pdf" in formats
    try:
        files = render_block(ctx, folder, [f for f in ("docx", "html") if f in formats or (f == "docx" and want_docx)],
                             templates=templates)
    except TemplateError as e:
        return Result(False, str(e), problems=problems)
    notes = []
    pdfs: list[Path] = []
    ok = True
    if "pdf" in formats:
        docx = [f for f in files if f.suffix == ".docx"]
        try:
            pdfs = pdfmod.convert_to_pdf(docx)
        except pdfmod.PdfUnavailable as e:
            notes.append(str(e))
            problems.add("pdf_unavailable", "", "", "LibreOffice", "soffice", str(e), Severity.WARNING)
            ok = formats != ["pdf"]
        except pdfmod.PdfError as e:
            notes.append(str(e))
            problems.add("pdf_failed", "", "", "LibreOffice", "PDF", str(e), Severity.WARNING)
            ok = False
    files = files + pdfs
    n_units = len(ctx["units"])
    kinds = ", ".join(f for f in ("docx", "html", "pdf") if any(p.suffix == f".{f}" for p in files))
    msg = (
        f"Đã lập {len(files)} tệp báo cáo ({kinds}) cho {ctx['block']['name']}: báo cáo, danh sách đề nghị, phụ lục"
        f"{f' và {n_units} thông báo đơn vị' if n_units else ''}. Thư mục: {folder}"
    )
    if not ctx["awards"]["available"]:
        msg += " Phần đề nghị khen thưởng chưa có kết quả kiểm tra tiêu chuẩn."
    if notes:
        msg += " " + " ".join(notes)
    data = {
        "folder": str(folder),
        "formats": formats,
        "documents": [d.key for d in DOCUMENTS],
        "units": n_units,
        "awards_checked": ctx["awards"]["available"],
        "generated": dt.date.today().isoformat(),
    }
    return Result(ok, msg, data=data, problems=problems, files=files)


def templates_check_action(template: Path) -> Result:
    path = Path(template)
    try:
        res = check_template(path)
    except TemplateError as e:
        return Result(False, str(e), data={"template": str(path), "error": str(e)})
    data = {"template": str(path), "variables": res.variables, "unknown": res.unknown}
    if res.ok:
        return Result(True, f"Mẫu “{path.name}” hợp lệ: dùng {len(res.variables)} biến, tất cả đều có trong dữ liệu của xlpy.", data=data)
    problems = Problems()
    for v in res.unknown:
        problems.add("unknown_variable", path.name, "", v, "biến trong docs/mau-bao-cao.md", f"Mẫu dùng biến “{v}” mà xlpy không cung cấp.")
    return Result(
        False,
        f"Mẫu “{path.name}” dùng {len(res.unknown)} biến không có: {', '.join(res.unknown)}. Xem docs/mau-bao-cao.md.",
        data=data,
        problems=problems,
    )
