"""The block's scoring sheets and settings: units, criteria, bands, classes, score sheets."""

from __future__ import annotations

from .base import Column as C
from .base import Setting, Table

# ---- sheet names ---------------------------------------------------------------------
GUIDE = "Hướng dẫn"
SETTINGS = "Cài đặt"
UNITS = "Đơn vị"
CRITERIA = "Tiêu chí"
BANDS = "Bậc điểm"
CLASSES = "Xếp loại"
SELF = "Tự chấm"
BLOCK = "Khối chấm"
OFFICE = "Ban TĐKT chấm"
TARGETS = "Chỉ tiêu đơn vị"
STAGE_SHEETS = {"self": SELF, "block": BLOCK, "office": OFFICE}

# output sheets of the scoring feature
RESULTS = "Kết quả"
RANKING = "Xếp hạng"
DIFFS = "Chênh lệch"
CHECKS = "Kiểm tra"
ERRORS = "Lỗi"

# ---- units ------------------------------------------------------------------------------
ROLES = {"Khối trưởng": "Khối trưởng", "Khối phó": "Khối phó", "Thành viên": "Thành viên"}
UNIT_TABLE = Table(UNITS, (
    C("Mã đơn vị", "code", "code", True, 12, "Mã ngắn, không trùng, ví dụ SNV"),
    C("Tên đơn vị", "name", "text", True, 40, "Tên đầy đủ của đơn vị"),
    C("Vai trò", "role", "choice", False, 14, "Khối trưởng / Khối phó / Thành viên", choices=ROLES),
    C("Tỷ lệ nữ (%)", "women_share", "percent", False, 12, "Tỷ lệ nữ trong tập thể, 0–100", "0.0", what="tỷ lệ nữ (%)"),
    C("Phiếu bầu", "votes", "int", False, 11, "Số phiếu khi bỏ phiếu phá hòa", "0", minimum=0, what="số phiếu bầu"),
    C("Email", "email", "text", False, 30, "Địa chỉ nhận kết quả"),
    C("CC", "cc", "text", False, 30, "Địa chỉ đồng gửi, cách nhau bằng dấu ;"),
), required=True)

# ---- criteria -----------------------------------------------------------------------------
GROUP_LABEL = "Nhóm"
KIND_CHOICES = {
    "Nhóm": "group",
    "Điểm": "points",
    "Tỷ lệ": "ratio",
    "Chỉ tiêu": "target",
    "Số lần": "count",
    "Bậc thưởng": "band",
    "Điểm thưởng": "bonus",
    "Điểm trừ": "deduction",
}
PART_CHOICES = {"Nội dung": "content", "Thưởng": "bonus", "Trừ": "deduction"}
CRITERIA_TABLE = Table(CRITERIA, (
    C("Mã", "code", "code", True, 8, "Mã tiêu chí hoặc mã nhóm, không trùng"),
    C("Nhóm", "group", "code", False, 8, "Mã nhóm chứa tiêu chí (để trống nếu không chia nhóm)"),
    C("Tên tiêu chí", "name", "text", True, 50, "Nội dung tiêu chí"),
    C("Loại", "kind", "choice", True, 13, "Cách tính điểm", choices=KIND_CHOICES, what="loại tiêu chí"),
    C("Điểm tối đa", "max_points", "number", True, 11, "Điểm chuẩn của tiêu chí (của nhóm: trần điểm nhóm)", "0.##",
      positive=True, what="điểm tối đa"),
    C("Trọng số", "weight", "number", False, 10, "Hệ số nhân, để trống = 1", "0.##", positive=True, what="trọng số"),
    C("Chỉ tiêu", "target", "number", False, 10, "Chỉ tiêu chung (loại Tỷ lệ, Chỉ tiêu)", "0.##", positive=True, what="chỉ tiêu"),
    C("Điểm mỗi lần", "per_event", "number", False, 12, "Điểm cho mỗi lần (loại Số lần, Điểm trừ theo lần)", "0.##",
      positive=True, what="điểm mỗi lần"),
    C("Tính vào", "part", "choice", False, 11,
      "Nội dung / Thưởng / Trừ; để trống = theo loại (Bậc thưởng, Điểm thưởng: Thưởng; Điểm trừ: Trừ)", choices=PART_CHOICES),
    C("Ghi chú", "note", "text", False, 30, ""),
), required=True)

# ---- banded bonus ---------------------------------------------------------------------------
YES_NO = {"Có": True, "Không": False}
BAND_TABLE = Table(BANDS, (
    C("Mã tiêu chí", "code", "code", True, 12, "Tiêu chí loại Bậc thưởng"),
    C("Từ", "low", "number", True, 8, "Cận dưới", "0.##", what="cận dưới"),
    C("Lấy cả cận dưới", "low_inclusive", "yesno", True, 15, "Có: giá trị bằng cận dưới được tính", choices=YES_NO),
    C("Đến", "high", "number", True, 8, "Cận trên", "0.##", what="cận trên"),
    C("Lấy cả cận trên", "high_inclusive", "yesno", True, 15, "Có: giá trị bằng cận trên được tính", choices=YES_NO),
    C("Điểm", "points", "number", True, 8, "Điểm của bậc", "0.##", minimum=0, what="điểm của bậc"),
))

CLASS_TABLE = Table(CLASSES, (
    C("Xếp loại", "name", "text", True, 34, "Tên loại"),
    C("Từ (% điểm tối đa)", "min_pct", "percent", True, 18, "Tổng điểm đạt từ tỷ lệ này trở lên", "0.##", what="ngưỡng (%)"),
))

# ---- score sheets (a column per criterion code after these two) -------------------------------
STAGE_KEYS = (
    C("Mã đơn vị", "code", "code", True, 12),
    C("Tên đơn vị", "name", "text", False, 36),
)

# ---- settings ---------------------------------------------------------------------------------
RANK_CHOICES = {"Đồng hạng (1, 1, 3)": "competition", "Liền hạng (1, 1, 2)": "dense"}
POLICY_CHOICES = {"Người chấm sau cùng": "last", "Cao nhất": "max", "Trung bình": "mean"}
PERIOD_CHOICES = {"Tổng kết năm": "Tổng kết năm", "Sơ kết 6 tháng": "Sơ kết 6 tháng"}

SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Tên khối", "block_name", "text", "", "Tên khối/cụm thi đua"),
    Setting("Năm", "year", "int", None, "Năm đánh giá", minimum=1945, maximum=2100),
    Setting("Kỳ đánh giá", "period", "choice", "Tổng kết năm", "Tổng kết năm hoặc Sơ kết 6 tháng", PERIOD_CHOICES),
    Setting("Ngày xét", "round_date", "date", None, "Ngày họp bình xét; quyết định bộ quy định khen thưởng áp dụng"),
    Setting("Số chữ số thập phân", "decimals", "int", 2, "Làm tròn điểm (kiểu Excel) trước khi xếp hạng", minimum=0, maximum=6),
    Setting("Cách xếp hạng", "rank_method", "choice", "competition", "Đồng hạng: 1, 1, 3; Liền hạng: 1, 1, 2", RANK_CHOICES),
    Setting("Cách lấy điểm cuối", "final_policy", "choice", "last", "Khi điểm tự chấm và điểm khối chấm khác nhau", POLICY_CHOICES),
    Setting("Thứ tự phá hòa", "tie_break", "list", (),
            "Mã tiêu chí, TY_LE_NU (ưu tiên nữ, NĐ 152/2025 Điều 4 khoản 6), PHIEU_BAU; cách nhau bằng dấu ;", commas=True),
    Setting("Trần điểm nội dung", "content_cap", "number", None, "Để trống nếu không giới hạn", minimum=0),
    Setting("Trần điểm thưởng", "bonus_cap", "number", None, "Để trống nếu không giới hạn", minimum=0),
    Setting("Điểm tối đa", "max_total", "number", None,
            "Thang điểm để xếp loại (ví dụ 100); để trống = tổng điểm tối đa của các tiêu chí nội dung và thưởng", minimum=0),
    Setting("Ngưỡng tỷ lệ nữ (%)", "women_threshold", "percent", 70.0,
            "Tập thể có tỷ lệ nữ từ ngưỡng này được ưu tiên khi bằng điểm"),
)
