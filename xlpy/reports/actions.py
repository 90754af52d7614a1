"""Actions of the reports feature: ``xlpy report BOOK`` and ``xlpy templates check TEMPLATE``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from ..actions import Result, action
from ..core.problems import Problems, Severity
from . import pdf as pdfmod
from .context import awards_from_check, build_context
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


def rules_check(book: Any) -> Any:
    """The award check of :mod:`xlpy.rules` for this book (a ``CheckReport``), or
    ``None`` when it cannot run (rules missing, input errors, no proposals)."""
    try:
        from ..rules import check
        from ..rules.sheets import read_rules_input
    except ImportError:
        return None
    try:
        inp, settings, problems = read_rules_input(book)
        if inp is None or problems.has_errors:
            return None
        report = check(inp, settings)
    except Exception:  # the report must not fail because the check could not run
        return None
    return report if report.outcomes else None


def _setting_cells(book: Any) -> dict[str, str]:
    """Vietnamese setting label -> address of its value cell on the settings sheet."""
    try:
        from ..book import layout as L
        from ..book.grid import cell

        grid = book.grid(L.SETTINGS) or []
    except Exception:  # noqa: BLE001 - only used to point at the cell
        return {}
    out = {}
    for i, r in enumerate(grid):
        if i and r and isinstance(r[0], str) and r[0].strip():
            out.setdefault(r[0].strip(), cell(i, 1))
    return out


def _report_problems(ctx: dict, book: Any, problems: Problems) -> None:
    """Warnings about what the signed documents cannot say yet: settings left
    blank (the documents show a placeholder), proposals awaiting a decision."""
    cells = _setting_cells(book)
    for w in ctx.get("warnings") or []:
        key = w["setting"]
        problems.warn("report_setting_missing", "Cài đặt", cells.get(key, ""), "(ô trống)",
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


@action(
    "report",
    label="Lập báo cáo",
    help="Lập báo cáo của Khối, danh sách đề nghị khen thưởng, phụ lục thống kê và thông báo cho từng đơn vị (Word, HTML, PDF).",
    group="Báo cáo",
    icon="FileSaveAsWordDocx",
    order=40,
    supertip=(
        "Điền kết quả chấm điểm vào các mẫu trong thư mục templates theo thể thức Nghị định 30/2020/NĐ-CP. "
        "PDF cần LibreOffice; thiếu LibreOffice thì vẫn có tệp Word và HTML."
    ),
)
def report_action(
    book,
    format: Annotated[str, "docx|html|pdf|all (có thể ghép: docx,pdf)"] = "all",
    out: Annotated[Path | None, "Thư mục lưu báo cáo (mặc định: <tên sổ>-bao-cao cạnh sổ tính)"] = None,
    templates: Annotated[Path | None, "Thư mục mẫu riêng (mặc định: templates của xlpy)"] = None,
) -> Result:
    from ..book.read import read_block
    from ..core.engine import compute

    formats = _formats(format)
    if formats is None:
        return Result(False, f"Định dạng “{format}” không hợp lệ. Chọn docx, html, pdf hoặc all.")
    block, problems = read_block(book)
    if block is None or problems.has_errors:
        n = len(problems.errors) if problems else 0
        return Result(False, f"Chưa lập được báo cáo: sổ tính còn {n} lỗi dữ liệu. Chạy “Kiểm tra dữ liệu” để xem.", problems=problems)
    result = compute(block)
    check = rules_check(book)
    ctx = build_context(result, **awards_from_check(check))
    _report_problems(ctx, book, problems)
    folder = Path(out) if out else _default_out(book)
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


@action(
    "templates check",
    label="Kiểm tra mẫu báo cáo",
    help="Liệt kê các biến mà mẫu (.docx hoặc .html.j2) dùng nhưng xlpy không cung cấp, và thẻ Jinja sai.",
    group="Báo cáo",
    icon="ReviewDisplayForReview",
    ribbon=False,
    order=41,
)
def templates_check_action(template: Annotated[Path, "Tệp mẫu .docx hoặc .html.j2"]) -> Result:
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
