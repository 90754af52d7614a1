"""The workbook file as an OOXML package: opened safely, read part by part, written surgically.

An officer's workbook travels by e-mail between units, so xlpy treats every
file as untrusted data:

* :func:`open_package` first says what the file *is* (an empty or truncated
  file, a Word document renamed ``.xlsx``, an encrypted workbook, an ``.xls``,
  an ``.ods``…) and refuses anything that is not a readable Excel package with
  a Vietnamese :class:`BookFileError` saying what to do;
* it checks the size and compression ratio of every part *before* anything is
  expanded, and refuses XML that declares a document type (entity expansion
  is never used by Excel, and is how XML bombs work);
* :meth:`Package.write` replaces only the parts xlpy changes and copies every
  other part's compressed bytes unchanged, so whatever Excel wrote and xlpy
  does not understand comes out byte-for-byte.
"""

from __future__ import annotations

import io
import os
import re
import struct
import time
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Mapping, NamedTuple

from ..core.problems import UserError
from ..fsio import sha256

# ---- limits (checked on the zip directory, before any part is expanded) -------------
MAX_PART = 512 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL = 2 * 1024 * 1024 * 1024  # all parts, uncompressed
MAX_RATIO = 250  # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024
MAX_PARTS = 20_000
MAX_FILE = 512 * 1024 * 1024  # the file itself

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"

REL_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_STRICT_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

FIX_BACKUP = "Mở bản sao lưu (tệp .bak.xlsx cạnh sổ tính, nếu có) hoặc xin đơn vị gửi lại tệp."
FIX_SAVE_AS = "Mở tệp trong Excel và chọn Lưu dưới dạng (Save As) → “Sổ làm việc Excel (*.xlsx)”, rồi chạy lại với tệp .xlsx."


class BookFileError(UserError):
    """The file is not a workbook xlpy can read.  ``message`` is Vietnamese and says what to do."""

    def __init__(self, code: str, path: Path | str, what: str, fix: str):
        self.path = Path(path)
        self.what = what
        self.fix = fix
        super().__init__(code, f"Tệp “{self.path.name}”: {what}. {fix}")


# ---------------------------------------------------------------------------------------
# what is this file?


def sniff(path: Path) -> None:
    """Raise :class:`BookFileError` unless ``path`` looks like a zip package; says what it is instead."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except IsADirectoryError:
        raise BookFileError("not_a_file", path, "đây là một thư mục, không phải sổ tính", "Chọn tệp .xlsx bên trong thư mục.") from None
    except PermissionError:
        raise BookFileError("no_access", path, "không có quyền đọc tệp", "Kiểm tra quyền truy cập tệp (hoặc đóng chương trình đang khóa tệp) rồi chạy lại.") from None
    if size == 0:
        raise BookFileError("empty_file", path, "tệp rỗng (0 byte), có thể do lưu hoặc tải về chưa xong", FIX_BACKUP)
    if head.startswith(ZIP_MAGIC):
        return
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise BookFileError("empty_zip", path, "tệp nén rỗng, không chứa sổ tính", FIX_BACKUP)
    if head == OLE_MAGIC:
        raise _ole_error(path)
    low = head.lower()
    if low.startswith(b"%pdf"):
        raise BookFileError("pdf_file", path, "đây là tệp PDF, không phải sổ tính Excel", "Dùng tệp Excel gốc (.xlsx) thay cho bản PDF.")
    if low.lstrip().startswith((b"<?xml", b"<html", b"<!doc", b"<table", b"\xef\xbb\xbf<")):
        raise BookFileError("xml_or_html", path, "đây là tệp XML/HTML (kiểu “Excel 2003 XML” hoặc trang web đổi tên), không phải sổ tính .xlsx", FIX_SAVE_AS)
    raise BookFileError("not_a_workbook", path, "không phải sổ tính Excel (.xlsx): nội dung tệp không đúng định dạng", FIX_SAVE_AS)


def _ole_error(path: Path) -> BookFileError:
    """An OLE2 compound file: an encrypted workbook, an old .xls, or a Word/other Office file."""
    names: set[str] = set()
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            names = {"/".join(e).casefold() for e in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - an unreadable compound file is reported as such below
        pass
    if "encryptedpackage" in names or "encryptioninfo" in names:
        return BookFileError("encrypted", path, "sổ tính được đặt mật khẩu (mã hóa), xlpy không đọc được",
                             "Mở tệp trong Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu: để trống), lưu lại rồi chạy lại.")
    if "workbook" in names or "book" in names:
        return BookFileError("xls_file", path, "đây là sổ tính Excel 97–2003 (.xls), xlpy chỉ đọc định dạng .xlsx", FIX_SAVE_AS)
    if "worddocument" in names:
        return BookFileError("word_file", path, "đây là văn bản Word (.doc), không phải sổ tính", "Chọn đúng tệp sổ tính Excel (.xlsx) của khối.")
    return BookFileError("ole_file", path, "đây là tệp Office kiểu cũ (OLE), không phải sổ tính .xlsx", FIX_SAVE_AS)


# ---------------------------------------------------------------------------------------
# reading


class Entry(NamedTuple):
    """One part in the zip directory: the fields of :class:`zipfile.ZipInfo` xlpy uses."""

    filename: str
    compress_type: int
    flag_bits: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int
    dos_time: int
    dos_date: int
    external_attr: int

    @property
    def date_time(self) -> tuple[int, int, int, int, int, int]:
        d, t = self.dos_date, self.dos_time
        return (d >> 9) + 1980, (d >> 5) & 0xF, d & 0x1F, t >> 11, (t >> 5) & 0x3F, (t & 0x1F) * 2


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_CENTRAL = struct.Struct("<4s4x4H3L3H4x2L")  # central directory file header (version and disk fields skipped)
_ALT_SEP = os.sep if os.sep != "/" else None


def read_directory(data: bytes) -> list[Entry] | None:
    """The zip directory of ``data`` read straight from its bytes (what Excel, LibreOffice and
    xlpy write: one disk, no zip64, no archive comment, nothing before the archive), or None for
    anything else, which :mod:`zipfile` then reads.  About twice as fast as ``zipfile``,
    which builds a full ``ZipInfo`` for each of a workbook's ~90 parts."""
    end = len(data) - _END.size
    if end < 0 or data[end:end + 4] != b"PK\x05\x06":
        return None
    _sig, disk, cd_disk, n_here, n, cd_size, cd_offset, comment = _END.unpack_from(data, end)
    if disk or cd_disk or comment or n_here != n or n == 0xFFFF or cd_offset + cd_size != end:
        return None
    out: list[Entry] = []
    add = out.append
    unpack = _CENTRAL.unpack_from
    new = tuple.__new__  # Entry's fields in order, without NamedTuple's keyword handling
    pos = cd_offset
    try:
        for _ in range(n):
            sig, flags, method, t, d, crc, csize, usize, nlen, xlen, clen, eattr, offset = unpack(data, pos)
            if sig != b"PK\x01\x02" or csize == 0xFFFFFFFF or usize == 0xFFFFFFFF or offset == 0xFFFFFFFF:
                return None
            start = pos + 46
            raw = data[start:start + nlen]
            name = raw.decode("ascii") if raw.isascii() else raw.decode("utf-8" if flags & 0x800 else "cp437")
            if "\x00" in name or (_ALT_SEP and _ALT_SEP in name):  # zipfile's own fix-ups apply
                return None
            add(new(Entry, (name, method, flags, crc, csize, usize, offset, t, d, eattr)))
            pos = start + nlen + xlen + clen
    except (struct.error, UnicodeDecodeError):
        return None
    return out if pos == end else None


class SheetRef(NamedTuple):
    name: str
    sheet_id: int
    rid: str
    part: str  # "xl/worksheets/sheet1.xml"
    state: str = "visible"


class Identity(NamedTuple):
    """What the file was when it was read: a write refuses to replace anything else."""

    size: int
    mtime_ns: int
    sha256: str


class Package:
    """A workbook package opened for reading (the file handle stays open until :meth:`close`)."""

    def __init__(self, path: Path, data: bytes, mtime_ns: int = 0):
        self.path = path
        self._data = data
        self._mtime_ns = mtime_ns
        self._identity: Identity | None = None
        self._zip: zipfile.ZipFile | None = None
        entries = read_directory(data)
        if entries is None:  # anything but a plain archive: as zipfile reads it (or says it is broken)
            entries = self.zip.infolist()
        self.entries: list[Entry | zipfile.ZipInfo] = entries
        self.infos: dict[str, Entry | zipfile.ZipInfo] = {}
        self._check_limits()
        self._check_kind()
        self.workbook_part = self._workbook_part()
        self.sheets = self._sheets()

    @property
    def zip(self) -> zipfile.ZipFile:
        """The package as :mod:`zipfile` reads it: for archives :func:`read_directory` leaves to it,
        and for parts that cannot be inflated straight from the bytes."""
        if self._zip is None:
            try:
                self._zip = zipfile.ZipFile(io.BytesIO(self._data))
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                raise BookFileError("corrupt_zip", self.path, "tệp bị hỏng (cấu trúc nén không đọc được, có thể tệp bị cắt cụt khi gửi hoặc tải)",
                                    FIX_BACKUP) from None
        return self._zip

    @property
    def identity(self) -> Identity:
        """Size, modification time and SHA-256 of the bytes read, hashed when first asked (only a
        write asks: a province reading thousands of workbooks never hashes them)."""
        if self._identity is None:
            self._identity = Identity(len(self._data), self._mtime_ns, sha256(self._data).hexdigest())
        return self._identity

    @property
    def data(self) -> bytes:
        """The whole file as read (for raw copying and the backup)."""
        return self._data

    # ---- checks ------------------------------------------------------------------
    def _check_limits(self) -> None:
        infos = self.entries
        if len(infos) > MAX_PARTS:
            raise BookFileError("too_many_parts", self.path, f"tệp có {len(infos):,} phần, quá nhiều cho một sổ tính".replace(",", "."), FIX_BACKUP)
        total = 0
        methods = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        named = self.infos
        for i in infos:
            if i.flag_bits & 0x1:
                raise BookFileError("encrypted", self.path, "một phần của tệp được mã hóa", FIX_BACKUP)
            if i.compress_type not in methods:
                raise BookFileError("bad_compression", self.path, f"phần “{i.filename}” dùng kiểu nén Excel không dùng", FIX_BACKUP)
            total += i.file_size
            big = i.file_size > MAX_PART
            ratio = i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)
            if big or ratio or total > MAX_TOTAL:
                raise BookFileError(
                    "zip_bomb", self.path,
                    f"phần “{i.filename}” khi giải nén lớn bất thường ({_mb(i.file_size)} từ {_mb(i.compress_size)}); "
                    "xlpy không mở để bảo vệ máy (có thể là tệp độc hại)",
                    "Không mở tệp này; xin đơn vị gửi lại tệp .xlsx lưu từ Excel.",
                )
            named[i.filename] = i

    def _check_kind(self) -> None:
        names = self.infos
        if "mimetype" in names:
            kind = self._read_raw("mimetype", 200).decode("ascii", "replace").strip()
            if "opendocument.spreadsheet" in kind:
                raise BookFileError("ods_file", self.path, "đây là bảng tính OpenDocument (.ods), xlpy chỉ đọc .xlsx", FIX_SAVE_AS)
            raise BookFileError("odf_file", self.path, "đây là tài liệu OpenDocument, không phải sổ tính .xlsx", FIX_SAVE_AS)
        if "word/document.xml" in names:
            raise BookFileError("word_file", self.path, "đây là văn bản Word (.docx) đổi tên thành sổ tính", "Chọn đúng tệp sổ tính Excel (.xlsx) của khối.")
        if "ppt/presentation.xml" in names:
            raise BookFileError("powerpoint_file", self.path, "đây là bài trình chiếu PowerPoint đổi tên thành sổ tính", "Chọn đúng tệp sổ tính Excel (.xlsx) của khối.")
        if "[Content_Types].xml" not in names:
            raise BookFileError("not_ooxml", self.path, "tệp nén không phải sổ tính Excel (thiếu phần [Content_Types].xml)", FIX_SAVE_AS)
        # the shared strings are parsed by the cell reader when it opens the file, so they are
        # looked at here; a worksheet is looked at before the cell reader parses it
        # (:meth:`check_sheet`); every part xlpy parses itself is checked whole when it is read (:meth:`text`)
        info = names.get("xl/sharedStrings.xml")
        if info is not None and info.file_size:
            self._refuse_doctype(info.filename, self._read_raw(info.filename, 1024))

    def _refuse_doctype(self, name: str, data: bytes | str) -> None:
        """XML that declares a document type or entities is refused: Excel never writes it and
        it is how entity bombs work."""
        marks = (b"!", b"<!DOCTYPE", b"<!ENTITY") if isinstance(data, bytes) else ("!", "<!DOCTYPE", "<!ENTITY")
        if marks[0] in data and (marks[1] in data or marks[2] in data):  # one fast look for "!", rare in Excel's parts
            raise self._doctype_error(name)

    def _doctype_error(self, name: str) -> BookFileError:
        return BookFileError(
            "xml_doctype", self.path,
            f"phần “{name}” khai báo DOCTYPE/ENTITY (Excel không bao giờ ghi như vậy; đây là dấu hiệu tệp độc hại)",
            "Không mở tệp này; xin đơn vị gửi lại tệp .xlsx lưu từ Excel.",
        )

    def _workbook_part(self) -> str:
        rels = self.text("_rels/.rels") if "_rels/.rels" in self.infos else ""
        for tag in _RELATIONSHIP.findall(rels):
            if _attr(tag, "Type") in (REL_OFFICE_DOC, REL_STRICT_DOC):
                target = _attr(tag, "Target").lstrip("/")
                if target in self.infos:
                    return target
        raise BookFileError("no_workbook_part", self.path, "tệp nén không chứa sổ tính (thiếu phần workbook)", FIX_BACKUP)

    def _sheets(self) -> list[SheetRef]:
        wb = self.text(self.workbook_part)
        rels = self.rels(self.workbook_part)
        out = []
        for tag in _SHEET_TAG.findall(wb):
            name, sheet_id, rid, state = _sheet_tag(tag)
            # every <sheet> counts for positions (localSheetId), even one whose part is missing
            out.append(SheetRef(name, sheet_id, rid, rels.get(rid, ""), state))
        return out

    # ---- parts -------------------------------------------------------------------
    def _read_raw(self, name: str, limit: int | None = None) -> bytes:
        info = self.infos.get(name)
        if info is not None:
            data = self._read_direct(info, limit)
            if data is not None:
                return data
        try:
            with self.zip.open(name) as fh:
                return fh.read(limit) if limit else fh.read()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as e:
            raise BookFileError("corrupt_part", self.path, f"tệp bị hỏng: không giải nén được phần “{name}” ({type(e).__name__})", FIX_BACKUP) from None

    def _read_direct(self, info: zipfile.ZipInfo, limit: int | None) -> bytes | None:
        """A part's bytes inflated straight from the file's bytes (no zipfile stream objects);
        None when anything is unusual (zipfile then reads it, or says what is wrong)."""
        d = self._data
        off = info.header_offset
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or d[off:off + 4] != b"PK\x03\x04":
            return None
        try:
            nlen, xlen = struct.unpack_from("<2H", d, off + 26)
            start = off + 30 + nlen + xlen
            end = start + info.compress_size
            if end > len(d):
                return None
            mv = memoryview(d)
            if info.compress_type == zipfile.ZIP_STORED:
                out = bytes(mv[start:end])
            elif limit:
                # the head of a part: inflate a prefix first, the whole part only if that was not enough
                head = zlib.decompressobj(-15).decompress(mv[start:min(end, start + limit + 2048)], limit)
                if len(head) < limit and start + limit + 2048 < end:
                    head = zlib.decompressobj(-15).decompress(mv[start:end], limit)
                return head
            else:
                out = zlib.decompress(mv[start:end], -15, info.file_size or 64)
        except (zlib.error, struct.error, ValueError):
            return None
        if limit:
            return out[:limit]
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            return None
        return out

    def read(self, name: str) -> bytes:
        return self._read_raw(name)

    def text(self, name: str) -> str:
        """A part xlpy reads itself (never with entities expanded): refused if it declares any."""
        text = self.read(name).decode("utf-8", "replace")
        self._refuse_doctype(name, text)
        return text

    def check_sheet(self, name: str) -> None:
        """Refuse sheet ``name``'s part if its prolog (what comes before the root element: where a
        document type must be declared) declares one, looked at before the cell reader parses it.
        The head of the part is enough unless the prolog is longer (never so in Excel's files)."""
        part = self._sheet_part(name)
        if part is None:
            return
        declares = _prolog_declares(self._read_raw(part, 256))
        if declares is None:  # the prolog goes on past the head: look at the whole part
            declares = _prolog_declares(self.read(part))
        if declares:
            raise self._doctype_error(part)

    def sheet_xml(self, name: str) -> bytes | None:
        """The worksheet part of sheet ``name``, refused if it declares a document type or entities
        (None when the workbook names no part for it)."""
        part = self._sheet_part(name)
        if part is None:
            return None
        data = self.read(part)
        self._refuse_doctype(part, data)
        return data

    def _sheet_part(self, name: str) -> str | None:
        """The worksheet part of sheet ``name``, when the workbook names one the package holds."""
        ref = self.sheet(name)
        return ref.part if ref is not None and ref.part and ref.part in self.infos else None

    def has(self, name: str) -> bool:
        return name in self.infos

    def holds(self, name: str, data: bytes) -> bool:
        """Whether part ``name`` is exactly ``data``: the directory's size and CRC are compared
        first, so a changed part (a province's re-written sheets) is never inflated for it."""
        info = self.infos.get(name)
        return (info is not None and info.file_size == len(data) and info.CRC == zlib.crc32(data)
                and self.read(name) == data)

    def rels(self, part: str) -> dict[str, str]:
        """Relationship id → target part (resolved to a package path) of ``part``."""
        rp = rels_part(part)
        if rp not in self.infos:
            return {}
        out = {}
        for tag in _RELATIONSHIP.findall(self.text(rp)):
            rid, target, external = _relationship(tag)
            if not external:
                out[rid] = resolve(part, target)
        return out

    def sheet(self, name: str) -> SheetRef | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    # ---- writing -----------------------------------------------------------------
    def write(self, out: BinaryIO, changes: Mapping[str, bytes | None], *, level: int = 6) -> None:
        """Write the package to ``out``: parts in ``changes`` replaced (``None`` removes,
        a new name is added at the end), every other part copied as its original
        compressed bytes, in the original order."""
        w = _ZipWriter(out)
        packed = _deflate_all(changes, level)
        done = set()
        for info in self.entries:
            name = info.filename
            if name in changes:
                done.add(name)
                if name in packed:
                    w.add(name, packed[name])
                continue
            w.copy(info, self._data)
        for name in changes:
            if name not in done and name in packed:
                w.add(name, packed[name])
        w.close()


def open_package(path: str | os.PathLike) -> Package:
    """Open a workbook file for reading, or raise :class:`BookFileError` saying why not.  The file
    is opened once: what it is instead of a zip package (:func:`sniff`) is asked only when its
    first bytes are not a zip's."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            st = os.fstat(fh.fileno())
            big = st.st_size > MAX_FILE
            data = b"" if big else fh.read()
    except FileNotFoundError:
        raise BookFileError("missing_file", p, "không tìm thấy tệp", "Kiểm tra đường dẫn và tên tệp.") from None
    except OSError as e:
        sniff(p)  # a folder, a file that may not be read: said as such
        raise BookFileError("no_access", p, f"không đọc được tệp ({e.strerror or e})", "Đóng chương trình đang khóa tệp hoặc kiểm tra quyền truy cập, rồi chạy lại.") from None
    if big or not data.startswith(ZIP_MAGIC):
        sniff(p)  # says what the file is when it is not a zip package
        if big:
            raise BookFileError("file_too_large", p, f"tệp lớn bất thường ({_mb(st.st_size)}) cho một sổ tính thi đua", FIX_BACKUP)
    return Package(p, data, st.st_mtime_ns)


def _prolog_declares(head: bytes) -> bool | None:
    """Whether the XML prolog at the start of ``head`` declares a document type or an entity
    (``<!DOCTYPE``, ``<!ENTITY``; comments and processing instructions are skipped), or None
    when ``head`` ends before the root element starts."""
    i = 0
    while True:
        i = head.find(b"<", i)
        if i < 0:
            return None
        if head.startswith(b"<?", i):
            end = head.find(b"?>", i + 2)
            i = end + 2
        elif head.startswith(b"<!--", i):
            end = head.find(b"-->", i + 4)
            i = end + 3
        else:
            return head.startswith(b"<!", i)  # a declaration, or the root element
        if end < 0:
            return None


# ---------------------------------------------------------------------------------------
# small XML helpers (string level: parts xlpy does not own are never re-serialised)


_ATTR = re.compile(r'(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


@lru_cache(maxsize=512)
def _attrs(tag: str) -> dict[str, str]:
    """Every attribute of one tag (values still escaped), parsed once however often asked."""
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(tag)}


_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>")
_SHEET_TAG = re.compile(r"<(?:\w+:)?sheet\b[^>]*/?>")


@lru_cache(maxsize=512)
def _sheet_tag(tag: str) -> tuple[str, int, str, str]:
    """(name unescaped, sheetId, relationship id, state) of one ``<sheet>`` tag of the workbook part."""
    return (unescape_attr(_attr(tag, "name")), int(_attr(tag, "sheetId") or 0), _attr(tag, "r:id") or _attr_ns_any(tag, "id"),
            _attr(tag, "state") or "visible")


@lru_cache(maxsize=512)
def _relationship(tag: str) -> tuple[str, str, bool]:
    """(Id, Target unescaped, external) of one ``<Relationship>`` tag."""
    return _attr(tag, "Id"), unescape_attr(_attr(tag, "Target")), _attr(tag, "TargetMode") == "External"


def _attr(tag: str, name: str) -> str:
    """The (still escaped) value of attribute ``name`` (qualified as written) in ``tag``."""
    return _attrs(tag).get(name, "")


def _attr_ns_any(tag: str, local: str) -> str:
    m = _attr_ns_re(local).search(tag)
    return m.group(1) if m else ""


@lru_cache(maxsize=16)
def _attr_ns_re(local: str) -> re.Pattern:
    return re.compile(r'\s\w+:' + re.escape(local) + r'\s*=\s*"([^"]*)"')


_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def unescape_attr(s: str) -> str:
    if "&" not in s:
        return s

    def sub(m: re.Match) -> str:
        t = m.group(0)
        if t in _ENTITIES:
            return _ENTITIES[t]
        if t.startswith("&#x"):
            return chr(int(t[3:-1], 16))
        if t.startswith("&#"):
            return chr(int(t[2:-1]))
        return t

    return re.sub(r"&(?:#x[0-9A-Fa-f]+|#\d+|\w+);", sub, s)


def rels_part(part: str) -> str:
    d, _, f = part.rpartition("/")
    return f"{d}/_rels/{f}.rels" if d else f"_rels/{f}.rels"


@lru_cache(maxsize=1024)
def resolve(source_part: str, target: str) -> str:
    """A relationship target relative to the source part's folder, as a package path."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = source_part.rpartition("/")[0].split("/") if "/" in source_part else []
    for seg in target.split("/"):
        if seg == "..":
            if base:
                base.pop()
        elif seg and seg != ".":
            base.append(seg)
    return "/".join(base)


def relative(source_part: str, target_part: str) -> str:
    """The relative Target for a relationship from ``source_part`` to ``target_part``."""
    src = source_part.rpartition("/")[0].split("/") if "/" in source_part else []
    dst = target_part.split("/")
    i = 0
    while i < len(src) and i < len(dst) - 1 and src[i] == dst[i]:
        i += 1
    return "/".join([".."] * (len(src) - i) + dst[i:])


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


# ---------------------------------------------------------------------------------------
# a minimal zip writer that can copy an entry's compressed bytes unchanged


class _ZipWriter:
    def __init__(self, out: BinaryIO):
        self.out = out
        self.central: list[bytes] = []
        self.offset = 0
        t = time.localtime()
        self.dostime = (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2)
        self.dosdate = ((max(t.tm_year, 1980) - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday

    def _entry(self, name: str, method: int, crc: int, csize: int, usize: int, dostime: int, dosdate: int,
               flags: int, payload: bytes | memoryview, ext_attr: int = 0) -> None:
        fname = name.encode("utf-8")
        flags = (flags & 0x0806) | (0x800 if not name.isascii() else 0)  # keep deflate options, no data descriptor
        if csize >= 0xFFFFFFFF or usize >= 0xFFFFFFFF or self.offset >= 0xFFFFFFFF:
            raise OSError("part too large for a workbook package")
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, dostime, dosdate, crc, csize, usize, len(fname), 0)
        self.out.write(local)
        self.out.write(fname)
        self.out.write(payload)
        self.central.append(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, dostime, dosdate, crc, csize, usize,
                        len(fname), 0, 0, 0, 0, ext_attr, self.offset) + fname
        )
        self.offset += len(local) + len(fname) + len(payload)

    def copy(self, info: zipfile.ZipInfo, data: bytes) -> None:
        """Copy an entry's compressed bytes as they are (read through the local header)."""
        off = info.header_offset
        if data[off:off + 4] != b"PK\x03\x04":
            raise OSError(f"bad local header for {info.filename}")
        nlen, xlen = struct.unpack_from("<2H", data, off + 26)
        start = off + 30 + nlen + xlen
        payload = memoryview(data)[start:start + info.compress_size]
        dt = info.date_time
        dostime = (dt[3] << 11) | (dt[4] << 5) | (dt[5] // 2)
        dosdate = ((dt[0] - 1980) << 9) | (dt[1] << 5) | dt[2]
        self._entry(info.filename, info.compress_type, info.CRC, info.compress_size, info.file_size, dostime, dosdate,
                    info.flag_bits, payload, info.external_attr)

    def add(self, name: str, packed: Deflated) -> None:
        self._entry(name, zipfile.ZIP_DEFLATED, packed.crc, len(packed.payload), packed.size, self.dostime, self.dosdate, 0,
                    packed.payload)

    def close(self) -> None:
        cd = b"".join(self.central)
        self.out.write(cd)
        self.out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self.central), len(self.central), len(cd), self.offset, 0))


class Deflated(NamedTuple):
    """A part as a zip entry stores it."""

    crc: int
    payload: bytes
    size: int


def deflate(data: bytes, level: int = 6) -> Deflated:
    """A part's bytes as a zip entry stores them (raw deflate) with their CRC."""
    if len(data) > 1_000_000:
        level = min(level, 1)  # a large sheet xlpy writes: fast deflate (the file grows a little)
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(zlib.crc32(data), comp.compress(data) + comp.flush(), len(data))


def _deflate_all(changes: Mapping[str, bytes | None], level: int) -> dict[str, Deflated]:
    """Every new part deflated; several megabytes of them (a province's sheets) across the cores,
    since zlib lets other threads run while it compresses."""
    parts = sorted(((n, d) for n, d in changes.items() if d is not None), key=lambda nd: -len(nd[1]))
    cores = os.cpu_count() or 1
    if cores < 2 or len(parts) < 2 or sum(len(d) for _n, d in parts) < 4_000_000:
        return {n: deflate(d, level) for n, d in parts}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(cores, len(parts))) as ex:
        return dict(zip([n for n, _d in parts], ex.map(lambda nd: deflate(nd[1], level), parts)))
