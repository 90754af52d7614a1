"""Sending for real to SMTP servers on 127.0.0.1 started by the tests (aiosmtpd).

Every received message is parsed back (email.parser, policy.default) and
compared with what the workbook says: subject, bodies, recipients and the
attachment bytes.  Batches are repeated, broken and killed to check that
nothing arrives twice and nothing is lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest

from mail_server import OFFICE, UNITS, Recorder, free_port, make_attachments, make_book, make_cert, running, \
    server_context
from xlpy import actions
from xlpy.mail.sendlog import SendLog

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
PASSWORD = "Mk-bí-mật-9f3c!"  # must never appear in any file xlpy writes
USER = "khoitruong@snv.example.vn"
FAST = dict(retry_delay=0.01, attempts=3)

# every envelope address of the standard block, and which message it belongs to
EXPECTED = {
    "vanthu.snv@snv.example.vn": "SNV",
    "vanthu@stc.example.vn": "STC",
    "giamdoc@stc.example.vn": "STC",
    "skhdt@skhdt.example.vn": "SKHĐT",
    "pgd1@skhdt.example.vn": "SKHĐT",
    "pgd2@skhdt.example.vn": "SKHĐT",
    "stp@stp.example.vn": "STP",
    OFFICE: "office",
}


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("XLPY_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XLPY_SMTP_TIMEOUT", "5")


def smtp_settings(server, security="Không mã hóa", **more):
    return {"Máy chủ SMTP": server.host, "Cổng SMTP": server.port, "Bảo mật SMTP": security, **more}


def parse(b: bytes):
    return BytesParser(policy=policy.default).parsebytes(b)


def assert_no_secret(folder: Path, *texts: str) -> None:
    """grep every file under ``folder`` (and inside every .xlsx) for the password."""
    needles = [PASSWORD.encode("utf-8"), PASSWORD.encode("utf-16-le")]
    checked = 0
    for p in folder.rglob("*"):
        if not p.is_file():
            continue
        blobs = [p.read_bytes()]
        if zipfile.is_zipfile(p):
            with zipfile.ZipFile(p) as z:
                blobs += [z.read(n) for n in z.namelist()]
        for b in blobs:
            checked += 1
            assert not any(n in b for n in needles), f"password found in {p}"
    for t in texts:
        assert PASSWORD not in t
    assert checked


def status_sheet(path: Path) -> list[dict]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["Gửi thư"].iter_rows(values_only=True))
    wb.close()
    h = next(i for i, r in enumerate(rows) if r and r[0] == "STT")  # below the sheet's title
    header = rows[h]
    return [dict(zip(header, r)) for r in rows[h + 1:] if r and r[0] is not None and isinstance(r[0], int)]


def check_message(m, code: str, files: dict[str, bytes]) -> None:
    """A received message matches the workbook: recipients, subject, bodies, attachments."""
    units = {u[0]: u for u in UNITS}
    if code == "office":
        assert [a.addr_spec for a in m["To"].addresses] == [OFFICE]
        assert m["Subject"] == ("[Khối các sở, ban, ngành tổng hợp] Báo cáo tổng hợp kết quả thi đua "
                                "tổng kết năm 2025")
        want = {"Báo cáo tổng hợp gửi Ban TĐKT.pdf", "Báo cáo kết quả thi đua khối năm 2025.docx"}
        text = m.get_body(("plain",)).get_content()
        assert "Kính gửi: Ban Thi đua – Khen thưởng tỉnh Quảng Nam" in text
        assert "2. Sở Tài chính (STC): 95,5 điểm, Hoàn thành xuất sắc nhiệm vụ" in text
    else:
        _, name, _role, email, cc = units[code]
        assert m["Subject"] == (f"[Khối các sở, ban, ngành tổng hợp] Thông báo kết quả thi đua tổng kết năm 2025 "
                                f"– {name}")
        assert [a.addr_spec for a in m["To"].addresses] == [email.split("<")[-1].rstrip(">")]
        assert [a.addr_spec for a in (m["Cc"].addresses if m["Cc"] else ())] == [c.strip() for c in cc.split(";") if c]
        text = m.get_body(("plain",)).get_content()
        html = m.get_body(("html",)).get_content()
        assert f"Kính gửi: {name}" in text and f"<b>{name}</b>" in html
        want = {"Báo cáo kết quả thi đua khối năm 2025.docx", f"Thông báo kết quả - {code}.pdf"}
    got = {a.get_filename(): a.get_content() for a in m.iter_attachments()}
    assert set(got) == want
    for n in want:
        assert got[n] == files[n], n
    assert m["From"].addresses[0].display_name == "Khối trưởng – Sở Nội vụ"


def check_delivered_once(rec: Recorder, files: dict[str, bytes]) -> None:
    by = rec.by_rcpt()
    assert set(by) == set(EXPECTED), set(by) ^ set(EXPECTED)
    for addr, code in EXPECTED.items():
        assert len(by[addr]) == 1, f"{addr} received {len(by[addr])} times"
        check_message(by[addr][0].message, code, files)


@pytest.fixture
def block(tmp_path):
    files = make_attachments(tmp_path / "tep")
    return tmp_path, files


# ---- the whole path ------------------------------------------------------------------
def test_starttls_auth_delivers_once_dry_run_matches_and_no_secret(block):
    tmp, files = block
    cert, key = make_cert(tmp / "pki")
    with running(starttls=server_context(cert, key), users={USER: PASSWORD}) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(
            srv, "STARTTLS", **{"Tài khoản SMTP": USER, "Tệp chứng chỉ SMTP": str(cert)}))
        # 1. dry run: .eml files, nothing sent
        dry = actions.run("send", book, attach=tmp / "tep")
        assert dry.ok, [str(p) for p in dry.problems]
        assert srv.handler.received == [] and srv.handler.mail_count == 0
        emls = sorted(Path(dry.data["outbox"]).glob("*.eml"))
        assert len(emls) == 5
        assert {r["trang_thai"] for r in status_sheet_rows(dry)} == {"written"}
        # 2. real send
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert res.ok, (res.message, [str(p) for p in res.problems])
        check_delivered_once(srv.handler, files)
        assert srv.auth.attempts and set(srv.auth.attempts) == {USER}
        # the dry run wrote the very same messages
        received = {r.message["Message-ID"]: r.message for r in srv.handler.received}
        for e in emls:
            m = parse(e.read_bytes())
            r = received[m["Message-ID"]]
            assert m["Subject"] == r["Subject"] and str(m["To"]) == str(r["To"]) and str(m["Cc"]) == str(r["Cc"])
            assert m.get_body(("plain",)).get_content() == r.get_body(("plain",)).get_content()
            assert m.get_body(("html",)).get_content() == r.get_body(("html",)).get_content()
            assert [(a.get_filename(), a.get_content()) for a in m.iter_attachments()] == \
                   [(a.get_filename(), a.get_content()) for a in r.iter_attachments()]
        # 3. a second click sends nothing
        again = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert again.ok and again.data["counts"] == {"already": len(EXPECTED)}
        check_delivered_once(srv.handler, files)
    rows = status_sheet(book)
    assert len(rows) == len(EXPECTED) and {r["Trạng thái"] for r in rows} == {"Đã gửi trước đó"}
    assert_no_secret(tmp, dry.message, res.message, str(res.to_dict()), str(again.to_dict()))


def status_sheet_rows(result):
    return result.data["rows"]


def test_implicit_tls(block):
    tmp, files = block
    cert, key = make_cert(tmp / "pki")
    with running(implicit_tls=server_context(cert, key), users={USER: PASSWORD}) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(
            srv, "SSL/TLS", **{"Tài khoản SMTP": USER, "Tệp chứng chỉ SMTP": str(cert)}))
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert res.ok, [str(p) for p in res.problems]
        check_delivered_once(srv.handler, files)
    assert_no_secret(tmp)


def test_untrusted_certificate_is_refused_clearly(block):
    tmp, _ = block
    cert, key = make_cert(tmp / "pki")
    with running(starttls=server_context(cert, key)) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv, "STARTTLS"))
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
    assert not res.ok and srv.handler.received == []
    assert "Lỗi TLS" in res.message and "Tệp chứng chỉ SMTP" in res.message
    assert {r["trang_thai"] for r in res.data["rows"]} == {"failed"}


def test_auth_refused_sends_nothing_and_says_so(block):
    tmp, _ = block
    cert, key = make_cert(tmp / "pki")
    with running(starttls=server_context(cert, key), users={USER: "mat-khau-khac"}) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(
            srv, "STARTTLS", **{"Tài khoản SMTP": USER, "Tệp chứng chỉ SMTP": str(cert)}))
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert srv.handler.received == [] and srv.handler.mail_count == 0
    assert not res.ok
    assert "từ chối đăng nhập" in res.message and USER in res.message
    assert any(p.code == "mail_auth_refused" for p in res.problems)
    rows = status_sheet(book)
    assert len(rows) == len(EXPECTED) and {r["Trạng thái"] for r in rows} == {"Chưa gửi"}
    assert all("từ chối đăng nhập" in r["Chi tiết"] for r in rows)
    assert_no_secret(tmp, str(res.to_dict()))


def test_no_password_anywhere_is_explained(block, monkeypatch):
    import keyring
    from keyring.backends import fail

    tmp, _ = block
    monkeypatch.delenv("XLPY_SMTP_PASSWORD")
    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # what CI has: no backend
    try:
        with running(users={USER: PASSWORD}) as srv:
            book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv, **{"Tài khoản SMTP": USER}))
            res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
    finally:
        keyring.set_keyring(old)
    assert not res.ok and "Chưa có mật khẩu" in res.message and "keyring set xlpy-smtp" in res.message


def test_server_unreachable(block):
    tmp, _ = block
    port = free_port()  # nothing listens here
    book = make_book(tmp / "khoi.xlsx", settings={"Máy chủ SMTP": "127.0.0.1", "Cổng SMTP": port,
                                                    "Bảo mật SMTP": "Không mã hóa"})
    t0 = time.monotonic()
    res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
    assert time.monotonic() - t0 < 10
    assert not res.ok and "Không kết nối được máy chủ thư" in res.message and str(port) in res.message
    assert {r["Trạng thái"] for r in status_sheet(book)} == {"Chưa gửi"}
    assert SendLog(tmp / "khoi.guithu.jsonl").delivered("smtp") == set()


# ---- temporary and permanent failures ------------------------------------------------
def test_4xx_then_accepted_is_retried_and_delivered_once(block):
    tmp, files = block
    rec = Recorder(
        on_rcpt=lambda addr, n: "451 4.7.1 Greylisted, try again later" if addr == "stp@stp.example.vn" and n == 1 else None,
        on_data=lambda rcpts, n: "452 4.3.1 Insufficient system storage" if n == 2 else None,
    )
    with running(rec) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv))
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert res.ok, [str(p) for p in res.problems]
        check_delivered_once(rec, files)
    assert rec.rcpt_counts["stp@stp.example.vn"] == 2


def test_5xx_for_one_recipient_is_reported_and_the_rest_delivered(block):
    tmp, files = block
    bad = "pgd2@skhdt.example.vn"
    rec = Recorder(on_rcpt=lambda addr, n: "550 5.1.1 Mailbox unavailable" if addr == bad else None)
    with running(rec) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv))
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        by = rec.by_rcpt()
        assert bad not in by and rec.rcpt_counts[bad] == 1  # permanent: not retried
        assert set(by) == set(EXPECTED) - {bad} and all(len(v) == 1 for v in by.values())
        # the others on the same message got it
        check_message(by["pgd1@skhdt.example.vn"][0].message, "SKHĐT", files)
        # a second click sends only what is missing: the refused address is tried again, nobody else
        again = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert rec.rcpt_counts[bad] == 2 and all(len(v) == 1 for v in rec.by_rcpt().values())
    assert not res.ok and res.data["counts"]["refused"] == 1
    [p] = [p for p in res.problems if p.code == "mail_refused"]
    assert "Sở Kế hoạch và Đầu tư" in p.message and bad in p.message and "550" in p.message
    [row] = [r for r in status_sheet(book) if r["Địa chỉ"] == bad]
    assert row["Trạng thái"] == "Bị từ chối" and "550" in row["Chi tiết"]
    assert again.data["counts"] == {"already": len(EXPECTED) - 1, "refused": 1}


def test_dropped_connections_defer_then_next_run_resumes(block):
    tmp, files = block
    state = {"drop": True}

    def on_mail(server, address, n):
        if state["drop"] and n >= 3:
            server.transport.close()  # the connection dies mid-transaction
            return "421 4.4.2 Connection dropped"
        return None

    rec = Recorder(on_mail=on_mail)
    with running(rec) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv))
        first = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert not first.ok and len(rec.received) == 2
        assert first.data["counts"]["sent"] == 3 and first.data["counts"]["deferred"] == len(EXPECTED) - 3
        assert any(p.code == "mail_deferred" for p in first.problems)
        state["drop"] = False
        second = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert second.ok, [str(p) for p in second.problems]
        check_delivered_once(rec, files)
        assert second.data["counts"] == {"already": 3, "sent": len(EXPECTED) - 3}


def test_killed_batch_resumes_without_duplicates(block):
    """A real `xlpy send` process is killed while the server holds its 3rd message."""
    tmp, files = block
    release = threading.Event()

    async def on_mail(server, address, n):
        if n == 3:
            for _ in range(400):  # at most 20 s
                if release.is_set():
                    break
                await asyncio.sleep(0.05)
            return "421 4.3.0 Shutting down"
        return None

    rec = Recorder(on_mail=on_mail)
    with running(rec) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv))
        env = dict(os.environ, XLPY_SMTP_PASSWORD=PASSWORD)
        proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "xlpy.cli", "send", str(book), "--no-dry-run", "--attach", str(tmp / "tep"),
             "--retry-delay", "0.01"],
            cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            while rec.mail_count < 3 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.02)
            assert rec.mail_count >= 3, proc.communicate(timeout=5)
            proc.kill()
            out, err = proc.communicate(timeout=10)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        assert len(rec.received) == 2
        log = SendLog(tmp / "khoi.guithu.jsonl")
        assert len(log.delivered("smtp")) == 3  # SNV, and STC with its CC
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert res.ok, [str(p) for p in res.problems]
        check_delivered_once(rec, files)
        assert res.data["counts"] == {"already": 3, "sent": len(EXPECTED) - 3}
    assert_no_secret(tmp, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


# ---- bad input -------------------------------------------------------------------------
def test_bad_addresses_hold_the_batch_unless_partial(block):
    tmp, files = block
    units = UNITS + [("SYT", "Sở Y tế", "Thành viên", "", ""), ("SGD", "Sở Giáo dục", "Thành viên", "sgd@", "")]
    with running() as srv:
        book = make_book(tmp / "khoi.xlsx", units=units, settings=smtp_settings(srv))
        held = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert srv.handler.received == [] and not held.ok and "Chưa gửi thư nào" in held.message
        msgs = " | ".join(p.message for p in held.problems)
        assert "Sở Y tế (SYT): chưa có địa chỉ email" in msgs and "Sở Giáo dục (SGD): địa chỉ email sai" in msgs
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", partial=True, **FAST)
        check_delivered_once(srv.handler, files)
    assert not res.ok  # still reported
    rows = {r["Mã đơn vị"]: r for r in status_sheet(book)}
    assert rows["SYT"]["Trạng thái"] == "Lỗi – chưa gửi" and "Chưa có email (Đơn vị!F6)" in rows["SYT"]["Chi tiết"]
    assert rows["SGD"]["Trạng thái"] == "Lỗi – chưa gửi"
    assert rows["STC"]["Trạng thái"] == "Đã gửi"


def test_missing_report_module_or_attach_folder_is_reported(block):
    tmp, _ = block
    with running() as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv))
        res = actions.run("send", book, dry_run=False, attach=tmp / "khong-co", **FAST)
        assert srv.handler.received == []
    assert not res.ok and any(p.code == "mail_attach_dir" for p in res.problems)


# ---- the CLI on a sample block ----------------------------------------------------------
def test_cli_send_on_sample_block(tmp_path):
    """`xlpy send` on a shipped sample: computed, then every unit exactly once, dry run = same messages."""
    import shutil

    sample = ROOT / "samples" / "so-nganh-100.xlsx"
    if not sample.exists():
        pytest.skip("samples not built")
    book = tmp_path / "so-nganh-100.xlsx"
    shutil.copy(sample, book)
    assert actions.run("compute", book).ok
    wb = openpyxl.load_workbook(book)
    ws = wb["Cài đặt"]
    with running() as srv:
        rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[0].value}
        for k, v in {"Email Ban TĐKT": OFFICE, "Email người gửi": USER, "Tên người gửi": "Khối trưởng",
                     "Tệp đính kèm": "Word", **smtp_settings(srv)}.items():
            if k in rows:  # the sample's settings sheet lists every key: fill it in place
                rows[k][1].value = v
            else:
                ws.append([k, v])
        wb.save(book)
        env = dict(os.environ, XLPY_SMTP_PASSWORD=PASSWORD)

        def cli(*args):
            p = subprocess.run([sys.executable, "-P", "-m", "xlpy.cli", "send", str(book), *args, "--json"],
                               cwd=tmp_path, env=env, capture_output=True, timeout=120)
            return p.returncode, p.stdout.decode(), p.stderr.decode()

        # the sample leaves one unit without an e-mail address: reported, and nothing is sent
        missing = [r[0] for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True) if r[0] and not r[5]]
        if missing:
            code, out, err = cli("--no-dry-run")
            assert code == 1 and srv.handler.mail_count == 0
            result = json.loads(out)
            assert result["message"].startswith("Chưa gửi thư nào")
            # (the attached reports' own warnings, e.g. report settings left blank, are the report's business)
            assert {p["code"] for p in result["problems"] if not p["code"].startswith("report_")} == {"mail_missing_address"}
            wb = openpyxl.load_workbook(book)
            for row in wb["Đơn vị"].iter_rows(min_row=2):
                if row[0].value and not row[5].value:
                    row[5].value = f"{str(row[0].value).lower()}@example.gov.vn"
            wb.save(book)
        emails = [r[5] for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True) if r[0]]
        codes = [r[0] for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True) if r[0]]

        code, out, err = cli()
        assert code == 0, out + err
        emls = sorted((tmp_path / "so-nganh-100-hop-thu-di").glob("*.eml"))
        assert len(emls) == len(codes) + 1 and srv.handler.received == []
        code, out, err = cli("--no-dry-run")
        assert code == 0, out + err
        code2, out2, err2 = cli("--no-dry-run")
        assert code2 == 0
        by = srv.handler.by_rcpt()
        assert set(by) == set(emails) | {OFFICE} and all(len(v) == 1 for v in by.values())
        sent = {r.message["Message-ID"]: r.message for r in srv.handler.received}
        for e in emls:
            m = parse(e.read_bytes())
            assert m["Subject"] == sent[m["Message-ID"]]["Subject"]
            assert m.get_body(("plain",)).get_content() == sent[m["Message-ID"]].get_body(("plain",)).get_content()
        first = parse(srv.handler.received[0].data)
        assert "Sở Khoa học và Công nghệ" in first["Subject"]
        assert "Tổng điểm: 105,5" in first.get_body(("plain",)).get_content()
        # the reports made by `xlpy report` are attached: each unit its notice and the block report,
        # the office the block report, the proposals list and the annex
        for r in srv.handler.received:
            m = r.message
            names = sorted(a.get_filename() for a in m.iter_attachments())
            if OFFICE in r.rcpt_tos:
                assert names == ["Báo cáo kết quả thi đua của Khối năm 2025.docx",
                                 "Danh sách đề nghị khen thưởng năm 2025.docx", "Phụ lục thống kê năm 2025.docx"]
            else:
                unit = m["Subject"].split("năm 2025 – ", 1)[1]
                assert names == ["Báo cáo kết quả thi đua của Khối năm 2025.docx",
                                 f"Thông báo kết quả thi đua năm 2025 – {unit}.docx"], names
                assert all(a.get_content()[:2] == b"PK" for a in m.iter_attachments())
    assert_no_secret(tmp_path, out, err, out2, err2)


def test_only_some_units_and_dry_run_shows_what_would_be_skipped(block):
    tmp, files = block
    units = UNITS + [("SYT", "Sở Y tế", "Thành viên", "", "")]  # not asked for: not a reason to hold
    with running() as srv:
        book = make_book(tmp / "khoi.xlsx", units=units, settings=smtp_settings(srv))
        res = actions.run("send", book, dry_run=False, attach=tmp / "tep", only="stc, ban-tdkt", **FAST)
        assert res.ok, [str(p) for p in res.problems]
        assert set(srv.handler.by_rcpt()) == {"vanthu@stc.example.vn", "giamdoc@stc.example.vn", OFFICE}
        dry = actions.run("send", book, attach=tmp / "tep", only="STC,SNV")
        assert {r["dia_chi"]: r["trang_thai"] for r in dry.data["rows"]} == {
            "vanthu.snv@snv.example.vn": "written",
            "vanthu@stc.example.vn": "would_skip",
            "giamdoc@stc.example.vn": "would_skip",
        }
        none = actions.run("send", book, attach=tmp / "tep", only="XYZ")
        assert not none.ok and any(p.code == "mail_only_none" for p in none.problems)
        assert len(srv.handler.received) == 2


# ---- the ribbon: a dry run first, then a Yes/No question before anything is sent ------------
def test_ribbon_send_dry_runs_then_asks_before_sending(block, monkeypatch):
    from xlpy.excel import ribbon

    tmp, _ = block
    with running() as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv, **{"Tệp đính kèm": "Không đính kèm"}))
        monkeypatch.delenv("XLPY_CONFIRM", raising=False)
        res = ribbon.dispatch("send", book)  # the officer answers "No"
        assert res.ok and res.data["dry_run"] and srv.handler.received == []
        monkeypatch.setenv("XLPY_CONFIRM", "yes")  # the officer answers "Yes"
        res = ribbon.dispatch("send", book)
        assert res.ok and not res.data["dry_run"]
        assert set(srv.handler.by_rcpt()) == set(EXPECTED)
        assert all(len(v) == 1 for v in srv.handler.by_rcpt().values())


# ---- the send log belongs to the workbook ------------------------------------------------
def test_send_log_belongs_to_the_workbook_not_the_current_folder(block, monkeypatch):
    """The same workbook reached from other folders, by relative paths and through a linked
    folder, shares one send log: nothing is sent twice."""
    tmp, files = block
    with running() as srv:
        book = make_book(tmp / "so" / "khoi.xlsx", settings=smtp_settings(srv))
        monkeypatch.chdir(tmp / "so")
        first = actions.run("send", "khoi.xlsx", dry_run=False, attach=tmp / "tep", **FAST)
        assert first.ok, [str(p) for p in first.problems]
        check_delivered_once(srv.handler, files)
        (tmp / "noi-khac" / "sau-hon").mkdir(parents=True)
        (tmp / "noi-khac" / "lien-ket").symlink_to(tmp / "so", target_is_directory=True)
        monkeypatch.chdir(tmp / "noi-khac" / "sau-hon")
        for rel in ("../../so/khoi.xlsx", "../lien-ket/khoi.xlsx"):
            again = actions.run("send", rel, dry_run=False, attach=tmp / "tep", **FAST)
            assert again.ok and again.data["counts"] == {"already": len(EXPECTED)}, (rel, again.data["counts"])
            assert Path(again.data["log"]) == (tmp / "so" / "khoi.guithu.jsonl").resolve()
        check_delivered_once(srv.handler, files)
    assert [p.relative_to(tmp).as_posix() for p in tmp.rglob("*.guithu.jsonl") if not p.is_symlink()] == \
        ["so/khoi.guithu.jsonl"]
    assert book.exists()


# ---- no answer after the message was handed over: "chưa rõ", never resent by itself ----------
@pytest.mark.parametrize("how", ["late", "dropped"])
def test_no_answer_after_data_is_unknown_and_not_resent(block, monkeypatch, how):
    """The server keeps STC's message but answers only after the client's timeout (or drops
    the connection before answering): xlpy says "chưa rõ" and sends it again only when asked."""
    tmp, files = block
    monkeypatch.setenv("XLPY_SMTP_TIMEOUT", "1")
    target, cc = "vanthu@stc.example.vn", "giamdoc@stc.example.vn"
    state = {"first": True}

    async def after_data(server, rcpts, n):
        if target in rcpts and state["first"]:
            state["first"] = False
            if how == "late":
                await asyncio.sleep(3)  # the answer comes after the client's 1 s timeout
            else:
                server.transport.close()  # the connection drops before the answer

    rec = Recorder(after_data=after_data)
    with running(rec) as srv:
        book = make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv))
        first = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        by = rec.by_rcpt()
        assert set(by) == set(EXPECTED) and all(len(v) == 1 for v in by.values())  # kept once, not retried
        rows = {r["dia_chi"]: r for r in first.data["rows"]}
        for a in (target, cc):
            assert rows[a]["trang_thai"] == "unknown"
            assert rows[a]["trang_thai_vi"] == "Chưa rõ – máy chủ chưa trả lời"
        assert first.data["counts"] == {"sent": len(EXPECTED) - 2, "unknown": 2}
        assert not first.ok and "chưa rõ" in first.message
        unknown = [p for p in first.problems if p.code == "mail_unknown"]
        assert unknown and all("--resend-unknown" in p.message and "Sở Tài chính" in p.message for p in unknown)
        events = [r["event"] for r in SendLog(tmp / "khoi.guithu.jsonl").records() if r.get("addr") == target]
        assert events == ["unknown"]

        # the next run does not resend it either, and says so again
        second = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert all(len(v) == 1 for v in rec.by_rcpt().values()) and len(rec.received) == 5
        assert second.data["counts"] == {"already": len(EXPECTED) - 2, "unknown": 2}
        assert not second.ok and "chưa rõ" in second.message
        sheet = {r["Địa chỉ"]: r for r in status_sheet(book)}
        assert sheet[target]["Trạng thái"] == "Chưa rõ – máy chủ chưa trả lời"
        assert "--resend-unknown" in sheet[target]["Chi tiết"]
        dry = actions.run("send", book, attach=tmp / "tep")
        assert {r["dia_chi"]: r["trang_thai"] for r in dry.data["rows"]}[target] == "would_skip_unknown"

        # the officer decides: resend those (and only those)
        third = actions.run("send", book, dry_run=False, attach=tmp / "tep", resend_unknown=True, **FAST)
        assert third.ok and third.data["counts"] == {"already": len(EXPECTED) - 2, "sent": 2}
        by = rec.by_rcpt()
        assert len(by[target]) == 2 and len(by[cc]) == 2
        assert all(len(v) == 1 for a, v in by.items() if a not in (target, cc))
        fourth = actions.run("send", book, dry_run=False, attach=tmp / "tep", **FAST)
        assert fourth.ok and fourth.data["counts"] == {"already": len(EXPECTED)}
        assert len(rec.received) == 6


def test_no_answer_is_unknown_through_the_cli(block):
    """`xlpy send` in a fresh process: the late answer is reported as "chưa rõ", exit code 1,
    and the server got the message once."""
    tmp, _ = block

    async def after_data(server, rcpts, n):
        if n == 1:
            await asyncio.sleep(3)

    rec = Recorder(after_data=after_data)
    with running(rec) as srv:
        make_book(tmp / "khoi.xlsx", settings=smtp_settings(srv), units=UNITS[:1])
        env = dict(os.environ, XLPY_SMTP_PASSWORD=PASSWORD, XLPY_SMTP_TIMEOUT="1")
        p = subprocess.run([sys.executable, "-P", "-m", "xlpy.cli", "send", "khoi.xlsx", "--no-dry-run", "--attach",
                            str(tmp / "tep"), "--retry-delay", "0.01", "--json"],
                           cwd=tmp, env=env, capture_output=True, timeout=120)
        out = json.loads(p.stdout.decode())
        assert p.returncode == 1
        assert out["data"]["counts"] == {"unknown": 1, "sent": 1}
        assert "chưa rõ" in out["message"]
        assert len(rec.received) == 2 and rec.data_count == 2


def test_lines_starting_with_a_dot_arrive_intact(tmp_path):
    """The DATA phase xlpy writes itself: dot-stuffing both ways."""
    from email.message import EmailMessage

    from xlpy.mail.smtp import RetryPolicy, SmtpBackend, SmtpConfig

    body = ".\n..\n.dòng bắt đầu bằng dấu chấm\n. \nhết\n"
    m = EmailMessage()
    m["Subject"] = "dau cham"
    m["From"] = "a@snv.example.vn"
    m["To"] = "b@stc.example.vn"
    m.set_content(body, cte="8bit")
    with running() as srv:
        with SmtpBackend(SmtpConfig(srv.host, srv.port, "none", timeout=5), retry=RetryPolicy(attempts=1)) as be:
            [d] = be.send(m, "a@snv.example.vn", ["b@stc.example.vn"])
    assert d.status == "sent"
    [r] = srv.handler.received
    assert r.message.get_content().replace("\r\n", "\n") == body
