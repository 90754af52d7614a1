"""Build the offline Windows bundle: ``dist/xlpy-<version>-windows.zip``.

    python3 tasks.py release          # (runs this in .venv with the build extras)

What the zip holds, under one folder ``xlpy-<version>-windows/``:

* ``wheelhouse/``: xlpy's wheel and every dependency for CPython 3.11 and 3.12 on
  win_amd64, so the installer needs no index;
* ``xlpy.xlam`` (the add-in, taken from the wheel: the very file the installer copies),
  ``xlpy-mau-trong.xlsx`` (the blank workbook), ``huong-dan-su-dung.pdf`` (the guide,
  LibreOffice from its HTML page);
* ``cai-dat.cmd`` / ``cai-dat.ps1`` (install or upgrade), ``go-cai-dat.cmd`` /
  ``go-cai-dat.ps1`` (uninstall), ``chung.ps1`` (shared), ``manifest.json`` (versions the
  installer reads), ``DOC-TRUOC.txt`` (three lines for the officer).

Why two resolvers.  ``pip download --platform win_amd64`` picks Windows wheels but
evaluates environment markers for the machine it runs on, so on Linux it leaves out
what only Windows needs (``pywin32`` via xlwings, ``pywin32-ctypes`` via keyring,
``colorama``, ``tzdata``) and the officer's offline install would fail.  So the
wheelhouse is pip's download (host markers: what the brief's pip check resolves) plus
what ``uv pip compile --python-platform x86_64-pc-windows-msvc`` resolves for Windows;
:func:`verify_wheelhouse` then resolves it offline both ways: pip (``--no-index``) and
uv with Windows markers (``--offline --no-index``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12")
PLATFORM = "win_amd64"
UV_PLATFORM = "x86_64-pc-windows-msvc"
INSTALLER = ROOT / "installer" / "windows"
SCRIPTS = ("cai-dat.cmd", "cai-dat.ps1", "go-cai-dat.cmd", "go-cai-dat.ps1", "chung.ps1")
_FIXED = (2025, 1, 1, 0, 0, 0)

README = """xlpy {version} – Thi đua, Khen thưởng trong Excel

1. Giải nén toàn bộ tệp zip này (chuột phải > Extract All...), KHÔNG chạy thẳng từ trong tệp zip.
2. Đóng Excel. Bấm đúp vào cai-dat.cmd và làm theo hướng dẫn trên màn hình.
3. Mở Excel: thẻ "Thi đua – Khen thưởng" nằm sau thẻ Home.

Cần Python 3.12 (hoặc 3.11) bản 64-bit từ python.org; nếu máy chưa có, cai-dat.cmd sẽ chỉ chỗ tải.
Không cần Internet, không cần quyền quản trị. Chạy lại cai-dat.cmd để nâng cấp hoặc sửa cài đặt.
Gỡ cài đặt: go-cai-dat.cmd. Hướng dẫn sử dụng: huong-dan-su-dung.pdf.
Khi có lỗi: Start menu > xlpy > "xlpy - Kiểm tra cài đặt" (lệnh xlpy doctor), mỗi mục có cách sửa.
"""


class ReleaseError(RuntimeError):
    pass


def project_version() -> str:
    """The version the wheel gets: ``xlpy.__version__`` (pyproject declares it dynamic), read from the source."""
    import re

    text = (ROOT / "xlpy" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def _clean_pip_env() -> dict[str, str]:
    """pip with no machine or user configuration: only what the command line says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd: list[str | Path], *, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, cwd=cwd)
    if p.returncode != 0:
        raise ReleaseError(f"{' '.join(str(c) for c in cmd)}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def check_sources(version: str) -> None:
    """The committed add-in and guide page belong to this version and this guide."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import guide_html
    finally:
        sys.path.pop(0)
    from xlpy.excel.build import read_addin

    info = read_addin(ROOT / "workbook" / "xlpy.xlam")
    if info.xlpy != version:
        raise ReleaseError(f"workbook/xlpy.xlam is stamped {info.xlpy}, the project is {version}: run `python3 tasks.py addin`")
    if guide_html.main(["--check"]) != 0:
        raise ReleaseError("docs/huong-dan-su-dung.html is out of date: run `python3 tasks.py docs`")


def build_wheel(out: Path) -> tuple[Path, float]:
    """``pip wheel --no-deps .`` (the release's one wheel); returns it and the seconds it took."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT], env=_clean_pip_env(), cwd=ROOT)
    secs = time.perf_counter() - t0
    wheels = sorted(out.glob("xlpy-*.whl"))
    if len(wheels) != 1:
        raise ReleaseError(f"expected one xlpy wheel in {out}, found {wheels}")
    return wheels[0], secs


def _pip_download(wheelhouse: Path, py: str, args: list[str | Path]) -> None:
    _run(
        [sys.executable, "-m", "pip", "download", "-q", "--platform", PLATFORM, "--python-version", py,
         "--implementation", "cp", "--only-binary=:all:", "-d", wheelhouse, *args],
        env=_clean_pip_env(),
    )


def windows_requirements(wheel: Path, py: str) -> list[str]:
    """Pinned requirements of ``wheel`` resolved for Windows (markers evaluated for Windows)."""
    with tempfile.TemporaryDirectory() as td:
        req = Path(td) / "req.in"
        req.write_text(f"xlpy @ {wheel.resolve().as_uri()}\n", encoding="utf-8")
        p = _run([sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--python-platform", UV_PLATFORM,
                  "--python-version", py, "--no-header", "--no-annotate", req])
    pins = [ln.strip() for ln in p.stdout.splitlines() if ln.strip() and not ln.startswith("#")]
    return [ln for ln in pins if not ln.startswith("xlpy ")]


def build_wheelhouse(wheel: Path, wheelhouse: Path, pythons: tuple[str, ...] = PYTHONS) -> None:
    wheelhouse.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, wheelhouse / wheel.name)
    for py in pythons:
        _pip_download(wheelhouse, py, [wheel])  # as pip resolves it (host markers)
        pins = windows_requirements(wheel, py)  # what Windows needs besides
        with tempfile.TemporaryDirectory() as td:
            req = Path(td) / "windows.txt"
            req.write_text("\n".join(pins) + "\n", encoding="utf-8")
            _pip_download(wheelhouse, py, ["--no-deps", "-r", req])


def verify_wheelhouse(wheelhouse: Path, version: str, pythons: tuple[str, ...] = PYTHONS) -> list[str]:
    """Resolve ``xlpy==version`` from the wheelhouse alone, for each Python, with pip and with uv
    (Windows markers).  Returns the failures (empty: the bundle installs offline)."""
    failures = []
    for py in pythons:
        with tempfile.TemporaryDirectory() as td:
            pip = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index",
                 "--find-links", str(wheelhouse), "--platform", PLATFORM, "--python-version", py, "--implementation", "cp",
                 "--only-binary=:all:", "--target", str(Path(td) / "pip"), f"xlpy=={version}"],
                capture_output=True, text=True, env=_clean_pip_env(),
            )
            if pip.returncode != 0 or f"xlpy-{version}" not in pip.stdout:
                failures.append(f"pip, Python {py}: {pip.stdout[-1500:]} {pip.stderr[-1500:]}")
            uv = subprocess.run(
                [sys.executable, "-m", "uv", "pip", "install", "--dry-run", "--offline", "--no-index",
                 "--find-links", str(wheelhouse), "--python-platform", UV_PLATFORM, "--python-version", py,
                 "--target", str(Path(td) / "uv"), f"xlpy=={version}"],
                capture_output=True, text=True,
            )
            if uv.returncode != 0 or "pywin32" not in uv.stderr + uv.stdout:
                failures.append(f"uv (Windows markers), Python {py}: {uv.stdout[-1500:]} {uv.stderr[-1500:]}")
    return failures


def guide_pdf(html: Path, out_dir: Path) -> Path:
    """The guide page as PDF through LibreOffice (Writer, A4, the page's own CSS)."""
    from xlpy.reports.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        raise ReleaseError("LibreOffice (soffice) is needed for the guide's PDF")
    with tempfile.TemporaryDirectory() as td:
        profile = Path(td, "profile").as_uri()
        _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--infilter=HTML (StarWriter)",
              "--convert-to", "pdf:writer_pdf_Export", "--outdir", td, html])
        pdf = Path(td) / (html.stem + ".pdf")
        if not pdf.exists():
            raise ReleaseError("LibreOffice wrote no PDF of the guide")
        dest = out_dir / "huong-dan-su-dung.pdf"
        shutil.copyfile(pdf, dest)
    return dest


def crlf(data: bytes) -> bytes:
    """Windows line ends (cmd.exe mis-parses some LF-only batch files)."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def stage_bundle(stage: Path, wheel: Path, wheelhouse: Path, version: str) -> None:
    from xlpy.excel.build import PINNED_XLWINGS

    stage.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for name, target in (("xlpy/workbook/xlpy.xlam", "xlpy.xlam"), ("xlpy/workbook/xlpy-mau-trong.xlsx", "xlpy-mau-trong.xlsx"),
                             ("xlpy/docs/huong-dan-su-dung.html", "huong-dan-su-dung.html")):
            (stage / target).write_bytes(z.read(name))
    guide_pdf(stage / "huong-dan-su-dung.html", stage)
    (stage / "huong-dan-su-dung.html").unlink()
    for name in SCRIPTS:
        (stage / name).write_bytes(crlf((INSTALLER / name).read_bytes()))
    if wheelhouse.resolve() != (stage / "wheelhouse").resolve():
        shutil.copytree(wheelhouse, stage / "wheelhouse", dirs_exist_ok=True)
    manifest = {
        "xlpy": version,
        "xlwings": PINNED_XLWINGS,
        "pythons": list(PYTHONS),
        "platform": PLATFORM,
        "wheels": sorted(p.name for p in (stage / "wheelhouse").glob("*.whl")),
    }
    (stage / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (stage / "DOC-TRUOC.txt").write_bytes(b"\xef\xbb\xbf" + crlf(README.format(version=version).encode("utf-8")))


def zip_bundle(stage: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    top = stage.name
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(stage.rglob("*")):
            if p.is_file():
                zi = zipfile.ZipInfo(f"{top}/{p.relative_to(stage).as_posix()}", date_time=_FIXED)
                zi.compress_type = zipfile.ZIP_STORED if p.suffix == ".whl" else zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, p.read_bytes())
    os.replace(tmp, dest)
    return dest


def release(dist: Path | None = None, work: Path | None = None) -> dict:
    """Build the bundle; returns figures (wheel build seconds, bundle bytes, wheels)."""
    t0 = time.perf_counter()
    version = project_version()
    check_sources(version)
    dist = dist or ROOT / "dist"
    work = work or ROOT / "build" / "release"
    if work.exists():
        shutil.rmtree(work)
    stage = work / f"xlpy-{version}-windows"
    wheel, wheel_secs = build_wheel(work / "wheel")
    build_wheelhouse(wheel, stage / "wheelhouse")
    failures = verify_wheelhouse(stage / "wheelhouse", version)
    if failures:
        raise ReleaseError("the wheelhouse does not resolve offline:\n" + "\n".join(failures))
    stage_bundle(stage, wheel, stage / "wheelhouse", version)
    out = zip_bundle(stage, dist / f"xlpy-{version}-windows.zip")
    shutil.copy2(wheel, dist / wheel.name)
    return {
        "bundle": str(out),
        "bundle_bytes": out.stat().st_size,
        "wheel": str(dist / wheel.name),
        "wheel_build_seconds": round(wheel_secs, 2),
        "wheels": len(list((stage / "wheelhouse").glob("*.whl"))),
        "total_seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: list[str]) -> int:
    try:
        figures = release()
    except ReleaseError as e:
        print(f"release failed: {e}", file=sys.stderr)
        return 1
    print(f"wheel:  {figures['wheel']} (built in {figures['wheel_build_seconds']} s)")
    print(f"bundle: {figures['bundle']} ({figures['bundle_bytes'] / 1e6:.1f} MB, {figures['wheels']} wheels)")
    print(f"offline resolution checked with pip and uv for CPython {', '.join(PYTHONS)} on {PLATFORM}")
    print(f"total: {figures['total_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
