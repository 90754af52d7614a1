"""Composing messages: jinja2 mail merge, plain text + HTML, attachments.

:func:`compose` takes plain data — a :class:`~xlpy.mail.recipients.Recipient`,
a context dict and attachment paths — and returns a :class:`Composed`
message with a *content hash*.  The hash covers what the recipient reads
(sender, recipients, subject, both bodies, every attachment's name and
bytes) but not the Date header, so composing the same round twice gives the
same hash and the send log can tell what has already gone out.

Headers are encoded by :mod:`email` (RFC 2047 for Vietnamese names and
subjects), bodies as quoted-printable UTF-8 (7-bit clean, so any server takes
them) and attachment names with RFC 2231 (``filename*=utf-8''…``), in both the
``Content-Disposition`` and the ``Content-Type`` ``name`` parameter that older
Outlook versions read.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Iterable, Sequence

import jinja2

from .headers import clean_header_text
from .recipients import Recipient

TEMPLATE_NAMES = {"unit": "email_unit", "office": "email_office"}

# CRLF, 78-column folding: the bytes that go on the wire and into .eml files.  Headers xlpy
# encodes itself (set_raw: Subject, addresses, attachment headers) are written as they are:
# the stdlib refolder would RFC 2047-encode a long MIME subtype and break the type.
SMTP_POLICY = policy.SMTP.clone(refold_source="none")


class ComposeError(Exception):
    """A template or attachment problem; the message is Vietnamese."""


@dataclass(frozen=True)
class Composed:
    recipient: Recipient
    message: EmailMessage
    content_hash: str
    subject: str
    text: str
    html: str
    attachments: tuple[Path, ...] = ()
    sender: Address | None = None
    attachment_names: tuple[str, ...] = ()  # the names recipients see, in order

    @property
    def envelope_to(self) -> list[str]:
        return [a for a, _ in self.recipient.addresses]

    def as_bytes(self) -> bytes:
        return self.message.as_bytes(policy=SMTP_POLICY)


def template_dirs(extra: Iterable[Path | str | None] = ()) -> list[Path]:
    """Where mail templates are looked up, first match wins: ``extra`` (a folder the
    officer configured explicitly, "Thư mục mẫu riêng"), ``$XLPY_TEMPLATES``, then
    the packaged templates.  Never a folder merely because it sits beside the workbook.
    """
    from ..templating import search_path

    dirs = [Path(p) for p in extra if p]
    return [d for d in dirs if d.is_dir()] + [d for d in search_path() if d not in dirs]


def make_env(dirs: Sequence[Path] | None = None) -> jinja2.Environment:
    """A sandboxed environment (:func:`xlpy.templating.sandboxed_env`) loading from ``dirs``."""
    from ..templating import sandboxed_env

    return sandboxed_env(dirs if dirs is not None else template_dirs())


class SubjectError(ComposeError):
    """The subject template (a settings cell) cannot be rendered; ``reason`` is Vietnamese,
    ``refused`` is True when it asked for something the sandbox forbids."""

    def __init__(self, message: str, reason: str, refused: bool):
        super().__init__(message)
        self.reason = reason
        self.refused = refused


def render_subject(template: str, context: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """Render a one-line subject template, sandboxed (no HTML escaping, white space collapsed,
    line breaks and invisible controls removed)."""
    from ..templating import explain, refused

    env = env or make_env([])
    try:
        text = env.from_string(template).render(**context)
    except jinja2.TemplateError as e:
        reason = explain(e)
        raise SubjectError(f"mẫu tiêu đề '{template}' lỗi: {reason}", reason, refused(e)) from None
    return clean_header_text(text)


def _render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    from ..templating import explain

    try:
        return unicodedata.normalize("NFC", env.get_template(name).render(**context))
    except jinja2.TemplateNotFound:
        raise ComposeError(f"không tìm thấy mẫu thư '{name}' (thư mục templates/)") from None
    except jinja2.TemplateError as e:
        raise ComposeError(f"mẫu thư '{name}' lỗi: {explain(e)}") from None


MIME_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".zip": "application/zip",
    ".rar": "application/vnd.rar",
    ".7z": "application/x-7z-compressed",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
    ".html": "text/html",
    ".csv": "text/csv",
}


def mime_type(name: str) -> str:
    """The MIME type of an attachment, from its name: a fixed table for the documents an
    officer sends (the same on every computer, unlike the Windows registry), then the
    stdlib's table, else ``application/octet-stream``.

    >>> mime_type("Thông báo – Sở Tài chính.DOCX")
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    >>> mime_type("bang.khongbiet")
    'application/octet-stream'
    """
    suffix = Path(name).suffix.lower()
    if suffix in MIME_TYPES:
        return MIME_TYPES[suffix]
    ctype, encoding = mimetypes.guess_type(name, strict=True)
    if ctype is None or encoding is not None or "/" not in ctype:
        return "application/octet-stream"
    return ctype


_ATTR_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")


def rfc2231_param(key: str, value: str, width: int = 76) -> str:
    """``key*=utf-8''…`` (RFC 2231), split into ``key*0*=…; key*1*=…`` lines of at most
    ``width`` characters when it is long; a UTF-8 character is never split.  A short
    plain-ASCII value is a quoted string, which every reader understands.

    >>> rfc2231_param("filename", "Báo cáo.pdf")
    "filename*=utf-8''B%C3%A1o%20c%C3%A1o.pdf"
    >>> rfc2231_param("name", "bao-cao 2025.pdf")
    'name="bao-cao 2025.pdf"'
    """
    quoted = f'{key}="{value}"'
    if value.isascii() and value.isprintable() and not set('"\\') & set(value) and len(quoted) <= width:
        return quoted
    pieces = [ch if ch in _ATTR_CHARS else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
              for ch in unicodedata.normalize("NFC", value)]
    whole = f"{key}*=utf-8''" + "".join(pieces)
    if len(whole) <= width:
        return whole
    lines: list[str] = []
    cur = f"{key}*0*=utf-8''"
    n = 0
    for piece in pieces:
        if len(cur) + len(piece) + 1 > width and not cur.endswith("="):
            lines.append(cur + ";")
            n += 1
            cur = f"{key}*{n}*="
        cur += piece
    lines.append(cur)
    return "\n ".join(lines)


def attachment_name(path: Path) -> str:
    return unicodedata.normalize("NFC", Path(path).name)


_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(name: str) -> str:
    """A file name that Windows accepts, Vietnamese kept: ``Thông báo – Sở Nội vụ.docx``."""
    name = unicodedata.normalize("NFC", _BAD_NAME.sub(" ", name))
    return re.sub(r"\s+", " ", name).strip(" .") or "tep"


ZIP_DOCS = {".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".odt", ".ods", ".odp"}
VOLATILE_MEMBERS = {"docProps/core.xml", "meta.xml"}  # creation/modification dates
_PDF_VOLATILE = re.compile(
    rb"/(?:CreationDate|ModDate)\s*\([^)]*\)"
    rb"|/ID\s*\[[^\]]*\]"
    rb"|/DocChecksum\s*/[0-9A-Fa-f]+"
    rb"|<(xmp:(?:CreateDate|ModifyDate|MetadataDate)|xmpMM:(?:DocumentID|InstanceID))>[^<]*</\1>"
)


def file_digest(path: Path) -> str:
    """A digest of what a reader sees in the file, for the content hash.

    Regenerating a report gives new bytes even when nothing changed: Office
    files are zips with fresh timestamps and a fresh ``docProps/core.xml``,
    PDFs carry creation dates and a random ``/ID``.  Those are left out, so a
    second click after regenerating the same reports sends nothing again.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    h = hashlib.sha256()
    if suffix in ZIP_DOCS:
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                for name in sorted(z.namelist()):
                    if name in VOLATILE_MEMBERS:
                        continue
                    h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(z.read(name)).digest())
            return "z:" + h.hexdigest()
        except (zipfile.BadZipFile, OSError, RuntimeError):
            h = hashlib.sha256()  # not really a zip: plain bytes below
    data = path.read_bytes()
    if suffix == ".pdf":
        return "p:" + hashlib.sha256(_PDF_VOLATILE.sub(b"", data)).hexdigest()
    h.update(data)
    return h.hexdigest()


def content_hash(sender: Address, recipient: Recipient, subject: str, text: str, html: str,
                 attachments: Sequence[tuple[str, str]]) -> str:
    payload = {
        "from": str(sender),
        "to": [str(a) for a in recipient.to],
        "cc": [str(a) for a in recipient.cc],
        "subject": subject,
        "text": text,
        "html": html,
        "attachments": [list(a) for a in attachments],
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def compose(
    recipient: Recipient,
    context: dict[str, Any],
    attachments: Sequence[Path | str | tuple[Path | str, str]] = (),
    *,
    sender: Address,
    subject_template: str,
    template: str | None = None,
    env: jinja2.Environment | None = None,
    date: dt.datetime | None = None,
    reply_to: Address | None = None,
) -> Composed:
    """Compose one message for ``recipient``.

    ``template`` is the template stem (``email_unit`` / ``email_office`` by
    default, from ``recipient.kind``); ``<stem>.txt.j2`` is required and
    ``<stem>.html.j2`` is used when it exists.  An attachment is a path, or a
    (path, name shown to the recipient) pair.  Raises :class:`ComposeError`
    (Vietnamese) for a missing attachment or a broken template.
    """
    env = env or make_env()
    stem = template or TEMPLATE_NAMES.get(recipient.kind, "email_unit")
    paths: list[Path] = []
    names: list[str] = []
    for a in attachments:
        p, name = (Path(a[0]), safe_filename(a[1])) if isinstance(a, tuple) else (Path(a), attachment_name(Path(a)))
        name = clean_header_text(name) or "tep"  # a header parameter too: no bidi override (…\u202excod.exe)
        if not p.is_file():
            raise ComposeError(f"thiếu tệp đính kèm '{p.name}' ({p})")
        paths.append(p)
        names.append(name)
    ctx = dict(context)
    ctx.setdefault("tep_dinh_kem", list(names))
    subject = render_subject(subject_template, ctx, env)
    if not subject:
        raise ComposeError("tiêu đề thư trống")
    text = _render(env, f"{stem}.txt.j2", ctx)
    try:
        env.get_template(f"{stem}.html.j2")
        html = _render(env, f"{stem}.html.j2", ctx)
    except jinja2.TemplateNotFound:
        html = ""

    atts = [(n, file_digest(p)) for p, n in zip(paths, names)]
    chash = content_hash(sender, recipient, subject, text, html, atts)

    msg = EmailMessage()
    msg.set_raw("Subject", encode_text_header(subject))
    msg.set_raw("From", encode_addresses([sender]))
    msg.set_raw("To", encode_addresses(recipient.to))
    if recipient.cc:
        msg.set_raw("Cc", encode_addresses(recipient.cc))
    if reply_to is not None:
        msg.set_raw("Reply-To", encode_addresses([reply_to]))
    msg["Date"] = format_datetime(date or dt.datetime.now().astimezone())
    msg["Message-ID"] = f"<xlpy.{chash[:24]}.{_slug(recipient.key)}@{sender.domain or 'xlpy.invalid'}>"
    msg["X-Mailer"] = "xlpy"
    msg["X-Xlpy-Content-Hash"] = chash
    msg.set_content(text, cte="quoted-printable")
    if html:
        msg.add_alternative(html, subtype="html", cte="quoted-printable")
    for p, (name, _digest) in zip(paths, atts):
        ctype = mime_type(name)
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(p.read_bytes(), maintype=maintype, subtype=subtype, filename=name)
        part = list(msg.iter_parts())[-1]
        # RFC 2231 names, MIME type intact: the same name in Content-Type (older Outlook
        # reads that one) and in Content-Disposition (everyone else)
        del part["Content-Type"]
        del part["Content-Disposition"]
        part.set_raw("Content-Type", f"{ctype};\n {rfc2231_param('name', name)}")
        part.set_raw("Content-Disposition", f"attachment;\n {rfc2231_param('filename', name)}")
    return Composed(recipient, msg, chash, subject, text, html, tuple(paths), sender, tuple(names))


# ---- header encoding ---------------------------------------------------------------
# The stdlib folder loses the space between two Vietnamese words when it splits
# a long subject into several encoded words (the space ends up *between* the
# encoded words, where RFC 2047 says it must be ignored).  So xlpy encodes the
# Subject and the address headers itself and hands them over with set_raw.

def _b_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def encode_text_header(text: str, limit: int = 60) -> str:
    """RFC 2047 encoded words (each <= ``limit`` chars, white space kept inside them), one per line.

    >>> encode_text_header("Báo cáo")
    '=?utf-8?b?QsOhbyBjw6Fv?='
    """
    text = " ".join(text.split())
    if text.isascii() and len(text) <= 900:
        return text if len(text) <= 68 else "\n ".join(_ascii_fold(text))
    words: list[str] = []
    cur = ""
    for ch in text:
        if cur and len(_b_word(cur + ch)) > limit:
            words.append(_b_word(cur))
            cur = ch
        else:
            cur += ch
    if cur:
        words.append(_b_word(cur))
    return "\n ".join(words)


def _ascii_fold(text: str, width: int = 68) -> list[str]:
    lines: list[str] = []
    cur = ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return lines + [cur]


def encode_addresses(addrs: Sequence[Address]) -> str:
    """``Tên <a@b>`` per address, one per line; a Vietnamese name is one encoded word
    (decoders disagree about white space between several)."""
    parts = []
    for a in addrs:
        name = clean_header_text(a.display_name or "")
        if not name:
            parts.append(a.addr_spec)
        elif name.isascii():
            parts.append(formataddr((name, a.addr_spec)))
        else:
            parts.append(f"{_b_word(name)} <{a.addr_spec}>")
    return ",\n ".join(parts)


def _slug(text: str) -> str:
    """A recipient's key in a Message-ID or file name: whole, never shortened."""
    from ..core.text import slug

    return slug(text, maxlen=None, default="x")

