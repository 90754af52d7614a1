"""The action registry: what :mod:`xlpy.features` declares, served to every door.

The CLI (:mod:`xlpy.cli`) makes one command per action, the ribbon
(:mod:`xlpy.excel.ribbon`) one button per action (its ``tag`` is the action
name), and the Python API calls :func:`run`.  An action is a plain function
named in the declaration; when its first parameter is the book it receives an
open :class:`xlpy.book.io.Book` — a file for the CLI and API, the active
workbook for the ribbon — so the same code serves every door, and the same
errors come back from each (a :class:`Result` with ``ok=False`` and Vietnamese
problems, never a traceback).

Example::

    from xlpy import actions
    result = actions.run("compute", "samples/so-nganh-100.xlsx")
    print(result.message)
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .core.problems import Problems, UserError
from .features import ActionSpec, Param, actions as declared

Action = ActionSpec  # the declaration is the action


class Table(NamedTuple):
    """A table for the terminal: the CLI prints at most a screenful of rows."""

    title: str
    header: list[str]
    rows: list[list[str]]
    more: str = ""  # what to say about the rows not shown


class Result:
    """What an action returns to its door.

    ``message``: the Vietnamese summary for the status bar or terminal; ``data``: the
    JSON payload for ``--json`` and the API (an action may pass a function that builds
    it, called on first use: a ribbon click does not pay for what nobody reads);
    ``problems``; ``files`` written; ``table``: a summary for the terminal."""

    def __init__(self, ok: bool, message: str, data: Any = None, problems: Problems | None = None,
                 files: list[Path] | None = None, table: Table | None = None):
        self.ok = ok
        self.message = message
        self._data = data
        self.problems = problems if problems is not None else Problems()
        self.files = files if files is not None else []
        self.table = table

    @property
    def data(self) -> Any:
        if callable(self._data):
            self._data = self._data()
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    def __repr__(self) -> str:
        return f"Result(ok={self.ok!r}, message={self.message!r})"

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "message": self.message,
            "data": self.data,
            "problems": self.problems.to_list(),
            "files": [str(f) for f in self.files],
        }


def all_actions() -> list[ActionSpec]:
    return declared()


def get(name: str) -> ActionSpec:
    wanted = name.replace("_", " ")
    for a in declared():
        if a.name == name or a.name == wanted or a.tag == name:
            return a
    raise KeyError(f"không có thao tác {name!r}")


def function(spec: ActionSpec) -> Callable[..., Result]:
    mod, _, attr = spec.func.partition(":")
    return getattr(importlib.import_module(mod), attr)


def hook(path: str | None) -> Callable[..., Any] | None:
    if not path:
        return None
    mod, _, attr = path.partition(":")
    return getattr(importlib.import_module(mod), attr)


def _check_options(spec: ActionSpec, options: dict[str, Any]) -> dict[str, Any]:
    known = {p.name: p for p in spec.params if p.kind != "book"}
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise TypeError(f"thao tác {spec.name!r} không có tùy chọn {', '.join(unknown)}")
    missing = [p.name for p in known.values() if p.required and p.name not in options]
    if missing:
        raise TypeError(f"thao tác {spec.name!r} cần {', '.join(missing)}")
    return {k: v for k, v in options.items()}


def run(name: str, book: Any = None, **options: Any) -> Result:
    """Run an action by name.  ``book`` may be a path or an open Book.

    Problems the officer must fix (a broken file, a file open in Excel, a
    workbook changed meanwhile) come back as ``Result(ok=False)`` with a
    Vietnamese message, as from every other door."""
    spec = get(name)
    options = _check_options(spec, options)
    import gc

    collecting = gc.isenabled()
    gc.disable()  # see GC_NOTE
    try:
        func = function(spec)
        if not spec.uses_book:
            return func(**options)
        from .book.io import FileBook, open_book

        b = open_book(book)
        if isinstance(b, FileBook):
            from .fsio import clean_leftovers

            with b.lock():
                clean_leftovers(b.path)
                return func(b, **options)
        return func(b, **options)
    except UserError as e:
        return failure(e)
    finally:
        if collecting:
            gc.enable()


GC_NOTE = """The cyclic garbage collector is paused while an action runs.  An action starts
by importing what it needs: numpy's import alone set off ~55 collections, 6.7 ms of a
15-unit compute's ~150 ms.  What an action builds is freed by reference counting: xlpy's
own code makes no reference cycles (tests/test_province.py checks that a province read,
a compute, a check and a ranking leave none); libraries' cycles (a Word document
made by python-docx) are bounded by the documents written, and are collected when the
collector runs again after the action."""


def failure(e: UserError) -> Result:
    problems = Problems()
    problems.add(e.code, str(getattr(e, "path", "") and Path(getattr(e, "path")).name), "", "", "", e.message)
    return Result(False, e.message, problems=problems)


__all__ = ["Action", "ActionSpec", "Param", "Result", "Table", "all_actions", "failure", "function", "get", "hook", "run"]
