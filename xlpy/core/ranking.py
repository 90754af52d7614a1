"""Ranking within blocks: competition (1, 1, 3) or dense (1, 1, 2), with a
declared tie-break chain.  Ties the chain cannot break are reported, never
silently ordered.

Works on many blocks at once: ``block`` holds each row's block number, and the
work is a single sort plus a small loop over the tied groups only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .model import RankMethod

PLACES = {1: "Nhất", 2: "Nhì", 3: "Ba"}


class TieGroup(NamedTuple):
    """Units that had the same total (after rounding) in one block."""

    block: int
    rows: tuple[int, ...]  # row numbers in the input arrays
    broken_by: tuple[str, ...]  # tie-break keys that separated members, in order
    unresolved: tuple[tuple[int, ...], ...]  # sub-groups still equal after the chain
    skipped: tuple[str, ...] = ()  # keys that could not be used (missing data)

    @property
    def resolved(self) -> bool:
        return not self.unresolved


class RankOutcome(NamedTuple):
    rank: np.ndarray  # int, 1-based within block
    ties: list[TieGroup]
    broken_by: np.ndarray | None = None  # per row: last key that separated it from a tied unit, "" if none


def rank_blocks(
    block: np.ndarray,
    total: np.ndarray,
    keys: list[tuple[str, np.ndarray]] | None = None,
    method: RankMethod = RankMethod.COMPETITION,
) -> RankOutcome:
    """Rank rows within their block by ``total`` (higher is better).

    ``keys`` is the tie-break chain: ``(name, values)`` pairs, higher is better.
    A key with a missing value (NaN) for any member of a tied group is skipped
    for that group and named in :attr:`TieGroup.skipped`.
    """
    block = np.asarray(block)
    total = np.asarray(total, dtype=float)
    keys = keys or []
    n = len(total)
    broken = np.full(n, "", dtype=object)
    if n == 0:
        return RankOutcome(np.zeros(0, dtype=int), [], broken)
    order = np.lexsort((-np.nan_to_num(total, nan=-np.inf), block))
    sb, st = block[order], np.nan_to_num(total[order], nan=-np.inf)
    block_start = np.r_[True, sb[1:] != sb[:-1]]
    run_start = block_start | np.r_[True, st[1:] != st[:-1]]
    starts = np.flatnonzero(run_start)
    lengths = np.diff(np.r_[starts, n])

    new_class = run_start.copy()  # a new rank class begins here
    ties: list[TieGroup] = []
    for s, ln in zip(starts[lengths > 1], lengths[lengths > 1]):
        rows = order[s : s + ln]
        parts, used, skipped = _break(list(rows), keys, broken)
        flat = [r for p in parts for r in p]
        order[s : s + ln] = flat
        pos = s
        for p in parts:
            new_class[pos] = True
            new_class[pos + 1 : pos + len(p)] = False
            pos += len(p)
        ties.append(
            TieGroup(
                block=int(sb[s]),
                rows=tuple(int(r) for r in rows),
                broken_by=tuple(used),
                unresolved=tuple(tuple(int(r) for r in p) for p in parts if len(p) > 1),
                skipped=tuple(skipped),
            )
        )

    # ranks from the final order and class boundaries, per block
    idx = np.arange(n)
    first_of_block = np.maximum.accumulate(np.where(block_start, idx, 0))
    pos_in_block = idx - first_of_block
    if method is RankMethod.DENSE:
        cls = np.cumsum(new_class)
        rank_sorted = cls - cls[first_of_block] + 1
    else:
        class_first = np.maximum.accumulate(np.where(new_class, idx, 0))
        rank_sorted = pos_in_block[class_first] + 1
    rank = np.empty(n, dtype=int)
    rank[order] = rank_sorted
    return RankOutcome(rank, ties, broken)


def _break(rows: list[int], keys: list[tuple[str, np.ndarray]], broken: np.ndarray):
    """Partition tied rows by the keys in order; returns (ordered parts, keys used, keys skipped)."""
    used: list[str] = []
    skipped: list[str] = []
    return _split(rows, 0, keys, broken, used, skipped), used, skipped


def _split(group: list[int], k: int, keys: list[tuple[str, np.ndarray]], broken: np.ndarray,
           used: list[str], skipped: list[str]) -> list[list[int]]:
    """:func:`_break` from key ``k`` on (a module function: a recursive closure would be a reference cycle)."""
    if len(group) == 1 or k >= len(keys):
        return [group]
    name, vals = keys[k]
    v = np.asarray(vals, dtype=float)[group]
    if np.isnan(v).any():
        if name not in skipped:
            skipped.append(name)
        return _split(group, k + 1, keys, broken, used, skipped)
    levels = sorted(set(v.tolist()), reverse=True)
    if len(levels) == 1:
        return _split(group, k + 1, keys, broken, used, skipped)
    if name not in used:
        used.append(name)
    out: list[list[int]] = []
    for lv in levels:
        sub = [r for r, x in zip(group, v) if x == lv]
        for r in sub:
            broken[r] = name  # the deepest key that separated it
        out.extend(_split(sub, k + 1, keys, broken, used, skipped))
    return out


def place_name(rank: int) -> str:
    """Hạng Nhất / Nhì / Ba for ranks 1–3, empty otherwise."""
    return PLACES.get(int(rank), "")
