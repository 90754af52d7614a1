"""What xlpy can do, declared once: each feature's actions, settings, input and output sheets.

This module is data.  It imports no implementation: the CLI builds its
commands, the ribbon its buttons and the docs their reference from these
declarations, and an action's function (named by ``"module:function"``) is
imported only when the action runs.  Nothing is registered by importing a
module, so the registry is the same whatever was imported before.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .schema import core as SC
from .schema import mail as SM
from .schema import province as SP
from .schema import reports as SR
from .schema import rules as SU
from .schema import year as SY
from .schema.base import Setting, Table

REQUIRED = object()

PARAM_KINDS = ("book", "file", "files", "folder", "choice", "flag", "int", "float", "text")


class Param(NamedTuple):
    """One parameter of an action, typed: the CLI, the ribbon and the docs read this."""

    name: str
    kind: str  # one of PARAM_KINDS
    help: str = ""
    default: Any = REQUIRED
    choices: tuple[str, ...] = ()
    ask: bool = False  # the ribbon asks for it (a file or folder dialog)
    ribbon: Any = REQUIRED  # the value a ribbon click passes (REQUIRED: the default)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


BOOK = Param("book", "book", "Sổ tính (.xlsx) của khối thi đua")


class ActionSpec(NamedTuple):
    name: str  # CLI command ("history import" → group "history", command "import") and ribbon tag
    func: str  # "module:function"
    label: str  # Vietnamese button label
    help: str  # Vietnamese one-line help: CLI help and ribbon screentip
    params: tuple[Param, ...] = ()
    group: str = "Dữ liệu"  # ribbon group
    icon: str = "MacroPlay"  # imageMso
    ribbon: bool = True
    order: int = 100
    supertip: str = ""
    # "module:function" (Result -> (question, options) | None), asked by the ribbon after a run; an action that
    # also has a ``yes`` flag is asked on the terminal too (the CLI prints the plan, asks, or refuses without a terminal)
    confirm: str | None = None
    writes: bool = True  # writes to the book (the ribbon says whether the book changed)

    @property
    def uses_book(self) -> bool:
        return bool(self.params) and self.params[0].kind == "book"

    @property
    def tag(self) -> str:
        return self.name.replace(" ", "_")


class Feature(NamedTuple):
    name: str
    label: str
    actions: tuple[ActionSpec, ...] = ()
    settings: tuple[Setting, ...] = ()
    inputs: tuple[str, ...] = ()  # sheets officers fill
    outputs: tuple[str, ...] = ()  # sheets xlpy rebuilds
    tables: tuple[Table, ...] = ()
    workbook: str = "block"  # whose workbook holds its sheets and settings: a block's, or the province's


CORE = Feature(
    "core", "Chấm điểm, xếp hạng",
    actions=(
        ActionSpec("demo", "xlpy.book.actions:demo_action", "Chạy thử",
                   "Chạy thử trên khối mẫu: tạo thư mục mới, tính điểm, kiểm tra khen thưởng, lập báo cáo.",
                   (Param("out", "folder", "Thư mục kết quả (mặc định: thư mục mới xlpy-demo)", None),
                    Param("sample", "choice", "Khối mẫu", "so-nganh-100", ("so-nganh-100", "thang-1000", "ty-le-bac-thuong"))),
                   ribbon=False, order=5),
        ActionSpec("new", "xlpy.book.actions:new_action", "Sổ mới", "Tạo sổ tính mới theo mẫu chuẩn (không chứa macro).",
                   (Param("path", "file", "Đường dẫn sổ tính mới (.xlsx)", ask=True),
                    Param("block_name", "text", "Tên khối/cụm thi đua", ""),
                    Param("year", "int", "Năm đánh giá", None),
                    Param("force", "flag", "Ghi đè nếu tệp đã có", False)),
                   group="Dữ liệu", icon="FileNew", order=10),
        ActionSpec("prepare", "xlpy.book.actions:prepare_action", "Tạo bảng chấm",
                   "Tạo các cột tiêu chí và dòng đơn vị còn thiếu ở các trang chấm điểm (không sửa ô đã nhập).",
                   (BOOK,), group="Dữ liệu", icon="TableInsert", order=15),
        ActionSpec("validate", "xlpy.book.actions:validate_action", "Kiểm tra dữ liệu",
                   "Kiểm tra sổ tính: liệt kê mọi lỗi nhập liệu kèm trang, ô và cách sửa.",
                   (BOOK,), group="Chấm điểm", icon="ErrorChecking", order=20, writes=False),
        ActionSpec("compute", "xlpy.book.actions:compute_action", "Tính điểm",
                   "Tính điểm, xếp hạng, xếp loại; ghi trang Kết quả, Chênh lệch, Kiểm tra.",
                   (BOOK,), group="Chấm điểm", icon="CalculateNow", order=30),
        ActionSpec("rank", "xlpy.book.actions:rank_action", "Xếp hạng",
                   "Lập bảng xếp hạng (Nhất, Nhì, Ba; đồng hạng) kèm giải thích phá hòa ở trang Xếp hạng.",
                   (BOOK,), group="Chấm điểm", icon="SortUp", order=40),
    ),
    settings=SC.SETTINGS_SPECS,
    inputs=(SC.GUIDE, SC.SETTINGS, SC.UNITS, SC.CRITERIA, SC.BANDS, SC.CLASSES, SC.SELF, SC.BLOCK, SC.OFFICE, SC.TARGETS),
    outputs=(SC.RESULTS, SC.RANKING, SC.DIFFS, SC.CHECKS),
    tables=(SC.UNIT_TABLE, SC.CRITERIA_TABLE, SC.BAND_TABLE, SC.CLASS_TABLE),
)

RULES = Feature(
    "rules", "Kiểm tra khen thưởng",
    actions=(
        ActionSpec("check", "xlpy.rules.actions:check_book", "Kiểm tra khen thưởng",
                   "Kiểm tra tiêu chuẩn danh hiệu, tỷ lệ khen thưởng, số phiếu Hội đồng; ghi trang Tuân thủ và Tiền thưởng.",
                   (BOOK, Param("write", "flag", "Ghi kết quả vào trang Tuân thủ và Tiền thưởng", True)),
                   group="Khen thưởng", icon="ReviewAcceptChange", order=60,
                   supertip="Mỗi đề nghị và mỗi tỷ lệ có một dòng: kết luận (đạt / không đạt / vượt tỷ lệ / chờ quyết định), mã quy "
                   "định, số liệu, căn cứ pháp lý và cách khắc phục. Bộ quy định chọn theo Ngày xét (NĐ 98/2023 trước 01/7/2025, "
                   "NĐ 152/2025 từ 01/7/2025)."),
        ActionSpec("history import", "xlpy.rules.actions:history_import", "Nhập lịch sử khen thưởng",
                   "Chép danh hiệu đã có quyết định và kết quả xếp loại từ sổ tính các năm trước vào trang Lịch sử khen thưởng.",
                   (BOOK, Param("sources", "files", "Sổ tính của các năm trước (một hoặc nhiều tệp .xlsx)"),
                    Param("dry_run", "flag", "Chỉ liệt kê, không ghi vào sổ tính", False)),
                   group="Khen thưởng", icon="FileOpen", ribbon=False, order=61),
    ),
    settings=SU.SETTINGS_SPECS,
    inputs=(SU.PEOPLE, SU.COLLECTIVES, SU.PROPOSALS, SU.HISTORY, SU.MOVEMENTS),
    outputs=(SU.COMPLIANCE, SU.MONEY),
    tables=SU.TABLES,
)

REPORTS = Feature(
    "reports", "Báo cáo",
    actions=(
        ActionSpec("report", "xlpy.reports.actions:report_action", "Lập báo cáo",
                   "Lập báo cáo của Khối, danh sách đề nghị khen thưởng, phụ lục thống kê và thông báo cho từng đơn vị (Word, HTML, PDF).",
                   (BOOK,
                    Param("format", "text", "docx|html|pdf|all (có thể ghép: docx,pdf)", "all"),
                    Param("out", "folder", "Thư mục lưu báo cáo (mặc định: <tên sổ>-bao-cao cạnh sổ tính)", None),
                    Param("templates", "folder", "Thư mục mẫu riêng (mặc định: mẫu của xlpy)", None)),
                   group="Báo cáo", icon="FileSaveAsWordDocx", order=70, writes=False,
                   supertip="Điền kết quả chấm điểm vào các mẫu theo thể thức Nghị định 30/2020/NĐ-CP. PDF cần LibreOffice; "
                   "thiếu LibreOffice thì vẫn có tệp Word và HTML."),
        ActionSpec("templates check", "xlpy.reports.actions:templates_check_action", "Kiểm tra mẫu báo cáo",
                   "Liệt kê các biến mà mẫu (.docx hoặc .html.j2) dùng nhưng xlpy không cung cấp, và thẻ Jinja sai.",
                   (Param("template", "file", "Tệp mẫu .docx hoặc .html.j2"),
                    Param("level", "choice", "Mẫu báo cáo của khối (khoi) hay báo cáo tổng hợp cấp tỉnh (tinh); auto: mẫu khớp hơn",
                          "auto", ("auto", "khoi", "tinh"))),
                   group="Báo cáo", icon="ReviewDisplayForReview", ribbon=False, order=71, writes=False),
    ),
    settings=SR.SETTINGS_SPECS,
)

MAIL = Feature(
    "mail", "Gửi thư",
    actions=(
        ActionSpec("send", "xlpy.mail.actions:send", "Gửi thư",
                   "Gửi thông báo kết quả cho từng đơn vị và báo cáo tổng hợp cho Ban TĐKT (mặc định chạy thử: chỉ ghi tệp .eml)",
                   (BOOK,
                    Param("dry_run", "flag", "Chạy thử: chỉ ghi thư thành tệp .eml, không gửi gì (mặc định)", True),
                    Param("outbox", "folder", "Thư mục ghi tệp .eml khi chạy thử (mặc định: <tên sổ>-hop-thu-di)", None),
                    Param("attach", "folder", "Thư mục chứa tệp đính kèm (mặc định: lập báo cáo từ sổ tính)", None),
                    Param("only", "text", "Chỉ gửi cho các mã đơn vị này (cách nhau bằng dấu phẩy; 'ban-tdkt' = Ban TĐKT)", None),
                    Param("partial", "flag", "Vẫn gửi cho các người nhận hợp lệ khi có người nhận bị lỗi địa chỉ", False),
                    Param("retry_delay", "float", "Số giây chờ trước lần thử lại đầu tiên khi máy chủ tạm lỗi (nhân đôi mỗi lần)", 2.0),
                    Param("attempts", "int", "Số lần thử tối đa cho mỗi thư khi máy chủ tạm lỗi", 4),
                    Param("resend_unknown", "flag", "Gửi lại cả những thư 'Chưa rõ' (máy chủ đã nhận nội dung nhưng chưa trả lời) – "
                          "chỉ dùng khi đã hỏi người nhận và chắc chắn họ chưa nhận được", False)),
                   group="Báo cáo", icon="FileSendAsAttachment", order=80, confirm="xlpy.mail.actions:_confirm_send",
                   supertip="Lập thư cho từng đơn vị (Email, CC ở trang Đơn vị) và cho Ban TĐKT (Cài đặt), kèm báo cáo. Lần đầu chỉ "
                   "chạy thử: thư được ghi thành tệp .eml và trang 'Gửi thư' liệt kê ai nhận gì. Gửi thật sẽ bỏ qua những địa chỉ "
                   "đã nhận cùng nội dung, nên bấm lại không gửi trùng."),
    ),
    settings=SM.SETTINGS_SPECS,
    outputs=(SM.SEND_STATUS,),
)

YEAR = Feature(
    "year", "Năm thi đua: đăng ký, sang năm mới",
    actions=(
        ActionSpec("new-year", "xlpy.year.newyear:new_year_action", "Sang năm mới",
                   "Tạo sổ tính năm sau: giữ đơn vị, tiêu chí, cài đặt; thêm khen thưởng đã quyết định và xếp loại năm nay vào "
                   "lịch sử; luân phiên Khối trưởng, Khối phó; để trống điểm và đề nghị. Sổ hiện tại không thay đổi.",
                   (BOOK,
                    Param("out", "file", "Sổ tính năm sau (.xlsx); mặc định: cạnh sổ năm nay, tên có năm sau (khoi-2025.xlsx → "
                          "khoi-2026.xlsx)", None, ask=True),
                    Param("yes", "flag", "Không hỏi lại: tạo sổ ngay sau khi in kế hoạch", False, ribbon=False)),
                   group="Dữ liệu", icon="RecurrenceEdit", order=12, writes=False, confirm="xlpy.year.newyear:confirm",
                   supertip="Đọc sổ năm nay (không sửa), in kế hoạch: ai làm Khối trưởng, Khối phó năm sau (theo “Luân phiên Khối "
                   "trưởng” ở trang Cài đặt), bao nhiêu dòng lịch sử được chép (chỉ đề nghị ghi “Được khen” ở cột Quyết định), "
                   "những gì để trống; hỏi lại rồi mới tạo sổ mới."),
    ),
    settings=SY.SETTINGS_SPECS,
    inputs=(SY.REGISTRATION,),
    tables=SY.TABLES,
)

EXCEL = Feature(
    "excel", "Excel và cài đặt",
    actions=(
        ActionSpec("build-addin", "xlpy.excel.actions:build_addin", "Dựng add-in",
                   "Dựng lại workbook/xlpy.xlam (ruy-băng, mã VBA, hàm TDKT_*) và sổ tính trống từ mẫu xlwings đã ghim",
                   (Param("out", "file", "Tệp add-in cần ghi (mặc định: workbook/xlpy.xlam)", None),
                    Param("interpreter", "text", "Đường dẫn pythonw.exe ghi vào trang cấu hình; “auto” = Python đang chạy lệnh này", None)),
                   group="Trợ giúp", icon="MacroSecurity", ribbon=False, order=900, writes=False),
        ActionSpec("doctor", "xlpy.doctor:doctor", "Kiểm tra cài đặt",
                   "Kiểm tra cài đặt xlpy trên máy này: Python, xlwings và DLL, add-in, Office, Trust Center, đường dẫn, "
                   "mẫu báo cáo, LibreOffice; mỗi mục có mã và cách sửa",
                   (Param("workbook", "file", "Sổ tính cần kiểm tra đường dẫn (OneDrive, chữ có dấu)", None),
                    Param("page", "flag", "Mở kết quả thành một trang HTML", False, ribbon=True)),
                   group="Trợ giúp", icon="ErrorChecking", order=940, writes=False,
                   supertip="Khi bấm nút không có tác dụng hoặc Excel báo lỗi về Python, xlwings, DLL: kiểm tra từng điều kiện "
                   "để xlpy chạy được trong Excel trên máy này và chỉ cách sửa."),
        ActionSpec("guide", "xlpy.excel.actions:guide", "Hướng dẫn sử dụng", "Mở hướng dẫn sử dụng xlpy", (),
                   group="Trợ giúp", icon="Help", order=950, writes=False,
                   supertip="Mở tài liệu hướng dẫn: cách nhập số liệu, chấm điểm, xếp hạng, kiểm tra tiêu chuẩn, làm báo cáo và gửi thư."),
    ),
)

PROVINCE_BOOK = Param("book", "book", "Sổ tính cấp tỉnh (.xlsx) có trang “Cài đặt tỉnh”")
REPORT_CHOICES = ("none", "docx", "pdf", "all")

PROVINCE = Feature(
    "province", "Cấp tỉnh",
    actions=(
        ActionSpec("province", "xlpy.province.actions:province_action", "Tổng hợp cấp tỉnh từ thư mục",
                   "Tổng hợp sổ tính của các khối (một thư mục hoặc các tệp) vào sổ tính cấp tỉnh: kết quả, đề nghị, kiểm tra "
                   "cấp tỉnh, lỗi từng tệp, biểu 0603.N.",
                   (Param("sources", "files", "Thư mục chứa sổ tính các khối, hoặc các tệp .xlsx của khối"),
                    Param("out", "file", "Sổ tính cấp tỉnh (.xlsx): tạo mới nếu chưa có; nếu đã có chỉ thay các trang kết quả "
                          "(mặc định: <thư mục>-tong-hop-tinh.xlsx cạnh thư mục)", None),
                    Param("jobs", "int", "Số tiến trình đọc sổ tính song song (mặc định: theo số lõi của máy khi có nhiều tệp; 1 = tuần tự)", None),
                    Param("report", "choice", "Lập báo cáo tổng hợp (Word, PDF) vào thư mục <sổ tỉnh>-bao-cao", "none", REPORT_CHOICES)),
                   group="Cấp tỉnh", icon="ReviewCompareAndMerge", ribbon=False, order=85,
                   supertip="Mỗi sổ tính được đọc và kiểm tra như “Kiểm tra dữ liệu”; tệp hỏng hoặc có lỗi được liệt kê ở trang "
                   "“Lỗi các khối” (tệp, trang, ô) và không làm dừng các khối khác."),
        ActionSpec("consolidate", "xlpy.province.actions:consolidate_action", "Tổng hợp cấp tỉnh",
                   "Tổng hợp sổ tính của các khối trong thư mục ghi ở trang Cài đặt tỉnh vào sổ tính cấp tỉnh đang mở; lập báo cáo tổng hợp.",
                   (PROVINCE_BOOK,
                    Param("jobs", "int", "Số tiến trình đọc sổ tính song song (mặc định: theo số lõi của máy)", None),
                    Param("report", "choice", "Lập báo cáo tổng hợp (Word, PDF) vào thư mục <sổ tỉnh>-bao-cao", "all", REPORT_CHOICES)),
                   group="Cấp tỉnh", icon="ReviewCompareAndMerge", order=86,
                   supertip="Dùng trên sổ tính cấp tỉnh (có trang Cài đặt tỉnh, Danh sách khối): đọc mọi sổ tính khối trong "
                   "“Thư mục sổ tính các khối”, kiểm tra Cờ thi đua từng khối, tỷ lệ toàn tỉnh, Cờ Chính phủ, đơn vị trùng, khối "
                   "thiếu hoặc nộp muộn; chỉ thay các trang kết quả."),
    ),
    settings=SP.SETTINGS_SPECS,
    inputs=SP.INPUTS,
    outputs=SP.OUTPUTS,
    tables=(SP.EXPECTED_TABLE,),
    workbook="province",
)

FEATURES: tuple[Feature, ...] = (CORE, RULES, REPORTS, MAIL, YEAR, EXCEL, PROVINCE)


def actions() -> list[ActionSpec]:
    """Every action, in ribbon/CLI order."""
    return sorted((a for f in FEATURES for a in f.actions), key=lambda a: (a.order, a.name))


def output_sheets() -> tuple[str, ...]:
    """The output sheets of a block's workbook."""
    return tuple(s for f in FEATURES if f.workbook == "block" for s in f.outputs) + (SC.ERRORS,)


def input_sheets() -> tuple[str, ...]:
    """The input sheets of a block's workbook."""
    return tuple(s for f in FEATURES if f.workbook == "block" for s in f.inputs)


def all_sheet_names() -> list[str]:
    """The sheets xlpy reads (matched by name, look-alikes reported)."""
    return list(input_sheets())


def settings(workbook: str = "block") -> tuple[Setting, ...]:
    """The settings keys of a block's workbook (“Cài đặt”), or of the province's (“Cài đặt tỉnh”)."""
    if workbook not in _SETTINGS:  # one tuple per kind of workbook: readers cache what they derive from it
        _SETTINGS[workbook] = tuple(s for f in FEATURES if f.workbook == workbook for s in f.settings)
    return _SETTINGS[workbook]


_SETTINGS: dict[str, tuple[Setting, ...]] = {}


_BY_ATTR: dict[str, Setting] = {}


def setting(attr: str) -> Setting:
    """The declared setting whose attribute is ``attr`` (a block's, else the province's); its
    ``key`` is the text officers see in the settings sheet (code names a setting by its
    attribute, never by that text)."""
    if not _BY_ATTR:
        for f in sorted(FEATURES, key=lambda f: f.workbook != "block"):
            for s in f.settings:
                _BY_ATTR.setdefault(s.attr, s)
    return _BY_ATTR[attr]


def keyed(values: dict[str, Any]) -> dict[str, Any]:
    """Settings given by attribute, keyed by the text officers see (as a settings sheet holds them)."""
    return {setting(attr).key: v for attr, v in values.items()}
