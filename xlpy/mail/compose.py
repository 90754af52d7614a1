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

from .recipients import Recipient

TEMPLATE_NAMES = {"unit": "email_unit", "office": "email_office"}

SMTP_POLICY = policy.SMTP  # CRLF, 78-column folding: the bytes that go on the wire and into .eml files


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
    """Where templates are looked up, first match wins.

    ``extra`` (e.g. a ``templates`` folder beside the workbook, so an office
    can adapt the wording), then ``$XLPY_TEMPLATES``, then the built-in folder.
    """
    from ..resources import template_dirs as packaged

    dirs = [Path(p) for p in extra if p] + packaged()
    return [d for d in dirs if d.is_dir()]


def make_env(dirs: Sequence[Path] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in (dirs if dirs is not None else template_dirs())]),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "html.j2"), default_for_string=False, default=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_subject(template: str, context: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """Render a one-line subject template (no HTML escaping, white space collapsed)."""
    env = env or make_env([])
    try:
        text = env.from_string(template).render(**context)
    except jinja2.TemplateError as e:
        raise ComposeError(f"mẫu tiêu đề '{template}' lỗi: {_jinja_msg(e)}") from None
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    try:
        return unicodedata.normalize("NFC", env.get_template(name).render(**context))
    except jinja2.TemplateNotFound:
        raise ComposeError(f"không tìm thấy mẫu thư '{name}' (thư mục templates/)") from None
    except jinja2.TemplateError as e:
        raise ComposeError(f"mẫu thư '{name}' lỗi: {_jinja_msg(e)}") from None


def _jinja_msg(e: Exception) -> str:
    msg = str(e)
    m = re.match(r"'(.+)' is undefined", msg)
    if m:
        return f"biến '{m.group(1)}' không có trong dữ liệu"
    return msg


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
        ctype, encoding = mimetypes.guess_type(name)
        if ctype is None or encoding is not None:
            ctype = "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(p.read_bytes(), maintype=maintype, subtype=subtype, filename=name,
                           params={"name": name})
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
        name = a.display_name
        if not name:
            parts.append(a.addr_spec)
        elif name.isascii():
            parts.append(formataddr((name, a.addr_spec)))
        else:
            parts.append(f"{_b_word(name)} <{a.addr_spec}>")
    return ",\n ".join(parts)


def _slug(text: str) -> str:
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower() or "x"


mimetypes.add_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
mimetypes.add_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
