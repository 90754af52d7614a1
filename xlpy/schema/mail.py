"""Settings of the e-mail feature.  No password is ever read from a workbook: it comes
from the system keyring (service ``xlpy-smtp``) or ``XLPY_SMTP_PASSWORD``."""

from __future__ import annotations

from .base import Setting

F = "mail"
SEND_STATUS = "Gửi thư"  # the output sheet listing every message and its status
SECURITY_CHOICES = {"STARTTLS": "starttls", "SSL/TLS": "ssl", "Không mã hóa": "none"}
BACKEND_CHOICES = {"SMTP": "smtp", "Thư nháp Outlook": "outlook"}
ATTACH_CHOICES = {"Word": "docx", "PDF": "pdf", "Word và PDF": "both", "Không đính kèm": "none"}

DEFAULT_SUBJECT_UNIT = "[{{ khoi }}] Thông báo kết quả thi đua {{ ky_nam }} – {{ don_vi.ten }}"
DEFAULT_SUBJECT_OFFICE = "[{{ khoi }}] Báo cáo tổng hợp kết quả thi đua {{ ky_nam }}"

SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Email Ban TĐKT", "mail_office_email", "text", "",
            "Địa chỉ nhận báo cáo tổng hợp (Ban Thi đua – Khen thưởng); nhiều địa chỉ cách nhau bằng dấu ;", feature=F),
    Setting("Tên Ban TĐKT", "mail_office_name", "text", "Ban Thi đua – Khen thưởng tỉnh",
            "Tên cơ quan nhận báo cáo tổng hợp, dùng trong thư", feature=F),
    Setting("Tên người gửi", "mail_sender_name", "text", "", "Tên hiển thị của người gửi, ví dụ: Khối trưởng – Sở Nội vụ", feature=F),
    Setting("Email người gửi", "mail_sender_email", "text", "", "Địa chỉ gửi thư (From)", feature=F),
    Setting("Máy chủ SMTP", "mail_smtp_host", "text", "", "Ví dụ: mail.example.gov.vn", feature=F),
    Setting("Cổng SMTP", "mail_smtp_port", "int", None, "Để trống: 587 với STARTTLS, 465 với SSL/TLS, 25 khi không mã hóa",
            feature=F, minimum=1, maximum=65535),
    Setting("Bảo mật SMTP", "mail_smtp_security", "choice", "starttls", "STARTTLS, SSL/TLS hoặc Không mã hóa", SECURITY_CHOICES, F),
    Setting("Tài khoản SMTP", "mail_smtp_user", "text", "",
            "Tên đăng nhập máy chủ thư. Mật khẩu KHÔNG ghi ở đây: dùng lệnh 'keyring set xlpy-smtp <tài khoản>' hoặc biến "
            "môi trường XLPY_SMTP_PASSWORD", feature=F),
    Setting("Tệp chứng chỉ SMTP", "mail_smtp_cafile", "text", "",
            "Tệp chứng chỉ (PEM) của máy chủ thư nội bộ nếu không do tổ chức công cộng cấp; thường để trống", feature=F),
    Setting("Cách gửi thật", "mail_backend", "choice", "smtp",
            "SMTP (gửi ngay) hoặc Thư nháp Outlook (tạo thư nháp để xem lại rồi bấm Gửi)", BACKEND_CHOICES, F),
    Setting("Tiêu đề thư đơn vị", "mail_subject_unit", "text", DEFAULT_SUBJECT_UNIT,
            "Mẫu tiêu đề thư gửi từng đơn vị (mẫu Jinja, chạy trong hộp cát, chỉ dùng các biến đã liệt kê); để trống dùng mẫu mặc định",
            feature=F, template=True),
    Setting("Tiêu đề thư Ban TĐKT", "mail_subject_office", "text", DEFAULT_SUBJECT_OFFICE,
            "Mẫu tiêu đề thư gửi Ban TĐKT (mẫu Jinja, chạy trong hộp cát, chỉ dùng các biến đã liệt kê); để trống dùng mẫu mặc định",
            feature=F, template=True),
    Setting("Thư mục mẫu riêng", "mail_template_dir", "text", "",
            "Thư mục chứa mẫu thư riêng của khối (email_unit.txt.j2…); để trống dùng mẫu có sẵn. Đường dẫn tương đối tính "
            "từ thư mục của sổ tính. Mẫu thư chạy trong hộp cát, chỉ dùng các biến đã liệt kê.", feature=F),
    Setting("Tệp đính kèm", "mail_attach_format", "choice", "docx",
            "Định dạng báo cáo đính kèm: Word, PDF, Word và PDF, Không đính kèm", ATTACH_CHOICES, F),
)
