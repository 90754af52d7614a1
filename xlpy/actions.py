"""The action registry: one list of what xlpy can do, served to every door.

The CLI (:mod:`xlpy.cli`) makes one command per action, the ribbon
(:mod:`xlpy.excel.ribbon`) one button per action (its ``tag`` is the action
name), and the Python API calls :func:`run`.  An action is a plain function;
when its first parameter is named ``book`` it receives an open
:class:`xlpy.book.io.Book` — a file for the CLI and API, the active workbook for
the ribbon — so the same code serves both.

Options are declared in the function signature; ``Annotated[T, "help"]`` gives
the Vietnamese help text shown by ``--help``.

Example::

    from xlpy import actions
    result = actions.run("compute", "samples/khoi-so-nganh-100-diem.xlsx")
    print(result.message)
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .core.problems import Problems

# Modules that register actions.  Each is imported on first use of the registry.
PLUGINS = (
    "xlpy.book.actions",
    "xlpy.rules.actions",
    "xlpy.reports.actions",
    "xlpy.mail.actions",
    "xlpy.excel.actions",
    "xlpy.doctor",
)


@dataclass(frozen=True)
class Action:
    name: str  # CLI command ("history import" → group "history", command "import") and ribbon tag
    func: Callable[..., "Result"]
    label: str  # Vietnamese button label
    help: str  # Vietnamese one-line help: CLI help and ribbon screentip
    group: str = "Dữ liệu"  # ribbon group
    icon: str = "MacroPlay"  # imageMso
    ribbon: bool = True  # shown on the ribbon
    order: int = 100
    supertip: str = ""  # longer Vietnamese description for the ribbon
    # After a successful run, an optional follow-up the ribbon offers with a Yes/No question:
    # confirm(result) -> (question_vi, options for the second run) or None.  ("send": dry run, then send.)
    confirm: Callable[["Result"], tuple[str, dict] | None] | None = None

    @property
    def uses_book(self) -> bool:
        params = list(inspect.signature(self.func).parameters)
        return bool(params) and params[0] == "book"

    @property
    def tag(self) -> str:
        return self.name.replace(" ", "_")


@dataclass
class Result:
    """What an action returns to its door."""

    ok: bool
    message: str  # Vietnamese summary for the status bar / terminal
    data: Any = None  # JSON-serialisable payload for --json and the API
    problems: Problems = field(default_factory=Problems)
    files: list[Path] = field(default_factory=list)  # files written
    render: Callable[[Any], None] | None = None  # optional rich rendering for the CLI (gets a Console)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "message": self.message,
            "data": self.data,
            "problems": self.problems.to_list(),
            "files": [str(f) for f in self.files],
        }


_REGISTRY: dict[str, Action] = {}
_loaded = False


def action(
    name: str,
    *,
    label: str,
    help: str,
    group: str = "Dữ liệu",
    icon: str = "MacroPlay",
    ribbon: bool = True,
    order: int = 100,
    supertip: str = "",
    confirm: Callable[[Result], tuple[str, dict] | None] | None = None,
) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Register ``func`` as an action (decorator)."""

    def deco(func: Callable[..., Result]) -> Callable[..., Result]:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"action {name!r} registered twice")
        _REGISTRY[name] = Action(name, func, label, help, group, icon, ribbon, order, supertip, confirm)
        return func

    return deco


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for mod in PLUGINS:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:  # a feature package not present yet
            if e.name != mod:
                raise


def all_actions() -> list[Action]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda a: (a.order, a.name))


def get(name: str) -> Action:
    _load()
    key = name.replace("_", " ") if name not in _REGISTRY and name.replace("_", " ") in _REGISTRY else name
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"không có thao tác {name!r}") from None


def run(name: str, book: Any = None, **options: Any) -> Result:
    """Run an action by name.  ``book`` may be a path or an open Book."""
    act = get(name)
    if act.uses_book:
        from .book.io import open_book

        return act.func(open_book(book), **options)
    return act.func(**options)
