"""The block's data model: plain, frozen, free of files and Excel.

A :class:`Block` is everything one emulation block (khối/cụm thi đua) agreed
and entered for one round: settings, member units, the criteria table and the
scores of each review stage.  Scores are ``numpy`` arrays, one row per unit
(in ``Block.units`` order) and one column per criterion (in ``Block.criteria``
order); an empty cell is ``NaN``.  A ``pandas.DataFrame`` indexed by unit code
with criterion-code columns is accepted too and converted on construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

import numpy as np


class Kind(str, Enum):
    """How a criterion turns the entered value into points."""

    POINTS = "points"  # điểm: the entered value is the points, 0..max
    RATIO = "ratio"  # tỷ lệ: achieved / target × max, capped at max
    TARGET = "target"  # chỉ tiêu: police-cluster formula (reference scheme D)
    COUNT = "count"  # số lần: count × points per event, capped at max
    BAND = "band"  # bậc thưởng: bonus by declared bands of a measured value
    BONUS = "bonus"  # điểm thưởng: bonus points entered directly, 0..max
    DEDUCTION = "deduction"  # điểm trừ: points (or count × points) taken off, 0..max

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def part(self) -> "Part":
        if self in (Kind.BAND, Kind.BONUS):
            return Part.BONUS
        if self is Kind.DEDUCTION:
            return Part.DEDUCTION
        return Part.CONTENT


KIND_LABELS: dict[Kind, str] = {
    Kind.POINTS: "Điểm",
    Kind.RATIO: "Tỷ lệ",
    Kind.TARGET: "Chỉ tiêu",
    Kind.COUNT: "Số lần",
    Kind.BAND: "Bậc thưởng",
    Kind.BONUS: "Điểm thưởng",
    Kind.DEDUCTION: "Điểm trừ",
}


class Part(str, Enum):
    CONTENT = "content"  # điểm nội dung
    BONUS = "bonus"  # điểm thưởng (cộng)
    DEDUCTION = "deduction"  # điểm trừ

    @property
    def label(self) -> str:
        return PART_LABELS[self]


PART_LABELS = {Part.CONTENT: "Nội dung", Part.BONUS: "Thưởng", Part.DEDUCTION: "Trừ"}


class Stage(str, Enum):
    """Review stages, in order of seniority."""

    SELF = "self"  # đơn vị tự chấm
    BLOCK = "block"  # khối trưởng, khối phó chấm lại
    OFFICE = "office"  # Ban Thi đua – Khen thưởng chấm (ghi đè từng mục)


class FinalPolicy(str, Enum):
    LAST = "last"  # người chấm sau cùng quyết định
    MAX = "max"  # lấy điểm cao nhất giữa các lần chấm
    MEAN = "mean"  # lấy trung bình các lần chấm


class RankMethod(str, Enum):
    COMPETITION = "competition"  # 1, 1, 3 (đồng hạng)
    DENSE = "dense"  # 1, 1, 2


# Tokens of the tie-break chain that are not criterion codes.
TIE_WOMEN = "TY_LE_NU"  # Nghị định 152/2025 Điều 4 khoản 6
TIE_VOTE = "PHIEU_BAU"  # bỏ phiếu


class Band(NamedTuple):
    """One band of a banded bonus: ``low (<|<=) value (<|<=) high`` gives ``points``."""

    low: float
    high: float
    points: float
    low_inclusive: bool = True
    high_inclusive: bool = False

    def contains(self, v: float) -> bool:
        lo = v >= self.low if self.low_inclusive else v > self.low
        hi = v <= self.high if self.high_inclusive else v < self.high
        return lo and hi

    def overlaps(self, other: "Band") -> bool:
        """True when some value falls in both bands (edges honour inclusivity)."""
        a, b = sorted((self, other), key=lambda x: (x.low, not x.low_inclusive))
        if b.low < a.high:
            return True
        if b.low == a.high:
            return a.high_inclusive and b.low_inclusive
        return False

    def describe(self) -> str:
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        return f"{left}{_num(self.low)}; {_num(self.high)}{right} → {_num(self.points)}"


class Criterion(NamedTuple):
    code: str
    name: str
    kind: Kind
    max_points: float
    weight: float | None = None
    group: str | None = None
    target: float | None = None  # common target for RATIO / TARGET kinds
    per_event: float | None = None  # points per event for COUNT (and counted DEDUCTION)
    bands: tuple[Band, ...] = ()
    part_override: "Part | None" = None  # "Tính vào": a per-event bonus counts as bonus, say

    @property
    def part(self) -> Part:
        return self.part_override if self.part_override is not None else self.kind.part

    @property
    def effective_weight(self) -> float:
        return 1.0 if self.weight is None else self.weight


class Group(NamedTuple):
    code: str
    name: str
    max_points: float | None = None  # cap on the group's (weighted) sum


class Unit(NamedTuple):
    code: str
    name: str
    role: str = ""  # Khối trưởng / Khối phó / Thành viên
    women_share: float | None = None  # 0..1
    votes: float | None = None  # phiếu bầu, last tie-breaker
    email: str = ""
    cc: str = ""


class ClassBand(NamedTuple):
    """A classification band: totals at or above ``min_pct`` % of the maximum."""

    name: str
    min_pct: float


DEFAULT_CLASSES: tuple[ClassBand, ...] = (
    ClassBand("Hoàn thành xuất sắc nhiệm vụ", 90.0),
    ClassBand("Hoàn thành tốt nhiệm vụ", 70.0),
    ClassBand("Hoàn thành nhiệm vụ", 50.0),
    ClassBand("Không hoàn thành nhiệm vụ", 0.0),
)


class Settings(NamedTuple):
    block_name: str = ""
    year: int | None = None
    period: str = "Tổng kết năm"  # or "Sơ kết 6 tháng"
    round_date: dt.date | None = None
    decimals: int = 2
    rank_method: RankMethod = RankMethod.COMPETITION
    final_policy: FinalPolicy = FinalPolicy.LAST
    tie_break: tuple[str, ...] = ()
    content_cap: float | None = None
    bonus_cap: float | None = None
    max_total: float | None = None  # the "maximum" classes are measured against
    women_threshold: float = 0.70
    extra: Mapping[str, object] = MappingProxyType({})  # keys read but not interpreted here


@dataclass(frozen=True)
class Block:
    settings: Settings
    units: tuple[Unit, ...]
    criteria: tuple[Criterion, ...]
    groups: tuple[Group, ...] = ()
    classes: tuple[ClassBand, ...] = DEFAULT_CLASSES
    stages: Mapping[Stage, np.ndarray] = field(default_factory=dict)
    targets: np.ndarray | None = None  # per-unit targets, overriding Criterion.target

    def __post_init__(self) -> None:
        rows, cols = [u.code for u in self.units], [c.code for c in self.criteria]
        object.__setattr__(self, "stages", {Stage(k): _matrix(v, rows, cols) for k, v in self.stages.items()})
        if self.targets is not None:
            object.__setattr__(self, "targets", _matrix(self.targets, rows, cols))

    @property
    def unit_codes(self) -> list[str]:
        return [u.code for u in self.units]

    @property
    def criterion_codes(self) -> list[str]:
        return [c.code for c in self.criteria]

    def criterion(self, code: str) -> Criterion:
        for c in self.criteria:
            if c.code == code:
                return c
        raise KeyError(code)

    def unit(self, code: str) -> Unit:
        for u in self.units:
            if u.code == code:
                return u
        raise KeyError(code)

    def part_max(self, part: "Part") -> float:
        """The most points a part (content or bonus) can give, after its cap."""
        total = sum(c.max_points * c.effective_weight for c in self.criteria if c.part is part)
        cap = {Part.CONTENT: self.settings.content_cap, Part.BONUS: self.settings.bonus_cap}.get(part)
        return min(total, cap) if cap is not None else total

    @property
    def nominal_max(self) -> float:
        """The maximum total, for classification: the declared one, else content + bonus maxima."""
        if self.settings.max_total is not None:
            return self.settings.max_total
        return self.part_max(Part.CONTENT) + self.part_max(Part.BONUS)

    def with_stage(self, stage: Stage, scores: Any) -> "Block":
        stages = dict(self.stages)
        stages[stage] = scores
        return replace(self, stages=stages)


def _matrix(v: Any, rows: list[str], cols: list[str]) -> np.ndarray:
    """Scores as a float array in block order; a DataFrame (unit × criterion code) is aligned."""
    if hasattr(v, "reindex"):  # a pandas DataFrame, without importing pandas here
        v = v.reindex(index=rows, columns=cols)
    a = np.asarray(v, dtype=float)
    if a.shape != (len(rows), len(cols)):
        raise ValueError(f"scores of shape {a.shape}, expected {(len(rows), len(cols))} (units × criteria)")
    return a


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
