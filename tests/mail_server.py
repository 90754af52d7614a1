"""A real SMTP server on loopback for the mail tests (aiosmtpd), and helpers.

:class:`Recorder` is an aiosmtpd handler that keeps every accepted message
and lets a test script failures: a reply for a RCPT (``on_rcpt``), for MAIL
FROM (``on_mail``, which may also drop the connection) or for DATA
(``on_data``), and what happens after a message has been received and kept
(``after_data``: answer late, or drop the connection without answering).  :func:`running` starts a controller on a free 127.0.0.1 port,
optionally with STARTTLS, implicit TLS and AUTH, and always stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Callable, Iterator

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[return-value]


@dataclass
class Recorder:
    on_mail: Callable[[Any, str, int], str | None] | None = None  # (server, address, n) -> reply or None
    on_rcpt: Callable[[str, int], str | None] | None = None  # (address, n) -> reply or None
    on_data: Callable[[list[str], int], str | None] | None = None  # (rcpts, n) -> reply or None
    # (server, rcpts, n), called once the message is kept, before "250": may sleep (answer late)
    # or close server.transport (the connection drops before the answer)
    after_data: Callable[[Any, list[str], int], Any] | None = None
    received: list[Received] = field(default_factory=list)
    mail_count: int = 0
    data_count: int = 0
    rcpt_counts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_count += 1
        if self.on_mail is not None:
            reply = self.on_mail(server, address, self.mail_count)
            if asyncio.iscoroutine(reply):
                reply = await reply
            if reply:
                return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        n = self.rcpt_counts[address] = self.rcpt_counts.get(address, 0) + 1
        if self.on_rcpt is not None:
            reply = self.on_rcpt(address, n)
            if reply:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        if self.on_data is not None:
            reply = self.on_data(list(envelope.rcpt_tos), self.data_count)
            if reply:
                return reply
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        if self.after_data is not None:
            done = self.after_data(server, list(envelope.rcpt_tos), self.data_count)
            if asyncio.iscoroutine(done):
                await done
        return "250 Message accepted for delivery"

    # ---- queries ----------------------------------------------------------
    def by_rcpt(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for r in self.received:
            for a in r.rcpt_tos:
                out.setdefault(a, []).append(r)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_cert(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` (IP and localhost SANs): (cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xlpy test SMTP")])
    now = dt.datetime.now(dt.timezone.utc)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


class _Auth:
    def __init__(self, users: dict[str, str]):
        self.users = users
        self.attempts: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode()
        self.attempts.append(user)
        ok = self.users.get(user) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False)


@dataclass
class Server:
    host: str
    port: int
    handler: Recorder
    auth: _Auth | None


@contextlib.contextmanager
def running(
    handler: Recorder | None = None,
    *,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
    users: dict[str, str] | None = None,
) -> Iterator[Server]:
    handler = handler or Recorder()
    port = free_port()
    kwargs: dict[str, Any] = {}
    auth = _Auth(users) if users is not None else None
    if auth is not None:
        kwargs.update(authenticator=auth, auth_required=True,
                      auth_require_tls=starttls is not None)  # aiosmtpd does not see implicit TLS
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True)
    controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=implicit_tls,
                            ready_timeout=5.0, **kwargs)
    controller.start()
    try:
        yield Server("127.0.0.1", port, handler, auth)
    finally:
        controller.stop()


# ---- workbooks and attachments for the tests ----------------------------------------
UNITS = [
    # code, name, role, email, cc
    ("SNV", "Sở Nội vụ", "Khối trưởng", "vanthu.snv@snv.example.vn", ""),
    ("STC", "Sở Tài chính", "Khối phó", "Văn thư Sở Tài chính <vanthu@stc.example.vn>", "giamdoc@stc.example.vn"),
    ("SKHĐT", "Sở Kế hoạch và Đầu tư", "Thành viên", "skhdt@skhdt.example.vn",
     "pgd1@skhdt.example.vn; pgd2@skhdt.example.vn"),
    ("STP", "Sở Tư pháp", "Thành viên", "stp@stp.example.vn", ""),
]
OFFICE = "bantdkt@tinh.example.vn"
SENDER = "khoitruong@snv.example.vn"


def make_book(path: Path, *, units=UNITS, settings: dict[str, Any] | None = None) -> Path:
    """A real block workbook (xlpy's own builder): the units with their addresses, one
    100-point criterion scored 100 − 2,25 × position, and the mail settings given by key."""
    from xlpy.book.template import build_workbook

    base = {
        "Tên khối": "Khối các sở, ban, ngành tổng hợp",
        "Năm": 2025,
        "Kỳ đánh giá": "Tổng kết năm",
        "Email Ban TĐKT": OFFICE,
        "Tên Ban TĐKT": "Ban Thi đua – Khen thưởng tỉnh Quảng Nam",
        "Tên người gửi": "Khối trưởng – Sở Nội vụ",
        "Email người gửi": SENDER,
        "Tệp đính kèm": "Word",
    }
    base.update(settings or {})
    rows = [{"code": code, "name": name, "role": role, "women_share": 50, "email": email or None, "cc": cc or None}
            for code, name, role, email, cc in units]
    crit = [{"code": "01", "name": "Kết quả thực hiện nhiệm vụ", "kind": "Điểm", "max_points": 100}]
    scores = {code: {"01": 100 - i * 2.25} for i, (code, *_rest) in enumerate(units, start=1)}
    return build_workbook(path, settings={k: v for k, v in base.items() if v is not None},
                          tables={"Đơn vị": rows, "Tiêu chí": crit}, stages={"self": scores})


def make_attachments(folder: Path, codes=("SNV", "STC", "SKHĐT", "STP")) -> dict[str, bytes]:
    """Block report (everyone), one notice per unit, one summary (office). Name -> bytes."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    files = {"Báo cáo kết quả thi đua khối năm 2025.docx": os.urandom(3000),
             "Báo cáo tổng hợp gửi Ban TĐKT.pdf": b"%PDF-1.4\n" + os.urandom(2000)}
    for c in codes:
        files[f"Thông báo kết quả - {c}.pdf"] = b"%PDF-1.4\n" + os.urandom(1500)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files
