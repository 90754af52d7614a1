"""What a ribbon click runs.

Every button of the add-in calls the same VBA Sub, which runs::

    RunPython "import xlpy.excel.ribbon as r; r.dispatch('<button tag>')"

:func:`dispatch` looks the tag up in the action registry (the same one the CLI
uses) and runs the action on the active workbook.  It never lets a Python
traceback reach the officer: problems are shown in a Vietnamese message box
that says what to fix, progress and the outcome go to Excel's status bar, and a
failed action leaves the workbook unchanged (book actions compute first and
write through :class:`~xlpy.excel.xwbook.XwBook`, which is all-or-nothing).

Testing without Excel: set ``XLPY_CALLER_BOOK`` to a workbook file and the
dispatcher works on that file (a :class:`~xlpy.book.io.FileBook`) instead of
``xw.Book.caller()``; messages are printed, and written as JSON lines to the
file named by ``XLPY_DISPATCH_LOG`` when set.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ENV_BOOK = "XLPY_CALLER_BOOK"
ENV_LOG = "XLPY_DISPATCH_LOG"
ENV_CONFIRM = "XLPY_CONFIRM"
TITLE = "xlpy – Thi đua, Khen thưởng"


class UI:
    """What the dispatcher needs from its surroundings."""

    def status(self, text: str | None) -> None: ...

    def message(self, text: str, *, error: bool = False) -> None: ...

    def ask_path(self, suggestion: Path, *, folder: bool = False) -> Path | None: ...

    def ask_yes_no(self, text: str) -> bool: ...

    def open_workbook(self, path: Path) -> None: ...


class ExcelUI(UI):
    """Status bar and message boxes of the running Excel."""

    def __init__(self, xw_book: Any):
        self.book = xw_book
        self.app = xw_book.app

    def status(self, text: str | None) -> None:
        try:
            self.app.status_bar = text if text else False
        except Exception:  # noqa: BLE001 - cosmetic
            pass

    def message(self, text: str, *, error: bool = False) -> None:
        self.app.alert(text, title=TITLE, mode="critical" if error else "info")

    def ask_yes_no(self, text: str) -> bool:
        return self.app.alert(text, title=TITLE, buttons="yes_no", mode="info") == "yes"

    def ask_path(self, suggestion: Path, *, folder: bool = False) -> Path | None:
        if folder:
            dlg = self.app.api.FileDialog(4)  # msoFileDialogFolderPicker
            dlg.InitialFileName = str(suggestion) + os.sep
            if dlg.Show() != -1:
                return None
            return Path(dlg.SelectedItems(1))
        ans = self.app.api.GetSaveAsFilename(
            InitialFileName=str(suggestion), FileFilter="Sổ tính Excel (*.xlsx),*.xlsx"
        )
        return Path(ans) if isinstance(ans, str) and ans else None

    def open_workbook(self, path: Path) -> None:
        self.app.books.open(str(path))


class RecordingUI(UI):
    """Used when ``XLPY_CALLER_BOOK`` names a file: prints and records, never blocks."""

    def __init__(self, base: Path):
        self.base = base
        self.events: list[dict] = []
        self.log = os.environ.get(ENV_LOG)

    def _record(self, kind: str, **data: Any) -> None:
        ev = {"event": kind, **data}
        self.events.append(ev)
        if self.log:
            with open(self.log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(ev, ensure_ascii=False, default=str) + "\n")

    def status(self, text: str | None) -> None:
        self._record("status", text=text)

    def message(self, text: str, *, error: bool = False) -> None:
        print(("LỖI: " if error else "") + text, file=sys.stderr if error else sys.stdout)
        self._record("message", text=text, error=error)

    def ask_path(self, suggestion: Path, *, folder: bool = False) -> Path | None:
        self._record("ask_path", suggestion=str(suggestion), folder=folder)
        return suggestion

    def ask_yes_no(self, text: str) -> bool:
        """Answered by ``XLPY_CONFIRM`` ("yes"/"no", default "no": never send unasked)."""
        answer = os.environ.get(ENV_CONFIRM, "no").strip().lower() == "yes"
        self._record("ask_yes_no", text=text, answer=answer)
        return answer

    def open_workbook(self, path: Path) -> None:
        self._record("open_workbook", path=str(path))


def _door(book: Any) -> tuple[Any, UI, Path]:
    """(Book, UI, folder for new files) for this click."""
    from ..book.io import FileBook, open_book

    if book is None:
        injected = os.environ.get(ENV_BOOK)
        if injected:
            fb = FileBook(injected)
            return fb, RecordingUI(fb.path.parent), fb.path.parent
        import xlwings as xw

        from .xwbook import XwBook

        xb = xw.Book.caller()
        folder = Path(xb.fullname).parent if os.path.isabs(str(xb.fullname)) else Path.home()
        return XwBook(xb), ExcelUI(xb), folder
    b = open_book(book)
    base = getattr(b, "path", Path.cwd())
    base = base.parent if isinstance(base, Path) else Path.cwd()
    return b, RecordingUI(base), base


def dispatch(tag: str, book: Any = None) -> Any:
    """Run the action named by a ribbon button's ``tag`` on the active workbook.

    ``book`` may be given (a path or a Book) by tests and scripts; by default it
    is the workbook that was active when the button was clicked (or the file
    named by ``XLPY_CALLER_BOOK``).  Returns the action's Result, or None when
    the action did not run.  Never raises.
    """
    ui: UI | None = None
    try:
        b, ui, base = _door(book)
    except Exception as e:  # noqa: BLE001
        _last_resort(f"Không mở được sổ tính đang làm việc: {e}")
        return None
    try:
        return _run(tag, b, ui, base)
    except Exception as e:  # noqa: BLE001 - never a traceback in front of the officer
        ui.status(None)
        ui.message(
            f"Có lỗi không lường trước khi chạy “{tag}”: {type(e).__name__}: {e}\n\n"
            "Sổ tính không bị thay đổi. Hãy chụp màn hình thông báo này gửi người quản trị.",
            error=True,
        )
        return None


def _run(tag: str, book: Any, ui: UI, base: Path) -> Any:
    from .. import actions

    try:
        act = actions.get(tag)
    except KeyError:
        ui.message(
            f"Nút bấm gọi thao tác “{tag}” mà bản xlpy đang cài không có.\n\n"
            "Cài lại add-in cùng phiên bản với xlpy (chạy lại cai-dat.cmd), hoặc cập nhật xlpy.",
            error=True,
        )
        return None
    plans = bool(act.confirm)  # an action that shows a plan first asks where to save once the plan is accepted
    opts = _options(act, ui, base, book, defer=plans)
    if opts is None:
        ui.status(None)
        return None
    ui.status(f"xlpy: {act.label}…")
    started = time.monotonic()
    wrote = _track_writes(book) if act.uses_book else []
    result = actions.run(act.name, book, **opts) if act.uses_book else actions.run(act.name, **opts)
    if not getattr(result, "ok", False):
        ui.status(None)
        ui.message(
            _problems_text(
                getattr(result, "message", "Thao tác không thành công."), getattr(result, "problems", []), unchanged=not wrote
            ),
            error=True,
        )
        return result
    confirm = actions.hook(act.confirm)
    follow = confirm(result) if confirm is not None else None
    if follow is not None:
        question, more = follow
        if ui.ask_yes_no(question):
            more = _ask_deferred(act, ui, more)
            if more is None:  # the save dialog was cancelled: nothing written
                ui.status(None)
                return result
            ui.status(f"xlpy: {act.label}…")
            result = actions.run(act.name, book, **{**opts, **more}) if act.uses_book else actions.run(act.name, **{**opts, **more})
            if not getattr(result, "ok", False):
                ui.status(None)
                ui.message(_problems_text(result.message, result.problems, unchanged=False), error=True)
                return result
    secs = time.monotonic() - started
    ui.status(f"xlpy: {result.message} ({secs:.1f} giây)")
    own = getattr(book, "path", None)
    for f in result.files:  # a workbook the action created (not the one it ran on) opens in Excel
        if Path(f).suffix.lower() in (".xlsx", ".xlsm") and not (own and _same_file(Path(f), Path(own))):
            ui.open_workbook(Path(f))
    warnings = list(getattr(result.problems, "warnings", []))
    if warnings or (result.files and act.uses_book):
        text = result.message
        if result.files:
            text += "\n\nĐã tạo:\n" + "\n".join(f"• {f}" for f in result.files[:15])
        if warnings:
            text += "\n\n" + _problems_text("Cần xem lại:", warnings, heading_only=True)
        ui.message(text)
    return result


def _options(act: Any, ui: UI, base: Path, book: Any, defer: bool = False) -> dict | None:
    """Values for the action's required parameters that the ribbon can supply: a file or
    folder the officer picks (parameters declared with ``ask``).  ``defer``: an optional
    file or folder is left to the action's plan and asked after it (:func:`_ask_deferred`)."""
    from ..core.text import slug
    from ..features import REQUIRED

    opts: dict[str, Any] = {}
    for p in act.params:
        if p.kind == "book":
            continue
        if p.ribbon is not REQUIRED:
            opts[p.name] = p.ribbon
            continue
        if not p.required and not p.ask:
            continue
        if defer and not p.required:
            continue
        if p.ask and p.kind in ("file", "folder"):
            folder = p.kind == "folder"
            # a Vietnamese file name from the button's label (“Sổ mới” → so-moi.xlsx); a plan's file is asked after the plan
            suggestion = base if folder else base / f"{slug(act.label)}.xlsx"
            ans = ui.ask_path(suggestion, folder=folder)
            if ans is None:  # cancelled
                return None
            opts[p.name] = ans
        else:
            ui.message(
                f"Thao tác “{act.label}” cần thêm thông tin “{p.name}” mà nút bấm không hỏi được.\n"
                f"Hãy chạy bằng dòng lệnh: xlpy {act.name} --help",
                error=True,
            )
            return None
    return opts


def _ask_deferred(act: Any, ui: UI, more: dict) -> dict | None:
    """After the officer accepts a plan: the save dialog for each file or folder the plan
    proposes (``more``, from the action's confirm hook), pre-filled with the plan's choice.
    None when a dialog is cancelled."""
    more = dict(more)
    for p in act.params:
        if p.ask and not p.required and p.kind in ("file", "folder") and more.get(p.name):
            ans = ui.ask_path(Path(more[p.name]), folder=p.kind == "folder")
            if ans is None:
                return None
            more[p.name] = ans
    return more


def _same_file(a: Path, b: Path) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _track_writes(book: Any) -> list[int]:
    """Note on the book instance whether the action wrote to it (so the message can say)."""
    wrote: list[int] = []
    orig = getattr(book, "replace_outputs", None)
    if orig is None:
        return wrote

    def replace_outputs(sheets: Any) -> None:
        orig(sheets)
        wrote.append(len(sheets))

    try:
        book.replace_outputs = replace_outputs
    except (AttributeError, TypeError):  # pragma: no cover - slotted book
        pass
    return wrote


def _problems_text(
    summary: str, problems: Any, heading_only: bool = False, limit: int = 12, unchanged: bool = True
) -> str:
    items = list(problems or [])
    if not items:
        return summary
    lines = [summary, ""] if not heading_only else [summary]
    for p in items[:limit]:
        where = p.where() if hasattr(p, "where") else ""
        msg = getattr(p, "message", str(p))
        lines.append(f"• {where}: {msg}" if where else f"• {msg}")
    if len(items) > limit:
        lines.append(f"… và {len(items) - limit} mục khác (xem trang “Lỗi” hoặc chạy xlpy validate).")
    if not heading_only:
        lines.append("")
        lines.append(("Sổ tính không bị thay đổi. " if unchanged else "") + "Sửa các mục trên rồi bấm lại.")
    return "\n".join(lines)


def _last_resort(text: str) -> None:
    try:
        import xlwings as xw

        xw.apps.active.alert(text, title=TITLE, mode="critical")
    except Exception:  # noqa: BLE001
        print(text, file=sys.stderr)
