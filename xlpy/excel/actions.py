"""Actions of the Excel door: ``build-addin`` (CLI only) and ``guide`` (ribbon “Trợ giúp”)."""


import os
import sys
import webbrowser
from pathlib import Path

from ..actions import Result

GUIDE_URL = "https://github.com/xlpy/xlpy/tree/main/docs"
ENV_NO_OPEN = "XLPY_NO_OPEN"  # tests: do not launch a viewer


def build_addin(out: Path | None = None, interpreter: str | None = None) -> Result:
    from .build import build_addin as _build, resolve_interpreter

    r = _build(out, interpreter=resolve_interpreter(interpreter))
    files = [r.addin] + ([r.blank] if r.blank else [])
    msg = f"Đã dựng {r.addin.name}: {len(r.buttons)} nút trên ruy-băng, {len(r.udfs)} hàm ({', '.join(r.udfs)})."
    res = Result(True, msg, data={"addin": str(r.addin), "buttons": r.buttons, "udfs": r.udfs, "warnings": r.warnings}, files=files)
    for w in r.warnings:
        res.problems.warn("build_warning", "", "", w, "", w)
    return res


def guide_path() -> str:
    """The packaged user guide: its HTML page (self-contained, opens in the browser), else the
    Markdown source, else the web page when the package lacks both."""
    from ..resources import guide_file

    f = guide_file()
    return str(f) if f.exists() else GUIDE_URL


def open_path(target: str) -> bool:
    """Open a file or URL with the system's viewer (no-op when XLPY_NO_OPEN is set)."""
    if os.environ.get(ENV_NO_OPEN):
        return False
    if sys.platform.startswith("win") and not target.startswith("http"):
        os.startfile(target)  # type: ignore[attr-defined]  # noqa: S606
        return True
    uri = target if target.startswith("http") else Path(target).resolve().as_uri()
    return webbrowser.open(uri)


def guide() -> Result:
    target = guide_path()
    opened = open_path(target)
    msg = f"Đã mở hướng dẫn: {target}" if opened else f"Hướng dẫn sử dụng: {target}"
    files = [] if target.startswith("http") else [Path(target)]
    return Result(True, msg, data={"guide": target, "opened": opened}, files=files)
