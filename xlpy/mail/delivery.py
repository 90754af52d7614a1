"""Deliver a planned batch through one backend, once.

:func:`deliver` walks a :class:`~xlpy.mail.plan.Plan` through the outbox (dry run), SMTP
or Outlook, consults the send log so nothing goes out twice (an outcome the server
never confirmed stays "Chưa rõ" and is not retried by itself), and returns one
:class:`StatusRow` per recipient address for the "Gửi thư" output sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..book.io import OutputSheet
from ..schema.mail import SEND_STATUS
from .compose import attachment_name
from .plan import Item, Plan
from .sendlog import SendLog

STATUS_SHEET = SEND_STATUS  # the output sheet, declared in the schema

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
