"""Explanations in Vietnamese, written once and used by every sheet, document and door.

Ties: who had the same total, which key of the declared tie-break chain placed
a unit, and — when the chain separated only some of them — exactly who is
still tied and waits for the council's vote.
"""

from __future__ import annotations

from typing import Callable, Iterable

from .model import TIE_VOTE, TIE_WOMEN, Block


def describe_key(key: str, block: Block | None = None) -> str:
    """One tie-break key, as a sentence part: “điểm tiêu chí 07 (Khen thưởng đúng…)”."""
    if key == TIE_WOMEN:
        return "ưu tiên tập thể có tỷ lệ nữ cao (NĐ 152/2025, Điều 4 khoản 6)"
    if key == TIE_VOTE:
        return "số phiếu bầu"
    if not key:
        return "thứ tự phá hòa"
    if block is not None:
        try:
            return f"điểm tiêu chí {key} ({block.criterion(key).name})"
        except KeyError:
            pass
    return f"điểm tiêu chí {key}"


def _names(codes: Iterable[str], name_of: Callable[[str], str] | None) -> str:
    codes = list(codes)
    if name_of is None:
        return ", ".join(codes)
    return ", ".join(name_of(c) for c in codes)


def unit_tie_note(unit, block: Block | None = None, name_of: Callable[[str], str] | None = None) -> str:
    """The note on one unit's row (a :class:`~xlpy.core.engine.UnitResult`):
    “Bằng điểm với STC; phân định theo …”, “Đồng hạng với VPUB: thứ tự phá hòa chưa
    phân định được (cần Hội đồng bỏ phiếu).”, or both when a tie was split only partly."""
    if not unit.tied_with:
        return ""
    still = list(unit.still_tied_with)
    separated = [c for c in unit.tied_with if c not in still]
    parts = []
    if separated:
        parts.append(f"Bằng điểm với {_names(separated, name_of)}; phân định theo {describe_key(unit.broken_by, block)}")
    if still:
        vote = block is None or TIE_VOTE in block.settings.tie_break or not block.settings.tie_break
        parts.append(f"đồng hạng với {_names(still, name_of)}: thứ tự phá hòa chưa phân định được"
                     + (" (cần Hội đồng bỏ phiếu)" if vote else ""))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def tie_group_text(tie: dict, name_of: Callable[[str], str] | None = None, number: Callable[[object], str] = str,
                   block: Block | None = None) -> str:
    """One group of equal totals (an item of ``BlockResult.ties``), for a report:
    “A, B và C cùng đạt 94,50 điểm; đã phân định theo điểm tiêu chí 07; A và B vẫn bằng
    nhau, đề nghị Hội đồng bỏ phiếu.”"""
    units = list(tie.get("units") or [])
    if len(units) < 2:
        return ""
    text = f"{_names(units, name_of)} cùng đạt {number(tie.get('total'))} điểm"
    if tie.get("broken_by"):
        text += "; đã phân định theo " + ", ".join(describe_key(k, block) for k in tie["broken_by"])
    for sub in tie.get("unresolved") or []:
        if sorted(sub) == sorted(units):
            text += "; chưa phân định được thứ hạng, đề nghị Hội đồng bỏ phiếu"
        else:
            text += f"; {_names(sub, name_of)} vẫn bằng nhau, đề nghị Hội đồng bỏ phiếu"
    return text + "."


def fallback_note(unit, later: str = "Khối chấm", earlier: str = "Tự chấm") -> str:
    """The mark on a result whose points came partly from an earlier review stage."""
    if not unit.fallback:
        return ""
    return f"Tiêu chí {', '.join(unit.fallback)}: “{later}” để trống, dùng điểm “{earlier}”."


def unit_note(unit, block: Block | None = None, name_of: Callable[[str], str] | None = None) -> str:
    """Everything the results sheet notes about a unit."""
    return " ".join(x for x in (unit_tie_note(unit, block, name_of), fallback_note(unit)) if x)
