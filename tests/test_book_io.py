"""Atomic writes and backups: a crash mid-save leaves the original intact."""

import hashlib

import pytest

from xlpy import actions
from xlpy.book.package import Package
from xlpy.fsio import backup_path


def test_crash_while_saving_keeps_original(sample_copy, monkeypatch):
    path = sample_copy("so-nganh-100")
    before = hashlib.sha256(path.read_bytes()).digest()

    def broken_write(self, out, changes, level=6):
        out.write(b"PK\x03\x04 half a zip")  # a partial file, then the process fails
        raise OSError("ổ đĩa đầy")

    monkeypatch.setattr(Package, "write", broken_write)
    with pytest.raises(OSError):
        actions.run("compute", path)
    assert hashlib.sha256(path.read_bytes()).digest() == before
    assert not backup_path(path).exists()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_backup_holds_the_previous_file(sample_copy):
    path = sample_copy("so-nganh-100")
    original = path.read_bytes()
    assert actions.run("compute", path).ok
    assert backup_path(path).read_bytes() == original
