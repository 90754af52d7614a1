"""xlpy doctor: every check over constructed facts, the Windows probe over a constructed
registry and real files, and the action through the CLI on this (Linux) machine."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from dataclasses import replace
from pathlib import Path, PureWindowsPath

import pytest

from xlpy import doctor as d
from xlpy.excel import build

VER = build.PINNED_XLWINGS
VN_USER = r"C:\Users\Nguyễn Thị Thủy"


def addin(path=r"C:\Users\An\AppData\Roaming\Microsoft\Excel\XLSTART\xlpy.xlam", *, xlpy="0.1.0", xlwings=VER,
          interpreter=build.DEFAULT_INTERPRETER, zone=None, how="XLSTART") -> d.AddinFacts:
    return d.AddinFacts(path, xlpy, xlwings, {"Interpreter_Win": interpreter, "Use UDF Server": True}, zone, how)


@pytest.fixture
def good() -> d.Facts:
    """A healthy Windows PC as the installer leaves it."""
    local = PureWindowsPath(r"C:\Users\An\AppData\Local")
    scripts = local / "xlpy" / "venv" / "Scripts"
    venv = scripts.parent
    return d.Facts(
        os="windows",
        python_version=(3, 12, 7),
        python_bits=64,
        python_exe=str(scripts / "python.exe"),
        xlpy_version="0.1.0",
        xlwings_version=VER,
        pinned_xlwings=VER,
        env={"LOCALAPPDATA": str(local), "APPDATA": r"C:\Users\An\AppData\Roaming"},
        installed_addins=[addin()],
        interpreter_exists=True,
        dll_dirs=[str(scripts), str(venv)],
        dll_files=[str(venv / f"xlwings64-{VER}.dll"), str(venv / f"xlwings32-{VER}.dll")],
        office_bits=64,
        office_store=False,
        excel_path=r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE",
        trusted_locations=[(r"%APPDATA%\Microsoft\Excel\XLSTART", False)],
        vba_warnings=None,
        access_vbom=0,
        workbook=r"C:\Users\An\Documents\khoi.xlsx",
        user_profile=r"C:\Users\An",
        onedrive_roots=[r"C:\Users\An\OneDrive"],
        found_files=17,
        soffice=r"C:\Program Files\LibreOffice\program\soffice.exe",
    )


def by_code(f: d.Facts) -> dict[str, d.Check]:
    return {c.code: c for c in d.run_checks(f)}


def test_healthy_pc_passes_everything(good):
    checks = d.run_checks(good)
    assert [c.code for c in checks if c.status != d.PASS] == []
    assert len({c.code for c in checks}) == len(checks) == len(d.CHECKS)


def test_every_check_has_a_vietnamese_fix_when_it_fails_or_warns(good):
    broken = replace(
        good, python_version=(3, 10, 1), python_bits=32, xlwings_version=None, pywin32_error="DLL load failed",
        installed_addins=[], office_store=True, access_vbom=1, workbook="https://d.docs.live.net/x/khoi.xlsx",
        missing_files=["bao-cao-khoi.docx"], soffice=None, dll_files=[],
    )
    for c in d.run_checks(broken):
        if c.status in (d.WARN, d.FAIL):
            assert c.fix and not c.fix.isascii(), c  # says how, in Vietnamese
        if c.status == d.SKIP:
            assert c.fix, c  # says why


def test_python_version_and_store_python(good):
    assert d.check_python(replace(good, python_version=(3, 10, 9))).status == d.FAIL
    assert d.check_python(replace(good, python_version=(3, 13, 0))).status == d.WARN
    assert d.check_python(replace(good, python_version=(3, 11, 0))).status == d.PASS
    store = d.check_python(replace(good, python_store=True))
    assert store.status == d.FAIL and "Microsoft Store" in store.detail and "python.org" in store.fix


def test_bitness_python_must_be_64_bit_office_may_differ(good):
    assert d.check_bitness(replace(good, python_bits=32)).status == d.FAIL
    office32 = d.check_bitness(replace(good, office_bits=32))
    assert office32.status == d.PASS and "32-bit" in office32.detail
    assert d.check_bitness(replace(good, office_bits=None)).status == d.WARN


def test_dll_of_another_version_is_a_mismatch(good):
    venv = PureWindowsPath(good.dll_dirs[1])
    broken = replace(good, dll_files=[str(venv / "xlwings64-0.37.7.dll"), str(venv / "xlwings32-0.37.7.dll")])
    c = d.check_dll(broken)
    assert c.status == d.FAIL
    assert "xlwings64-0.37.7.dll" in c.detail and f"xlwings64-{VER}.dll" in c.detail
    assert "cai-dat.cmd" in c.fix


def test_dll_missing_and_dll_of_office_bitness(good):
    assert d.check_dll(replace(good, dll_files=[])).status == d.FAIL
    # 32-bit Office loads xlwings32: a 64-bit-only folder is not enough
    only64 = [p for p in good.dll_files if "xlwings64" in p]
    assert d.check_dll(replace(good, office_bits=32, dll_files=only64)).status == d.FAIL
    assert d.check_dll(replace(good, office_bits=32)).status == d.PASS


def test_xlwings_version_against_the_addin(good):
    assert d.check_xlwings(replace(good, xlwings_version="0.33.0")).status == d.FAIL
    assert d.check_xlwings(replace(good, xlwings_version=None)).status == d.FAIL
    assert d.check_xlwings(replace(good, installed_addins=[addin(xlwings="0.37.9")])).status == d.FAIL


def test_addin_registered_once(good):
    assert d.check_addin(replace(good, installed_addins=[])).status == d.FAIL
    twice = [addin(), addin(r"C:\Users\An\AppData\Roaming\Microsoft\AddIns\xlpy.xlam", how="OPEN")]
    c = d.check_addin(replace(good, installed_addins=twice))
    assert c.status == d.WARN and "AddIns" in c.detail


def test_addin_version_after_a_partial_update(good):
    old = d.check_addin_version(replace(good, xlpy_version="0.2.0"))
    assert old.status == d.FAIL and "0.1.0" in old.detail and "0.2.0" in old.detail
    assert d.check_addin_version(replace(good, installed_addins=[addin(xlpy=None, xlwings=None)])).status == d.FAIL


def test_interpreter_expanded_like_xlwings(good):
    assert d.check_interpreter(good).status == d.PASS
    assert good.interpreter() == r"C:\Users\An\AppData\Local\xlpy\venv\Scripts\pythonw.exe"
    gone = replace(good, interpreter_exists=False)
    c = d.check_interpreter(gone)
    assert c.status == d.FAIL and "Could not" in c.fix
    unset = replace(good, env={})
    assert d.check_interpreter(unset).status == d.FAIL
    other = replace(good, python_exe=r"C:\Python312\python.exe")
    assert d.check_interpreter(other).status == d.WARN


def test_vietnamese_user_name(good):
    # Python under a Vietnamese profile: the VBA's LoadLibraryA cannot load the DLL from there
    f = replace(good, user_profile=VN_USER, env={**good.env, "LOCALAPPDATA": VN_USER + r"\AppData\Local"})
    c = d.check_path_ascii(f)
    assert c.status == d.FAIL and "Nguyễn" in c.detail and "không dấu" in c.fix
    # the installer's answer: Python in an ASCII folder, the profile keeps its name
    moved = replace(f, installed_addins=[addin(interpreter=r"C:\ProgramData\xlpy\Nguyen Thi Thuy\venv\Scripts\pythonw.exe")])
    c = d.check_path_ascii(moved)
    assert c.status == d.PASS and "Nguyễn" in c.detail


def test_vietnamese_workbook_path_is_fine_but_onedrive_is_not(good):
    vn = r"C:\Users\An\Documents\Thi đua 2025\Khối thi đua Văn hóa – Xã hội 2025.xlsx"
    assert d.check_path_ascii(replace(good, workbook=vn)).status == d.PASS
    assert d.check_onedrive(replace(good, workbook=vn)).status == d.PASS
    synced = d.check_onedrive(replace(good, workbook=r"C:\Users\An\OneDrive\Thi đua\khối.xlsx"))
    assert synced.status == d.WARN and "OneDrive" in synced.detail
    web = d.check_onedrive(replace(good, workbook="https://contoso.sharepoint.com/sites/td/khoi.xlsx"))
    assert web.status == d.WARN and "Save a Copy" in web.fix
    assert d.check_onedrive(replace(good, workbook=None)).status == d.SKIP


def test_store_office_is_the_known_failure(good):
    c = d.check_store_office(replace(good, office_store=True, excel_path=None))
    assert c.status == d.FAIL and "Could not activate Python COM server" in c.fix
    assert d.check_store_office(replace(good, office_store=None)).status == d.WARN


def test_trust_center(good):
    assert d.check_trust(good).status == d.PASS
    untrusted = replace(good, trusted_locations=[])
    assert d.check_trust(untrusted).status == d.WARN
    assert d.check_trust(replace(untrusted, vba_warnings=4)).status == d.FAIL
    assert d.check_trust(replace(good, trusted_locations_disabled=True, vba_warnings=4)).status == d.FAIL
    # a subfolder counts only when the location allows subfolders
    deep = [addin(r"C:\Users\An\AppData\Roaming\Microsoft\Excel\XLSTART\sub\xlpy.xlam")]
    assert d.check_trust(replace(good, installed_addins=deep)).status == d.WARN
    allow = [(r"%APPDATA%\Microsoft\Excel\XLSTART", True)]
    assert d.check_trust(replace(good, installed_addins=deep, trusted_locations=allow)).status == d.PASS


def test_mark_of_the_web(good):
    c = d.check_motw(replace(good, installed_addins=[addin(zone=3)]))
    assert c.status == d.FAIL and "Unblock-File" in c.fix
    assert d.check_motw(replace(good, installed_addins=[addin(zone=2)])).status == d.PASS


def test_vbom_only_where_needed(good):
    assert d.check_vbom(good).status == d.PASS
    assert d.check_vbom(replace(good, access_vbom=1)).status == d.WARN


def test_templates_libreoffice_pywin32(good):
    c = d.check_templates(replace(good, missing_files=["bao-cao-khoi.docx"]))
    assert c.status == d.FAIL and "bao-cao-khoi.docx" in c.detail
    assert d.check_libreoffice(replace(good, soffice=None)).status == d.WARN
    assert d.check_pywin32(replace(good, pywin32_error="ImportError: DLL load failed")).status == d.FAIL


def test_linux_skips_what_needs_windows(good):
    f = replace(good, os="linux", installed_addins=[], packaged_addin=addin(how="package"))
    checks = by_code(f)
    for code in ("DLL", "ADDIN", "INTERPRETER", "STORE-OFFICE", "TRUST", "MOTW", "VBOM", "PYWIN32"):
        assert checks[code].status == d.SKIP and "Windows" in checks[code].fix
    assert checks["ADDIN-VERSION"].status == d.PASS  # the packaged add-in is checked everywhere


def test_a_crashing_check_does_not_hide_the_others(good, monkeypatch):
    def boom(f):
        raise RuntimeError("x")

    monkeypatch.setattr(d, "CHECKS", (boom, d.check_python))
    checks = d.run_checks(good)
    assert [c.status for c in checks] == [d.WARN, d.PASS]


# ---- pure helpers ------------------------------------------------------------------


def test_pe_bits_reads_the_machine_field():
    def pe(machine: int) -> bytes:
        head = bytearray(0x100)
        head[:2] = b"MZ"
        struct.pack_into("<I", head, 0x3C, 0x80)
        head[0x80:0x84] = b"PE\0\0"
        struct.pack_into("<H", head, 0x84, machine)
        return bytes(head)

    assert d.pe_bits(pe(0x8664)) == 64 and d.pe_bits(pe(0x14C)) == 32
    assert d.pe_bits(b"not a program") is None


def test_zone_identifier_and_paths():
    assert d.zone_id("[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://mail\r\n") == 3
    assert d.zone_id("") is None
    assert d.within(r"c:/users/an/XLSTART/xlpy.xlam", r"C:\Users\An\xlstart\\")
    assert not d.within(r"C:\Users\An\XLSTART2\xlpy.xlam", r"C:\Users\An\XLSTART")
    assert d.expand_env(r"%localappdata%\x", {"LOCALAPPDATA": "L"}) == r"L\x"
    assert d.expand_env(r"%NOPE%\x", {}) == r"%NOPE%\x"


# ---- the Windows probe over a constructed registry and real files -----------------------


class DictRegistry(d.Registry):
    def __init__(self, data: dict[tuple[str, str], dict]):
        self.data = {(h, k.casefold()): v for (h, k), v in data.items()}

    def value(self, hive, key, name):
        return self.data.get((hive, key.casefold()), {}).get(name)

    def values(self, hive, key):
        return dict(self.data.get((hive, key.casefold()), {}))

    def subkeys(self, hive, key):
        prefix = key.casefold() + "\\"
        return sorted({k[len(prefix):].split("\\")[0] for (h, k) in self.data if h == hive and k.startswith(prefix)})


def test_windows_probe_reads_registry_and_files(tmp_path):
    appdata = tmp_path / "Nguyễn" / "Roaming"
    local = tmp_path / "Nguyễn" / "Local"
    xlstart = appdata / "Microsoft" / "Excel" / "XLSTART"
    addins = appdata / "Microsoft" / "AddIns"
    venv = tmp_path / "ascii" / "venv"
    (venv / "Scripts").mkdir(parents=True)
    (venv / "Scripts" / "pythonw.exe").write_bytes(b"")
    (venv / f"xlwings64-{VER}.dll").write_bytes(b"")
    build.configure_addin(build.default_workbook_dir() / build.ADDIN_NAME, xlstart / "xlpy.xlam", str(venv / "Scripts" / "pythonw.exe"))
    build.configure_addin(build.default_workbook_dir() / build.ADDIN_NAME, addins / "xlpy.xlam", build.DEFAULT_INTERPRETER)
    opt = r"Software\Microsoft\Office\16.0\Excel\Options"
    sec = r"Software\Microsoft\Office\16.0\Excel\Security"
    reg = DictRegistry(
        {
            ("HKCU", opt): {"OPEN": '/R "C:\\other\\solver.xlam"', "OPEN1": f'"{addins / "xlpy.xlam"}"', "Font": "Calibri"},
            ("HKCU", sec): {"VBAWarnings": 2, "AccessVBOM": 1},
            ("HKCU", sec + r"\Trusted Locations\Location2"): {"Path": str(xlstart), "AllowSubfolders": 0},
            ("HKLM", r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe"): {"": r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE"},
            ("HKLM", r"SOFTWARE\Microsoft\Office\ClickToRun\Configuration"): {"Platform": "x86"},
            ("HKCU", r"Software\Microsoft\OneDrive\Accounts\Business1"): {"UserFolder": r"C:\Users\An\OneDrive - Sở Nội vụ"},
        }
    )
    f = d.Facts(os="windows", env={"APPDATA": str(appdata), "LOCALAPPDATA": str(local)}, pinned_xlwings=VER,
                xlpy_version=build.read_addin(xlstart / "xlpy.xlam").xlpy, xlwings_version=VER)
    zones = {str(addins / "xlpy.xlam"): 3}
    d.probe_windows(f, reg, read_zone=lambda p: zones.get(str(p)))
    assert [a.how for a in f.installed_addins] == ["XLSTART", "OPEN"]
    assert f.open_values == [f'OPEN1="{addins / "xlpy.xlam"}"']
    assert f.installed_addins[1].zone_id == 3
    assert f.interpreter() == str(venv / "Scripts" / "pythonw.exe")
    assert f.dll_files == [str(venv / f"xlwings64-{VER}.dll")]
    assert f.office_bits == 32 and f.office_store is False
    assert f.vba_warnings == 2 and f.access_vbom == 1
    assert f.trusted_locations == [(str(xlstart), False)]
    assert r"C:\Users\An\OneDrive - Sở Nội vụ" in f.onedrive_roots
    checks = by_code(f)
    assert checks["ADDIN"].status == d.WARN  # loaded twice
    assert checks["MOTW"].status == d.FAIL  # the AddIns copy came from the Internet
    assert checks["DLL"].status == d.FAIL  # 32-bit Office needs xlwings32
    assert checks["VBOM"].status == d.WARN
    assert checks["TRUST"].status == d.PASS


def test_windows_probe_policy_wins_and_store_office(tmp_path):
    local = tmp_path / "Local"
    (local / "Packages" / d.STORE_OFFICE_PACKAGE).mkdir(parents=True)
    reg = DictRegistry(
        {
            ("HKCU", r"Software\Policies\Microsoft\Office\16.0\Excel\Security"): {"VBAWarnings": 4},
            ("HKCU", r"Software\Microsoft\Office\16.0\Excel\Security"): {"VBAWarnings": 2},
            ("HKCU", r"Software\Policies\Microsoft\Office\16.0\Excel\Security\Trusted Locations"): {"AllLocationsDisabled": 1},
        }
    )
    f = d.Facts(os="windows", env={"LOCALAPPDATA": str(local), "APPDATA": str(tmp_path / "Roaming")})
    d.probe_windows(f, reg, read_zone=lambda p: None)
    assert f.vba_warnings == 4 and f.trusted_locations_disabled is True
    assert f.office_store is True
    assert by_code(f)["STORE-OFFICE"].status == d.FAIL
    assert by_code(f)["ADDIN"].status == d.FAIL


# ---- the action ---------------------------------------------------------------------------


def _xlpy(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {**os.environ, "PYTHONIOENCODING": "utf-8", "XLPY_NO_OPEN": "1", **(env or {})}
    return subprocess.run([sys.executable, "-P", "-m", "xlpy.cli", *args], capture_output=True, text=True, cwd=cwd, env=e, timeout=120)


def test_cli_doctor_on_linux_runs_what_applies(tmp_path):
    p = _xlpy("doctor", "--json", cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(p.stdout)
    checks = {c["code"]: c for c in data["data"]["checks"]}
    assert checks["PYTHON"]["status"] == "pass" and checks["TEMPLATES"]["status"] == "pass"
    assert checks["ADDIN-VERSION"]["status"] == "pass"
    assert checks["DLL"]["status"] == "skip"
    assert "bỏ qua" in data["message"]


def test_cli_doctor_exit_code_1_names_the_failure(tmp_path):
    # an office template folder cannot hide a missing packaged file, but a broken XLPY_SOFFICE warns only;
    # a failing check: the packaged add-in stamped for another xlpy is simulated by a sitecustomize
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import xlpy.doctor as d\n"
        "orig = d._common\n"
        "def _common(f, wb):\n"
        "    orig(f, wb)\n"
        "    f.xlpy_version = '9.9.9'\n"
        "d._common = _common\n",
        encoding="utf-8",
    )
    p = _xlpy("doctor", cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert p.returncode == 1, p.stdout + p.stderr
    assert "ADDIN-VERSION" in p.stdout and "9.9.9" in p.stdout and "cai-dat.cmd" in p.stdout
    assert "Traceback" not in p.stderr


def test_ribbon_doctor_opens_a_page(tmp_path, sample_copy):
    book = sample_copy("so-nganh-100")
    log = tmp_path / "log.jsonl"
    cmd = build.DISPATCH_TEMPLATE.format(tag="doctor")
    env = {**os.environ, "XLPY_CALLER_BOOK": str(book), "XLPY_DISPATCH_LOG": str(log), "XLPY_NO_OPEN": "1",
           "PYTHONIOENCODING": "utf-8", "TMPDIR": str(tmp_path)}
    p = subprocess.run([sys.executable, "-P", "-c", cmd], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    page = tmp_path / "xlpy" / "kiem-tra-cai-dat.html"
    html = page.read_text(encoding="utf-8")
    assert "Kiểm tra cài đặt" in html and "ADDIN-VERSION" in html
    assert str(book.name) in html or "ONEDRIVE" in html
    events = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert any(e["event"] == "status" and e["text"] and "Kiểm tra cài đặt" in e["text"] for e in events)


def test_every_code_is_in_the_troubleshooting_table(good):
    from conftest import ROOT

    doc = (ROOT / "docs" / "cai-dat-windows.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Khi gặp sự cố"):]
    for c in d.run_checks(good):
        assert f"| `{c.code}` |" in section, c.code
