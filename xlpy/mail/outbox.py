"""The outbox: every message of a dry run written as an ``.eml`` file.

The bytes are exactly those the SMTP backend would send (CRLF line ends), so
Outlook, Thunderbird or Windows Mail open them for review.  Files are named
``<nn>-<unit>-<hash>.eml`` and written atomically; files of an earlier dry run
that no longer match a message are removed, so the folder always shows the
current batch.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from ..fsio import atomic_write
from .compose import Composed, _slug

_OURS = re.compile(r"^\d{2,}-[a-z0-9-]+-[0-9a-f]{10}\.eml$")


def eml_name(index: int, composed: Composed) -> str:
    return f"{index:02d}-{_slug(composed.recipient.key)}-{composed.content_hash[:10]}.eml"


class Outbox:
    name = "outbox"

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def write(self, index: int, composed: Composed) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / eml_name(index, composed)
        data = composed.as_bytes()
        atomic_write(path, lambda tmp: tmp.write_bytes(data))
        return path

    def prune(self, keep: Iterable[Path]) -> list[Path]:
        """Remove ``.eml`` files written by an earlier run and not in ``keep``."""
        keep_names = {Path(p).name for p in keep}
        removed = []
        if not self.folder.is_dir():
            return removed
        for p in self.folder.iterdir():
            if p.is_file() and _OURS.match(p.name) and p.name not in keep_names:
                p.unlink()
                removed.append(p)
        return removed
