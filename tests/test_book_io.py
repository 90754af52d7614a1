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


FIELDS = ("filename", "compress_type", "flag_bits", "CRC", "compress_size", "file_size", "header_offset", "date_time",
          "external_attr")


def _rezip(data: bytes, **kw) -> bytes:
    """``data``'s parts written again by zipfile (with a ``comment`` or ``zip64`` records if asked)."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for info in src.infolist():
            with z.open(zipfile.ZipInfo(info.filename, info.date_time), "w", force_zip64=kw.get("zip64", False)) as fh:
                fh.write(src.read(info))
        if "comment" in kw:
            z.comment = kw["comment"]
    return buf.getvalue()


def test_zip_directory_read_from_the_bytes_matches_zipfile(tmp_path, sample_copy):
    """Package reads a plain archive's directory itself (book.package.read_directory) and leaves
    every other archive to zipfile; either way it sees the same parts."""
    import io
    import zipfile

    from xlpy.book.io import write_new_workbook
    from xlpy.book.package import read_directory
    from xlpy.book.sheet import OutputSheet

    sample = sample_copy("so-nganh-100").read_bytes()  # openpyxl
    ours = write_new_workbook(tmp_path / "ours.xlsx", [OutputSheet("Kết quả", ["Mã", "Tên"], [["A", "Đơn vị Á"]])]).read_bytes()
    plain = {"openpyxl": sample, "xlpy": ours, "zipfile": _rezip(sample),
             "zip64 local headers": _rezip(sample, zip64=True)}  # its directory is plain
    unusual = {"comment": _rezip(sample, comment=b"ghi chu"), "prefix": b"MZ" + bytes(62) + sample}  # data before the archive
    for name, data in {**plain, **unusual}.items():
        want = [tuple(getattr(i, f) for f in FIELDS) for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]
        got = read_directory(data)
        if name in plain:
            assert got is not None and [tuple(getattr(e, f) for f in FIELDS) for e in got] == want, name
        else:
            assert got is None, name
        pkg = Package(tmp_path / f"{name}.xlsx", data)
        assert [tuple(getattr(e, f) for f in FIELDS) for e in pkg.entries] == want, name
        assert [s.name for s in pkg.sheets] == [s.name for s in Package(tmp_path / "x.xlsx", plain["zipfile"]).sheets] or name == "xlpy"


def test_a_part_is_compared_by_size_and_crc_before_it_is_inflated(sample_copy, monkeypatch):
    """Package.holds: the surgical writer keeps a part that did not change as it was; a changed
    part (a province's re-written 30,000-row sheet) is told apart by its size or CRC, never inflated."""
    path = sample_copy("so-nganh-100")
    pkg = Package(path, path.read_bytes())
    part = pkg.sheets[1].part
    data = pkg.read(part)
    inflated: list[str] = []
    real = Package._read_raw
    monkeypatch.setattr(Package, "_read_raw", lambda self, name, limit=None: inflated.append(name) or real(self, name, limit))
    same_size = bytearray(data)
    same_size[-3] ^= 1  # one byte changed, the length kept: the CRC differs
    assert not pkg.holds(part, data + b" ")
    assert not pkg.holds(part, bytes(same_size))
    assert not pkg.holds("xl/worksheets/khong-co.xml", data)
    assert inflated == []
    assert pkg.holds(part, data)  # equal size and CRC: the bytes themselves are compared
    assert inflated == [part]
