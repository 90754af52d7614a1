"""Every problem xlpy can report, in one catalogue: a stable code and its Vietnamese meaning.

A :class:`~xlpy.core.problems.Problem` carries one of these codes (never a free
string: :meth:`Problems.add` refuses an unknown one), the sheet and cell, what
was found and expected, and a message written for that cell.  The template here
says what the code means in general; it is the message when a call gives none,
and the catalogue is published in the reference (docs/reference.md) so that
tools reading ``--json`` know every code they can meet.
"""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    def __new__(cls, value: str, template: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.template = template  # type: ignore[attr-defined]
        return obj

    # ---- the file itself ---------------------------------------------------------------
    MISSING_FILE = ("missing_file", "Không tìm thấy tệp; kiểm tra đường dẫn và tên tệp.")
    NOT_A_FILE = ("not_a_file", "Đường dẫn là một thư mục, không phải sổ tính.")
    NO_ACCESS = ("no_access", "Không đọc được tệp (quyền truy cập hoặc tệp đang bị khóa).")
    EMPTY_FILE = ("empty_file", "Tệp rỗng (0 byte); dùng bản sao lưu hoặc xin gửi lại.")
    EMPTY_ZIP = ("empty_zip", "Tệp nén rỗng, không chứa sổ tính.")
    CORRUPT_ZIP = ("corrupt_zip", "Tệp bị hỏng (cấu trúc nén không đọc được, có thể bị cắt cụt).")
    CORRUPT_PART = ("corrupt_part", "Tệp bị hỏng: một phần của sổ tính không giải nén được.")
    CORRUPT_WORKBOOK = ("corrupt_workbook", "Tệp bị hỏng, không đọc được nội dung sổ tính.")
    CORRUPT_SHEET = ("corrupt_sheet", "Một trang của sổ tính bị hỏng, không đọc được.")
    NOT_A_WORKBOOK = ("not_a_workbook", "Tệp không phải sổ tính Excel (.xlsx).")
    NOT_OOXML = ("not_ooxml", "Tệp nén không phải sổ tính Excel.")
    NO_WORKBOOK_PART = ("no_workbook_part", "Tệp nén không chứa phần sổ tính (workbook).")
    XLS_FILE = ("xls_file", "Sổ tính Excel 97–2003 (.xls): lưu lại dưới dạng .xlsx.")
    ODS_FILE = ("ods_file", "Bảng tính OpenDocument (.ods): lưu lại dưới dạng .xlsx.")
    ODF_FILE = ("odf_file", "Tài liệu OpenDocument, không phải sổ tính .xlsx.")
    OLE_FILE = ("ole_file", "Tệp Office kiểu cũ (OLE), không phải sổ tính .xlsx.")
    WORD_FILE = ("word_file", "Văn bản Word đổi tên thành sổ tính.")
    POWERPOINT_FILE = ("powerpoint_file", "Bài trình chiếu PowerPoint đổi tên thành sổ tính.")
    PDF_FILE = ("pdf_file", "Tệp PDF, không phải sổ tính Excel.")
    XML_OR_HTML = ("xml_or_html", "Tệp XML/HTML (Excel 2003 XML hoặc trang web), không phải .xlsx.")
    ENCRYPTED = ("encrypted", "Sổ tính đặt mật khẩu (mã hóa): bỏ mật khẩu rồi lưu lại.")
    BAD_COMPRESSION = ("bad_compression", "Một phần của tệp dùng kiểu nén Excel không dùng.")
    TOO_MANY_PARTS = ("too_many_parts", "Tệp có quá nhiều phần cho một sổ tính.")
    FILE_TOO_LARGE = ("file_too_large", "Tệp lớn bất thường cho một sổ tính thi đua.")
    ZIP_BOMB = ("zip_bomb", "Một phần của tệp khi giải nén lớn bất thường (có thể là tệp độc hại); xlpy không mở.")
    XML_DOCTYPE = ("xml_doctype", "Tệp khai báo DOCTYPE/ENTITY (dấu hiệu tệp độc hại); xlpy không mở.")
    UNSUPPORTED_PACKAGE = ("unsupported_package", "Sổ tính lưu ở dạng xlpy đọc được nhưng không ghi vào được.")
    # ---- writing the file --------------------------------------------------------------
    BOOK_OPEN_ELSEWHERE = ("book_open_elsewhere", "Sổ tính đang mở trong Excel/LibreOffice: lưu, đóng rồi chạy lại.")
    BOOK_READ_ONLY = ("book_read_only", "Sổ tính chỉ được đọc; bỏ thuộc tính Read-only hoặc chép sang thư mục khác.")
    BOOK_CHANGED_MEANWHILE = ("book_changed_meanwhile", "Sổ tính được lưu bởi chương trình khác trong lúc xlpy làm việc; không ghi gì.")
    BOOK_BUSY = ("book_busy", "Một thao tác xlpy khác đang chạy trên sổ tính này.")
    # ---- sheets, columns, cells -------------------------------------------------------------
    MISSING_SHEET = ("missing_sheet", "Sổ tính thiếu một trang cần có.")
    DUPLICATE_SHEET = ("duplicate_sheet", "Hai trang cùng tên (không phân biệt hoa thường, dạng Unicode).")
    SHEET_LOOKALIKE = ("sheet_lookalike", "Tên trang gần giống tên xlpy cần nhưng không đúng; xlpy không đoán.")
    MISSING_COLUMN = ("missing_column", "Trang thiếu một cột cần có.")
    DUPLICATE_COLUMN = ("duplicate_column", "Một cột xuất hiện hai lần.")
    HEADER_LOOKALIKE = ("header_lookalike", "Tiêu đề cột gần giống tiêu đề xlpy cần nhưng không đúng; xlpy không đoán.")
    MERGED_CELL = ("merged_cell", "Ô gộp (Merge) trong bảng: bỏ gộp và nhập giá trị cho từng ô.")
    UNICODE_NFD = ("unicode_nfd", "Văn bản gõ ở dạng Unicode tổ hợp; đã chuẩn hóa để so khớp.")
    EXCEL_ERROR = ("excel_error", "Ô đang chứa lỗi Excel (#DIV/0!, #N/A…).")
    MISSING_VALUE = ("missing_value", "Ô cần có giá trị.")
    NOT_A_NUMBER = ("not_a_number", "Ô chứa chữ thay vì số.")
    NOT_POSITIVE = ("not_positive", "Giá trị phải lớn hơn 0.")
    NEGATIVE = ("negative", "Giá trị không được âm.")
    BELOW_MIN = ("below_min", "Giá trị nhỏ hơn mức tối thiểu.")
    ABOVE_MAX = ("above_max", "Giá trị vượt mức tối đa.")
    NOT_INTEGER = ("not_integer", "Giá trị phải là số nguyên.")
    BAD_DATE = ("bad_date", "Không đọc được ngày; nhập dạng ngày/tháng/năm.")
    BAD_CHOICE = ("bad_choice", "Giá trị không có trong danh sách lựa chọn.")
    NOT_YES_NO = ("not_yes_no", "Nhập Có hoặc Không.")
    PERCENT_FRACTION = ("percent_fraction", "Tỷ lệ rất thấp: có thể đã nhập phân số thay vì phần trăm.")
    # ---- settings ----------------------------------------------------------------------
    DUPLICATE_SETTING = ("duplicate_setting", "Một khóa cài đặt xuất hiện hai lần.")
    SETTING_LOOKALIKE = ("setting_lookalike", "Khóa cài đặt gần giống khóa xlpy biết nhưng không đúng; xlpy không đoán.")
    UNKNOWN_SETTING = ("unknown_setting", "Khóa cài đặt xlpy không biết, được bỏ qua.")
    PASSWORD_IN_BOOK = ("password_in_book", "Mật khẩu không được ghi trong sổ tính.")
    CONTRADICTORY_SETTING = ("contradictory_setting", "Hai thiết lập mâu thuẫn nhau.")
    BAD_TIE_BREAK = ("bad_tie_break", "Khóa phá hòa không phải mã tiêu chí, TY_LE_NU hay PHIEU_BAU.")
    BAD_ORDER_TOKEN = ("bad_order_token", "Khóa thứ tự xét khi vượt tỷ lệ không hợp lệ.")
    MAX_INCLUDES_BONUS = ("max_includes_bonus", "Điểm tối đa để trống: xếp loại tính trên điểm tối đa gồm cả điểm thưởng.")
    NO_MAXIMUM = ("no_maximum", "Không có thang điểm để xếp loại (Điểm tối đa để trống, không có tiêu chí cộng điểm).")
    # ---- units and criteria -----------------------------------------------------------
    NO_UNITS = ("no_units", "Chưa có đơn vị nào.")
    NO_CRITERIA = ("no_criteria", "Chưa có tiêu chí nào.")
    MISSING_CODE = ("missing_code", "Dòng chưa có mã.")
    MISSING_NAME = ("missing_name", "Dòng chưa có tên.")
    DUPLICATE_UNIT = ("duplicate_unit", "Mã đơn vị bị trùng.")
    DUPLICATE_CRITERION = ("duplicate_criterion", "Mã tiêu chí bị trùng.")
    DUPLICATE_CODE = ("duplicate_code", "Mã bị trùng.")
    BAD_KIND = ("bad_kind", "Tiêu chí chưa có loại hợp lệ.")
    MISSING_MAX = ("missing_max", "Tiêu chí chưa có điểm tối đa.")
    MISSING_PER_EVENT = ("missing_per_event", "Tiêu chí loại Số lần cần “Điểm mỗi lần”.")
    CONTRADICTORY_PART = ("contradictory_part", "“Tính vào” mâu thuẫn với loại tiêu chí.")
    UNKNOWN_GROUP = ("unknown_group", "Tiêu chí thuộc một nhóm chưa khai báo.")
    BAND_UNKNOWN_CRITERION = ("band_unknown_criterion", "Bậc điểm của một tiêu chí không phải loại Bậc thưởng.")
    BAND_MISSING = ("band_missing", "Tiêu chí loại Bậc thưởng chưa có bậc nào.")
    BAND_OVERLAP = ("band_overlap", "Hai bậc điểm chồng lên nhau.")
    EMPTY_BAND = ("empty_band", "Bậc điểm không chứa giá trị nào.")
    DUPLICATE_THRESHOLD = ("duplicate_threshold", "Hai mức xếp loại cùng ngưỡng.")
    MISSING_TARGET = ("missing_target", "Tiêu chí tính theo chỉ tiêu chưa có chỉ tiêu.")
    TARGET_NOT_APPLICABLE = ("target_not_applicable", "Tiêu chí không tính theo chỉ tiêu có cột ở trang chỉ tiêu.")
    # ---- score sheets ------------------------------------------------------------------
    UNKNOWN_CRITERION = ("unknown_criterion", "Cột không phải mã tiêu chí nào.")
    UNKNOWN_UNIT = ("unknown_unit", "Mã đơn vị không có ở trang Đơn vị.")
    MISSING_UNIT_ROW = ("missing_unit_row", "Trang chấm điểm chưa có dòng cho một đơn vị.")
    NO_SCORES = ("no_scores", "Các trang chấm điểm chưa có điểm nào.")
    EMPTY_SCORE_SHEET = ("empty_score_sheet", "Một trang chấm điểm chưa có điểm nào; không được dùng.")
    UNSCORED_ITEMS = ("unscored_items", "Có mục chưa được chấm ở lần nào, tính 0 điểm.")
    STAGE_FALLBACK = ("stage_fallback", "Lần chấm sau để trống; dùng điểm của lần chấm trước cho các mục đó.")
    # ---- award rules --------------------------------------------------------------------
    MISSING_YEAR = ("missing_year", "Chưa có Năm hoặc Ngày xét.")
    MISSING_ROUND_DATE = ("missing_round_date", "Chưa có Ngày xét: dùng ngày cuối năm.")
    NO_RULE_SET = ("no_rule_set", "Không có bộ quy định khen thưởng cho Ngày xét này.")
    UNKNOWN_PERSON = ("unknown_person", "Mã cá nhân chưa có ở trang Cá nhân.")
    UNKNOWN_MOVEMENT = ("unknown_movement", "Phong trào chưa khai ở trang Phong trào.")
    UNKNOWN_TITLE = ("unknown_title", "Danh hiệu, hình thức hoặc xếp loại không có trong danh mục.")
    UNKNOWN_GRADE = ("unknown_grade", "Xếp loại không có trong danh mục.")
    UNKNOWN_INITIATIVE = ("unknown_initiative", "Phạm vi sáng kiến không có trong danh mục.")
    UNKNOWN_DISCIPLINE = ("unknown_discipline", "Hình thức kỷ luật không có trong danh mục.")
    UNKNOWN_KIND = ("unknown_kind", "Loại khen không có trong danh mục.")
    MISSING_TITLE = ("missing_title", "Đề nghị chưa ghi danh hiệu, hình thức.")
    TITLE_SUBJECT = ("title_subject", "Danh hiệu không dành cho đối tượng này.")
    COUNT_ABOVE_TOTAL = ("count_above_total", "Số đếm lớn hơn tổng số.")
    DUPLICATE_MOVEMENT = ("duplicate_movement", "Phong trào khai hai lần.")
    BAD_PERIOD = ("bad_period", "Ngày kết thúc trước ngày bắt đầu.")
    MISSING_DISCIPLINE_FORM = ("missing_discipline_form", "Có ngày kỷ luật nhưng chưa ghi hình thức kỷ luật.")
    BAD_YEAR = ("bad_year", "Năm không hợp lệ.")
    NO_MONEY_MULTIPLE = ("no_money_multiple", "Khen thưởng đạt nhưng chưa có hệ số tiền thưởng: tổng tiền chưa gồm khoản này.")
    # ---- the block's year: registration, decisions, the next year's workbook ------------
    NOT_REGISTERED = ("not_registered", "Đề nghị danh hiệu mà tập thể, cá nhân chưa đăng ký thi đua đầu năm.")
    REGISTRATION_EMPTY = ("registration_empty", "Trang Đăng ký thi đua chưa có dòng nào.")
    REGISTRATION_DEDUCTION_FILLED = ("registration_deduction_filled",
                                     "Điểm trừ “không đăng ký thi đua” để trống được xlpy lấy từ trang Đăng ký thi đua.")
    REGISTRATION_DEDUCTION_CRITERION = ("registration_deduction_criterion",
                                        "Tiêu chí trừ điểm không đăng ký thi đua không có hoặc không phải loại Điểm trừ.")
    UNDECIDED_PROPOSAL = ("undecided_proposal",
                          "Đề nghị chưa ghi Quyết định (Được khen / Không được khen): không chuyển sang lịch sử.")
    NO_OUTCOME_COLUMN = ("no_outcome_column",
                         "Trang Đề nghị khen thưởng chưa có cột Quyết định: đề nghị có Số quyết định được coi là được khen.")
    ROTATION_ROLE = ("rotation_role", "Vai trò Khối trưởng, Khối phó năm nay thiếu hoặc trùng: chưa luân phiên được.")
    ROTATION_ORDER = ("rotation_order", "Thứ tự luân phiên chưa khai, thiếu hoặc sai mã đơn vị.")
    ROTATION_ELECTED = ("rotation_elected", "Chưa ghi Khối trưởng, Khối phó năm sau (được bầu) hoặc mã không phải đơn vị của khối.")
    SETTING_IGNORED = ("setting_ignored", "Thiết lập không dùng với lựa chọn hiện tại nên được bỏ qua.")
    DROPPED_COLUMN = ("dropped_column", "Cột không thuộc mẫu của xlpy không được chép sang sổ năm mới.")
    NEW_BOOK_PROBLEM = ("new_book_problem", "Sổ năm mới vừa tạo có lỗi khi đọc lại (lỗi của xlpy: báo người quản trị).")
    # ---- reports --------------------------------------------------------------------------
    REPORT_SETTING_MISSING = ("report_setting_missing", "Văn bản có chỗ trống vì một mục cài đặt chưa ghi.")
    REPORT_AWARDS_UNCHECKED = ("report_awards_unchecked", "Phần đề nghị khen thưởng chưa có kết quả kiểm tra.")
    REPORT_AWARDS_PENDING = ("report_awards_pending", "Có đề nghị chờ Hội đồng quyết định.")
    UNKNOWN_VARIABLE = ("unknown_variable", "Mẫu dùng biến xlpy không cung cấp.")
    PDF_UNAVAILABLE = ("pdf_unavailable", "Chưa cài LibreOffice nên chưa tạo được PDF.")
    PDF_FAILED = ("pdf_failed", "LibreOffice không tạo được PDF.")
    # ---- the province (xlpy province) ----------------------------------------------------
    PROVINCE_NO_BLOCKS = ("province_no_blocks", "Không tìm thấy sổ tính khối nào để tổng hợp.")
    PROVINCE_NO_FOLDER = ("province_no_folder", "Không tìm thấy thư mục sổ tính các khối.")
    PROVINCE_NOT_PROVINCE_BOOK = ("province_not_province_book", "Tệp kết quả đã có nhưng không phải sổ tính cấp tỉnh; xlpy không ghi đè.")
    PROVINCE_BOOK_SKIPPED = ("province_book_skipped", "Trong thư mục có sổ tính cấp tỉnh; không tổng hợp như một khối.")
    BLOCK_UNEXPECTED = ("block_unexpected", "Lỗi không lường trước khi đọc sổ tính của một khối; các khối khác vẫn được tổng hợp.")
    BLOCK_HAS_ERRORS = ("block_has_errors", "Sổ tính của khối có lỗi nên chưa được tổng hợp.")
    BLOCK_MISSING = ("block_missing", "Khối trong Danh sách khối chưa nộp sổ tính.")
    BLOCK_LATE = ("block_late", "Khối nộp sổ tính sau hạn.")
    BLOCK_NOT_EXPECTED = ("block_not_expected", "Sổ tính của một khối không có trong Danh sách khối.")
    BLOCK_TWICE = ("block_twice", "Hai sổ tính của cùng một khối.")
    UNIT_IN_TWO_BLOCKS = ("unit_in_two_blocks", "Một đơn vị (cùng mã hoặc cùng tên) có ở hai khối.")
    # ---- mail ---------------------------------------------------------------------------
    MAIL_NO_UNITS = ("mail_no_units", "Chưa có danh sách đơn vị để gửi thư.")
    MAIL_NO_EMAIL_COLUMN = ("mail_no_email_column", "Trang Đơn vị chưa có cột Email.")
    MAIL_BAD_ADDRESS = ("mail_bad_address", "Địa chỉ thư sai.")
    MAIL_MISSING_ADDRESS = ("mail_missing_address", "Chưa có địa chỉ thư.")
    MAIL_NO_SENDER = ("mail_no_sender", "Chưa có Email người gửi.")
    MAIL_BAD_SENDER = ("mail_bad_sender", "Email người gửi sai.")
    MAIL_HEADER_TEXT = ("mail_header_text", "Văn bản có xuống dòng hoặc ký tự ẩn; trong thư đã bỏ đi.")
    MAIL_ONLY_NONE = ("mail_only_none", "Không có người nhận nào khớp với --only.")
    MAIL_ATTACH_DIR = ("mail_attach_dir", "Không tìm thấy thư mục tệp đính kèm.")
    MAIL_ATTACH_SKIPPED = ("mail_attach_skipped", "Bỏ qua tệp không phải văn bản khi đính kèm.")
    MAIL_REPORT_FAILED = ("mail_report_failed", "Không lập được báo cáo để đính kèm.")
    MAIL_TEMPLATE_DIR = ("mail_template_dir", "Thư mục mẫu riêng không dùng được.")
    MAIL_TEMPLATE_DIR_NEW = ("mail_template_dir_new", "Lần đầu dùng mẫu thư riêng ở một thư mục.")
    REPORT_TEMPLATE_DIR = ("report_template_dir", "Thư mục mẫu báo cáo riêng không dùng được.")
    REPORT_TEMPLATE_DIR_NEW = ("report_template_dir_new", "Lần đầu dùng mẫu báo cáo riêng ở một thư mục.")
    MAIL_SUBJECT_REFUSED = ("mail_subject_refused", "Mẫu tiêu đề thư dùng điều không được phép.")
    MAIL_SUBJECT_TEMPLATE = ("mail_subject_template", "Mẫu tiêu đề thư sai.")
    MAIL_COMPOSE = ("mail_compose", "Không soạn được thư.")
    MAIL_STATUS_SHEET = ("mail_status_sheet", "Không ghi được trang Gửi thư.")
    MAIL_NO_HOST = ("mail_no_host", "Chưa có Máy chủ SMTP.")
    MAIL_OUTLOOK = ("mail_outlook", "Không dùng được Outlook trên máy này.")
    MAIL_REFUSED = ("mail_refused", "Máy chủ thư từ chối một địa chỉ.")
    MAIL_DEFERRED = ("mail_deferred", "Máy chủ thư tạm hoãn; sẽ gửi lại lần sau.")
    MAIL_UNKNOWN = ("mail_unknown", "Chưa rõ đã gửi được chưa: máy chủ chưa trả lời; không tự gửi lại.")
    MAIL_UNEXPECTED = ("mail_unexpected", "Dừng gửi vì lỗi không lường trước.")
    MAIL_TLS_CAFILE = ("mail_tls_cafile", "Không đọc được tệp chứng chỉ SMTP.")
    MAIL_TLS = ("mail_tls", "Lỗi TLS khi kết nối máy chủ thư.")
    MAIL_NO_STARTTLS = ("mail_no_starttls", "Máy chủ thư không hỗ trợ STARTTLS.")
    MAIL_NO_PASSWORD = ("mail_no_password", "Chưa có mật khẩu SMTP (keyring hoặc XLPY_SMTP_PASSWORD).")
    MAIL_AUTH_WITHOUT_TLS = ("mail_auth_without_tls", "Không gửi mật khẩu qua kết nối không mã hóa.")
    MAIL_AUTH_REFUSED = ("mail_auth_refused", "Máy chủ thư từ chối đăng nhập.")
    MAIL_AUTH_UNSUPPORTED = ("mail_auth_unsupported", "Máy chủ thư không cho đăng nhập theo cách này.")
    MAIL_UNREACHABLE = ("mail_unreachable", "Không kết nối được máy chủ thư.")
    # ---- the Excel door and the installation ------------------------------------------------
    BUILD_WARNING = ("build_warning", "Cảnh báo khi dựng add-in.")
    DOCTOR_CHECK = ("doctor_check", "Một mục kiểm tra cài đặt chưa đạt; xem mã mục và cách sửa.")

    @classmethod
    def of(cls, code: "str | Code") -> "Code":
        """The catalogue entry of ``code``; an unknown code is a programming error."""
        try:
            return cls(code)
        except ValueError:
            raise ValueError(f"problem code {code!r} is not in xlpy.core.codes.Code") from None


def catalogue() -> list[tuple[str, str]]:
    """(code, Vietnamese meaning) of every problem, for the reference."""
    return [(c.value, c.template) for c in Code]
