"""The project's entry points, needing nothing but Python 3.11:

    python3 tasks.py demo        # make .venv, install xlpy, run `xlpy demo` on the bundled sample
    python3 tasks.py test        # make .venv, install xlpy with test extras, run the whole test suite
    python3 tasks.py bench       # run the benchmarks
    python3 tasks.py docs        # regenerate docs/reference.md and the sample workbooks
    python3 tasks.py addin       # rebuild workbook/xlpy.xlam and the blank workbook
    python3 tasks.py release     # build dist/xlpy-<version>-windows.zip (offline Windows bundle)

Extra arguments after the task go to the underlying command
(e.g. ``python3 tasks.py test -k ranking``).  The virtual environment is
reused while pyproject.toml is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(*cmd: str | Path, **kw) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def _install_key() -> str:
    """What the editable install depends on: pyproject.toml and the list of package files
    (a strict editable install links files, so a new module needs a reinstall)."""
    h = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for folder in ("xlpy", "templates", "workbook", "docs"):
        for p in sorted((ROOT / folder).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode() + b"\0")
    return h.hexdigest()


def ensure_env(extras: str = "") -> Path:
    """Create .venv and install xlpy (editable) with ``extras``; skip when up to date."""
    stamp = VENV / f".xlpy-installed{extras.replace(',', '-')}"
    want = _install_key()
    if stamp.exists() and stamp.read_text() == want and PY.exists():
        return PY
    if not PY.exists():
        print(f"+ python -m venv {VENV}", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
        except Exception as e:  # e.g. Debian without python3-venv
            sys.exit(f"Không tạo được môi trường ảo (.venv): {e}\nCài gói python3-venv (Debian/Ubuntu) rồi chạy lại.")
    target = f".[{extras}]" if extras else "."
    if _run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--upgrade", "pip") != 0:
        sys.exit("pip upgrade failed")
    # strict: the package is a tree of links, so the resource folders mapped into it
    # (templates/, workbook/, docs/) are found by importlib.resources as in a wheel
    if _run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target,
            "--config-settings", "editable_mode=strict") != 0:
        sys.exit("Cài đặt xlpy thất bại (pip install).")
    stamp.write_text(want)
    return PY


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    task, rest = argv[0], argv[1:]
    if task == "demo":
        py = ensure_env()
        return _run(py, "-P", "-m", "xlpy.cli", "demo", *rest)
    if task == "test":
        py = ensure_env("test,build")
        return _run(py, "-P", "-m", "pytest", *rest)  # -P: import the installed xlpy, not ./xlpy
    if task == "bench":
        py = ensure_env("test,bench")
        return _run(py, "-P", "benchmarks/run.py", *rest)
    if task == "docs":
        py = ensure_env("build")
        return (_run(py, "-P", "-m", "xlpy.docgen") or _run(py, "-P", "tools/guide_html.py")
                or _run(py, "-P", "samples/build_samples.py"))
    if task == "addin":
        py = ensure_env("build")
        return _run(py, "-P", "-m", "xlpy.cli", "build-addin", *rest)
    if task == "release":
        py = ensure_env("build")
        return _run(py, "-P", "tools/release.py", *rest)
    print(f"unknown task {task!r}\n{__doc__}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
