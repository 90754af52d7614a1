"""The ``xlpy`` command line: one command per declared action.

Commands, their options and their help come from :mod:`xlpy.features` (no
implementation is imported to build them, so ``xlpy --help`` and every command
start fast); this module converts arguments, calls :func:`xlpy.actions.run`
and prints the result: a summary table (a screenful at most), the problems
and the message — or JSON with ``--json``.  Exit codes: 0 done, 1 the workbook
has errors (or the action failed), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .features import REQUIRED, ActionSpec, Param, actions

HELP = (
    "xlpy – Thi đua, Khen thưởng trong Excel: chấm điểm, xếp hạng, kiểm tra tiêu chuẩn và tỷ lệ khen thưởng, "
    "lập báo cáo, gửi thư cho khối/cụm thi đua."
)
MAX_ROWS = 25
MAX_PROBLEMS = 30

_MESSAGES = [
    (r"the following arguments are required: (.*)", r"thiếu đối số: \1"),
    (r"unrecognized arguments: (.*)", r"không hiểu các đối số: \1"),
    (r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)", r"đối số \1: “\2” không hợp lệ (chọn một trong: \3)"),
    (r"argument (\S+): invalid (\w+) value: '(.*)'", r"đối số \1: “\3” không phải giá trị hợp lệ"),
    (r"argument (\S+): expected one argument", r"đối số \1 cần một giá trị"),
    (r"invalid choice: '(.*)' \(choose from (.*)\)", r"không có lệnh “\1” (các lệnh: \2)"),
]


class _Parser(argparse.ArgumentParser):
    """argparse in Vietnamese: headings and the usual error messages."""

    def __init__(self, *a: Any, **k: Any):
        k.setdefault("formatter_class", _Formatter)
        k.setdefault("add_help", False)
        super().__init__(*a, **k)
        self._positionals.title = "đối số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="In hướng dẫn của lệnh rồi thoát")

    def error(self, message: str) -> None:  # type: ignore[override]
        for pat, rep in _MESSAGES:
            if re.fullmatch(pat, message):
                message = re.sub(pat, rep, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001
        # argparse asks with prefix "" for a sub-command's prog ("xlpy compute"): only None means the heading
        return super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


def _add_param(p: argparse.ArgumentParser, par: Param) -> None:
    if par.kind == "book":
        p.add_argument("book", type=Path, help=par.help)
        return
    kw: dict[str, Any] = {"help": par.help}
    if par.kind == "flag":
        p.add_argument(par.flag, dest=par.name, action=argparse.BooleanOptionalAction,
                       default=False if par.required else par.default, help=par.help)
        return
    if par.kind in ("file", "folder"):
        kw["type"] = Path
    elif par.kind == "files":
        kw["type"] = Path
        kw["nargs"] = "+"
    elif par.kind == "int":
        kw["type"] = int
    elif par.kind == "float":
        kw["type"] = float
    elif par.kind == "choice":
        kw["choices"] = par.choices
    if par.required:
        p.add_argument(par.name, metavar=par.name.upper(), **kw)
    else:
        p.add_argument(par.flag, dest=par.name, default=par.default, metavar=par.name.upper(), **kw)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or only for ``command`` (the first word typed) when
    it names one: a call then builds just what it parses."""
    root = _Parser(prog="xlpy", description=HELP)
    root.add_argument("--version", action="version", version=f"xlpy {__version__}", help="In phiên bản xlpy rồi thoát")
    subs = root.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh", parser_class=_Parser)
    groups: dict[str, Any] = {}
    specs = actions()
    if any(a.name.split(" ")[0] == command for a in specs):
        specs = [a for a in specs if a.name.split(" ")[0] == command]
    for a in specs:
        parts = a.name.split(" ")
        target = subs
        if len(parts) == 2:
            if parts[0] not in groups:
                members = "; ".join(f"{parts[0]} {x.name.split(' ')[1]}: {x.label.lower()}" for x in specs if x.name.startswith(parts[0] + " "))
                g = subs.add_parser(parts[0], help=f"Gồm lệnh {members}", description=f"Gồm lệnh {members}.")
                groups[parts[0]] = g.add_subparsers(dest="subcommand", metavar="LỆNH", title="các lệnh", parser_class=_Parser)
            target = groups[parts[0]]
        p = target.add_parser(parts[-1], help=a.help, description=a.help + ("\n\n" + a.supertip if a.supertip else ""))
        for par in a.params:
            _add_param(p, par)
        p.add_argument("--json", dest="as_json", action="store_true", help="In kết quả dạng JSON (cho công cụ khác đọc)")
        p.set_defaults(_action=a)
    return root


# ---------------------------------------------------------------------------------------
# printing


_NOT_NARROW = re.compile("[^\u0000-\u02ff\u1e00-\u22ff]")  # characters that may not take exactly one column


def _width(s: str) -> int:
    """Columns ``s`` takes in a terminal: combining marks take none, East Asian wide
    characters two.  Vietnamese text (precomposed Latin letters, general punctuation)
    is measured by ``len``."""
    if s.isascii() or not _NOT_NARROW.search(s):  # Latin, Vietnamese, punctuation
        return len(s)
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else (2 if unicodedata.east_asian_width(ch) in "WF" else 1) for ch in s)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken at spaces where possible (nothing is cut off)."""
    words = " ".join(str(text).split()).split(" ")
    lines, cur = [], ""
    for w in words:
        while _width(w) > width:  # a word longer than the column: split it
            room = width - (_width(cur) + 1 if cur else 0)
            if room <= 0:
                lines.append(cur)
                cur, room = "", width
            cur = (cur + " " if cur else "") + w[:room]
            w = w[room:]
        if cur and _width(cur) + 1 + _width(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return lines + [cur] if cur or not lines else lines


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], more: str = "", out=None) -> None:
    """A plain-text table that fits the terminal: long cells wrap onto more lines."""
    import shutil

    out = out or sys.stdout
    n = len(header)
    cells = [[str(c) if c is not None else "" for c in list(r) + [""] * (n - len(r))] for r in rows]
    widths = [max([_width(str(h))] + [_width(r[j]) for r in cells]) for j, h in enumerate(header)]
    total = shutil.get_terminal_size((160, 40)).columns - 2 * (n - 1)
    while sum(widths) > total and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1
    if title:
        print(title, file=out)
    def emit_row(row: list[str]) -> None:
        parts = [_wrap(c, w) for c, w in zip(row, widths)]
        for k in range(max(len(p) for p in parts)):
            texts = [p[k] if k < len(p) else "" for p in parts]
            print("  ".join(t + " " * (w - _width(t)) for t, w in zip(texts, widths)).rstrip(), file=out)

    emit_row(list(map(str, header)))
    print("  ".join("─" * w for w in widths), file=out)
    for row in cells:
        emit_row(row)
    if more:
        print(more, file=out)


def emit(result: Any, as_json: bool) -> int:
    if as_json:
        import json

        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n")
        return 0 if result.ok else 1
    t = result.table
    if t is not None:
        rows = t.rows[:MAX_ROWS]
        more = t.more
        if len(t.rows) > MAX_ROWS:
            more = f"… và {len(t.rows) - MAX_ROWS} dòng nữa" + (f" ({t.more})" if t.more else "") + "."
        print_table(t.title, t.header, rows, more)
        print()
    probs = list(result.problems)
    if probs:
        rows = [[p.severity.value, p.where(), p.message] for p in probs[:MAX_PROBLEMS]]
        more = f"… và {len(probs) - MAX_PROBLEMS} mục khác (xem danh sách lỗi đầy đủ trong tệp .loi.xlsx hoặc dùng --json)." \
            if len(probs) > MAX_PROBLEMS else ""
        print_table("Lỗi và cảnh báo", ["Mức độ", "Ở đâu", "Nội dung"], rows, more)
        print()
    print(result.message)
    return 0 if result.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    args = vars(parser.parse_args(argv))
    act: ActionSpec | None = args.pop("_action", None)
    if act is None:
        parser.print_help()
        return 2
    as_json = args.pop("as_json", False)
    args.pop("command", None)
    args.pop("subcommand", None)
    from . import actions as registry

    book = args.pop("book", None)
    if book is not None and not Path(book).exists():
        print(f"Không tìm thấy sổ tính: {book}")
        return 2
    opts = {k: v for k, v in args.items() if v is not REQUIRED}
    try:
        result = registry.run(act.name, book, **opts) if act.uses_book else registry.run(act.name, **opts)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl+C).", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - the last line of defence: never a traceback
        import traceback

        log = _crash_log(traceback.format_exc())
        print(f"Có lỗi không lường trước trong xlpy ({type(e).__name__}: {e}). Sổ tính không bị thay đổi. "
              f"Gửi tệp {log} cho người quản trị.", file=sys.stderr)
        return 1
    try:
        if _asks(act) and result.ok and not opts.get("yes"):
            return _confirm(act, result, book, opts, as_json)
        return emit(result, as_json)
    except BrokenPipeError:  # the output was piped into a program that stopped reading (| head)
        sys.stderr.close()
        return 0 if result.ok else 1


YES_WORDS = ("c", "có", "co", "y", "yes")


def _asks(act: ActionSpec) -> bool:
    """An action that shows a plan and writes only when confirmed: a ``confirm`` hook and a ``yes`` flag."""
    return bool(act.confirm) and any(p.name == "yes" and p.kind == "flag" for p in act.params)


def _confirm(act: ActionSpec, result: Any, book: Any, opts: dict, as_json: bool) -> int:
    """Print the plan, then ask on the terminal; without a terminal (or with --json) refuse:
    nothing is written unless the officer said yes or gave --yes."""
    from . import actions as registry

    follow = registry.hook(act.confirm)(result)
    if follow is None:  # nothing to confirm (the action says so)
        return emit(result, as_json)
    question, more = follow
    if as_json or not sys.stdin.isatty():
        why = "có --json" if as_json else "đầu vào không phải bàn phím"
        refused = type(result)(False, f"{act.label}: chưa thực hiện, không ghi gì. Không hỏi xác nhận được ({why}); "
                               "xem kế hoạch rồi chạy lại với --yes để thực hiện.",
                               data=result.data, problems=result.problems, table=result.table)
        return emit(refused, as_json)
    emit(result, False)
    print()
    try:
        answer = input(f"{question}\nGõ c (có) rồi Enter để thực hiện, Enter để hủy: ")
    except EOFError:
        answer = ""
    if answer.strip().casefold() not in YES_WORDS:
        print("Đã hủy: không ghi gì.")
        return 1
    again = registry.run(act.name, book, **{**opts, **more}) if act.uses_book else registry.run(act.name, **{**opts, **more})
    again.table = None  # the plan is on the screen already
    return emit(again, False)


def _crash_log(text: str) -> Path:
    from .fsio import state_dir

    p = state_dir() / "loi-khong-luong-truoc.txt"
    p.write_text(text, encoding="utf-8")
    return p


def entry() -> None:
    """The ``xlpy`` command, one process per call: :func:`main`, then exit.

    Python's shutdown ends with a full garbage collection over every object still alive:
    with numpy and xlpy loaded that took 10–15 ms of a 150 ms compute, just before the
    operating system frees the whole process.  ``gc.freeze()`` leaves those objects out of
    it.  Nothing is lost: every file xlpy writes is closed (and the workbook fsynced) before
    :func:`main` returns, and xlpy's own code makes no reference cycles (``xlpy.actions.GC_NOTE``).
    numpy is not imported yet: its linear algebra is left to one thread (:func:`xlpy.procs.one_blas_thread`)."""
    from .procs import one_blas_thread

    one_blas_thread()
    rc = main()
    import gc

    gc.freeze()
    sys.exit(rc)


if __name__ == "__main__":  # pragma: no cover
    entry()
