"""The send log: one JSON line per recipient and attempt, appended and fsynced.

It lives beside the workbook (``<stem>.guithu.jsonl``, found from the workbook's
absolute, symlink-resolved path, so the same workbook opened from any folder
shares one log) and is what makes a
second click safe: a message whose content hash has already been delivered to
an address (by the same backend) is not sent again, so a batch interrupted by
a crash, a dropped connection or a closed laptop resumes where it stopped.

Each line is written with one ``write`` and ``fsync``; a line cut short by a
crash is ignored on reading.  The log holds addresses, subjects, hashes and
server replies — never a password.

Events: ``batch`` (start of a run), ``sent`` (server accepted the address),
``refused`` (5xx, permanent), ``deferred`` (4xx or connection lost after the
retries; will be tried again next time), ``unknown`` (the server had the whole
message but never answered: maybe delivered; never resent unless the officer
asks, ``--resend-unknown``), ``failed`` (not attempted: server
unreachable, login refused…), ``written`` (.eml in the outbox), ``draft``
(Outlook draft created).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Iterator

DONE_EVENTS = frozenset({"sent", "draft"})


def log_path_for(book_path: Path) -> Path:
    """``<stem>.guithu.jsonl`` beside the workbook (the path made absolute, symlinks resolved)."""
    book_path = Path(book_path).resolve()
    return book_path.with_name(f"{book_path.stem}.guithu.jsonl")


class SendLog:
    def __init__(self, path: Path | str):
        self.path = Path(path)

    def records(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as fh:
            for line in fh:
                try:
                    rec = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    continue  # a line cut short by a crash
                if isinstance(rec, dict):
                    yield rec

    def delivered(self, backend: str) -> set[tuple[str, str]]:
        """(content hash, lower-case address) pairs already delivered by ``backend``."""
        return {
            (r.get("hash", ""), str(r.get("addr", "")).lower())
            for r in self.records()
            if r.get("event") in DONE_EVENTS and r.get("backend") == backend
        }

    def unknown(self, backend: str) -> dict[tuple[str, str], dict[str, Any]]:
        """(content hash, lower-case address) -> the record, for every pair whose latest
        event with ``backend`` is ``unknown`` (handed over, never answered)."""
        last: dict[tuple[str, str], dict[str, Any]] = {}
        for r in self.records():
            if r.get("backend") == backend and "addr" in r and r.get("event") != "batch":
                last[(r.get("hash", ""), str(r["addr"]).lower())] = r
        return {k: r for k, r in last.items() if r.get("event") == "unknown"}

    def last_status(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The latest record per (hash, address)."""
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for r in self.records():
            if "addr" in r:
                out[(r.get("hash", ""), str(r["addr"]).lower())] = r
        return out

    def append(self, **record: Any) -> dict[str, Any]:
        record.setdefault("t", dt.datetime.now().astimezone().isoformat(timespec="seconds"))
        line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size:
                # a previous crash may have left a partial last line: start a fresh one
                with open(self.path, "rb") as fh:
                    fh.seek(size - 1)
                    if fh.read(1) != b"\n":
                        line = b"\n" + line
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return record
