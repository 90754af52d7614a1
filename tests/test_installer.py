"""The Windows installer, checked here without PowerShell: every step it claims is read back
from the script text, the scripts pass a structural syntax check, and (slow) the bundle is
built and its wheelhouse resolves offline for CPython 3.11 and 3.12 on win_amd64."""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from xlpy.excel import build

INSTALLER = ROOT / "installer" / "windows"
PS1 = ("cai-dat.ps1", "go-cai-dat.ps1", "chung.ps1")


def _load_release():
    spec = importlib.util.spec_from_file_location("xlpy_release", ROOT / "tools" / "release.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def text(name: str) -> str:
    return (INSTALLER / name).read_text(encoding="utf-8-sig")


def code(name: str) -> str:
    """The script without its comments (what PowerShell executes: a step in a comment does not count)."""
    return "".join(tok for kind, tok in tokens(text(name)) if kind != "comment")


# ---- a small PowerShell tokenizer: enough to find strings, comments and brackets ----------------


def tokens(src: str) -> list[tuple[str, str]]:
    """(kind, text) with kind in code / comment / string / here; raises SyntaxError on an unclosed one."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(src)
    buf = ""

    def flush():
        nonlocal buf
        if buf:
            out.append(("code", buf))
            buf = ""

    while i < n:
        c = src[i]
        two = src[i : i + 2]
        if two == "<#":
            end = src.find("#>", i + 2)
            if end < 0:
                raise SyntaxError(f"unclosed block comment at {i}")
            flush()
            out.append(("comment", src[i : end + 2]))
            i = end + 2
        elif c == "#":
            end = src.find("\n", i)
            end = n if end < 0 else end
            flush()
            out.append(("comment", src[i:end]))
            i = end
        elif two in ("@'", '@"') and src[i + 2 : i + 3] in ("\n", "\r"):
            close = "\n" + two[1] + "@"
            end = src.find(close, i + 2)
            if end < 0:
                raise SyntaxError(f"unclosed here-string at {i}")
            flush()
            out.append(("here", src[i : end + len(close)]))
            i = end + len(close)
        elif c == "'":
            j = i + 1
            while True:
                j = src.find("'", j)
                if j < 0:
                    raise SyntaxError(f"unclosed '...' at line {src.count(chr(10), 0, i) + 1}")
                if src[j + 1 : j + 2] == "'":
                    j += 2
                    continue
                break
            flush()
            out.append(("string", src[i : j + 1]))
            i = j + 1
        elif c == '"':
            j = i + 1
            depth = 0  # $( ... ) inside the string
            while j < n:
                if src[j] == "`":
                    j += 2
                    continue
                if src[j : j + 2] == "$(":
                    depth += 1
                    j += 2
                    continue
                if src[j] == ")" and depth:
                    depth -= 1
                elif src[j] == '"' and not depth:
                    if src[j + 1 : j + 2] == '"':
                        j += 2
                        continue
                    break
                j += 1
            if j >= n:
                raise SyntaxError(f'unclosed "..." at line {src.count(chr(10), 0, i) + 1}')
            flush()
            out.append(("string", src[i : j + 1]))
            i = j + 1
        elif c == "`":
            buf += src[i : i + 2]
            i += 2
        else:
            buf += c
            i += 1
    flush()
    return out


def balanced(code_text: str) -> None:
    pairs = {")": "(", "}": "{", "]": "["}
    stack: list[tuple[str, int]] = []
    line = 1
    for ch in code_text:
        if ch == "\n":
            line += 1
        elif ch in "({[":
            stack.append((ch, line))
        elif ch in ")}]":
            if not stack or stack[-1][0] != pairs[ch]:
                raise SyntaxError(f"unbalanced {ch!r} near line {line} (open: {stack[-3:]})")
            stack.pop()
    if stack:
        raise SyntaxError(f"unclosed {stack[-1][0]!r} from line {stack[-1][1]}")


def test_the_syntax_check_catches_mistakes():
    balanced(code_of("if ($a) { Write-Host 'x)' }"))
    for bad in ("if ($a) { Write-Host 'x' ", "Write-Host 'it's'", 'Write-Host "a', "foo(]", "@'\nnever closed"):
        with pytest.raises(SyntaxError):
            balanced(code_of(bad))
    assert "&&" in code_of("a && b") and "&&" not in code_of("Write-Host 'a && b'")


def code_of(src: str) -> str:
    return "".join(tok for kind, tok in tokens(src) if kind == "code")


@pytest.mark.parametrize("name", PS1)
def test_powershell_scripts_are_structurally_valid(name):
    raw = (INSTALLER / name).read_bytes()
    # Windows PowerShell 5.1 reads a BOM-less script as ANSI: Vietnamese messages would be garbled
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name} must be UTF-8 with a BOM"
    src = raw.decode("utf-8-sig")
    balanced(code_of(src))
    c = code_of(src)
    # no bash-isms and nothing Windows PowerShell 5.1 lacks (&&, || and ?? came with PowerShell 7)
    for bad in ("&&", "||", "??", "?.", " fi\n", "export ", "2>/dev/null", "$HOME/", "rm -rf", "[[ ", "then\n", "done\n"):
        assert bad not in c, f"{name}: {bad!r}"
    assert not re.search(r"^\s*(echo|ls|cat|grep|sed|mkdir -p)\s", c, re.M), name
    # every cmdlet used exists in Windows PowerShell 5.1
    known = {
        "Write-Host", "Write-Step", "Stop-WithError", "Test-Ascii", "Get-AsciiName", "Wait-ExcelClosed", "Stop-XlpyServer",
        "Remove-OpenEntries", "Read-Record", "Remove-FromUserPath", "Get-PythonInfo", "Get-Content", "ConvertFrom-Json",
        "ConvertTo-Json", "New-Item", "Start-Transcript", "Stop-Transcript", "Get-ChildItem", "Unblock-File", "Get-Command",
        "Get-Process", "Stop-Process", "Where-Object", "Sort-Object", "Remove-Item", "Test-Path", "Join-Path", "Split-Path",
        "Copy-Item", "Move-Item", "New-Object", "Get-ItemProperty", "Remove-ItemProperty", "New-ItemProperty", "Out-Null",
        "Read-Host", "Get-Date", "Set-StrictMode", "Get-CimInstance", "ForEach-Object",
    }
    used = set(re.findall(r"\b[A-Z][a-z]+-[A-Z][A-Za-z]+\b", c))
    assert used <= known, f"{name}: unexpected commands {sorted(used - known)}"
    # functions are defined before use
    defined = re.findall(r"^function ([\w-]+)", src, re.M)
    assert len(defined) == len(set(defined))


def test_cmd_launchers_are_ascii_and_call_powershell_with_bypass():
    for name, ps in (("cai-dat.cmd", "cai-dat.ps1"), ("go-cai-dat.cmd", "go-cai-dat.ps1")):
        raw = (INSTALLER / name).read_bytes()
        assert raw.isascii(), name  # cmd.exe reads batch files in the OEM code page
        t = raw.decode()
        assert f'-ExecutionPolicy Bypass -File "%~dp0{ps}"' in t and "-NoProfile" in t
        assert "exit /b" in t


def test_installer_steps_are_in_the_script():
    src = text("cai-dat.ps1")
    chung = text("chung.ps1")
    c = code("cai-dat.ps1")
    # 1. Mark of the Web on the bundle and on the installed add-in
    assert "Get-ChildItem -Path $Root -Recurse -File | Unblock-File" in c
    assert "Unblock-File -Path $AddinTarget" in c
    # 2. Excel closed, COM server of the environment stopped
    assert "Wait-ExcelClosed" in c and "Stop-XlpyServer $EnvDir" in c
    server = code("chung.ps1")
    assert "Win32_Process" in server and "ParentProcessId" in server  # the venv redirector's child too
    # 3. Python 3.12/3.11 64-bit through the py launcher, else a Vietnamese pointer to python.org
    for tag in ("'-3.12-64'", "'-3.11-64'", "'-3.12'", "'-3.11'"):
        assert tag in src
    assert "Get-Command 'py'" in c and "https://www.python.org/downloads/windows/" in src
    assert "$info.Bits -eq 64" in c and "*\\WindowsApps\\*" in src
    # 4. the environment: %LOCALAPPDATA%\xlpy\venv, ASCII fallback for Vietnamese user names
    assert "$DefaultEnvDir = Join-Path $XlpyHome 'venv'" in chung and "$XlpyHome = Join-Path $env:LOCALAPPDATA 'xlpy'" in chung
    assert "Test-Ascii $DefaultEnvDir" in c and "Get-AsciiName $env:USERNAME" in c and "$env:ProgramData" in c
    # the interpreter written into the add-in is the add-in's shipped default, unexpanded
    m = re.search(r"\$DefaultInterpreter = '([^']+)'", chung)
    assert m and m.group(1) == build.DEFAULT_INTERPRETER
    assert "if ($EnvDir -eq $DefaultEnvDir) { $Interpreter = $DefaultInterpreter } else { $Interpreter = $EnvPyw }" in c
    # 5. venv
    assert "& $Python.Exe -m venv $EnvDir" in c
    # 6. offline install from the wheelhouse, then a forced reinstall of xlpy and xlwings (the DLL)
    assert re.search(r"pip install --no-index --find-links \$Wheelhouse --upgrade --upgrade-strategy eager \"xlpy==\$Version\"", c)
    assert '--force-reinstall --no-deps "xlpy==$Version" "xlwings==$XlwingsVersion"' in c
    assert "$env:PIP_CONFIG_FILE = 'NUL'" in c
    # 7. the DLL, the add-in copied from the installed package into XLSTART with this PC's interpreter
    assert 'Join-Path $EnvDir "xlwings64-$XlwingsVersion.dll"' in c
    assert "$XlStartDir = Join-Path $env:APPDATA 'Microsoft\\Excel\\XLSTART'" in chung
    assert "& $EnvPy -m xlpy.excel.build --configure --interpreter $Interpreter --out $AddinTarget" in c
    assert "Remove-OpenEntries" in c
    # 9. doctor at the end, its exit code is the installer's
    assert "& $EnvPy -m xlpy.cli doctor" in c and "exit $rc" in c


def test_stale_registrations_are_the_excel_open_values():
    c = code("chung.ps1")
    src = text("chung.ps1")
    assert "'HKCU:\\Software\\Microsoft\\Office'" in src and "'Excel\\Options'" in src
    assert "'^OPEN(\\d*)$'" in src
    assert "Remove-ItemProperty -Path $key -Name $o.Name" in c
    assert "New-ItemProperty -Path $key -Name $name" in c and '"OPEN$i"' in src


def test_uninstaller_undoes_each_install_step():
    c = code("go-cai-dat.ps1")
    for step in ("Stop-XlpyServer $dir", "Remove-Item -Force -Path $AddinTarget", "Remove-OpenEntries",
                 "Remove-Item -Recurse -Force -Path $dir", "Remove-FromUserPath $BinDir",
                 "Remove-Item -Recurse -Force -Path $StartMenuDir", "Remove-Item -Recurse -Force -Path $XlpyHome"):
        assert step in c, step


def test_the_configure_command_the_installer_runs_works(tmp_path):
    """The exact command line of step 7, run here with this Python (the Windows paths differ only)."""
    import subprocess
    import sys

    dest = tmp_path / "Nguyễn Văn An" / "XLSTART" / build.ADDIN_NAME
    p = subprocess.run(
        [sys.executable, "-P", "-m", "xlpy.excel.build", "--configure", "--interpreter", build.DEFAULT_INTERPRETER, "--out", str(dest)],
        capture_output=True, text=True, env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert p.returncode == 0, p.stderr
    from xlpy.resources import workbook_file

    assert dest.read_bytes() == workbook_file(build.ADDIN_NAME).read_bytes()


def test_manifest_keys_the_installer_reads():
    src = text("cai-dat.ps1")
    assert "$Manifest.xlpy" in src and "$Manifest.xlwings" in src
    rel = _load_release()
    assert rel.SCRIPTS == ("cai-dat.cmd", "cai-dat.ps1", "go-cai-dat.cmd", "go-cai-dat.ps1", "chung.ps1")
    assert {p.name for p in INSTALLER.iterdir()} == set(rel.SCRIPTS)
    assert rel.crlf(b"a\nb\r\nc") == b"a\r\nb\r\nc"


# ---- the bundle (slow: downloads every Windows wheel) -----------------------------------------


@pytest.mark.slow
def test_release_bundle_installs_offline(tmp_path):
    rel = _load_release()
    figures = rel.release(dist=tmp_path / "dist", work=tmp_path / "work")
    bundle = Path(figures["bundle"])
    version = rel.project_version()
    assert bundle.name == f"xlpy-{version}-windows.zip"
    top = f"xlpy-{version}-windows/"
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        z.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / top
    for f in ("cai-dat.cmd", "cai-dat.ps1", "go-cai-dat.cmd", "go-cai-dat.ps1", "chung.ps1", "manifest.json",
              "xlpy.xlam", "xlpy-mau-trong.xlsx", "huong-dan-su-dung.pdf", "DOC-TRUOC.txt"):
        assert top + f in names, f
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["xlpy"] == version and manifest["xlwings"] == build.PINNED_XLWINGS
    # scripts arrive with Windows line ends, the BOM kept
    for f in ("cai-dat.cmd", "cai-dat.ps1"):
        data = (root / f).read_bytes()
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert (root / "cai-dat.ps1").read_bytes().startswith(b"\xef\xbb\xbf")
    # the add-in is the package's (and so the installer's) add-in
    assert (root / "xlpy.xlam").read_bytes() == (ROOT / "workbook" / "xlpy.xlam").read_bytes()
    assert (root / "huong-dan-su-dung.pdf").read_bytes().startswith(b"%PDF")
    wh = root / "wheelhouse"
    wheels = {p.name for p in wh.glob("*.whl")}
    for py in ("cp311", "cp312"):
        assert any(n.startswith("pywin32-") and f"{py}-{py}-win_amd64" in n for n in wheels), py
        assert any(n.startswith(f"xlwings-{build.PINNED_XLWINGS}-{py}") for n in wheels), py
    assert not any("linux" in n or "macosx" in n for n in wheels)
    # the brief's proof, run again here on the unzipped bundle: pip, offline, each Python
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    for py in ("3.11", "3.12"):
        p = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links", str(wh), "--platform", "win_amd64",
             "--python-version", py, "--only-binary=:all:", "--target", str(tmp_path / f"t{py}"), "xlpy"],
            capture_output=True, text=True, env=env,
        )
        assert p.returncode == 0, p.stdout + p.stderr
        assert f"xlpy-{version}" in p.stdout
    # and with Windows markers (uv): pywin32 must be there; without it the check fails
    assert rel.verify_wheelhouse(wh, version) == []
    for w in wh.glob("pywin32-*.whl"):
        w.unlink()
    failures = rel.verify_wheelhouse(wh, version, pythons=("3.12",))
    assert failures and any("uv" in f and "pywin32" in f for f in failures)
