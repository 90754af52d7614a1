"""The scoring engine: blocks in, explained results out.

:func:`compute` scores one block; :func:`score_many` scores any number of blocks
in one vectorised pass (blocks sharing a scheme are stacked), which is what a
province-wide run uses.  Both return the same :class:`BlockResult` per block.

Everything here works on numpy arrays; ``BlockResult.table`` and
``BlockResult.points`` build pandas frames on demand for the Python API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Sequence

import numpy as np

from .classify import classify
from .model import TIE_VOTE, TIE_WOMEN, Block, FinalPolicy, Stage
from .ranking import TieGroup, place_name, rank_blocks
from .rounding import excel_round
from .scoring import combine, part_totals, points_matrix

STAGES = (Stage.SELF, Stage.BLOCK, Stage.OFFICE)


class UnitResult(NamedTuple):
    """One unit's result, as the doors show it."""

    code: str
    name: str
    content: float
    bonus: float
    deduction: float
    total: float
    rank: int
    place: str  # Nhất / Nhì / Ba / ""
    klass: str  # xếp loại
    tied_with: tuple[str, ...]  # units with the same total
    still_tied_with: tuple[str, ...]  # units the tie-break chain could not separate it from
    broken_by: str  # the tie-break key that placed it ("" if none)
    fallback: tuple[str, ...] = ()  # criteria whose final points came from an earlier stage (blank later)

    @property
    def unresolved(self) -> bool:
        return bool(self.still_tied_with)


@dataclass
class BlockResult:
    """Results of one block.  Arrays are in the block's unit order; :attr:`order` lists
    the unit positions in rank order."""

    block: Block
    point_matrix: np.ndarray  # final points, unit × criterion
    stage_matrices: dict[Stage, np.ndarray]
    content: np.ndarray
    bonus: np.ndarray
    deduction: np.ndarray
    total: np.ndarray
    rank: np.ndarray
    classes: np.ndarray
    broken_by: np.ndarray
    order: np.ndarray
    tie_groups: list[TieGroup] = field(default_factory=list)  # rows are positions in this block
    fallback: np.ndarray | None = None  # bool, unit × criterion: final points from an earlier stage

    # ---- per unit ----------------------------------------------------------------
    @cached_property
    def units(self) -> list[UnitResult]:
        """Every unit's result, in rank order."""
        b = self.block
        codes = b.unit_codes
        crit = b.criterion_codes
        tied: dict[int, tuple[str, ...]] = {}
        still: dict[int, tuple[str, ...]] = {}
        for t in self.tie_groups:
            members = sorted(t.rows)
            for r in members:
                tied[r] = tuple(codes[x] for x in members if x != r)
            for sub in t.unresolved:
                for r in sub:
                    still[r] = tuple(codes[x] for x in sorted(sub) if x != r)
        fb = self.fallback
        out = []
        for i in self.order:
            i = int(i)
            out.append(
                UnitResult(
                    code=codes[i],
                    name=b.units[i].name,
                    content=float(self.content[i]),
                    bonus=float(self.bonus[i]),
                    deduction=float(self.deduction[i]),
                    total=float(self.total[i]),
                    rank=int(self.rank[i]),
                    place=place_name(self.rank[i]),
                    klass=str(self.classes[i]),
                    tied_with=tied.get(i, ()),
                    still_tied_with=still.get(i, ()),
                    broken_by=str(self.broken_by[i] or ""),
                    fallback=tuple(crit[j] for j in np.flatnonzero(fb[i])) if fb is not None else (),
                )
            )
        return out

    @cached_property
    def by_code(self) -> dict[str, UnitResult]:
        return {u.code: u for u in self.units}

    def points_of(self, code: str) -> np.ndarray:
        return self.point_matrix[self.block.unit_codes.index(code)]

    @property
    def ties(self) -> list[dict]:
        """Each group of equal totals: who, what broke it, who is still tied (codes)."""
        codes = self.block.unit_codes
        out = []
        for t in self.tie_groups:
            members = sorted(t.rows)
            out.append(
                {
                    "rank": int(min(self.rank[r] for r in members)),
                    "total": _num(self.total[members[0]]),
                    "units": [codes[r] for r in members],
                    "resolved": t.resolved,
                    "broken_by": list(t.broken_by),
                    "skipped": list(t.skipped),
                    "unresolved": [[codes[r] for r in sorted(sub)] for sub in t.unresolved],
                }
            )
        return sorted(out, key=lambda d: d["rank"])

    # ---- pandas views for the Python API -------------------------------------------
    @property
    def table(self) -> Any:
        """A pandas DataFrame indexed by unit code, in rank order."""
        import pandas as pd

        us = self.units
        return pd.DataFrame(
            {
                "name": [u.name for u in us],
                "content": [u.content for u in us],
                "bonus": [u.bonus for u in us],
                "deduction": [u.deduction for u in us],
                "total": [u.total for u in us],
                "rank": [u.rank for u in us],
                "place": [u.place for u in us],
                "class": [u.klass for u in us],
                "tied_with": [list(u.tied_with) for u in us],
                "broken_by": [u.broken_by for u in us],
                "unresolved": [u.unresolved for u in us],
            },
            index=pd.Index([u.code for u in us], name="unit"),
        )

    @property
    def points(self) -> Any:
        """Final points as a pandas DataFrame (unit × criterion code), in block order."""
        import pandas as pd

        b = self.block
        return pd.DataFrame(self.point_matrix, index=pd.Index(b.unit_codes, name="unit"), columns=b.criterion_codes)

    @property
    def stage_points(self) -> dict[Stage, Any]:
        import pandas as pd

        b = self.block
        return {st: pd.DataFrame(a, index=pd.Index(b.unit_codes, name="unit"), columns=b.criterion_codes)
                for st, a in self.stage_matrices.items()}

    @property
    def differences(self) -> list[dict]:
        """Items where the stages disagree, or the office overrode, with the final points."""
        return stage_differences(self)

    def to_dict(self) -> dict:
        """Machine-readable results (the ``--json`` output)."""
        b = self.block
        s = b.settings
        crit = b.criterion_codes
        pos = {c: i for i, c in enumerate(b.unit_codes)}
        units = []
        for u in self.units:
            pts = self.point_matrix[pos[u.code]]
            units.append(
                {
                    "code": u.code,
                    "name": u.name,
                    "points": {c: _num(pts[j]) for j, c in enumerate(crit)},
                    "content": _num(u.content),
                    "bonus": _num(u.bonus),
                    "deduction": _num(u.deduction),
                    "total": _num(u.total),
                    "rank": u.rank,
                    "place": u.place,
                    "class": u.klass,
                    "tie": {
                        "tied_with": list(u.tied_with),
                        "still_tied_with": list(u.still_tied_with),
                        "broken_by": u.broken_by or None,
                        "unresolved": u.unresolved,
                    },
                    "fallback": list(u.fallback),
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
    without building per-block results (what the province benchmark times)."""
    return _batch(blocks)


class Batch(NamedTuple):
    blocks: Sequence[Block]
    block_ids: np.ndarray
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
    fallback: np.ndarray  # bool: final points came from an earlier review stage


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
    s = first.settings
    sizes = np.array([len(b.units) for b in blocks])
    offsets = np.r_[0, np.cumsum(sizes)[:-1]].astype(int)
    block_ids = np.repeat(np.arange(len(blocks)), sizes)
    n, m = int(sizes.sum()), len(crit)

    def stacked(get) -> np.ndarray | None:
        mats = [get(b) for b in blocks]
        if all(x is None for x in mats):
            return None
        if len(mats) == 1:
            return mats[0]
        return np.concatenate([np.full((len(b.units), m), np.nan) if x is None else x for b, x in zip(blocks, mats)])

    targets = stacked(lambda b: b.targets)
    stage_points: dict[Stage, np.ndarray] = {}
    for st in STAGES:
        e = stacked(lambda b, st=st: b.stages.get(st))
        if e is not None:
            stage_points[st] = points_matrix(crit, e, targets, block_ids, s.decimals)
    reviews = [stage_points[st] for st in (Stage.SELF, Stage.BLOCK) if st in stage_points]
    if not reviews:
        reviews = [np.full((n, m), np.nan)]
    final = combine(s.final_policy, reviews, stage_points.get(Stage.OFFICE))
    points = excel_round(final, s.decimals)
    fallback = np.zeros((n, m), dtype=bool)
    if len(reviews) > 1 and s.final_policy is FinalPolicy.LAST:
        # the later review is blank where an earlier one has points: the earlier one is used
        later = reviews[-1]
        earlier_present = np.zeros((n, m), dtype=bool)
        for r in reviews[:-1]:
            earlier_present |= ~np.isnan(r)
        fallback = np.isnan(later) & earlier_present
        if Stage.OFFICE in stage_points:
            fallback &= np.isnan(stage_points[Stage.OFFICE])
    tot = part_totals(crit, first.groups, s, points)
    keys = _tie_keys(blocks, first.criterion_codes, points)
    outcome = rank_blocks(block_ids, tot.total, keys, s.rank_method)
    # every block of a batch shares criteria, caps and the declared maximum (see _scheme_key)
    classes = classify(tot.total, first.nominal_max, first.classes)
    return Batch(
        blocks, block_ids, stage_points, points, tot.content, tot.bonus, tot.deduction,
        tot.total, outcome.rank, classes, outcome.ties, outcome.broken_by, offsets, fallback,
    )


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
    for i, b in enumerate(blocks):
        lo = int(bt.offsets[i])
        hi = lo + len(b.units)
        sl = slice(lo, hi)
        local_ties = [
            TieGroup(t.block, tuple(r - lo for r in t.rows), t.broken_by,
                     tuple(tuple(r - lo for r in sub) for sub in t.unresolved), t.skipped)
            for t in ties_by_block.get(i, [])
        ]
        rank = bt.rank[sl]
        order = np.lexsort((np.arange(hi - lo), rank))
        out.append(
            BlockResult(
                block=b,
                point_matrix=bt.points[sl],
                stage_matrices={st: a[sl] for st, a in bt.stage_points.items()},
                content=bt.content[sl],
                bonus=bt.bonus[sl],
                deduction=bt.deduction[sl],
                total=bt.total[sl],
                rank=rank,
                classes=bt.classes[sl],
                broken_by=bt.broken_by[sl],
                order=order,
                tie_groups=local_ties,
                fallback=bt.fallback[sl],
            )
        )
    return out


def stage_differences(result: BlockResult) -> list[dict]:
    """Items where the stages differ or the office overrode an entry (one dict per item,
    in unit then criterion order): unit, criterion, self, block, office, final, change."""
    b = result.block
    n, m = len(b.units), len(b.criteria)
    nan = np.full((n, m), np.nan)
    sp = {st: result.stage_matrices.get(st, nan) for st in STAGES}
    stack = np.stack([sp[st] for st in STAGES])
    present = ~np.isnan(stack)
    with np.errstate(invalid="ignore"):
        hi = np.where(present, stack, -np.inf).max(axis=0)
        lo = np.where(present, stack, np.inf).min(axis=0)
    differ = (present.sum(axis=0) >= 2) & (hi != lo)
    mask = differ | present[2]
    ii, jj = np.nonzero(mask)
    ucodes, ccodes = b.unit_codes, b.criterion_codes
    s_, k_, o_ = (sp[st][ii, jj].tolist() for st in STAGES)
    f_ = result.point_matrix[ii, jj]
    with np.errstate(invalid="ignore"):
        change = excel_round(f_ - sp[Stage.SELF][ii, jj], 6).tolist()
    f_ = f_.tolist()
    return [{"unit": ucodes[i], "criterion": ccodes[j], "self": a, "block": bb, "office": c, "final": f, "change": d}
            for i, j, a, bb, c, f, d in zip(ii.tolist(), jj.tolist(), s_, k_, o_, f_, change)]


def _num(v):
    if v is None:
        return None
    v = float(v)
    if np.isnan(v):
        return None
    return int(v) if v.is_integer() else v
