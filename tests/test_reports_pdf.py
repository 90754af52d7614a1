"""PDF through LibreOffice: page size, fonts, page numbers, one office run per batch."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xlpy import actions
from xlpy.reports import pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "so-nganh-100.xlsx"

needs_office = pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdfinfo") is None,
                                  reason="LibreOffice and poppler-utils are needed")
pytestmark = [pytest.mark.slow, needs_office]

A4 = (595.3, 841.9)
SERIF = re.compile(r"(TimesNewRoman|Times New Roman|LiberationSerif|Liberation Serif|Tinos)", re.I)


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size(path: Path) -> tuple[float, float]:
    w, h = re.findall(r"[\d.]+", pdfinfo(path)["Page size"])[:2]
    return round(float(w), 1), round(float(h), 1)


def fonts(path: Path) -> list[tuple[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if parts:
            rows.append((parts[0], " ".join(parts[-5:-3])))  # name, "emb sub"
    return rows


def text(path: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-layout"]
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*cmd, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    base = tmp_path_factory.mktemp("pdf")
    book = base / SAMPLE.name
    book.write_bytes(SAMPLE.read_bytes())
    calls = []
    real = subprocess.run

    def spy(cmd, *a, **k):
        if cmd and "soffice" in str(cmd[0]) or (cmd and "libreoffice" in str(cmd[0])):
            calls.append(cmd)
        return real(cmd, *a, **k)

    mp = pytest.MonkeyPatch()
    mp.setattr(pdf.subprocess, "run", spy)
    try:
        res = actions.run("report", book, format="all", out=base / "out")
    finally:
        mp.undo()
    return res, base / "out", calls


def test_one_office_run_for_the_whole_batch(rendered):
    res, out, calls = rendered
    assert res.ok, res.message
    docx = sorted(out.rglob("*.docx"))
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == len(docx) >= 4
    # notices share no base name with the block documents: a single run
    assert len(calls) == 1
    assert any(a.startswith("-env:UserInstallation=file://") for a in calls[0])


def test_pdf_page_setup_fonts_and_numbers(rendered):
    _, out, _ = rendered
    for f in sorted(out.rglob("*.pdf")):
        size = page_size(f)
        if f.stem in ("phu-luc-thong-ke", "khong-du-dieu-kien"):
            assert size == (A4[1], A4[0])  # landscape annex and internal list
        else:
            assert size == A4
        fl = fonts(f)
        assert fl, f
        for name, emb in fl:
            assert SERIF.search(name), (f.name, name)  # Times New Roman or its metric twin
            assert emb.startswith("yes"), (f.name, name)
    bc = out / "bao-cao-khoi.pdf"
    pages = int(pdfinfo(bc)["Pages"])
    # 10 units, the results table, the chart and the 25 award proposals that passed
    assert 2 <= pages <= 6
    p1 = text(bc, 1)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in p1 and "Độc lập - Tự do - Hạnh phúc" in p1
    assert "BÁO CÁO" in p1
    assert not p1.strip().startswith("1")  # no page number on page 1
    assert text(bc, 2).strip().startswith("2")  # centred number at the top of page 2
    # Vietnamese numbers survive into the PDF, also in the chart's labels
    assert re.search(r"\d+,\d+", text(bc))


def test_png_of_each_first_page(rendered, tmp_path):
    _, out, _ = rendered
    for f in [out / "bao-cao-khoi.pdf", out / "danh-sach-de-nghi.pdf", out / "phu-luc-thong-ke.pdf",
              sorted((out / "thong-bao").glob("*.pdf"))[0]]:
        target = tmp_path / f.stem
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(f), str(target)], check=True)
        png = next(tmp_path.glob(f"{f.stem}*.png"))
        assert png.stat().st_size > 5000


def test_missing_office_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable, match="LibreOffice"):
        pdf.convert_to_pdf([tmp_path / "x.docx"])
    assert pdf.convert_to_pdf([]) == []
