"""A base for xlpy's small mutable records.

A ``@dataclass`` costs ~0.5 ms to define (it writes and compiles its methods), and
every command pays that for every record class it imports.  A :class:`Record`
lists its fields in ``__slots__`` and sets them in its own ``__init__``; equality
and ``repr`` go field by field, as a dataclass's do.  Public API classes that
callers may pass to ``dataclasses.replace`` stay dataclasses.
"""

from __future__ import annotations

from typing import Any


class Record:
    __slots__ = ()

    @classmethod
    def _field_names(cls) -> tuple[str, ...]:
        names = cls.__dict__.get("_names")
        if names is None:
            names = tuple(n for c in reversed(cls.__mro__) for n in c.__dict__.get("__slots__", ()))
            cls._names = names  # type: ignore[attr-defined]
        return names

    def __eq__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._field_names())

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._field_names())})"
