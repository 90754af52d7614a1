"""Actions of the reports feature: ``xlpy report BOOK`` and ``xlpy templates check TEMPLATE``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..actions import Result
from ..core.problems import Problems, Severity
from ..schema.core import SETTINGS
from . import pdf as pdfmod
from .context import REPORT_SETTINGS, awards_from_check, build_context
from .render import DOCUMENTS, INTERNAL_DIR, TemplateError, check_template, render_block, slug

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
    report = rnd.check
    return report if report is not None and report.outcomes else None


def _setting_cells(rnd: Any) -> dict[str, str]:
    """Setting label -> address of its value cell on the settings sheet."""
    return {spec.key: rnd.settings.cell(spec.attr) for spec in REPORT_SETTINGS}


def _report_problems(ctx: dict, rnd: Any, problems: Problems) -> None:
    """Warnings about what the signed documents cannot say yet: settings left
    blank (the documents show a placeholder), proposals awaiting a decision."""
    cells = _setting_cells(rnd)
    for w in ctx.get("warnings") or []:
        key = w["setting"]
        problems.warn("report_setting_missing", SETTINGS, cells.get(key, ""), "(ô trống)",
                      f"“{key}” có giá trị", w["message"])
    aw = ctx["awards"]
    if not aw["available"]:
        problems.warn("report_awards_unchecked", "", "", "chưa kiểm tra", "kết quả “Kiểm tra khen thưởng”", aw["note"])
    elif aw["n_pending"]:
        problems.warn(
            "report_awards_pending", "", "", f"{aw['n_pending']} đề nghị chờ quyết định", "quyết định của Hội đồng",
            f"{aw['n_pending']} đề nghị bằng nhau tại ngưỡng tỷ lệ đang chờ Hội đồng quyết định: chưa đưa vào tờ trình và "
            f"danh sách đề nghị (xem {INTERNAL_DIR}/khong-du-dieu-kien). Ghi quyết định vào sổ tính rồi lập lại báo cáo.",
        )


TEMPLATE_DIR_ATTR = "report_template_dir"


def _template_folders(rnd: Any, templates: Path | None, problems: Problems) -> list[Path] | None:
    """The office's own report templates: the folder passed to the action, else the one named
    in the settings; ``[]`` for xlpy's own, ``None`` when the named folder is unusable."""
    from ..templating import own_folder

    path = getattr(rnd.book, "path", None)
    base = Path(path).parent if path else Path.cwd()
    spec = next(s for s in REPORT_SETTINGS if s.attr == TEMPLATE_DIR_ATTR)
    if templates is not None:
        raw, key, cell = str(templates), "--templates", ""
    else:
        raw, key, cell = rnd.settings.get(TEMPLATE_DIR_ATTR) or "", spec.key, rnd.settings.cell(TEMPLATE_DIR_ATTR)
    n = len(problems.errors)
    folders = own_folder(raw, base, problems, key=key, cell=cell, code="report_template_dir", what="mẫu báo cáo",
                         advice="Xem kỹ văn bản trước khi ký.")
    return None if len(problems.errors) > n else folders


def render_reports(rnd: Any, format: str, out: Path, templates: Path | None = None) -> Result:
    """The documents of a loaded round (its result and its award check, computed once)."""
    problems = rnd.problems
    formats = _formats(format)
    if formats is None:
        return Result(False, f"Định dạng “{format}” không hợp lệ. Chọn docx, html, pdf hoặc all.")
    folders = _template_folders(rnd, templates, problems)
    if folders is None:
        return Result(False, "Chưa lập báo cáo: thư mục mẫu báo cáo riêng không dùng được (xem danh sách lỗi).", problems=problems)
    templates = folders[0] if folders else None
    settings = {spec.attr: rnd.settings.get(spec.attr) for spec in REPORT_SETTINGS}
    from ..year.registration import report_context

    ctx = build_context(rnd.result, settings, registration=report_context(rnd), **awards_from_check(award_check(rnd)))
    _report_problems(ctx, rnd, problems)
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
    # the internal list is for the block's officers: written, named in the message and
    # the data, but not among the documents a door attaches to mail or hands on
    internal = [f for f in files if INTERNAL_DIR in f.relative_to(folder).parts[:-1]] if files else []
    files = [f for f in files if f not in internal]
    n_units = len(ctx["units"])
    kinds = ", ".join(f for f in ("docx", "html", "pdf") if any(p.suffix == f".{f}" for p in files))
    msg = (
        f"Đã lập {len(files)} tệp văn bản ({kinds}) cho {ctx['block']['name']}: báo cáo, tờ trình kèm danh sách đề nghị, "
        f"phụ lục{f' và {n_units} thông báo đơn vị' if n_units else ''}."
    )
    aw = ctx["awards"]
    if not aw["available"]:
        msg += " Phần đề nghị khen thưởng chưa có kết quả kiểm tra tiêu chuẩn."
    elif aw["n_ineligible"]:
        msg += (f" {aw['n_ineligible']} đề nghị không đủ điều kiện không đưa vào văn bản; xem danh sách nội bộ "
                f"{INTERNAL_DIR}/khong-du-dieu-kien.")
    if ctx["warnings"]:
        msg += f" Còn {len(ctx['warnings'])} mục cài đặt trống (văn bản ghi chỗ trống để bổ sung): " + ", ".join(
            w["setting"] for w in ctx["warnings"]) + "."
    if notes:
        msg += " " + " ".join(notes)
    msg += f" Thư mục: {folder}"
    data = {
        "folder": str(folder),
        "formats": formats,
        "documents": [d.key for d in DOCUMENTS],
        "units": n_units,
        "awards_checked": aw["available"],
        "awards": {k: aw[k] for k in ("n_proposed", "n_ok", "n_ok_tt", "n_ok_cn", "n_tt", "n_cn", "n_not_ok", "n_over",
                                      "n_pending", "n_ineligible")},
        "internal_files": [str(f) for f in internal],
        "missing_settings": [w["setting"] for w in ctx["warnings"]],
        "generated": dt.date.today().isoformat(),
    }
    return Result(ok, msg, data=data, problems=problems, files=files)


LEVELS = {"khoi": "báo cáo của khối", "tinh": "báo cáo cấp tỉnh"}


def _schema(level: str) -> dict:
    if level == "tinh":
        from ..province.report import SCHEMA as PROVINCE

        return PROVINCE
    from .context import SCHEMA as BLOCK

    return BLOCK


def templates_check_action(template: Path, level: str = "auto") -> Result:
    """A template's variables against what xlpy provides: a block's documents or the province
    report (``auto``: the one it fits better; a tie is a block's)."""
    path = Path(template)
    if level not in ("auto", *LEVELS):
        return Result(False, f"“{level}” không hợp lệ cho --level: chọn auto, {', '.join(LEVELS)}.")
    try:
        tried = {lv: check_template(path, _schema(lv)) for lv in (LEVELS if level == "auto" else (level,))}
    except TemplateError as e:
        return Result(False, str(e), data={"template": str(path), "error": str(e)})
    level = min(tried, key=lambda lv: (len(tried[lv].unknown), lv != "khoi"))
    res = tried[level]
    what = LEVELS[level]
    data = {"template": str(path), "level": level, "variables": res.variables, "unknown": res.unknown}
    if res.ok:
        return Result(True, f"Mẫu “{path.name}” ({what}) hợp lệ: dùng {len(res.variables)} biến, tất cả đều có trong dữ liệu "
                      "của xlpy.", data=data)
    problems = Problems()
    for v in res.unknown:
        problems.add("unknown_variable", path.name, "", v, "biến trong docs/mau-bao-cao.md", f"Mẫu dùng biến “{v}” mà xlpy không cung cấp.")
    return Result(
        False,
        f"Mẫu “{path.name}” ({what}) dùng {len(res.unknown)} biến không có: {', '.join(res.unknown)}. Xem docs/mau-bao-cao.md.",
        data=data,
        problems=problems,
    )
