"""Explanations in Vietnamese, written once and used by every sheet, document and door.

Ties: who had the same total, which keys of the declared tie-break chain placed
a unit above or below whom, and — when the chain separated only some of them —
exactly who is still tied and waits for the council's vote.  Stage fallbacks:
which criteria took an earlier review's points.

:class:`TieNotes` works on the engine's tie groups (``BlockResult.ties`` or the
``ties`` of ``BlockResult.to_dict()``), indexed once, so writing a note for every
unit is linear in the number of units.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from .model import TIE_VOTE, TIE_WOMEN


def join_vi(items: Iterable[str]) -> str:
    """“A”, “A và B”, “A, B và C”."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def key_text(key: str, crit_names: Mapping[str, str] | None = None) -> str:
    """One tie-break key, as a sentence part."""
    if key == TIE_WOMEN:
        return "ưu tiên tỷ lệ nữ (NĐ 152/2025, Điều 4 khoản 6)"
    if key == TIE_VOTE:
        return "số phiếu bầu"
    if not key:
        return "thứ tự phá hòa"
    name = (crit_names or {}).get(key)
    return f"tiêu chí {key} ({name})" if name else f"tiêu chí {key}"


class TieNotes:
    """Notes on ties for one block: ``unit(code)`` for a unit's row, ``group(tie)`` for a report."""

    def __init__(self, ties: Iterable[Mapping[str, Any]], ranks: Mapping[str, int], *,
                 name_of: Callable[[str], str] | None = None, number: Callable[[Any], str] = str,
                 crit_names: Mapping[str, str] | None = None):
        self.ties = list(ties)
        self.ranks = dict(ranks)
        self.name_of = name_of or (lambda c: c)
        self.number = number
        self.crit_names = crit_names or {}
        self._group = {c: g for g in self.ties for c in (g.get("units") or [])}

    @classmethod
    def of(cls, result: Any, number: Callable[[Any], str] | None = None) -> "TieNotes":
        """For a :class:`~xlpy.core.engine.BlockResult`."""
        b = result.block
        names = {u.code: u.name for u in b.units}
        return cls(result.ties, {u.code: u.rank for u in result.units}, name_of=lambda c: names.get(c, c),
                   number=number or _num, crit_names={c.code: c.name for c in b.criteria})

    def _names(self, codes: Iterable[str]) -> str:
        return join_vi(self.name_of(c) for c in codes)

    def _keys(self, keys: Iterable[str]) -> str:
        return join_vi(key_text(k, self.crit_names) for k in keys)

    def unit(self, code: str) -> str:
        """“Bằng điểm với B và C (90 điểm); phân định theo tiêu chí 07 (…): xếp trên C; vẫn đồng
        hạng với B, chưa phân định được thứ hạng (cần Hội đồng bỏ phiếu)”; "" when not tied."""
        g = self._group.get(code)
        if g is None:
            return ""
        others = [c for c in g["units"] if c != code]
        if not others:
            return ""
        mine = self.ranks.get(code, 0)
        still = next(([c for c in sub if c != code] for sub in g.get("unresolved") or [] if code in sub), [])
        separated = [c for c in others if c not in still]
        note = f"Bằng điểm với {self._names(others)} ({self.number(g.get('total'))} điểm)"
        if separated:
            above = [c for c in separated if self.ranks.get(c, 0) < mine]
            below = [c for c in separated if self.ranks.get(c, 0) > mine]
            how = ([f"xếp sau {self._names(above)}"] if above else []) + ([f"xếp trên {self._names(below)}"] if below else [])
            keys = g.get("broken_by") or []
            note += (f"; phân định theo {self._keys(keys)}: " if keys else "; ") + ", ".join(how)
        if still:
            note += f"; vẫn đồng hạng với {self._names(still)}, chưa phân định được thứ hạng (cần Hội đồng bỏ phiếu)"
        return note

    def group(self, g: Mapping[str, Any]) -> str:
        """One group of equal totals: who, the order the chain gave, who is still tied."""
        given = list(g.get("units") or [])
        if len(given) < 2:
            return ""
        members = sorted(given, key=lambda c: (self.ranks.get(c, 0), given.index(c)))
        text = f"{self._names(members)} cùng đạt {self.number(g.get('total'))} điểm"
        unresolved = [list(s) for s in g.get("unresolved") or []]
        if len(unresolved) == 1 and sorted(unresolved[0]) == sorted(members):
            text += f"; chưa phân định được thứ hạng (đồng hạng {self.ranks.get(members[0], '')}), đề nghị Hội đồng bỏ phiếu"
        else:
            parts: dict[int, list[str]] = {}
            for c in members:
                parts.setdefault(self.ranks.get(c, 0), []).append(c)
            order = [f"{self._names(cs)} đồng hạng {r}" if len(cs) > 1 else f"{self._names(cs)} hạng {r}" for r, cs in parts.items()]
            keys = g.get("broken_by") or []
            text += (f"; phân định theo {self._keys(keys)}: " if keys else "; ") + "; ".join(order)
            for sub in unresolved:
                text += f"; {self._names(sub)} vẫn bằng nhau, đề nghị Hội đồng bỏ phiếu"
        if g.get("skipped"):
            text += f" (không dùng được {self._keys(g['skipped'])} vì thiếu dữ liệu)"
        return text + "."


def fallback_note(criteria: Iterable[str], later: str, earlier: str) -> str:
    """The mark on a result whose points came partly from an earlier review stage: ``later``
    and ``earlier`` are the two review sheets' names."""
    codes = list(criteria)
    if not codes:
        return ""
    return f"Tiêu chí {', '.join(codes)}: “{later}” để trống, dùng điểm “{earlier}”."


def _num(v: Any) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return str(int(x)) if x.is_integer() else f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")
