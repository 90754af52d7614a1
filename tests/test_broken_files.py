"""Issue 9: broken and foreign files, built here from real programs' output, are refused with a
Vietnamese message that names the file, says what it is and what to do — through the Python API
and the command line alike, never with a traceback, fast, with bounded memory, and without
touching the file or adding anything beside it.  Large but honest workbooks (a huge declared
dimension, a million formatted empty rows, 20,000 units) are computed in seconds.

Every file is built by the tests (python-docx, msoffcrypto-tool, LibreOffice, zipfile): no binary
fixture is committed.  Time and peak memory are measured inside the child process running the CLI
(``XLPY-MEASURE`` line on stderr), so other tests' children do not blur the figures.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xlpy import actions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "so-nganh-100.xlsx"


def _sample_facts() -> tuple[str, int]:
    """The sample's "Tự chấm" sheet part (which the zip-bomb and million-row cases replace) and
    its number of units, read from the package itself."""
    import xml.etree.ElementTree as ET

    import python_calamine

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(SAMPLE) as z:
        sheets = {s.get("name"): s.get(rid) for s in ET.fromstring(z.read("xl/workbook.xml")).iter(main + "sheet")}
        rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    target = rels[sheets["Tự chấm"]].lstrip("/")
    part = target if target.startswith("xl/") else "xl/" + target
    rows = python_calamine.CalamineWorkbook.from_path(str(SAMPLE)).get_sheet_by_name("Đơn vị").to_python()
    return part, sum(1 for r in rows[1:] if r and str(r[0]).strip())


SELF_SHEET_PART, SAMPLE_UNITS = _sample_facts()

# the "what to do" halves of package.py's messages, as officers read them
FIX_BACKUP = ("bản sao lưu", "gửi lại tệp")
FIX_SAVE_AS = ("Lưu dưới dạng", "Sổ làm việc Excel (*.xlsx)")
FIX_MALICIOUS = ("Không mở tệp này", "gửi lại tệp .xlsx lưu từ Excel")
FIX_PICK = ("Chọn đúng tệp sổ tính Excel (.xlsx)",)

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

# The CLI, run as ``python -m xlpy.cli`` would be, reporting its own wall time and peak RSS at exit.
MEASURED_CLI = (
    "import atexit, runpy, sys, time\n"
    "t0 = time.perf_counter()\n"
    "def report():\n"
    "    try:\n"
    "        import resource\n"
    "        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "        kb = kb // 1024 if sys.platform == 'darwin' else kb\n"
    "    except ImportError:\n"
    "        kb = -1\n"
    "    sys.stderr.write('\\nXLPY-MEASURE %.3f %d\\n' % (time.perf_counter() - t0, kb))\n"
    "atexit.register(report)\n"
    "runpy.run_module('xlpy.cli', run_name='__main__', alter_sys=True)\n"
)


# ---------------------------------------------------------------------------------------
# running xlpy on a file


def listing(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` (recursively) with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def state(tmp_path, monkeypatch):
    """xlpy's per-user state (locks, crash logs) in a folder of the test's own."""
    d = tmp_path / "state"
    d.mkdir()
    monkeypatch.setenv("XLPY_STATE_DIR", str(d))
    return d


def cli(args: list[str], cwd: Path, *, measured: bool = False, timeout: float = 180):
    """Run ``python -P -m xlpy.cli ARGS``; with ``measured`` also return (seconds, peak MB) of the child."""
    env = dict(os.environ)
    code = ["-c", MEASURED_CLI] if measured else ["-m", "xlpy.cli"]
    p = subprocess.run([sys.executable, "-P", *code, *args], capture_output=True, text=True, encoding="utf-8",
                       errors="replace", cwd=cwd, env=env, timeout=timeout, check=False)
    if not measured:
        return p, None, None
    m = re.search(r"\nXLPY-MEASURE ([\d.]+) (-?\d+)\n", p.stderr)
    assert m, p.stderr[-2000:]
    kb = int(m.group(2))
    p.stderr = p.stderr[: m.start()] + p.stderr[m.end():]
    return p, float(m.group(1)), (kb / 1024 if kb >= 0 else None)


def assert_clean_output(p: subprocess.CompletedProcess, state_dir: Path) -> None:
    out = p.stdout + p.stderr
    assert "Traceback" not in out, out[-3000:]
    assert "không lường trước" not in out, out[-3000:]  # the CLI's last line of defence did not fire
    assert not (state_dir / "loi-khong-luong-truoc.txt").exists()


def assert_refused(path: Path, code: str, words: tuple[str, ...], state_dir: Path, *,
                   seconds: float = 10.0, megabytes: float = 500.0) -> None:
    """``compute`` refuses ``path`` with problem ``code``: CLI (measured, then --json) and API."""
    folder = path.parent
    before = listing(folder)
    data = path.read_bytes()

    # the command line first: a guard switched off must not blow up the test process itself
    p, secs, mb = cli(["compute", str(path)], folder, measured=True)
    assert p.returncode == 1, (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    assert_clean_output(p, state_dir)
    last = p.stdout.strip().splitlines()[-1]  # the message, whole, after the problems table
    assert f"Tệp “{path.name}”" in last, last
    for w in words:
        assert w in last, (w, last)
    assert secs < seconds, f"took {secs:.1f} s"
    if mb is not None:
        assert mb < megabytes, f"peak memory {mb:.0f} MB"

    p, _, _ = cli(["compute", "--json", str(path)], folder)
    assert p.returncode == 1
    assert_clean_output(p, state_dir)
    d = json.loads(p.stdout)
    assert d["ok"] is False and d["files"] == []
    assert [x["code"] for x in d["problems"]] == [code]
    assert d["message"] == last

    res = actions.run("compute", path)
    assert res.ok is False
    assert [pr.code for pr in res.problems] == [code]
    assert all(pr.is_error for pr in res.problems)
    assert res.message == last
    assert res.files == []

    assert path.read_bytes() == data, "the refused file was changed"
    assert listing(folder) == before, "something was written beside the refused file"


# ---------------------------------------------------------------------------------------
# building packages


def sample_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLE) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_zip(path: Path, parts: dict[str, bytes | str], level: int = 6) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def billion_laughs(levels: int = 10) -> str:
    ents = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels))
    return f"<!DOCTYPE lolz [{ents}]>"


def with_doctype(xml: bytes, *, before: str = "", use: str = "") -> bytes:
    """``xml`` with a billion-laughs DOCTYPE declared before its root (after ``before``) and
    ``use`` inserted as the root's first child."""
    text = xml.decode("utf-8")
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    if text.startswith("<?xml"):
        decl, text = text.split("?>", 1)
        decl += "?>"
        text = text.lstrip()
    i = text.index(">") + 1
    return (decl + "\n" + before + billion_laughs() + text[:i] + use + text[i:]).encode("utf-8")


def soffice_convert(src: Path, fmt: str, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = out_dir / "lo-profile"
    p = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                        "--outdir", str(out_dir), str(src)], capture_output=True, text=True, timeout=240, check=False)
    out = out_dir / f"{src.stem}.{fmt}"
    assert p.returncode == 0 and out.exists(), p.stdout + p.stderr
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The sample saved by LibreOffice as .xls and .ods (converted once for the module)."""
    d = tmp_path_factory.mktemp("lo")
    return {fmt: soffice_convert(SAMPLE, fmt, d) for fmt in ("xls", "ods")}


def place(src: Path | bytes, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / name
    if isinstance(src, bytes):
        dst.write_bytes(src)
    else:
        shutil.copyfile(src, dst)
    return dst


# ---------------------------------------------------------------------------------------


def test_sample_layout(tmp_path):
    """The facts read from the sample agree with xlpy's own reading of it."""
    from xlpy.book.package import open_package

    pkg = open_package(SAMPLE)
    try:
        assert pkg.sheet("Tự chấm").part == SELF_SHEET_PART
    finally:
        pkg.close()
    res = actions.run("validate", place(SAMPLE, tmp_path, "khoi.xlsx"))
    assert res.ok and res.data["units"] == SAMPLE_UNITS


# ---- 1–3: empty, truncated, a Word document ---------------------------------------------


def test_empty_file(tmp_path, state):
    path = place(b"", tmp_path / "don-vi", "khoi.xlsx")
    assert_refused(path, "empty_file", ("tệp rỗng", "0 byte", *FIX_BACKUP), state)


def test_truncated_workbook(tmp_path, state):
    data = SAMPLE.read_bytes()
    path = place(data[: len(data) // 2], tmp_path / "don-vi", "khoi.xlsx")
    assert_refused(path, "corrupt_zip", ("bị hỏng", "cắt cụt", *FIX_BACKUP), state)


def test_word_document_renamed(tmp_path, state):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Báo cáo tổng kết công tác thi đua, khen thưởng năm 2025")
    folder = tmp_path / "don-vi"
    folder.mkdir()
    doc.save(folder / "khoi.xlsx")
    path = folder / "khoi.xlsx"
    with zipfile.ZipFile(path) as z:
        assert "word/document.xml" in z.namelist()  # a real Word package
    assert_refused(path, "word_file", ("văn bản Word (.docx)", *FIX_PICK), state)


# ---- 4: an encrypted workbook -------------------------------------------------------------


def test_encrypted_workbook(tmp_path, state):
    pytest.importorskip("msoffcrypto")
    import io

    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    folder = tmp_path / "don-vi"
    folder.mkdir()
    path = folder / "khoi.xlsx"
    with open(SAMPLE, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("Khoi-2025", out)
    # a real encrypted workbook: the password gives back the sample
    with open(path, "rb") as fh:
        f = msoffcrypto.OfficeFile(fh)
        assert f.is_encrypted()
        f.load_key(password="Khoi-2025")
        plain = io.BytesIO()
        f.decrypt(plain)
    assert plain.getvalue() == SAMPLE.read_bytes()
    assert_refused(path, "encrypted", ("đặt mật khẩu", "bỏ mật khẩu"), state)


# ---- 5–6: an .xls and an .ods saved by LibreOffice ----------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["khoi.xlsx", "khoi.xls"])
def test_real_xls(converted, tmp_path, state, name):
    path = place(converted["xls"], tmp_path / "don-vi", name)
    assert_refused(path, "xls_file", ("Excel 97–2003 (.xls)", *FIX_SAVE_AS), state)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["khoi.xlsx", "khoi.ods"])
def test_real_ods(converted, tmp_path, state, name):
    path = place(converted["ods"], tmp_path / "don-vi", name)
    assert_refused(path, "ods_file", ("OpenDocument (.ods)", *FIX_SAVE_AS), state)


# ---- 7: a package without a workbook --------------------------------------------------------


CONTENT_TYPES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{CT_NS}">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')


def test_package_without_workbook_part(tmp_path, state):
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", {"[Content_Types].xml": CONTENT_TYPES,
                                                         "docProps/app.xml": "<Properties/>"})
    assert_refused(path, "no_workbook_part", ("thiếu phần workbook", *FIX_BACKUP), state)


def test_package_whose_workbook_part_is_missing(tmp_path, state):
    parts = sample_parts()
    del parts["xl/workbook.xml"]  # _rels/.rels still points at it; the sheets are all there
    assert any(n.startswith("xl/worksheets/") for n in parts)
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", parts)
    assert_refused(path, "no_workbook_part", ("thiếu phần workbook", *FIX_BACKUP), state)


# ---- 8: XML entity bombs --------------------------------------------------------------------


BOMB_USE = '<extLst><ext uri="{00000000-0000-0000-0000-000000000000}">&lol9;</ext></extLst>'  # 3 GB if expanded


@pytest.mark.parametrize("part", ["xl/workbook.xml", SELF_SHEET_PART, "xl/styles.xml"])
def test_entity_bomb_is_refused_before_parsing(tmp_path, state, part):
    parts = sample_parts()
    parts[part] = with_doctype(parts[part], use=BOMB_USE)
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", parts)
    assert_refused(path, "xml_doctype", ("DOCTYPE", f"“{part}”", "độc hại", *FIX_MALICIOUS), state,
                   seconds=5, megabytes=500)


def test_entity_bomb_behind_a_long_comment_is_refused(tmp_path, state):
    parts = sample_parts()
    parts["xl/styles.xml"] = with_doctype(parts["xl/styles.xml"], before="<!--" + " " * 2048 + "-->", use=BOMB_USE)
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", parts)
    assert_refused(path, "xml_doctype", ("DOCTYPE", "“xl/styles.xml”", *FIX_MALICIOUS), state, seconds=5, megabytes=500)


@pytest.mark.parametrize("before", ["<!--" + " " * 4096 + "-->", "\n" * 4096], ids=["comment", "blank lines"])
def test_entity_bomb_pushed_past_a_sheets_head_is_refused(tmp_path, state, before):
    """A worksheet's prolog is looked at before calamine parses it, however far a comment or
    white space pushes the DOCTYPE past the part's head."""
    parts = sample_parts()
    parts[SELF_SHEET_PART] = with_doctype(parts[SELF_SHEET_PART], before=before, use=BOMB_USE)
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", parts)
    assert_refused(path, "xml_doctype", ("DOCTYPE", f"“{SELF_SHEET_PART}”", *FIX_MALICIOUS), state, seconds=5, megabytes=500)


# ---- 9: zip bombs ---------------------------------------------------------------------------

ZERO_CELLS = b'<c r="A1" s="0"><v>0</v></c>' * 4096  # zeros-like sheet XML, ~110 KB a chunk


def stream_bomb(path: Path, megabytes: int) -> Path:
    """The sample whose "Tự chấm" sheet is ``megabytes`` MB of zero cells, deflated at level 9
    chunk by chunk (nothing large is ever held in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename != SELF_SHEET_PART:
                zout.writestr(info.filename, zin.read(info))
                continue
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(zi, "w") as fh:
                fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">')
                for _ in range(megabytes * 1024 * 1024 // len(ZERO_CELLS) + 1):
                    fh.write(ZERO_CELLS)
                fh.write(b"</row></sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def bomb_600mb(tmp_path_factory):
    return stream_bomb(tmp_path_factory.mktemp("bomb") / "khoi.xlsx", 600)


def test_zip_bomb_600_mb(bomb_600mb, tmp_path, state):
    with zipfile.ZipFile(bomb_600mb) as z:
        info = z.getinfo(SELF_SHEET_PART)
    assert info.file_size > 600 * 1024 * 1024 and bomb_600mb.stat().st_size < 5 * 1024 * 1024
    path = place(bomb_600mb, tmp_path / "don-vi", "khoi.xlsx")
    assert_refused(path, "zip_bomb", ("lớn bất thường", f"“{SELF_SHEET_PART}”", *FIX_MALICIOUS), state,
                   seconds=5, megabytes=500)


def test_zip_bomb_by_compression_ratio(tmp_path, state):
    """64 MB from a few hundred KB: under the size limit, refused for its ratio."""
    path = stream_bomb(tmp_path / "don-vi" / "khoi.xlsx", 64)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SELF_SHEET_PART)
    assert 64 * 1024 * 1024 < info.file_size < 512 * 1024 * 1024 and info.file_size > 250 * info.compress_size
    assert_refused(path, "zip_bomb", ("lớn bất thường", *FIX_MALICIOUS), state, seconds=5, megabytes=500)


def test_zip_bomb_declared_in_the_directory(tmp_path, state):
    """A central directory claiming 3 GB for a small part is refused on the directory alone."""
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", sample_parts())
    data = bytearray(path.read_bytes())
    name = SELF_SHEET_PART.encode()
    i = data.find(b"PK\x01\x02")  # the central directory's entries
    patched = 0
    while i >= 0:
        nlen = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46: i + 46 + nlen]) == name:
            struct.pack_into("<L", data, i + 24, 3 * 1024 ** 3)  # uncompressed size
            patched += 1
        i = data.find(b"PK\x01\x02", i + 4)
    assert patched == 1
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(SELF_SHEET_PART).file_size == 3 * 1024 ** 3
    assert_refused(path, "zip_bomb", ("lớn bất thường", f"“{SELF_SHEET_PART}”", *FIX_MALICIOUS), state,
                   seconds=5, megabytes=500)


def test_too_many_parts(tmp_path, state):
    path = tmp_path / "don-vi" / "khoi.xlsx"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in sample_parts().items():
            z.writestr(name, data)
        for i in range(20_001):
            z.writestr(f"customXml/item{i}.xml", b"")
    assert_refused(path, "too_many_parts", ("quá nhiều", *FIX_BACKUP), state)


# ---- other foreign files officers receive renamed .xlsx ---------------------------------------


@pytest.mark.parametrize("kind, data, code, words", [
    ("csv", "Mã đơn vị,Tên đơn vị\r\nSKHCN,Sở Khoa học và Công nghệ\r\n".encode("utf-8-sig"), "not_a_workbook",
     ("không phải sổ tính Excel (.xlsx)", *FIX_SAVE_AS)),
    ("html", b"<html><body><table><tr><td>SKHCN</td></tr></table></body></html>", "xml_or_html",
     ("XML/HTML", *FIX_SAVE_AS)),
    ("xml2003", (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                 b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'), "xml_or_html",
     ("Excel 2003 XML", *FIX_SAVE_AS)),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "pdf_file",
     ("tệp PDF", "tệp Excel gốc")),
], ids=["csv", "html", "excel-2003-xml", "pdf"])
def test_foreign_file_renamed(tmp_path, state, kind, data, code, words):
    path = place(data, tmp_path / "don-vi", "khoi.xlsx")
    assert_refused(path, code, words, state)


# ---- 10–12: large but honest workbooks ------------------------------------------------------


def assert_computes(path: Path, state_dir: Path, *, units: int, seconds: float, megabytes: float) -> dict:
    """``compute --json`` succeeds in a measured child within the given time and memory."""
    p, secs, mb = cli(["compute", "--json", str(path)], path.parent, measured=True, timeout=max(240, 4 * seconds))
    assert_clean_output(p, state_dir)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    d = json.loads(p.stdout)
    assert d["ok"] is True and not [x for x in d["problems"] if x["severity"] == "Lỗi"]
    assert len(d["data"]["units"]) == units
    assert secs < seconds, f"took {secs:.1f} s"
    if mb is not None:
        assert mb < megabytes, f"peak memory {mb:.0f} MB"
    return d


def test_huge_declared_dimension(tmp_path, state):
    """Every sheet declares A1:XFD1048576 (17 billion cells) around its few real cells."""
    parts = sample_parts()
    changed = 0
    for name in list(parts):
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
            xml = parts[name].decode("utf-8")
            xml, n = re.subn(r"<dimension\b[^>]*/>", '<dimension ref="A1:XFD1048576"/>', xml)
            assert n == 1, name
            parts[name] = xml.encode("utf-8")
            changed += 1
    assert changed >= 10
    path = write_zip(tmp_path / "don-vi" / "khoi.xlsx", parts)
    d = assert_computes(path, state, units=SAMPLE_UNITS, seconds=30, megabytes=1500)
    # the same totals as the sample itself
    plain = place(SAMPLE, tmp_path / "goc", "khoi.xlsx")
    ref = actions.run("compute", plain)
    assert ref.ok
    assert [(u["code"], u["total"]) for u in d["data"]["units"]] == [(u["code"], u["total"]) for u in ref.data["units"]]


@pytest.mark.slow
def test_a_million_formatted_empty_rows(tmp_path, state):
    """"Tự chấm" formatted down to row 1,000,011: each row styled, with styled empty cells, no value."""
    path = tmp_path / "don-vi" / "khoi.xlsx"
    path.parent.mkdir()
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != SELF_SHEET_PART:
                zout.writestr(info.filename, data)
                continue
            head, tail = data.decode("utf-8").split("</sheetData>")
            last = max(int(r) for r in re.findall(r'<row r="(\d+)"', head))
            s = re.search(r'<c r="C2" s="(\d+)"', head).group(1)  # the style of the score cells
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(zi, "w") as fh:
                fh.write(head.encode("utf-8"))
                for start in range(last + 1, last + 1_000_001, 10_000):
                    fh.write("".join(
                        f'<row r="{r}" spans="1:14" s="{s}" customFormat="1"><c r="A{r}" s="{s}"/><c r="B{r}" s="{s}"/><c r="C{r}" s="{s}"/></row>'
                        for r in range(start, start + 10_000)).encode("ascii"))
                fh.write(("</sheetData>" + tail).encode("utf-8"))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(SELF_SHEET_PART).file_size > 100 * 1024 * 1024
    assert_computes(path, state, units=SAMPLE_UNITS, seconds=30, megabytes=1500)


@pytest.mark.slow
def test_twenty_thousand_units(tmp_path, state):
    import importlib.util

    spec = importlib.util.spec_from_file_location("xlpy_benchmarks_data", ROOT / "benchmarks" / "data.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "don-vi" / "khoi-20000.xlsx"
    path.parent.mkdir()
    bench.block_workbook(path, 20_000)
    d = assert_computes(path, state, units=20_000, seconds=60, megabytes=2000)
    assert d["message"].startswith("Đã tính điểm 20000 đơn vị")
