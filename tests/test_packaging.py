"""A complete package: the wheel carries every runtime file, and (slow) an installed wheel in a
clean environment does an officer's day from a folder outside the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from xlpy import resources


def _pip_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                       capture_output=True, text=True, env=_pip_env(), cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    (w,) = out.glob("xlpy-*.whl")
    return w


def test_wheel_carries_the_runtime_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for t in resources.TEMPLATES:
        assert f"xlpy/templates/{t}" in names, t
    for f in ("xlpy/workbook/xlpy.xlam", "xlpy/workbook/xlpy-mau-trong.xlsx", "xlpy/docs/huong-dan-su-dung.md",
              "xlpy/docs/huong-dan-su-dung.html", "xlpy/excel/vba/XlpyRibbon.bas", "xlpy/excel/vba/ThisWorkbook.cls",
              "xlpy/py.typed"):
        assert f in names, f
    for toml in (ROOT / "xlpy" / "rules" / "sets").glob("*.toml"):
        assert f"xlpy/rules/sets/{toml.name}" in names
    for py in (ROOT / "xlpy").rglob("*.py"):
        assert py.relative_to(ROOT).as_posix() in names, py
    assert not any(n.startswith(("tests/", "samples/", "tools/", "installer/")) for n in names)
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "xlpy = xlpy.cli:entry" in entry
    # the add-in in the wheel is the committed one
    assert zipfile.ZipFile(wheel).read("xlpy/workbook/xlpy.xlam") == (ROOT / "workbook" / "xlpy.xlam").read_bytes()


def test_every_code_package_is_listed_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(conf["packages"])
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "xlpy").rglob("__init__.py")}
    assert code <= listed, f"add to [tool.setuptools] packages: {sorted(code - listed)}"
    # a folder of data inside the code is listed too (setuptools would drop it, with a warning)
    data = {".".join(d.relative_to(ROOT).parts) for d in (ROOT / "xlpy").rglob("*")
            if d.is_dir() and d.name != "__pycache__" and not (d / "__init__.py").exists()}
    assert data <= listed, sorted(data - listed)
    dirs = conf["package-dir"]
    assert dirs == {"xlpy.templates": "templates", "xlpy.workbook": "workbook", "xlpy.docs": "docs"}


def test_resources_list_matches_the_templates_folder():
    shipped = sorted(p.name for p in (ROOT / "templates").iterdir() if p.suffix in (".docx", ".j2"))
    assert sorted(resources.TEMPLATES) == shipped
    for label, path in resources.required_files().items():
        assert path.exists(), label
    assert resources.guide_file().name == resources.GUIDE_HTML


# ---- the installed wheel, in a clean environment, outside the repository -------------------------


@pytest.mark.slow
def test_installed_wheel_works_outside_the_repository(wheel, tmp_path):
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / ("python.exe" if os.name == "nt" else "python")
    p = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True,
                       env=_pip_env(), timeout=1200)
    assert p.returncode == 0, p.stdout + p.stderr
    work = tmp_path / "văn phòng"  # outside the repository, nothing of it on sys.path
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update({"PYTHONIOENCODING": "utf-8", "XLPY_NO_OPEN": "1", "HOME": str(work)})
    xlpy = str(bindir / "xlpy")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([xlpy, *args], capture_output=True, text=True, encoding="utf-8", cwd=work, env=env, timeout=600)

    # the package is the installed one, not the source tree
    p = subprocess.run([str(py), "-c", "import xlpy, xlpy.resources as r; print(xlpy.__file__); print(r.guide_file())"],
                       capture_output=True, text=True, cwd=work, env=env)
    assert p.returncode == 0 and str(env_dir) in p.stdout and str(ROOT) not in p.stdout, p.stdout + p.stderr

    p = run("demo")
    assert p.returncode == 0, p.stdout + p.stderr
    demo = work / "xlpy-demo"
    assert (demo / "so-nganh-100.xlsx").exists() and list(demo.rglob("*.docx"))

    book = work / "khoi.xlsx"
    shutil.copy(SAMPLES / "so-nganh-100.xlsx", book)
    p = run("compute", str(book))
    assert p.returncode == 0, p.stdout + p.stderr
    assert (work / "khoi.bak.xlsx").exists()

    p = run("report", str(book), "--format", "docx,html")
    assert p.returncode == 0, p.stdout + p.stderr
    reports = work / "khoi-bao-cao"
    assert list(reports.glob("*.docx")) and list(reports.glob("*.html"))

    p = run("doctor")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "TEMPLATES" in p.stdout

    p = run("send", str(book), "--dry-run")
    outbox = work / "khoi-hop-thu-di"
    if p.returncode != 0:
        missing = re.search(r"Email người gửi|chưa có địa chỉ email", p.stdout)
        assert missing, p.stdout + p.stderr  # any other failure is a real one
        pytest.xfail("samples/so-nganh-100.xlsx has no sender and unit e-mail settings yet (another change adds them)")
    assert list(outbox.glob("*.eml")), p.stdout
