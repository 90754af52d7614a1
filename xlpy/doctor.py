"""``xlpy doctor``: is xlpy installed so that Excel can use it, on this PC?

One screen in Vietnamese, one line per check, each with a stable code, a status
(``pass`` / ``warn`` / ``fail`` / ``skip``) and the fix.  The codes are the keys of
the troubleshooting table in docs/cai-dat-windows.md.

Design: a *probe* gathers :class:`Facts` (the Windows probe reads the registry and
the file system; elsewhere only what applies), and every check is a pure function
``Facts -> Check``, so each one is tested with constructed facts (tests/test_doctor.py).
Checks that need Windows facts say so and are skipped elsewhere.

The failures seen in the field, and the check that catches each:

* “Could not activate Python COM server”: Office from the Microsoft Store
  (``STORE-OFFICE``), Python from the Microsoft Store (``PYTHON``), pywin32 broken
  (``PYWIN32``), the interpreter missing or not reachable (``INTERPRETER``, ``PATH-ASCII``).
* the DLL and the add-in of different xlwings versions after an update (``XLWINGS``,
  ``DLL``, ``ADDIN-VERSION``).
* the Trust Center blocking a downloaded add-in (``MOTW``, ``TRUST``).
* workbooks on OneDrive/SharePoint and paths with Vietnamese letters (``ONEDRIVE``,
  ``PATH-ASCII``).

Python and Office may differ in bitness: xlwings runs Python out of process and ships
both DLLs; Excel loads the one of *its* bitness (xlwings' maintainer, xlwings#1941).
"""

from __future__ import annotations

import os
import re
import struct
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, Callable, Iterable

from .actions import Result

PASS, WARN, FAIL, SKIP = "pass", "warn", "fail", "skip"
STATUS_VI = {PASS: "Đạt", WARN: "Cần xem", FAIL: "Lỗi", SKIP: "Bỏ qua"}
SUPPORTED_PYTHONS = ((3, 11), (3, 12))
ONLY_WINDOWS = "Chỉ kiểm tra được trên Windows có cài Excel."
REINSTALL = "Đóng Excel rồi chạy lại cai-dat.cmd trong thư mục bộ cài xlpy (cài lại đè lên bản cũ, không mất dữ liệu)."
STORE_OFFICE_PACKAGE = "Microsoft.Office.Desktop_8wekyb3d8bbwe"


@dataclass
class Check:
    code: str
    title: str  # what is checked (Vietnamese)
    status: str  # pass / warn / fail / skip
    detail: str  # what was found
    fix: str = ""  # how to fix it (warn, fail) or why it was skipped

    @property
    def status_vi(self) -> str:
        return STATUS_VI[self.status]


@dataclass
class AddinFacts:
    path: str
    xlpy: str | None  # stamp; None for an add-in built before stamps
    xlwings: str | None
    config: dict[str, Any] = field(default_factory=dict)
    zone_id: int | None = None  # Mark of the Web: ZoneId of the Zone.Identifier stream (3 = Internet)
    how: str = ""  # "XLSTART" | "OPEN" | "package"


@dataclass
class Facts:
    """Everything the checks look at; the probes fill it, tests construct it."""

    os: str = "linux"  # windows / linux / darwin
    python_version: tuple[int, int, int] = (3, 11, 0)
    python_bits: int = 64
    python_exe: str = ""
    python_store: bool = False  # Python from the Microsoft Store (WindowsApps)
    xlpy_version: str | None = None
    xlwings_version: str | None = None
    pinned_xlwings: str = ""
    pywin32_error: str | None = None  # None: imports fine (or not Windows)
    env: dict[str, str] = field(default_factory=dict)  # for %VAR% in the add-in's settings
    packaged_addin: AddinFacts | None = None
    installed_addins: list[AddinFacts] = field(default_factory=list)
    open_values: list[str] = field(default_factory=list)  # OPEN* values of Excel's Options naming xlpy.xlam
    interpreter_exists: bool | None = None  # the add-in's Interpreter_Win, expanded, is a file
    dll_dirs: list[str] = field(default_factory=list)
    dll_files: list[str] = field(default_factory=list)  # xlwings*.dll found in dll_dirs
    office_bits: int | None = None
    office_store: bool | None = None  # None: Excel not found
    excel_path: str | None = None
    trusted_locations: list[tuple[str, bool]] = field(default_factory=list)  # (folder, subfolders too)
    trusted_locations_disabled: bool = False
    vba_warnings: int | None = None  # 1 all, 2 notify (default), 3 signed only, 4 none
    access_vbom: int | None = None
    workbook: str | None = None
    user_profile: str | None = None
    onedrive_roots: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)  # packaged files not found
    found_files: int = 0
    soffice: str | None = None

    @property
    def windows(self) -> bool:
        return self.os == "windows"

    def addin(self) -> AddinFacts | None:
        """The add-in Excel loads: the installed copy on Windows, the packaged one elsewhere."""
        if self.installed_addins:
            return self.installed_addins[0]
        return None if self.windows else self.packaged_addin

    def interpreter(self) -> str | None:
        a = self.addin()
        if a is None:
            return None
        value = a.config.get("Interpreter_Win")
        return expand_env(str(value), self.env) if value else None


# ---------------------------------------------------------------------------
# pure helpers


def expand_env(value: str, env: dict[str, str]) -> str:
    """``%VAR%`` expanded as Windows (and xlwings' VBA) does: unknown names stay as they are.

    >>> expand_env(r"%LOCALAPPDATA%\\xlpy\\venv", {"LOCALAPPDATA": r"C:\\Users\\An\\AppData\\Local"})
    'C:\\\\Users\\\\An\\\\AppData\\\\Local\\\\xlpy\\\\venv'
    """
    lowered = {k.upper(): v for k, v in env.items()}
    return re.sub(r"%([^%]+)%", lambda m: lowered.get(m.group(1).upper(), m.group(0)), value)


def pe_bits(header: bytes) -> int | None:
    """32 or 64 from the first bytes of a Windows program (PE header), else None."""
    if len(header) < 0x40 or header[:2] != b"MZ":
        return None
    (pe,) = struct.unpack_from("<I", header, 0x3C)
    if len(header) < pe + 6 or header[pe : pe + 4] != b"PE\0\0":
        return None
    (machine,) = struct.unpack_from("<H", header, pe + 4)
    return {0x8664: 64, 0xAA64: 64, 0x14C: 32}.get(machine)


def zone_id(text: str) -> int | None:
    """ZoneId of a ``Zone.Identifier`` stream (3 = Internet, 4 = untrusted)."""
    m = re.search(r"^\s*ZoneId\s*=\s*(\d+)", text, re.M)
    return int(m.group(1)) if m else None


def _winpath(p: str) -> str:
    return str(PureWindowsPath(p)).rstrip("\\").casefold()


def within(path: str, folder: str, subfolders: bool = True) -> bool:
    """Is ``path`` (a file) inside ``folder`` (Windows rules: case-insensitive, \\ or /)."""
    f, d = _winpath(path), _winpath(folder)
    parent = f.rsplit("\\", 1)[0] if "\\" in f else ""
    return parent == d or (subfolders and parent.startswith(d + "\\"))


def is_ascii(text: str) -> bool:
    return text.isascii()


def dll_name(bits: int, xlwings_version: str) -> str:
    return f"xlwings{bits}-{xlwings_version}.dll"


# ---------------------------------------------------------------------------
# the checks (pure)


def check_python(f: Facts) -> Check:
    v = ".".join(map(str, f.python_version))
    title = "Phiên bản Python"
    if f.python_store:
        return Check(
            "PYTHON", title, FAIL, f"Python {v} cài từ Microsoft Store ({f.python_exe})",
            "Python của Microsoft Store không chạy được máy chủ COM của xlwings (lỗi “Could not activate Python COM "
            "server”). Cài Python 3.12 64-bit từ https://www.python.org/downloads/windows/ rồi chạy lại cai-dat.cmd.",
        )
    if f.python_version[:2] < SUPPORTED_PYTHONS[0]:
        return Check("PYTHON", title, FAIL, f"Python {v}", "xlpy cần Python 3.11 hoặc 3.12. " + REINSTALL)
    if f.python_version[:2] not in SUPPORTED_PYTHONS:
        return Check(
            "PYTHON", title, WARN, f"Python {v}",
            "Bộ cài xlpy được thử với Python 3.11 và 3.12; bản này chưa được thử. Nên dùng Python 3.12.",
        )
    return Check("PYTHON", title, PASS, f"Python {v} ({f.python_exe})")


def check_bitness(f: Facts) -> Check:
    title = "Python 64-bit và Office"
    office = f"Office {f.office_bits}-bit" if f.office_bits else "Office: chưa xác định"
    if f.python_bits != 64:
        return Check(
            "BITNESS", title, FAIL, f"Python {f.python_bits}-bit; {office}",
            "Bộ cài xlpy chỉ có thư viện cho Python 64-bit. Gỡ Python 32-bit, cài Python 3.12 64-bit "
            "(python.org, mục “Windows installer (64-bit)”), rồi chạy lại cai-dat.cmd.",
        )
    if not f.windows:
        return Check("BITNESS", title, PASS, "Python 64-bit (Office: chỉ kiểm tra trên Windows)")
    if f.office_bits is None:
        return Check("BITNESS", title, WARN, f"Python 64-bit; {office}",
                     "Không đọc được bản Office (32 hay 64-bit); mục DLL kiểm tra với Office 64-bit.")
    note = "" if f.office_bits == 64 else " (khác nhau vẫn chạy: Python chạy ngoài Excel; Excel dùng DLL 32-bit)"
    return Check("BITNESS", title, PASS, f"Python 64-bit; {office}{note}")


def check_xlwings(f: Facts) -> Check:
    title = "Phiên bản xlwings"
    if not f.xlwings_version:
        return Check("XLWINGS", title, FAIL, "chưa cài xlwings", REINSTALL)
    a = f.addin()
    want = (a.xlwings if a and a.xlwings else None) or f.pinned_xlwings
    if f.xlwings_version != want:
        return Check(
            "XLWINGS", title, FAIL, f"xlwings {f.xlwings_version} đang cài, add-in cần xlwings {want}",
            "Add-in, xlpy và xlwings phải cùng một bản phát hành. " + REINSTALL,
        )
    return Check("XLWINGS", title, PASS, f"xlwings {f.xlwings_version} (đúng bản add-in cần)")


def check_dll(f: Facts) -> Check:
    title = "Tệp DLL của xlwings"
    if not f.windows:
        return Check("DLL", title, SKIP, "", ONLY_WINDOWS)
    a = f.addin()
    version = (a.xlwings if a and a.xlwings else None) or f.pinned_xlwings
    want = dll_name(f.office_bits or 64, version)
    names = [PureWindowsPath(p).name for p in f.dll_files]
    where = " hoặc ".join(f.dll_dirs) or "(không rõ: add-in chưa có trình thông dịch)"
    if want.casefold() in (n.casefold() for n in names):
        return Check("DLL", title, PASS, f"{want} có trong {where}")
    others = [n for n in names if n.casefold().startswith(f"xlwings{f.office_bits or 64}-")]
    if others:
        return Check(
            "DLL", title, FAIL, f"có {', '.join(sorted(others))} nhưng add-in cần {want}",
            "DLL và add-in lệch phiên bản (thường gặp sau khi cập nhật một phần). " + REINSTALL,
        )
    return Check("DLL", title, FAIL, f"không thấy {want} trong {where}",
                 "Excel sẽ báo “Could not load xlwings…dll”. " + REINSTALL)


def check_addin(f: Facts) -> Check:
    title = "Add-in đã đăng ký với Excel"
    if not f.windows:
        return Check("ADDIN", title, SKIP, "", ONLY_WINDOWS)
    if not f.installed_addins:
        return Check("ADDIN", title, FAIL, "không thấy xlpy.xlam trong thư mục XLSTART của Excel",
                     "Thẻ “Thi đua – Khen thưởng” sẽ không hiện. " + REINSTALL)
    places = "; ".join(f"{a.how}: {a.path}" for a in f.installed_addins)
    if len(f.installed_addins) > 1:
        return Check(
            "ADDIN", title, WARN, f"xlpy.xlam được mở từ {len(f.installed_addins)} nơi ({places})",
            "Excel mở hai tệp cùng tên sẽ báo lỗi. Vào File → Options → Add-ins → Manage: Excel Add-ins → Go…, "
            "bỏ chọn Xlpy (bản trong AddIns); giữ bản trong XLSTART. Hoặc chạy lại cai-dat.cmd (tự gỡ bản thừa).",
        )
    return Check("ADDIN", title, PASS, places)


def check_addin_version(f: Facts) -> Check:
    title = "Add-in cùng phiên bản với xlpy"
    a = f.addin()
    if a is None:
        return Check("ADDIN-VERSION", title, SKIP, "", "Chưa có add-in (xem mục ADDIN).")
    if a.xlpy is None:
        return Check("ADDIN-VERSION", title, FAIL, f"add-in cũ, không ghi phiên bản ({a.path})", REINSTALL)
    if a.xlpy != f.xlpy_version or (f.xlwings_version and a.xlwings != f.xlwings_version):
        return Check(
            "ADDIN-VERSION", title, FAIL,
            f"add-in dựng cho xlpy {a.xlpy}, xlwings {a.xlwings}; máy đang cài xlpy {f.xlpy_version}, xlwings {f.xlwings_version}",
            "Nút bấm có thể gọi thao tác không có hoặc DLL lệch phiên bản. " + REINSTALL,
        )
    return Check("ADDIN-VERSION", title, PASS, f"xlpy {a.xlpy}, xlwings {a.xlwings} ({a.how})")


def check_interpreter(f: Facts) -> Check:
    title = "Trình thông dịch Python của add-in"
    if not f.windows:
        return Check("INTERPRETER", title, SKIP, "", ONLY_WINDOWS)
    a = f.addin()
    if a is None:
        return Check("INTERPRETER", title, SKIP, "", "Chưa có add-in (xem mục ADDIN).")
    raw = str(a.config.get("Interpreter_Win") or "")
    path = f.interpreter()
    if not path:
        return Check("INTERPRETER", title, FAIL, "trang xlpy.conf của add-in không có Interpreter_Win", REINSTALL)
    if "%" in path:
        return Check("INTERPRETER", title, FAIL, f"{raw}: biến môi trường không có trên máy này", REINSTALL)
    if not f.interpreter_exists:
        return Check(
            "INTERPRETER", title, FAIL, f"không có {path}",
            "Excel sẽ báo “Could not find Interpreter” hoặc “Could not activate Python COM server”. " + REINSTALL,
        )
    here = _winpath(f.python_exe).rsplit("\\", 1)[0] if f.python_exe else None
    if here is not None and _winpath(path).rsplit("\\", 1)[0] != here:
        return Check(
            "INTERPRETER", title, WARN, f"add-in dùng {path}; lệnh này chạy bằng {f.python_exe}",
            "Kết quả các mục khác là của Python đang chạy lệnh, không phải của Python mà Excel dùng. "
            "Chạy lại bằng lối tắt “xlpy – Kiểm tra cài đặt” hoặc nút Kiểm tra cài đặt trong Excel.",
        )
    return Check("INTERPRETER", title, PASS, path)


def check_path_ascii(f: Facts) -> Check:
    title = "Đường dẫn có chữ có dấu"
    notes = []
    if f.user_profile and not is_ascii(f.user_profile):
        notes.append(f"thư mục người dùng {f.user_profile}")
    if f.workbook and not is_ascii(f.workbook):
        notes.append(f"sổ tính {f.workbook}")
    interp = f.interpreter() if f.windows else None
    if interp and not is_ascii(interp):
        return Check(
            "PATH-ASCII", title, FAIL, f"Python của add-in nằm ở {interp}",
            "Mã VBA của xlwings nạp DLL bằng hàm ANSI: đường dẫn tới Python không được có chữ có dấu. "
            "Chạy lại cai-dat.cmd: bộ cài tự chọn thư mục không dấu khi tên người dùng có dấu.",
        )
    if notes:
        return Check("PATH-ASCII", title, PASS,
                     "có dấu: " + "; ".join(notes) + " — xlpy xử lý được; Python của add-in nằm ở đường dẫn không dấu")
    return Check("PATH-ASCII", title, PASS, "không có đường dẫn nào cần lưu ý")


def check_trust(f: Facts) -> Check:
    title = "Excel cho phép chạy add-in (Trust Center)"
    if not f.windows:
        return Check("TRUST", title, SKIP, "", ONLY_WINDOWS)
    a = f.addin()
    if a is None:
        return Check("TRUST", title, SKIP, "", "Chưa có add-in (xem mục ADDIN).")
    if not f.trusted_locations_disabled:
        for folder, sub in f.trusted_locations:
            if within(a.path, expand_env(folder, f.env), sub):
                return Check("TRUST", title, PASS, f"add-in nằm trong vị trí tin cậy {folder}")
    how = "chính sách của đơn vị tắt mọi vị trí tin cậy" if f.trusted_locations_disabled else "add-in không nằm trong vị trí tin cậy"
    if f.vba_warnings == 4:
        return Check(
            "TRUST", title, FAIL, f"{how}; macro bị tắt hoàn toàn (không hỏi)",
            "Nhờ quản trị mạng thêm thư mục %APPDATA%\\Microsoft\\Excel\\XLSTART vào Trusted Locations "
            "(File → Options → Trust Center → Trust Center Settings… → Trusted Locations).",
        )
    return Check(
        "TRUST", title, WARN, f"{how}; Excel có thể hỏi trước khi bật macro",
        "Thêm %APPDATA%\\Microsoft\\Excel\\XLSTART vào Trusted Locations (File → Options → Trust Center → "
        "Trust Center Settings… → Trusted Locations → Add new location…).",
    )


def check_motw(f: Facts) -> Check:
    title = "Dấu “tải từ Internet” (Mark of the Web) trên add-in"
    if not f.windows:
        return Check("MOTW", title, SKIP, "", ONLY_WINDOWS)
    marked = [a for a in f.installed_addins if (a.zone_id or 0) >= 3]
    if marked:
        p = marked[0].path
        return Check(
            "MOTW", title, FAIL, f"{p} mang dấu tải từ Internet (ZoneId={marked[0].zone_id}); Office chặn macro",
            f"Mở PowerShell, chạy: Unblock-File \"{p}\" — hoặc chuột phải vào tệp → Properties → đánh dấu Unblock → OK. "
            "Rồi mở lại Excel.",
        )
    if not f.installed_addins:
        return Check("MOTW", title, SKIP, "", "Chưa có add-in (xem mục ADDIN).")
    return Check("MOTW", title, PASS, "không có dấu chặn")


def check_store_office(f: Facts) -> Check:
    title = "Office không phải bản Microsoft Store"
    if not f.windows:
        return Check("STORE-OFFICE", title, SKIP, "", ONLY_WINDOWS)
    if f.office_store:
        return Check(
            "STORE-OFFICE", title, FAIL, f"Excel cài từ Microsoft Store ({f.excel_path or STORE_OFFICE_PACKAGE})",
            "Bản Office của Microsoft Store không gọi được Python (lỗi “Could not activate Python COM server”). "
            "Gỡ bản Store, cài Office bản thường (Click-to-Run) từ office.com hoặc nhờ quản trị mạng.",
        )
    if f.office_store is None:
        return Check("STORE-OFFICE", title, WARN, "không tìm thấy Excel trên máy",
                     "Cài Microsoft Excel 2016 trở lên (bản cài trên máy, không phải Excel trên web).")
    return Check("STORE-OFFICE", title, PASS, f.excel_path or "Excel bản Click-to-Run/MSI")


def check_vbom(f: Facts) -> Check:
    title = "“Trust access to the VBA project object model”"
    if not f.windows:
        return Check("VBOM", title, SKIP, "", ONLY_WINDOWS)
    if f.access_vbom == 1:
        return Check(
            "VBOM", title, WARN, "đang bật, xlpy không cần",
            "xlpy đã có sẵn mã các hàm TDKT_* nên không cần quyền này. Nên tắt để an toàn: File → Options → "
            "Trust Center → Trust Center Settings… → Macro Settings → bỏ chọn mục này.",
        )
    return Check("VBOM", title, PASS, "đang tắt (xlpy không cần)")


def check_onedrive(f: Facts) -> Check:
    title = "Sổ tính không nằm trên OneDrive/SharePoint"
    if not f.workbook:
        return Check("ONEDRIVE", title, SKIP, "", "Chưa chỉ sổ tính (xlpy doctor --workbook <tệp>).")
    wb = f.workbook
    if "://" in wb:
        return Check(
            "ONEDRIVE", title, WARN, f"sổ tính mở từ web: {wb}",
            "Lưu một bản vào ổ máy (File → Save a Copy → This PC, ví dụ thư mục Documents) rồi mở bản đó để bấm nút.",
        )
    for root in f.onedrive_roots:
        if root and within(wb, root):
            return Check(
                "ONEDRIVE", title, WARN, f"{wb} nằm trong thư mục đồng bộ {root}",
                "OneDrive có thể khóa hoặc tạo bản trùng khi xlpy ghi sổ. Tắt AutoSave khi bấm nút, hoặc làm việc "
                "trên bản sao ngoài thư mục OneDrive rồi chép lại.",
            )
    return Check("ONEDRIVE", title, PASS, wb)


def check_templates(f: Facts) -> Check:
    title = "Mẫu báo cáo, add-in, sổ trống, hướng dẫn đi kèm"
    if f.missing_files:
        return Check("TEMPLATES", title, FAIL, "thiếu: " + ", ".join(f.missing_files), REINSTALL)
    return Check("TEMPLATES", title, PASS, f"đủ {f.found_files} tệp")


def check_libreoffice(f: Facts) -> Check:
    title = "LibreOffice (để xuất PDF)"
    if f.soffice:
        return Check("LIBREOFFICE", title, PASS, f.soffice)
    return Check(
        "LIBREOFFICE", title, WARN, "không thấy LibreOffice",
        "Báo cáo Word và HTML vẫn tạo được; muốn có PDF, cài LibreOffice (https://www.libreoffice.org) "
        "hoặc mở tệp Word và chọn Lưu dưới dạng PDF.",
    )


def check_pywin32(f: Facts) -> Check:
    title = "pywin32 (cầu nối COM giữa Excel và Python)"
    if not f.windows:
        return Check("PYWIN32", title, SKIP, "", ONLY_WINDOWS)
    if f.pywin32_error:
        return Check("PYWIN32", title, FAIL, f"không nạp được: {f.pywin32_error}",
                     "Excel sẽ báo “Could not activate Python COM server”. " + REINSTALL)
    return Check("PYWIN32", title, PASS, "nạp được pythoncom")


CHECKS: tuple[Callable[[Facts], Check], ...] = (
    check_python,
    check_bitness,
    check_xlwings,
    check_pywin32,
    check_dll,
    check_addin,
    check_addin_version,
    check_interpreter,
    check_path_ascii,
    check_store_office,
    check_trust,
    check_motw,
    check_vbom,
    check_onedrive,
    check_templates,
    check_libreoffice,
)


def run_checks(f: Facts) -> list[Check]:
    out = []
    for fn in CHECKS:
        try:
            out.append(fn(f))
        except Exception as e:  # noqa: BLE001 - a broken check must not hide the others
            code = fn.__name__.removeprefix("check_").upper()
            out.append(Check(code, fn.__name__, WARN, f"không kiểm tra được: {type(e).__name__}: {e}", ""))
    return out


# ---------------------------------------------------------------------------
# probes


def _common(f: Facts, workbook: str | None) -> None:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from .excel.build import ADDIN_NAME, PINNED_XLWINGS, read_addin
    from .reports.pdf import find_soffice
    from .resources import required_files, template_dirs

    f.python_version = tuple(sys.version_info[:3])  # type: ignore[assignment]
    f.python_bits = struct.calcsize("P") * 8
    f.python_exe = sys.executable
    f.pinned_xlwings = PINNED_XLWINGS
    for name, attr in (("xlpy", "xlpy_version"), ("xlwings", "xlwings_version")):
        try:
            setattr(f, attr, version(name))
        except PackageNotFoundError:
            setattr(f, attr, None)
    f.env = dict(os.environ)
    f.user_profile = os.environ.get("USERPROFILE") or os.environ.get("HOME")
    f.workbook = workbook or os.environ.get("XLPY_CALLER_BOOK") or None
    f.onedrive_roots = [v for k, v in os.environ.items() if k.upper().startswith("ONEDRIVE") and v]
    files = required_files()
    for label, p in files.items():
        if label.startswith("template "):
            name = p.name
            if any((d / name).exists() for d in template_dirs()):
                continue
        elif p.exists():
            continue
        f.missing_files.append(p.name)
    f.found_files = len(files) - len(f.missing_files)
    f.soffice = find_soffice()
    try:
        from .resources import workbook_file

        info = read_addin(workbook_file(ADDIN_NAME))
        f.packaged_addin = AddinFacts(str(info.path), info.xlpy, info.xlwings, info.config, how="package")
    except (OSError, KeyError, ValueError):
        f.packaged_addin = None
    f.os = {"win32": "windows", "darwin": "darwin"}.get(sys.platform, platform.system().lower() or "linux")


class Registry:
    """Read-only access to the registry, as the Windows probe needs it (tests give a dict-backed one)."""

    def value(self, hive: str, key: str, name: str) -> Any:
        raise NotImplementedError

    def values(self, hive: str, key: str) -> dict[str, Any]:
        raise NotImplementedError

    def subkeys(self, hive: str, key: str) -> list[str]:
        raise NotImplementedError


class WinRegistry(Registry):  # pragma: no cover - Windows only
    def __init__(self) -> None:
        import winreg

        self.w = winreg
        self.hives = {"HKCU": winreg.HKEY_CURRENT_USER, "HKLM": winreg.HKEY_LOCAL_MACHINE}

    def _open(self, hive: str, key: str):
        return self.w.OpenKey(self.hives[hive], key, 0, self.w.KEY_READ)

    def value(self, hive: str, key: str, name: str) -> Any:
        try:
            with self._open(hive, key) as k:
                return self.w.QueryValueEx(k, name)[0]
        except OSError:
            return None

    def values(self, hive: str, key: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        try:
            with self._open(hive, key) as k:
                i = 0
                while True:
                    try:
                        n, v, _ = self.w.EnumValue(k, i)
                    except OSError:
                        break
                    out[n] = v
                    i += 1
        except OSError:
            pass
        return out

    def subkeys(self, hive: str, key: str) -> list[str]:
        out: list[str] = []
        try:
            with self._open(hive, key) as k:
                i = 0
                while True:
                    try:
                        out.append(self.w.EnumKey(k, i))
                    except OSError:
                        break
                    i += 1
        except OSError:
            pass
        return out


OFFICE_VERSIONS = ("16.0", "15.0")


def office_version(reg: Registry) -> str:
    for v in OFFICE_VERSIONS:
        if reg.subkeys("HKCU", rf"Software\Microsoft\Office\{v}\Excel") or reg.values("HKCU", rf"Software\Microsoft\Office\{v}\Excel\Options"):
            return v
    return OFFICE_VERSIONS[0]


def open_values(reg: Registry, ver: str) -> dict[str, str]:
    """Excel's OPEN, OPEN1, … values (add-ins ticked in the Add-ins dialog), in order."""
    vals = reg.values("HKCU", rf"Software\Microsoft\Office\{ver}\Excel\Options")
    opens = {k: str(v) for k, v in vals.items() if re.fullmatch(r"OPEN\d*", k, re.I)}
    return dict(sorted(opens.items(), key=lambda kv: int(kv[0][4:] or -1)))


def trusted_locations(reg: Registry, ver: str) -> tuple[list[tuple[str, bool]], bool]:
    """(folder, subfolders) of the user's and the policy's trusted locations; whether policy disables them."""
    out: list[tuple[str, bool]] = []
    disabled = False
    for base in (rf"Software\Policies\Microsoft\Office\{ver}\Excel\Security", rf"Software\Microsoft\Office\{ver}\Excel\Security"):
        tl = base + r"\Trusted Locations"
        if reg.value("HKCU", tl, "AllLocationsDisabled") == 1:
            disabled = True
        for sub in reg.subkeys("HKCU", tl):
            path = reg.value("HKCU", tl + "\\" + sub, "Path")
            if path:
                out.append((str(path), reg.value("HKCU", tl + "\\" + sub, "AllowSubfolders") == 1))
    return out, disabled


def _policy_or_user(reg: Registry, ver: str, name: str) -> int | None:
    for base in (rf"Software\Policies\Microsoft\Office\{ver}\Excel\Security", rf"Software\Microsoft\Office\{ver}\Excel\Security"):
        v = reg.value("HKCU", base, name)
        if v is not None:
            return int(v)
    return None


def _read_zone(path: Path) -> int | None:
    try:
        with open(str(path) + ":Zone.Identifier", encoding="utf-8", errors="replace") as fh:
            return zone_id(fh.read())
    except OSError:
        return None


def probe_windows(f: Facts, reg: Registry, *, read_zone: Callable[[Path], int | None] = _read_zone) -> None:
    """Fill the Windows facts from the registry ``reg`` and the file system (paths from ``f.env``)."""
    from .excel.build import ADDIN_NAME, read_addin

    env = f.env
    ver = office_version(reg)
    appdata = env.get("APPDATA", "")
    localappdata = env.get("LOCALAPPDATA", "")

    # Excel itself
    excel = reg.value("HKLM", r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe", "") or reg.value(
        "HKCU", r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe", ""
    )
    f.excel_path = str(excel) if excel else None
    store_pkg = Path(localappdata, "Packages", STORE_OFFICE_PACKAGE) if localappdata else None
    if f.excel_path and "\\windowsapps\\" in f.excel_path.casefold():
        f.office_store = True
    elif store_pkg is not None and store_pkg.exists() and not f.excel_path:
        f.office_store = True
    elif f.excel_path:
        f.office_store = False
    platform_ = reg.value("HKLM", r"SOFTWARE\Microsoft\Office\ClickToRun\Configuration", "Platform")
    if platform_:
        f.office_bits = 64 if str(platform_).lower() in ("x64", "amd64") else 32
    elif f.excel_path and Path(f.excel_path).exists():
        try:
            with open(f.excel_path, "rb") as fh:
                f.office_bits = pe_bits(fh.read(4096))
        except OSError:
            pass

    # the add-in: XLSTART copy (xlwings' way) and OPEN values (the Add-ins dialog)
    found: list[AddinFacts] = []
    xlstart = Path(appdata, "Microsoft", "Excel", "XLSTART", ADDIN_NAME) if appdata else None
    candidates: list[tuple[Path, str]] = []
    if xlstart is not None and xlstart.exists():
        candidates.append((xlstart, "XLSTART"))
    for name, val in open_values(reg, ver).items():
        if ADDIN_NAME.casefold() in val.casefold():
            f.open_values.append(f"{name}={val}")
            p = Path(expand_env(val.strip().removeprefix("/R").strip().strip('"'), env))
            if p.exists():
                candidates.append((p, "OPEN"))
    for p, how in candidates:
        try:
            info = read_addin(p)
        except (OSError, KeyError, ValueError):
            found.append(AddinFacts(str(p), None, None, {}, read_zone(p), how))
            continue
        found.append(AddinFacts(str(p), info.xlpy, info.xlwings, info.config, read_zone(p), how))
    f.installed_addins = found

    # the DLL next to the add-in's interpreter (XLPyLoadDLL: its folder, then the parent = venv root)
    interp = f.interpreter()
    f.interpreter_exists = bool(interp) and "%" not in interp and Path(interp).exists()
    if interp and "%" not in interp:
        d = Path(interp).parent
        for folder in (d, d.parent):
            f.dll_dirs.append(str(folder))
            try:
                f.dll_files += [str(p) for p in sorted(folder.glob("xlwings*.dll"))]
            except OSError:
                pass

    f.trusted_locations, f.trusted_locations_disabled = trusted_locations(reg, ver)
    f.vba_warnings = _policy_or_user(reg, ver, "VBAWarnings")
    f.access_vbom = _policy_or_user(reg, ver, "AccessVBOM")
    accounts = r"Software\Microsoft\OneDrive\Accounts"
    for acc in reg.subkeys("HKCU", accounts):
        folder = reg.value("HKCU", accounts + "\\" + acc, "UserFolder")
        if folder and str(folder) not in f.onedrive_roots:
            f.onedrive_roots.append(str(folder))
    f.python_store = "\\windowsapps\\" in (getattr(sys, "_base_executable", "") or sys.executable).casefold()


def _pywin32_error() -> str | None:  # pragma: no cover - Windows only
    try:
        import pythoncom  # noqa: F401
        import pywintypes  # noqa: F401
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"
    return None


def _excel_workbook() -> str | None:  # pragma: no cover - Windows with Excel only
    """The workbook of a ribbon click, when doctor runs inside Excel."""
    try:
        import xlwings as xw

        return str(xw.Book.caller().fullname)
    except Exception:  # noqa: BLE001
        return None


def probe(workbook: str | os.PathLike | None = None) -> Facts:
    """The facts of this machine (Windows: registry and files; elsewhere what applies)."""
    f = Facts()
    _common(f, str(workbook) if workbook else None)
    if f.windows:  # pragma: no cover - Windows only
        f.pywin32_error = _pywin32_error()
        probe_windows(f, WinRegistry())
        if not f.workbook:
            f.workbook = _excel_workbook()
    return f


# ---------------------------------------------------------------------------
# the screen


def summary(checks: Iterable[Check]) -> str:
    checks = list(checks)
    n = {s: sum(c.status == s for c in checks) for s in (PASS, WARN, FAIL, SKIP)}
    text = f"Kiểm tra cài đặt: {n[PASS]} đạt, {n[WARN]} cần xem, {n[FAIL]} lỗi, {n[SKIP]} bỏ qua."
    if n[FAIL]:
        text += " Sửa các mục Lỗi theo hướng dẫn rồi kiểm tra lại."
    return text


def render_text(checks: Iterable[Check]) -> str:
    """The screen as plain text (one block per check)."""
    lines = []
    for c in checks:
        lines.append(f"[{c.status_vi:^7}] {c.code:<13} {c.title}" + (f": {c.detail}" if c.detail else ""))
        if c.fix and c.status != PASS:
            lines.append(f"{'':10}{'Lý do' if c.status == SKIP else 'Cách sửa'}: {c.fix}")
    return "\n".join(lines)


def render_html(checks: list[Check], facts: Facts) -> str:
    """The screen as a self-contained page (the ribbon opens it)."""
    from html import escape

    colors = {PASS: "#1b5e20", WARN: "#8a5a00", FAIL: "#b71c1c", SKIP: "#555"}
    rows = "\n".join(
        f'<tr><td style="color:{colors[c.status]};font-weight:bold">{escape(c.status_vi)}</td>'
        f"<td><code>{escape(c.code)}</code></td><td>{escape(c.title)}</td><td>{escape(c.detail)}</td>"
        f"<td>{escape(c.fix if c.status != PASS else '')}</td></tr>"
        for c in checks
    )
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>xlpy – Kiểm tra cài đặt</title>'
        "<style>body{font-family:'Times New Roman',Times,serif;margin:2em;font-size:13pt}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}"
        "th{background:#eee}code{font-size:.9em}</style></head><body>"
        f"<h1>xlpy – Kiểm tra cài đặt</h1><p>{escape(summary(checks))}</p>"
        f"<p>xlpy {escape(str(facts.xlpy_version))}, Python {'.'.join(map(str, facts.python_version))} "
        f"({escape(facts.python_exe)})</p>"
        "<table><tr><th>Kết quả</th><th>Mã</th><th>Mục kiểm tra</th><th>Chi tiết</th><th>Cách sửa</th></tr>"
        f"{rows}</table><p>Bảng mã và cách xử lý: docs/cai-dat-windows.md, mục “Khi gặp sự cố”.</p></body></html>\n"
    )


def _table(checks: list[Check]):
    from .actions import Table

    rows = [[c.status_vi, c.code, c.title, c.detail, c.fix if c.status != PASS else ""] for c in checks]
    return Table("xlpy – Kiểm tra cài đặt", ["Kết quả", "Mã", "Mục kiểm tra", "Chi tiết", "Cách sửa / lý do bỏ qua"], rows)


def doctor(workbook: Path | None = None, page: bool = False) -> Result:
    """Run every check; with ``page`` (the ribbon's button) also open the screen as a page."""
    facts = probe(workbook)
    checks = run_checks(facts)
    res = Result(
        ok=not any(c.status == FAIL for c in checks),
        message=summary(checks),
        data={"checks": [asdict(c) for c in checks], "facts": _facts_json(facts)},
    )
    for c in checks:
        if c.status == FAIL:
            res.problems.add("doctor_check", "", c.code, c.detail, c.title, f"[{c.code}] {c.title}: {c.fix}")
    res.table = _table(checks)
    if page:
        import tempfile

        from .excel.actions import open_path

        page = Path(tempfile.gettempdir()) / "xlpy" / "kiem-tra-cai-dat.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render_html(checks, facts), encoding="utf-8")
        open_path(str(page))
        res.files.append(page)
    return res


def _facts_json(f: Facts) -> dict:
    d = asdict(f)
    d.pop("env", None)  # the environment is not part of the report
    return d
