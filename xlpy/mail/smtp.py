"""SMTP backend: STARTTLS or implicit TLS, login, retries with backoff.

Failures are sorted into four kinds:

* **temporary** — a 4xx reply, or a dropped connection or timeout *before* the
  message was handed over: retried with
  exponential backoff (:class:`RetryPolicy`), reconnecting each time; still
  failing after the last attempt → ``deferred`` (tried again next run);
* **permanent** — a 5xx reply for an address or a message: ``refused``,
  reported for that recipient and not retried;
* **unknown** — the whole message was handed over (the final "." of DATA
  sent) but the answer never came (timeout, dropped connection): the server
  may have queued it, so it is *not* retried — not in this run, not in the
  next; the officer decides (``xlpy send --resend-unknown``);
* **fatal** — the server cannot be reached after the retries, the login is
  refused, TLS fails, no password: :class:`SmtpFatal` stops the batch, and the
  caller marks every message not yet sent as not sent.

The password comes from :func:`get_password` (``XLPY_SMTP_PASSWORD`` or the
system keyring, service ``xlpy-smtp``) and is kept only in memory: it is not
part of :class:`SmtpConfig` (which may be logged or shown) and no message
built here contains it.
"""

from __future__ import annotations

import base64
import os
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Callable, Iterator, Mapping

KEYRING_SERVICE = "xlpy-smtp"
PASSWORD_ENV = "XLPY_SMTP_PASSWORD"
CAFILE_ENV = "XLPY_SMTP_CAFILE"
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class SmtpFatal(Exception):
    """The batch cannot go on (Vietnamese message); ``code`` is a stable key."""

    def __init__(self, code: str, message: str, smtp_code: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.smtp_code = smtp_code
        self.partial: list[Delivery] = []  # addresses already settled when the batch had to stop
        self.partial_reported = False  # True when on_result already saw them


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int | None = None
    security: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str = ""
    timeout: float = 30.0
    cafile: str = ""
    local_hostname: str | None = None
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False, repr=False)

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS.get(self.security, 587)

    def context(self) -> ssl.SSLContext:
        if self.ssl_context is not None:
            return self.ssl_context
        cafile = self.cafile or os.environ.get(CAFILE_ENV) or None
        try:
            return ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError) as e:
            raise SmtpFatal("tls_cafile", f"Không đọc được tệp chứng chỉ '{cafile}': {e}") from None


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries per message (and per connection), first one included
    base_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def delays(self) -> Iterator[float]:
        d = self.base_delay
        for _ in range(max(self.attempts - 1, 0)):
            yield min(d, self.max_delay)
            d *= self.factor


def get_password(user: str, env: Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """The SMTP password and where it came from ("env", "keyring" or "").

    The environment variable wins; the keyring is asked only when it is
    unset, and any keyring failure (no backend on a server, a locked
    wallet…) counts as "no password" rather than an error.
    """
    env = os.environ if env is None else env
    pw = env.get(PASSWORD_ENV)
    if pw:
        return pw, "env"
    if not user:
        return None, ""
    try:
        import keyring

        pw = keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # noqa: BLE001 - keyring backends raise all sorts of things
        return None, ""
    return (pw, "keyring") if pw else (None, "")


@dataclass
class Delivery:
    """What happened to one envelope address."""

    addr: str
    status: str  # "sent" | "refused" | "deferred" | "unknown" | "failed"
    code: int | None = None
    detail: str = ""
    attempts: int = 0


def _reply(resp: bytes | str | None) -> str:
    if isinstance(resp, bytes):
        resp = resp.decode("utf-8", "replace")
    return " ".join((resp or "").split())


def _code_detail(code: int | None, resp: bytes | str | None) -> str:
    return f"{code} {_reply(resp)}".strip() if code else _reply(resp)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """``smtp.login``, plus AUTH PLAIN in UTF-8 (RFC 4616) for a Vietnamese password,
    which smtplib cannot encode (it sends credentials as ASCII)."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise SmtpFatal("auth_unsupported", "Mật khẩu có ký tự tiếng Việt/đặc biệt nhưng máy chủ không hỗ trợ "
                                            "AUTH PLAIN; hãy đổi mật khẩu chỉ gồm chữ không dấu, số và ký hiệu.")
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, resp = smtp.docmd("AUTH", "PLAIN " + token)
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, resp)


class _Settled(dict):
    """address -> Delivery; tells ``callback`` about each new entry at once."""

    def __init__(self, callback: Callable[[Delivery], None] | None):
        super().__init__()
        self._callback = callback

    def __setitem__(self, key: str, value: Delivery) -> None:
        super().__setitem__(key, value)
        if self._callback is not None:
            self._callback(value)


TEMPORARY_NET = (smtplib.SMTPServerDisconnected, ConnectionError, socket.timeout, TimeoutError)
_DOT_LINE = re.compile(rb"(?m)^\.")


@dataclass
class _Transaction:
    """How far one SMTP transaction got."""

    accepted: list[str] = field(default_factory=list)  # RCPT accepted
    rcpt_refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    handed_over: bool = False  # DATA's final "." sent: from here a lost answer means "unknown"
    reply: tuple[int, bytes] | None = None  # the answer to DATA (or to the end of data)


def _wire(message: EmailMessage) -> bytes:
    from .compose import SMTP_POLICY

    return message.as_bytes(policy=SMTP_POLICY)


class SmtpBackend:
    """One SMTP session for a batch; reconnects when needed."""

    name = "smtp"

    def __init__(self, config: SmtpConfig, password: str | None = None, retry: RetryPolicy | None = None):
        self.config = config
        self._password = password
        self.retry = retry or RetryPolicy()
        self._smtp: smtplib.SMTP | None = None

    def __repr__(self) -> str:  # never show the password
        return f"SmtpBackend({self.config.host}:{self.config.effective_port}, {self.config.security})"

    # ---- connection ---------------------------------------------------------
    def __enter__(self) -> "SmtpBackend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except Exception:  # noqa: BLE001
                try:
                    self._smtp.close()
                except Exception:  # noqa: BLE001
                    pass
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            except Exception:  # noqa: BLE001
                pass
            self._smtp = None

    def _where(self) -> str:
        return f"{self.config.host}:{self.config.effective_port}"

    def _connect_once(self) -> smtplib.SMTP:
        c = self.config
        if c.user and not self._password:
            raise SmtpFatal("no_password",
                            f"Chưa có mật khẩu cho tài khoản '{c.user}'. Lưu mật khẩu bằng lệnh "
                            f"'keyring set {KEYRING_SERVICE} {c.user}' hoặc đặt biến môi trường {PASSWORD_ENV}.")
        if c.user and c.security == "none" and c.host not in LOOPBACK:
            raise SmtpFatal("auth_without_tls",
                            "Không gửi mật khẩu qua kết nối không mã hóa: chọn 'Bảo mật SMTP' là STARTTLS hoặc SSL/TLS.")
        try:
            if c.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.effective_port, local_hostname=c.local_hostname,
                                                      timeout=c.timeout, context=c.context())
            else:
                smtp = smtplib.SMTP(c.host, c.effective_port, local_hostname=c.local_hostname, timeout=c.timeout)
        except smtplib.SMTPConnectError as e:
            if 400 <= e.smtp_code < 500:
                raise
            raise SmtpFatal("unreachable", f"Máy chủ thư {self._where()} từ chối kết nối: "
                                           f"{_code_detail(e.smtp_code, e.smtp_error)}", e.smtp_code) from None
        except ssl.SSLError as e:
            raise SmtpFatal("tls", f"Lỗi TLS khi kết nối {self._where()}: {e.reason or e}. "
                                   "Kiểm tra 'Bảo mật SMTP', 'Cổng SMTP' hoặc 'Tệp chứng chỉ SMTP'.") from None
        try:
            smtp.ehlo()
            if c.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise SmtpFatal("no_starttls", f"Máy chủ {self._where()} không hỗ trợ STARTTLS; "
                                                   "chọn SSL/TLS (cổng 465) hoặc hỏi quản trị máy chủ thư.")
                smtp.starttls(context=c.context())
                smtp.ehlo()
            if c.user:
                _login(smtp, c.user, self._password or "")
        except smtplib.SMTPAuthenticationError as e:
            smtp.close()
            raise SmtpFatal("auth_refused", f"Máy chủ thư từ chối đăng nhập tài khoản '{c.user}' "
                                            f"({_code_detail(e.smtp_code, e.smtp_error)}). Kiểm tra tài khoản và "
                                            "mật khẩu (hoặc mật khẩu ứng dụng).", e.smtp_code) from None
        except smtplib.SMTPNotSupportedError:
            smtp.close()
            raise SmtpFatal("auth_unsupported", f"Máy chủ {self._where()} không cho đăng nhập (AUTH) trên kết nối "
                                                "này; kiểm tra 'Bảo mật SMTP'.") from None
        except ssl.SSLError as e:
            smtp.close()
            raise SmtpFatal("tls", f"Lỗi TLS với {self._where()}: {e.reason or e}. Nếu máy chủ dùng chứng chỉ "
                                   "nội bộ, khai báo 'Tệp chứng chỉ SMTP'.") from None
        except SmtpFatal:
            smtp.close()
            raise
        except BaseException:
            smtp.close()
            raise
        return smtp

    def connect(self) -> None:
        """Open the session (retrying temporary failures) or raise :class:`SmtpFatal`."""
        if self._smtp is not None:
            return
        delays = self.retry.delays()
        last = ""
        while True:
            try:
                self._smtp = self._connect_once()
                return
            except SmtpFatal:
                raise
            except smtplib.SMTPResponseException as e:
                if not 400 <= e.smtp_code < 500:
                    raise SmtpFatal("unreachable", f"Máy chủ thư {self._where()} trả lời lỗi "
                                                   f"{_code_detail(e.smtp_code, e.smtp_error)}", e.smtp_code) from None
                last = _code_detail(e.smtp_code, e.smtp_error)
            except (OSError, smtplib.SMTPException) as e:
                last = str(e) or type(e).__name__
            d = next(delays, None)
            if d is None:
                raise SmtpFatal("unreachable", f"Không kết nối được máy chủ thư {self._where()} sau "
                                               f"{self.retry.attempts} lần thử ({last}). Kiểm tra mạng, "
                                               "'Máy chủ SMTP' và 'Cổng SMTP'.")
            self.retry.sleep(d)

    # ---- sending --------------------------------------------------------------
    def send(self, message: EmailMessage | bytes, envelope_from: str, rcpts: list[str],
             on_result: Callable[[Delivery], None] | None = None) -> list[Delivery]:
        """Send ``message`` (or its wire bytes) to ``rcpts``; one :class:`Delivery` per address.

        Only the addresses still pending are sent again on a retry, so an
        address that was accepted is never sent twice by this loop.  Once the
        message has been handed over (the final "." of DATA sent), a missing
        answer — a timeout, a dropped connection — is ``unknown``: the server
        may well have queued it, so it is never retried here.  ``on_result``
        is called as soon as an address is settled (so the caller can log it
        before anything else can go wrong).  A :class:`SmtpFatal` raised
        midway carries the settled ones in ``partial``.
        """
        data = message if isinstance(message, bytes) else _wire(message)
        results = _Settled(on_result)
        pending = list(dict.fromkeys(rcpts))
        delays = self.retry.delays()
        attempt = 0
        while pending:
            attempt += 1
            temp: dict[str, tuple[int | None, str]] = {}
            tx = _Transaction()
            try:
                try:
                    self.connect()
                except SmtpFatal as e:
                    e.partial = list(results.values())
                    e.partial_reported = on_result is not None
                    raise
                self._transaction(data, envelope_from, pending, tx)
                for a, (code, resp) in tx.rcpt_refused.items():
                    if 400 <= code < 500:
                        temp[a] = (code, _code_detail(code, resp))
                    else:
                        results[a] = Delivery(a, "refused", code, _code_detail(code, resp), attempt)
                if tx.reply is not None:
                    code, resp = tx.reply
                    for a in tx.accepted:
                        if 200 <= code < 300:
                            results[a] = Delivery(a, "sent", code, "", attempt)
                        elif 400 <= code < 500:
                            temp[a] = (code, _code_detail(code, resp))
                        else:
                            results[a] = Delivery(a, "refused", code, _code_detail(code, resp), attempt)
            except smtplib.SMTPResponseException as e:  # sender refused, a 4xx/5xx before DATA, …
                detail = _code_detail(e.smtp_code, e.smtp_error)
                for a in pending:
                    if a in results:
                        continue
                    if 400 <= e.smtp_code < 500 or e.smtp_code == -1:
                        temp[a] = (e.smtp_code, detail)
                    else:
                        results[a] = Delivery(a, "refused", e.smtp_code, detail, attempt)
                self._reset()
            except (*TEMPORARY_NET, OSError) as e:
                self._drop()
                why = f"mất kết nối: {e or type(e).__name__}" if isinstance(e, TEMPORARY_NET) else f"lỗi mạng: {e}"
                if tx.handed_over:
                    # the server has the whole message and may have queued it: unknown, not retried
                    for a, (code, resp) in tx.rcpt_refused.items():
                        if 400 <= code < 500:
                            temp[a] = (code, _code_detail(code, resp))
                        else:
                            results[a] = Delivery(a, "refused", code, _code_detail(code, resp), attempt)
                    for a in tx.accepted:
                        results[a] = Delivery(a, "unknown", None,
                                              f"máy chủ đã nhận nội dung thư nhưng chưa trả lời ({why})", attempt)
                else:
                    temp = {a: (None, why) for a in pending if a not in results}
            pending = list(temp)
            if not pending:
                break
            d = next(delays, None)
            if d is None:
                for a, (code, detail) in temp.items():
                    results[a] = Delivery(a, "deferred", code, detail, attempt)
                break
            self._drop()  # a fresh session for the retry
            self.retry.sleep(d)
        return [results[a] for a in dict.fromkeys(rcpts)]

    def _transaction(self, data: bytes, envelope_from: str, rcpts: list[str], tx: "_Transaction") -> None:
        """MAIL, RCPT, DATA on the open session, noting in ``tx`` how far it got.

        smtplib's ``sendmail`` cannot tell "failed before the server had the
        message" (safe to retry) from "no answer after the final dot" (the
        server may have queued it), so the transaction is spelt out here with
        smtplib's public primitives."""
        smtp = self._smtp
        assert smtp is not None
        smtp.ehlo_or_helo_if_needed()
        options = [f"SIZE={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        code, resp = smtp.mail(envelope_from, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, resp, envelope_from)
        for a in rcpts:
            code, resp = smtp.rcpt(a)
            if code in (250, 251):
                tx.accepted.append(a)
            else:
                tx.rcpt_refused[a] = (code, resp)
        if not tx.accepted:
            self._reset()
            return
        code, resp = smtp.docmd("DATA")
        if code != 354:
            tx.reply = (code, resp)
            self._reset()
            return
        body = _DOT_LINE.sub(b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body + b".\r\n")
        tx.handed_over = True
        tx.reply = smtp.getreply()

    def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except Exception:  # noqa: BLE001
            self._drop()
