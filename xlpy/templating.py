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
from pathlib import Path
from typing import Any, Sequence

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

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


def sandboxed_env(dirs: Sequence[Path | str] | None = None, *, autoescape: bool | None = None,
                  trim: bool = True) -> jinja2.Environment:
    """The one factory for environments rendering templates a workbook or an officer supplies
    (mail subjects and bodies, report documents).

    ``dirs``: folders to load named templates from (first match wins); ``None`` or
    empty for string templates only (:meth:`~jinja2.Environment.from_string`).
    ``autoescape``: ``True`` for markup (Word XML, HTML) whatever the name; ``None``:
    by extension (``*.html.j2`` escaped, text not).  ``trim``: drop the newline after
    a block tag (text and HTML templates; Word templates keep their XML as it is).
    """
    loader = jinja2.FileSystemLoader([str(d) for d in dirs]) if dirs else None
    escape = autoescape if autoescape is not None else jinja2.select_autoescape(
        enabled_extensions=HTML_EXTENSIONS, default_for_string=False, default=False)
    env = _Sandbox(
        loader=loader,
        autoescape=escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
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
def _ack_path() -> Path:
    from .fsio import state_dir

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


def own_folder(raw: str, base: Path, problems: Any, *, key: str, cell: str, code: str, what: str,
               advice: str) -> list[Path]:
    """An office's own template folder, only when named explicitly (the setting ``key``,
    at ``cell`` of the settings sheet, or a folder passed to the action): ``[folder]``, or
    ``[]`` when blank or unusable (``code`` error).  The first time a folder is used on
    this computer account, a ``<code>_new`` warning names it.  A folder beside the
    workbook is never picked up by itself."""
    from .schema.core import SETTINGS

    folder, why = configured_folder(raw, base)
    if why:
        problems.add(code, SETTINGS if cell else "", cell, raw, "một thư mục có sẵn",
                     f"'{key}': {why}. Sửa lại hoặc để trống để dùng {what} có sẵn của xlpy.")
        return []
    if folder is None:
        return []
    if first_use(folder):
        problems.warn(f"{code}_new", SETTINGS if cell else "", cell, str(folder), "thư mục mẫu tin cậy",
                      f"Lần đầu dùng {what} riêng ở thư mục '{folder}' (theo '{key}'). {advice} Chỉ dùng thư mục "
                      "của chính cơ quan mình; mẫu chạy trong hộp cát, chỉ dùng các biến xlpy cung cấp.")
    return [folder]
