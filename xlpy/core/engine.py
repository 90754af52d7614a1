"""The scoring engine: blocks in, explained results out.

:func:`compute` scores one block; :func:`score_many` scores any number of blocks
in one vectorised pass (blocks sharing a scheme are stacked), which is what a
province-wide run uses.  Both return the same :class:`BlockResult` per block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .classify import classify
from .model import TIE_VOTE, TIE_WOMEN, Block, Stage
from .ranking import TieGroup, place_name, rank_blocks
from .scoring import combine, part_totals, points_matrix

STAGES = (Stage.SELF, Stage.BLOCK, Stage.OFFICE)


@dataclass
class BlockResult:
    """Results of one block.  ``table`` is indexed by unit code, in rank order."""

    block: Block
    points: pd.DataFrame  # final points, unit × criterion
    stage_points: dict[Stage, pd.DataFrame]
    table: pd.DataFrame  # name, content, bonus, deduction, total, rank, place, class, tie columns
    ties: list[dict] = field(default_factory=list)

    @property
    def differences(self) -> pd.DataFrame:
        """Items where the stages disagree, or the office overrode, with the final points."""
        return stage_differences(self)

    def to_dict(self) -> dict:
        """Machine-readable results (the ``--json`` output)."""
        b = self.block
        s = b.settings
        units = []
        for code, row in self.table.iterrows():
            units.append(
                {
                    "code": code,
                    "name": row["name"],
                    "points": {c: _num(self.points.at[code, c]) for c in b.criterion_codes},
                    "content": _num(row["content"]),
                    "bonus": _num(row["bonus"]),
                    "deduction": _num(row["deduction"]),
                    "total": _num(row["total"]),
                    "rank": int(row["rank"]),
                    "place": row["place"],
                    "class": row["class"],
                    "tie": {
                        "tied_with": list(row["tied_with"]),
                        "broken_by": row["broken_by"] or None,
                        "unresolved": bool(row["unresolved"]),
                    },
                }
            )
        return {
            "block": {
                "name": s.block_name,
                "year": s.year,
                "period": s.period,
                "round_date": s.round_date.isoformat() if s.round_date else None,
                "max_total": _num(b.nominal_max),
                "decimals": s.decimals,
                "rank_method": s.rank_method.value,
                "final_policy": s.final_policy.value,
                "tie_break": list(s.tie_break),
            },
            "criteria": [
                {
                    "code": c.code,
                    "name": c.name,
                    "group": c.group,
                    "kind": c.kind.value,
                    "max_points": _num(c.max_points),
                    "weight": _num(c.weight),
                }
                for c in b.criteria
            ],
            "units": units,
            "ties": self.ties,
        }


def compute(block: Block) -> BlockResult:
    """Score, rank and classify one block."""
    return score_many([block])[0]


def score_many(blocks: Sequence[Block]) -> list[BlockResult]:
    """Score many blocks; blocks that share criteria and settings are computed together."""
    results: list[BlockResult | None] = [None] * len(blocks)
    groups: dict[tuple, list[int]] = {}
    for i, b in enumerate(blocks):
        groups.setdefault(_scheme_key(b), []).append(i)
    for idx in groups.values():
        for i, r in zip(idx, _score_group([blocks[i] for i in idx])):
            results[i] = r
    return results  # type: ignore[return-value]


def score_arrays(blocks: Sequence[Block]) -> "Batch":
    """The vectorised core of :func:`score_many` for blocks sharing one scheme,
    without building per-block frames (what the province benchmark times)."""
    return _batch(blocks)


@dataclass
class Batch:
    blocks: Sequence[Block]
    block_ids: np.ndarray
    unit_codes: np.ndarray
    stage_points: dict[Stage, np.ndarray]
    points: np.ndarray
    content: np.ndarray
    bonus: np.ndarray
    deduction: np.ndarray
    total: np.ndarray
    rank: np.ndarray
    classes: np.ndarray
    ties: list[TieGroup]
    broken_by: np.ndarray
    offsets: np.ndarray  # first row of each block


def _scheme_key(b: Block) -> tuple:
    s = b.settings
    return (
        b.criteria,
        b.groups,
        b.classes,
        s.decimals,
        s.rank_method,
        s.final_policy,
        s.tie_break,
        s.content_cap,
        s.bonus_cap,
        s.max_total,
        s.women_threshold,
    )


def _batch(blocks: Sequence[Block]) -> Batch:
    first = blocks[0]
    crit = first.criteria
    codes = first.criterion_codes
    s = first.settings
    sizes = np.array([len(b.units) for b in blocks])
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    block_ids = np.repeat(np.arange(len(blocks)), sizes)
    unit_codes = np.array([u.code for b in blocks for u in b.units], dtype=object)
    m = len(codes)

    def stacked(get) -> np.ndarray | None:
        mats = []
        any_present = False
        for b in blocks:
            f = get(b)
            if f is None:
                mats.append(np.full((len(b.units), m), np.nan))
            else:
                any_present = True
                mats.append(_aligned(f, b.unit_codes, codes))
        return np.concatenate(mats) if any_present else None

    targets = stacked(lambda b: b.targets)
    stage_points: dict[Stage, np.ndarray] = {}
    for st in STAGES:
        e = stacked(lambda b, st=st: b.stages.get(st))
        if e is not None:
            stage_points[st] = points_matrix(crit, e, targets, block_ids, s.decimals)
    reviews = [stage_points[st] for st in (Stage.SELF, Stage.BLOCK) if st in stage_points]
    if not reviews:
        reviews = [np.full((len(unit_codes), m), np.nan)]
    from .rounding import excel_round

    points = excel_round(combine(s.final_policy, reviews, stage_points.get(Stage.OFFICE)), s.decimals)
    tot = part_totals(crit, first.groups, s, points)
    keys = _tie_keys(blocks, codes, points)
    outcome = rank_blocks(block_ids, tot.total, keys, s.rank_method)
    # every block of a batch shares criteria, caps and the declared maximum (see _scheme_key)
    classes = classify(tot.total, first.nominal_max, first.classes)
    return Batch(
        blocks, block_ids, unit_codes, stage_points, points, tot.content, tot.bonus, tot.deduction,
        tot.total, outcome.rank, classes, outcome.ties, outcome.broken_by, offsets,
    )


def _aligned(frame: pd.DataFrame, rows: list[str], cols: list[str]) -> np.ndarray:
    if list(frame.index) == rows and list(frame.columns) == cols:
        return frame.to_numpy(dtype=float)
    return frame.reindex(index=rows, columns=cols).to_numpy(dtype=float)


def _tie_keys(blocks: Sequence[Block], codes: list[str], points: np.ndarray) -> list[tuple[str, np.ndarray]]:
    s = blocks[0].settings
    keys: list[tuple[str, np.ndarray]] = []
    for token in s.tie_break:
        if token == TIE_WOMEN:
            share = np.array(
                [np.nan if u.women_share is None else u.women_share for b in blocks for u in b.units], dtype=float
            )
            keys.append((token, np.where(np.nan_to_num(share, nan=0.0) >= s.women_threshold - 1e-12, 1.0, 0.0)))
        elif token == TIE_VOTE:
            keys.append((token, np.array([np.nan if u.votes is None else u.votes for b in blocks for u in b.units], dtype=float)))
        elif token in codes:
            keys.append((token, np.nan_to_num(points[:, codes.index(token)], nan=0.0)))
    return keys


def _score_group(blocks: Sequence[Block]) -> list[BlockResult]:
    bt = _batch(blocks)
    ties_by_block: dict[int, list[TieGroup]] = {}
    for t in bt.ties:
        ties_by_block.setdefault(t.block, []).append(t)
    out = []
    codes = blocks[0].criterion_codes
    for i, b in enumerate(blocks):
        lo = bt.offsets[i]
        hi = lo + len(b.units)
        ucodes = b.unit_codes
        idx = pd.Index(ucodes, name="unit")

        def frame(a: np.ndarray) -> pd.DataFrame:
            return pd.DataFrame(a[lo:hi], index=idx, columns=codes)

        tied_with: dict[str, list[str]] = {c: [] for c in ucodes}
        unresolved: set[str] = set()
        tie_dicts = []
        for t in ties_by_block.get(i, []):
            members = sorted((bt.unit_codes[r] for r in t.rows), key=ucodes.index)
            for m_ in members:
                tied_with[m_] = [x for x in members if x != m_]
            for sub in t.unresolved:
                unresolved.update(bt.unit_codes[r] for r in sub)
            tie_dicts.append(_tie_dict(t, bt, members, ucodes))
        table = pd.DataFrame(
            {
                "name": [u.name for u in b.units],
                "content": bt.content[lo:hi],
                "bonus": bt.bonus[lo:hi],
                "deduction": bt.deduction[lo:hi],
                "total": bt.total[lo:hi],
                "rank": bt.rank[lo:hi],
                "place": [place_name(r) for r in bt.rank[lo:hi]],
                "class": bt.classes[lo:hi],
                "tied_with": [tied_with[c] for c in ucodes],
                "broken_by": bt.broken_by[lo:hi],
                "unresolved": [c in unresolved for c in ucodes],
            },
            index=idx,
        )
        table["_pos"] = np.arange(len(ucodes))
        table = table.sort_values(["rank", "_pos"], kind="stable").drop(columns="_pos")
        out.append(
            BlockResult(
                block=b,
                points=frame(bt.points),
                stage_points={st: frame(a) for st, a in bt.stage_points.items()},
                table=table,
                ties=sorted(tie_dicts, key=lambda d: d["rank"]),
            )
        )
    return out


def _tie_dict(t: TieGroup, bt: Batch, members: list[str], order: list[str]) -> dict:
    rank = int(min(bt.rank[r] for r in t.rows))
    return {
        "rank": rank,
        "total": _num(bt.total[t.rows[0]]),
        "units": members,
        "resolved": t.resolved,
        "broken_by": list(t.broken_by),
        "skipped": list(t.skipped),
        "unresolved": [sorted((bt.unit_codes[r] for r in sub), key=order.index) for sub in t.unresolved],
    }


def stage_differences(result: BlockResult) -> pd.DataFrame:
    """Long table of items where the stages differ or the office overrode an entry."""
    sp = result.stage_points
    rows = []
    for u in result.block.unit_codes:
        for c in result.block.criterion_codes:
            vals = {st: (sp[st].at[u, c] if st in sp else np.nan) for st in STAGES}
            present = [v for v in vals.values() if not np.isnan(v)]
            if len(present) < 2 or max(present) == min(present):
                if np.isnan(vals[Stage.OFFICE]):
                    continue
            rows.append(
                {
                    "unit": u,
                    "criterion": c,
                    "self": vals[Stage.SELF],
                    "block": vals[Stage.BLOCK],
                    "office": vals[Stage.OFFICE],
                    "final": result.points.at[u, c],
                    "change": _delta(vals[Stage.SELF], result.points.at[u, c]),
                }
            )
    return pd.DataFrame(rows, columns=["unit", "criterion", "self", "block", "office", "final", "change"])


def _delta(a: float, b: float) -> float:
    from .rounding import excel_round_scalar

    if np.isnan(a) or np.isnan(b):
        return np.nan
    return excel_round_scalar(b - a, 6)


def _num(v):
    if v is None:
        return None
    v = float(v)
    if np.isnan(v):
        return None
    return int(v) if v.is_integer() else v
