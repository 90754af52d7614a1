"""Criterion kinds → points; caps; weighted totals; final-score policy.

The kernel works on plain arrays: rows are units (of one block or of many
blocks stacked, with ``block_ids`` telling them apart), columns are criteria.
Nothing here validates input: the workbook reader does that and reports
problems with sheet and cell.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .model import Criterion, FinalPolicy, Group, Kind, Part, Settings
from .rounding import excel_round


def criterion_points(
    c: Criterion,
    values: np.ndarray,
    targets: np.ndarray | None = None,
    block_ids: np.ndarray | None = None,
) -> np.ndarray:
    """Points for one criterion from the entered values of all units (NaN stays NaN).

    >>> from xlpy.core.model import Criterion, Kind
    >>> c = Criterion("2", "Mở tài khoản", Kind.RATIO, 40)
    >>> float(criterion_points(c, np.array([360.0]), np.array([400.0]))[0])
    36.0
    """
    v = np.asarray(values, dtype=float)
    mx = float(c.max_points)
    if c.kind in (Kind.POINTS, Kind.BONUS):
        return v
    if c.kind is Kind.DEDUCTION:
        return np.minimum(v * c.per_event, mx) if c.per_event is not None else v
    if c.kind is Kind.COUNT:
        return np.minimum(v * float(c.per_event or 0.0), mx)
    if c.kind is Kind.BAND:
        out = np.where(np.isnan(v), np.nan, 0.0)
        for b in c.bands:
            lo = v >= b.low if b.low_inclusive else v > b.low
            hi = v <= b.high if b.high_inclusive else v < b.high
            out = np.where(lo & hi, b.points, out)
        return out
    if targets is None:
        targets = np.full(v.shape, np.nan if c.target is None else float(c.target))
    t = np.asarray(targets, dtype=float)
    if c.kind is Kind.RATIO:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(np.isnan(v), np.nan, np.minimum(v / t * mx, mx))
    if c.kind is Kind.TARGET:
        return target_points(v, t, mx, block_ids)
    raise ValueError(f"unknown kind {c.kind}")  # pragma: no cover


def target_points(a, t, mx: float, block_ids=None) -> np.ndarray:
    """Reference scheme D (police cluster): below target ½·max·a/t; at target
    ½·max; above target ½·max + ½·max·(a−t)/(L−t), capped at max, where L is the
    highest value in the unit's block; the leader itself scores max.

    >>> [float(x) for x in target_points(np.array([115.0, 130, 80]), np.array([100.0] * 3), 20)]
    [15.0, 20.0, 8.0]
    """
    a = np.asarray(a, dtype=float)
    t = np.asarray(t, dtype=float)
    leader = _group_max(a, block_ids)
    half = 0.5 * mx
    with np.errstate(divide="ignore", invalid="ignore"):
        below = half * a / t
        span = leader - t
        above = np.where(span > 0, half + half * (a - t) / span, mx)
    out = np.where(a < t, below, np.where(a == t, half, np.minimum(above, mx)))
    out = np.where((a > t) & (a == leader), mx, out)
    return np.where(np.isnan(a), np.nan, out)


def _group_max(a: np.ndarray, block_ids) -> np.ndarray:
    """Each row's block maximum (NaN ignored; NaN where the block has no value)."""
    if block_ids is None:
        m = np.nanmax(a) if np.isfinite(a).any() else np.nan
        return np.full(a.shape, m)
    ids = np.asarray(block_ids)
    best = np.full(int(ids.max()) + 1 if len(ids) else 0, -np.inf)
    np.maximum.at(best, ids, np.where(np.isnan(a), -np.inf, a))
    out = best[ids]
    return np.where(np.isinf(out), np.nan, out)


def points_matrix(
    criteria: tuple[Criterion, ...],
    entries: np.ndarray,
    targets: np.ndarray | None,
    block_ids: np.ndarray | None,
    decimals: int,
) -> np.ndarray:
    """Points for a whole stage: ``entries`` is units × criteria (NaN = not entered).
    Each criterion's points are rounded like Excel to ``decimals``."""
    out = np.empty(entries.shape, dtype=float)
    for j, c in enumerate(criteria):
        t = None
        if c.kind in (Kind.RATIO, Kind.TARGET):
            t = targets[:, j] if targets is not None else None
            if t is not None and c.target is not None:
                t = np.where(np.isnan(t), float(c.target), t)
        out[:, j] = criterion_points(c, entries[:, j], t, block_ids)
    return excel_round(out, decimals)


def combine(policy: FinalPolicy, reviews: list[np.ndarray], office: np.ndarray | None) -> np.ndarray:
    """Final points per item: the self and block reviews combined by ``policy``
    (last reviewer's entry wins, or the maximum, or the mean of the entries
    present); an office entry, where present, overrides the item."""
    if not reviews:
        raise ValueError("at least one review stage is needed")
    if policy is FinalPolicy.LAST:
        final = reviews[0]
        for later in reviews[1:]:
            final = np.where(np.isnan(later), final, later)
    else:
        stack = np.stack(reviews)
        present = ~np.isnan(stack)
        count = present.sum(axis=0)
        if policy is FinalPolicy.MAX:
            final = np.where(count > 0, np.where(present, stack, -np.inf).max(axis=0), np.nan)
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                final = np.where(count > 0, np.where(present, stack, 0.0).sum(axis=0) / count, np.nan)
    if office is not None:
        final = np.where(np.isnan(office), final, office)
    return final


class Totals(NamedTuple):
    content: np.ndarray
    bonus: np.ndarray
    deduction: np.ndarray
    total: np.ndarray


def part_totals(
    criteria: tuple[Criterion, ...],
    groups: tuple[Group, ...],
    settings: Settings,
    points: np.ndarray,
) -> Totals:
    """Weighted sums per part (content, bonus, deduction) with group caps and the
    content and bonus caps; ``total = content + bonus − deduction``, each rounded
    like Excel to the declared decimals.  Items not entered count as 0."""
    filled = np.nan_to_num(points, nan=0.0) * np.array([c.effective_weight for c in criteria])
    n = points.shape[0]
    parts = {p: np.zeros(n) for p in Part}
    caps = {g.code: g.max_points for g in groups}
    buckets: dict[tuple[Part, str | None], list[int]] = {}
    for j, c in enumerate(criteria):
        buckets.setdefault((c.part, c.group), []).append(j)
    for (part, gcode), cols in buckets.items():
        s = filled[:, cols].sum(axis=1)
        cap = caps.get(gcode) if gcode else None
        if cap is not None:
            s = np.minimum(s, cap)
        parts[part] = parts[part] + s
    d = settings.decimals
    content, bonus = parts[Part.CONTENT], parts[Part.BONUS]
    if settings.content_cap is not None:
        content = np.minimum(content, settings.content_cap)
    if settings.bonus_cap is not None:
        bonus = np.minimum(bonus, settings.bonus_cap)
    content, bonus, deduction = (excel_round(x, d) for x in (content, bonus, parts[Part.DEDUCTION]))
    total = excel_round(content + bonus - deduction, d)
    return Totals(content, bonus, deduction, total)
