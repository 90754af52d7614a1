"""Contract of the built add-in (workbook/xlpy.xlam), tested up to Excel's door.

The package is read back by real readers: zipfile, lxml (against Microsoft's
customUI schema), olevba (the VBA), python-calamine (the config sheet).  The
ribbon's dispatch command is taken from the VBA source, filled with each
button's tag and run in a subprocess against a workbook file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from xlpy import actions
from xlpy.excel import build
from xlpy.features import FEATURES

ROOT = Path(__file__).resolve().parent.parent
ADDIN = ROOT / "workbook" / build.ADDIN_NAME
SCHEMA = Path(__file__).parent / "data" / "customUI.lxml.xsd"
SHARED_SCHEMA = ROOT.parent / "shared" / "schemas" / "customUI.lxml.xsd"
NS = {"c": build.CUSTOMUI_NS}
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def vba_modules(path: Path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    vp = VBA_Parser(str(path))
    try:
        return {Path(fn).stem: code for (_, _, fn, code) in vp.extract_macros()}
    finally:
        vp.close()


def norm(code: str) -> str:
    """VBA text without Attribute lines, with \\n line ends and no trailing blank lines."""
    lines = [ln for ln in code.replace("\r\n", "\n").split("\n") if not ln.startswith("Attribute VB_")]
    return "\n".join(lines).strip("\n")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / build.ADDIN_NAME
    build.build_addin(out, blank=False)
    return out


@pytest.fixture(scope="module")
def addin() -> Path:
    assert ADDIN.exists(), "workbook/xlpy.xlam is missing: run `xlpy build-addin`"
    return ADDIN


@pytest.fixture(scope="module")
def ribbon(addin) -> etree._Element:
    with zipfile.ZipFile(addin) as z:
        return etree.fromstring(z.read(build.CUSTOMUI_PART))


@pytest.fixture(scope="module")
def modules(addin) -> dict[str, str]:
    return vba_modules(addin)


# ---- package ---------------------------------------------------------------


def test_package_opens_and_declares_ribbon_and_vba(addin):
    with zipfile.ZipFile(addin) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        ct = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert {build.CUSTOMUI_PART, "xl/vbaProject.bin", "xl/workbook.xml"} <= names
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in ct
    assert 'relationships/ui/extensibility" Target="customUI/customUI.xml"' in rels


def test_customui_valid_against_office_schema(ribbon):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.assertValid(ribbon)


def test_vendored_schema_matches_shared_copy():
    if not SHARED_SCHEMA.exists():
        pytest.skip("../shared/schemas not beside this clone")
    assert SCHEMA.read_bytes() == SHARED_SCHEMA.read_bytes()


def test_ribbon_tab_label_and_unique_ids(ribbon):
    tab = ribbon.find(".//c:tab", NS)
    assert tab.get("label") == "Thi đua – Khen thưởng"
    ids = [e.get("id") for e in ribbon.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_every_button_is_a_registered_action_with_vietnamese_texts(ribbon):
    buttons = ribbon.findall(".//c:button", NS)
    assert buttons
    for b in buttons:
        act = actions.get(b.get("tag"))
        assert act.ribbon
        assert b.get("label") == act.label and b.get("screentip") and b.get("supertip")
        assert b.get("imageMso")
    tags = [b.get("tag") for b in buttons]
    expected = [a.tag for _, items in build.ribbon_actions() for a in items]
    assert tags == expected, "the ribbon is out of date with the registry: run `xlpy build-addin`"
    for must in ("new", "validate", "compute", "rank", "guide"):
        assert must in tags
    groups = [g.get("label") for g in ribbon.findall(".//c:group", NS)]
    assert "Trợ giúp" in groups and len(groups) == len(set(groups))


def test_build_addin_is_a_cli_action_not_a_button(ribbon):
    act = actions.get("build-addin")
    assert not act.ribbon and not act.uses_book
    assert "build-addin" not in {b.get("tag") for b in ribbon.findall(".//c:button", NS)}


def test_every_onaction_exists_in_vba_with_ribbon_signature(ribbon, modules):
    callbacks = {e.get("onAction") for e in ribbon.iter() if e.get("onAction")}
    assert callbacks == {build.CALLBACK}
    for cb in callbacks:
        mod, sub = cb.split(".")
        assert mod in modules, f"VBA module {mod} missing"
        assert re.search(rf"^\s*(Public\s+)?Sub\s+{sub}\s*\(\s*control\s+As\s+IRibbonControl\s*\)", modules[mod], re.M | re.I)


def test_vba_modules_and_project_name(modules):
    assert "RibbonMyAddin" not in modules
    assert {"xlwings", build.RIBBON_VBA_MODULE, build.UDF_VBA_MODULE, build.HELP_VBA_MODULE, "ThisWorkbook"} <= set(modules)
    assert 'Public Const PROJECT_NAME As String = "xlpy"' in modules["xlwings"]
    assert f'Public Const XLWINGS_VERSION As String = "{build.PINNED_XLWINGS}"' in modules["xlwings"]
    assert "XlpyRegisterHelp" in modules["ThisWorkbook"] and "Workbook_Open" in modules["ThisWorkbook"]
    assert norm(modules[build.RIBBON_VBA_MODULE]) == norm((build.VBA_DIR / "XlpyRibbon.bas").read_text())


def test_udf_wrappers_equal_what_xlwings_generates(modules):
    vba, meta = build.udf_wrappers()
    assert norm(modules[build.UDF_VBA_MODULE]) == norm(vba)
    from xlpy.excel import udfs

    assert sorted(m["name"] for m in meta) == sorted(udfs.UDF_NAMES)
    for name in udfs.UDF_NAMES:
        assert f"Function {name}(" in modules[build.UDF_VBA_MODULE]
        assert f'XLPy.CallUDF("{build.UDF_MODULE}", "{name}"' in modules[build.UDF_VBA_MODULE]
        assert f"'!{name}\"" in modules[build.HELP_VBA_MODULE]


def test_help_module_is_ascii_and_lines_fit_vba(modules):
    for line in modules[build.HELP_VBA_MODULE].splitlines():
        assert len(line) < 1023
        assert line.isascii()


def test_config_sheet_values(addin):
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(addin))
    assert build.CONF_SHEET in wb.sheet_names
    rows = wb.get_sheet_by_name(build.CONF_SHEET).to_python()
    conf = {r[0]: (r[1] if len(r) > 1 else "") for r in rows if r and r[0]}
    assert conf["Interpreter_Win"] == build.DEFAULT_INTERPRETER == r"%LOCALAPPDATA%\xlpy\venv\Scripts\pythonw.exe"
    assert conf["UDF Modules"] == build.UDF_MODULE
    # clicks go to the persistent COM server; the workbook's folder never goes on sys.path
    assert conf["Use UDF Server"] is True
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False
    assert conf["Debug UDFs"] is False and conf["Show Console"] is False
    assert list(conf) == [k for k, _ in build.config_rows()]
    # xlwings' VBA reads keys from A1 down to the first blank (Range.End(xlDown)): no gaps
    assert all(r and r[0] for r in rows[: len(conf)])
    # the same values through the reader xlpy doctor uses
    assert build.read_addin(addin).config == conf


def test_no_per_user_interpreter_path_is_baked_in(addin):
    info = build.read_addin(addin)
    interp = str(info.config["Interpreter_Win"])
    assert interp.startswith("%LOCALAPPDATA%\\") and "Python311" not in interp
    assert interp.isascii()


def test_template_leftovers_are_gone(addin, modules):
    """No "MyAddin" project, no template author, no saved C:\\Users\\... path anywhere in the package."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import decompress

    with zipfile.ZipFile(addin) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    vba = CFB.from_bytes(parts["xl/vbaProject.bin"])
    texts = {n: d.decode("utf-8", "replace") for n, d in parts.items() if n != "xl/vbaProject.bin"}
    texts["VBA/dir"] = decompress(vba.get_stream_in_storage("VBA", "dir"), stream_name="VBA/dir").decode("latin-1")
    texts["PROJECT"] = vba.get_stream("PROJECT").decode("latin-1")
    texts.update({f"module {k}": v for k, v in modules.items()})
    for name, text in texts.items():
        low = text.lower()
        assert "myaddin" not in low, name
        assert "felix" not in low and "zumstein" not in low, name
        assert "c:\\users\\" not in low, name
    assert 'Name="xlpy"' in texts["PROJECT"]
    import pyopenvba

    x = pyopenvba.ExcelFile(addin)
    try:
        assert x.vba_project().name == "xlpy"
        assert [r.name for r in x.references()] == ["Office"]  # IRibbonControl; MSForms was unused
    finally:
        x.close()


def test_stamp_names_the_package_and_the_pinned_xlwings(addin):
    from importlib.metadata import version

    info = build.read_addin(addin)
    assert info.xlwings == build.PINNED_XLWINGS
    assert info.xlpy == version("xlpy"), "the add-in was built for another xlpy version: run `python3 tasks.py addin`"
    with zipfile.ZipFile(addin) as z:
        core = z.read("docProps/core.xml").decode()
    assert "<dc:creator>xlpy</dc:creator>" in core


def test_configure_addin_changes_only_the_interpreter(addin, tmp_path):
    dest = tmp_path / "Thư mục có dấu" / build.ADDIN_NAME
    build.configure_addin(addin, dest, r"C:\xlpy\Nguyen Van An\venv\Scripts\pythonw.exe")
    info = build.read_addin(dest)
    assert info.config["Interpreter_Win"] == r"C:\xlpy\Nguyen Van An\venv\Scripts\pythonw.exe"
    assert {k: v for k, v in info.config.items() if k != "Interpreter_Win"} == {
        k: v for k, v in build.read_addin(addin).config.items() if k != "Interpreter_Win"
    }
    with zipfile.ZipFile(addin) as a, zipfile.ZipFile(dest) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed == ["xl/worksheets/sheet1.xml"]
    # configuring back gives the shipped bytes: the installer's copy is the package's add-in
    again = tmp_path / "again.xlam"
    build.configure_addin(dest, again, build.DEFAULT_INTERPRETER)
    assert again.read_bytes() == addin.read_bytes()


def test_no_pro_licence_needed(modules, addin):
    with zipfile.ZipFile(addin) as z:
        names = z.namelist()
    assert not any(n.endswith(".py") for n in names)
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(addin))
    assert not any(s.endswith(".py") for s in wb.sheet_names)
    rows = wb.get_sheet_by_name(build.CONF_SHEET).to_python()
    assert "LICENSE_KEY" not in {r[0] for r in rows if r}


# ---- reproducibility ----------------------------------------------------------


def test_rebuild_is_byte_identical(fresh, tmp_path):
    again = tmp_path / build.ADDIN_NAME
    build.build_addin(again, blank=False)
    assert again.read_bytes() == fresh.read_bytes()


def test_committed_addin_equals_a_fresh_build(fresh, addin):
    """Equivalent: same parts with the same contents, the same VBA source."""
    with zipfile.ZipFile(addin) as a, zipfile.ZipFile(fresh) as b:
        assert a.namelist() == b.namelist()
        for n in a.namelist():
            if n != "xl/vbaProject.bin":
                assert a.read(n) == b.read(n), f"{n} differs: run `xlpy build-addin` and commit workbook/xlpy.xlam"
    ma, mb = vba_modules(addin), vba_modules(fresh)
    assert {k: norm(v) for k, v in ma.items()} == {k: norm(v) for k, v in mb.items()}


# ---- the dispatch command the VBA sends --------------------------------------------


def vba_command(modules: dict[str, str], tag: str) -> str:
    """Evaluate the RunPython argument of XlpyAction with control.Tag = tag."""
    m = re.search(r'^\s*RunPython\s+(.+)$', modules[build.RIBBON_VBA_MODULE], re.M)
    assert m, "no RunPython call in the ribbon module"
    out = []
    for tok in re.findall(r'"(?:[^"]|"")*"|control\.Tag|&', m.group(1)):
        if tok == "&":
            continue
        out.append(tag if tok == "control.Tag" else tok[1:-1].replace('""', '"'))
    return "".join(out)


def run_click(cmd: str, book: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, list[dict]]:
    log = tmp_path / f"log-{os.getpid()}-{abs(hash(cmd))}.jsonl"
    env = dict(os.environ)
    env.update(
        {
            "XLPY_CALLER_BOOK": str(book),
            "XLPY_DISPATCH_LOG": str(log),
            "XLPY_NO_OPEN": "1",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    p = subprocess.run([sys.executable, "-P", "-c", cmd], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180)
    events = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    return p, events


PROVINCE_TAGS = {a.tag for f in FEATURES if f.workbook == "province" for a in f.actions}


def province_book(sample_copy, tmp_path: Path) -> Path:
    """A province workbook whose folder of block workbooks holds the sample block (province buttons)."""
    from xlpy.province.workbook import new_province_workbook

    folder = tmp_path / "cac-khoi"
    folder.mkdir()
    sample_copy("so-nganh-100").rename(folder / "so-nganh-100.xlsx")
    return new_province_workbook(tmp_path / "tinh.xlsx", {"Năm": 2025, "Thư mục sổ tính các khối": "cac-khoi"})


def test_vba_command_is_the_documented_one(modules):
    assert vba_command(modules, "compute") == build.DISPATCH_TEMPLATE.format(tag="compute")


@pytest.mark.slow
@pytest.mark.parametrize("tag", [a.tag for _, items in build.ribbon_actions() for a in items])
def test_each_button_runs_in_a_subprocess(tag, modules, sample_copy, tmp_path):
    book = province_book(sample_copy, tmp_path) if tag in PROVINCE_TAGS else sample_copy("so-nganh-100")
    p, events = run_click(vba_command(modules, tag), book, tmp_path)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout
    assert events, "the dispatcher reported nothing"
    # on the complete sample every button does its job: no error message, a final status that is a result
    errors = [e for e in events if e["event"] == "message" and e["error"]]
    assert not errors, errors
    finals = [e["text"] for e in events if e["event"] == "status" and e["text"]]
    assert finals and "giây)" in finals[-1], finals


def test_compute_click_writes_results_to_the_caller_book(modules, sample_copy, tmp_path):
    book = sample_copy("so-nganh-100")
    p, events = run_click(vba_command(modules, "compute"), book, tmp_path)
    assert p.returncode == 0, p.stderr
    import python_calamine

    from xlpy.schema import core as layout

    rows = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_name(layout.RESULTS).to_python()
    assert rows[2][:3] == ["Hạng", "Xếp thứ", "Mã đơn vị"] and rows[3][:3] == [1.0, "Nhất", "SKHCN"]  # computed, not the placeholder


def test_failed_click_leaves_the_workbook_unchanged_and_says_what_to_fix(modules, sample_copy, tmp_path):
    from conftest import edit_cells

    book = sample_copy("so-nganh-100")
    edit_cells(book, {("Tự chấm", "C2"): "tám"})
    before = book.read_bytes()
    p, events = run_click(vba_command(modules, "compute"), book, tmp_path)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    errors = [e for e in events if e["event"] == "message" and e["error"]]
    assert errors and "C2" in errors[0]["text"] and "không bị thay đổi" in errors[0]["text"]
    assert book.read_bytes() == before


def test_unknown_tag_gives_a_vietnamese_message_not_a_traceback(modules, sample_copy, tmp_path):
    p, events = run_click(vba_command(modules, "khong_co"), sample_copy(), tmp_path)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert any(e["event"] == "message" and e["error"] and "Cài lại add-in" in e["text"] for e in events)


# ---- the blank workbook -----------------------------------------------------------------


BLANK = ROOT / "workbook" / build.BLANK_NAME


def test_blank_workbook_is_macro_free():
    assert BLANK.exists(), "run `xlpy build-addin`"
    with zipfile.ZipFile(BLANK) as z:
        names = z.namelist()
        ct = z.read("[Content_Types].xml").decode()
    assert not any("vbaProject" in n for n in names)
    assert "macroEnabled" not in ct
    from xlpy.book.io import FileBook
    from xlpy.features import input_sheets

    assert set(input_sheets()) <= set(FileBook(BLANK).sheet_names())


def test_blank_workbook_rebuild_is_identical(tmp_path):
    out = build.build_blank(tmp_path / build.BLANK_NAME)
    assert out is not None and out.read_bytes() == BLANK.read_bytes()


@pytest.mark.slow
def test_blank_workbook_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice not installed")
    profile = tmp_path / "lo-profile"
    p = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(BLANK)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert p.returncode == 0, p.stderr
    assert (tmp_path / (BLANK.stem + ".csv")).exists(), p.stdout + p.stderr
    assert "Error" not in p.stderr


def test_the_save_dialog_of_so_moi_suggests_a_vietnamese_file_name(tmp_path):
    from xlpy import actions
    from xlpy.excel import ribbon

    ui = ribbon.RecordingUI(tmp_path)
    opts = ribbon._options(actions.get("new"), ui, tmp_path, None)
    assert opts["path"] == tmp_path / "so-moi.xlsx"  # from the button's label “Sổ mới”, not the command's tag
    assert [e["suggestion"] for e in ui.events if e["event"] == "ask_path"] == [str(tmp_path / "so-moi.xlsx")]
