"""Plain data of a province consolidation: what each block file gave, the province's
settings, and the verdict rows of the province's checks.  No files, no Excel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.problems import Problem
from ..rules.model import CHO_QUYET_DINH, DAT, KHONG_DAT, VUOT

STATUSES = (DAT, KHONG_DAT, VUOT, CHO_QUYET_DINH)
NOT_HERE = "không xét ở cấp tỉnh"  # titles other levels decide (LĐTT, CSTĐCS, TTLĐTT, Giấy khen)
UNCHECKED = "chưa kiểm tra"


@dataclass
class BlockFile:
    """One block workbook as read (what a reading process sends back: picklable)."""

    path: str
    file: str  # the file name, as problems and sheets show it
    mtime: dt.datetime | None = None
    problems: list[Problem] = field(default_factory=list)
    province_book: bool = False  # a province workbook found among the blocks' files: skipped
    block_name: str = ""
    year: int | None = None
    round_date: dt.date | None = None
    period: str = ""
    units: list[Unit] | None = None  # the block's units in rank order (scored by the reading process); None: not scored
    unit_cells: dict[str, str] = field(default_factory=dict)  # unit code -> its cell on the “Đơn vị” sheet
    # what the province needs of the block's award sheets and of its own check (compact: sent between processes)
    proposals: list[BlockProposal] = field(default_factory=list)
    members: dict[str, int | None] = field(default_factory=dict)  # unit code -> “Số thành viên” (Tập thể)
    co_tinh_held: tuple[str, ...] = ()  # units with this year's Cờ thi đua cấp tỉnh in the block's history
    checked: bool = False  # the block's award check ran

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        """Consolidated: readable, a block, scored, and no error anywhere in the workbook."""
        return self.units is not None and not self.province_book and not self.errors


@dataclass(frozen=True)
class BlockProposal:
    """A proposal of a block's “Đề nghị khen thưởng” sheet with the block's own verdict."""

    row: int | None
    subject: str
    code: str
    name: str
    unit: str  # the collective's code, or the person's unit
    title: str
    kind: str
    votes: int | None
    female: bool  # a woman (individuals)
    verdict: str
    reason: str = ""


@dataclass
class Unit:
    block: int  # index of the block in Province.blocks (-1 until consolidated)
    code: str
    name: str
    rank: int
    place: str
    total: float
    klass: str
    unresolved: bool  # shares its rank with units the tie-break chain could not separate
    tied_with: tuple[str, ...] = ()
    note: str = ""
    members: int | None = None
    women_share: float | None = None  # 0..1


@dataclass
class Proposal:
    """One proposal of one block, with the block's verdict and the province's."""

    id: int  # position in Province.proposals
    block: int
    row: int | None  # row on the block's “Đề nghị khen thưởng” sheet
    subject: str  # CN / TT
    code: str
    name: str
    unit_code: str
    unit_name: str
    title: str  # title code
    kind: str
    votes: int | None
    block_verdict: str  # đạt / không đạt / vượt tỷ lệ / chờ quyết định / chưa kiểm tra
    block_reason: str = ""
    rank: int | None = None  # the collective's (or the person's unit's) place in its block
    women: bool = False  # a woman, or a collective with at least the women threshold
    verdict: str = ""  # the province's: one of STATUSES, NOT_HERE or UNCHECKED
    rule: str = ""
    reason: str = ""

    @property
    def cell(self) -> str:
        return f"A{self.row}" if self.row else ""


@dataclass
class Row:
    """One verdict row of the province's checks (sheet “Kiểm tra cấp tỉnh”)."""

    section: str  # Cờ thi đua cấp tỉnh / Tỷ lệ toàn tỉnh / Cờ thi đua của Chính phủ / Kết luận / Đơn vị trùng / Nộp sổ tính
    rule_id: str
    verdict: str
    numbers: str
    citation: str
    fix: str = ""
    block: str = ""
    file: str = ""
    subject: str = ""
    code: str = ""
    name: str = ""
    title: str = ""
    scope: str = ""


@dataclass(frozen=True)
class ProvinceSettings:
    province_name: str = ""
    year: int | None = None
    round_date: dt.date | None = None
    deadline: dt.date | None = None
    late_by: str = "round_date"
    blocks_folder: str = ""
    co_tinh_per_block: int = 1
    bk_tt_pct: Fraction | None = Fraction(10)
    bk_cn_pct: Fraction | None = Fraction(5)
    ttldxs_pct: Fraction | None = None
    cstd_tinh_pct: Fraction | None = None
    individuals: int | None = None
    co_cp_pct: Fraction | None = Fraction(20)
    co_cp_count: int | None = None
    cap_rounding: str = "floor"
    order: tuple[str, ...] = ("XEP_HANG", "TY_LE_NU")
    women_threshold: Fraction = Fraction(70)
    stat_form: str = "tt02-2023"
    reporting_unit: str = ""
    receiving_unit: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # report settings by attr


@dataclass(frozen=True)
class Expected:
    """A block the province expects a workbook from (sheet “Danh sách khối”)."""

    code: str
    name: str
    file: str = ""
    leader: str = ""
    row: int | None = None


@dataclass
class Province:
    """Everything a consolidation produced."""

    settings: ProvinceSettings
    files: list[BlockFile]  # every file read, in name order
    blocks: list[BlockFile]  # the consolidated ones (ok), in name order
    units: list[Unit]
    proposals: list[Proposal]
    rows: list[Row] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    matched: dict[int, int] = field(default_factory=dict)  # file index -> expected index
    missing: list[Expected] = field(default_factory=list)
    late: dict[int, str] = field(default_factory=dict)  # file index -> why late
    duplicates: list[tuple[str, list[tuple[int, str]]]] = field(default_factory=list)  # (what, [(block, code)])
    seconds: dict[str, float] = field(default_factory=dict)  # time spent per phase

    def block_of(self, i: int) -> BlockFile:
        return self.blocks[i]

    @property
    def year(self) -> int | None:
        """The year consolidated, as the sheets, the form and the report name it: the one set on
        “Cài đặt tỉnh” (or its round date's), else the one year every consolidated block is of."""
        s = self.settings
        if s.year or s.round_date:
            return s.year or s.round_date.year  # type: ignore[union-attr]
        years = {b.year for b in self.blocks if b.year}
        return years.pop() if len(years) == 1 else None
