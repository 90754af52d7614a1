"""The award-rule sheets and settings (issue-3 checks): people, collectives, proposals,
award history, movements, and the settings that steer the checks.

Vocabulary cells (titles, grades, discipline, initiative levels) are read as text
here and parsed by :mod:`xlpy.rules.titles`, which also accepts the usual
abbreviations (LĐTT, HTXS…)."""

from __future__ import annotations

from fractions import Fraction

from ..rules import titles as T
from .base import Column as C
from .base import Setting, Table

PEOPLE = "Cá nhân"
COLLECTIVES = "Tập thể"
PROPOSALS = "Đề nghị khen thưởng"
HISTORY = "Lịch sử khen thưởng"
MOVEMENTS = "Phong trào"
# output sheets
COMPLIANCE = "Tuân thủ"
MONEY = "Tiền thưởng"

YES_NO = {"Có": True, "Không": False}
AWARDED, REFUSED = "Được khen", "Không được khen"
OUTCOMES = {AWARDED: True, REFUSED: False}  # what the competent authority finally decided on a proposal
SUBJECTS = {"Cá nhân": T.CN, "Tập thể": T.TT}
GRADE_NAMES = tuple(T.GRADES.values())
TITLE_NAMES = tuple(t.name for t in T.TITLES.values())
KIND_NAMES = ("Công trạng", "Chuyên đề", "Đột xuất")
HISTORY_KIND_NAMES = ("Công trạng", "Chuyên đề", "Đột xuất", "Xếp loại")
INITIATIVE_NAMES = tuple(T.INITIATIVE_LEVELS.values())


def _list(names) -> dict[str, str]:
    """A data-validation list for a new workbook; parsing is done by xlpy.rules.titles."""
    return {n: n for n in names}


PEOPLE_TABLE = Table(PEOPLE, (
    C("Mã cá nhân", "code", "code", True, 12, "Mã ngắn, không trùng (ví dụ số hiệu cán bộ)"),
    C("Họ và tên", "name", "text", True, 26, ""),
    C("Mã đơn vị", "unit", "code", True, 11, "Mã đơn vị ở trang Đơn vị"),
    C("Giới tính", "gender", "choice", False, 9, "Nam / Nữ (ưu tiên nữ khi bằng nhau, NĐ 152/2025 Điều 4 khoản 6)",
      choices={"Nam": False, "Nữ": True}, what="giới tính"),
    C("Xếp loại năm", "grade", "text", False, 30, "Kết quả đánh giá, xếp loại năm xét", choices=_list(GRADE_NAMES)),
    C("Điểm đánh giá", "score", "number", False, 10, "Điểm đánh giá cán bộ (nếu có)", "0.##", what="điểm đánh giá"),
    C("Sáng kiến (phạm vi công nhận)", "initiative", "text", False, 16,
      "Phạm vi ảnh hưởng cao nhất của sáng kiến, đề tài được công nhận", choices=_list(INITIATIVE_NAMES)),
    C("Số sáng kiến trong thời gian xét", "initiatives", "int", False, 14,
      "Số sáng kiến được công nhận trong thời gian xét (Bằng khen: 2 năm)", "0", minimum=0, what="số sáng kiến"),
    C("Hình thức kỷ luật", "discipline", "text", False, 15, "Để trống nếu không bị kỷ luật", choices=_list(T.DISCIPLINE)),
    C("Kỷ luật từ ngày", "disc_from", "date", False, 13, "Ngày bắt đầu thời hạn kỷ luật", "dd/mm/yyyy", what="ngày bắt đầu kỷ luật"),
    C("Kỷ luật đến ngày", "disc_to", "date", False, 13,
      "Ngày hết thời hạn kỷ luật; thành tích tính từ ngày hôm sau (NĐ 152/2025 Điều 4 khoản 4)", "dd/mm/yyyy",
      what="ngày hết kỷ luật"),
    C("Đang bị điều tra, thanh tra, xem xét", "under_review", "yesno", False, 14,
      "Có: đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm, đang xem xét khiếu nại, tố cáo", choices=YES_NO),
), feature="rules")

COLLECTIVE_TABLE = Table(COLLECTIVES, (
    C("Mã đơn vị", "code", "code", True, 11, "Mã đơn vị ở trang Đơn vị"),
    C("Xếp loại tập thể", "grade", "text", False, 30, "Kết quả đánh giá tập thể năm xét", choices=_list(GRADE_NAMES)),
    C("Số thành viên", "members", "int", False, 10, "Tổng số cán bộ, công chức, viên chức, người lao động", "0", minimum=0,
      what="số thành viên"),
    C("Số hoàn thành nhiệm vụ trở lên", "completed", "int", False, 13, "Số thành viên xếp loại từ Hoàn thành nhiệm vụ trở lên",
      "0", minimum=0, what="số hoàn thành nhiệm vụ"),
    C("Số LĐTT", "ldtt", "int", False, 9, "Số thành viên đạt Lao động tiên tiến", "0", minimum=0, what="số LĐTT"),
    C("Số CSTĐCS", "cstdcs", "int", False, 10, "Số thành viên đạt Chiến sĩ thi đua cơ sở", "0", minimum=0, what="số CSTĐCS"),
    C("Số bị kỷ luật từ cảnh cáo", "disciplined", "int", False, 12, "Số thành viên bị kỷ luật từ cảnh cáo trở lên trong năm",
      "0", minimum=0, what="số bị kỷ luật"),
    C("Số xếp loại HTXS", "htxs", "int", False, 10, "Số thành viên xếp loại Hoàn thành xuất sắc nhiệm vụ", "0", minimum=0,
      what="số HTXS"),
    C("Số xếp loại HTT", "htt", "int", False, 10, "Số thành viên xếp loại Hoàn thành tốt nhiệm vụ", "0", minimum=0,
      what="số HTT"),
    C("Đơn vị nổi bật (HTXS 25%)", "outstanding_unit", "yesno", False, 12,
      "Có: cấp có thẩm quyền cho áp dụng tỷ lệ HTXS 25%", choices=YES_NO),
    C("Đang bị thanh tra, kiểm tra", "under_review", "yesno", False, 12,
      "Có: đang bị thanh tra, kiểm tra có dấu hiệu vi phạm", choices=YES_NO),
), feature="rules")

PROPOSAL_TABLE = Table(PROPOSALS, (
    C("Đối tượng", "subject", "choice", True, 10, "Cá nhân hoặc Tập thể", choices=SUBJECTS, what="đối tượng"),
    C("Mã", "code", "code", True, 11, "Mã cá nhân (trang Cá nhân) hoặc mã đơn vị (trang Đơn vị)"),
    C("Danh hiệu, hình thức", "title", "text", True, 30, "Danh hiệu hoặc hình thức khen thưởng đề nghị", choices=_list(TITLE_NAMES)),
    C("Loại khen", "kind", "text", False, 12, "Công trạng (mặc định) / Chuyên đề / Đột xuất", choices=_list(KIND_NAMES)),
    C("Phong trào", "movement", "text", False, 22, "Tên phong trào (trang Phong trào) khi khen theo chuyên đề"),
    C("Mã thành tích", "achievement", "code", False, 12, "Để phát hiện một thành tích đề nghị hai lần (Luật 2022 Điều 5)"),
    C("Thành tích tiêu biểu", "outstanding", "yesno", False, 11,
      "Có: có thành tích xuất sắc, tiêu biểu, đột xuất (kèm báo cáo thành tích)", choices=YES_NO),
    C("Số phiếu đồng ý", "votes", "int", False, 10, "Số phiếu đồng ý của Hội đồng TĐKT", "0", minimum=0, what="số phiếu đồng ý"),
    C("Thứ tự Chủ tịch quyết định", "chair_order", "int", False, 12,
      "Khi vượt tỷ lệ và bằng phiếu: 1, 2, 3… do Chủ tịch Hội đồng quyết định", "0", minimum=0,
      what="thứ tự Chủ tịch quyết định"),
    C("Số quyết định", "decision", "code", False, 16, "Số quyết định khen thưởng (ghi cùng cột Quyết định)"),
    C("Ngày quyết định", "decision_date", "date", False, 13, "", "dd/mm/yyyy", what="ngày quyết định"),
    C("Quyết định", "outcome", "choice", False, 15,
      "Sau khi có quyết định: Được khen / Không được khen. Chỉ đề nghị Được khen chuyển sang Lịch sử khen thưởng "
      "của năm sau (Sang năm mới, Nhập lịch sử)", choices=OUTCOMES, what="quyết định"),
    C("Ghi chú", "note", "text", False, 24, ""),
), feature="rules")

HISTORY_TABLE = Table(HISTORY, (
    C("Năm", "year", "int", True, 7, "Năm của danh hiệu hoặc xếp loại", "0", minimum=1945, maximum=2100, what="năm"),
    C("Đối tượng", "subject", "choice", True, 10, "Cá nhân hoặc Tập thể", choices=SUBJECTS, what="đối tượng"),
    C("Mã", "code", "code", True, 11, "Mã cá nhân hoặc mã đơn vị"),
    C("Họ tên / tên đơn vị", "name", "text", False, 26, ""),
    C("Mã đơn vị", "unit", "code", False, 11, "Đơn vị của cá nhân (để trống với tập thể)"),
    C("Danh hiệu, hình thức hoặc xếp loại", "title", "text", True, 30,
      "Ví dụ: Chiến sĩ thi đua cơ sở; hoặc Hoàn thành xuất sắc nhiệm vụ"),
    C("Loại", "kind", "text", False, 11, "Công trạng / Chuyên đề / Đột xuất / Xếp loại", choices=_list(HISTORY_KIND_NAMES)),
    C("Số quyết định", "decision", "code", False, 18, ""),
    C("Ngày quyết định", "decision_date", "date", False, 13, "", "dd/mm/yyyy", what="ngày quyết định"),
    C("Mã thành tích", "achievement", "code", False, 12, ""),
), feature="rules")

MOVEMENT_TABLE = Table(MOVEMENTS, (
    C("Tên phong trào", "name", "text", True, 40, "Tên phong trào thi đua theo chuyên đề"),
    C("Số tập thể tham gia", "collectives", "int", False, 12,
      "Số tập thể trực tiếp tham gia (cơ sở tính tỷ lệ Bằng khen tập thể)", "0", minimum=0, what="số tập thể tham gia"),
    C("Số cá nhân tham gia", "individuals", "int", False, 12,
      "Số cá nhân trực tiếp tham gia (cơ sở tính tỷ lệ Bằng khen cá nhân)", "0", minimum=0, what="số cá nhân tham gia"),
), feature="rules")

TABLES = (PEOPLE_TABLE, COLLECTIVE_TABLE, PROPOSAL_TABLE, HISTORY_TABLE, MOVEMENT_TABLE)

# ---- settings ----------------------------------------------------------------------------
AUTO = "auto"
STREAK_STRICT = "year"  # the run of consecutive years must end in the round's year
STREAK_LENIENT = "year_or_previous"  # … or in the year before
ORDER_TOKENS = ("PHIEU_BAU", "XEP_HANG", "TY_LE_NU", "CHU_TICH")
SET_CHOICES = {"Tự động theo Ngày xét": AUTO, "NĐ 152/2025 (từ 01/7/2025)": "ND152-2025",
               "NĐ 98/2023 (01/01/2024 – 30/6/2025)": "ND98-2023"}
ROUND_CHOICES = {"Làm tròn xuống": "floor", "Làm tròn lên": "ceil", "Làm tròn 0,5 lên": "half_up"}
STREAK_CHOICES = {"Năm xét": STREAK_STRICT, "Năm xét hoặc năm trước": STREAK_LENIENT}
MONEY_ROUND_CHOICES = {"Lên 1.000 đ": 1000, "Không làm tròn": 0}

R = "rules"
SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Bộ quy định khen thưởng", "rule_set", "choice", AUTO,
            "Tự động: chọn theo Ngày xét (trước 01/7/2025: NĐ 98/2023; từ 01/7/2025: NĐ 152/2025). Chọn NĐ 98/2023 cho hồ sơ "
            "nhận trước 01/7/2025 (NĐ 152/2025 Điều 60 khoản 3).", SET_CHOICES, R, aliases=("ND152-2025", "ND98-2023")),
    Setting("Làm tròn số tối đa", "cap_rounding", "choice", "floor",
            "Cách làm tròn tỷ lệ 'không quá' (chưa có quy định chung; mặc định làm tròn xuống).", ROUND_CHOICES, R),
    Setting("Làm tròn số tối thiểu", "min_rounding", "choice", "ceil",
            "Cách làm tròn tỷ lệ 'ít nhất' và số phiếu cần có (mặc định làm tròn lên).", ROUND_CHOICES, R),
    Setting("Số thành viên Hội đồng", "council_members", "int", None,
            "Tổng số thành viên Hội đồng TĐKT (kể cả vắng mặt). Để trống: chưa kiểm tra số phiếu.", feature=R, minimum=1),
    Setting("Tỷ lệ phiếu CSTĐ cấp tỉnh (%)", "vote_pct_high", "percent", Fraction(90),
            "Phiếu đồng ý tối thiểu trên tổng số thành viên (NĐ 98/2023 Điều 30 khoản 7: 90%; NĐ 152/2025 chưa xác minh).", feature=R),
    Setting("Tỷ lệ phiếu CSTĐCS, Cờ thi đua (%)", "vote_pct_low", "percent", Fraction(80),
            "Phiếu đồng ý tối thiểu trên tổng số thành viên (NĐ 98/2023 Điều 30 khoản 7: 80%; NĐ 152/2025 chưa xác minh).", feature=R),
    Setting("Số Cờ thi đua tối đa mỗi khối", "co_tinh_per_block", "int", 1,
            "Mặc định 1 Cờ thi đua cấp tỉnh cho đơn vị dẫn đầu mỗi khối (thực tiễn).", feature=R, minimum=0),
    Setting("Số Bằng khen tập thể tối đa mỗi khối", "bk_block_count", "int", None,
            "Theo quy chế cụm, khối của tỉnh; để trống nếu không giới hạn.", feature=R, minimum=0),
    Setting("Tỷ lệ Bằng khen tập thể mỗi khối (%)", "bk_block_pct", "percent", None,
            "Tỷ lệ trên số đơn vị của khối; để trống nếu không giới hạn.", feature=R),
    Setting("Tỷ lệ Bằng khen tập thể theo phong trào (%)", "bk_movement_tt_pct", "percent", Fraction(10),
            "Không quá tỷ lệ này trên số tập thể trực tiếp tham gia phong trào (Cần Thơ QĐ 10/2024: 10%).", feature=R),
    Setting("Tỷ lệ Bằng khen cá nhân theo phong trào (%)", "bk_movement_cn_pct", "percent", Fraction(5),
            "Không quá tỷ lệ này trên số cá nhân trực tiếp tham gia phong trào (Cần Thơ QĐ 10/2024: 5%).", feature=R),
    Setting("Tỷ lệ HTXS tối đa so với HTT (%)", "htxs_pct", "percent", Fraction(20),
            "Số xếp loại HTXS không quá tỷ lệ này của số xếp loại HTT (Quy định 366-QĐ/TW Điều 11).", feature=R),
    Setting("Tỷ lệ HTXS tối đa của đơn vị nổi bật (%)", "htxs_pct_outstanding", "percent", Fraction(25),
            "Áp dụng cho đơn vị có thành tích nổi bật (cột ở trang Tập thể).", feature=R),
    Setting("Tỷ lệ LĐTT tối thiểu của TTLĐTT (%)", "ttldtt_min_ldtt_pct", "percent", Fraction(70),
            "Luật 2022 Điều 28 theo Bắc Ninh QĐ 86/2025: 70% (chưa đối chiếu văn bản gốc).", feature=R),
    Setting("TTLĐXS: không có cá nhân bị kỷ luật từ cảnh cáo", "ttldxs_discipline_clause", "yesno", False,
            "Điều kiện của luật cũ; Luật 2022 đã bỏ. Chọn Có nếu bộ, tỉnh vẫn giữ.", YES_NO, R),
    Setting("Áp dụng tỷ lệ NĐ 91/2017", "legacy_nd91", "yesno", False,
            "Có: áp dụng thêm CSTĐCS ≤ 15% số LĐTT của đơn vị và Cờ Chính phủ ≤ 20% số tập thể đạt Cờ tỉnh.", YES_NO, R),
    Setting("Chuỗi năm liên tục kết thúc ở", "streak_end", "choice", STREAK_STRICT,
            "Các năm liên tục (CSTĐCS, HTXS) phải kết thúc ở năm xét, hoặc cho phép kết thúc ở năm trước.", STREAK_CHOICES, R),
    Setting("Thứ tự xét khi vượt tỷ lệ", "order", "list", ORDER_TOKENS,
            "PHIEU_BAU (phiếu cao hơn); XEP_HANG (hạng trong khối); TY_LE_NU (ưu tiên nữ, NĐ 152/2025 Điều 4 khoản 6); "
            "CHU_TICH (cột Thứ tự Chủ tịch quyết định).", feature=R, commas=True),
    Setting("Mức lương cơ sở (đ)", "base_salary", "int", 2_340_000,
            "Tiền thưởng = hệ số × lương cơ sở (NĐ 73/2024: 2.340.000 đ từ 01/7/2024).", feature=R, minimum=0),
    Setting("Làm tròn tiền thưởng", "money_rounding", "choice", 1000,
            "Thực tiễn làm tròn lên 1.000 đ (chưa xác minh).", MONEY_ROUND_CHOICES, R),
    Setting("Hệ số tiền thưởng Bằng khen cá nhân", "bk_cn_multiple", "number", None,
            "Chưa có trong bộ quy định; nhập hệ số theo quy định hiện hành để tính tiền.", feature=R, minimum=0),
    Setting("Hệ số tiền thưởng Bằng khen tập thể", "bk_tt_multiple", "number", None, "Như trên.", feature=R, minimum=0),
    Setting("Hệ số tiền thưởng Giấy khen cá nhân", "gk_cn_multiple", "number", None, "Như trên.", feature=R, minimum=0),
    Setting("Hệ số tiền thưởng Giấy khen tập thể", "gk_tt_multiple", "number", None, "Như trên.", feature=R, minimum=0),
)
