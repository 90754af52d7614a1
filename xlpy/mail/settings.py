"""Mail settings: keys of the "Cài đặt" sheet that the mail feature reads.

The keys are registered with :func:`xlpy.book.layout.register_settings` so a
new workbook lists them (with their help text) and the reader keeps them in
``Settings.extra``.  The mail code reads the settings grid directly, so it
works on any workbook that has the sheet.

No password is ever read from the workbook: it comes from the system keyring
(service ``xlpy-smtp``) or the ``XLPY_SMTP_PASSWORD`` environment variable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..book import layout
from ..book.io import Book, nfc
from ..core.problems import Problems

SECURITY_CHOICES = {"STARTTLS": "starttls", "SSL/TLS": "ssl", "Không mã hóa": "none"}
BACKEND_CHOICES = {"SMTP": "smtp", "Thư nháp Outlook": "outlook"}
ATTACH_CHOICES = {"Word": "docx", "PDF": "pdf", "Word và PDF": "both", "Không đính kèm": "none"}

DEFAULT_SUBJECT_UNIT = "[{{ khoi }}] Thông báo kết quả thi đua {{ ky_nam }} – {{ don_vi.ten }}"
DEFAULT_SUBJECT_OFFICE = "[{{ khoi }}] Báo cáo tổng hợp kết quả thi đua {{ ky_nam }}"

SPECS = [
    layout.SettingSpec("Email Ban TĐKT", "mail_office_email", "text", "",
                       "Địa chỉ nhận báo cáo tổng hợp (Ban Thi đua – Khen thưởng); nhiều địa chỉ cách nhau bằng dấu ;", owner="mail"),
    layout.SettingSpec("Tên Ban TĐKT", "mail_office_name", "text", "Ban Thi đua – Khen thưởng tỉnh",
                       "Tên cơ quan nhận báo cáo tổng hợp, dùng trong thư", owner="mail"),
    layout.SettingSpec("Tên người gửi", "mail_sender_name", "text", "",
                       "Tên hiển thị của người gửi, ví dụ: Khối trưởng – Sở Nội vụ", owner="mail"),
    layout.SettingSpec("Email người gửi", "mail_sender_email", "text", "", "Địa chỉ gửi thư (From)", owner="mail"),
    layout.SettingSpec("Máy chủ SMTP", "mail_smtp_host", "text", "", "Ví dụ: mail.example.gov.vn", owner="mail"),
    layout.SettingSpec("Cổng SMTP", "mail_smtp_port", "int", None,
                       "Để trống: 587 với STARTTLS, 465 với SSL/TLS, 25 khi không mã hóa", owner="mail"),
    layout.SettingSpec("Bảo mật SMTP", "mail_smtp_security", "choice", "starttls",
                       "STARTTLS, SSL/TLS hoặc Không mã hóa", SECURITY_CHOICES, owner="mail"),
    layout.SettingSpec("Tài khoản SMTP", "mail_smtp_user", "text", "",
                       "Tên đăng nhập máy chủ thư. Mật khẩu KHÔNG ghi ở đây: dùng lệnh "
                       "'keyring set xlpy-smtp <tài khoản>' hoặc biến môi trường XLPY_SMTP_PASSWORD", owner="mail"),
    layout.SettingSpec("Tệp chứng chỉ SMTP", "mail_smtp_cafile", "text", "",
                       "Tệp chứng chỉ (PEM) của máy chủ thư nội bộ nếu không do tổ chức công cộng cấp; thường để trống",
                       owner="mail"),
    layout.SettingSpec("Cách gửi thật", "mail_backend", "choice", "smtp",
                       "SMTP (gửi ngay) hoặc Thư nháp Outlook (tạo thư nháp để xem lại rồi bấm Gửi)",
                       BACKEND_CHOICES, owner="mail"),
    layout.SettingSpec("Tiêu đề thư đơn vị", "mail_subject_unit", "text", DEFAULT_SUBJECT_UNIT,
                       "Mẫu tiêu đề thư gửi từng đơn vị (jinja2); để trống dùng mẫu mặc định", owner="mail"),
    layout.SettingSpec("Tiêu đề thư Ban TĐKT", "mail_subject_office", "text", DEFAULT_SUBJECT_OFFICE,
                       "Mẫu tiêu đề thư gửi Ban TĐKT (jinja2); để trống dùng mẫu mặc định", owner="mail"),
    layout.SettingSpec("Thư mục mẫu riêng", "mail_template_dir", "text", "",
                       "Thư mục chứa mẫu thư riêng của khối (email_unit.txt.j2…); để trống dùng mẫu có sẵn. "
                       "Đường dẫn tương đối tính từ thư mục của sổ tính", owner="mail"),
    layout.SettingSpec("Tệp đính kèm", "mail_attach_format", "choice", "docx",
                       "Định dạng báo cáo đính kèm: Word, PDF, Word và PDF, Không đính kèm", ATTACH_CHOICES, owner="mail"),
]
layout.register_settings(SPECS)

# Keys that must never be typed into the workbook.
SECRET_WORDS = ("mật khẩu", "mat khau", "password", "passwd")


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


def settings_rows(book: Book) -> dict[str, tuple[int, Any]]:
    """Key (column A, NFC, stripped) -> (row number, value of column B)."""
    grid = book.grid(layout.SETTINGS) or []
    out: dict[str, tuple[int, Any]] = {}
    for i, row in enumerate(grid, start=1):
        if not row or row[0] is None:
            continue
        key = nfc(str(row[0])).strip()
        if key and key not in out:
            out[key] = (i, row[1] if len(row) > 1 else None)
    return out


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return nfc(str(v)).strip()


def _choice(spec: layout.SettingSpec, raw: Any, row: int, problems: Problems) -> str:
    text = _text(raw)
    if not text:
        return str(spec.default)
    for label, value in spec.choices.items():
        if text.casefold() in (label.casefold(), value.casefold()):
            return value
    problems.add("mail_bad_setting", layout.SETTINGS, f"B{row}", text, " / ".join(spec.choices),
                 f"Giá trị của '{spec.key}' không hợp lệ; chọn một trong: {', '.join(spec.choices)}.")
    return str(spec.default)


def read_mail_settings(book: Book, problems: Problems | None = None) -> MailSettings:
    """Read the mail keys (and the block name, year, period) from the settings sheet."""
    problems = problems if problems is not None else Problems()
    rows = settings_rows(book)
    for key, (row, value) in rows.items():
        if any(w in key.casefold() for w in SECRET_WORDS) and _text(value):
            problems.add("mail_password_in_book", layout.SETTINGS, f"B{row}", "(đã ẩn)", "ô trống",
                         f"Không ghi mật khẩu vào sổ tính ('{key}'). Hãy xóa ô này và lưu mật khẩu bằng "
                         "'keyring set xlpy-smtp <tài khoản>' hoặc biến môi trường XLPY_SMTP_PASSWORD.")

    def get(key: str) -> tuple[int, Any]:
        return rows.get(key, (0, None))

    values: dict[str, Any] = {}
    for spec in SPECS:
        row, raw = get(spec.key)
        name = spec.attr.removeprefix("mail_")
        if spec.kind == "choice":
            values[name] = _choice(spec, raw, row, problems)
        elif spec.kind == "int":
            if raw is None or _text(raw) == "":
                values[name] = spec.default
            else:
                try:
                    values[name] = int(float(_text(raw).replace(",", ".")))
                except ValueError:
                    problems.add("mail_bad_setting", layout.SETTINGS, f"B{row}", raw, "số nguyên",
                                 f"'{spec.key}' phải là một số nguyên, ví dụ 587.")
                    values[name] = spec.default
        else:
            values[name] = _text(raw) or (spec.default or "")
    year = _text(get("Năm")[1])
    date = get("Ngày xét")[1]
    return MailSettings(
        block_name=_text(get("Tên khối")[1]),
        year=year,
        period=_text(get("Kỳ đánh giá")[1]) or "Tổng kết năm",
        round_date=date if isinstance(date, (dt.date, dt.datetime)) else (_text(date) or None),
        **values,
    )
