"""The province workbook (Ban Thi đua – Khen thưởng tỉnh): its input sheets and settings.

A province workbook gathers the blocks' workbooks (``xlpy province``): officers fill
“Cài đặt tỉnh” (province, year, the blocks' deadline, the caps the province applies)
and “Danh sách khối” (the blocks expected to send a workbook); xlpy rebuilds the
output sheets.  Every cap the reference marks UNVERIFIED is a setting here, with its
default and source in the help text (reference tdkt-domain.md §2.1–2.2, §3.3–3.4).
"""

from __future__ import annotations

from fractions import Fraction

from .base import Column as C
from .base import Setting, Table
from .rules import ROUND_CHOICES

# ---- sheet names ----------------------------------------------------------------------
GUIDE = "Hướng dẫn"
SETTINGS = "Cài đặt tỉnh"
EXPECTED = "Danh sách khối"
# output sheets
BLOCKS = "Tổng hợp các khối"
RESULTS = "Kết quả các khối"
PROPOSALS = "Đề nghị các khối"
CHECKS = "Kiểm tra cấp tỉnh"
ERRORS = "Lỗi các khối"
FORM = "Biểu 0603.N"
OUTPUTS = (BLOCKS, RESULTS, PROPOSALS, CHECKS, ERRORS, FORM)
INPUTS = (GUIDE, SETTINGS, EXPECTED)

EXPECTED_TABLE = Table(EXPECTED, (
    C("Mã khối", "code", "code", True, 10, "Mã ngắn của khối, không trùng"),
    C("Tên khối", "name", "text", True, 44, "Tên khối như ô “Tên khối” ở trang Cài đặt của sổ tính khối"),
    C("Tệp sổ tính", "file", "text", False, 30,
      "Tên tệp sổ tính của khối trong thư mục các khối (để trống: tìm theo Tên khối)"),
    C("Khối trưởng", "leader", "text", False, 30, "Đơn vị khối trưởng (để đối chiếu)"),
    C("Ghi chú", "note", "text", False, 30, ""),
), feature="province", help="Các khối, cụm thi đua phải nộp sổ tính: xlpy báo khối nào chưa nộp.")

LATE_CHOICES = {"Ngày xét ghi trong sổ tính của khối": "round_date", "Ngày sửa tệp": "mtime"}
FORM_CHOICES = {"Biểu 0603.N/BNV-TĐKT (Thông tư 02/2023/TT-BNV)": "tt02-2023", "Không lập biểu": "none"}
ORDER_TOKENS = ("XEP_HANG", "TY_LE_NU")

F = "province"
SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Tên tỉnh", "province_name", "text", "", "Tên tỉnh, thành phố, ví dụ Quảng Nam", feature=F),
    Setting("Năm", "year", "int", None, "Năm tổng hợp kết quả thi đua", feature=F, minimum=1945, maximum=2100),
    Setting("Ngày xét cấp tỉnh", "round_date", "date", None, "Ngày Hội đồng Thi đua – Khen thưởng tỉnh họp xét", feature=F),
    Setting("Hạn nộp sổ tính của khối", "deadline", "date", None,
            "Ngày cuối cùng các khối nộp kết quả (ví dụ Bắc Ninh QĐ 86/2025/QĐ-UBND Điều 6: hồ sơ năm trước 10/12). "
            "Để trống: không kiểm tra nộp muộn", feature=F),
    Setting("Xác định nộp muộn theo", "late_by", "choice", "round_date",
            "Ngày xét ghi trong sổ tính (đi theo tệp, không đổi khi chép tệp) hoặc ngày sửa tệp trên máy (đổi khi tải, chép lại)",
            LATE_CHOICES, F, aliases=("round_date", "mtime")),
    Setting("Thư mục sổ tính các khối", "blocks_folder", "text", "",
            "Thư mục chứa sổ tính của các khối (đường dẫn tương đối tính từ thư mục của sổ tính này); dùng cho nút Tổng hợp cấp tỉnh",
            feature=F),
    Setting("Số Cờ thi đua cấp tỉnh mỗi khối", "co_tinh_per_block", "int", 1,
            "Cờ thi đua cấp tỉnh chỉ tặng tập thể dẫn đầu khối (Luật TĐKT 2022 Điều 26 khoản 1); mỗi khối 1 Cờ là thực tiễn "
            "(nguồn thứ cấp, chưa xác minh văn bản gốc)", feature=F, minimum=0),
    Setting("Tỷ lệ Bằng khen tập thể toàn tỉnh (%)", "bk_tt_pct", "percent", Fraction(10),
            "Số Bằng khen tập thể (công trạng) không quá tỷ lệ này trên tổng số tập thể của các khối. Mặc định 10% theo mức "
            "của QĐ 10/2024/QĐ-UBND Cần Thơ Điều 9 khoản 2 điểm a (áp dụng tương tự, CHƯA XÁC MINH cho tỉnh): sửa theo quy "
            "chế của tỉnh; để trống = không giới hạn", feature=F),
    Setting("Tỷ lệ Bằng khen cá nhân toàn tỉnh (%)", "bk_cn_pct", "percent", Fraction(5),
            "Số Bằng khen cá nhân (công trạng) không quá tỷ lệ này trên tổng số cá nhân của các khối. Mặc định 5% theo "
            "QĐ 10/2024/QĐ-UBND Cần Thơ (áp dụng tương tự, CHƯA XÁC MINH); để trống = không giới hạn", feature=F),
    Setting("Tỷ lệ Tập thể lao động xuất sắc toàn tỉnh (%)", "ttldxs_pct", "percent", None,
            "Không có mức chung (chưa tìm thấy văn bản): để trống = không giới hạn", feature=F),
    Setting("Tỷ lệ Chiến sĩ thi đua cấp tỉnh toàn tỉnh (%)", "cstd_tinh_pct", "percent", None,
            "Không có mức chung (chưa tìm thấy văn bản): để trống = không giới hạn", feature=F),
    Setting("Số cá nhân làm cơ sở tính tỷ lệ", "individuals", "int", None,
            "Tổng số cá nhân của các khối; để trống = cộng cột Số thành viên ở trang Tập thể của các khối", feature=F, minimum=0),
    Setting("Tỷ lệ Cờ thi đua của Chính phủ (%)", "co_cp_pct", "percent", Fraction(20),
            "Cờ thi đua của Chính phủ chọn trong số tập thể được Cờ thi đua cấp tỉnh (Luật TĐKT 2022 Điều 25), không quá tỷ "
            "lệ này trên số Cờ cấp tỉnh. Mặc định 20% của NĐ 91/2017/NĐ-CP Điều 11 (đã hết hiệu lực; CHƯA XÁC MINH NĐ "
            "152/2025 còn giữ); để trống = không giới hạn theo tỷ lệ", feature=F),
    Setting("Số Cờ thi đua của Chính phủ tối đa", "co_cp_count", "int", None,
            "Số Cờ thi đua của Chính phủ tỉnh được đề nghị (nếu có chỉ tiêu); để trống = không giới hạn theo số", feature=F, minimum=0),
    Setting("Làm tròn số tối đa", "cap_rounding", "choice", "floor",
            "Cách làm tròn tỷ lệ 'không quá' (chưa có quy định chung; mặc định làm tròn xuống)", ROUND_CHOICES, F),
    Setting("Thứ tự xét khi vượt tỷ lệ", "order", "list", ORDER_TOKENS,
            "XEP_HANG (hạng trong khối cao hơn); TY_LE_NU (ưu tiên nữ, tập thể có tỷ lệ nữ từ ngưỡng, NĐ 152/2025 Điều 4 khoản 6). "
            "Còn bằng nhau: Hội đồng TĐKT tỉnh quyết định, xlpy không chọn theo thứ tự dòng", feature=F, commas=True),
    Setting("Ngưỡng tỷ lệ nữ (%)", "women_threshold", "percent", Fraction(70),
            "Tập thể có tỷ lệ nữ từ ngưỡng này được ưu tiên khi bằng nhau (NĐ 152/2025 Điều 4 khoản 6)", feature=F),
    Setting("Biểu thống kê", "stat_form", "choice", "tt02-2023",
            "Biểu số lượng khen thưởng cấp tỉnh theo Thông tư 02/2023/TT-BNV (hạn gửi 15/12). CHƯA XÁC MINH biểu còn áp dụng "
            "sau 2025 (Thông tư 15/2025/TT-BNV): đổi khi có biểu mới", FORM_CHOICES, F, aliases=("tt02-2023", "none")),
    Setting("Đơn vị báo cáo", "reporting_unit", "text", "", "Ghi trên biểu thống kê; để trống = UBND tỉnh <Tên tỉnh>", feature=F),
    Setting("Đơn vị nhận báo cáo", "receiving_unit", "text", "Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương)",
            "Ghi trên biểu thống kê", feature=F),
    # ---- the province report (Nghị định 30/2020/NĐ-CP) ------------------------------------------
    Setting("Cơ quan chủ quản", "parent_body", "text", "", "Dòng trên của tên cơ quan ban hành, ví dụ SỞ NỘI VỤ TỈNH QUẢNG NAM",
            feature=F),
    Setting("Cơ quan ban hành", "issuing_body", "text", "Ban Thi đua – Khen thưởng", "Tên cơ quan ban hành báo cáo", feature=F),
    Setting("Số văn bản", "doc_number", "text", "", "Số của báo cáo; để trống thì ghi “Số: ……” để ghi tay khi vào sổ", feature=F),
    Setting("Ký hiệu văn bản", "doc_symbol", "text", "BC-BTĐKT", "Phần sau dấu / của số, ví dụ BC-BTĐKT", feature=F),
    Setting("Địa danh", "place", "text", "", "Địa danh ghi trước ngày tháng; để trống = Tên tỉnh", feature=F),
    Setting("Ngày ký báo cáo", "report_date", "date", None, "Để trống = ngày xét cấp tỉnh", feature=F),
    Setting("Thẩm quyền ký", "signer_authority", "text", "", "Ví dụ KT. TRƯỞNG BAN (để trống nếu người đứng đầu ký)", feature=F),
    Setting("Chức vụ người ký", "signer_title", "text", "TRƯỞNG BAN", "Ví dụ TRƯỞNG BAN, PHÓ TRƯỞNG BAN", feature=F),
    Setting("Người ký", "signer_name", "text", "", "Họ và tên, không ghi học hàm, học vị", feature=F),
    Setting("Nơi nhận", "recipients", "list", "UBND tỉnh; Hội đồng Thi đua – Khen thưởng tỉnh; Các cụm, khối thi đua",
            "Cách nhau bằng dấu ; (dòng Lưu: VT tự thêm)", feature=F),
)


def spec(attr: str) -> Setting:
    return next(s for s in SETTINGS_SPECS if s.attr == attr)


__all__ = ["EXPECTED_TABLE", "INPUTS", "OUTPUTS", "SETTINGS_SPECS", "spec"]
