"""Build ``workbook/xlpy.xlam`` from the pinned xlwings ribbon add-in template.

One command, reproducible (same inputs give the same bytes)::

    xlpy build-addin                 # writes workbook/xlpy.xlam and the blank workbook

What the build does to a copy of ``xlwings/quickstart_addin_ribbon.xlam``:

* ``customUI/customUI.xml``: a tab “Thi đua – Khen thưởng” generated from the
  action registry, one group per ``Action.group``, one button per action with
  ``ribbon=True`` (label, screentip, supertip, imageMso); every button has the
  action name as ``tag`` and the one callback ``XlpyRibbon.XlpyAction``.
* VBA (``xl/vbaProject.bin``, edited with pyopenvba): module ``RibbonMyAddin``
  becomes ``XlpyRibbon`` (source: ``vba/XlpyRibbon.bas``); ``PROJECT_NAME`` in
  module ``xlwings`` becomes ``xlpy`` (config sheet ``xlpy.conf``, user file
  ``%USERPROFILE%\\.xlpy\\xlpy.conf``); module ``xlwings_udfs`` holds the UDF
  wrappers exactly as xlwings' ``ImportPythonUDFs`` would write them for
  :mod:`xlpy.excel.udfs`; module ``xlpy_help`` registers the functions'
  Vietnamese descriptions (``Application.MacroOptions``) from ``ThisWorkbook``'s
  ``Workbook_Open``.
* The config sheet ``xlpy.conf`` (interpreter, UDF module, ...): ribbon clicks go to
  xlwings' persistent COM server (``Use UDF Server``), the workbook's folder is never put
  on ``sys.path`` (``ADD_WORKBOOK_TO_PYTHONPATH`` off: a workbook is data, and OneDrive
  URLs are not resolved), and the interpreter defaults to the environment the Windows
  installer creates, ``%LOCALAPPDATA%\\xlpy\\venv`` (expanded by xlwings' VBA, so a
  Vietnamese user name is never written into the file).  ``configure_addin`` writes
  another interpreter into a copy (the installer does, for one PC).
* Template leftovers go: the VBA project is named ``xlpy`` (not ``MyAddin``), the unused
  Microsoft Forms reference (it saved the template author's temp path) is dropped, and
  so are the author names in ``docProps`` and the saved ``C:\\Users\\...`` folder in
  ``xl/workbook.xml``.  ``docProps/core.xml`` carries a stamp ``xlpy=<version>
  xlwings=<version>`` that ``xlpy doctor`` compares with the installed packages.

Excel itself is not available here: the VBA edit is verified by reading the
file back (olevba) and needs one Windows smoke test per release
(docs/kiem-tra-windows.md).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr, unescape

PINNED_XLWINGS = "0.37.8"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
ADDIN_NAME = "xlpy.xlam"
BLANK_NAME = "xlpy-mau-trong.xlsx"
PROJECT_NAME = "xlpy"
CONF_SHEET = f"{PROJECT_NAME}.conf"
UDF_MODULE = "xlpy.excel.udfs"
UDF_VBA_MODULE = "xlwings_udfs"
HELP_VBA_MODULE = "xlpy_help"
RIBBON_VBA_MODULE = "XlpyRibbon"
CALLBACK = f"{RIBBON_VBA_MODULE}.XlpyAction"
TAB_ID = "xlpyTab"
TAB_LABEL = "Thi đua – Khen thưởng"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
CUSTOMUI_PART = "customUI/customUI.xml"
# The environment the Windows installer (installer/windows/cai-dat.ps1) creates; xlwings'
# VBA expands %LOCALAPPDATA% itself (WScript.Shell, Unicode-safe).
DEFAULT_INTERPRETER = r"%LOCALAPPDATA%\xlpy\venv\Scripts\pythonw.exe"
TEMPLATE_PROJECT_NAME = "MyAddin"
STAMP_RE = re.compile(r"xlpy=(?P<xlpy>[^\s<]+) xlwings=(?P<xlwings>[^\s<]+)")
VBA_DIR = Path(__file__).with_name("vba")
# The dispatch command the ribbon callback sends (the VBA source holds it; tests read it back).
DISPATCH_TEMPLATE = "import xlpy.excel.ribbon as r; r.dispatch('{tag}')"

# imageMso ids known to exist in Office 2010+ (an unknown id shows a blank icon).
KNOWN_IMAGE_MSO = frozenset(
    """
    FileNew FileOpen FileSave FileSaveAs FilePrint FilePrintPreview FileSendAsAttachment
    AcceptInvitation AutoSum Calculator CalculateNow CalculateSheet ConditionalFormattingMenu
    DataValidation DataValidationCircleInvalid ErrorChecking FunctionWizard Help HelpContents
    Info MacroPlay MacroSecurity NewMailMessage ReviewAcceptChange SortAscendingExcel
    SortDescendingExcel SortDialog SortUp SortDown TableInsert ChartInsert ExportPdf FileSaveAsPdfOrXps
    ExportWord ExportExcel FileSaveAsWordDocx FileSaveAsExcelXlsx ReviewDisplayForReview MailMergeStartLetters MailMergeMergeToEMail SendCopyAsAttachment
    ReviewCompareAndMerge ShapesMoreShapes TraceError Spelling SpellingAndGrammar
    GroupSortFilter Filter FilterAdvancedByForm ProtectSheet QueryBuilder HappyFace AcceptTask
    OutlookGlobe PivotTableInsert PercentStyle AppointmentColorDialog GoTo FindDialog
    ResultsPaneStartFindAndReplace ContentControlBuildingBlockGallery TableOfContentsGallery
    CreateReport Chart3DColumnChart ChartTypeColumnInsertGallery Folder FolderOpen
    ReviewEditComment SharePointListsRefreshList Refresh RecurrenceEdit ListMacros
    CheckNames NumberFormatsDialog StopRecording DatasheetView
    """.split()
)

_FIXED_DATE = (2025, 1, 1, 0, 0, 0)


@dataclass
class BuildReport:
    addin: Path
    blank: Path | None
    buttons: list[str] = field(default_factory=list)
    udfs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# locations


def template_path() -> Path:
    import xlwings

    if xlwings.__version__ != PINNED_XLWINGS:
        raise RuntimeError(
            f"xlwings {xlwings.__version__} đang cài, add-in phải dựng từ xlwings {PINNED_XLWINGS}: "
            f"pip install xlwings=={PINNED_XLWINGS}"
        )
    return Path(xlwings.__file__).with_name(TEMPLATE_NAME)


def default_workbook_dir() -> Path:
    """``workbook/`` of the source checkout this package lives in, else ``./workbook``."""
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").exists() and (repo / "xlpy").is_dir():
        return repo / "workbook"
    return Path.cwd() / "workbook"


# ---------------------------------------------------------------------------
# ribbon XML


def _xml_id(s: str) -> str:
    from ..core.text import unaccent

    return re.sub(r"[^A-Za-z0-9_]", "_", unaccent(s))


def ribbon_actions(acts=None) -> list[tuple[str, list]]:
    """(group label, actions) in ribbon order: groups by their first action's order."""
    if acts is None:
        from .. import actions

        acts = actions.all_actions()
    groups: dict[str, list] = {}
    for a in acts:
        if a.ribbon:
            groups.setdefault(a.group, []).append(a)
    return sorted(groups.items(), key=lambda kv: min((a.order, a.name) for a in kv[1]))


def customui_xml(acts=None) -> str:
    """The add-in's ribbon, generated from the action registry."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOMUI_NS}">',
        "  <ribbon>",
        "    <tabs>",
        f'      <tab id="{TAB_ID}" label={quoteattr(TAB_LABEL)} insertAfterMso="TabHome">',
    ]
    for gi, (group, items) in enumerate(ribbon_actions(acts), start=1):
        lines.append(f'        <group id="xlpyGroup{gi}_{_xml_id(group)}" label={quoteattr(group)}>')
        for a in items:
            attrs = [
                f'id="xlpy_{_xml_id(a.tag)}"',
                f"tag={quoteattr(a.tag)}",
                f"label={quoteattr(a.label)}",
                f"screentip={quoteattr(a.label)}",
                f"supertip={quoteattr((a.supertip or a.help)[:1024])}",
                f"imageMso={quoteattr(a.icon or 'MacroPlay')}",
                'size="large"',
                f'onAction="{CALLBACK}"',
            ]
            lines.append("          <button " + " ".join(attrs) + "/>")
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# UDF wrappers (xlwings' own generator, with pywin32 stubbed)


def _stub_pywin32() -> None:
    import types

    class _Any:
        def __getattr__(self, name):
            return _Any()

        def __call__(self, *a, **k):
            return _Any()

    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client", "win32api", "win32con"):
        if name not in sys.modules:
            m = types.ModuleType(name)
            m.__getattr__ = lambda attr, _a=_Any(): _a  # type: ignore[attr-defined]
            sys.modules[name] = m
    sys.modules["pywintypes"].com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    sys.modules["win32com"].client = sys.modules["win32com.client"]  # type: ignore[attr-defined]


def _udf_vba_main() -> None:  # pragma: no cover - runs in a subprocess
    """Print {"vba": ..., "meta": [...]} for the UDF module (run in a fresh interpreter)."""
    _stub_pywin32()
    import xlwings as xw
    import xlwings.udfs as udfs

    xw.func, xw.arg, xw.ret, xw.sub = udfs.xlfunc, udfs.xlarg, udfs.xlret, udfs.xlsub
    import importlib

    module = importlib.import_module(UDF_MODULE)

    class FakeWorkbook:
        Name = ADDIN_NAME

    buf = io.StringIO()
    from xlwings.utils import VBAWriter

    vba = VBAWriter(buf)  # the same three header lines as xlwings.udfs.import_udfs
    vba.writeln(f'Attribute VB_Name = "{UDF_VBA_MODULE}"')
    vba.writeln("'Autogenerated code by xlwings - changes will be lost with next import!")
    vba.writeln("""#Const App = "Microsoft Excel" 'Adjust when using outside of Excel""")
    udfs.generate_vba_wrapper(UDF_MODULE, module, buf, FakeWorkbook())
    meta = []
    for attr in dir(module):
        f = getattr(module, attr)
        if hasattr(f, "__xlfunc__"):
            x = f.__xlfunc__
            meta.append(
                {
                    "name": x["name"],
                    "doc": x["ret"]["doc"],
                    "category": x["category"],
                    "args": [{"name": a["name"], "doc": a["doc"], "optional": "optional" in a} for a in x["args"] if not a["vba"]],
                }
            )
    sys.stdout.write(json.dumps({"vba": buf.getvalue(), "meta": meta}, ensure_ascii=False))


def udf_wrappers() -> tuple[str, list[dict]]:
    """(VBA text of module ``xlwings_udfs``, function metadata) as xlwings generates them."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    out = subprocess.run(
        [sys.executable, "-P", "-c", "import xlpy.excel.build as b; b._udf_vba_main()"],
        capture_output=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError("không sinh được mã VBA cho hàm UDF:\n" + out.stderr.decode("utf-8", "replace"))
    data = json.loads(out.stdout.decode("utf-8"))
    return data["vba"], data["meta"]


# ---------------------------------------------------------------------------
# Function-wizard help (Application.MacroOptions), Unicode via ChrW


def vba_string_lines(var: str, text: str, chunk: int = 24) -> list[str]:
    """VBA statements that build ``text`` in ``var`` (VBA source is ANSI: non-ASCII via ChrW)."""
    parts: list[str] = []
    run = ""
    for ch in text:
        if 32 <= ord(ch) < 127:
            run += '""' if ch == '"' else ch
        else:
            if run:
                parts.append(f'"{run}"')
                run = ""
            parts.append(f"ChrW({ord(ch)})")
        if len(run) >= 60:
            parts.append(f'"{run}"')
            run = ""
    if run:
        parts.append(f'"{run}"')
    lines = [f'{var} = ""']
    for i in range(0, len(parts), chunk):
        lines.append(f"{var} = {var} & " + " & ".join(parts[i : i + chunk]))
    return lines


def help_module(meta: list[dict]) -> str:
    out = [
        f'Attribute VB_Name = "{HELP_VBA_MODULE}"',
        "' Autogenerated by xlpy build-addin from the docstrings of " + UDF_MODULE + " - do not edit.",
        "' Gives the TDKT_* functions their descriptions in Excel's Insert Function dialog.",
        "Option Explicit",
        "",
        "Public Sub XlpyRegisterHelp()",
        "    Dim d As String, c As String",
        "    On Error Resume Next",
    ]
    for f in sorted(meta, key=lambda m: m["name"]):
        args = f["args"]
        for line in vba_string_lines("c", f["category"]):
            out.append("    " + line)
        for line in vba_string_lines("d", f["doc"][:255]):
            out.append("    " + line)
        names = []
        for i, a in enumerate(args):
            v = f"a{i}"
            names.append(v)
        if args:
            out.append("    Dim " + ", ".join(f"a{i}_{f['name']} As String" for i in range(len(args))))
            for i, a in enumerate(args):
                for line in vba_string_lines(f"a{i}_{f['name']}", a["doc"][:255]):
                    out.append("    " + line)
            argdesc = ", ArgumentDescriptions:=Array(" + ", ".join(f"a{i}_{f['name']}" for i in range(len(args))) + ")"
        else:
            argdesc = ""
        out.append(
            f"    Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{f['name']}\", "
            f"Description:=d, Category:=c{argdesc}"
        )
    out += ["End Sub", ""]
    return "\r\n".join(out)


# ---------------------------------------------------------------------------
# config sheet


def config_rows(interpreter: str = DEFAULT_INTERPRETER) -> list[tuple[str, object]]:
    """The add-in's ``xlpy.conf`` sheet, read by xlwings' VBA (``GetConfig``) before any file.

    * ``Use UDF Server``: RunPython goes to the persistent COM server that also serves the
      TDKT_* functions, so a click does not start Python and import pandas again.  Safe
      because a click keeps no state between runs (tests/test_warm_click.py) and the
      installer stops the server before it replaces the package.
    * ``ADD_WORKBOOK_TO_PYTHONPATH`` off: xlpy is installed, so the workbook's folder is
      not needed on ``sys.path``; a ``.py`` file lying beside a received workbook is never
      imported, and xlwings does not try to map OneDrive/SharePoint URLs (a known error).
    """
    return [
        ("Interpreter_Win", interpreter),
        ("Interpreter_Mac", ""),
        ("PYTHONPATH", ""),
        ("Conda Path", ""),
        ("Conda Env", ""),
        ("UDF Modules", UDF_MODULE),
        ("Debug UDFs", False),
        ("Use UDF Server", True),
        ("Show Console", False),
        ("ADD_WORKBOOK_TO_PYTHONPATH", False),
    ]


def _sheet_xml(template_xml: str, rows: list[tuple[str, object]]) -> str:
    """The template's config sheet with its cells replaced (inline strings; string edits only)."""
    cells = []
    for i, (k, v) in enumerate(rows, start=1):
        c = f'<c r="A{i}" s="1" t="inlineStr"><is><t>{escape(k)}</t></is></c>'
        if isinstance(v, bool):
            c += f'<c r="B{i}" s="1" t="b"><v>{int(v)}</v></c>'
        elif v != "":
            c += f'<c r="B{i}" s="1" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'
        cells.append(f'<row r="{i}" spans="1:2">{c}</row>')
    body = "<sheetData>" + "".join(cells) + "</sheetData>"
    xml = re.sub(r"<sheetData>.*</sheetData>", lambda _m: body, template_xml, flags=re.S)
    xml = re.sub(r'<dimension ref="[^"]*" />', f'<dimension ref="A1:B{len(rows)}" />', xml)
    xml = xml.replace('<col min="2" max="2" width="9.25"', '<col min="2" max="2" width="60"')
    return xml


# ---------------------------------------------------------------------------
# the build


def _vba_source(name: str) -> str:
    text = (VBA_DIR / name).read_text(encoding="ascii")
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def build_addin(
    out: str | os.PathLike | None = None,
    *,
    interpreter: str | None = None,
    blank: bool = True,
) -> BuildReport:
    """Build the add-in (and the blank workbook beside it); returns what was built."""
    import tempfile

    import pyopenvba

    from .. import actions

    out = Path(out) if out else default_workbook_dir() / ADDIN_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl = template_path()
    report = BuildReport(addin=out, blank=None)

    acts = actions.all_actions()
    ribbon_xml = customui_xml(acts)
    for _, items in ribbon_actions(acts):
        for a in items:
            report.buttons.append(a.tag)
            if a.icon not in KNOWN_IMAGE_MSO:
                report.warnings.append(f"biểu tượng imageMso “{a.icon}” của nút “{a.tag}” chưa được kiểm chứng")
    udf_vba, meta = udf_wrappers()
    report.udfs = [m["name"] for m in meta]

    with tempfile.TemporaryDirectory() as td:
        stage = Path(td) / ADDIN_NAME
        x = pyopenvba.ExcelFile(tpl)
        try:
            proj = x.vba_project()
            proj.rename_module("RibbonMyAddin", RIBBON_VBA_MODULE)
            x.set_module(RIBBON_VBA_MODULE, _vba_source("XlpyRibbon.bas"))
            xl_src = x.get_module("xlwings")
            old = 'Public Const PROJECT_NAME As String = "myaddin"'
            if old not in xl_src:
                raise RuntimeError("mẫu add-in của xlwings đã đổi: không thấy PROJECT_NAME")
            x.set_module("xlwings", xl_src.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"'))
            proj.add_module(UDF_VBA_MODULE, udf_vba.replace("\r\n", "\n").replace("\n", "\r\n"))
            proj.add_module(HELP_VBA_MODULE, help_module(meta))
            x.set_module("ThisWorkbook", _vba_source("ThisWorkbook.cls"))
            # Unused by the VBA; its saved type-library cache path was the template author's.
            x.remove_reference("MSForms")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x.save(stage)
        finally:
            x.close()
        _rewrite_package(stage, out, ribbon_xml, config_rows(interpreter or DEFAULT_INTERPRETER), stamp())

    if blank:
        report.blank = build_blank(out.parent / BLANK_NAME, report)
    return report


def stamp(xlpy_version: str | None = None) -> str:
    """What the add-in says it belongs to: ``xlpy=<version> xlwings=<version>``."""
    if xlpy_version is None:
        from importlib.metadata import version

        xlpy_version = version("xlpy")
    return f"xlpy={xlpy_version} xlwings={PINNED_XLWINGS}"


def _core_xml(data: str, stamp_text: str) -> str:
    """docProps/core.xml with xlpy's title, no author names, fixed dates and the stamp."""
    data = re.sub(r"<dc:title\s*/>|<dc:title>[^<]*</dc:title>", "<dc:title>xlpy – Thi đua, Khen thưởng</dc:title>", data)
    data = re.sub(r"<dc:creator\s*/>|<dc:creator>[^<]*</dc:creator>", "<dc:creator>xlpy</dc:creator>", data)
    data = re.sub(
        r"<cp:lastModifiedBy\s*/>|<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>", "<cp:lastModifiedBy>xlpy</cp:lastModifiedBy>", data
    )
    data = re.sub(r"<cp:keywords\s*/>|<cp:keywords>[^<]*</cp:keywords>", f"<cp:keywords>{escape(stamp_text)}</cp:keywords>", data)
    return re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", r"\g<1>2025-01-01T00:00:00Z\g<2>", data)


def _workbook_xml(data: str) -> str:
    """xl/workbook.xml with the config sheet activated and no saved folder of the template's author."""
    data = data.replace('name="_myaddin.conf"', f'name="{CONF_SHEET}"')
    return re.sub(r"<mc:AlternateContent[^>]*><mc:Choice Requires=\"x15\"><x15ac:absPath [^>]*/></mc:Choice></mc:AlternateContent>", "", data)


def _rename_vba_project(vba_bin: bytes, old: str, new: str) -> bytes:
    """vbaProject.bin with the VBA project renamed (pyopenvba renames modules, not projects).

    Two places hold the name ([MS-OVBA]): the PROJECTNAME record (id 0x0004) of the
    compressed ``VBA/dir`` stream and the ``Name="..."`` line of the ``PROJECT`` stream.
    """
    import struct

    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(vba_bin)
    raw = decompress(cfb.get_stream_in_storage("VBA", "dir"), stream_name="VBA/dir")
    # PROJECTSYSKIND (0x0001, size 4) opens the information records; PROJECTNAME follows
    # within the first records (after the optional COMPATVERSION, LCID, LCIDINVOKE, CODEPAGE).
    rec = struct.pack("<HI", 0x0004, len(old)) + old.encode("ascii")
    at = raw.find(rec)
    if at < 0 or at > 64:
        raise RuntimeError(f"mẫu add-in của xlwings đã đổi: không thấy tên dự án VBA {old!r}")
    raw = raw[:at] + struct.pack("<HI", 0x0004, len(new)) + new.encode("ascii") + raw[at + len(rec) :]
    cfb.write_stream_in_storage("VBA", "dir", compress(raw))
    text = cfb.get_stream("PROJECT")
    line = f'Name="{old}"'.encode("ascii")
    if line not in text:
        raise RuntimeError(f"mẫu add-in của xlwings đã đổi: không thấy Name=\"{old}\" trong PROJECT")
    cfb.write_stream("PROJECT", text.replace(line, f'Name="{new}"'.encode("ascii"), 1))
    return cfb.to_bytes()


def _write_parts(dest: Path, parts: list[tuple[str, bytes]]) -> None:
    """Write a package with fixed timestamps, atomically."""
    tmp = dest.with_name(f".{dest.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as zout:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    os.replace(tmp, dest)


def _rewrite_package(src: Path, dest: Path, ribbon_xml: str, conf: list[tuple[str, object]], stamp_text: str) -> None:
    """Copy the package, replacing the ribbon, the config sheet and the template's leftovers."""
    with zipfile.ZipFile(src) as zin:
        parts = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    out = []
    for name, data in parts:
        if name == CUSTOMUI_PART:
            data = ribbon_xml.encode("utf-8")
        elif name == "xl/workbook.xml":
            data = _workbook_xml(data.decode("utf-8")).encode("utf-8")
        elif name == "xl/worksheets/sheet1.xml":
            data = _sheet_xml(data.decode("utf-8"), conf).encode("utf-8")
        elif name == "docProps/core.xml":
            data = _core_xml(data.decode("utf-8"), stamp_text).encode("utf-8")
        elif name == "xl/vbaProject.bin":
            data = _rename_vba_project(data, TEMPLATE_PROJECT_NAME, PROJECT_NAME)
        out.append((name, data))
    _write_parts(dest, out)


def configure_addin(src: str | os.PathLike, dest: str | os.PathLike, interpreter: str) -> Path:
    """Copy the built add-in to ``dest`` with ``interpreter`` in its ``xlpy.conf`` sheet.

    Only the config sheet changes (no pyopenvba, no xlwings template needed), so the
    installer can run it with the package it has just installed: the add-in it copies
    is the one of that package, and the two are always one version.
    """
    src, dest = Path(src), Path(dest)
    with zipfile.ZipFile(src) as zin:
        parts = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    names = [n for n, _ in parts]
    if "xl/worksheets/sheet1.xml" not in names or CUSTOMUI_PART not in names:
        raise ValueError(f"{src} không phải add-in xlpy")
    out = [
        (n, _sheet_xml(d.decode("utf-8"), config_rows(interpreter)).encode("utf-8") if n == "xl/worksheets/sheet1.xml" else d)
        for n, d in parts
    ]
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write_parts(dest, out)
    return dest


@dataclass
class AddinInfo:
    """What a built add-in file says about itself (read by ``xlpy doctor``)."""

    path: Path
    xlpy: str | None  # version stamp, None for an add-in built before stamps
    xlwings: str | None
    config: dict[str, object]


def read_addin(path: str | os.PathLike) -> AddinInfo:
    """The stamp and the ``xlpy.conf`` values of an add-in file."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    m = STAMP_RE.search(core)
    config: dict[str, object] = {}
    for row in re.findall(r"<row [^>]*>(.*?)</row>", sheet, flags=re.S):
        cells = dict(re.findall(r'<c r="([AB])\d+"[^>]*>(.*?)</c>', row, flags=re.S))
        key = re.sub(r"<[^>]+>", "", cells.get("A", ""))
        if not key:
            continue
        val = cells.get("B", "")
        if "<v>" in val and "<is>" not in val:
            config[key] = re.sub(r"<[^>]+>", "", val) == "1"
        else:
            config[key] = unescape(re.sub(r"<[^>]+>", "", val))
    return AddinInfo(path, m.group("xlpy") if m else None, m.group("xlwings") if m else None, config)


def build_blank(path: Path, report: BuildReport | None = None) -> Path | None:
    """The blank, macro-free workbook (from xlpy.book.template), with fixed timestamps."""
    try:
        from ..book.template import new_workbook
    except ImportError as e:
        if report is not None:
            report.warnings.append(f"chưa dựng được sổ tính trống: {e}")
        return None
    tmp = path.with_name(f".{path.stem}.tmp.xlsx")
    new_workbook(tmp)
    normalize_xlsx(tmp, path)
    tmp.unlink(missing_ok=True)
    return path


def normalize_xlsx(src: Path, dest: Path) -> None:
    """Rewrite an .xlsx with fixed zip timestamps and fixed document dates (reproducible bytes)."""
    with zipfile.ZipFile(src) as zin:
        parts = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(dest, "w") as zout:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2025-01-01T00:00:00Z\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin CLI
    import argparse

    p = argparse.ArgumentParser(prog="python -m xlpy.excel.build", description="Dựng add-in xlpy.xlam")
    p.add_argument("--out", default=None)
    p.add_argument("--interpreter", default=None)
    p.add_argument(
        "--configure",
        action="store_true",
        help="không dựng lại: chép add-in của gói xlpy đang cài ra --out, ghi --interpreter vào trang xlpy.conf",
    )
    a = p.parse_args(argv)
    if a.configure:
        from ..resources import workbook_file

        if not a.out:
            p.error("--configure cần --out")
        dest = configure_addin(workbook_file(ADDIN_NAME), a.out, resolve_interpreter(a.interpreter) or DEFAULT_INTERPRETER)
        print(f"Đã chép add-in tới {dest}")
        return 0
    r = build_addin(a.out, interpreter=resolve_interpreter(a.interpreter))
    print(f"Đã dựng {r.addin} ({len(r.buttons)} nút, {len(r.udfs)} hàm)")
    for w in r.warnings:
        print("Cảnh báo:", w)
    return 0


def resolve_interpreter(value: str | None) -> str | None:
    """``auto`` means this Python (its ``pythonw.exe`` on Windows)."""
    if value != "auto":
        return value
    exe = Path(sys.executable)
    w = exe.with_name("pythonw.exe")
    return str(w if w.exists() else exe)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
