"""The block's year (issue 13): registration at the start of the year, and the handover
to the next year (who leads the block, what is carried over).

Declared here: the input sheet “Đăng ký thi đua” (each unit, and where used each
person, registers the titles and forms of award it aims for and whether it signed
the block's pledge, ký kết giao ước thi đua) and the settings of the rotation rule,
of the registration check and of the deduction for not registering.

Whether the law still makes registration a condition of a title is UNVERIFIED:
the old Luật Thi đua, khen thưởng (2003, amended 2013) named “đăng ký tham gia thi
đua” among the bases for a title (Điều 10 khoản 1 điểm b, as secondary sources
restate it), and provincial rules said “không đăng ký thi đua thì không được xét
tặng danh hiệu thi đua”; the reference (tdkt-domain.md §3.1–3.2) only records
giao ước signed at the start of each year (HD 1479/HD-BTĐKT, details unverified)
and a −8 point deduction for “không đăng ký thi đua” in Thừa Thiên Huế's scheme.
So a proposal without registration is *reported* (a warning, never a verdict),
for the titles the settings list: by default the danh hiệu thi đua (yearly
titles), not the hình thức khen thưởng (Bằng khen, Giấy khen).
"""

from __future__ import annotations

from ..rules import titles as T
from .base import Column as C
from .base import Setting, Table

REGISTRATION = "Đăng ký thi đua"

YES_NO = {"Có": True, "Không": False}
SUBJECTS = {"Tập thể": T.TT, "Cá nhân": T.CN}

REGISTRATION_TABLE = Table(REGISTRATION, (
    C("Đối tượng", "subject", "choice", True, 10, "Tập thể (đơn vị của khối) hoặc Cá nhân", choices=SUBJECTS, what="đối tượng"),
    C("Mã", "code", "code", True, 11, "Mã đơn vị (trang Đơn vị) hoặc mã cá nhân (trang Cá nhân)"),
    C("Tên", "name", "text", False, 30, "Tên đơn vị hoặc họ tên (để dễ đọc; xlpy dùng mã)"),
    C("Danh hiệu, hình thức đăng ký", "titles", "list", False, 40,
      "Các danh hiệu, hình thức phấn đấu đạt trong năm, cách nhau bằng dấu ; (ví dụ: Tập thể lao động xuất sắc; "
      "Cờ thi đua cấp tỉnh)", what="danh hiệu đăng ký"),
    C("Ngày đăng ký", "registered_on", "date", False, 13, "Ngày gửi bản đăng ký thi đua", "dd/mm/yyyy", what="ngày đăng ký"),
    C("Ký giao ước", "signed", "yesno", False, 11, "Có: đơn vị đã ký kết giao ước thi đua của khối (để trống với cá nhân)",
      choices=YES_NO, what="ký giao ước"),
    C("Ngày ký giao ước", "signed_on", "date", False, 13, "Ngày ký kết giao ước thi đua", "dd/mm/yyyy", what="ngày ký giao ước"),
    C("Ghi chú", "note", "text", False, 24, ""),
), feature="year")

TABLES = (REGISTRATION_TABLE,)

# ---- settings ------------------------------------------------------------------------
DEPUTY = "deputy"  # the deputy becomes leader; the next in the declared order becomes deputy
ORDER = "order"  # leader and deputy move one place along the declared order
ELECTED = "elected"  # the conference elects them; the officer types both codes
ROTATION_CHOICES = {
    "Bầu tại hội nghị tổng kết": ELECTED,
    "Khối phó lên Khối trưởng": DEPUTY,
    "Theo thứ tự luân phiên": ORDER,
}
NOT_REGISTERED = "not_registered"
NOT_SIGNED = "not_signed"
EITHER = "either"
DEDUCTION_WHEN = {
    "Không đăng ký thi đua": NOT_REGISTERED,
    "Không ký giao ước": NOT_SIGNED,
    "Không đăng ký hoặc không ký giao ước": EITHER,
}
# the danh hiệu thi đua (yearly titles); Bằng khen and Giấy khen are forms of award, not registered titles
DEFAULT_REGISTERED_TITLES = tuple(t.name for t in T.TITLES.values() if t.annual)

F = "year"
SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Luân phiên Khối trưởng", "rotation", "choice", ELECTED,
            "Cách chọn Khối trưởng, Khối phó năm sau khi tạo sổ năm mới: Bầu tại hội nghị tổng kết (ghi hai ô dưới); "
            "Khối phó lên Khối trưởng (đơn vị kế tiếp trong Thứ tự luân phiên làm Khối phó); Theo thứ tự luân phiên "
            "(cả hai lùi một vị trí). Theo quy chế cụm, khối của tỉnh (chưa xác minh chung).", ROTATION_CHOICES, F),
    Setting("Thứ tự luân phiên", "rotation_order", "list", (),
            "Mã các đơn vị theo thứ tự luân phiên làm Khối trưởng, cách nhau bằng dấu ; (cần cho hai cách luân phiên)",
            feature=F, commas=True),
    Setting("Khối trưởng năm sau", "next_leader", "text", None,
            "Mã đơn vị được bầu làm Khối trưởng năm sau (cách “Bầu tại hội nghị tổng kết”)", feature=F),
    Setting("Khối phó năm sau", "next_deputy", "text", None,
            "Mã đơn vị được bầu làm Khối phó năm sau (cách “Bầu tại hội nghị tổng kết”)", feature=F),
    Setting("Báo đề nghị chưa đăng ký thi đua", "registration_check", "yesno", True,
            "Có: Kiểm tra khen thưởng cảnh báo đề nghị danh hiệu ở dòng dưới mà tập thể, cá nhân chưa đăng ký ở trang "
            "“Đăng ký thi đua” (luật hiện hành có bắt buộc đăng ký hay không: chưa xác minh; chỉ cảnh báo, không đổi kết luận).",
            YES_NO, F),
    Setting("Danh hiệu cần đăng ký thi đua", "registration_titles", "list", DEFAULT_REGISTERED_TITLES,
            "Các danh hiệu mà đề nghị chưa đăng ký bị cảnh báo, cách nhau bằng dấu ; (mặc định: các danh hiệu thi đua; "
            "Bằng khen, Giấy khen là hình thức khen thưởng nên không kèm)", feature=F),
    Setting("Tiêu chí trừ điểm không đăng ký", "registration_deduction", "text", None,
            "Mã tiêu chí loại Điểm trừ mà xlpy tự điền từ trang “Đăng ký thi đua” khi ô điểm để trống ở mọi lần chấm "
            "(ví dụ D1); để trống: không tự điền", feature=F),
    Setting("Trừ điểm khi", "registration_deduction_when", "choice", NOT_REGISTERED,
            "Đơn vị bị trừ điểm ở tiêu chí trên khi nào", DEDUCTION_WHEN, F),
)

# settings that belong to one year: emptied in next year's workbook (besides every date)
YEARLY_SETTINGS = ("next_leader", "next_deputy")
