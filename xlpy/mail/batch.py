"""A batch: plan who gets what, then deliver through one backend.

:func:`build_plan` turns the workbook (settings, units, results) and a set
of attachment files into composed messages — pure data, nothing sent.
:func:`deliver` walks the plan through the outbox (dry run), SMTP or Outlook,
consults the send log so nothing goes out twice, and returns one
:class:`StatusRow` per recipient address for the "Gửi thư" output sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Callable, Sequence

from ..book.io import OutputSheet, nfc
from ..core.problems import Problems
from ..schema import core as layout
from .compose import ComposeError, Composed, SubjectError, attachment_name, compose, make_env
from .headers import clean_header_text, describe, needs_cleaning, visible
from .recipients import OFFICE_KEY, AddressError, Recipient, parse_address
from .sendlog import SendLog
from .settings import MailSettings

STATUS_SHEET = "Gửi thư"

STATUS_HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "Địa chỉ", "Loại", "Tiêu đề", "Tệp đính kèm",
                 "Trạng thái", "Chi tiết", "Thời điểm", "Mã nội dung"]

# status key -> Vietnamese label (the sheet, the terminal)
STATUS_VI = {
    "sent": "Đã gửi",
    "already": "Đã gửi trước đó",
    "draft": "Đã tạo thư nháp",
    "written": "Chạy thử – đã ghi .eml",
    "would_skip": "Chạy thử – đã gửi trước đó, sẽ bỏ qua",
    "refused": "Bị từ chối",
    "deferred": "Tạm hoãn – sẽ gửi lại",
    "unknown": "Chưa rõ – máy chủ chưa trả lời",
    "would_skip_unknown": "Chạy thử – lần trước chưa rõ, sẽ bỏ qua",
    "failed": "Chưa gửi",
    "invalid": "Lỗi – chưa gửi",
}
BAD_STATUSES = frozenset({"refused", "deferred", "unknown", "failed", "invalid"})
UNKNOWN_HINT = ("không tự gửi lại; hỏi người nhận, nếu chưa nhận được thì gửi lại bằng "
                "'xlpy send SỔ --no-dry-run --resend-unknown'")

# Variables a subject or body template may use (docs/gui-thu.md, section 4).
TEMPLATE_VARIABLES = ("khoi", "nam", "ky", "ky_nam", "ngay_xet", "don_vi", "ket_qua", "bang_ket_qua", "so_don_vi",
                      "ban_tdkt", "nguoi_gui", "tep_dinh_kem")


# ---- plan ----------------------------------------------------------------------
@dataclass
class Item:
    index: int
    recipient: Recipient
    attachments: list[Any] = field(default_factory=list)  # Path or (Path, shown name)
    composed: Composed | None = None
    error: str = ""  # Vietnamese; recipient or compose error

    @property
    def ok(self) -> bool:
        return self.composed is not None and not self.error


@dataclass
class Plan:
    items: list[Item]
    sender: Address | None
    problems: Problems

    @property
    def ready(self) -> list[Item]:
        return [i for i in self.items if i.ok]


def _fold(text: str) -> str:
    base = unicodedata.normalize("NFD", nfc(text).replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in base if not unicodedata.combining(ch)).casefold()


# File names (folded: no diacritics, lower case) meant for the provincial office only:
# the summary, the award proposals list (danh-sach-de-nghi), the statistical annex (phu-luc).
OFFICE_WORDS = ("tong hop", "tong-hop", "tonghop", "tong_hop", "de nghi", "de-nghi", "de_nghi", "phu luc",
                "phu-luc", "phu_luc", "ban tdkt", "ban-tdkt", "summary")


def assign_attachments(files: Sequence[Path], recipients: Sequence[Recipient]) -> dict[str, list[Path]]:
    """Which files go to whom, from the file names (the reports feature's names,
    or an officer's own folder).

    * a name that says "tổng hợp", "đề nghị" or "phụ lục" (``danh-sach-de-nghi.docx``)
      goes to the office only;
    * a name that contains a unit code as a separate word (``thong-bao/03-snv.docx``,
      ``Thông báo - SNV.pdf``) goes to that unit only;
    * every other file (the block report ``bao-cao-khoi``) goes to every unit and
      to the office.
    """
    units = [r for r in recipients if r.kind == "unit"]
    per_unit: dict[str, list[Path]] = {r.key: [] for r in units}
    office: list[Path] = []
    common: list[Path] = []
    for f in files:
        stem = _fold(Path(f).stem)
        if any(w in stem for w in OFFICE_WORDS):
            office.append(Path(f))
            continue
        owners = [r.key for r in units
                  if re.search(rf"(^|[^a-z0-9]){re.escape(_fold(r.code))}($|[^a-z0-9])", stem)]
        if owners:
            for k in owners:
                per_unit[k].append(Path(f))
        else:
            common.append(Path(f))
    out = {k: v + common for k, v in per_unit.items()}
    out[OFFICE_KEY] = common + office
    return out


def report_titles() -> dict[str, tuple[str, bool]]:
    """Output stem of each document of the reports feature -> (Vietnamese title, per unit)."""
    try:
        from ..reports.render import DOCUMENTS
    except Exception:  # noqa: BLE001 - the reports feature is optional here
        return {}
    return {d.stem: (getattr(d, "label", d.stem), d.per_unit) for d in DOCUMENTS if getattr(d, "stem", None)}


def display_names(assigned: dict[str, list[Path]], recipients: Sequence[Recipient],
                  settings: MailSettings) -> dict[str, list[Any]]:
    """Give the reports feature's files (``bao-cao-khoi.docx``, ``thong-bao/03-snv.docx``)
    Vietnamese names in the mail; an officer's own files keep theirs."""
    titles = report_titles()
    year = f" năm {settings.year}" if settings.year else ""
    by_key = {r.key: r for r in recipients}
    out: dict[str, list[Any]] = {}
    for key, files in assigned.items():
        r = by_key.get(key)
        items: list[Any] = []
        for f in files:
            f = Path(f)
            if f.stem in titles and not titles[f.stem][1]:
                items.append((f, f"{titles[f.stem][0]}{year}{f.suffix}"))
            elif f.parent.name == "thong-bao" and "thong-bao" in titles and r is not None and r.kind == "unit":
                items.append((f, f"Thông báo kết quả thi đua{year} – {r.name}{f.suffix}"))
            else:
                items.append(f)
        out[key] = items
    return out


def _fmt_num(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (int, float)):
        try:
            from ..vn import fmt_number

            return fmt_number(v, 2)
        except Exception:  # noqa: BLE001 - formatting must never stop a batch
            return str(v)
    return nfc(str(v)).strip()


def results_of(result: Any) -> dict[str, dict[str, Any]]:
    """Per unit code, what the mail templates show: ``hang``, ``tong_diem``, ``xep_loai``,
    ``xep_thu`` (formatted) and every column of the results sheet (``cot``), from the
    round's result (never from a previously written sheet)."""
    if result is None:
        return {}
    from ..book.sheets import results_sheet

    sheet = results_sheet(result)
    out: dict[str, dict[str, Any]] = {}
    for row in sheet.rows:
        cells = {h: _fmt_num(v) for h, v in zip(sheet.header, row)}
        code = str(row[2])
        out[code] = {"ma": code, "ten": str(row[3]), "hang": _fmt_num(row[0]), "tong_diem": cells["Tổng điểm"],
                     "xep_loai": cells["Xếp loại"], "xep_thu": cells["Xếp thứ"], "cot": cells}
    return out


def base_context(settings: MailSettings, results: dict[str, dict[str, Any]], recipients: Sequence[Recipient]) -> dict:
    try:
        from ..vn import fmt_date

        ngay = fmt_date(settings.round_date, empty="") if settings.round_date else ""
    except Exception:  # noqa: BLE001
        ngay = str(settings.round_date or "")
    units = [r for r in recipients if r.kind == "unit"]
    table = []
    for r in units:
        res = results.get(r.code, {})
        table.append({"ma": r.code, "ten": r.name, "hang": res.get("hang", ""),
                      "tong_diem": res.get("tong_diem", ""), "xep_loai": res.get("xep_loai", "")})

    def rank_key(row: dict) -> tuple:
        try:
            return (0, float(str(row["hang"]).replace(".", "").replace(",", ".")))
        except ValueError:
            return (1, 0.0)

    table.sort(key=rank_key)
    khoi = settings.block_name or "khối thi đua"
    ky = (settings.period or "").strip()
    ky = ky[:1].lower() + ky[1:]
    nam = settings.year
    if nam:
        ky_nam = f"{ky} {nam}" if ky.endswith("năm") else f"{ky} năm {nam}".strip()
    else:
        ky_nam = ky
    return {
        "khoi": khoi,
        "nam": settings.year,
        "ky": ky,
        "ky_nam": ky_nam,
        "ngay_xet": ngay,
        "ban_tdkt": settings.office_name,
        "nguoi_gui": settings.sender_name or f"Khối trưởng {khoi}",
        "so_don_vi": len(units),
        "bang_ket_qua": table if results else [],
    }


def recipient_context(base: dict, r: Recipient, results: dict[str, dict[str, Any]]) -> dict:
    ctx = dict(base)
    ctx["don_vi"] = {"ma": r.code if r.kind == "unit" else "", "ten": r.name, "vai_tro": r.role}
    ctx["ket_qua"] = results.get(r.code) if r.kind == "unit" else None
    return ctx


def sender_address(settings: MailSettings, problems: Problems) -> Address | None:
    raw = settings.sender_email or (settings.smtp_user if "@" in settings.smtp_user else "")
    if not raw:
        problems.add("mail_no_sender", layout.SETTINGS, "", "", "Email người gửi",
                     f"Chưa có 'Email người gửi' trong sheet '{layout.SETTINGS}'.")
        return None
    try:
        return parse_address(raw, settings.sender_name)
    except AddressError as e:
        problems.add("mail_bad_sender", layout.SETTINGS, "", raw, "ten@coquan.gov.vn",
                     f"'Email người gửi' sai: {e}.")
        return None


# settings whose text ends up in a header: (attribute of MailSettings, key in the settings sheet)
HEADER_SETTINGS = (
    ("sender_name", "Tên người gửi"),
    ("office_name", "Tên Ban TĐKT"),
    ("block_name", "Tên khối"),
    ("period", "Kỳ đánh giá"),
    ("subject_unit", "Tiêu đề thư đơn vị"),
    ("subject_office", "Tiêu đề thư Ban TĐKT"),
    ("sender_email", "Email người gửi"),
)
SUBJECT_KEYS = {"unit": "Tiêu đề thư đơn vị", "office": "Tiêu đề thư Ban TĐKT"}


def clean_settings(settings: MailSettings, cells: dict[str, str], problems: Problems) -> MailSettings:
    """The settings with line breaks and invisible controls removed from every text that
    reaches a header (names, subjects), each change a warning naming its cell."""
    import dataclasses

    changes: dict[str, str] = {}
    for attr, key in HEADER_SETTINGS:
        value = getattr(settings, attr) or ""
        if not needs_cleaning(value):
            continue
        cell = cells.get(key, "")
        clean = clean_header_text(value)
        where = f"{layout.SETTINGS}!{cell}" if cell else layout.SETTINGS
        problems.warn("mail_header_text", layout.SETTINGS, cell, visible(value), "một dòng, không ký tự ẩn",
                      f"'{key}' ({where}) có {describe(value)}: trong thư dùng '{clean}'. "
                      "Sửa ô này (bỏ xuống dòng, ký tự ẩn) để sổ tính và thư khớp nhau.")
        changes[attr] = clean
    return dataclasses.replace(settings, **changes) if changes else settings


def build_plan(
    settings: MailSettings,
    recipients: Sequence[Recipient],
    attachments: dict[str, list[Any]],
    results: dict[str, dict[str, Any]],
    problems: Problems,
    *,
    template_dirs: Sequence[Path] | None = None,
    date: dt.datetime | None = None,
    block_units: Sequence[Recipient] | None = None,
    setting_cells: dict[str, str] | None = None,
) -> Plan:
    """``block_units``: every unit of the block (for the counts and the ranking
    table), when ``recipients`` is only part of it (``--only``).  ``setting_cells``
    (key -> "B12", :func:`setting_cells`) lets a broken subject template be reported
    once, at its cell."""
    sender = sender_address(settings, problems)
    env = make_env(template_dirs)
    base = base_context(settings, results, block_units if block_units is not None else recipients)
    date = date or dt.datetime.now().astimezone().replace(microsecond=0)
    items = []
    for i, r in enumerate(recipients, start=1):
        item = Item(i, r, list(attachments.get(r.key, [])))
        if not r.ok:
            item.error = r.error or "không có địa chỉ"
        elif sender is None:
            item.error = "chưa có địa chỉ người gửi"
        else:
            subject = settings.subject_unit if r.kind == "unit" else settings.subject_office
            try:
                item.composed = compose(r, recipient_context(base, r, results), item.attachments, sender=sender,
                                        subject_template=subject, env=env, date=date)
            except SubjectError as e:
                key = SUBJECT_KEYS["unit" if r.kind == "unit" else "office"]
                cell = (setting_cells or {}).get(key, "")
                where = f"{layout.SETTINGS}!{cell}" if cell else f"{layout.SETTINGS} ('{key}')"
                item.error = f"tiêu đề thư ({where}) {e.reason}"
                allowed = ", ".join(TEMPLATE_VARIABLES)
                problems.add("mail_subject_refused" if e.refused else "mail_subject_template", layout.SETTINGS, cell,
                             subject, f"chỉ các biến: {allowed}",
                             f"Tiêu đề thư ở {where} {e.reason}. Mẫu tiêu đề chỉ được dùng các biến trong "
                             f"hướng dẫn ({allowed}), ví dụ {{{{ don_vi.ten }}}}; sửa ô này hoặc để trống để "
                             "dùng tiêu đề mặc định. Chưa thư nào được soạn với tiêu đề này.")
            except ComposeError as e:
                item.error = str(e)
                problems.add("mail_compose", layout.UNITS if r.kind == "unit" else layout.SETTINGS,
                             f"A{r.row}" if r.row else "", r.name, "thư soạn được",
                             f"{r.name} ({r.code}): {e}.")
        items.append(item)
    return Plan(items, sender, problems)


# ---- delivery --------------------------------------------------------------------
@dataclass
class StatusRow:
    index: int
    code: str
    name: str
    addr: str
    role: str  # "Đến" / "CC"
    subject: str
    attachments: str
    status: str  # key of STATUS_VI
    detail: str = ""
    time: str = ""
    hash: str = ""

    @property
    def status_vi(self) -> str:
        return STATUS_VI.get(self.status, self.status)

    def cells(self) -> list[Any]:
        return [self.index, self.code, self.name, self.addr, self.role, self.subject, self.attachments,
                self.status_vi, self.detail, self.time, self.hash[:12]]

    def to_dict(self) -> dict:
        return {"stt": self.index, "ma": self.code, "ten": self.name, "dia_chi": self.addr, "loai": self.role,
                "tieu_de": self.subject, "dinh_kem": self.attachments, "trang_thai": self.status,
                "trang_thai_vi": self.status_vi, "chi_tiet": self.detail, "thoi_diem": self.time,
                "ma_noi_dung": self.hash}


def _when(t: Any) -> str:
    try:
        return dt.datetime.fromisoformat(str(t)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return "trước"


def _now() -> str:
    return dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M:%S")


def _rows(item: Item, status: str, detail: str = "", only: set[str] | None = None,
          per_addr: dict[str, tuple[str, str]] | None = None) -> list[StatusRow]:
    r = item.recipient
    c = item.composed
    subject = c.subject if c else ""
    atts = "; ".join(c.attachment_names if c else
                     [a[1] if isinstance(a, tuple) else attachment_name(a) for a in item.attachments])
    chash = c.content_hash if c else ""
    addrs = r.addresses or [("", "Đến")]
    out = []
    t = _now()
    for addr, role in addrs:
        if only is not None and addr.lower() not in only:
            continue
        st, det = (per_addr or {}).get(addr.lower(), (status, detail))
        out.append(StatusRow(item.index, r.code if r.kind == "unit" else "Ban TĐKT", r.name, addr, role, subject,
                             atts, st, det, t, chash))
    return out


ProgressFn = Callable[[int, int, str], None]


def deliver(
    plan: Plan,
    *,
    backend: Any = None,  # SmtpBackend | OutlookDrafts | None (dry run)
    outbox: Any = None,  # Outbox for the dry run
    log: SendLog,
    dry_run: bool = False,
    hold: str = "",  # Vietnamese reason to send nothing (input errors); rows say so
    progress: ProgressFn | None = None,
    batch: str = "",
    resend_unknown: bool = False,
) -> tuple[list[StatusRow], list[Path]]:
    """Deliver every ready item; return status rows and the files written (.eml).

    An address the log says is ``unknown`` for the same content (the server had
    the whole message but never answered) is not sent again unless
    ``resend_unknown``: it keeps the status "Chưa rõ"."""
    from .smtp import SmtpFatal

    rows: list[StatusRow] = []
    written: list[Path] = []
    backend_name = getattr(backend, "name", "smtp")
    done = log.delivered(backend_name)
    unsure = {} if resend_unknown else {k: v for k, v in log.unknown(backend_name).items() if k not in done}
    fatal: str = ""
    total = len(plan.items)
    if not dry_run and not hold:
        log.append(event="batch", batch=batch, backend=backend_name, messages=len(plan.ready))
    for n, item in enumerate(plan.items, start=1):
        r = item.recipient
        if progress:
            progress(n - 1, total, r.name)
        if not item.ok:
            rows += _rows(item, "invalid", item.error)
            continue
        c = item.composed
        assert c is not None
        pending = [a for a in c.envelope_to
                   if (c.content_hash, a.lower()) not in done and (c.content_hash, a.lower()) not in unsure]
        already = {a.lower() for a in c.envelope_to if (c.content_hash, a.lower()) in done}
        per: dict[str, tuple[str, str]] = {a: ("would_skip" if dry_run else "already", "") for a in already}
        for a in c.envelope_to:
            rec = unsure.get((c.content_hash, a.lower()))
            if rec is not None:
                when = _when(rec.get("t"))
                per[a.lower()] = ("would_skip_unknown" if dry_run else "unknown",
                                  f"lần gửi {when}: máy chủ chưa trả lời; {UNKNOWN_HINT}")
        if dry_run:  # dry run: write the whole message, say what a real run would skip
            written.append(outbox.write(item.index, c))
            for a in pending:
                per[a.lower()] = ("written", written[-1].name)
            rows += _rows(item, "written", per_addr=per)
            continue
        if hold or fatal:
            for a in pending:
                per[a.lower()] = ("failed", hold or fatal)
            rows += _rows(item, "failed", per_addr=per)
            continue
        if not pending:
            rows += _rows(item, "already", per_addr=per)
            continue
        common = dict(batch=batch, backend=backend_name, key=r.key, hash=c.content_hash, subject=c.subject,
                      message_id=c.message["Message-ID"])
        try:
            if backend_name == "outlook":
                backend.save_draft(c)
                for a in pending:
                    log.append(event="draft", addr=a, **common)
                    per[a.lower()] = ("draft", "")
            else:
                envelope_from = plan.sender.addr_spec if plan.sender else ""

                def settled(d: Any, common: dict = common, per: dict = per) -> None:
                    log.append(event=d.status, addr=d.addr, code=d.code, detail=d.detail, attempts=d.attempts,
                               **common)
                    per[d.addr.lower()] = (d.status, d.detail)

                backend.send(c.as_bytes(), envelope_from, pending, on_result=settled)
        except SmtpFatal as e:
            fatal = e.message
            plan.problems.add(f"mail_{e.code}", STATUS_SHEET, "", e.smtp_code or "", "gửi được", e.message)
            for a in pending:
                if a.lower() not in per:
                    per[a.lower()] = ("failed", fatal)
                    log.append(event="failed", addr=a, detail=fatal, **common)
        except Exception as e:  # noqa: BLE001 - an unexpected error must still be reported per recipient
            fatal = f"lỗi không lường trước: {type(e).__name__}: {e}"
            plan.problems.add("mail_unexpected", STATUS_SHEET, "", type(e).__name__, "gửi được",
                              f"Dừng gửi vì {fatal}")
            for a in pending:
                if a.lower() not in per:
                    per[a.lower()] = ("failed", fatal)
                    log.append(event="failed", addr=a, detail=fatal, **common)
        rows += _rows(item, "failed", per_addr=per)
    for row in rows:
        if row.status in ("refused", "deferred"):
            verb = "từ chối" if row.status == "refused" else "tạm hoãn"
            plan.problems.add(f"mail_{row.status}", STATUS_SHEET, "", row.detail, "250 OK",
                              f"{row.name} <{row.addr}>: máy chủ {verb} – {row.detail}")
        elif row.status == "unknown":
            plan.problems.add("mail_unknown", STATUS_SHEET, "", row.detail, "250 OK",
                              f"{row.name} <{row.addr}>: chưa rõ đã gửi được chưa – máy chủ đã nhận nội dung "
                              f"thư nhưng chưa trả lời; {UNKNOWN_HINT}.")
    if progress:
        progress(total, total, "")
    return rows, written


def status_sheet(rows: Sequence[StatusRow], note: str = "") -> OutputSheet:
    return OutputSheet(
        STATUS_SHEET,
        STATUS_HEADER,
        [r.cells() for r in rows],
        widths={0: 5, 1: 12, 2: 32, 3: 30, 4: 6, 5: 50, 6: 40, 7: 24, 8: 50, 9: 19, 10: 14},
        wrap={5, 6, 8},
        title="Thư gửi kết quả thi đua",
        notes=[note] if note else [],
        landscape=True,
    )
