"""Mail without a network: addresses, composing, encoding, attachments, send log, passwords."""

from __future__ import annotations

import json
from email import policy
from email.headerregistry import Address
from email.parser import BytesParser
from pathlib import Path

import pytest

from mail_server import OFFICE, UNITS, make_attachments, make_book
from xlpy.mail.plan import assign_attachments
from xlpy.mail.compose import ComposeError, compose, encode_text_header, make_env
from xlpy.mail.recipients import OFFICE_KEY, AddressError, Recipient, parse_address, parse_addresses, read_recipients
from xlpy.mail.sendlog import SendLog
from xlpy.mail.smtp import get_password

SENDER = Address("Khối trưởng – Sở Nội vụ", "khoitruong", "snv.example.vn")


def parse(b: bytes):
    return BytesParser(policy=policy.default).parsebytes(b)


# ---- addresses ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, spec",
    [
        ("a@b.vn", "a@b.vn"),
        (" Văn thư <van.thu@so-noi-vu.gov.vn> ", "van.thu@so-noi-vu.gov.vn"),
        ("x@bộ.vn", "x@xn--b-8xm.vn"),
    ],
)
def test_parse_good_addresses(text, spec):
    assert parse_address(text).addr_spec == spec


@pytest.mark.parametrize("text", ["", "khong-co-a-cong", "a@b", "a@@b.vn", "nguyễn@b.vn", "a@b..vn", "a b@c.vn",
                                  "a@-b.vn", "a@b.123"])
def test_parse_bad_addresses(text):
    with pytest.raises(AddressError):
        parse_address(text)


def test_parse_addresses_splits_and_reports():
    good, errors = parse_addresses("a@b.vn; c@d.vn,\n sai-dia-chi")
    assert [a.addr_spec for a in good] == ["a@b.vn", "c@d.vn"]
    assert len(errors) == 1 and "sai-dia-chi" in errors[0]


def test_recipients_from_book_report_each_bad_unit(tmp_path):
    units = UNITS + [("SYT", "Sở Y tế", "Thành viên", "", ""), ("SGD", "Sở Giáo dục", "Thành viên", "sgd@@x.vn", "")]
    from xlpy import load_round
    from xlpy.mail.settings import mail_settings

    rnd, problems = load_round(make_book(tmp_path / "k.xlsx", units=units))
    recips = read_recipients(rnd.units_table, mail_settings(rnd.settings), rnd.settings, problems)
    by = {r.key: r for r in recips}
    assert [r.key for r in recips] == ["SNV", "STC", "SKHĐT", "STP", "SYT", "SGD", OFFICE_KEY]
    assert by["STC"].to[0].display_name == "Văn thư Sở Tài chính" and by["STC"].cc[0].addr_spec == "giamdoc@stc.example.vn"
    assert [a for a, _ in by["SKHĐT"].addresses] == ["skhdt@skhdt.example.vn", "pgd1@skhdt.example.vn",
                                                     "pgd2@skhdt.example.vn"]
    assert by[OFFICE_KEY].to[0].addr_spec == OFFICE
    assert not by["SYT"].ok and "Chưa có email" in by["SYT"].error
    assert not by["SGD"].ok and "Email sai" in by["SGD"].error
    msgs = {p.cell: p.message for p in problems}
    assert "Sở Y tế (SYT)" in msgs["F6"] and "Sở Giáo dục (SGD)" in msgs["F7"]


def test_password_in_workbook_is_flagged_and_not_echoed(tmp_path):
    from xlpy import load_round

    _rnd, problems = load_round(make_book(tmp_path / "k.xlsx", settings={"Mật khẩu SMTP": "bi-mat-123"}))
    [p] = [p for p in problems if p.code == "password_in_book"]
    assert "bi-mat-123" not in str(p) and p.is_error


# ---- composing ------------------------------------------------------------------------
def _recipient() -> Recipient:
    return Recipient("STC", "unit", "STC", "Sở Tài chính",
                     (Address("Văn thư Sở Tài chính tỉnh Quảng Nam", "vanthu", "stc.example.vn"),),
                     (Address("", "giamdoc", "stc.example.vn"),))


CTX = {
    "khoi": "Khối các sở, ban, ngành tổng hợp", "nam": "2025", "ky": "tổng kết năm", "ky_nam": "tổng kết năm 2025",
    "ngay_xet": "ngày 05 tháng 01 năm 2026", "ban_tdkt": "Ban TĐKT", "nguoi_gui": "Khối trưởng", "so_don_vi": 4,
    "bang_ket_qua": [], "don_vi": {"ma": "STC", "ten": "Sở Tài chính", "vai_tro": ""},
    "ket_qua": {"hang": "2", "tong_diem": "95,5", "xep_loai": "Hoàn thành xuất sắc nhiệm vụ", "cot": {}},
}
SUBJECT = "[{{ khoi }}] Thông báo kết quả thi đua {{ ky_nam }} – {{ don_vi.ten }} <&>"


def test_compose_encodes_vietnamese_everywhere(tmp_path):
    files = make_attachments(tmp_path / "tep", codes=("STC",))
    paths = [tmp_path / "tep" / n for n in sorted(files)]
    c = compose(_recipient(), CTX, paths, sender=SENDER, subject_template=SUBJECT)
    raw = c.as_bytes()
    assert raw.isascii(), "the wire form must be 7-bit clean"
    assert b"\r\n" in raw and all(len(line) <= 998 for line in raw.split(b"\r\n"))
    m = parse(raw)
    assert m["Subject"] == ("[Khối các sở, ban, ngành tổng hợp] Thông báo kết quả thi đua tổng kết năm 2025 "
                            "– Sở Tài chính <&>")
    assert m["To"].addresses[0].display_name == "Văn thư Sở Tài chính tỉnh Quảng Nam"
    assert m["Cc"].addresses[0].addr_spec == "giamdoc@stc.example.vn"
    assert m["From"].addresses[0].display_name == "Khối trưởng – Sở Nội vụ"
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    assert "Kính gửi: Sở Tài chính" in text and "95,5" in text and "Xếp hạng: 2/4" in text
    assert "<b>Sở Tài chính</b>" in html and "Hoàn thành xuất sắc nhiệm vụ" in html
    got = {a.get_filename(): a.get_content() for a in m.iter_attachments()}
    assert got == {n: files[n] for n in files}
    # RFC 2231 on the wire, not RFC 2047 inside a quoted string
    assert b"filename*=utf-8''" in raw or b"filename*0*=utf-8''" in raw


def test_html_escapes_user_text_but_text_part_does_not(tmp_path):
    ctx = dict(CTX, don_vi={"ma": "X", "ten": "Sở <Tài> & chính", "vai_tro": ""})
    c = compose(_recipient(), ctx, [], sender=SENDER, subject_template="{{ don_vi.ten }}")
    assert "Sở &lt;Tài&gt; &amp; chính" in c.html and "Sở <Tài> & chính" in c.text
    assert parse(c.as_bytes())["Subject"] == "Sở <Tài> & chính"


def test_long_subject_keeps_spaces_between_words():
    s = "Thông báo kết quả chấm điểm, xếp hạng thi đua năm 2025 của Khối các sở, ban, ngành tổng hợp tỉnh Quảng Nam"
    from email.message import EmailMessage

    m = EmailMessage()
    m.set_raw("Subject", encode_text_header(s))
    m.set_content("x")
    assert parse(m.as_bytes(policy=policy.SMTP))["Subject"] == s


def test_content_hash_stable_and_sensitive(tmp_path):
    make_attachments(tmp_path / "tep", codes=("STC",))
    p = tmp_path / "tep" / "Thông báo kết quả - STC.pdf"
    a = compose(_recipient(), CTX, [p], sender=SENDER, subject_template=SUBJECT)
    b = compose(_recipient(), CTX, [p], sender=SENDER, subject_template=SUBJECT)
    assert a.content_hash == b.content_hash and a.message["Message-ID"] == b.message["Message-ID"]
    p.write_bytes(b"changed")
    c = compose(_recipient(), CTX, [p], sender=SENDER, subject_template=SUBJECT)
    assert c.content_hash != a.content_hash


def test_missing_attachment_and_bad_template_are_vietnamese_errors(tmp_path):
    with pytest.raises(ComposeError, match="thiếu tệp đính kèm 'Báo cáo.pdf'"):
        compose(_recipient(), CTX, [tmp_path / "Báo cáo.pdf"], sender=SENDER, subject_template=SUBJECT)
    with pytest.raises(ComposeError, match="dùng 'khong_co' – không được phép"):
        compose(_recipient(), CTX, [], sender=SENDER, subject_template="{{ khong_co }}")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "email_unit.txt.j2").write_text("{{ don_vi.ten }} {% if %}", encoding="utf-8")
    with pytest.raises(ComposeError, match="mẫu thư 'email_unit.txt.j2' lỗi"):
        compose(_recipient(), CTX, [], sender=SENDER, subject_template=SUBJECT, env=make_env([tmp_path / "tpl"]))


def test_assign_attachments_by_file_name(tmp_path):
    make_attachments(tmp_path, codes=("SNV", "STC"))
    files = sorted(tmp_path.iterdir())
    rs = [Recipient("SNV", "unit", "SNV", "a", ()), Recipient("STC", "unit", "STC", "b", ()),
          Recipient(OFFICE_KEY, "office", OFFICE_KEY, "c", ())]
    got = {k: sorted(p.name for p in v) for k, v in assign_attachments(files, rs).items()}
    assert got["SNV"] == ["Báo cáo kết quả thi đua khối năm 2025.docx", "Thông báo kết quả - SNV.pdf"]
    assert got["STC"] == ["Báo cáo kết quả thi đua khối năm 2025.docx", "Thông báo kết quả - STC.pdf"]
    assert got[OFFICE_KEY] == ["Báo cáo kết quả thi đua khối năm 2025.docx", "Báo cáo tổng hợp gửi Ban TĐKT.pdf"]


def test_assign_report_feature_files():
    names = ["bao-cao-khoi.docx", "danh-sach-de-nghi.docx", "phu-luc-thong-ke.docx", "thong-bao/01-skhcn.docx",
             "thong-bao/02-skhdt.docx"]
    rs = [Recipient("SKHCN", "unit", "SKHCN", "a", ()), Recipient("SKHĐT", "unit", "SKHĐT", "b", ()),
          Recipient(OFFICE_KEY, "office", OFFICE_KEY, "c", ())]
    got = {k: [p.as_posix() for p in v] for k, v in assign_attachments([Path(n) for n in names], rs).items()}
    assert got == {
        "SKHCN": ["thong-bao/01-skhcn.docx", "bao-cao-khoi.docx"],
        "SKHĐT": ["thong-bao/02-skhdt.docx", "bao-cao-khoi.docx"],
        OFFICE_KEY: ["bao-cao-khoi.docx", "danh-sach-de-nghi.docx", "phu-luc-thong-ke.docx"],
    }


def test_regenerated_reports_keep_their_digest(tmp_path):
    import time
    import zipfile

    from xlpy.mail.compose import file_digest

    def docx(path, body, core):
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(zipfile.ZipInfo("word/document.xml", time.localtime()[:6]), body)
            z.writestr("docProps/core.xml", core)

    docx(tmp_path / "a.docx", "<w>Sở Nội vụ 95,5</w>", "<modified>2026-01-01</modified>")
    docx(tmp_path / "b.docx", "<w>Sở Nội vụ 95,5</w>", "<modified>2026-01-02</modified>")
    docx(tmp_path / "c.docx", "<w>Sở Nội vụ 96,5</w>", "<modified>2026-01-02</modified>")
    assert file_digest(tmp_path / "a.docx") == file_digest(tmp_path / "b.docx") != file_digest(tmp_path / "c.docx")
    pdf = b"%%PDF-1.4\n<< /CreationDate(D:2026%s) >>\ntrailer << /ID [ <%s> <%s> ] /DocChecksum /%s >>\n%s"
    (tmp_path / "a.pdf").write_bytes(pdf % (b"0101", b"AB", b"AB", b"0F", b"x"))
    (tmp_path / "b.pdf").write_bytes(pdf % (b"0202", b"CD", b"CD", b"1E", b"x"))
    (tmp_path / "c.pdf").write_bytes(pdf % (b"0202", b"CD", b"CD", b"1E", b"y"))
    assert file_digest(tmp_path / "a.pdf") == file_digest(tmp_path / "b.pdf") != file_digest(tmp_path / "c.pdf")


# ---- send log -------------------------------------------------------------------------
def test_send_log_survives_a_torn_last_line(tmp_path):
    log = SendLog(tmp_path / "k.guithu.jsonl")
    log.append(event="sent", backend="smtp", hash="h1", addr="A@b.vn")
    with open(log.path, "ab") as fh:
        fh.write(b'{"event": "sent", "backend": "smtp", "hash": "h2", "ad')  # crash mid-line
    assert log.delivered("smtp") == {("h1", "a@b.vn")}
    log.append(event="sent", backend="smtp", hash="h3", addr="c@d.vn")
    assert log.delivered("smtp") == {("h1", "a@b.vn"), ("h3", "c@d.vn")}
    assert log.delivered("outlook") == set()
    lines = log.path.read_bytes().split(b"\n")
    assert json.loads(lines[-2])["hash"] == "h3"


# ---- passwords --------------------------------------------------------------------------
def test_password_from_env_first():
    assert get_password("u", env={"XLPY_SMTP_PASSWORD": "p"}) == ("p", "env")


def test_password_from_keyring_and_keyring_failures_are_handled():
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import KeyringLocked

    class Memory(KeyringBackend):
        priority = 1

        def __init__(self, fail=False):
            super().__init__()
            self.fail = fail

        def get_password(self, service, username):
            if self.fail:
                raise KeyringLocked("locked")
            return {("xlpy-smtp", "khoitruong"): "tu-keyring"}.get((service, username))

        def set_password(self, service, username, password):
            raise NotImplementedError

        def delete_password(self, service, username):
            raise NotImplementedError

    old = keyring.get_keyring()
    try:
        keyring.set_keyring(Memory())
        assert get_password("khoitruong", env={}) == ("tu-keyring", "keyring")
        assert get_password("khac", env={}) == (None, "")
        keyring.set_keyring(Memory(fail=True))
        assert get_password("khoitruong", env={}) == (None, "")
    finally:
        keyring.set_keyring(old)
