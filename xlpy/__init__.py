"""xlpy — emulation & commendation (thi đua, khen thưởng) scoring behind Excel.

The Python API is the same action registry the CLI and the ribbon use::

    import xlpy

    result = xlpy.run("compute", "samples/so-nganh-100.xlsx")   # writes the output sheets
    print(result.message)
    for unit in result.data["units"]:
        print(unit["rank"], unit["code"], unit["total"], unit["class"])

and, for work in memory, the round read once and the pure core::

    rnd, problems = xlpy.load_round("samples/so-nganh-100.xlsx")
    for u in rnd.result.units:                   # in rank order
        print(u.rank, u.code, u.total, u.klass)
    table = xlpy.compute(rnd.block).table        # a pandas DataFrame, if you want one
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["Result", "all_actions", "compute", "load_block", "load_round", "run", "__version__"]

if TYPE_CHECKING:
    from .actions import Result
    from .core.engine import BlockResult
    from .core.model import Block
    from .core.problems import Problems
    from .round import Round


def run(name: str, book: Any = None, **options: Any) -> "Result":
    """Run an action by name (see :func:`xlpy.actions.run`)."""
    from .actions import run as _run

    return _run(name, book, **options)


def all_actions():
    from .actions import all_actions as _all

    return _all()


def load_round(book: Any) -> "tuple[Round, Problems]":
    """Read a workbook (path or open Book) once: the round and every problem found so far."""
    from .round import load_round as _load

    return _load(book)


def load_block(book: Any) -> "tuple[Block | None, Problems]":
    """Read and check a workbook's scoring sheets: the block (None when it has errors) and the problems."""
    rnd, problems = load_round(book)
    return rnd.block, problems


def compute(block: "Block") -> "BlockResult":
    """Score, rank and classify a block (pure: no files are touched)."""
    from .core.engine import compute as _compute

    return _compute(block)


def __getattr__(name: str) -> Any:
    if name == "Result":
        from .actions import Result

        return Result
    raise AttributeError(name)
