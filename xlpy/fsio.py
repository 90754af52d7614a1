"""Safe file writing, shared by the workbook writer, the reports and the mail outbox."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``<stem>.bak<suffix>`` beside it."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None], *, backup: bool = False) -> Path | None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, flush it to disk, then put it
    in place with one ``os.replace``: a crash at any point leaves the old file whole and no
    temporary file behind.  With ``backup`` the old file is first copied to :func:`backup_path`.
    Returns the backup's path, if one was made."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    bak = None
    try:
        write(Path(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if backup and path.exists():
            bak = backup_path(path)
            shutil.copy2(path, bak)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return bak
