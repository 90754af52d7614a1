"""Quotas: caps and minimums with explicit rounding, exact ratios, trimming.

Every ratio here is a :class:`fractions.Fraction`; a percentage typed as
``10`` or ``0.7`` is read through its decimal text, so ``37 × 10 %`` is exactly
``37/10`` and ``7/10 ≥ 70 %`` is exactly true — no float wobble at the edges.

Rounding modes (no national rule was found, so each is a setting):

``floor``
    làm tròn xuống — the default for caps ("không quá").
``ceil``
    làm tròn lên — the default for minimums ("ít nhất") and vote thresholds.
``half_up``
    làm tròn 0,5 lên.

>>> quota_cap(37, pct=10), quota_cap(37, pct=10, rounding="ceil"), quota_cap(35, pct=10, rounding="half_up")
(3, 4, 4)
>>> votes_needed(15, 80), votes_needed(15, 90)
(12, 14)
>>> meets_ratio(7, 10, 70), meets_ratio(6, 9, 70)
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import groupby
from typing import Any, Callable, Generic, Sequence, TypeVar

ROUNDING_MODES = ("floor", "ceil", "half_up")
ROUNDING_LABELS = {"floor": "làm tròn xuống", "ceil": "làm tròn lên", "half_up": "làm tròn 0,5 lên"}

T = TypeVar("T")


def as_fraction(x: Any) -> Fraction:
    """An exact Fraction from an int, Fraction, Decimal, float (through its shortest
    decimal text, so 0.1 is 1/10) or numeric text ("12,5" accepted)."""
    if isinstance(x, bool):
        raise TypeError("a yes/no value is not a number")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, Decimal):
        return Fraction(x)
    if isinstance(x, float):
        if x != x or x in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return _decimal_fraction(repr(x))
    if isinstance(x, str):
        return _decimal_fraction(x.strip().replace(",", "."))
    raise TypeError(f"not a number: {x!r}")


@lru_cache(maxsize=512)
def _decimal_fraction(text: str) -> Fraction:
    """The Fraction of a decimal text, parsed once: the same percentages and shares recur in
    every block (a Fraction is immutable, so one object serves them all)."""
    return Fraction(text)


def round_fraction(q: Fraction, mode: str = "floor") -> int:
    """Round an exact non-negative quantity to an integer by ``mode``."""
    if mode == "floor":
        return q.numerator // q.denominator
    if mode == "ceil":
        return -((-q.numerator) // q.denominator)
    if mode == "half_up":
        h = q + Fraction(1, 2)
        return h.numerator // h.denominator
    raise ValueError(f"unknown rounding mode {mode!r}; use one of {', '.join(ROUNDING_MODES)}")


def _check_pct(pct: Any) -> Fraction:
    p = as_fraction(pct)
    if p < 0 or p > 100:
        raise ValueError(f"percentage must be between 0 and 100, got {pct}")
    return p


def _check_base(base: Any) -> int:
    if isinstance(base, bool) or not isinstance(base, (int, float, Fraction, Decimal)) or as_fraction(base).denominator != 1:
        raise ValueError(f"base population must be a whole number, got {base!r}")
    b = int(base)
    if b < 0:
        raise ValueError(f"base population must not be negative, got {base}")
    return b


def quota_cap(base: int, pct: float | None = None, count: int | None = None, rounding: str = "floor") -> int:
    """The largest number allowed: ``round(pct % × base)`` and/or a fixed ``count``.

    ``pct`` is a percentage (10 means 10 %).  With both, the smaller cap wins.

    >>> quota_cap(25, pct=10), quota_cap(25, pct=10, count=1), quota_cap(0, pct=10)
    (2, 1, 0)
    """
    return cap_of(base, pct=pct, count=count, rounding=rounding).value


def min_required(base: int, pct: float, rounding: str = "ceil") -> int:
    """The smallest whole number reaching ``pct`` % of ``base`` (ceil by default).

    >>> min_required(9, 70), min_required(10, 70)
    (7, 7)
    """
    b = _check_base(base)
    return round_fraction(Fraction(b) * _check_pct(pct) / 100, rounding)


def votes_needed(members: int, pct: float, rounding: str = "ceil") -> int:
    """Yes votes needed: ``pct`` % of ALL council members, rounded up by default."""
    return min_required(members, pct, rounding)


def meets_ratio(part: int, whole: int, pct: float, op: str = ">=") -> bool:
    """Exact comparison of ``part / whole`` with ``pct`` %; an empty whole never meets."""
    if whole <= 0:
        return False
    return compare(Fraction(part, whole), op, _check_pct(pct) / 100)


def compare(a: Any, op: str, b: Any) -> bool:
    if op == ">=":
        return a >= b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == "<":
        return a < b
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    raise ValueError(f"unknown operator {op!r}")


# ---- explained caps -----------------------------------------------------------------------


@dataclass(frozen=True)
class Cap:
    """A computed cap and how it was reached."""

    value: int
    base: int | None = None
    pct: Fraction | None = None
    count: int | None = None
    rounding: str = "floor"

    @property
    def exact(self) -> Fraction | None:
        return None if self.pct is None or self.base is None else Fraction(self.base) * self.pct / 100

    def explain(self) -> str:
        """Vietnamese: "tối đa 2 = làm tròn xuống 10% × 25 (2,5)"."""
        return _explain(self)


@lru_cache(maxsize=1024)
def _explain(cap: Cap) -> str:
    """:meth:`Cap.explain`, worded once per cap (a cap is immutable; blocks share their caps)."""
    parts = []
    if cap.pct is not None and cap.base is not None:
        ex = cap.exact
        shown = fmt_fraction(ex)
        via = f"{ROUNDING_LABELS[cap.rounding]} {fmt_pct(cap.pct)} × {cap.base}"
        if ex is not None and ex.denominator != 1:
            via += f" ({shown})"
        parts.append(via)
    if cap.count is not None:
        parts.append(f"mức cố định {cap.count}")
    if len(parts) == 2:
        return f"tối đa {cap.value} = số nhỏ hơn của {parts[0]} và {parts[1]}"
    return f"tối đa {cap.value} = {parts[0]}" if parts else f"tối đa {cap.value}"


@lru_cache(maxsize=1024, typed=True)  # a Cap is immutable; blocks of one size share the same caps
def cap_of(base: int | None, pct: Any = None, count: Any = None, rounding: str = "floor") -> Cap:
    """A :class:`Cap` from a base population and a percentage and/or a fixed count."""
    if pct is None and count is None:
        raise ValueError("a quota needs a percentage, a count or both")
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {rounding!r}; use one of {', '.join(ROUNDING_MODES)}")
    caps = []
    p = None
    b = None
    if pct is not None:
        if base is None:
            raise ValueError("a percentage cap needs a base population")
        b = _check_base(base)
        p = _check_pct(pct)
        caps.append(round_fraction(Fraction(b) * p / 100, rounding))
    c = None
    if count is not None:
        c = _check_base(count)
        caps.append(c)
    return Cap(min(caps), b, p, c, rounding)


# ---- trimming by a declared order ---------------------------------------------------------------


@dataclass
class Trim(Generic[T]):
    kept: list[T]  # strictly better than everything left out
    over: list[T]  # at least ``cap`` others strictly better
    tied_at_cut: list[T] = field(default_factory=list)  # equals straddling the cut: undecided (the Chair decides, R-22)
    places: int = 0  # places left for ``tied_at_cut``

    @property
    def resolved(self) -> bool:
        return not self.tied_at_cut


def trim(items: Sequence[T], cap: int, key: Callable[[T], Any]) -> Trim[T]:
    """Keep the items that the declared order ``key`` (smaller = better) puts within
    ``cap`` places; never decide between equals by their position.

    Items are taken group by group of equal keys.  A group that fits whole is kept;
    a group starting at or after the cut is over; the group the cut falls inside is
    ``tied_at_cut``, with ``places`` places left for it: nobody in it is kept or
    dropped here (the Chair decides, R-22).  So ``kept`` never exceeds ``cap``, no
    item is dropped while an item with a worse key is kept, and the result does not
    depend on the order of ``items``.

    >>> t = trim(["a", "b", "c", "d"], 2, key={"a": 1, "b": 2, "c": 2, "d": 3}.get)
    >>> t.kept, t.tied_at_cut, t.places, t.over
    (['a'], ['b', 'c'], 1, ['d'])
    """
    if cap < 0:
        raise ValueError("cap must not be negative")
    ordered = sorted(items, key=key)
    out: Trim[T] = Trim([], [], [])
    better = 0
    for _k, grp in groupby(ordered, key=key):
        g = list(grp)
        if better + len(g) <= cap:
            out.kept += g
        elif better >= cap:
            out.over += g
        else:
            out.tied_at_cut += g
            out.places = cap - better
        better += len(g)
    return out


@dataclass(frozen=True)
class WhatIf:
    cap: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.cap - self.used, 0)

    @property
    def over(self) -> int:
        return max(self.used - self.cap, 0)


def what_if(cap: Cap | int, used: int) -> WhatIf:
    """How many more proposals a quota allows (``remaining``), or how many are over."""
    return WhatIf(cap.value if isinstance(cap, Cap) else int(cap), used)


# ---- Vietnamese number display -------------------------------------------------------------------


def fmt_fraction(q: Fraction | None, decimals: int = 2) -> str:
    """3 → "3"; 37/10 → "3,7"; 2/3 → "0,67" (display only; decisions use the Fraction)."""
    if q is None:
        return ""
    if q.denominator == 1:
        return str(q.numerator)
    d = (Decimal(q.numerator) / Decimal(q.denominator)).quantize(Decimal(1).scaleb(-decimals))
    s = format(d.normalize(), "f")
    return s.replace(".", ",")


def fmt_pct(p: Fraction, decimals: int = 1) -> str:
    """A percentage (10 → "10%", 12.5 → "12,5%")."""
    return f"{fmt_fraction(p, decimals)}%"


def fmt_share(part: int, whole: int, decimals: int = 1) -> str:
    """"7/9 = 77,8%"."""
    if whole <= 0:
        return f"{part}/{whole}"
    return f"{part}/{whole} = {fmt_pct(Fraction(part * 100, whole), decimals)}"
