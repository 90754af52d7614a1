"""Vietnamese everywhere in paths: a workbook named like an officer names it, in folders with
spaces and Vietnamese letters, with HOME in a Vietnamese-named folder, through the CLI
(compute, report, send --dry-run), the ribbon dispatch (XLPY_CALLER_BOOK) and the mail
attachments."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLES
from xlpy.excel import build

BOOK_NAME = "Khối thi đua Văn hóa – Xã hội 2025.xlsx"


@pytest.fixture
def place(tmp_path) -> dict[str, Path]:
    home = tmp_path / "Nguyễn Thị Thủy"
    folder = home / "Tài liệu" / "Thi đua – Khen thưởng 2025"
    folder.mkdir(parents=True)
    book = folder / BOOK_NAME
    shutil.copy(SAMPLES / "so-nganh-100.xlsx", book)
    return {"home": home, "folder": folder, "book": book}


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"HOME": str(home), "USERPROFILE": str(home), "PYTHONIOENCODING": "utf-8", "XLPY_NO_OPEN": "1",
                "TMPDIR": str(home / "Tạm"), **extra})
    (home / "Tạm").mkdir(exist_ok=True)
    return env


def xlpy(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-P", "-m", "xlpy.cli", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env, timeout=300)


def fill_mail_settings(book: Path) -> list[str]:
    """Sender, office and every unit's address (the sample leaves some blank); returns unit codes."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Cài đặt"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[0].value}
    for k, v in {"Email Ban TĐKT": "bantdkt@tinh.example.vn", "Email người gửi": "khoitruong@snv.example.vn",
                 "Tên người gửi": "Khối trưởng – Sở Nội vụ", "Tệp đính kèm": "Word"}.items():
        if k in rows:
            rows[k][1].value = v
        else:
            ws.append([k, v])
    codes = []
    for row in wb["Đơn vị"].iter_rows(min_row=2):
        if row[0].value:
            codes.append(str(row[0].value))
            if not row[5].value:
                row[5].value = f"{str(row[0].value).lower()}@example.gov.vn"
    wb.save(book)
    return codes


def test_cli_compute_report_send_in_vietnamese_folders(place):
    book, folder, home = place["book"], place["folder"], place["home"]
    env = env_for(home)
    p = xlpy("compute", str(book), cwd=home, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Kết quả" in openpyxl.load_workbook(book, read_only=True).sheetnames

    p = xlpy("report", str(book), "--format", "docx,html", "--json", cwd=folder, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    files = [Path(f) for f in json.loads(p.stdout)["files"]]
    assert files and all(f.exists() for f in files)
    assert {f.suffix for f in files} == {".docx", ".html"}
    assert all(folder in f.parents for f in files)  # beside the book, in the Vietnamese folder

    codes = fill_mail_settings(book)
    outbox = folder / "Hộp thư đi (chạy thử)"
    p = xlpy("send", str(book), "--dry-run", "--outbox", str(outbox), "--json", cwd=home, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    emls = sorted(outbox.glob("*.eml"))
    assert len(emls) == len(codes) + 1  # every unit and the office
    # the attachments: Vietnamese file names survive the trip through MIME
    names = set()
    for eml in emls:
        msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        for part in msg.iter_attachments():
            name = part.get_filename()
            assert name and "?" not in name and "=?" not in name
            names.add(unicodedata.normalize("NFC", name))
            assert part.get_content()  # the bytes are there
    assert names, "no attachment in the dry-run mails"
    assert any(not n.isascii() for n in names), names


def test_ribbon_dispatch_on_a_vietnamese_book(place, tmp_path):
    book, home = place["book"], place["home"]
    log = home / "Tạm" / "nhật ký.jsonl"
    env = env_for(home, XLPY_CALLER_BOOK=str(book), XLPY_DISPATCH_LOG=str(log))
    for tag in ("validate", "compute", "rank"):
        p = subprocess.run([sys.executable, "-P", "-c", build.DISPATCH_TEMPLATE.format(tag=tag)], capture_output=True,
                           text=True, encoding="utf-8", env=env, cwd=home, timeout=300)
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    events = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert not [e for e in events if e["event"] == "message" and e.get("error")], events
    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert "Kết quả" in names and "Xếp hạng" in names
    # the backup beside the book keeps the Vietnamese name
    assert (book.parent / (book.stem + ".bak.xlsx")).exists()


def test_doctor_reports_a_vietnamese_home_and_book(place):
    p = xlpy("doctor", "--workbook", str(place["book"]), "--json", cwd=place["home"], env=env_for(place["home"]))
    assert p.returncode == 0, p.stdout + p.stderr
    checks = {c["code"]: c for c in json.loads(p.stdout)["data"]["checks"]}
    assert checks["PATH-ASCII"]["status"] == "pass" and "Nguyễn Thị Thủy" in checks["PATH-ASCII"]["detail"]
    assert checks["ONEDRIVE"]["status"] == "pass"
