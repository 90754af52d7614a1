"""Jinja for text that a workbook or an officer supplies: sandboxed, always.

A workbook is data, never code.  Mail subjects typed in the settings sheet and
mail bodies from an office's own template folder are Jinja templates, so they
render here, in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment`:

* no attribute starting with ``_`` (``__class__``, ``__globals__``…), no
  method that changes a value, no call to anything the caller did not pass;
* no Jinja globals (``cycler``, ``joiner``, ``namespace``, ``lipsum``,
  ``range``, ``dict``): a template sees only the variables the caller passes,
  and those are the documented ones (docs/gui-thu.md);
* :class:`jinja2.StrictUndefined`: a name that was not passed is an error, not
  an empty string;
* ``*`` and ``**`` are bounded so one cell cannot make a gigabyte string;
* HTML templates (``*.html.j2``) are autoescaped.

Templates are loaded only from the package (:func:`xlpy.resources.template_dirs`,
which honours ``$XLPY_TEMPLATES``) or from a folder the officer names explicitly
in a setting, never from a folder merely because it sits beside the workbook.
The first time such a configured folder is used the caller warns, naming it
(:func:`first_use`); the folders already seen are kept in a small per-user state
file (:func:`state_dir`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Sequence

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

ENV_STATE_DIR = "XLPY_STATE_DIR"
ACK_FILE = "thu-muc-mau-da-dung.json"  # configured template folders already announced to the officer

MAX_REPEAT = 100_000  # longest string/list that ``*`` may make
MAX_EXPONENT = 64

HTML_EXTENSIONS = ("html", "htm", "html.j2", "htm.j2")


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right!r} is too large")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                    raise SecurityError("the result of '*' would be too long")
        return super().call_binop(context, operator, left, right)


def sandboxed_env(dirs: Sequence[Path | str] | None = None) -> jinja2.Environment:
    """The one factory for environments rendering templates a workbook or an officer supplies.

    ``dirs``: folders to load named templates from (first match wins); ``None`` or
    empty for string templates only (:meth:`~jinja2.Environment.from_string`).
    """
    loader = jinja2.FileSystemLoader([str(d) for d in dirs]) if dirs else None
    env = _Sandbox(
        loader=loader,
        autoescape=jinja2.select_autoescape(enabled_extensions=HTML_EXTENSIONS, default_for_string=False,
                                            default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.clear()  # only what the caller passes
    return env


def search_path(configured: Path | str | None = None) -> list[Path]:
    """Where named templates are looked up: the configured folder, ``$XLPY_TEMPLATES``,
    the packaged templates (those that exist)."""
    from .resources import template_dirs

    return [d for d in template_dirs(configured) if d.is_dir()]


def explain(e: BaseException) -> str:
    """A Vietnamese sentence for a template error (syntax, unknown name, refused access).

    >>> explain(jinja2.UndefinedError("'cycler' is undefined"))
    "dùng 'cycler' – không được phép (không phải biến trong danh sách)"
    """
    msg = str(e)
    if isinstance(e, SecurityError):
        m = re.search(r"attribute '([^']+)'", msg)
        what = f"thuộc tính '{m.group(1)}'" if m else "một thao tác"
        if "too large" in msg or "too long" in msg:
            what = "phép tính tạo giá trị quá lớn"
        return f"dùng {what} – không được phép trong mẫu"
    if isinstance(e, jinja2.UndefinedError):
        m = re.match(r"'(.+?)' is undefined", msg)
        if m:
            return f"dùng '{m.group(1)}' – không được phép (không phải biến trong danh sách)"
        m = re.search(r"has no attribute '([^']+)'", msg)
        if m:
            return f"dùng '{m.group(1)}' – không được phép (không có trong dữ liệu)"
        return f"dùng biến không có trong dữ liệu ({msg})"
    if isinstance(e, jinja2.TemplateSyntaxError):
        return f"sai cú pháp mẫu (dòng {e.lineno}): {e.message}"
    return msg


def refused(e: BaseException) -> bool:
    """True when the template asked for something the sandbox does not allow (not a mere typo)."""
    return isinstance(e, SecurityError)


# ---- configured template folders --------------------------------------------------------
def state_dir() -> Path:
    """The per-user folder where xlpy keeps small state: ``$XLPY_STATE_DIR`` if set, else
    ``%LOCALAPPDATA%\\xlpy`` on Windows, ``$XDG_STATE_HOME/xlpy`` or ``~/.local/state/xlpy``."""
    if os.environ.get(ENV_STATE_DIR):
        return Path(os.environ[ENV_STATE_DIR])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "xlpy"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "xlpy"


def _ack_path() -> Path:
    return state_dir() / ACK_FILE


def _known() -> dict[str, str]:
    try:
        data = json.loads(_ack_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    folders = data.get("folders") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in folders.items()} if isinstance(folders, dict) else {}


def first_use(folder: Path | str) -> bool:
    """Record ``folder`` (resolved) as used; True the first time it is seen on this account.

    When the state file cannot be written, every use counts as the first (the
    officer is warned again rather than never)."""
    from .fsio import atomic_write

    key = str(Path(folder).resolve())
    known = _known()
    if key in known:
        return False
    known[key] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    text = json.dumps({"folders": known}, ensure_ascii=False, indent=1)
    try:
        atomic_write(_ack_path(), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError:
        pass
    return True


def configured_folder(raw: str, base: Path) -> tuple[Path | None, str]:
    """The folder an officer typed into a setting (relative to ``base``, the workbook's
    folder): ``(path, "")``, ``(None, "")`` when blank, or ``(None, Vietnamese reason)``."""
    raw = (raw or "").strip().strip('"')
    if not raw:
        return None, ""
    p = Path(os.path.expandvars(os.path.expanduser(raw)))
    if not p.is_absolute():
        p = base / p
    if not p.is_dir():
        return None, f"không tìm thấy thư mục '{p}'"
    return p.resolve(), ""
