"""How names are compared, in one place: the Unicode form, case and spacing an officer
types do not matter; accents do (a name that differs only by its accents is a look-alike,
never the same name)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable


def norm(s: Any) -> str:
    """The form names are compared in: NFC, case-folded, white space collapsed."""
    return _norm(str(s) if s is not None else "")


def norm_many(values: Iterable[Any]) -> list[str]:
    """:func:`norm` of many values each seen once (a province's unit names): without the cache,
    which they would only churn."""
    plain = _norm.__wrapped__
    return [plain(str(s) if s is not None else "") for s in values]


def fold(s: Any) -> str:
    """:func:`norm` without Vietnamese accents (đ → d): for spotting look-alikes and
    for reading short, accent-free spellings of known words (“hoan thanh tot”)."""
    return _fold(str(s) if s is not None else "")


@lru_cache(maxsize=4096)
def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


@lru_cache(maxsize=4096)
def _fold(s: str) -> str:
    return unaccent(_norm(s))


def unaccent(s: str) -> str:
    """``s`` without Vietnamese accents (đ → d, Đ → D), case kept: for ASCII names made from
    Vietnamese text (file names, table names) and for :func:`fold`."""
    t = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def slug(text: str, maxlen: int | None = 60, default: str = "don-vi") -> str:
    """An ASCII file name part from Vietnamese text (``maxlen`` None: not shortened;
    ``default`` when nothing is left).

    >>> slug("Sở Tài nguyên & Môi trường")
    'so-tai-nguyen-moi-truong'
    """
    t = re.sub(r"[^A-Za-z0-9]+", "-", unaccent(str(text))).strip("-").lower()
    return t[:maxlen].rstrip("-") or default
