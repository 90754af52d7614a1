"""The ``xlpy`` command line: one command per registered action.

Commands, their options and their help come from :mod:`xlpy.actions`; this
module only converts arguments, calls :func:`xlpy.actions.run` and prints the
result (a rich table, or JSON with ``--json``).  Exit codes: 0 done, 1 the
workbook has errors (or the action failed), 2 wrong usage or missing file.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import typer
from rich.console import Console
from rich.table import Table

from . import actions
from .actions import Action, Result

HELP = (
    "xlpy – Thi đua, Khen thưởng trong Excel: chấm điểm, xếp hạng, kiểm tra tiêu chuẩn và tỷ lệ khen thưởng, "
    "lập báo cáo, gửi thư cho khối/cụm thi đua.\n\n"
    "xlpy – emulation & commendation scoring for Excel workbooks (Vietnamese TĐKT blocks)."
)


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 140, highlight=False)


def print_problems(result: Result, console: Console) -> None:
    if not result.problems:
        return
    t = Table(title="Lỗi và cảnh báo", show_lines=False)
    for h in ("Mức độ", "Trang", "Ô", "Gặp", "Cần", "Cách sửa"):
        t.add_column(h, overflow="fold")
    for p in result.problems:
        t.add_row(p.severity.value, p.sheet, p.cell, p.found, p.expected, p.message)
    console.print(t)


def _emit(result: Result, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        console = _console()
        if result.render is not None and result.ok:
            result.render(console)
        print_problems(result, console)
        console.print(result.message, style=None if result.ok else "bold red")
    raise typer.Exit(0 if result.ok else 1)


def _convert(annotation: Any, default: Any, name: str, positional: bool) -> Any:
    """``Annotated[T, "help"]`` → ``Annotated[T, typer.Option/Argument(help=...)]``."""
    help_text = None
    base = annotation
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        help_text = next((m for m in meta if isinstance(m, str)), None)
    if positional:
        return Annotated[base, typer.Argument(help=help_text)]
    return Annotated[base, typer.Option(help=help_text)]


def make_command(act: Action):
    sig = inspect.signature(act.func, eval_str=True)
    params = []
    for i, p in enumerate(sig.parameters.values()):
        if i == 0 and act.uses_book:
            params.append(
                inspect.Parameter(
                    "book",
                    inspect.Parameter.POSITIONAL_OR_KEYWORD,
                    annotation=Annotated[Path, typer.Argument(help="Sổ tính (.xlsx) của khối thi đua")],
                )
            )
            continue
        if p.name == "progress":  # a callback the ribbon fills (status bar); not a CLI option
            continue
        positional = p.default is inspect.Parameter.empty
        params.append(p.replace(annotation=_convert(p.annotation, p.default, p.name, positional)))
    params.append(
        inspect.Parameter(
            "as_json",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (cho công cụ khác đọc)")],
        )
    )
    params.sort(key=lambda p: p.kind)

    def command(**kwargs: Any) -> None:
        as_json = kwargs.pop("as_json", False)
        book = kwargs.pop("book", None) if act.uses_book else None
        try:
            result = actions.run(act.name, book, **kwargs) if act.uses_book else actions.run(act.name, **kwargs)
        except FileNotFoundError as e:
            _console().print(str(e), style="bold red")
            raise typer.Exit(2)
        _emit(result, as_json)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__name__ = act.tag
    command.__doc__ = act.help + ("\n\n" + act.supertip if act.supertip else "")
    return command


def build_app() -> typer.Typer:
    app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None)
    groups: dict[str, typer.Typer] = {}
    for act in actions.all_actions():
        parts = act.name.split(" ")
        target = app
        if len(parts) == 2:
            if parts[0] not in groups:
                groups[parts[0]] = typer.Typer(help=f"Nhóm lệnh {parts[0]}", no_args_is_help=True)
                app.add_typer(groups[parts[0]], name=parts[0])
            target = groups[parts[0]]
        target.command(parts[-1], help=act.help)(make_command(act))
    return app


def main() -> None:
    build_app()(prog_name="xlpy")


if __name__ == "__main__":  # pragma: no cover
    main()
