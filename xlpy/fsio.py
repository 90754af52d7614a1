"""Safe file writing, shared by the workbook writer, the reports and the mail outbox.

* :func:`atomic_write` writes beside the target and replaces it in one step, so a
  crash at any point leaves the old file whole; it writes through symbolic
  links, keeps the file's permissions (a new file gets the user's normal ones),
  keeps a backup when asked, and refuses to replace a file that changed since
  it was read.
* :func:`check_writable` refuses a read-only file or one open in Excel or
  LibreOffice (their owner/lock files), before any work is done.
* :class:`BookLock` serialises xlpy's own actions on one workbook.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

from .core.problems import UserError

TMP_PREFIX = ".~xlpy-"


class WriteRefused(UserError):
    """The file must not be written now (read-only, open in another program, changed meanwhile)."""


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``<stem>.bak<suffix>`` beside it."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def real_path(path: str | os.PathLike) -> Path:
    """The file a path finally names (symbolic links followed), absolute."""
    return Path(os.path.realpath(os.path.abspath(path)))


def default_mode() -> int:
    """The permissions a new file gets from the user's umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def file_identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def sha256(data: bytes = b""):
    """A SHA-256 hasher like ``hashlib.sha256``, from CPython's own module when the
    interpreter has it: importing ``hashlib`` loads OpenSSL, ~4 ms of every start-up,
    for a digest that is the same either way."""
    if not _SHA256:
        try:
            from _sha2 import sha256 as f  # Python 3.12+
        except ImportError:
            try:
                from _sha256 import sha256 as f  # Python 3.11
            except ImportError:  # built without CPython's own hashes
                from hashlib import sha256 as f
        _SHA256.append(f)
    return _SHA256[0](data)


_SHA256: list = []


def sha256_file(path: Path) -> str:
    h = sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def owner_files(path: Path) -> list[Path]:
    """Files Excel (``~$name``) and LibreOffice (``.~lock.name#``) keep while a workbook is open."""
    name = path.name
    cands = [path.with_name("~$" + name), path.with_name(".~lock." + name + "#")]
    if len(name) > 2:
        cands.append(path.with_name("~$" + name[2:]))  # Office trims long names
    return [c for c in cands if c.exists()]


def check_writable(path: Path, what: str = "sổ tính") -> None:
    """Raise :class:`WriteRefused` when ``path`` must not be replaced now."""
    real = real_path(path)
    if not real.exists():
        return
    owners = owner_files(real)
    if owners:
        raise WriteRefused(
            "book_open_elsewhere",
            f"{what.capitalize()} “{path.name}” đang mở trong Excel hoặc LibreOffice (có tệp khóa “{owners[0].name}”); "
            "xlpy không ghi để không làm mất phần đang sửa. Lưu và đóng tệp rồi chạy lại, hoặc dùng nút trên ruy-băng xlpy "
            f"ngay trong Excel. Nếu chương trình đã đóng mà tệp khóa vẫn còn, xóa tệp “{owners[0].name}”.",
        )
    st = real.stat()
    if not os.access(real, os.W_OK) or not (st.st_mode & 0o222):
        raise WriteRefused(
            "book_read_only",
            f"{what.capitalize()} “{path.name}” chỉ được đọc (thuộc tính Read-only hoặc không có quyền ghi); xlpy không ghi vào. "
            "Bỏ thuộc tính chỉ đọc (chuột phải → Properties → bỏ chọn Read-only) hoặc chép tệp sang thư mục khác rồi chạy lại.",
        )


def _new_tmp(folder: Path, stem: str) -> Path:
    """A new, empty, private file ``.~xlpy-<stem>-<random>.tmp`` in ``folder``."""
    while True:
        p = folder / f"{TMP_PREFIX}{stem}-{os.urandom(6).hex()}.tmp"
        try:
            os.close(os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return p
        except FileExistsError:
            continue


def clean_leftovers(path: Path) -> list[Path]:
    """Remove temporary files an interrupted xlpy write left beside ``path``."""
    real = real_path(path)
    head = f"{TMP_PREFIX}{real.stem}-"
    removed = []
    try:
        with os.scandir(real.parent) as it:
            names = [e.name for e in it if e.name.startswith(head) and e.name.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        p = real.parent / name
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def atomic_write(
    path: str | os.PathLike,
    write: Callable[[Path], None],
    *,
    backup: bool = False,
    backup_bytes: bytes | None = None,
    expect: tuple[int, int, str] | None = None,
) -> Path | None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, flush it to disk, then put
    it in place with one ``os.replace``.

    ``backup`` keeps the old file as :func:`backup_path` (``backup_bytes``: its content
    as read, so the backup is exactly what xlpy read).  ``expect`` is (size, mtime_ns,
    sha256) of the file as read: if the file is no longer that, nothing is replaced
    and :class:`WriteRefused` says so.  Returns the backup's path, if one was made."""
    target = real_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    mode = (target.stat().st_mode & 0o7777) if existed else default_mode()
    tmp = _new_tmp(target.parent, target.stem)
    bak = None
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if expect is not None and existed:
            _check_unchanged(target, expect, Path(path).name)
        if backup and existed:
            bak = backup_path(Path(path).absolute() if not Path(path).is_symlink() else target)
            _write_backup(target, bak, backup_bytes, mode)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    return bak


def _check_unchanged(target: Path, expect: tuple[int, int, str], shown: str) -> None:
    size, mtime_ns, digest = expect
    st = target.stat()
    if st.st_size == size and st.st_mtime_ns == mtime_ns:
        return
    if st.st_size == size and sha256_file(target) == digest:
        return
    raise WriteRefused(
        "book_changed_meanwhile",
        f"Sổ tính “{shown}” đã được lưu bởi chương trình khác trong lúc xlpy đang làm việc; xlpy không ghi gì "
        "để không làm mất phần vừa lưu. Chạy lại thao tác.",
    )


def _write_backup(target: Path, bak: Path, data: bytes | None, mode: int) -> None:
    tmp_name = str(_new_tmp(bak.parent, target.stem))
    try:
        if data is None:
            shutil.copyfile(target, tmp_name)
        else:
            Path(tmp_name).write_bytes(data)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, bak)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def state_dir() -> Path:
    """Per-user folder for xlpy's own small state (locks, acknowledged template folders):
    ``$XLPY_STATE_DIR``, else %LOCALAPPDATA%\\xlpy on Windows, else $XDG_STATE_HOME/xlpy
    (~/.local/state/xlpy)."""
    env = os.environ.get("XLPY_STATE_DIR")
    if env:
        base = Path(env)
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"]) / "xlpy"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "xlpy"
    base.mkdir(parents=True, exist_ok=True)
    return base


class BookLock:
    """Serialises xlpy actions on one workbook (another xlpy process waits, then reads the
    new file).  The lock file lives in the user's state folder, keyed by the workbook's
    real path, so nothing is added beside the officer's file.  The operating system's
    own file lock (``flock`` / ``LockFileEx`` through msvcrt) is released when the process
    ends, however it ends, so a crashed action never leaves the workbook locked."""

    def __init__(self, path: str | os.PathLike, timeout: float = 120.0):
        key = sha256(str(real_path(path)).encode("utf-8")).hexdigest()[:20]
        folder = state_dir() / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = Path(path)
        self.lock_file = folder / f"{key}.lock"
        self.timeout = timeout
        self.waited = 0.0
        self._fd: int | None = None

    def __enter__(self) -> "BookLock":
        t0 = time.monotonic()
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        delay = 0.01
        while not _try_lock(fd):
            if time.monotonic() - t0 >= self.timeout:
                os.close(fd)
                raise WriteRefused(
                    "book_busy",
                    f"Một thao tác xlpy khác đang chạy trên sổ tính “{self.path.name}” quá {int(self.timeout)} giây; "
                    "đợi thao tác đó xong rồi chạy lại.",
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        self._fd = fd
        self.waited = time.monotonic() - t0
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
