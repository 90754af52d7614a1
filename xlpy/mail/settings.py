"""Mail settings as the mail code uses them.

The keys are declared in :mod:`xlpy.schema.mail` and read once, with every
other key, when the round is loaded; :func:`mail_settings` picks the mail's.
No password is ever read from the workbook: it comes from the system keyring
(service ``xlpy-smtp``) or the ``XLPY_SMTP_PASSWORD`` environment variable
(a password typed into the settings sheet is an error, see
:func:`xlpy.schema.base.read_settings`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from ..schema.base import SettingValues
from ..schema.mail import DEFAULT_SUBJECT_OFFICE, DEFAULT_SUBJECT_UNIT
from ..schema.mail import SETTINGS_SPECS as SPECS


@dataclass(frozen=True)
class MailSettings:
    block_name: str = ""
    year: str = ""
    period: str = ""
    round_date: Any = None
    office_email: str = ""
    office_name: str = "Ban Thi đua – Khen thưởng tỉnh"
    sender_name: str = ""
    sender_email: str = ""
    smtp_host: str = ""
    smtp_port: int | None = None
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_cafile: str = ""
    backend: str = "smtp"
    subject_unit: str = DEFAULT_SUBJECT_UNIT
    subject_office: str = DEFAULT_SUBJECT_OFFICE
    template_dir: str = ""
    attach_format: str = "docx"


def mail_settings(v: SettingValues) -> MailSettings:
    """The mail settings (and the block name, year, period) from the settings sheet's values."""
    values = {spec.attr.removeprefix("mail_"): _text(v.get(spec.attr)) if spec.kind == "text" else v.get(spec.attr)
              for spec in SPECS}
    for spec in SPECS:  # a blank template or name falls back to its default
        name = spec.attr.removeprefix("mail_")
        if spec.kind == "text" and not values[name]:
            values[name] = spec.default or ""
    year = v.get("year")
    return MailSettings(
        block_name=_text(v.get("block_name")),
        year=str(year) if year is not None else "",
        period=_text(v.get("period")) or "Tổng kết năm",
        round_date=v.get("round_date"),
        **values,
    )


def setting_cells(v: SettingValues) -> dict[str, str]:
    """Settings key (label) -> its value cell ("B12") in the settings sheet."""
    return {spec.key: v.cell(attr) for attr, spec in v.specs.items() if v.cell(attr) and v.cell(attr) != "(API)"}


def _text(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return unicodedata.normalize("NFC", str(x)).strip()
