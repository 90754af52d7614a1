"""The canonical workbook, in one place: sheet names, columns, input vs output.

Input sheets are filled by officers and never written by xlpy once they exist.
Output sheets are rebuilt whole on every run.  Every table has its header in
row 1 and data from row 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

# ---- sheet names -----------------------------------------------------------
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

RESULTS = "Kết quả"
DIFFS = "Chênh lệch"
CHECKS = "Kiểm tra"
ERRORS = "Lỗi"

STAGE_SHEETS = {"self": SELF, "block": BLOCK, "office": OFFICE}

# Sheets xlpy reads (inputs); the order is the order in a new workbook.
INPUT_SHEETS = [GUIDE, SETTINGS, UNITS, CRITERIA, BANDS, CLASSES, SELF, BLOCK, OFFICE, TARGETS]
# Sheets xlpy writes; any other module adds its own output sheets here.
OUTPUT_SHEETS = [RESULTS, DIFFS, CHECKS]
REQUIRED_SHEETS = [SETTINGS, UNITS, CRITERIA]


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    width: float = 14
    help: str = ""
    number_format: str | None = None
    choices: tuple[str, ...] = ()  # data-validation list


# ---- units -----------------------------------------------------------------
ROLES = ("Khối trưởng", "Khối phó", "Thành viên")
UNIT_COLUMNS = [
    Column("Mã đơn vị", "code", True, 12, "Mã ngắn, không trùng, ví dụ SNV"),
    Column("Tên đơn vị", "name", True, 40, "Tên đầy đủ của đơn vị"),
    Column("Vai trò", "role", False, 14, "Khối trưởng / Khối phó / Thành viên", choices=ROLES),
    Column("Tỷ lệ nữ (%)", "women_share", False, 12, "Tỷ lệ nữ trong tập thể, 0–100", "0.0"),
    Column("Phiếu bầu", "votes", False, 11, "Số phiếu khi bỏ phiếu phá hòa", "0"),
    Column("Email", "email", False, 30, "Địa chỉ nhận kết quả"),
    Column("CC", "cc", False, 30, "Địa chỉ đồng gửi, cách nhau bằng dấu ;"),
]

# ---- criteria ---------------------------------------------------------------
KIND_CHOICES = ("Nhóm", "Điểm", "Tỷ lệ", "Chỉ tiêu", "Số lần", "Bậc thưởng", "Điểm thưởng", "Điểm trừ")
CRITERIA_COLUMNS = [
    Column("Mã", "code", True, 8, "Mã tiêu chí hoặc mã nhóm, không trùng"),
    Column("Nhóm", "group", False, 8, "Mã nhóm chứa tiêu chí (để trống nếu không chia nhóm)"),
    Column("Tên tiêu chí", "name", True, 50, "Nội dung tiêu chí"),
    Column("Loại", "kind", True, 13, "Cách tính điểm", choices=KIND_CHOICES),
    Column("Điểm tối đa", "max_points", True, 11, "Điểm chuẩn của tiêu chí (của nhóm: trần điểm nhóm)", "0.##"),
    Column("Trọng số", "weight", False, 10, "Hệ số nhân, để trống = 1", "0.##"),
    Column("Chỉ tiêu", "target", False, 10, "Chỉ tiêu chung (loại Tỷ lệ, Chỉ tiêu)", "0.##"),
    Column("Điểm mỗi lần", "per_event", False, 12, "Điểm cho mỗi lần (loại Số lần, Điểm trừ theo lần)", "0.##"),
    Column(
        "Tính vào", "part", False, 11, "Nội dung / Thưởng / Trừ; để trống = theo loại (Bậc thưởng, Điểm thưởng: Thưởng; Điểm trừ: Trừ)",
        choices=("Nội dung", "Thưởng", "Trừ"),
    ),
    Column("Ghi chú", "note", False, 30, ""),
]

# ---- banded bonus -----------------------------------------------------------
YES_NO = ("Có", "Không")
BAND_COLUMNS = [
    Column("Mã tiêu chí", "code", True, 12, "Tiêu chí loại Bậc thưởng"),
    Column("Từ", "low", True, 8, "Cận dưới", "0.##"),
    Column("Lấy cả cận dưới", "low_inclusive", True, 15, "Có: giá trị bằng cận dưới được tính", choices=YES_NO),
    Column("Đến", "high", True, 8, "Cận trên", "0.##"),
    Column("Lấy cả cận trên", "high_inclusive", True, 15, "Có: giá trị bằng cận trên được tính", choices=YES_NO),
    Column("Điểm", "points", True, 8, "Điểm của bậc", "0.##"),
]

CLASS_COLUMNS = [
    Column("Xếp loại", "name", True, 34, "Tên loại"),
    Column("Từ (% điểm tối đa)", "min_pct", True, 18, "Tổng điểm đạt từ tỷ lệ này trở lên", "0.##"),
]

# ---- stage sheets -------------------------------------------------------------
STAGE_KEY_COLUMNS = [
    Column("Mã đơn vị", "code", True, 12),
    Column("Tên đơn vị", "name", False, 36),
]


# ---- settings -------------------------------------------------------------------
@dataclass(frozen=True)
class SettingSpec:
    key: str  # Vietnamese label in column A
    attr: str  # attribute / dictionary key
    kind: str  # "text" | "int" | "number" | "date" | "choice" | "list" | "percent"
    default: object = None
    help: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # Vietnamese label -> value
    owner: str = "core"  # which part of xlpy interprets it


RANK_CHOICES = {"Đồng hạng (1, 1, 3)": "competition", "Liền hạng (1, 1, 2)": "dense"}
POLICY_CHOICES = {"Người chấm sau cùng": "last", "Cao nhất": "max", "Trung bình": "mean"}
PERIOD_CHOICES = {"Tổng kết năm": "Tổng kết năm", "Sơ kết 6 tháng": "Sơ kết 6 tháng"}

SETTING_SPECS: list[SettingSpec] = [
    SettingSpec("Tên khối", "block_name", "text", "", "Tên khối/cụm thi đua"),
    SettingSpec("Năm", "year", "int", None, "Năm đánh giá"),
    SettingSpec("Kỳ đánh giá", "period", "choice", "Tổng kết năm", "Tổng kết năm hoặc Sơ kết 6 tháng", PERIOD_CHOICES),
    SettingSpec("Ngày xét", "round_date", "date", None, "Ngày họp bình xét; quyết định bộ quy định khen thưởng áp dụng"),
    SettingSpec("Số chữ số thập phân", "decimals", "int", 2, "Làm tròn điểm (kiểu Excel) trước khi xếp hạng"),
    SettingSpec("Cách xếp hạng", "rank_method", "choice", "competition", "Đồng hạng: 1, 1, 3; Liền hạng: 1, 1, 2", RANK_CHOICES),
    SettingSpec("Cách lấy điểm cuối", "final_policy", "choice", "last", "Khi điểm tự chấm và điểm khối chấm khác nhau", POLICY_CHOICES),
    SettingSpec(
        "Thứ tự phá hòa",
        "tie_break",
        "list",
        (),
        "Mã tiêu chí, TY_LE_NU (ưu tiên nữ, NĐ 152/2025 Điều 4 khoản 6), PHIEU_BAU; cách nhau bằng dấu ;",
    ),
    SettingSpec("Trần điểm nội dung", "content_cap", "number", None, "Để trống nếu không giới hạn"),
    SettingSpec("Trần điểm thưởng", "bonus_cap", "number", None, "Để trống nếu không giới hạn"),
    SettingSpec("Điểm tối đa", "max_total", "number", None, "Thang điểm để xếp loại; để trống = tổng điểm tối đa các tiêu chí"),
    SettingSpec("Ngưỡng tỷ lệ nữ (%)", "women_threshold", "percent", 70.0, "Tập thể có tỷ lệ nữ từ ngưỡng này được ưu tiên khi bằng điểm"),
]


OWNER_ORDER = ("core", "rules", "reports", "mail", "excel")


def ordered_settings() -> list[SettingSpec]:
    """All settings keys, every feature package loaded, in a stable order: by owner, then as declared."""
    from .. import actions

    actions.all_actions()  # imports every plugin, so every package has registered its keys
    rank = {o: i for i, o in enumerate(OWNER_ORDER)}
    return sorted(SETTING_SPECS, key=lambda s: (rank.get(s.owner, len(rank)), s.owner))  # stable within owner


def register_settings(specs: list[SettingSpec]) -> None:
    """Let a feature package (rules, reports, mail) declare its own settings keys."""
    known = {s.key for s in SETTING_SPECS}
    for s in specs:
        if s.key not in known:
            SETTING_SPECS.append(s)
            known.add(s.key)


def register_output_sheet(name: str) -> None:
    if name not in OUTPUT_SHEETS:
        OUTPUT_SHEETS.append(name)


# Styling shared by the writers
INPUT_FILL = "FFF8E1"  # pale yellow: officers type here
OUTPUT_FILL = "E8F5E9"  # pale green: xlpy writes here
HEADER_FILL = "1F4E79"
HEADER_FONT = "FFFFFF"

PostWrite = Callable[[object], None]
