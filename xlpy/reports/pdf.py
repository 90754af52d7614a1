"""Word → PDF through LibreOffice headless: one office process for a whole batch.

LibreOffice runs with its own throw-away profile (``-env:UserInstallation``),
so it neither clashes with an office the officer has open nor leaves state
behind.  PDFs are converted into a temporary folder and then renamed into
place, so a failed conversion never leaves a broken PDF.  When LibreOffice is
missing, :class:`PdfUnavailable` says so in Vietnamese; callers keep the Word
and HTML outputs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

ENV_SOFFICE = "XLPY_SOFFICE"
WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
MAC_PATH = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (or not found)."""


class PdfError(RuntimeError):
    """LibreOffice ran but did not produce every PDF."""


def find_soffice() -> str | None:
    """The LibreOffice program: ``$XLPY_SOFFICE``, ``soffice``/``libreoffice`` on PATH, usual install folders."""
    env = os.environ.get(ENV_SOFFICE)
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for p in (*WINDOWS_PATHS, MAC_PATH):
        if Path(p).exists():
            return p
    return None


MISSING_MSG = (
    "Chưa cài LibreOffice nên không tạo được PDF; các tệp Word và HTML vẫn đã được tạo. "
    "Cài LibreOffice (https://www.libreoffice.org) hoặc đặt biến môi trường XLPY_SOFFICE trỏ tới soffice, "
    "hoặc mở tệp Word và chọn Lưu dưới dạng PDF."
)


def convert_to_pdf(files: Sequence[Path | str], out_dir: Path | str | None = None, *, timeout: float = 600) -> list[Path]:
    """Convert Word files to PDF with **one** LibreOffice run; return the PDFs in input order.

    Each PDF lands beside its source unless ``out_dir`` is given.  Files with the
    same name in different folders are converted in separate runs (LibreOffice
    writes by base name), still one run per folder group, not per file.
    """
    files = [Path(f) for f in files]
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(MISSING_MSG)
    # group so that no two inputs of one run share a base name
    runs: list[list[Path]] = []
    for f in files:
        for r in runs:
            if all(g.stem != f.stem for g in r):
                r.append(f)
                break
        else:
            runs.append([f])
    result: dict[Path, Path] = {}
    for batch in runs:
        result.update(_run(soffice, batch, out_dir, timeout))
    return [result[f] for f in files]


def _run(soffice: str, batch: list[Path], out_dir: Path | str | None, timeout: float) -> dict[Path, Path]:
    with tempfile.TemporaryDirectory(prefix="xlpy-lo-") as tmp:
        tmpdir = Path(tmp)
        profile = (tmpdir / "profile").as_uri()
        conv = tmpdir / "pdf"
        conv.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(conv),
            *[str(f.resolve()) for f in batch],
        ]
        kwargs: dict = {}
        if sys.platform == "win32":  # no console window flashing up from Excel
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            proc = subprocess.run(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, env=_env(), **kwargs
            )
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"LibreOffice chạy quá {timeout:.0f} giây mà chưa xong; đã dừng.") from e
        except OSError as e:
            raise PdfUnavailable(f"Không chạy được LibreOffice ({soffice}): {e}. " + MISSING_MSG) from e
        out: dict[Path, Path] = {}
        missing = []
        for f in batch:
            made = conv / f"{f.stem}.pdf"
            if not made.exists() or made.stat().st_size == 0:
                missing.append(f.name)
                continue
            target_dir = Path(out_dir) if out_dir is not None else f.parent
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / f"{f.stem}.pdf"
            shutil.move(str(made), str(target.with_suffix(".pdf.tmp")))
            os.replace(target.with_suffix(".pdf.tmp"), target)
            out[f] = target
        if missing:
            err = (proc.stderr or b"").decode("utf-8", "replace").strip()[-500:]
            raise PdfError(f"LibreOffice không chuyển được sang PDF: {', '.join(missing)}. {err}".strip())
        return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")  # headless, no display needed
    return env


def available() -> bool:
    return find_soffice() is not None


__all__: Iterable[str] = ["PdfError", "PdfUnavailable", "available", "convert_to_pdf", "find_soffice"]
