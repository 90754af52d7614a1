"""Bases for xlpy's small records that must not be tuples.

A ``@dataclass`` costs ~0.5 ms to define (it writes and compiles its methods), and
every command pays that for every record class it imports.  A :class:`Record`
lists its fields in ``__slots__`` and sets them in its own ``__init__``; equality
and ``repr`` go field by field, as a dataclass's do.  A :class:`Frozen` record is
also immutable, hashable and picklable, like a frozen dataclass (cell values:
an Excel error, a styled heading).  Public API classes that callers may pass to
``dataclasses.replace`` stay dataclasses.
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


class Frozen(Record):
    """An immutable :class:`Record`: ``__init__`` passes the field values, in ``__slots__`` order,
    to ``Frozen.__init__``."""

    __slots__ = ()

    def __init__(self, *values: Any):
        for name, value in zip(self._field_names(), values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable ({name})")

    def _values(self) -> tuple:
        return tuple(getattr(self, n) for n in self._field_names())

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((type(self), *self._values()))

    def __reduce__(self):
        return type(self), self._values()
