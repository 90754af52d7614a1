"""Mail safety without a network: sandboxed templates, the template folder, header text,
attachment headers read by two independent parsers, stable Message-IDs, the samples."""

from __future__ import annotations

import shutil
import unicodedata
from email import policy
from email.headerregistry import Address
from email.parser import BytesParser
from pathlib import Path

import fast_mail_parser
import jinja2
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from mail_server import UNITS, make_attachments, make_book
from xlpy import actions
from xlpy.mail.compose import MIME_TYPES, compose
from xlpy.mail.headers import clean_header_text
from xlpy.mail.recipients import Recipient

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    monkeypatch.setenv("XLPY_STATE_DIR", str(tmp_path / "trang-thai"))
    monkeypatch.delenv("XLPY_TEMPLATES", raising=False)


def settings_row(book: Path, key: str) -> int:
    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        for i, row in enumerate(wb["Cài đặt"].iter_rows(values_only=True), start=1):
            if row and row[0] == key:
                return i
    finally:
        wb.close()
    raise KeyError(key)


def emls(result) -> list[Path]:
    return sorted(Path(result.data["outbox"]).glob("*.eml"))


def strict(raw: bytes):
    return BytesParser(policy=policy.strict).parsebytes(raw)


# ---- subjects from the workbook render sandboxed --------------------------------------------
PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch %s') }}",
    "{{ lipsum.__globals__['os'].popen('touch %s').read() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch %s') }}",
    "{{ don_vi.__class__.__mro__[-1].__subclasses__() }}{# %s #}",
    "{{ khoi.__class__.__base__.__subclasses__() }}{# %s #}",
    "{{ ('touch %s' * 1000000) }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("key", ["Tiêu đề thư đơn vị", "Tiêu đề thư Ban TĐKT"])
def test_subject_cell_cannot_run_code(tmp_path, payload, key):
    marker = tmp_path / "pwned"
    book = make_book(tmp_path / "khoi.xlsx", settings={key: payload % marker, "Tệp đính kèm": "Không đính kèm"})
    res = actions.run("send", book)  # the default: a dry run
    assert not marker.exists(), "a subject cell ran a command"
    row = settings_row(book, key)
    bad = [p for p in res.problems if p.code in ("mail_subject_refused", "mail_subject_template")]
    assert len(bad) == 1, [str(p) for p in res.problems]  # once, at the cell, not once per recipient
    [p] = bad
    assert p.sheet == "Cài đặt" and p.cell == f"B{row}" and p.is_error
    assert f"Cài đặt!B{row}" in p.message and "không được phép" in p.message and "don_vi.ten" in p.message
    assert not res.ok
    # no message went out with that subject; the other kind of message is still written
    kind = "unit" if key == "Tiêu đề thư đơn vị" else "office"
    for m in res.data["messages"]:
        is_office = m["ma"] == "ban-tdkt"
        if (kind == "office") == is_office:
            assert m["loi"] and f"Cài đặt!B{row}" in m["loi"] and not m["tieu_de"]
        else:
            assert not m["loi"]


def test_the_payload_is_real(tmp_path):
    """The first payload does run in a plain (non-sandboxed) Jinja environment, so the test
    above would fail if the subject were rendered there."""
    marker = tmp_path / "pwned"
    jinja2.Environment().from_string(PAYLOADS[0] % marker).render()
    assert marker.exists()


def test_subject_sees_only_documented_variables(tmp_path):
    subject = "{{ khoi }} | {{ nam }} | {{ ky_nam }} | {{ don_vi.ten }} | {{ so_don_vi }} | {{ nguoi_gui }}"
    book = make_book(tmp_path / "khoi.xlsx", settings={"Tiêu đề thư đơn vị": subject,
                                                        "Tệp đính kèm": "Không đính kèm"})
    res = actions.run("send", book)
    assert res.ok, [str(p) for p in res.problems]
    assert res.data["messages"][0]["tieu_de"] == ("Khối các sở, ban, ngành tổng hợp | 2025 | tổng kết năm 2025 | "
                                                  "Sở Nội vụ | 4 | Khối trưởng – Sở Nội vụ")
    for name in ("range", "dict", "namespace", "joiner", "config", "request"):
        res = actions.run("send", make_book(tmp_path / f"{name}.xlsx", settings={
            "Tiêu đề thư đơn vị": f"{{{{ {name} }}}}", "Tệp đính kèm": "Không đính kèm"}))
        [p] = [p for p in res.problems if p.code == "mail_subject_template"]
        assert f"dùng '{name}' – không được phép" in p.message


# ---- template folders ---------------------------------------------------------------------------
def _own_templates(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "email_unit.txt.j2").write_text(text, encoding="utf-8")


def test_templates_beside_the_workbook_are_not_picked_up(tmp_path):
    _own_templates(tmp_path / "templates", "MẪU CẠNH SỔ {{ don_vi.ten }}\n")
    book = make_book(tmp_path / "khoi.xlsx", settings={"Tệp đính kèm": "Không đính kèm"})
    res = actions.run("send", book)
    assert res.ok
    for e in emls(res):
        assert "MẪU CẠNH SỔ" not in strict(e.read_bytes()).get_body(("plain",)).get_content()


def test_configured_template_folder_is_used_and_announced_once(tmp_path):
    _own_templates(tmp_path / "mau-rieng", "MẪU RIÊNG {{ don_vi.ten }}\n")
    book = make_book(tmp_path / "khoi.xlsx", settings={"Tệp đính kèm": "Không đính kèm",
                                                        "Thư mục mẫu riêng": "mau-rieng"})
    row = settings_row(book, "Thư mục mẫu riêng")
    first = actions.run("send", book)
    assert first.ok, [str(p) for p in first.problems]
    [w] = [p for p in first.problems if p.code == "mail_template_dir_new"]
    assert not w.is_error and w.cell == f"B{row}" and str((tmp_path / "mau-rieng").resolve()) in w.message
    texts = [strict(e.read_bytes()).get_body(("plain",)).get_content() for e in emls(first)]
    assert "MẪU RIÊNG Sở Nội vụ" in texts[0]
    assert "MẪU RIÊNG" not in texts[-1]  # the office's template was not replaced: the packaged one
    second = actions.run("send", book)
    assert second.ok and not [p for p in second.problems if p.code == "mail_template_dir_new"]
    assert (tmp_path / "trang-thai").is_dir()


def test_configured_template_folder_is_sandboxed_too(tmp_path):
    marker = tmp_path / "pwned"
    _own_templates(tmp_path / "mau-rieng", PAYLOADS[0] % marker)
    book = make_book(tmp_path / "khoi.xlsx", settings={"Tệp đính kèm": "Không đính kèm",
                                                        "Thư mục mẫu riêng": str(tmp_path / "mau-rieng")})
    res = actions.run("send", book)
    assert not marker.exists() and not res.ok
    bad = [p for p in res.problems if p.code == "mail_compose"]
    assert bad and all("email_unit.txt.j2" in p.message and "không được phép" in p.message for p in bad)


def test_missing_configured_folder_names_the_cell(tmp_path):
    book = make_book(tmp_path / "khoi.xlsx", settings={"Thư mục mẫu riêng": "khong-co"})
    res = actions.run("send", book)
    [p] = [p for p in res.problems if p.code == "mail_template_dir"]
    assert p.cell == f"B{settings_row(book, 'Thư mục mẫu riêng')}" and "khong-co" in p.message


# ---- header text: line breaks and bidi controls --------------------------------------------------
def test_unit_names_with_line_breaks_and_bidi_controls(tmp_path):
    units = [("SNV", "Sở Nội vụ\ntỉnh Quảng Nam", "Khối trưởng", "vanthu.snv@snv.example.vn", ""),
             ("STC", "Sở \u202eTài chính\u2066", "Khối phó", "vanthu@stc.example.vn", ""),
             *UNITS[2:]]
    book = make_book(tmp_path / "khoi.xlsx", units=units,
                     settings={"Tên người gửi": "Khối trưởng\r\n\u200fSở Nội vụ", "Tệp đính kèm": "Không đính kèm"})
    res = actions.run("send", book)
    assert res.ok, [str(p) for p in res.problems]
    warned = {p.where(): p for p in res.problems if p.code == "mail_header_text"}
    assert set(warned) == {"Đơn vị!B2", "Đơn vị!B3", f"Cài đặt!B{settings_row(book, 'Tên người gửi')}"}
    assert all(not p.is_error for p in warned.values())
    assert "xuống dòng (Alt+Enter)" in warned["Đơn vị!B2"].message
    assert "U+202E" in warned["Đơn vị!B3"].message and "U+2066" in warned["Đơn vị!B3"].message
    assert "⟨U+202E⟩" in warned["Đơn vị!B3"].found
    by_code = {}
    for e in emls(res):
        raw = e.read_bytes()
        m = strict(raw)
        for h in ("Subject", "From", "To"):
            v = str(m[h])
            assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in v), (h, v)
        by_code[m["Message-ID"]] = m
    subjects = sorted(str(m["Subject"]) for m in by_code.values())
    assert any(s.endswith("– Sở Nội vụ tỉnh Quảng Nam") for s in subjects)
    assert any(s.endswith("– Sở Tài chính") for s in subjects)
    tos = {m["To"].addresses[0].addr_spec: m["To"].addresses[0].display_name for m in by_code.values()}
    assert tos["vanthu.snv@snv.example.vn"] == "Sở Nội vụ tỉnh Quảng Nam"
    assert tos["vanthu@stc.example.vn"] == "Sở Tài chính"
    assert {m["From"].addresses[0].display_name for m in by_code.values()} == {"Khối trưởng Sở Nội vụ"}


_HEADER_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.text(
    st.sampled_from("Sở Nội vụ\n\r\t\u202e\u202a\u2066\u2069\u200e\u200f\u200b\ufeff\x00\x1b\u2028ĐđẾ"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_HEADER_TEXT)
def test_clean_header_text_leaves_nothing_invisible(text):
    clean = clean_header_text(text)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in clean)
    assert clean == clean.strip() and "  " not in clean
    assert clean_header_text(clean) == clean
    Address(display_name=clean, username="a", domain="b.vn")  # never the ValueError an Alt+Enter caused


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_any_unit_name_composes_into_clean_headers(name):
    r = Recipient("X", "unit", "X", clean_header_text(name) or "X",
                  (Address(clean_header_text(name), "a", "b.vn"),))
    c = compose(r, _ctx(r.name), [], sender=Address("Khối trưởng", "k", "snv.vn"),
                subject_template="Thông báo – {{ don_vi.ten }}")
    m = strict(c.as_bytes())
    assert m["Subject"] == clean_header_text(f"Thông báo – {r.name}")
    assert m["To"].addresses[0].display_name == clean_header_text(name)


def _ctx(name: str) -> dict:
    return {"khoi": "K", "nam": "2025", "ky": "", "ky_nam": "năm 2025", "ngay_xet": "", "ban_tdkt": "B",
            "nguoi_gui": "N", "so_don_vi": 1, "bang_ket_qua": [], "don_vi": {"ma": "X", "ten": name, "vai_tro": ""},
            "ket_qua": None}


# ---- attachments: MIME types and names, read by two independent parsers --------------------------
ODD_FILES = {
    "Thông báo kết quả thi đua năm 2025 – Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh - SNV.docx":
        MIME_TYPES[".docx"],
    "Báo cáo kết quả thi đua khối năm 2025.docx": MIME_TYPES[".docx"],
    "Bảng điểm - STC.xlsx": MIME_TYPES[".xlsx"],
    "Biên bản họp - STC.pdf": "application/pdf",
    "Ảnh lễ trao cờ - STP.jpg": "image/jpeg",
    "Hồ sơ - SKHĐT.zip": "application/zip",
    "Tờ trình - STP.odt": "application/vnd.oasis.opendocument.text",
    "plain-ascii-STP.pdf": "application/pdf",
}


def test_every_outbox_message_parses_strictly_and_alike(tmp_path):
    files = make_attachments(tmp_path / "tep")
    for name in ODD_FILES:
        (tmp_path / "tep" / name).write_bytes(b"PK\x03\x04" + name.encode() * 20)
        files[name] = (tmp_path / "tep" / name).read_bytes()
    book = make_book(tmp_path / "khoi.xlsx")
    res = actions.run("send", book, attach=tmp_path / "tep")
    assert res.ok, [str(p) for p in res.problems]
    messages = emls(res)
    assert len(messages) == len(UNITS) + 1
    seen_types = set()
    for e in messages:
        raw = e.read_bytes()
        assert raw.isascii() and all(len(line) <= 998 for line in raw.split(b"\r\n"))
        m = strict(raw)  # policy.strict raises on a message-level defect
        for part in m.walk():
            assert not part.defects, (e.name, part.defects)
            for h in part.keys():
                assert not part[h].defects, (e.name, h, part[h].defects)
        other = fast_mail_parser.parse_email(raw, strict=True)
        assert not other.warnings, (e.name, [(w.kind, w.detail) for w in other.warnings])
        assert other.subject == m["Subject"]
        assert [a.address for a in other.to] == [a.addr_spec for a in m["To"].addresses]
        assert [a.display_name or "" for a in other.to] == [a.display_name for a in m["To"].addresses]
        assert [a.address for a in other.cc] == ([a.addr_spec for a in m["Cc"].addresses] if m["Cc"] else [])
        assert other.from_.display_name == m["From"].addresses[0].display_name == "Khối trưởng – Sở Nội vụ"
        mine = [(a.get_filename(), a.get_param("name"), a.get_content_type(), a.get_content())
                for a in m.iter_attachments()]
        theirs = [(a.filename, a.mimetype, bytes(a.content)) for a in other.attachments]
        assert [(n, t, c) for n, _name, t, c in mine] == theirs
        for filename, name, ctype, content in mine:
            assert name == filename  # Content-Type name= for older Outlook: the same name
            assert content == files[filename]
            want = ODD_FILES.get(filename) or {".pdf": "application/pdf", ".docx": MIME_TYPES[".docx"]}[
                Path(filename).suffix]
            assert ctype == want, filename
            seen_types.add(ctype)
        # on the wire: RFC 2231 names, never an encoded word inside the MIME type
        assert b"application/=?" not in raw and b"filename*" in raw and b"name*" in raw
    assert {"application/pdf", MIME_TYPES[".docx"], MIME_TYPES[".xlsx"], "image/jpeg", "application/zip"} <= seen_types


# ---- Message-ID: stable for the same content ------------------------------------------------------
def test_message_id_is_stable_across_runs_and_follows_the_content(tmp_path):
    make_attachments(tmp_path / "tep")
    book = make_book(tmp_path / "khoi.xlsx")

    def ids() -> dict[str, str]:
        res = actions.run("send", book, attach=tmp_path / "tep")
        assert res.ok
        out = {}
        for e in emls(res):
            m = strict(e.read_bytes())
            out[m["To"].addresses[0].addr_spec] = m["Message-ID"]
        return out

    first, second = ids(), ids()
    assert first == second and len(set(first.values())) == len(first)
    assert all(v.startswith("<xlpy.") and v.endswith("@snv.example.vn>") for v in first.values())
    (tmp_path / "tep" / "Thông báo kết quả - STC.pdf").write_bytes(b"%PDF-1.4\nkhac\n")
    third = ids()
    changed = {a for a in first if first[a] != third[a]}
    assert changed == {"vanthu@stc.example.vn"}


# ---- the samples compose as they are ---------------------------------------------------------------
@pytest.mark.parametrize("name", ["so-nganh-100", "thang-1000", "ty-le-bac-thuong"])
def test_sample_dry_run_composes_every_message(tmp_path, name):
    sample = ROOT / "samples" / f"{name}.xlsx"
    book = tmp_path / sample.name
    shutil.copy(sample, book)
    (tmp_path / "tep").mkdir()
    res = actions.run("send", book, attach=tmp_path / "tep")  # no report: an empty attachment folder
    wb = openpyxl.load_workbook(book, read_only=True)
    units = [r for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True) if r[0]]
    wb.close()
    without = {r[0] for r in units if not r[5]}
    assert {p.code for p in res.problems if p.is_error} <= {"mail_missing_address"}
    assert {p.cell[:1] for p in res.problems if p.code == "mail_missing_address"} <= {"F"}
    composed = {m["ma"] for m in res.data["messages"] if not m["loi"]}
    assert composed == {r[0] for r in units} - without | {"ban-tdkt"}
    office = [m for m in res.data["messages"] if m["ma"] == "ban-tdkt"][0]
    assert office["den"] and office["den"][0].endswith("@example.gov.vn>")
    assert len(emls(res)) == len(composed)


def test_attachment_names_lose_bidi_overrides(tmp_path):
    spoof = tmp_path / "Báo cáo\u202excod.exe"  # shows as "Báo cáoexe.docx"
    spoof.write_bytes(b"MZ")
    r = Recipient("X", "unit", "X", "Sở", (Address("", "a", "b.vn"),))
    c = compose(r, _ctx("Sở"), [spoof], sender=Address("K", "k", "snv.vn"), subject_template="x")
    [a] = strict(c.as_bytes()).iter_attachments()
    assert a.get_filename() == c.attachment_names[0] == "Báo cáoxcod.exe"
