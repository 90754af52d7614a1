"""xlpy — emulation & commendation (thi đua, khen thưởng) scoring behind Excel.

The Python API is the same action registry the CLI and the ribbon use::

    import xlpy

    result = xlpy.run("compute", "samples/so-nganh-100.xlsx")   # writes the output sheets
    print(result.message)
    for unit in result.data["units"]:
        print(unit["rank"], unit["code"], unit["total"], unit["class"])

and, for work in memory, the pure core::

    block, problems = xlpy.load_block("samples/so-nganh-100.xlsx")
    table = xlpy.compute(block).table          # pandas DataFrame in rank order
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .actions import Result, all_actions, run

if TYPE_CHECKING:
    from .core.engine import BlockResult
    from .core.model import Block
    from .core.problems import Problems

__version__ = "0.1.0"
__all__ = ["Result", "all_actions", "compute", "load_block", "run", "__version__"]


def load_block(book: Any) -> "tuple[Block | None, Problems]":
    """Read and check a workbook (path or open Book): the block and every problem found."""
    from .book.io import open_book
    from .book.read import read_block

    return read_block(open_book(book))


def compute(block: "Block") -> "BlockResult":
    """Score, rank and classify a block (pure: no files are touched)."""
    from .core.engine import compute as _compute

    return _compute(block)
