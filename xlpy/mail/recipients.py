"""Who gets what: recipients from the units sheet and the settings.

Each member unit gets one message (``To`` = its "Email" cell, ``Cc`` = its
"CC" cell); the provincial office gets one summary message (``To`` = the
"Email Ban TĐKT" setting).  Addresses are checked here, before anything is
composed, and every bad one becomes a :class:`~xlpy.core.problems.Problem`
naming the sheet, the cell and the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses
from typing import Any

from ..book.io import nfc
from ..core.problems import Problems
from ..schema import core as layout
from ..schema.base import SettingValues, TableData
from .headers import clean_header_text, describe, needs_cleaning, visible
from .settings import MailSettings

OFFICE_KEY = "ban-tdkt"

# A pragmatic check, not RFC 5322: ASCII local part (no SMTPUTF8), a dotted domain.
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


class AddressError(ValueError):
    """A malformed address; the message is Vietnamese."""


@dataclass(frozen=True)
class Recipient:
    """One message's recipients."""

    key: str  # unit code, or OFFICE_KEY
    kind: str  # "unit" | "office"
    code: str
    name: str
    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    role: str = ""
    row: int | None = None  # row in the units sheet
    error: str = ""  # Vietnamese reason this recipient cannot be mailed ("" = fine)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.to)

    @property
    def addresses(self) -> list[tuple[str, str]]:
        """(address, "Đến"/"CC") for every envelope recipient, without duplicates."""
        seen: set[str] = set()
        out = []
        for kind, addrs in (("Đến", self.to), ("CC", self.cc)):
            for a in addrs:
                k = a.addr_spec.lower()
                if k not in seen:
                    seen.add(k)
                    out.append((a.addr_spec, kind))
        return out


def parse_address(text: str, display_name: str = "") -> Address:
    """One address, ``a@b.vn`` or ``Tên <a@b.vn>``; non-ASCII domains become IDNA.

    >>> parse_address("Sở Nội vụ <snv@example.gov.vn>").addr_spec
    'snv@example.gov.vn'
    >>> parse_address("x@bộ.vn").domain
    'xn--b-8xm.vn'
    """
    text = nfc(text).strip()
    if not text:
        raise AddressError("địa chỉ trống")
    pairs = getaddresses([text])
    if len(pairs) != 1 or not pairs[0][1]:
        raise AddressError(f"không đọc được địa chỉ '{text}'")
    name, spec = pairs[0]
    if spec.count("@") != 1 or "<" in text and ">" not in text:
        raise AddressError(f"'{text}' không phải địa chỉ thư hợp lệ (cần dạng ten@coquan.gov.vn)")
    local, domain = spec.split("@")
    if not local or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError(f"phần trước @ của '{spec}' chứa ký tự không hợp lệ (chỉ dùng chữ không dấu, số, . _ -)")
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        raise AddressError(f"tên miền '{domain}' không hợp lệ") from None
    labels = ascii_domain.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.match(lbl) for lbl in labels) or labels[-1].isdigit():
        raise AddressError(f"tên miền '{domain}' không hợp lệ (cần dạng coquan.gov.vn)")
    # a display name goes into a header: no line breaks, no bidi overrides (see headers.py)
    return Address(display_name=clean_header_text(name or display_name), username=local, domain=ascii_domain.lower())


def parse_addresses(text: Any, display_name: str = "") -> tuple[list[Address], list[str]]:
    """Split a cell on ``;``, ``,`` or new lines; return (good addresses, Vietnamese errors)."""
    if text is None:
        return [], []
    good: list[Address] = []
    errors: list[str] = []
    # split on separators that are outside <...>
    for part in re.split(r"[;,\n\r]+", nfc(str(text))):
        if not part.strip():
            continue
        try:
            good.append(parse_address(part, display_name))
        except AddressError as e:
            errors.append(str(e))
    return good, errors


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return nfc(str(v)).strip()


def read_recipients(units: TableData | None, settings: MailSettings, values: SettingValues, problems: Problems,
                    only: set[str] | None = None) -> list[Recipient]:
    """Recipients of one round: every unit of the units sheet (as read with the round),
    then the office.

    A recipient without a usable address is reported in ``problems`` and
    kept with its ``error`` set, so the status sheet lists it; the caller
    decides whether to go on without it.  ``only`` (case-folded unit codes,
    ``OFFICE_KEY`` for the office) limits the batch, and the checks, to those.
    """
    out: list[Recipient] = []
    if units is None or not units.rows:
        problems.add("mail_no_units", layout.UNITS, "", "(không có)", "bảng đơn vị",
                     f"Không tìm thấy trang '{layout.UNITS}' hoặc trang trống.")
    else:
        if "email" not in units.cols:
            problems.add("mail_no_email_column", layout.UNITS, "1", "(không có)", "cột 'Email'",
                         f"Trang '{layout.UNITS}' chưa có cột 'Email'; thêm cột này và điền địa chỉ của từng đơn vị.")
        seen: set[str] = set()
        for row in units.rows:
            code = _text(row.raw.get("code"))
            if not code or (only is not None and code.casefold() not in only):
                continue
            addr = lambda k: row.addr(k) if k in row.cols else ""  # noqa: E731
            name = _text(row.raw.get("name")) or code
            if needs_cleaning(name):
                name = _cleaned(problems, layout.UNITS, addr("name"), name, f"Tên đơn vị {code}")
            if code in seen:
                problems.add("duplicate_unit", layout.UNITS, addr("code"), code, "mã không trùng",
                             f"Mã đơn vị {code} lặp lại; thư chỉ gửi theo dòng đầu tiên.")
                continue
            seen.add(code)
            who = f"{name} ({code})"
            raw_to = row.raw.get("email")
            _check_names(problems, layout.UNITS, addr("email"), raw_to, f"Email của {code}")
            to, errs = parse_addresses(raw_to or None, name)
            cell = addr("email")
            reasons = []
            for e in errs:
                p = problems.add("mail_bad_address", layout.UNITS, cell, raw_to, "ten@coquan.gov.vn",
                                 f"{who}: địa chỉ email sai – {e}.")
                reasons.append(f"Email sai ({p.where()}): {e}")
            if not to and not errs:
                p = problems.add("mail_missing_address", layout.UNITS, cell, raw_to, "địa chỉ email",
                                 f"{who}: chưa có địa chỉ email; điền cột 'Email' hoặc bỏ đơn vị này khỏi lần gửi.")
                reasons.append(f"Chưa có email ({p.where()})")
            raw_cc = row.raw.get("cc")
            _check_names(problems, layout.UNITS, addr("cc"), raw_cc, f"CC của {code}")
            cc, cc_errs = parse_addresses(raw_cc or None)
            for e in cc_errs:
                p = problems.add("mail_bad_address", layout.UNITS, addr("cc"), raw_cc,
                                 "ten@coquan.gov.vn; ten2@coquan.gov.vn", f"{who}: địa chỉ CC sai – {e}.")
                reasons.append(f"CC sai ({p.where()}): {e}")
            out.append(Recipient(code, "unit", code, name, tuple(to), tuple(cc),
                                 role=_text(row.raw.get("role")), row=row.number, error="; ".join(reasons)))
    if only is not None and OFFICE_KEY not in only:
        return out
    cell = values.cell("mail_office_email")
    if cell:
        _check_names(problems, layout.SETTINGS, cell, settings.office_email, "'Email Ban TĐKT'")
    office, errs = parse_addresses(settings.office_email, settings.office_name)
    reasons = []
    for e in errs:
        problems.add("mail_bad_address", layout.SETTINGS, cell, settings.office_email,
                     "ten@coquan.gov.vn", f"{settings.office_name}: địa chỉ 'Email Ban TĐKT' sai – {e}.")
        reasons.append(f"'Email Ban TĐKT' sai: {e}")
    if not office and not errs:
        problems.add("mail_missing_address", layout.SETTINGS, cell, "", "địa chỉ email",
                     f"Chưa có 'Email Ban TĐKT' trong trang '{layout.SETTINGS}': báo cáo tổng hợp chưa có người nhận.")
        reasons.append(f"Chưa có 'Email Ban TĐKT' ({layout.SETTINGS})")
    out.append(Recipient(OFFICE_KEY, "office", OFFICE_KEY, settings.office_name, tuple(office),
                         error="; ".join(reasons)))
    return out


def _cleaned(problems: Problems, sheet: str, cell: str, text: str, what: str) -> str:
    """``text`` cleaned for a header, with a warning naming the cell."""
    clean = clean_header_text(text)
    problems.warn("mail_header_text", sheet, cell, visible(text), "một dòng, không ký tự ẩn",
                  f"{what} ({sheet}!{cell}) có {describe(text)}: trong thư dùng '{clean}'. "
                  "Sửa ô này (bỏ xuống dòng, ký tự ẩn) để sổ tính và thư khớp nhau.")
    return clean


def _check_names(problems: Problems, sheet: str, cell: str, raw: Any, what: str) -> None:
    """Warn when the names written in an address cell (``Tên <a@b>``) hold invisible
    controls; line breaks there only separate addresses."""
    if raw is None:
        return
    text = re.sub(r"[\r\n]+", "; ", nfc(str(raw)))
    if needs_cleaning(text):
        _cleaned(problems, sheet, cell, text, what)
