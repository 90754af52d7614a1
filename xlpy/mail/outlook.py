"""Outlook drafts through COM (Windows only): a thin adapter.

Each message becomes a draft in the officer's Outlook "Drafts" folder, ready
to review and send by hand.  No password is needed: Outlook uses its own
account.  ``win32com`` is imported only when a draft is made, so this module
imports anywhere; it is not exercised by the tests beyond that.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .compose import Composed, attachment_name

OL_MAIL_ITEM = 0


class OutlookUnavailable(Exception):
    """Outlook cannot be driven here (Vietnamese message)."""


class OutlookDrafts:
    name = "outlook"

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise OutlookUnavailable("Thư nháp Outlook chỉ dùng được trên Windows có cài Outlook.")
        try:
            import win32com.client  # type: ignore[import-not-found]
        except ImportError:
            raise OutlookUnavailable("Thiếu gói pywin32 (win32com): không tạo được thư nháp Outlook.") from None
        try:
            self._app = win32com.client.Dispatch("Outlook.Application")
        except Exception as e:  # noqa: BLE001 - COM errors
            raise OutlookUnavailable(f"Không mở được Outlook: {e}") from None

    def save_draft(self, composed: Composed) -> None:
        item = self._app.CreateItem(OL_MAIL_ITEM)
        item.Subject = composed.subject
        item.To = "; ".join(str(a) for a in composed.recipient.to)
        item.CC = "; ".join(str(a) for a in composed.recipient.cc)
        if composed.html:
            item.HTMLBody = composed.html
        else:
            item.Body = composed.text
        # Outlook names an attachment after its file: copy each under its Vietnamese name.
        with tempfile.TemporaryDirectory(prefix="xlpy-outlook-") as tmp:
            names = composed.attachment_names or tuple(attachment_name(p) for p in composed.attachments)
            for i, (p, name) in enumerate(zip(composed.attachments, names)):
                (Path(tmp) / str(i)).mkdir()
                dst = Path(tmp) / str(i) / name
                shutil.copyfile(p, dst)
                item.Attachments.Add(str(dst))
            item.Save()
