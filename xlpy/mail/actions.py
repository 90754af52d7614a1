"""The "send" action: ``xlpy send BOOK`` and the ribbon button "Gửi thư".

A dry run (the default) composes every message and writes it as an ``.eml``
file in the outbox, plus the "Gửi thư" sheet listing who gets what: nothing
leaves the computer.  ``--no-dry-run`` sends for real through SMTP (or makes
Outlook drafts, per the "Cách gửi thật" setting), skipping every address the
send log says has already received the same content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import uuid
from pathlib import Path
from typing import Any, Iterator

from ..actions import Result, Table
from ..book.io import Book
from ..core.problems import Problems
from ..features import setting
from ..schema import core as layout
from .delivery import BAD_STATUSES, STATUS_SHEET, STATUS_VI, deliver, status_sheet
from .plan import Plan, assign_attachments, build_plan, clean_settings, display_names, results_of
from .outbox import Outbox
from .recipients import read_recipients
from .sendlog import SendLog, log_path_for
from .settings import MailSettings, mail_settings, setting_cells
from .smtp import RetryPolicy, SmtpBackend, SmtpConfig, SmtpFatal, get_password

SKIP_FILES = ("~$", ".")


def book_path(book: Book) -> Path:
    """The workbook's absolute, symlink-resolved path (FileBook.path, which may be
    relative; an xlwings book's fullname), else a name in the current folder.

    The send log, the outbox and the attachments are found from it, so the same
    workbook run from two different folders (or through a link) shares one log."""
    for obj, attr in ((book, "path"), (book, "fullname"), (getattr(book, "xw", None), "fullname")):
        p = getattr(obj, attr, None) if obj is not None else None
        if not p or "://" in str(p):  # unset, or a cloud URL (OneDrive) with no local folder
            continue
        p = Path(str(p))
        if p.suffix:
            return p.resolve()
    return (Path.cwd() / (getattr(book, "name", None) or "so-tinh.xlsx")).resolve()


def default_outbox(path: Path) -> Path:
    return path.with_name(f"{path.stem}-hop-thu-di")


ATTACH_SUFFIXES = {".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods", ".zip", ".rar", ".7z", ".jpg",
                   ".jpeg", ".png"}
REPORT_SUFFIXES = {"docx": {".docx"}, "pdf": {".pdf"}, "both": {".docx", ".pdf"}}


def collect_attachments(rnd: Any, settings: MailSettings, attach: Path | None, problems: Problems,
                        path: Path) -> list[Path]:
    """The files to attach: those of ``attach`` (a folder, with its sub-folders), or the
    reports made now by the "report" action in the format of the "Tệp đính kèm" setting."""
    if attach is not None:
        attach = Path(attach)
        if not attach.is_dir():
            problems.add("mail_attach_dir", STATUS_SHEET, "", str(attach), "một thư mục",
                         f"Không tìm thấy thư mục tệp đính kèm '{attach}'.")
            return []
        files, skipped = [], []
        for p in sorted(attach.rglob("*")):
            if not p.is_file() or any(part.startswith(SKIP_FILES) for part in p.relative_to(attach).parts):
                continue
            (files if p.suffix.lower() in ATTACH_SUFFIXES else skipped).append(p)
        if skipped:
            problems.warn("mail_attach_skipped", STATUS_SHEET, "", ", ".join(p.name for p in skipped[:5]),
                          ", ".join(sorted(ATTACH_SUFFIXES)),
                          f"Bỏ qua {len(skipped)} tệp không phải văn bản trong '{attach.name}'.")
        return files
    if settings.attach_format == "none":
        return []
    from ..reports.actions import render_reports

    out = path.with_name(f"{path.stem}-tep-gui-kem")
    fmt = {"docx": "docx", "pdf": "pdf", "both": "docx,pdf"}[settings.attach_format]
    res = render_reports(rnd, fmt, out)  # the same round: the attachments say what the mail says
    problems.extend(res.problems)
    if not res.ok:
        problems.add("mail_report_failed", STATUS_SHEET, "", res.message, "báo cáo lập được",
                     f"Không lập được báo cáo để đính kèm: {res.message}")
    want = REPORT_SUFFIXES[settings.attach_format]
    return [Path(f) for f in res.files if Path(f).suffix.lower() in want]


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A one-line progress counter on a terminal's stderr; a no-op elsewhere (Excel, pipes, tests)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return

    def update(done: int, total: int, name: str) -> None:
        sys.stderr.write(f"\rGửi thư {done}/{total}: {name[:50]:<50}")
        sys.stderr.flush()

    try:
        yield update
    finally:
        sys.stderr.write("\r" + " " * 70 + "\r")


def _table(data: dict) -> Table:
    rows = [[str(r["stt"]), f"{r['ten']} ({r['ma']})", r["dia_chi"], r["loai"], r["dinh_kem"],
             r["trang_thai_vi"] + (f" – {r['chi_tiet']}" if r["chi_tiet"] and r["trang_thai"] in BAD_STATUSES else "")]
            for r in data["rows"]]
    return Table("Thư gửi" + (" (chạy thử)" if data["dry_run"] else ""),
                 ["STT", "Đơn vị", "Địa chỉ", "Loại", "Tệp đính kèm", "Trạng thái"], rows, more=f"đủ ở trang “{STATUS_SHEET}”")


def _confirm_send(result: Result) -> tuple[str, dict] | None:
    """After a successful dry run, the ribbon asks before sending for real."""
    data = result.data or {}
    n = sum(1 for m in data.get("messages", []) if not m.get("loi"))
    if not result.ok or not data.get("dry_run") or n == 0:
        return None
    where = f"\nThư xem trước ở thư mục: {data['outbox']}" if data.get("outbox") else ""
    return (f"Đã chuẩn bị {n} thư (chưa gửi).{where}\n\nGửi thật ngay bây giờ?", {"dry_run": False})


def send(
    book: Book,
    dry_run: bool = True,
    outbox: Path | None = None,
    attach: Path | None = None,
    only: str | None = None,
    partial: bool = False,
    retry_delay: float = 2.0,
    attempts: int = 4,
    resend_unknown: bool = False,
) -> Result:
    """Compose (and, with ``dry_run=False``, send) the round's messages; see the module docstring."""
    from ..book.actions import failure
    from ..round import load_round

    rnd, problems = load_round(book)
    if rnd.result is None:  # results from the round itself, never from a sheet written earlier
        return failure(book, problems, "gửi thư")
    path = book_path(book)
    cells = setting_cells(rnd.settings)
    settings = clean_settings(mail_settings(rnd.settings), cells, problems)
    wanted = {w.strip().casefold() for w in only.split(",") if w.strip()} if only else None
    recipients = read_recipients(rnd.units_table, settings, rnd.settings, problems, wanted)
    if wanted is not None and not recipients:
        problems.add("mail_only_none", layout.UNITS, "", only, "mã đơn vị có trong trang",
                     f"Không có người nhận nào khớp với '{only}'.")
    files = collect_attachments(rnd, settings, attach, problems, path)
    # every unit of the block decides who owns which file, even when only some are mailed
    block_units = read_recipients(rnd.units_table, settings, rnd.settings, Problems()) if wanted is not None else recipients
    assigned = display_names(assign_attachments(files, block_units), block_units, settings)
    from .compose import template_dirs

    results = results_of(rnd.result)
    plan: Plan = build_plan(settings, recipients, assigned, results, problems,
                            template_dirs=template_dirs(own_templates(settings, cells, path, problems)),
                            block_units=block_units, setting_cells=cells)

    log = SendLog(log_path_for(path))
    batch = dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    hold = ""
    backend: Any = None
    box: Outbox | None = None
    if dry_run:
        box = Outbox(outbox or default_outbox(path))
    else:
        if problems.has_errors and not partial:
            hold = "sổ tính còn lỗi (xem danh sách lỗi); sửa rồi gửi lại, hoặc dùng --partial để gửi cho người nhận hợp lệ"
        if not plan.ready:
            hold = hold or "không có thư nào gửi được"
        if not hold:
            backend, hold = _make_backend(settings, problems, retry_delay, attempts)

    try:
        with _progress(True) as update:
            rows, written = deliver(plan, backend=backend, outbox=box, log=log, dry_run=dry_run, hold=hold, progress=update,
                                    batch=batch, resend_unknown=resend_unknown)
    finally:
        if backend is not None and hasattr(backend, "close"):
            backend.close()
    if box is not None:
        box.prune(written)

    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    if dry_run:
        note = (f"Chạy thử lúc {dt.datetime.now():%d/%m/%Y %H:%M}: chưa gửi thư nào. Thư đã ghi ở {box.folder if box else ''}. "
                "Kiểm tra rồi gửi thật (xlpy send SỔ --no-dry-run).")
        message = (f"Chạy thử: đã ghi {len(written)} thư (.eml) vào {box.folder if box else ''}; chưa gửi gì. "
                   f"Xem sheet '{STATUS_SHEET}', rồi gửi thật bằng --no-dry-run.")
    else:
        parts = [f"{STATUS_VI[k].lower()}: {v}" for k, v in counts.items()]
        note = f"Lần gửi {batch} (địa chỉ) – " + "; ".join(parts)
        message = "Gửi thư (số địa chỉ) – " + "; ".join(parts) + "."
        if hold:
            message = f"Chưa gửi thư nào: {hold}."
    try:
        book.replace_outputs([status_sheet(rows, note)])
        wrote_book = True
    except Exception as e:  # noqa: BLE001 - the workbook may be open in Excel
        wrote_book = False
        problems.warn("mail_status_sheet", STATUS_SHEET, "", f"{type(e).__name__}: {e}", "ghi được",
                      f"Không ghi được sheet '{STATUS_SHEET}' (sổ tính đang mở?); kết quả gửi vẫn ở {log.path.name}.")
    bad = sum(v for k, v in counts.items() if k in BAD_STATUSES)
    ok = not hold and bad == 0 and not problems.has_errors
    data = {
        "dry_run": dry_run,
        "backend": "outbox" if dry_run else getattr(backend, "name", None),
        "outbox": str(box.folder) if box else None,
        "log": str(log.path),
        "batch": batch,
        "counts": counts,
        "rows": [r.to_dict() for r in rows],
        "messages": [
            {"ma": i.recipient.code, "ten": i.recipient.name, "den": [str(a) for a in i.recipient.to],
             "cc": [str(a) for a in i.recipient.cc], "tieu_de": i.composed.subject if i.composed else "",
             "dinh_kem": list(i.composed.attachment_names) if i.composed else [], "ma_noi_dung": i.composed.content_hash if i.composed else "",
             "loi": i.error}
            for i in plan.items
        ],
    }
    out_files: list[Path] = list(written)
    if log.path.exists() and not dry_run:
        out_files.append(log.path)
    if wrote_book and isinstance(getattr(book, "path", None), Path):
        out_files.append(book.path)
    return Result(ok, message, data=data, problems=problems, files=out_files, table=_table(data))


def own_templates(settings: MailSettings, cells: dict[str, str], path: Path, problems: Problems) -> list[Path]:
    """The office's own template folder, only when named in the "Thư mục mẫu riêng" setting
    (a folder beside the workbook is not picked up by itself).  The first time a folder
    is used on this computer account, a warning names it."""
    from ..templating import own_folder

    key = setting("mail_template_dir").key
    return own_folder(settings.template_dir, path.parent, problems, key=key, cell=cells.get(key, ""),
                      code="mail_template_dir", what="mẫu thư", advice="Kiểm tra thư chạy thử trước khi gửi.")


def _make_backend(settings: MailSettings, problems: Problems, retry_delay: float, attempts: int) -> tuple[Any, str]:
    """(backend, "") or (None, Vietnamese reason)."""
    if settings.backend == "outlook":
        from .outlook import OutlookDrafts, OutlookUnavailable

        try:
            return OutlookDrafts(), ""
        except OutlookUnavailable as e:
            problems.add("mail_outlook", layout.SETTINGS, "", "Thư nháp Outlook", "Outlook trên Windows", str(e))
            return None, str(e)
    if not settings.smtp_host:
        key = setting("mail_smtp_host").key
        msg = f"chưa có '{key}' trong sheet '{layout.SETTINGS}'"
        problems.add("mail_no_host", layout.SETTINGS, "", "", key, msg[0].upper() + msg[1:] + ".")
        return None, msg
    password = None
    if settings.smtp_user:
        password, _source = get_password(settings.smtp_user)
    cfg = SmtpConfig(settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_user,
                     timeout=float(os.environ.get("XLPY_SMTP_TIMEOUT", "30")), cafile=settings.smtp_cafile)
    backend = SmtpBackend(cfg, password, RetryPolicy(attempts=max(1, attempts), base_delay=max(0.0, retry_delay)))
    try:
        backend.connect()  # fail early (unreachable, login refused) before the first message
    except SmtpFatal as e:
        problems.add(f"mail_{e.code}", layout.SETTINGS, "", e.smtp_code or "", "kết nối được", e.message)
        return None, e.message
    return backend, ""
